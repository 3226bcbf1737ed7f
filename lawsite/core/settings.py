"""data/site.yaml (the deploying province's settings) and data/glossary.yaml, validated by pydantic
models, plus what every data-file check shares: `DataError` (findings, printed as `file:line:col:
error: message` in the reader's language, never a traceback) and `describe_error` (a pydantic error
in words, from lawsite/messages/<lang>.yaml).

To add a setting: add one field to `SiteSettings` (or `Province`) with its type — `Text`,
`BilingualText`, `HttpsUrl`, `ZaloUrl`, `Phone`, `Email`, `Switch` — and a default, and document it
in data/site.yaml. Unknown keys are refused (a typo must not silently disable a setting)."""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError
from pydantic_core import PydanticCustomError

from lawsite.core.errors import LawsiteError
from lawsite.core.findings import Finding, Localized, catalogue
from lawsite.core.yamlio import StrictYAMLError, YAMLError, error_position, load, locate

LANGS = ("vi", "en")


# --- errors ------------------------------------------------------------------------------------
class DataError(LawsiteError):
    """Problems in data files, as findings. str() uses LAWSITE_LANG (default vi); the CLI calls
    render(lang) with its --lang."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(self.render())

    def render(self, lang: Optional[str] = None) -> str:
        lang = lang or os.environ.get("LAWSITE_LANG", "vi")
        return "\n".join(f.format(lang) for f in self.findings)

    def __str__(self) -> str:
        return self.render()


def L(code: str, **params) -> Localized:
    """The text of a message code in every language, with its parameters filled in."""
    out = {}
    for lang in LANGS:
        entry = catalogue(lang).get(code) or {"msg": code}
        vals = {k: (v.get(lang) if isinstance(v, Localized) else v) for k, v in params.items()}
        try:
            out[lang] = entry["msg"].format(**vals)
        except (KeyError, IndexError, ValueError):
            out[lang] = entry["msg"]
    return Localized(**out)


def describe_error(err: dict) -> Localized:
    """A pydantic error (one item of ValidationError.errors()) as a short phrase in each language."""
    t = err.get("type", "")
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    got = err.get("input")
    got_s = type(got).__name__ if isinstance(got, (dict, list)) else repr(got)
    known = {
        "string_type": "val_text", "str_type": "val_text", "bool_type": "val_bool", "bool_parsing": "val_bool",
        "int_type": "val_int", "int_parsing": "val_int", "int_from_float": "val_int", "list_type": "val_list",
        "dict_type": "val_mapping", "model_type": "val_mapping", "model_attributes_type": "val_mapping",
        "date_type": "val_date", "date_parsing": "val_date", "date_from_datetime_inexact": "val_date",
        "date_from_datetime_parsing": "val_date", "literal_error": "val_literal", "missing": "val_missing",
        "extra_forbidden": "val_unknown_key", "greater_than": "val_greater", "greater_than_equal": "val_greater_equal",
        "less_than_equal": "val_less_equal", "string_too_short": "val_empty", "too_short": "val_empty",
    }
    if t in known:
        return L(known[t], got=got_s, **ctx)
    if t.startswith("lawsite_"):  # PydanticCustomError raised by our validators: the code is the message key
        return L("val_" + t[len("lawsite_"):], got=got_s, **ctx)
    return Localized(vi=err.get("msg", t), en=err.get("msg", t))


def loc_text(loc) -> str:
    return ".".join(str(p) for p in loc)


def validation_findings(path: str, text: str, err: ValidationError, *, line_offset: int = 0,
                        code: str = "data_bad_value", known: Optional[dict] = None) -> list[Finding]:
    """One finding per pydantic error, at the line of the key it names. known: loc prefix -> list
    of the keys allowed there, for 'did you mean' on unknown keys."""
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p in ("function-after", "function-plain")))
        line = locate(text, loc) + line_offset
        if e["type"] == "extra_forbidden":
            key = str(loc[-1]) if loc else "?"
            allowed = (known or {}).get(loc[:-1], [])
            m = difflib.get_close_matches(key, allowed, n=1)
            out.append(Finding(path, line, 1, "error", code.replace("bad_value", "unknown_key"),
                               {"key": loc_text(loc), "suggestion": L("val_suggest", key=m[0]) if m else "",
                                "allowed": ", ".join(allowed)}))
            continue
        out.append(Finding(path, line, 1, "error", code, {"key": loc_text(loc) or "(file)", "detail": describe_error(e)}))
    return out


def read_yaml(path: Path, shown: str, *, what: str = "data") -> tuple[Any, str]:
    """Read and parse a contributor's YAML file strictly; DataError with file:line on any problem."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError([Finding(shown, 1, 1, "error", "data_not_utf8", {"offset": e.start})])
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff")).replace("\r\n", "\n")
    try:
        return load(text), text
    except YAMLError as e:
        raise DataError([yaml_finding(shown, e)])


def yaml_finding(shown: str, e: Exception, line_offset: int = 0, prefix: str = "data") -> Finding:
    """A YAML error as a finding: duplicate keys and aliases get their own message."""
    line, col, problem = error_position(e)
    line = max(line, 1) + line_offset
    col = max(col, 1)
    code = getattr(e, "code", None) if isinstance(e, StrictYAMLError) else None
    if code == "duplicate_key":
        m = re.search(r"key '(.*)' is written twice .*line (\d+)", problem)
        return Finding(shown, line, col, "error", f"{prefix}_duplicate_key",
                       {"key": m.group(1) if m else "?", "first": int(m.group(2)) + line_offset if m else "?"})
    if code == "bad_date":
        m = re.search(r"'(.*)' is not a real date", problem)
        return Finding(shown, line, col, "error", f"{prefix}_yaml", {"detail": L("val_real_date", value=m.group(1) if m else "?")})
    if code in ("alias", "anchor", "merge"):
        return Finding(shown, line, col, "error", f"{prefix}_yaml_alias", {})
    return Finding(shown, line, col, "error", f"{prefix}_yaml", {"detail": problem})


