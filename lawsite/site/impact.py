"""Impact of a legal change: which pages (both languages) cite a document or a provision, grouped
by provision, with the registry's changes that touch each one (amendments, additions, repeals,
the document's end or replacement; changes after today are marked as upcoming).

Used by `lawsite impact`. No MkDocs import: pages are checked with lawsite.site.sitecheck.check_site.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml

from lawsite.cite.model import Provision
from lawsite.cite.names import doc_name, provision_text
from lawsite.cite.parse import get_parser
from lawsite.cite.resolve import article_key, resolve, suggest
from lawsite.core.errors import LawsiteError
from lawsite.core.l10n import default_language, format_date, languages
from lawsite.project.loader import Project
from lawsite.project.registry import Document
from lawsite.site.sitecheck import check_site, collect
from lawsite.core.text import nfc, split_front_matter


@functools.lru_cache(maxsize=None)
def labels(lang: str) -> dict:
    text = resources.files("lawsite").joinpath("impact_labels.yaml").read_text("utf-8")
    return yaml.safe_load(text)[lang]


@dataclass(frozen=True)
class Change:
    kind: str  # amended | added | repealed | doc_amended | doc_end | doc_replaced | doc_start
    date: dt.date
    by: str = ""
    unit: Optional[Provision] = None  # the unit changed (None: the whole document)
    upcoming: bool = False


@dataclass
class Use:
    path: str
    line: int
    lang: str
    text: str


@dataclass
class Group:
    provision: Optional[Provision]  # None: the document cited as a whole
    uses: list[Use] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        return sorted({u.path for u in self.uses})


@dataclass
class Impact:
    doc: Document
    target: Optional[Provision]
    groups: list[Group]
    doc_changes: list[Change]

    @property
    def pages(self) -> list[str]:
        return sorted({p for g in self.groups for p in g.pages})


# --- the target ------------------------------------------------------------------------------------
def parse_target(project: Project, target: str) -> tuple[Document, Optional[Provision]]:
    """'49/2019/QH14', 'Luật số 49/2019/QH14', 'Điều 27 Luật số 49/2019/QH14', 'Article 27 of Law No. …',
    'Bộ luật Hình sự' -> (document, provision or None). Raises LawsiteError (one line) if unknown."""
    text = nfc(target.strip())
    doc = project.registry.get(text)
    if doc is not None:
        return doc, None
    # parse in both languages; the longer citation wins ("Clause 5, Article 27 of Law No. …" is
    # English even though the Vietnamese parser also finds the bare number in it)
    found = []
    for lang in languages():
        cites = get_parser(lang, project.aliases(lang)).parse(text)
        if cites:
            found.append((cites[0].end - cites[0].start, lang, cites[0]))
    for _, lang, c in sorted(found, key=lambda x: -x[0]):
        if c.doc is not None and c.doc.kind == "number" and project.registry.get(c.doc.number) is not None:
            c.doc.date = c.doc.year = None  # a year-less number given on its own is not ambiguous here
        resolve([c], project.registry, [])
        if c.document is None:
            continue
        if not c.provisions:
            return c.document, None
        p = c.provisions[0]
        _check_unit(c.document, p, lang)
        return c.document, p
    number = text.split()[-1] if text.split() else text
    sug = suggest(project.registry, number)
    lab = labels(_guess_lang(text))
    raise LawsiteError(lab["unknown_document"].format(target=target, suggestion=lab["suggestion"].format(numbers=", ".join(sug)) if sug else ""))


def _guess_lang(text: str) -> str:
    """The language a target is written in, for the error message: the first other language whose
    capitalised unit or document words (grammar data) occur in it, else the default language."""
    from lawsite.cite.parse import load_grammar

    for lang in languages()[1:]:
        g = load_grammar(lang)
        words = [w for u in g["units"].values() for w in u["single"]] + [w for ws in g["doc_types"].values() for w in ws]
        if any(w[:1].isupper() and w in text for w in words):
            return lang
    return default_language()


def _check_unit(doc: Document, p: Provision, lang: str) -> None:
    lab = labels(lang)
    art = doc.article(p.article) if p.article else None
    ok = art is not None
    if ok and p.clause:
        cl = next((c for c in art.clauses or [] if c.number == p.clause), None)
        ok = cl is not None and (not p.point or any(x.letter == p.point for x in cl.points))
    if not ok and doc.articles:
        raise LawsiteError(lab["unknown_unit"].format(unit=provision_text(p, lang), doc=doc_name(doc, lang)))


# --- changes ---------------------------------------------------------------------------------------
def unit_changes(doc: Document, p: Provision, today: dt.date) -> list[Change]:
    """Changes recorded for the unit, its ancestors and its descendants."""
    out: list[Change] = []

    def by_on(day: dt.date, by: Optional[str]) -> str:
        return by or ", ".join(dict.fromkeys(ch.by for ch in doc.amended_by if ch.date == day)) or "?"

    def add(unit, prov: Provision):
        for ch in unit.amended:
            out.append(Change("amended", ch.date, ch.by, prov, ch.date > today))
        if unit.added:
            out.append(Change("added", unit.added, by_on(unit.added, unit.added_by), prov, unit.added > today))
        if unit.repealed:
            out.append(Change("repealed", unit.repealed, by_on(unit.repealed, unit.repealed_by), prov, unit.repealed > today))

    art = doc.article(p.article) if p.article else None
    if art is None:
        return out
    add(art, Provision(art.number))
    for cl in art.clauses or []:
        if p.clause and cl.number != p.clause:
            continue
        add(cl, Provision(art.number, cl.number))
        for pt in cl.points:
            if p.point and pt.letter != p.point:
                continue
            add(pt, Provision(art.number, cl.number, pt.letter))
    return sorted(set(out), key=lambda c: (c.date, c.kind, c.unit or Provision()))


def document_changes(doc: Document, today: dt.date) -> list[Change]:
    out = [Change("doc_amended", ch.date, ch.by, None, ch.date > today) for ch in doc.amended_by]
    if doc.effective is not None and doc.effective > today:
        out.append(Change("doc_start", doc.effective, "", None, True))
    if doc.replaced_by:
        out.append(Change("doc_replaced", doc.replaced_by.date, doc.replaced_by.number, None, doc.replaced_by.date > today))
    elif doc.end:
        out.append(Change("doc_end", doc.end, "", None, doc.end > today))
    return sorted(set(out), key=lambda c: (c.date, c.kind, c.by))


# --- pages -----------------------------------------------------------------------------------------
def _line_of(res, c) -> int:
    _, body, start = split_front_matter(res.source_text)
    if body[c.start:c.end] == c.text:
        return body.count("\n", 0, c.start) + start
    # a citation from the procedure card (front matter): the line of legal_basis
    for i, line in enumerate(res.source_text.splitlines(), 1):
        if line.strip().startswith("legal_basis"):
            return i
    return 1


def impact(project: Project, target: str, files: Optional[list[Path]] = None) -> Impact:
    doc, prov = parse_target(project, target)
    today = project.today
    files = files if files is not None else collect([project.docs_dir], project.root)
    rep = check_site(project, files)
    groups: dict[Optional[Provision], Group] = {}
    for path, res in sorted(rep.pages.items()):
        for c in res.citations:
            if c.document is not doc:
                continue
            provs = c.provisions or [None]
            for p in provs:
                if prov is not None and (p is None or not (prov.article == p.article and prov.overlaps(p))):
                    continue
                g = groups.setdefault(p, Group(p))
                g.uses.append(Use(path, _line_of(res, c), res.lang, c.text))
    for p, g in groups.items():
        if p is not None:
            # the more specific of the cited provision and the target: citing "Điều 27" is touched,
            # for "khoản 5 Điều 27", by the changes of clause 5 only
            narrow = prov if prov is not None and len(prov.key().split(".")) > len(p.key().split(".")) else p
            g.changes = unit_changes(doc, narrow, today)
        g.uses.sort(key=lambda u: (u.path, u.line))
    ordered = sorted(groups.values(), key=lambda g: (g.provision is not None, _prov_key(g.provision)))
    return Impact(doc, prov, ordered, document_changes(doc, today))


def _prov_key(p: Optional[Provision]):
    if p is None:
        return ((0, ""), "", "")
    return (article_key(p.article or "0"), article_key(p.clause or "0"), p.point or "")


# --- text report -----------------------------------------------------------------------------------
def describe(ch: Change, lang: str) -> str:
    lab = labels(lang)
    unit = provision_text(ch.unit, lang) if ch.unit else ""
    unit = unit[:1].upper() + unit[1:]
    s = lab["kind"][ch.kind].format(unit=unit, by=ch.by, date=format_date(ch.date, lang))
    s = s[:1].upper() + s[1:]
    return s + (" " + lab["upcoming"] if ch.upcoming else "")


def report_lines(imp: Impact, lang: str) -> list[str]:
    lab = labels(lang)
    title = imp.doc.title.get(lang)
    head = doc_name(imp.doc, lang)
    if imp.target is not None:
        p = provision_text(imp.target, lang)
        head = (p[:1].upper() + p[1:]) + load_connector(lang) + head
    out = [f"{head} — {title}"]
    for ch in imp.doc_changes:
        out.append(f"  {describe(ch, lang)}")
    if not imp.groups:
        out.append(lab["no_pages"])
    for g in imp.groups:
        name = lab["whole"] if g.provision is None else provision_text(g.provision, lang)
        name = name[:1].upper() + name[1:]
        out.append("")
        out.append(f"{name} ({lab['pages'].format(n=len(g.pages))})")
        if g.provision is not None:
            if g.changes:
                out.append(f"  {lab['changes']}")
                out += [f"    - {describe(ch, lang)}" for ch in g.changes]
            else:
                out.append(f"  {lab['no_changes']}")
        for u in g.uses:
            out.append(f"  {u.path}:{u.line} ({u.lang}) {u.text}")
    cites = sum(len(g.uses) for g in imp.groups)
    out.append("")
    out.append(lab["summary"].format(pages=len(imp.pages), cites=cites, target=head))
    return out


def load_connector(lang: str) -> str:
    from lawsite.cite.parse import load_grammar

    return load_grammar(lang)["format"]["doc_connector"]
