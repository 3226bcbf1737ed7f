"""Resolve: attach each parsed citation to a registry document and expand article ranges.

Same-document references ("Điều này", "Luật này", "this Decree", or a bare "Điều 21") resolve to
the nearest preceding citation that named a document, else to the page's declared documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from lawsite.project.registry import Document, Registry
from lawsite.core.text import norm_number
from lawsite.core.findings import Localized
from lawsite.cite.model import SELF, Citation, DocRef, Provision
from lawsite.cite.names import doc_names


def _wrong_date(doc: Document, ref: DocRef):
    """The registry's date (or year) when the stated one disagrees with it, else None."""
    if doc.signed:
        if ref.date and ref.date != doc.signed:
            return doc.signed
        if ref.year and ref.year != doc.signed.year:
            return doc.signed
        return None
    m = re.match(r"\d+(?:\.\d+)?/(\d{4})/", doc.number)  # no signing date: the year in the number
    if m:
        year = int(m.group(1))
        stated = ref.date.year if ref.date else ref.year
        if stated != year:
            return year
    return None


@dataclass
class Problem:
    citation: Citation
    code: str
    params: dict
    severity: str = "error"


def article_key(n: str) -> tuple[int, str]:
    m = re.match(r"(\d+)([a-z]?)", n)
    return (int(m.group(1)), m.group(2)) if m else (0, n)


def lookup_number(registry: Registry, number: str) -> Optional[Document]:
    # registry.get normalises the number (NFC, dashes, đ folding): remember the answers per registry
    cache = registry.__dict__.setdefault("_cite_lookup", {})
    if number not in cache:
        cache[number] = registry.get(number)
    doc = cache[number]
    if doc:
        return doc
    # "Bộ luật Hình sự số 100/2015/QH13" — number alone is enough; also tolerate "năm" forms
    return None


def suggest(registry: Registry, number: str) -> list[str]:
    key = norm_number(number)
    head = key.split("/")[0]
    out = []
    for d in registry:
        k = norm_number(d.number)
        if k.split("/")[0] == head and (len(key) > 4 and (k.startswith(key[: max(4, len(key) - 3)]) or key[:-1] in k)):
            out.append(d.number)
    return out[:3]


def full_form(doc: Document) -> Localized:
    """The document's full citation form in each language (with its date when the number has no year)."""
    from lawsite.cite.names import citation_text

    return Localized(vi=citation_text(doc, None, "vi"), en=citation_text(doc, None, "en"))


def short_candidates(registry: Registry, ref: DocRef) -> list[Document]:
    """Registry documents a short number ("Nghị định 282", "NĐ 282/2025") may stand for."""
    cache = registry.__dict__.setdefault("_cite_short", {})
    key = (ref.doc_type, ref.number)
    if key not in cache:
        n, _, year = (ref.number or "").partition("/")
        out = []
        for d in registry:
            if ref.doc_type and d.type != ref.doc_type:
                continue
            parts = norm_number(d.number).split("/")
            if parts[0].lstrip("0") != n.lstrip("0"):
                continue
            if year and not (year in parts[1:2] or (d.signed and str(d.signed.year) == year)):
                continue
            out.append(d)
        cache[key] = out
    return cache[key]


def lookup_ref(c: Citation, ref: DocRef, registry: Registry) -> tuple[Optional[Document], Optional[Problem]]:
    """The registry document a written document reference names: (document, None), or (None,
    problem) when it names none (c.unknown then holds the document as written), or (None, None)
    for a short form that names nothing in the registry (not a citation)."""
    if ref.kind == "alias":
        aliases = registry.__dict__.setdefault("_cite_aliases", {})
        if c.lang not in aliases:
            aliases[c.lang] = registry.by_alias(c.lang)
        doc = aliases[c.lang].get(ref.alias.lower())
        if doc is None:  # cannot happen: aliases come from the registry
            c.unknown = ref.text
            return None, Problem(c, "cite_unknown_document", {"number": ref.alias, "suggestion": ""})
        if ref.number and lookup_number(registry, ref.number) is not doc:
            other = lookup_number(registry, ref.number)
            c.unknown = other.number if other else ref.number
            return None, Problem(c, "cite_alias_number_mismatch", {"alias": ref.alias, "doc": doc.number, "number": ref.number})
    elif ref.kind == "title":
        c.unknown = ref.title or ref.text
        if ref.uncertain:
            return None, Problem(c, "cite_uncertain_title", {"title": c.unknown})
        return None, Problem(c, "cite_unknown_title", {"title": c.unknown})
    elif ref.kind == "short":
        cands = short_candidates(registry, ref)
        if not cands:
            if not c.provisions:
                c.ignored = True  # "Nghị định 30" on its own: not taken for a citation
                return None, None
            c.unknown = ref.text
            return None, Problem(c, "cite_unknown_document", {"number": ref.text, "suggestion": ""})
        if len(cands) > 1:
            c.unknown = ref.text
            return None, Problem(c, "cite_ambiguous_short", {"text": ref.text, "candidates": ", ".join(d.number for d in cands)})
        doc = cands[0]
    else:
        doc = lookup_number(registry, ref.number)
        if doc is None:
            sug = ", ".join(suggest(registry, ref.number))
            # the suggestion is worded in the reader's language (messages are shown in vi or en)
            suggestion = Localized(vi=f" Có phải {sug}?", en=f" Did you mean {sug}?") if sug else ""
            c.unknown = ref.number
            return None, Problem(c, "cite_unknown_document", {"number": ref.number, "suggestion": suggestion})
        if doc.needs_date and ref.date is None and ref.year is None:
            c.unknown = ref.number
            return None, Problem(c, "cite_needs_date", {"number": ref.number})
    if ref.kind in ("number", "alias") and (ref.date or ref.year):
        # a stated date or year ("ngày 14/8/2023", "năm 2015", "dated …") must match the registry:
        # two documents may share a title (Penal Codes of 1999 and 2015), the year decides
        wrong = _wrong_date(doc, ref)
        if wrong:
            c.unknown = ref.text
            return None, Problem(c, "cite_wrong_date", {"number": doc.number, "signed": wrong, "stated": ref.date or ref.year})
    return doc, None


