"""Contributed Markdown may not carry active content: script, iframe, object, embed, style
elements, on*= event attributes, javascript:/data:/vbscript: URLs."""
from __future__ import annotations

import re

from .text import mask

_TAG = re.compile(r"<\s*(script|iframe|object|embed|style|frame|frameset|applet|base|meta|link|form)\b", re.I)
_EVENT = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.I | re.S)
_URL = re.compile(r"(?:\]\(\s*<?|\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*)(javascript|vbscript|data)\s*:", re.I)
_REFURL = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(javascript|vbscript|data)\s*:", re.I | re.M)


def scan_markup(body: str) -> list[tuple[int, str]]:
    """Offsets and names of forbidden constructs in a Markdown body (code is ignored)."""
    # mask code only; keep tags and link URLs visible
    text = mask_code(body)
    out = []
    for m in _TAG.finditer(text):
        out.append((m.start(), f"<{m.group(1).lower()}>"))
    for m in _EVENT.finditer(text):
        out.append((m.start(1), f"{m.group(1).lower()}="))
    for m in _URL.finditer(text):
        out.append((m.start(1), f"{m.group(1).lower()}: URL"))
    for m in _REFURL.finditer(text):
        out.append((m.start(1), f"{m.group(1).lower()}: URL"))
    return sorted(set(out))


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?$\n?(?:.*?\n)*?(?P=indent)?(?P=fence)[`~]*[ \t]*$", re.M)
_INLINE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def mask_code(text: str) -> str:
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    return _INLINE.sub(blank, _FENCE.sub(blank, text))
