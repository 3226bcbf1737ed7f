"""Text utilities shared by every stage: Unicode normalisation, masking of code and URLs,
line/column arithmetic and Vietnamese folding."""
from __future__ import annotations

import bisect
import re
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans({c: "-" for c in DASHES})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def norm_dashes(text: str) -> str:
    return text.translate(_DASH_TABLE)


def fold(text: str) -> str:
    """Remove Vietnamese diacritics, including đ/Đ (which has no Unicode decomposition)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def norm_number(number: str) -> str:
    """A lookup key for a document number: NFC, dash variants, đ folded, upper case, no spaces."""
    n = norm_dashes(nfc(number)).strip()
    n = re.sub(r"\s+", "", n)
    return fold(n).upper()


class LineIndex:
    """Offsets -> (line, column), both 1-based."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?$\n?(?:.*?\n)*?(?P=indent)?(?P=fence)[`~]*[ \t]*$", re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_URL = re.compile(r"\]\((?:<[^>\n]*>|[^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.M)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]+>|https?://[^\s)>\]]+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"<[A-Za-z/][^>\n]*>")
_ATTR_LIST = re.compile(r"\{:?\s*[.#][^}\n]*\}|\{:[^}\n]*\}")


def mask(text: str, *, tags: bool = True) -> str:
    """Replace code blocks, inline code, link URLs, reference definitions, autolinks, HTML comments,
    HTML tags and attribute lists by spaces (newlines kept) so offsets still match the source."""

    def blank(m: re.Match) -> str:
        s = m.group(0)
        return re.sub(r"[^\n]", " ", s)

    def blank_url(m: re.Match) -> str:
        s = m.group(0)
        return "]" + re.sub(r"[^\n]", " ", s[1:])

    text = _FENCE.sub(blank, text)
    text = _HTML_COMMENT.sub(blank, text)
    text = _INLINE_CODE.sub(blank, text)
    text = _LINK_URL.sub(blank_url, text)
    text = _REF_DEF.sub(blank, text)
    text = _AUTOLINK.sub(blank, text)
    text = _ATTR_LIST.sub(blank, text)
    if tags:
        text = _HTML_TAG.sub(blank, text)
    return text


FRONT_MATTER = re.compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)?(---|\.\.\.)[ \t]*(\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml_text or None, body, line number of the first body line)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return None, text, 1
    yaml_text = m.group(2) or ""
    body = text[m.end():]
    return yaml_text, body, text.count("\n", 0, m.end()) + 1
