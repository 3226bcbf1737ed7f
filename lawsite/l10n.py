"""Language data for numbers, dates and labels: one code path, tables per language."""
from __future__ import annotations

import datetime as dt

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
