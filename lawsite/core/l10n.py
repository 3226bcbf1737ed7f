"""Language data for numbers, dates and labels: one code path, tables per language."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from importlib import resources

import yaml

from lawsite.core.yamlio import load as _yload

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
LANGS = ("vi", "en")


def as_date(value) -> dt.date | None:
    """A front-matter date (YAML date, datetime or 'YYYY-MM-DD' text) as a date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def format_number(n: int, lang: str) -> str:
    s = f"{n:,}"
    return s.replace(",", ".") if lang == "vi" else s


def format_date(d: dt.date, lang: str) -> str:
    if lang == "vi":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def page_lang(src_uri: str) -> str:
    """docs/x.en.md is English; any other *.md is Vietnamese."""
    return "en" if src_uri.endswith(".en.md") else "vi"


def counterpart(src_uri: str) -> str:
    """x.md <-> x.en.md"""
    if src_uri.endswith(".en.md"):
        return src_uri[: -len(".en.md")] + ".md"
    return src_uri[: -len(".md")] + ".en.md"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day N months earlier (31 March - 1 month = 28/29 February)."""
    y, m = divmod(day.year * 12 + (day.month - 1) - months, 12)
    m += 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


@functools.lru_cache(maxsize=None)
def _staff_labels() -> dict:
    """lawsite/staff_labels.yaml (package data: constant for the life of the process)."""
    return yaml.safe_load(resources.files("lawsite").joinpath("staff_labels.yaml").read_text("utf-8"))


def staff_labels(lang: str) -> dict:
    return _staff_labels()[lang]


# labels.yaml: the site's interface labels per language (generated pages, docpages, provinces, UI)
@functools.lru_cache(maxsize=None)
def labels() -> dict:
    return _yload(resources.files("lawsite").joinpath("labels.yaml").read_text("utf-8"))


def L(lang: str) -> dict:
    return labels()[lang]


def D(lang: str) -> dict:
    return labels()["docpage"][lang]
