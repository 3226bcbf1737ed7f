"""Figures (fines, fees, time limits) live once in data/figures/*.yaml and are written into pages
through one syntax, ``{{ key }}`` (or ``{{ key.min }}`` / ``{{ key.max }}`` for a range), rendered
in the page's language from the same integers."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

import yaml

from .yamlio import load as _yload
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .errors import LawsiteError
from .l10n import format_date, format_number

Kind = Literal["vnd", "vnd_range", "usd", "usd_range", "days", "working_days", "hours", "months", "years",
               "percent", "count", "days_range", "date"]

FIGURE_RE = re.compile(r"\{\{\s*(?P<key>[A-Za-z0-9_\-]+)(?:\.(?P<part>min|max))?\s*\}\}")
KEY_RE = re.compile(r"^[a-z0-9_]+$")

UNITS = {
    # kind: (vi singular/plural, en singular, en plural)
    "days": ("ngày", "day", "days"),
    "working_days": ("ngày làm việc", "working day", "working days"),
    "hours": ("giờ", "hour", "hours"),
    "months": ("tháng", "month", "months"),
    "years": ("năm", "year", "years"),
}


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    value: Optional[int | dt.date] = None  # a date only for kind 'date' (YAML 2026-08-15)
    min: Optional[int] = None
    max: Optional[int] = None
    source: str  # the citation this figure comes from, checked like any citation
    confidence: Literal["VT", "SS", "UM"] = "VT"
    verified_source: Optional[str] = None
    note: Optional[str] = None

    @model_validator(mode="after")
    def _shape(self):
        if self.kind.endswith("_range"):
            if self.min is None or self.max is None or self.value is not None:
                raise ValueError(f"a {self.kind} figure needs 'min' and 'max' (and no 'value')")
            if self.min > self.max:
                raise ValueError("'min' is larger than 'max'")
        elif self.value is None or self.min is not None or self.max is not None:
            raise ValueError(f"a {self.kind} figure needs 'value' (and no 'min'/'max')")
        if (self.kind == "date") != isinstance(self.value, dt.date):
            raise ValueError("a date figure needs 'value' written YEAR-MONTH-DAY; other figures need a whole number")
        return self

    @property
    def publishable(self) -> bool:
        return self.confidence == "VT" or (self.confidence == "SS" and bool(self.verified_source))


def _money(n: int, cur: str, lang: str) -> str:
    if cur == "vnd":
        return f"{format_number(n, lang)} đồng" if lang == "vi" else f"VND {format_number(n, lang)}"
    return f"{format_number(n, lang)} USD" if lang == "vi" else f"USD {format_number(n, lang)}"


def render_figure(fig: Figure, lang: str, part: Optional[str] = None) -> str:
    kind = fig.kind
    base = kind.replace("_range", "")
    if kind.endswith("_range"):
        if part in ("min", "max"):
            return render_figure(Figure(kind=base, value=getattr(fig, part), source=fig.source), lang)
        if base in ("vnd", "usd"):
            lo, hi = format_number(fig.min, lang), format_number(fig.max, lang)
            if lang == "vi":
                return f"{lo} – {hi} {'đồng' if base == 'vnd' else 'USD'}"
            return f"{'VND' if base == 'vnd' else 'USD'} {lo} – {hi}"
        lo, hi = fig.min, fig.max
        vi, en1, en2 = UNITS[base]
        return f"{lo}–{hi} {vi}" if lang == "vi" else f"{lo}–{hi} {en2}"
    if part:
        raise KeyError(part)
    v = fig.value
    if kind == "date":
        return format_date(v, lang)
    if kind in ("vnd", "usd"):
        return _money(v, kind, lang)
    if kind == "percent":
        return f"{v}%" if lang == "en" else f"{v}%"
    if kind == "count":
        return format_number(v, lang)
    vi, en1, en2 = UNITS[kind]
    return f"{v} {vi}" if lang == "vi" else f"{v} {en1 if v == 1 else en2}"


@dataclass
class Figures:
    items: dict[str, Figure]
    files: dict[str, Path]

    def get(self, key: str) -> Optional[Figure]:
        return self.items.get(key)


class FiguresError(LawsiteError):
    pass


def load_figures(folder: Path) -> Figures:
    items: dict[str, Figure] = {}
    files: dict[str, Path] = {}
    problems = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            text = unicodedata.normalize("NFC", path.read_text("utf-8").lstrip("\ufeff"))
            data = _yload(text) or {}
        except UnicodeDecodeError:
            problems.append(f"{path}: figures file is not UTF-8")
            continue
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            problems.append(f"{path}{':' + str(mark.line + 1) if mark else ''}: figures file is not valid YAML: {getattr(e, 'problem', e)}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}:1: figures file must map keys to figures")
            continue
        lines = text.splitlines()
        for key, raw in data.items():
            line = next((i + 1 for i, l in enumerate(lines) if l.startswith(f"{key}:")), 1)
            if not KEY_RE.match(str(key)):
                problems.append(f"{path}:{line}: figure key '{key}' must be lower-case letters, digits and '_'")
                continue
            if key in items:
                problems.append(f"{path}:{line}: figure '{key}' is already defined in {files[key]}")
                continue
            try:
                items[key] = Figure.model_validate(raw)
                files[key] = path
            except ValidationError as e:
                for err in e.errors():
                    loc = ".".join(str(p) for p in err["loc"])
                    problems.append(f"{path}:{line}: figure '{key}'{(' key ' + repr(loc)) if loc else ''}: {err['msg']}")
    if problems:
        raise FiguresError("\n".join(problems))
    return Figures(items, files)


# A VND amount typed by hand (outside the {{ }} syntax): digits with thousands separators
# followed by đồng/VND/đ, or VND followed by digits.
RAW_AMOUNT_RE = re.compile(
    r"(?<![\w{])\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:\s*(?:-|–|đến|to)\s*\d{1,3}(?:[.,\u00a0 ]\d{3})+)?\s*(?:đồng|VNĐ|VND|đ\b)"
    r"|\b(?:VND|VNĐ)\s*\d{1,3}(?:[.,]\d{3})+"
    r"|\b\d+\s*(?:triệu|nghìn|ngàn)\s*(?:đồng|VND)"
    r"|\b(?:USD|US\$)\s*\d+|\b\d+\s*USD\b",
    re.I,
)
