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


# Every scanner below runs in linear time (issue 17: the former fence, comment and inline-code
# regexes were quadratic on unclosed constructs, 40 KB of lines "```a" took 21 s). Where a regex
# is kept, no character class can run over the start of the next candidate match (so a failed
# attempt costs no more than the distance to the next one); fences, HTML comments and inline code
# are scanned by hand. tests/test_bad_inputs.py checks them against plain regexes on small inputs.
_FENCE_OPENER = re.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)", re.M)
_FENCE_CLOSER = re.compile(r"^([ \t]*+)(`{3,}+|~{3,}+)[`~]*+[ \t]*+$", re.M)
_LINK_URL = re.compile(r"\]\((?:<[^<>\n]*>|(?:[^)\s\]]|\](?!\())*)(?:\s+\"[^\"\n]*\")?\)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.M)  # one attempt per line start
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]+>|https?://[^\s)>\]]+")
_HTML_TAG = re.compile(r"<[A-Za-z/][^<>\n]*>")
_ATTR_LIST = re.compile(r"\{:?\s*[.#][^{}\n]*\}|\{:[^{}\n]*\}")


class _MaxTree:
    """Maximum over suffixes of a list and 'first index >= i with value >= v', both O(log n)."""

    def __init__(self, values: list[int]):
        n = 1
        while n < max(1, len(values)):
            n *= 2
        self.n = n
        self.t = [0] * (2 * n)
        self.t[n:n + len(values)] = values
        for i in range(n - 1, 0, -1):
            self.t[i] = max(self.t[2 * i], self.t[2 * i + 1])

    def max_from(self, i: int) -> int:
        lo, hi, best = i + self.n, 2 * self.n, 0
        while lo < hi:
            if lo & 1:
                best = max(best, self.t[lo])
                lo += 1
            if hi & 1:
                hi -= 1
                best = max(best, self.t[hi])
            lo //= 2
            hi //= 2
        return best

    def first_at_least(self, i: int, v: int) -> int:
        """Smallest index >= i whose value is >= v, or -1."""
        if i >= self.n:
            return -1
        node = i + self.n
        if self.t[node] >= v:
            return i
        # climb until a right sibling holds a value >= v, then descend
        while node > 1:
            if node % 2 == 0 and self.t[node + 1] >= v:
                node += 1
                while node < self.n:
                    node = 2 * node if self.t[2 * node] >= v else 2 * node + 1
                return node - self.n
            node //= 2
        return -1


def _fence_spans(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks as (start, end) offsets, exactly as the former regex
    ^(indent)(```+|~~~+).*$ … (indent)?(fence)[`~]*[ \t]*$ found them, in linear time:

    an opening line (indent, then 3 or more ` or ~) closes at the first later line made of the same
    indent or none, then a run of the same character, then only ` ~ and blanks. A longer closing run is
    preferred (the regex tried the full opening run first): with an opening run of n, the block ends at
    the first closer whose run is >= min(n, the longest run among the closers that follow). An opening
    line with no closer is not a block."""
    if "```" not in text and "~~~" not in text:
        return []
    # closers grouped by (character, indent): offsets of their line starts, line ends, run lengths
    groups: dict[tuple[str, str], tuple[list[int], list[int], list[int]]] = {}
    for m in _FENCE_CLOSER.finditer(text):
        g = groups.setdefault((m.group(2)[0], m.group(1)), ([], [], []))
        g[0].append(m.start())
        g[1].append(m.end())
        g[2].append(len(m.group(2)))
    if not groups:
        return []
    trees = {k: _MaxTree(v[2]) for k, v in groups.items()}
    memo: dict = {}
    spans = []
    pos = 0
    for m in _FENCE_OPENER.finditer(text):
        at = m.start()
        if at < pos:
            continue  # inside the block just found
        indent, run = m.group(1), m.group(2)
        ch, n = run[0], len(run)
        cands = []
        for key in {(ch, indent), (ch, "")}:
            g = groups.get(key)
            if g is None:
                continue
            k = bisect.bisect_right(g[0], at)
            best = memo.get((key, k))
            if best is None:
                best = memo[key, k] = trees[key].max_from(k)
            cands.append((key, k, best))
        longest = max((c[2] for c in cands), default=0)
        if longest < 3:
            continue
        need = min(n, longest)
        close = None
        for key, k, best in cands:
            if best < need:
                continue
            j = trees[key].first_at_least(k, need)
            if j >= 0 and (close is None or groups[key][0][j] < close[0]):
                close = (groups[key][0][j], groups[key][1][j])
        if close is None:  # cannot happen (longest >= need), kept for safety
            continue
        spans.append((at, close[1]))
        pos = close[1]
    return spans


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """HTML comments as HTML5 reads them: '<!--' up to the next '-->' (or '--!>'); '<!-->' and
    '<!--->' are complete (empty) comments. An unclosed '<!--' hides nothing (it is not a comment
    for the checker, so what follows is still checked). Linear: str.find only."""
    spans, i = [], 0
    while True:
        i = text.find("<!--", i)
        if i < 0:
            return spans
        if text.startswith(">", i + 4):
            spans.append((i, i + 5))
            i += 5
            continue
        if text.startswith("->", i + 4):
            spans.append((i, i + 6))
            i += 6
            continue
        j = text.find("--", i + 4)
        end = -1
        while j >= 0:
            if text.startswith(">", j + 2):
                end = j + 3
                break
            if text.startswith("!>", j + 2):
                end = j + 4
                break
            j = text.find("--", j + 1)
        if end < 0:
            return spans  # no comment closes after here: none of the later '<!--' can close either
        spans.append((i, end))
        i = end


def _inline_code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code as the former regex (`+)(?!`).+?(?<!`)\1(?!`) (re.S) found it, in O(n log n):
    a search starting at each backtick of a run of length L opens with the rest of the run (L, L-1,
    … 1 backticks) and closes at the next run of exactly that length."""
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    by_len: dict[int, list[int]] = {}
    for idx, (a, b) in enumerate(runs):
        by_len.setdefault(b - a, []).append(idx)
    spans, r = [], 0
    while r < len(runs):
        a, b = runs[r]
        found = None
        for k in range(b - a, 0, -1):  # start offsets a, a+1, …: the rest of the run has k backticks
            lst = by_len.get(k)
            if not lst:
                continue
            p = bisect.bisect_right(lst, r)
            if p < len(lst):
                found = (b - k, lst[p])
                break
        if found is None:
            r += 1
            continue
        start, close = found
        spans.append((start, runs[close][1]))
        r = close + 1
    return spans


def _blank_spans(text: str, spans) -> str:
    if not spans:
        return text
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        seg = text[a:b]
        out.append(_BLANK_RE.sub(" ", seg))
        last = b
    out.append(text[last:])
    return "".join(out)


_BLANK_RE = re.compile(r"[^\n]")


def mask(text: str, *, tags: bool = True) -> str:
    """Replace code blocks, inline code, link URLs, reference definitions, autolinks, HTML comments,
    HTML tags and attribute lists by spaces (newlines kept) so offsets still match the source.
    Linear in the length of the text."""

    def blank(m: re.Match) -> str:
        return _BLANK_RE.sub(" ", m.group(0))

    def blank_url(m: re.Match) -> str:
        s = m.group(0)
        return "]" + _BLANK_RE.sub(" ", s[1:])

    text = _blank_spans(text, _fence_spans(text))
    text = _blank_spans(text, _comment_spans(text))
    text = _blank_spans(text, _inline_code_spans(text))
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
