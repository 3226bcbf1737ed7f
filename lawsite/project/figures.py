"""Figures (fines, fees, time limits) live once in data/figures/*.yaml and are written into pages
through one syntax, ``{{ key }}`` (or ``{{ key.min }}`` / ``{{ key.max }}`` for a range), rendered
in the page's language from the same integers."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, StrictInt, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from lawsite.core.findings import Finding
from lawsite.core.l10n import format_date, format_number
from lawsite.core.settings import DataError, read_yaml, validation_findings

Kind = Literal["vnd", "vnd_range", "usd", "usd_range", "days", "working_days", "hours", "months", "years",
               "percent", "count", "days_range", "date"]

FIGURE_RE = re.compile(r"\{\{\s*(?P<key>[A-Za-z0-9_\-]+)(?:\.(?P<part>min|max))?\s*\}\}")
KEY_RE = re.compile(r"^[a-z0-9_]+$")



# Plausible bounds of each kind of figure, inclusive. They catch a slip of the keyboard (a negative
# amount, a 10^29 fine, three zeros too many), not a wrong figure within the range:
# - fines (keys fine_… or …_fine…): the highest fines in this field are VND 40 million for an individual
#   and 80 million for an organisation (Decree 282/2025/NĐ-CP, Art. 5) and VND 50 million as an
#   additional penalty under the Penal Code (Art. 347-349): 10^9 leaves a margin of more than 10x;
# - other VND amounts (fees, investment capital thresholds of visa types ĐT1-ĐT4, gains in the Penal
#   Code): the largest is VND 100 billion (ĐT1 capital); 10^13 leaves 100x; the smallest banknote
#   in use is VND 1,000;
# - USD: visa fees are at most a few hundred USD (Circular 62/2023/TT-BTC): 1-10,000;
# - time limits: days up to 10 years (the longest residence card), working days up to a year, hours
#   up to 30 days, months up to 20 years, years up to 100 (prison terms reach 20 years);
# - percent 0-100; counts 1-10^7.
BOUNDS = {
    "fine": (1_000, 1_000_000_000),
    "vnd": (1_000, 10_000_000_000_000),
    "usd": (1, 10_000),
    "days": (1, 3_650),
    "working_days": (1, 365),
    "hours": (1, 720),
    "months": (1, 240),
    "years": (1, 100),
    "percent": (0, 100),
    "count": (1, 10_000_000),
}


def is_fine(key: str) -> bool:
    return key.startswith("fine_") or "_fine" in key


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    value: Optional[StrictInt | dt.date] = None  # a date only for kind 'date' (YAML 2026-08-15)
    min: Optional[StrictInt] = None
    max: Optional[StrictInt] = None
    source: str  # the citation this figure comes from, checked like any citation
    # required (mends8): VT = read in a text of /work/shared/legal-texts/, SS = a secondary source
    # (publishable with verified_source), UM = unverified (never published); no default, so a figure
    # whose origin nobody wrote down is an error at its line, never silently "checked"
    confidence: Literal["VT", "SS", "UM"]
    verified_source: Optional[str] = None
    note: Optional[str] = None

    @field_validator("value", "min", "max", mode="before")
    @classmethod
    def _number(cls, v):
        if isinstance(v, bool):  # YAML reads yes/no/true/false/on/off as booleans
            raise PydanticCustomError("lawsite_bool_number", "a number, not true/false", {})
        if v is not None and not isinstance(v, (int, dt.date)):  # before the int|date union: one plain message
            raise PydanticCustomError("int_type", "Input should be a valid integer", {})
        return v

    @field_validator("value", "min", "max")
    @classmethod
    def _plausible(cls, v, info: ValidationInfo):
        if v is None or isinstance(v, dt.date):  # dates: kind 'date' only, checked in _shape
            return v
        kind = str((info.data or {}).get("kind", "")).replace("_range", "")
        key = (info.context or {}).get("key", "")
        low, high = BOUNDS["fine" if kind == "vnd" and is_fine(key) else kind] if kind in BOUNDS else (0, 10 ** 15)
        if v < 0 or (v == 0 and low > 0):
            raise PydanticCustomError("lawsite_nonneg", "positive", {})
        if not low <= v <= high:
            raise PydanticCustomError("lawsite_implausible", "implausible",
                                      {"value": format_number(v, "en"), "kind": ("fine" if is_fine(key) and kind == "vnd" else kind),
                                       "low": format_number(low, "en"), "high": format_number(high, "en")})
        return v

    @model_validator(mode="after")
    def _shape(self):
        if self.kind.endswith("_range"):
            if self.min is None or self.max is None or self.value is not None:
                raise PydanticCustomError("lawsite_shape_range", "needs min and max", {"kind": self.kind})
            if self.min > self.max:
                raise PydanticCustomError("lawsite_min_max", "min > max", {"min": self.min, "max": self.max})
        elif self.value is None or self.min is not None or self.max is not None:
            raise PydanticCustomError("lawsite_shape_value", "needs value", {"kind": self.kind})
        if (self.kind == "date") != isinstance(self.value, dt.date):
            raise PydanticCustomError("lawsite_date_kind", "a date figure needs 'value' written YEAR-MONTH-DAY; other figures need a whole number", {"kind": self.kind})
        return self

    @property
    def publishable(self) -> bool:
        return self.confidence == "VT" or (self.confidence == "SS" and bool(self.verified_source))


def _format(lang: str) -> dict:
    """How figures are written in `lang` (lawsite/labels.yaml figure_format): a new language is data."""
    from lawsite.core.l10n import labels

    return labels()["figure_format"][lang]


def render_figure(fig: Figure, lang: str, part: Optional[str] = None) -> str:
    kind = fig.kind
    base = kind.replace("_range", "")
    fmt = _format(lang)
    if kind.endswith("_range"):
        if part in ("min", "max"):
            return render_figure(Figure(kind=base, value=getattr(fig, part), source=fig.source, confidence=fig.confidence), lang)
        if base in ("vnd", "usd"):
            return fmt[kind].format(lo=format_number(fig.min, lang), hi=format_number(fig.max, lang))
        return fmt["time_range"].format(lo=fig.min, hi=fig.max, unit=fmt["units"][base][1])
    if part:
        raise KeyError(part)
    v = fig.value
    if kind == "date":
        return format_date(v, lang)
    if kind in ("vnd", "usd"):
        return fmt[kind].format(n=format_number(v, lang))
    if kind == "percent":
        return fmt["percent"].format(v=v)
    if kind == "count":
        return format_number(v, lang)
    one, other = fmt["units"][kind]
    return fmt["time"].format(v=v, unit=one if v == 1 else other)


@dataclass
class Figures:
    items: dict[str, Figure]
    files: dict[str, Path]

    def get(self, key: str) -> Optional[Figure]:
        return self.items.get(key)


class FiguresError(DataError):
    pass


FIGURE_FIELDS = list(Figure.model_fields)


def load_figures(folder: Path, root: Optional[Path] = None) -> Figures:
    """Every data/figures/*.yaml; FiguresError listing every problem (file:line, both languages)."""
    from lawsite.core.paths import shown_path

    items: dict[str, Figure] = {}
    files: dict[str, Path] = {}
    problems: list[Finding] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        shown = shown_path(path, root) if root else path.as_posix()
        try:
            data, text = read_yaml(path, shown)
        except DataError as e:
            problems += e.findings
            continue
        data = {} if data is None else data
        if not isinstance(data, dict):
            problems.append(Finding(shown, 1, 1, "error", "data_not_mapping",
                                    {"got": type(data).__name__, "example": "fine_x:\\n  kind: vnd\\n  value: 500000\\n  source: \"…\""}))
            continue
        lines = text.splitlines()
        for key, raw in data.items():
            line = next((i + 1 for i, l in enumerate(lines) if l.startswith(f"{key}:")), 1)
            if not KEY_RE.match(str(key)):
                problems.append(Finding(shown, line, 1, "error", "fig_bad_value", {"key": key, "detail": _L("val_fig_key"), "hint": ""}))
                continue
            if key in items:
                problems.append(Finding(shown, line, 1, "error", "fig_bad_value",
                                        {"key": key, "detail": _L("val_fig_twice", where=shown_path(files[key], root) if root else files[key]), "hint": ""}))
                continue
            try:
                items[key] = Figure.model_validate(raw, context={"key": key})
                files[key] = path
            except ValidationError as e:
                for f in validation_findings(shown, text, _Keyed(e, key), known={(key,): FIGURE_FIELDS}):
                    if f.code == "data_bad_value" and f.params.get("key") == f"{key}.confidence":  # mends8
                        has = isinstance(raw, dict) and "confidence" in raw
                        f.code = "fig_confidence_bad" if has else "fig_confidence_missing"
                        f.line = f.line if has else line
                        f.params = {"key": key, "got": repr(raw.get("confidence")) if has else ""}
                    elif f.code == "data_bad_value":
                        f.code = "fig_bad_value"
                        f.params = {"key": key, "detail": _field_detail(f.params), "hint": ""}
                    problems.append(f)
    if problems:
        raise FiguresError(problems)
    return Figures(items, files)


def _L(code, **kw):
    from lawsite.core.settings import L

    return L(code, **kw)


def _field_detail(params: dict):
    """'value' must be …: the field name (after the figure key) in front of the phrase."""
    from lawsite.core.findings import Localized

    field = params["key"].split(".", 1)[1] if "." in params["key"] else ""
    d = params["detail"]
    return Localized(**{l: (f"'{field}' {d[l]}" if field else d[l]) for l in ("vi", "en")})


class _Keyed:
    def __init__(self, err: ValidationError, key: str):
        self._err, self._key = err, key

    def errors(self):
        out = []
        for e in self._err.errors():
            extra = ("min",) if e["type"] == "lawsite_min_max" else ()
            out.append({**e, "loc": (self._key, *e["loc"], *extra)})
        return out


# A VND amount typed by hand (outside the {{ }} syntax): digits with thousands separators
# followed by đồng/VND/đ, or VND followed by digits.
# Linear time: a start inside a run of digit groups is skipped when the group before it could start
# the same match (that earlier attempt covers it, whether it succeeds or fails); without this, 40 KB
# of "1.000.000…" took 8 s (each group re-scanned the rest of the run).
_NOT_INSIDE = (r"(?:(?!\d{3})|"
               r"(?<!(?<![\w{])\d[.,\u00a0 ])(?<!(?<![\w{])\d\d[.,\u00a0 ])(?<!(?<![\w{])\d\d\d[.,\u00a0 ]))")
RAW_AMOUNT_RE = re.compile(
    r"(?<![\w{])" + _NOT_INSIDE + r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:\s*(?:-|–|đến|to)\s*\d{1,3}(?:[.,\u00a0 ]\d{3})+)?\s*(?:đồng|VNĐ|VND|đ\b)"
    r"|\b(?:VND|VNĐ)\s*\d{1,3}(?:[.,]\d{3})+"
    r"|\b\d+\s*(?:triệu|nghìn|ngàn)\s*(?:đồng|VND)"
    r"|\b(?:USD|US\$)\s*\d+|\b\d+\s*USD\b",
    re.I,
)


def fill_figures(text: str, figures: "Figures", lang: str) -> str:
    """Every {{ key }} / {{ key.min }} in `text` rendered from `figures` in `lang`; a figure that is
    unknown, not publishable or has no such part is left as written (the checker reports it)."""
    def fig(m):
        f = figures.get(m.group("key"))
        if f is None or not f.publishable:
            return m.group(0)
        try:
            return render_figure(f, lang, m.group("part"))
        except KeyError:
            return m.group(0)

    return FIGURE_RE.sub(fig, text)