# --- field types -------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _plain(v: str) -> str:
    v = unicodedata.normalize("NFC", v)
    m = _CONTROL.search(v)
    if m:
        raise PydanticCustomError("lawsite_control_char", "invisible or control character", {"char": f"U+{ord(m.group(0)):04X}"})
    if "<" in v or ">" in v:
        raise PydanticCustomError("lawsite_markup", "no markup", {})
    return v.strip()


def _https(v: str) -> str:
    v = _plain(v)
    if v and not re.fullmatch(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s\"'<>`\\]*)?", v):
        raise PydanticCustomError("lawsite_https", "https only", {"value": v})
    return v


def _zalo(v: str) -> str:
    v = _https(v)
    if v and not re.fullmatch(r"https://zalo\.me/[A-Za-z0-9._~%-]+/?", v):
        raise PydanticCustomError("lawsite_zalo", "zalo.me only", {"value": v})
    return v


def _phone(v: str) -> str:
    v = _plain(v)
    if v and not re.fullmatch(r"\+?[0-9][0-9 .()-]{1,30}", v):
        raise PydanticCustomError("lawsite_phone", "phone", {"value": v})
    return v


def _email(v: str) -> str:
    v = _plain(v)
    if v and not re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", v):
        raise PydanticCustomError("lawsite_email", "email", {"value": v})
    return v


Text = Annotated[StrictStr, AfterValidator(_plain)]
HttpsUrl = Annotated[StrictStr, AfterValidator(_https)]  # "" (not set) or https://host/...
ZaloUrl = Annotated[StrictStr, AfterValidator(_zalo)]  # "" or https://zalo.me/...
Phone = Annotated[StrictStr, AfterValidator(_phone)]
Email = Annotated[StrictStr, AfterValidator(_email)]
Switch = StrictBool  # a feature switch: true or false, nothing else


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BilingualText(_Strict):
    vi: Text = ""
    en: Text = ""


class Province(_Strict):
    """The deploying provincial police's own channels; every value empty in the repository."""

    name: BilingualText = Field(default_factory=BilingualText)
    police_name: BilingualText = Field(default_factory=BilingualText)
    zalo_url: ZaloUrl = ""
    hotline: Phone = ""
    email: Email = ""
    address: BilingualText = Field(default_factory=BilingualText)
    office_hours: BilingualText = Field(default_factory=BilingualText)


class SiteSettings(_Strict):
    province: Province = Field(default_factory=Province)
    report_url: HttpsUrl = ""  # empty: the "report a mistake" link goes to ho-tro/
    # public-service interface (issue 14; read by lawsite/build/deploy.py and hooks/ui.py)
    short_name: BilingualText = Field(default_factory=BilingualText)  # site name on phones
    show_edit_link: StrictBool = False
    show_repo_link: StrictBool = False
    show_made_with: StrictBool = False


def _fields(model) -> list[str]:
    return list(model.model_fields)


SITE_KEYS = {(): _fields(SiteSettings), ("province",): _fields(Province)}
for _k in ("name", "police_name", "address", "office_hours"):
    SITE_KEYS[("province", _k)] = list(LANGS)
SITE_KEYS[("short_name",)] = list(LANGS)


def load_settings(path: Path, shown: str) -> dict:
    """data/site.yaml as a plain dict (what templates and hooks read), after validation."""
    if not path.is_file():
        return SiteSettings().model_dump()
    data, text = read_yaml(path, shown)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError([Finding(shown, 1, 1, "error", "data_not_mapping", {"got": type(data).__name__, "example": "province:\\n  name: {vi: …, en: …}"})])
    try:
        return SiteSettings.model_validate(data).model_dump()
    except ValidationError as e:
        raise DataError(validation_findings(shown, text, e, known=SITE_KEYS))


# --- glossary ------------------------------------------------------------------------------------
class GlossaryEntry(_Strict):
    vi: Text = Field(min_length=1)
    en: Text = Field(min_length=1)
    variants_en: list[Text] = Field(default_factory=list)
    cite: Optional[Text] = None


def load_glossary(path: Path, shown: str) -> list[dict]:
    if not path.is_file():
        return []
    data, text = read_yaml(path, shown)
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataError([Finding(shown, 1, 1, "error", "data_not_list", {"got": type(data).__name__, "example": '- {vi: "hộ chiếu", en: "passport", variants_en: []}'})])
    out, problems = [], []
    for i, raw in enumerate(data):
        try:
            out.append(GlossaryEntry.model_validate(raw).model_dump())
        except ValidationError as e:
            problems += validation_findings(shown, text, _prefixed(e, i), known={(i,): _fields(GlossaryEntry)})
    if problems:
        raise DataError(problems)
    return out


class _Prefixed:
    """A ValidationError whose locations start with a list index (validate_python on one item)."""

    def __init__(self, err: ValidationError, prefix):
        self._err, self._prefix = err, prefix

    def errors(self):
        return [{**e, "loc": (self._prefix, *e["loc"])} for e in self._err.errors()]


def _prefixed(err: ValidationError, i: int):
    return _Prefixed(err, i)
