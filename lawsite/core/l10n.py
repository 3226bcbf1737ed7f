"""Language data for numbers, dates and labels: one code path, tables per language."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from importlib import resources
from pathlib import Path

import yaml

from lawsite.core.yamlio import load as _yload



# labels.yaml: the site's interface labels per language (generated pages, docpages, provinces, UI)
@functools.lru_cache(maxsize=None)
def labels() -> dict:
    # beside this engine's own modules (read early, while `lawsite` parses its options: a folder holding
    # another checkout's lawsite/ must not lend its files; see project.loader.assert_engine_in)
    return _yload((Path(__file__).resolve().parents[1] / "labels.yaml").read_text("utf-8"))


# --- mends9: the languages are data (labels.yaml `default_language`, `languages`); no code path per language
def default_language() -> str:
    """The default language: the language of the legal texts, of the site's root (static-i18n serves
    it at /, its pages are x.md) and of the staff messages when no --lang is given."""
    return labels()["default_language"]


def languages() -> tuple[str, ...]:
    """Every language, the default first (the order of labels.yaml `languages`)."""
    table = labels()["languages"]
    return (default_language(), *(k for k in table if k != default_language()))


def is_default(lang: str) -> bool:
    return lang == default_language()


def language(lang: str) -> dict:
    """The formatting table of a language (labels.yaml `languages`); a key it lacks is the default
    language's (data falling back to data, never to another language's code)."""
    table = labels()["languages"]
    return {**table[default_language()], **(table.get(lang) or {})}


def url_prefix(lang: str) -> str:
    """Where a language's pages are served, relative to the site root (static-i18n: the default
    language at the root, any other under /<locale>/)."""
    return "" if is_default(lang) else f"{lang}/"


def month_names(lang: str) -> list[str]:
    return list(language(lang).get("month_names") or [])


LANGS = languages()
MONTHS_EN = month_names("en")  # parse_date reads English dates in any page (a date as written, not a language branch)


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
    return f"{n:,}".replace(",", language(lang)["thousands_separator"])


def format_date(d: dt.date, lang: str) -> str:
    names = month_names(lang)
    return language(lang)["date"].format(day=d.day, month=d.month, year=d.year,
                                         month_name=names[d.month - 1] if names else d.month)


def page_lang(src_uri: str) -> str:
    """docs/x.<lang>.md is in that language (static-i18n's suffix structure); any other *.md is in the
    default language."""
    for lang in languages()[1:]:
        if src_uri.endswith(f".{lang}.md"):
            return lang
    return default_language()


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


def L(lang: str) -> dict:
    return labels()[lang]


def D(lang: str) -> dict:
    return labels()["docpage"][lang]
