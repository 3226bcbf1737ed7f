"""Findings (problems found in a file) and their messages in the reader's language.

Messages are data (lawsite/messages/<lang>.yaml): one template and one hint per code, so the
checker speaks Vietnamese to staff by default and English with --lang en.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal


from lawsite.core.yamlio import load as _yload

Severity = Literal["error", "warning", "info"]


def _catalogue_file(lang: str) -> dict:
    f = resources.files("lawsite.messages").joinpath(f"{lang}.yaml")
    return _yload(f.read_text("utf-8")) if f.is_file() else {}


@functools.lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    """The messages of `lang`; a code it has no text for is the default language's text (mends9: a new
    language can start with part of the file; `untranslated(lang)` lists what falls back)."""
    from lawsite.core.l10n import default_language, is_default

    own = _catalogue_file(lang)
    return own if is_default(lang) else {**_catalogue_file(default_language()), **own}


def untranslated(lang: str) -> list[str]:
    """The message codes shown in the default language because `lang` has no text for them."""
    from lawsite.core.l10n import default_language

    return sorted(set(_catalogue_file(default_language())) - set(_catalogue_file(lang)))


class Localized(dict):
    """A parameter value given in each language: Localized(vi="…", en="…")."""

    def __init__(self, **kw):
        super().__init__(**kw)


def localize(v, lang: str):
    import datetime as _dt

    from lawsite.core.l10n import format_date

    if isinstance(v, Localized):
        return v.get(lang) or v.get("vi", "")
    if isinstance(v, _dt.date):
        return format_date(v, lang)
    if isinstance(v, (list, tuple)):
        return ", ".join(str(localize(x, lang)) for x in v)
    return v


class _Default(dict):
    def __missing__(self, key):
        return "{" + key + "}"


@dataclass
class Finding:
    path: str
    line: int
    col: int
    severity: Severity
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "vi", *, hint: bool = True) -> str:
        cat = catalogue(lang)
        entry = cat.get(self.code) or {"msg": self.code + ": {detail}"}
        params = _Default({k: localize(v, lang) for k, v in self.params.items()})
        msg = entry["msg"].format_map(params)
        if hint and entry.get("hint"):
            msg += " — " + entry["hint"].format_map(params)
        return msg

    def format(self, lang: str = "vi", fmt: str = "text") -> str:
        sev = self.severity
        if fmt == "github":
            level = {"error": "error", "warning": "warning", "info": "notice"}[sev]
            msg = self.message(lang).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::{level} file={self.path},line={self.line},col={self.col}::{msg}"
        # the severity word stays "error"/"warning"/"info" in every language: tools parse it
        return f"{self.path}:{self.line}:{self.col}: {sev}: {self.message(lang)}"

    def sort_key(self):
        return (self.path, self.line, self.col, self.code)
