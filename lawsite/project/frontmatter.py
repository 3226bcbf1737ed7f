"""The front matter schema of a contributor's page (pydantic), used by page.check_front_matter.

A page may set only the keys listed in `FrontMatter`; `template`, `registry`, `generated`,
`lawsite_*` and the values the hooks compute are reserved for the generator. Two pages are produced
by the generator from a contributor's stub and may keep their reserved key:

- a legal document's page, docs/van-ban/<slug>.md and .en.md (written by `lawsite new document`),
  says `registry: "<number>"`; only the file whose name is that document's slug may say it;
- the staff status page docs/gioi-thieu/trang-thai.md (.en.md) says `generated: staff-status`.

Every error is a Finding at the line of the key, in Vietnamese and English (lawsite/messages)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, ValidationError
from pydantic_core import PydanticCustomError
from typing_extensions import Annotated

from lawsite.core.findings import Finding, Localized
from lawsite.core.l10n import as_date
from lawsite.core.settings import L, Text, _CONTROL, HttpsUrl, describe_error, loc_text
from lawsite.core.yamlio import locate

# generated pages: value of `generated:` -> the only docs-relative stem allowed to carry it
GENERATED = {"staff-status": "gioi-thieu/trang-thai"}
RESERVED = {"template", "registry", "generated", "last_reviewed_iso", "last_reviewed_display", "report_url"}
RESERVED_PREFIXES = ("lawsite_",)
HIDE = ("toc", "navigation")


def _card_text(v: str) -> str:
    m = _CONTROL.search(v)
    if m:
        raise PydanticCustomError("lawsite_control_char", "control", {"char": f"U+{ord(m.group(0)):04X}"})
    if "<" in v or ">" in v:
        raise PydanticCustomError("lawsite_markup", "markup", {})
    return v


def _hex(v: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{6,64}", v):
        raise PydanticCustomError("lawsite_hex", "hex", {"value": v})
    return v


CardText = Annotated[StrictStr, AfterValidator(_card_text)]
def _one_or_many(v):
    """A single text where a list is allowed: validate it as a list of one (one message, not two)."""
    return [v] if isinstance(v, str) else v


CardValue = Annotated[list[CardText], BeforeValidator(_one_or_many)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Card(_Strict):
    """procedure: the card at the top of a procedure page (page.CARD_KEYS)."""

    for_: Optional[CardValue] = Field(default=None, alias="for")
    where: Optional[CardValue] = None
    online: Optional[HttpsUrl] = None
    papers: Optional[CardValue] = None
    time_limit: Optional[CardValue] = None
    fee: Optional[CardValue] = None
    result: Optional[CardValue] = None
    legal_basis: Optional[CardValue] = None


class Search(_Strict):
    exclude: StrictBool = False


class FrontMatter(_Strict):
    """Keys a contributor's page may use. title/description/last_reviewed are required; their
    absence and the dates are reported by page.check_front_matter with their own messages."""

    title: Optional[Text] = None
    description: Optional[Text] = None
    last_reviewed: Any = None  # a date: checked by check_front_matter (fm_bad_date, fm_future_date)
    documents: Optional[Annotated[list[StrictStr], BeforeValidator(_one_or_many)]] = None  # registry numbers
    procedure: Optional[Card] = None
    changes: Any = None  # page history: checked by changes.check_changes
    faq: Optional[StrictBool] = None  # a Q&A page (FAQ structured data)
    date: Optional[dt.date] = None  # a news item's date
    hide: Optional[list[Literal[HIDE]]] = None  # Material: hide the table of contents / navigation
    search: Optional[Search] = None
    tool: Optional[Literal["overstay", "penalty", "visa"]] = None  # an answer tool under docs/cong-cu/ (lawsite.core.security.TOOLS)
    source_hash: Optional[Annotated[StrictStr, AfterValidator(_hex)]] = None  # English pages: lawsite translations --mark-current
    registry: Optional[StrictStr] = None  # generated document pages only
    generated: Optional[Literal[tuple(GENERATED)]] = None  # the staff status page only


EXAMPLES = {
    "title": "title: Cấp hộ chiếu phổ thông", "description": "description: Một câu tóm tắt trang.",
    "documents": 'documents: ["49/2019/QH14"]', "faq": "faq: true", "date": "date: 2026-11-22",
    "hide": "hide: [toc]", "search": "search: {exclude: true}", "procedure": "procedure: {for: …, where: …, fee: …}",
    "source_hash": "lawsite translations --mark-current docs/x.en.md", "generated": "generated: staff-status",
    "registry": 'registry: "49/2019/QH14"', "tool": "tool: overstay",
}
ALLOWED = [k for k in FrontMatter.model_fields if k not in RESERVED]
KNOWN = {(): ALLOWED, ("procedure",): ["for" if k == "for_" else k for k in Card.model_fields], ("search",): ["exclude"]}


def docs_src(path: str) -> str:
    """docs-relative path of a page from the path messages show (docs/x.md -> x.md)."""
    return path[len("docs/"):] if path.startswith("docs/") else path


def _line(yaml_text: str, loc) -> int:
    return locate(yaml_text, loc) + 1  # the YAML starts on the file's second line


def is_reserved(key: str) -> bool:
    return key in RESERVED or key.startswith(RESERVED_PREFIXES)


def refused_keys(path: str, meta: dict, project) -> list:
    """The reserved keys a contributor's page sets without being the generated page that may: the
    build drops them from the page's metadata (so `template: 404.html` or `lawsite_jsonld` never
    reach a template, even in a non-strict build) and the check reports them (fm_reserved_key)."""
    src = docs_src(path)
    stem = src[:-len(".en.md")] if src.endswith(".en.md") else src[:-len(".md")] if src.endswith(".md") else src
    out = []
    for key in list(meta or {}):
        k = str(key)
        if k == "registry":
            doc = project.registry.get(str(meta[key])) if meta[key] is not None else None
            if doc is not None and stem == f"van-ban/{doc.slug}":
                continue
            out.append(key)
        elif k == "generated":
            if GENERATED.get(str(meta[key])) == stem:
                continue
            out.append(key)
        elif is_reserved(k):
            out.append(key)
    return out


def schema_findings(path: str, yaml_text: str, meta: dict, project) -> list[Finding]:
    """Unknown and reserved keys, and the type of every value."""
    out: list[Finding] = []
    src = docs_src(path)
    stem = src[:-len(".en.md")] if src.endswith(".en.md") else src[:-len(".md")] if src.endswith(".md") else src
    for key in list(meta):
        k = str(key)
        if k == "registry":
            doc = project.registry.get(str(meta[key])) if meta[key] is not None else None
            if doc is None or stem == f"van-ban/{doc.slug}":
                continue  # an unknown number is reported as registry_page_unknown
            out.append(Finding(path, _line(yaml_text, (key,)), 1, "error", "fm_reserved_key",
                               {"key": f"registry: {meta[key]}", "where": L("fm_where_registry", page=f"docs/van-ban/{doc.slug}.md")}))
        elif k == "generated":
            allowed = GENERATED.get(str(meta[key]))
            if allowed is None or stem == allowed:
                continue  # an unknown value is reported by the schema below
            out.append(Finding(path, _line(yaml_text, (key,)), 1, "error", "fm_reserved_key",
                               {"key": f"generated: {meta[key]}", "where": L("fm_where_generated", page=f"docs/{allowed}.md")}))
        elif is_reserved(k):
            out.append(Finding(path, _line(yaml_text, (key,)), 1, "error", "fm_reserved_key",
                               {"key": k, "where": L("fm_where_reserved")}))
    clean = {k: v for k, v in meta.items() if not (isinstance(k, str) and is_reserved(k) and k not in ("registry", "generated"))}
    try:
        FrontMatter.model_validate(clean)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple("for" if p == "for_" else p for p in err["loc"])
            line = _line(yaml_text, loc)
            if err["type"] == "extra_forbidden":
                key = str(loc[-1])
                allowed = KNOWN.get(loc[:-1], [])
                m = difflib.get_close_matches(key, allowed, n=1)
                out.append(Finding(path, line, 1, "error", "fm_unknown_key",
                                   {"key": loc_text(loc), "suggestion": L("val_suggest", key=m[0]) if m else "",
                                    "allowed": ", ".join(allowed)}))
                continue
            top = str(loc[0]) if loc else ""
            ex = EXAMPLES.get(top, "")
            hint = Localized(vi=("Ví dụ: " + ex) if ex else "", en=("For example: " + ex) if ex else "")
            out.append(Finding(path, line, 1, "error", "fm_bad_value", {"key": loc_text(loc), "detail": describe_error(err), "key_hint": hint}))
    return out


def documents_findings(path: str, meta: dict, citations) -> list[Finding]:
    """A page that cites law must list its main documents (`documents:`): the list is what shows
    the legal disclaimer and the page's legal basis."""
    if meta.get("documents") or meta.get("registry") or meta.get("generated"):
        return []
    numbers = sorted({c.document.number for c in citations if getattr(c, "document", None) is not None})
    if not numbers:
        return []
    return [Finding(path, 1, 1, "error", "fm_cites_without_documents", {"numbers": ", ".join(numbers), "first": numbers[0]})]