MAX_RANGE = 500  # an article range longer than this is not expanded without an article list


def expand_ranges(c: Citation, doc: Document, problems: list) -> None:
    """Article ranges over the registry's article list, then provisions in order."""
    for r in c.ranges:
        lo, hi = article_key(r.first), article_key(r.last)
        if lo > hi:
            problems.append(Problem(c, "cite_bad_range", {"first": r.first, "last": r.last, "doc": doc.number if doc else "?"}))
            continue
        for num in (r.first, r.last):
            c.provisions.append(Provision(num))
        for a in (doc.articles if doc else []):
            if lo < article_key(a.number) < hi:
                c.provisions.append(Provision(a.number))
        if not (doc and doc.articles) and r.first.isdigit() and r.last.isdigit() and int(r.last) - int(r.first) <= MAX_RANGE:
            # a document with no article list here ("Articles 15 through 27 of this Law" of a law not in the
            # registry): the articles between two plain numbers are the numbers between them
            c.provisions.extend(Provision(str(i)) for i in range(int(r.first) + 1, int(r.last)))
    c.ranges = []
    c.provisions = sorted(set(c.provisions), key=lambda p: (article_key(p.article or "0"), p.clause or "", p.point or ""))


def unself(c: Citation, article=None, clause=None, point=None) -> bool:
    """Fill "this Article/Clause/Point" (SELF) from the context; False if a part is missing."""
    ok = True
    out = []
    for p in c.provisions:
        a, cl, pt = p.article, p.clause, p.point
        if a == SELF:
            a = article
            ok = ok and a is not None
        if cl == SELF:
            cl = clause
            ok = ok and cl is not None
        if pt == SELF:
            pt = point
            ok = ok and pt is not None
        out.append(Provision(a, cl, pt))
    c.provisions = out
    return ok


def resolve(citations: list[Citation], registry: Registry, page_documents: list[str]) -> list[Problem]:
    """Page rules: a bare reference belongs to the last document named, else the page's declared
    document; "Luật này" after another law was named is ambiguous (a warning, no link)."""
    problems: list[Problem] = []
    declared = [registry.get(n) for n in page_documents]
    declared = [d for d in declared if d]
    last_doc: Optional[Document] = None
    last_article: Optional[str] = None
    last_clause: Optional[str] = None
    last_point: Optional[str] = None
    for c in citations:
        if c.problem:
            problems.append(Problem(c, "cite_" + c.problem, dict(c.problem_params)))
            unself(c)
            continue
        doc = None
        ref = c.doc
        if ref is None:
            doc = last_doc or (declared[0] if declared else None)
            if doc is None:
                unself(c)
                problems.append(Problem(c, "cite_no_document", {"text": c.text}))
                continue
        elif ref.kind == "self":
            own = [d for d in declared if d.type == ref.doc_type]
            if own and last_doc is not None and last_doc.type == ref.doc_type and last_doc not in own:
                unself(c)
                problems.append(Problem(c, "cite_ambiguous_self_document", {"text": c.text, "word": ref.text, "other": doc_names(last_doc)}, "warning"))
                continue
            same_type = [d for d in ([last_doc] if last_doc else []) + declared if d and d.type == ref.doc_type]
            doc = same_type[0] if same_type else None
            if doc is None:
                unself(c)
                problems.append(Problem(c, "cite_no_document", {"text": c.text}))
                continue
        else:
            doc, prob = lookup_ref(c, ref, registry)
            if doc is None:
                unself(c)
                if prob:
                    problems.append(prob)
                continue
            if ref.kind == "short":
                problems.append(Problem(c, "cite_short_form", {"text": ref.text, "doc": full_form(doc)}, "warning"))
        c.document = doc
        if any(SELF in (p.article, p.clause, p.point) for p in c.provisions):
            # on a page, "Điều này / khoản này / điểm này" is the unit the last citation named
            needs_cl = any(SELF in (p.clause,) for p in c.provisions)
            needs_pt = any(SELF in (p.point,) for p in c.provisions)
            if (last_article is None or last_doc is not doc or (needs_cl and last_clause is None)
                    or (needs_pt and last_point is None)):
                unself(c)
                problems.append(Problem(c, "cite_self_article", {"text": c.text}))
                continue
            unself(c, last_article, last_clause, last_point)
        expand_ranges(c, doc, problems)
        last_doc = doc
        if c.provisions:
            last_article, last_clause, last_point = c.provisions[-1].article, c.provisions[-1].clause, c.provisions[-1].point
    if any(c.ignored for c in citations):  # "Nghị định 30 ngày": a short form naming nothing is no citation
        citations[:] = [c for c in citations if not c.ignored]
    return problems
