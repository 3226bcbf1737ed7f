"""The legal registry: one YAML file per legal document, schema-validated on load.

A document records its number exactly as issued, its type, titles, aliases, dates, status,
successors, amendments, official sources and its structure (articles -> clauses -> points),
each unit with the date it was added, amended or repealed, so the registry can answer
"did point đ of clause 2 of Article 21 exist on 2026-03-01?".
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

import yaml

from lawsite.core.yamlio import load as _yload, locate
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from pydantic_core import PydanticCustomError

from lawsite.core.errors import LawsiteError
from lawsite.core.findings import Finding
from lawsite.core.text import norm_number

DocType = Literal["Luật", "Bộ luật", "Nghị định", "Thông tư", "Nghị quyết", "Quyết định", "Văn bản hợp nhất"]
Confidence = Literal["VT", "SS", "UM"]
# vbpl.vn's vocabulary for a document's force
Status = Literal[
    "còn hiệu lực",
    "hết hiệu lực toàn bộ",
    "hết hiệu lực một phần",
    "chưa có hiệu lực",
    "ngưng hiệu lực",
    "ngưng hiệu lực một phần",
]
POINT_LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"]
ARTICLE_RE = re.compile(r"^[0-9]+[a-z]?$")
CLAUSE_RE = re.compile(r"^[0-9]+[a-z]?$")


def _invalid(code: str, **params) -> PydanticCustomError:
    """A registry value error as a message code (lawsite/messages/<lang>.yaml, mends9): rendered in the
    reader's language at the file and line by _format_pydantic."""
    from lawsite.core.findings import catalogue

    return PydanticCustomError(code, catalogue("en")[code]["msg"], {k: str(v) for k, v in params.items()})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Bilingual(_Strict):
    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`; in a language the registry does not hold, the default language's
        (the language of the texts): one accessor instead of a branch per language (mends9)."""
        from lawsite.core.l10n import default_language

        return getattr(self, lang, None) or getattr(self, default_language())


class Change(_Strict):
    """An amendment or a change of a unit, with the date it took effect."""

    by: str = Field(description="number of the amending document, e.g. 118/2025/QH15")
    date: dt.date
    note: Optional[Bilingual] = None


class Dated(_Strict):
    added: Optional[dt.date] = None  # inserted by a later act on this date
    added_by: Optional[str] = None
    repealed: Optional[dt.date] = None  # repealed on this date (the number is kept)
    repealed_by: Optional[str] = None
    amended: list[Change] = Field(default_factory=list)

    def exists_on(self, day: dt.date) -> bool:
        return self.added is None or self.added <= day

    def repealed_on(self, day: dt.date) -> bool:
        return self.repealed is not None and self.repealed <= day


class Point(Dated):
    letter: str

    @field_validator("letter")
    @classmethod
    def _letter(cls, v: str) -> str:
        v = unicodedata.normalize("NFC", v)
        if v not in POINT_LETTERS:
            raise _invalid("registry_point_letter", value=v)
        return v


class Clause(Dated):
    number: str
    points: list[Point] = Field(default_factory=list)

    @field_validator("number", mode="before")
    @classmethod
    def _num(cls, v):
        v = str(v)
        if not CLAUSE_RE.match(v):
            raise _invalid("registry_clause_number", value=v)
        return v

    @field_validator("points", mode="before")
    @classmethod
    def _points(cls, v):
        # allow the short form: points: [a, b, c]
        if isinstance(v, list):
            return [{"letter": p} if isinstance(p, str) else p for p in v]
        return v


class Article(Dated):
    number: str
    title: Bilingual
    chapter: Optional[str] = None
    # None: the clauses are not recorded in the registry (citing a clause is an error asking to add them)
    # []: the article has no clauses
    clauses: Optional[list[Clause]] = None

    @field_validator("number", mode="before")
    @classmethod
    def _num(cls, v):
        v = str(v)
        if not ARTICLE_RE.match(v):
            raise _invalid("registry_article_number", value=v)
        return v


class Link(_Strict):
    url: str
    kind: Literal["official", "secondary"] = "official"
    label: Optional[str] = None


class Successor(_Strict):
    number: str
    date: dt.date


class Document(_Strict):
    number: str
    type: DocType
    slug: str
    title: Bilingual
    short_names: dict[Literal["vi", "en"], list[str]] = Field(default_factory=dict)
    issuer: Bilingual
    signed: Optional[dt.date] = None
    effective: Optional[dt.date]  # required key; null = not known (shown as unknown, never guessed)
    end: Optional[dt.date] = None
    status: Status
    replaced_by: Optional[Successor] = None
    replaces: list[str] = Field(default_factory=list)
    amended_by: list[Change] = Field(default_factory=list)
    sources: list[Link] = Field(default_factory=list)
    confidence: Confidence  # required (mends8): VT only when the full text was read; no default
    # a source a reader can check, required when confidence is SS and the document may be cited
    verified_source: Optional[str] = None
    notes: Optional[Bilingual] = None
    # year-less numbers such as 127/NQ-CP are ambiguous: such a citation needs a date
    needs_date: bool = False
    # "full": every article with clauses and points; "articles": article list only; "none": no structure recorded
    structure: Literal["full", "articles", "none"] = "full"
    articles: list[Article] = Field(default_factory=list)
    _text: str = PrivateAttr(default="")  # the YAML text, to put a line on relation errors
    _names: Optional[tuple] = PrivateAttr(default=None)  # (number, {lang: name}): lawsite.cite.names.doc_names

    @field_validator("number")
    @classmethod
    def _number(cls, v: str) -> str:
        return unicodedata.normalize("NFC", v)

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v):
            raise _invalid("registry_slug", value=v)
        if re.match(r"^(vi|en)(-|$)", v):
            raise _invalid("registry_slug_lang", value=v)
        return v

    @model_validator(mode="after")
    def _consistency(self):
        seen = set()
        for a in self.articles:
            if a.number in seen:
                raise _invalid("registry_article_twice", article=a.number)
            seen.add(a.number)
            cseen = set()
            for c in a.clauses or []:
                if c.number in cseen:
                    raise _invalid("registry_clause_twice", article=a.number, clause=c.number)
                cseen.add(c.number)
                pseen = set()
                for p in c.points:
                    if p.letter in pseen:
                        raise _invalid("registry_point_twice", article=a.number, clause=c.number, point=p.letter)
                    pseen.add(p.letter)
        if self.end and self.effective and self.end < self.effective:
            raise _invalid("registry_end_before_effective")
        if self.status == "hết hiệu lực toàn bộ" and not self.end:
            raise _invalid("registry_end_missing")
        return self

    # --- queries -------------------------------------------------------------------------
    def article(self, number: str) -> Optional[Article]:
        for a in self.articles:
            if a.number == number:
                return a
        return None

    def in_force_on(self, day: dt.date) -> bool:
        start = self.effective or self.signed  # unknown effective date: at best from signing (callers warn)
        return (start is None or start <= day) and (self.end is None or day < self.end)

    def status_on(self, day: dt.date) -> str:
        start = self.effective or self.signed  # unknown effective date: the recorded status after signing
        if start is not None and day < start:
            return "chưa có hiệu lực"
        if self.end is not None and day >= self.end:
            return "hết hiệu lực toàn bộ"
        return "còn hiệu lực" if self.status not in ("hết hiệu lực một phần", "ngưng hiệu lực một phần") else self.status

    def aliases(self, lang: str) -> list[str]:
        return list(self.short_names.get(lang, []))


@dataclass
class Registry:
    documents: dict[str, Document]  # key: normalised number
    files: dict[str, Path] = field(default_factory=dict)  # key: normalised number -> source file

    def get(self, number: str) -> Optional[Document]:
        return self.documents.get(norm_number(number))

    def by_alias(self, lang: str) -> dict[str, Document]:
        out: dict[str, Document] = {}
        for d in self.documents.values():
            for langs in (lang, "vi", "en"):
                for name in d.short_names.get(langs, []):
                    out.setdefault(unicodedata.normalize("NFC", name).lower(), d)
        return out

    def by_slug(self, slug: str) -> Optional[Document]:
        for d in self.documents.values():
            if d.slug == slug:
                return d
        return None

    def __iter__(self):
        return iter(sorted(self.documents.values(), key=lambda d: (d.effective or d.signed or dt.date.min, d.number)))

    def __len__(self):
        return len(self.documents)


class RegistryError(LawsiteError):
    """Registry problems, one per line: findings at a file and line, rendered in the reader's language
    (mends9: every load error is a message code; mends8 did `confidence`): str() uses LAWSITE_LANG
    (default vi), the CLI calls render(lang) with its --lang."""

    def __init__(self, problem, items=None):
        self.items = list(items) if items is not None else [problem]
        super().__init__(self.render())

    def render(self, lang: Optional[str] = None) -> str:
        import os

        lang = lang or os.environ.get("LAWSITE_LANG", "vi")
        out = []
        for it in self.items:
            if isinstance(it, RegistryError):
                out.append(it.render(lang))
            elif isinstance(it, Finding):
                out.append(it.format(lang))
            else:
                out.append(str(it))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def _format_pydantic(path, err: ValidationError, text: str) -> list:
    msgs: list = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(document)"
        line = _guess_line(text, e["loc"])
        if tuple(e["loc"]) == ("confidence",):  # mends8: required, in the reader's language
            got = e.get("input")
            missing = e["type"] == "missing"
            msgs.append(Finding(path, line or 1, 1, "error", "registry_confidence_missing" if missing else "registry_confidence_bad",
                                {"got": "" if missing else repr(got)}))
            continue
        got = e.get("input")
        got_s = "" if isinstance(got, (dict, list)) or got is None else repr(got)
        if e["type"].startswith("registry_"):  # ours (_invalid): a message in each language
            msgs.append(Finding(path, line or 1, 1, "error", e["type"], {**(e.get("ctx") or {}), "key": loc}))
        else:  # pydantic's own check (a type, a missing key): its words, in a localised frame
            msgs.append(Finding(path, line or 1, 1, "error", "registry_bad_value", {"key": loc, "detail": e["msg"], "got": got_s or "—"}))
    return msgs


def _guess_line(text: str, loc) -> Optional[int]:
    """Line of the deepest key of a pydantic location in the YAML text (walking the YAML nodes);
    for a whole-document error, the first line."""
    if not loc:
        return 1
    line = locate(text, tuple(loc))
    if line > 1 or not [k for k in loc if isinstance(k, str)]:
        return line
    keys = [k for k in loc if isinstance(k, str)]
    key = keys[-1]
    pat = re.compile(rf"^\s*-?\s*{re.escape(key)}\s*:", re.M)
    m = pat.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_document(path: Path, shown: Optional[str] = None) -> Document:
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RegistryError(Finding(shown, 1, 1, "error", "registry_not_utf8", {"offset": e.start}))
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    try:
        data = _yload(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise RegistryError(Finding(shown, mark.line + 1 if mark else 1, 1, "error", "registry_yaml", {"detail": getattr(e, "problem", e)}))
    if not isinstance(data, dict):
        raise RegistryError(Finding(shown, 1, 1, "error", "registry_not_mapping", {}))
    try:
        doc = Document.model_validate(data)
    except ValidationError as e:
        raise RegistryError(None, _format_pydantic(shown, e, text))
    doc._text = text
    return doc


def load_registry(folder: Path, root: Optional[Path] = None) -> Registry:
    """Load every *.yaml in folder; raise RegistryError listing every problem found. Messages show
    paths relative to root when it is given."""
    docs: dict[str, Document] = {}
    files: dict[str, Path] = {}
    problems: list = []
    slugs: dict[str, Path] = {}

    def shown(p: Path) -> str:
        if root is None:
            return str(p)
        from lawsite.core.paths import shown_path

        return shown_path(p, root)

    if not folder.is_dir():
        raise RegistryError(Finding(shown(folder), 1, 1, "error", "registry_no_folder", {}))
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = load_document(path, shown(path))
        except RegistryError as e:
            problems.append(e)
            continue
        key = norm_number(doc.number)
        if key in docs:
            problems.append(_err(shown(path), 1, "registry_duplicate_number", number=doc.number, other=shown(files[key])))
            continue
        if doc.slug in slugs:
            problems.append(_err(shown(path), _key_line(doc, "slug"), "registry_duplicate_slug", slug=doc.slug, other=shown(slugs[doc.slug])))
            continue
        docs[key] = doc
        files[key] = path
        slugs[doc.slug] = path
    # cross-references
    for key, doc in docs.items():
        refs = [("replaced_by", doc.replaced_by.number)] if doc.replaced_by else []
        refs += [("amended_by", c.by) for c in doc.amended_by]
        for field_name, r in refs:
            if norm_number(r) not in docs:
                problems.append(_err(shown(files[key]), _key_line(doc, field_name), "registry_unknown_reference", number=doc.number, ref=r))
    problems += check_relations(docs, files, shown)
    if problems:
        raise RegistryError(None, problems)
    return Registry(docs, files)


def _err(path: str, line: int, code: str, **params) -> Finding:
    """A registry problem at a file and line, in the reader's language (dates as written in the file)."""
    return Finding(path, line, 1, "error", code, {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()})


def _key_line(doc: Document, *loc) -> int:
    text = getattr(doc, "_text", "")
    return locate(text, loc) if text else 1


RUNNING = ("còn hiệu lực", "hết hiệu lực một phần", "chưa có hiệu lực", "ngưng hiệu lực một phần")


def check_relations(docs: dict[str, Document], files: dict[str, Path], shown, today: Optional[dt.date] = None) -> list[Finding]:
    """Relations and dates that each file alone cannot check, and dates that contradict each other:

    - `replaced_by` names another document, which is not older (signed and effective no earlier),
      and takes over on this document's `end` date; no chain of successors comes back to a document
      (A replaced by B replaced by A);
    - the status agrees with the dates on the day of the check: a document whose `end` has passed is
      not 'còn hiệu lực' (or 'chưa có hiệu lực'), one marked 'hết hiệu lực toàn bộ' has ended, and
      one 'chưa có hiệu lực' has not started;
    - it is not signed after it took effect, and the year in its number is the year it was signed."""
    from lawsite.core.paths import build_date

    today = today or build_date()
    out: list[Finding] = []
    for key, doc in docs.items():
        where = shown(files[key])
        rb = doc.replaced_by
        if rb is not None:
            def line(doc=doc):  # the line only when a message needs it (locate composes the whole file)
                return _key_line(doc, "replaced_by", "number")
            succ = docs.get(norm_number(rb.number))
            if norm_number(rb.number) == key:
                out.append(_err(where, line(), "registry_replaced_by_itself", number=doc.number))
            elif succ is not None:
                if (succ.effective and doc.effective and succ.effective < doc.effective) or \
                        (succ.signed and doc.signed and succ.signed < doc.signed):
                    out.append(_err(where, line(), "registry_older_successor", number=doc.number, successor=succ.number,
                                    successor_signed=succ.signed or "—", successor_effective=succ.effective or "—",
                                    effective=doc.effective or "—"))
            if doc.end is None:
                out.append(_err(where, _key_line(doc, "replaced_by"), "registry_successor_no_end", number=doc.number))
            elif rb.date != doc.end:
                out.append(_err(where, _key_line(doc, "replaced_by", "date"), "registry_successor_date", date=rb.date, end=doc.end))
        if doc.signed and doc.effective and doc.signed > doc.effective:  # effective None: unknown
            out.append(_err(where, _key_line(doc, "signed"), "registry_signed_after_effective", number=doc.number,
                            signed=doc.signed, effective=doc.effective))
        m = re.search(r"/((?:19|20)\d\d)/", doc.number)
        if m and doc.signed and int(m.group(1)) != doc.signed.year:
            out.append(_err(where, _key_line(doc, "signed"), "registry_number_year", number=doc.number, year=m.group(1), signed=doc.signed))
        def st_line(doc=doc):
            return _key_line(doc, "status")
        if doc.end is not None and doc.end <= today and doc.status in RUNNING:
            out.append(_err(where, st_line(), "registry_status_ended", status=doc.status, end=doc.end, today=today))
        # (no check of 'hết hiệu lực toàn bộ' with an end still to come: `lawsite impact` and the tests
        # run the registry as of an earlier date, where a recorded end is legitimately in the future)
        if doc.status == "chưa có hiệu lực" and doc.effective and doc.effective <= today:
            out.append(_err(where, st_line(), "registry_status_not_yet", effective=doc.effective))
    # cycles of successors
    reported: set[str] = set()
    for key, doc in docs.items():
        chain, cur = [key], doc
        while cur is not None and cur.replaced_by is not None:
            nxt = norm_number(cur.replaced_by.number)
            if nxt == chain[-1]:  # replaced by itself: reported above
                break
            if nxt in chain:
                cycle = chain[chain.index(nxt):]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    names = " -> ".join(docs[k].number for k in cycle + [nxt])
                    out.append(_err(where_of(files, key, shown), _key_line(doc, "replaced_by", "number"), "registry_successor_cycle", chain=names))
                break
            chain.append(nxt)
            cur = docs.get(nxt)
    return out


def where_of(files, key, shown) -> str:
    return shown(files[key])