# `changes:` (page history) entries
EXAMPLE = 'changes:\n  - {date: 2026-11-22, note: "…"}'


def _item_lines(yaml_text: str) -> list[int]:
    """Line numbers (file lines, front matter starts on line 2) of the items under `changes:`."""
    lines = yaml_text.split("\n")
    out, inside, indent = [], False, 0
    for i, line in enumerate(lines):
        if re.match(r"^changes\s*:", line):
            inside = True
            continue
        if inside:
            if line.strip() and not line[:1].isspace() and not line.startswith("-"):
                break
            m = re.match(r"^(\s*)-\s", line)
            if m and (not out or len(m.group(1)) == indent):
                indent = len(m.group(1))
                out.append(i + 2)
    return out


def check_changes(path: str, yaml_text: str, meta: dict, today: dt.date) -> list[Finding]:
    """Validate `changes:`: a list of {date: YYYY-MM-DD, note: "…"}; dates valid and not in the future."""
    if "changes" not in meta or meta["changes"] is None:
        return []
    changes = meta["changes"]
    m = re.search(r"^changes\s*:", yaml_text or "", re.M)
    base_line = (yaml_text.count("\n", 0, m.start()) + 2) if m else 1
    if not isinstance(changes, list):
        return [Finding(path, base_line, 1, "error", "fm_changes_not_list", {"example": EXAMPLE})]
    lines = _item_lines(yaml_text or "")
    out = []
    clean = []
    for i, item in enumerate(changes):
        line = lines[i] if i < len(lines) else base_line
        if not isinstance(item, dict):
            out.append(Finding(path, line, 1, "error", "fm_changes_not_list", {"example": EXAMPLE}))
            continue
        raw = item.get("date")
        d = as_date(raw)
        if d is None:
            out.append(Finding(path, line, 1, "error", "fm_changes_bad_date", {"value": "" if raw is None else str(raw)}))
        if isinstance(d, dt.date) and d > today:
            out.append(Finding(path, line, 1, "error", "fm_changes_future", {"value": d.isoformat()}))
        note = item.get("note")
        if not isinstance(note, str) or not note.strip():
            out.append(Finding(path, line, 1, "error", "fm_changes_no_note", {}))
        elif isinstance(d, dt.date):
            clean.append({"date": d, "note": note.strip()})
    if not out:
        meta["changes"] = clean
    return out
