"""Parse: find citations in Markdown text, in a language given by a grammar table.

The same code serves Vietnamese and English: every word and separator comes from
``lawsite/grammar/<lang>.yaml``. Text is NFC-normalised and dash variants are mapped to '-'
(same length) before matching; code, link URLs and HTML tags are masked (offsets are kept).
"""
from __future__ import annotations

import datetime as dt
import functools
import bisect
import re
import unicodedata
from importlib import resources
from typing import Iterable, Optional


from lawsite.core.yamlio import load as _yload

from lawsite.core.l10n import MONTHS_EN
from lawsite.core.text import DASHES, mask, nfc
from lawsite.cite.model import SELF, ArticleRange, Citation, DocRef, Provision

B = r"(?<![\wđĐ])"  # word start
E = r"(?![\wđĐ])"  # word end
# generous widths: "Điều 1000" or "khoản 100" are parsed (and reported as unknown), not silently skipped
ART_NUM = r"\d{1,6}[a-z]?"
CL_NUM = r"\d{1,4}[a-z]?"
# a document number, loosely (malformed numbers are caught by the registry look-up):
NUMBER = r"\d{1,4}(?:\.\d{1,3})?/(?:\d{4}/)?[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]*)*"
BARE_NUMBER = r"\d{1,4}(?:\.\d{1,3})?/\d{4}/(?:QH|UBTVQH|NĐ|ND|TT|TTLT|NQ|QĐ|QD)[A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*" \
              r"|\d{1,4}/(?:NQ|QĐ|QD)-(?:CP|TTg)"
UNIT_RANK = {"point": 0, "clause": 1, "article": 2}
_WORD_CHAR = re.compile(r"[\wđĐ]")
_DASH_RE = re.compile("[" + DASHES + "]")
_BAD_LETTER = re.compile(r"(?<![a-zđ])[fjwz](?![a-zđ])")


def _dashes(text: str) -> str:
    """norm_dashes, fast when the text has no dash variant (the usual case)."""
    return _DASH_RE.sub("-", text) if _DASH_RE.search(text) else text


VI_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def _cap(words: Iterable[str]) -> list[str]:
    """Each word as written plus with a capital first letter (sentence start: "Khoản 2 Điều này")."""
    out = []
    for w in words:
        for v in (w, w[:1].upper() + w[1:]):
            if v not in out:
                out.append(v)
    return out


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((w if w.startswith("\\") or "\\" in w else re.escape(w) for w in words), key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def load_grammar(lang: str) -> dict:
    text = resources.files("lawsite.grammar").joinpath(f"{lang}.yaml").read_text("utf-8")
    return _yload(nfc(text))


def parse_date(text: str) -> Optional[dt.date]:
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        d, mo, y = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
        if m:
            d, mo, y = map(int, m.groups())
        else:
            m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
            if m:
                y, mo, d = map(int, m.groups())
            else:
                m = re.fullmatch(r"(\d{1,2})\s+([A-Z][a-z]+),?\s+(\d{4})", text) or None
                if m and m.group(2) in MONTHS_EN:
                    d, mo, y = int(m.group(1)), MONTHS_EN.index(m.group(2)) + 1, int(m.group(3))
                else:
                    m = re.fullmatch(r"([A-Z][a-z]+)\s+(\d{1,2}),?\s+(\d{4})", text)
                    if not (m and m.group(1) in MONTHS_EN):
                        return None
                    d, mo, y = int(m.group(2)), MONTHS_EN.index(m.group(1)) + 1, int(m.group(3))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


DATE_RE = (r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{4}-\d{2}-\d{2}"
           r"|\d{1,2}\s+(?:" + "|".join(MONTHS_EN) + r"),?\s+\d{4}|(?:" + "|".join(MONTHS_EN) + r")\s+\d{1,2},?\s+\d{4}")


def trie_regex(words: Iterable[str]) -> str:
    """One regex alternation for many literal words, as a trie: matching costs the length of the
    word, not the number of words (2,000 document names are one pass over the text)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?" if len(alts) > 1 or len(body) > 1 else body + "?"
        return body

    if not trie:
        return "(?!x)x"
    return build(trie)


# zero-width characters and letters that look like Vietnamese or Latin ones: inside a citation they
# are an error (a citation that only looks right), never a silent pass
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
LOOKALIKE = {"\u00d0": "Đ", "\u0189": "Đ", "\u0111": "đ",  # (U+0111 is the real đ: kept below)
             "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
             "\u0456": "i", "\u0458": "j", "\u04bb": "h", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K",
             "\u041c": "M", "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X",
             "\u0406": "I", "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K",
             "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u03bf": "o"}
del LOOKALIKE["\u0111"]
_SUSPICIOUS = re.compile("[" + ZERO_WIDTH + "".join(LOOKALIKE) + "]")
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKE)
_ZW_RE = re.compile("[" + ZERO_WIDTH + "]")
_LOOK_RE = re.compile("[" + "".join(LOOKALIKE) + "]")
# markup and typography inside a citation, replaced by spaces or plain quotes (same length):
# **bold**, *italic*, footnote markers [3] [^3] ^3^, no-break spaces, curly quotes and apostrophes
_CLEAN = re.compile(r"\*\**|\[\^?\d{1,3}\](?!\()|\^\d{1,3}\^")
_SAME_LENGTH = (("\u00a0", " "), ("\u202f", " "), ("\u2007", " "), ("\u2009", " "), ("’", "'"), ("‘", "'"),
                ("ʼ", "'"), ("“", '"'), ("”", '"'))


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def clean(text: str) -> str:
    """Markup and typography -> spaces or plain quotes, same length (offsets are kept):
    **bold**, *italic*, footnote markers [3] [^3] ^3^, no-break spaces, curly quotes."""
    for a, b in _SAME_LENGTH:
        if a in text:
            text = text.replace(a, b)
    return _CLEAN.sub(_blank, text)


class Parser:
    """A citation parser for one language and one set of document names (aliases).

    Built once per (language, names): every trigger word and every document name is compiled into
    one regex (a trie), so finding candidates is one pass over the text whatever the number of
    names; a small grammar then reads the unit chain at each candidate."""

    def __init__(self, lang: str, aliases: Iterable[str] = ()):
        g = load_grammar(lang)
        self._titles = self._self_docs = self._orphans = False
        self.lang = lang
        self.g = g
        names = {nfc(a) for a in aliases if a}
        self.aliases = sorted(names, key=len, reverse=True)
        self.abbrev = {nfc(k): nfc(v) for k, v in (g.get("name_abbreviations") or {}).items()}
        u = g["units"]
        self.unit_words = {k: (_cap(v["plural"]), _cap(v["single"])) for k, v in u.items()}
        letter = g["point_letter_pattern"]
        # a point letter as read back: the inverse of grammar `point_letters` (English "dd" is đ)
        self.read_letter = {v: k for k, v in (g.get("point_letters") or {}).items()}
        self.item_re = {"point": letter, "clause": CL_NUM, "article": ART_NUM}
        rng = _alt(g["range_words"])
        lsep = g["list_separator"]
        self.group_re = {}
        for unit, (plural, single) in self.unit_words.items():
            item = self.item_re[unit]
            words = _alt(plural + single)
            unit_word = _alt(single + plural)
            one = rf"{item}{E}(?:\s*(?:{rng}|[-–])\s*(?:(?:{unit_word})\s+)?{item}{E})?"
            self.group_re[unit] = re.compile(
                rf"(?:(?P<from>{_alt(_cap(g['range_prefix']))})\s+)?(?P<word>{words})\s+(?P<items>{one}(?:(?:{lsep}){one})*)"
            )
        self.one_item = {unit: re.compile(rf"(?P<a>{self.item_re[unit]}){E}(?:\s*(?:{rng}|[-–])\s*(?:(?:{_alt(self.unit_words[unit][1] + self.unit_words[unit][0])})\s+)?(?P<b>{self.item_re[unit]}){E})?")
                         for unit in self.unit_words}
        self.self_words = {k: _cap(v.get("self", [])) for k, v in u.items()}
        self.self_re = {k: re.compile("(?:" + _alt(v) + ")" + E) if v else None for k, v in self.self_words.items()}
        # which unit a group at a position is (one match, then that unit's own pattern)
        heads = {u: set(self.unit_words[u][0] + self.unit_words[u][1] + self.self_words.get(u, [])) for u in self.unit_words}
        self.head_re = re.compile(rf"(?:(?:{_alt(_cap(g['range_prefix']))})\s+)?(?:"
                                  + "|".join(f"(?P<{u}>{trie_regex(ws)})" for u, ws in heads.items()) + rf"){E}")
        self.unit_sep = re.compile(g["unit_separator"])
        self.desc_sep = re.compile(g.get("desc_separator", r"\s+"))
        self.list_sep = re.compile(lsep)
        self.doc_conn = re.compile(g["doc_connector"])
        self.group_sep = re.compile(g["group_separator"])
        self.self_article = self.self_re["article"]
        self.self_doc = {w: t for t, word in g["self_document"].items() for w in _cap([word])}  # word -> type
        self.self_doc_re = re.compile("(?P<self>" + _alt(self.self_doc) + ")" + E)
        types = {w: t for t, ws in g["doc_types"].items() for w in ws}
        self.type_of_word = types
        npre = _alt(g["number_prefix"])
        self.npre = npre
        # "số" may be doubled by a slip of the text ("Luật số số 118/2025/QH15"): still the number
        typed = rf"(?P<type>{_alt(types)})\s+(?:(?:{npre})\s*){{0,2}}(?P<number>{NUMBER})"
        self.typed_re = re.compile(typed)
        # "Nghị định 282", "Nghị định số 282/2025": resolved only when the registry makes them unique
        self.short_re = re.compile(rf"(?P<type>{_alt(types)})\s+(?:(?:{npre})\s*)?(?P<n>\d{{1,4}})(?:/(?P<y>(?:19|20)\d\d))?(?![\w/.,]\w|[\w/])")
        self.tail_re = re.compile(rf"(?:\s+(?:{_alt(g['year_words'])})\s+(?P<year>(?:19|20)\d\d){E})?"
                                  rf"(?:\s+(?:{_alt(g['date_words'])})\s+(?P<date>{DATE_RE}))?")
        self.alias_number_re = re.compile(rf"\s+(?:(?:{npre})\s*){{0,2}}(?P<number>{NUMBER})")
        # document names: looked up by their first two words (no regex over 2,000 names)
        self.alias_index: dict[str, list[str]] = {}
        for a in list(names) + list(self.abbrev):
            self.alias_index.setdefault(" ".join(a.split(" ", 3)[:3]), []).append(a)
        for v in self.alias_index.values():
            v.sort(key=len, reverse=True)
        self.alias_first = {a.split(" ", 1)[0] for a in list(names) + list(self.abbrev)}
        self.two_words_re = re.compile(r"([^\s]+)(?: ([^\s]+))?(?: ([^\s]+))?")
        # aliases may be followed by a bare year: "Bộ luật Hình sự 2015"
        self.alias_year_re = re.compile(rf"\s+(?P<year>(?:19|20)\d\d){E}")
        self.bare_number_re = re.compile(rf"{B}(?P<number>{BARE_NUMBER}){E}")
        self.historical_re = re.compile(g["historical"])
        # unknown documents by shape: "Luật Dẫn độ", "the Law on Extradition"
        tg = g.get("title") or {}
        self.title_stop = set(tg.get("stop_words") or [])
        self.title_conn = set(tg.get("connectors") or [])
        self.title_max = int(tg.get("max_words", 12))
        self.title_sure = int(tg.get("max_sure_words", 1000))
        # known titles (grammar data): looked up like the document names, by their first three words
        self.known_titles = self._title_index(nfc(x) for x in (tg.get("known") or []))
        self._learned: dict[str, list[str]] = {}
        self._known_lower: Optional[dict[str, list[str]]] = None
        self.any_type_re = re.compile(rf"(?P<type>{_alt(types)}){E}")
        self.titled_re = re.compile(rf"(?P<type>{_alt(g.get('titled_types') or ['(?!x)x'])})\s+")
        self.word_re = re.compile(r"[ \t]*(?:(?P<comma>,)|(?P<w>[^\W\d_][\w'-]*))")
        self.title_joiners = set(tg.get("joiners") or [])
        self.title_cont = set(tg.get("continuations") or [])
        self.title_barrier = set(tg.get("number_barrier") or [])
        self.npre_words = {w.replace("\\", "") for w in g["number_prefix"]}
        # English titles (citefix9): list words inside a title, one line only, known titles in any case
        self.title_lists = set(tg.get("list_words") or [])
        self.title_same_line = bool(tg.get("same_line"))
        self.title_any_case = bool(tg.get("known_any_case"))
        self.title_sure_after = set(tg.get("sure_after") or [])
        self.unit_word_set = {w for plural, single in self.unit_words.values() for w in plural + single}
        # known titles that do not start with a document word ("Land Law", "Civil Code"): found at their first word
        self.known_first = {a.split(" ", 1)[0] for v in self.known_titles.values() for a in v
                            if not self.titled_re.match(a) and not self.any_type_re.match(a)}
        ps = g.get("phrase_separator")
        self.phrase_sep = re.compile(ps) if ps else None
        # one pass: every word a citation may begin with, and every document name, in one trie
        # one pass over the text for every word a citation may begin with and every document name
        # (a trie regex), plus one for the slashes of bare document numbers ("49/2019/QH14")
        units = []
        for plural, single in self.unit_words.values():
            units += plural + single
        selfs = [w for v in self.self_words.values() for w in v] + list(self.self_doc)
        follow = {}
        for w in units:
            follow[w] = re.compile(rf"\s+(?:{ART_NUM}|{letter}){E}")
        for w in _cap(g["range_prefix"]):
            follow[w] = re.compile(rf"\s+(?:{trie_regex(set(units))})\s+(?:{ART_NUM}|{letter}){E}")
        for w in list(types) + list(g.get("titled_types") or []):
            follow[w] = re.compile(rf"\s+(?:(?:{npre})\s*)?\d|\s+\w")
        for w in selfs + list(self.alias_first) + sorted(self.known_first):
            follow[w] = None  # a whole word is enough
        for w in self.self_doc:
            follow.setdefault(w, None)
        self.follow = follow
        # the first characters a document reference can begin with (every word of the tables above,
        # every name, digits for bare numbers): anything else after a unit chain is not a document
        self.doc_first = frozenset("0123456789").union(
            w[:1] for w in list(self.self_doc) + list(self.alias_first) + list(types) + list(g.get("titled_types") or [])
            + sorted(self.known_first) if w)
        if self.title_any_case:  # a known title in small letters after a unit chain ("of the law on …")
            self.doc_first = self.doc_first.union(a[:1].lower() for v in self.known_titles.values() for a in v)
        self.word_trigger_re = re.compile(rf"(?:{trie_regex(set(follow))}){E}")
        self.slash_re = re.compile(r"/(?:\d{4}/|(?:NQ|QĐ|QD)-)")
        self.number_start_re = re.compile(r"[\d.]{1,8}$")
        # English: "Article 21(2)(dd)", "Article 21(3) and (4)", "Article 21.2" (clause 2)
        self.paren_re = re.compile(rf"\s*\((?P<v>{CL_NUM}|dd|[a-z])\)")
        self.paren_list_re = re.compile(rf"(?:{lsep})\((?P<v>{CL_NUM}|dd|[a-z])\)")
        self.dot_clause_re = re.compile(rf"\.(?P<dcl>{CL_NUM})(?![\w.])")
        self.letter_tail_re = self.paren_re  # (kept for callers of the old name)

    # ------------------------------------------------------------------------------------
    def candidates(self, t: str) -> list[int]:
        """Sorted positions where a citation may start (a trigger at a word start)."""
        out = []
        follow = self.follow
        wc = _WORD_CHAR.match
        for m in self.word_trigger_re.finditer(t):
            s = m.start()
            if s and wc(t, s - 1):
                continue
            f = follow.get(m.group())
            if f is None or f.match(t, m.end()):
                out.append(s)
        nums = []
        for m in self.slash_re.finditer(t):
            b = self.number_start_re.search(t, max(0, m.start() - 8), m.start())
            if b and (b.start() == 0 or not wc(t, b.start() - 1)) and self.bare_number_re.match(t, b.start()):
                nums.append(b.start())
        if nums:
            out = sorted(set(out).union(nums))
        return out

    def parse(self, text: str, *, masked: Optional[str] = None, titles: bool = False,
              self_docs: bool = False, learn: bool = False, orphans: bool = False) -> list[Citation]:
        """Find every citation. ``text`` must already be NFC (offsets refer to it). ``titles``: also
        report a document named only by its shape and title, on its own ("Luật Dẫn độ");
        ``self_docs``: also report "Luật này"/"this Decree" on its own (legal texts); ``learn``: the
        text teaches its own titles first (``learn_titles``); ``orphans``: also report a clause (and point)
        with no article and no document after it ("at Point b Clause 1"), its article SELF and
        ``no_article`` set (scan keeps it only where an amending article names the article)."""
        self._self_docs = self_docs
        self._orphans = orphans
        src = _dashes(text)
        m_text = _dashes(masked) if masked is not None else mask(src)
        self._learned = self._title_index(self.learn_titles(clean(m_text))) if learn else {}
        if _SUSPICIOUS.search(m_text):
            return self._parse_suspicious(text, m_text, titles)
        return self._parse_clean(text, clean(m_text), titles)

    def _parse_clean(self, text: str, m_text: str, titles: bool) -> list[Citation]:
        out: list[Citation] = []
        pos = 0
        self._titles = titles
        for start in self.candidates(m_text):
            if start < pos:
                continue
            cit, consumed = self._parse_at(m_text, start)
            if cit is None:
                # a trigger inside what was just consumed would re-parse the same failing run
                # (keeps "khoản 1 và khoản 2 và …" without an article linear)
                pos = max(pos, consumed)
                continue
            cit.text = text[cit.start:cit.end]
            out.append(cit)
            pos = cit.end
        return out

    def _parse_suspicious(self, text: str, m_text: str, titles: bool) -> list[Citation]:
        """Zero-width characters are taken out and look-alike letters mapped, then every citation
        holding one gets the problem 'suspicious_char' (with the character and its place)."""
        removed = [m.start() for m in _ZW_RE.finditer(m_text)]
        if removed:
            bounds = [0] + [p + 1 for p in removed]
            ends = removed + [len(m_text)]
            work = "".join(m_text[a:b] for a, b in zip(bounds, ends))
            plain_text = "".join(text[a:b] for a, b in zip(bounds, ends))
        else:
            work, plain_text = m_text, text
        work = _LOOK_RE.sub(lambda m: LOOKALIKE[m.group()], work)
        shifted = [p - k for k, p in enumerate(removed)]  # clean offset where each removal was

        def orig(o: int) -> int:
            return o + bisect.bisect_right(shifted, o)

        cites = self._parse_clean(plain_text, clean(work), titles)
        for c in cites:
            s, e = orig(c.start), orig(c.end - 1) + 1
            c.start, c.end = s, e
            c.text = text[s:e]
            bad = [(s + m.start(), m.group()) for m in _SUSPICIOUS.finditer(c.text)]
            if bad:
                c.suspicious = bad
                off, ch = bad[0]
                line_start = text.rfind("\n", 0, off) + 1
                c.problem = "suspicious_char"
                c.problem_params = {"char": f"U+{ord(ch):04X}", "col": off - line_start + 1,
                                    "name": unicodedata.name(ch, "?")}
        return cites

    def _items(self, unit: str, items) -> tuple[list[str], list[tuple[str, str]]]:
        """(singles, ranges) of a group's items; ``items`` is the raw text (split lazily: a long list
        that never reaches an article is never split) or an already split pair."""
        if not isinstance(items, str):
            return items
        if items.isdigit():  # the usual case: one plain number
            return [items], []
        singles, ranges = [], []
        for piece in self.list_sep.split(items):
            m = self.one_item[unit].fullmatch(piece.strip())
            if not m:
                continue
            a, b = m.group("a"), m.group("b")
            a = self.read_letter.get(a, a) if unit == "point" else a
            b = self.read_letter.get(b, b) if (b and unit == "point") else b
            if b:
                ranges.append((a, b))
            else:
                singles.append(a)
        return singles, ranges

    def _group_at(self, t: str, cur: int, above: int):
        """The unit group (or "this" unit) at cur whose rank is above ``above``: (unit, match) or None."""
        h = self.head_re.match(t, cur)
        if not h:
            return None
        unit = h.lastgroup
        if UNIT_RANK[unit] <= above:
            return None
        m = self.group_re[unit].match(t, cur)
        if m:
            return unit, m
        rx = self.self_re[unit]
        if rx is not None:
            m = rx.match(t, cur)
            if m:
                return "self_" + unit, m
        return None

    def _chain(self, t: str, pos: int):
        """Parse unit groups from pos: returns (groups, end) where groups = [(unit, items)]."""
        groups = []
        rank = -1
        cur = pos
        end = pos
        while True:
            hit = self._group_at(t, cur, rank)
            if not hit:
                break
            unit, m = hit
            end = m.end()
            if unit.startswith("self_"):
                groups.append((unit, ([], [])))
                break  # nothing larger follows "this Article" / "khoản này"
            items = m.group("items")
            if unit == "article" and not groups:
                tail = self._article_tail(t, end, items)
                if tail:
                    groups.extend(tail[0])
                    end = tail[1]
                    break
            groups.append((unit, items))
            rank = UNIT_RANK[unit]
            sep = self.unit_sep.match(t, end)
            if not sep:
                break
            cur = sep.end()
        return groups, end

    def _article_tail(self, t: str, end: int, items: str):
        """After a first article group holding one number: English "(2)(dd)", "(3) and (4)", ".2", or
        the largest-first order "Điều 21 khoản 2 [điểm a]" / "Article 21, Clause 2"."""
        one = self.one_item["article"].fullmatch(items)
        if not one or one.group("b"):
            return None
        art = one.group("a")
        if self.g.get("article_tail_brackets"):
            m = self.paren_re.match(t, end)
            if m:
                vals = [m.group("v")]
                e = m.end()
                m2 = self.paren_re.match(t, e) if vals[0][0].isdigit() else None
                if m2 and not m2.group("v")[0].isdigit():
                    clause, pts, e = vals[0], [m2.group("v")], m2.end()
                    while (m3 := self.paren_list_re.match(t, e)) and not m3.group("v")[0].isdigit():
                        pts.append(m3.group("v"))
                        e = m3.end()
                    pts = [self.read_letter.get(p, p) for p in pts]
                    return [("point", (pts, [])), ("clause", ([clause], [])), ("article", ([art], []))], e
                if not vals[0][0].isdigit():
                    return None
                while (m3 := self.paren_list_re.match(t, e)) and m3.group("v")[0].isdigit():
                    vals.append(m3.group("v"))
                    e = m3.end()
                return [("clause", (vals, [])), ("article", ([art], []))], e
            m = self.dot_clause_re.match(t, end)
            if m:
                return [("clause", ([m.group("dcl")], [])), ("article", ([art], []))], m.end()
        # largest first: one clause (and one point) after the article
        sep = self.desc_sep.match(t, end)
        if not sep:
            return None
        mc = self.group_re["clause"].match(t, sep.end())
        if not mc or mc.group("from"):
            return None
        groups = [("clause", mc.group("items")), ("article", ([art], []))]
        e = mc.end()
        sep2 = self.desc_sep.match(t, e)
        if sep2:
            mp = self.group_re["point"].match(t, sep2.end())
            if mp and not mp.group("from"):
                groups.insert(0, ("point", mp.group("items")))
                e = mp.end()
        # "Điều 8 khoản 1 Điều 9"/"Article 8, Clause 1 of Article 9": not largest-first
        after = self.unit_sep.match(t, e)
        if after and (self.group_re["article"].match(t, after.end()) or (self.self_article and self.self_article.match(t, after.end()))):
            return None
        return groups, e

    def _title(self, t: str, pos: int):
        """An unknown document by its shape: "Luật Dẫn độ" (vi: a capital, then words up to
        punctuation or a stop word), "Law on Extradition" (en: capitalised words and connectors).
        Returns (DocRef, end) or None."""
        m = self.titled_re.match(t, pos)
        if not m:
            return self._known_only(t, pos)
        if self.title_same_line and "\n" in m.group(0):
            return None  # "… the Land Law" at a line end: the next line is not its title
        e = m.end()
        # "Luật Phòng, chống ma túy số 73/2021/QH14": a number later in the clause decides
        # (a title in small letters too: "Luật ban hành văn bản quy phạm pháp luật số 17/2008/QH12")
        num = self._title_number(t, e) if not self.title_conn else None
        if num:
            ref = DocRef("number", text=t[pos:num.end()], number=num.group("number"), doc_type=self.type_of_word.get(m.group("type")),
                         title=t[pos:num.start()].rstrip())
            return ref, self._tail(t, num.end(), ref)
        known = self._known_title_at(t, pos)
        if not known and self.title_any_case:  # "the Law on residence": as written
            low = self._known_title_at(t[pos:pos + 200].lower(), 0, lower=True)
            known = t[pos:pos + len(low)] if low else None
        if known:
            words_end = pos + len(known)
            ref = DocRef("title", text=known, doc_type=self.type_of_word.get(m.group("type")), title=known)
            num = self.alias_number_re.match(t, words_end)
            if num:
                ref = DocRef("number", text=t[pos:num.end()], number=num.group("number"), doc_type=ref.doc_type, title=known)
                return ref, self._tail(t, num.end(), ref)
            y = self.alias_year_re.match(t, words_end)
            if y:
                ref.year = int(y.group("year"))
                words_end = y.end()
                ref.text = t[pos:words_end]
            return ref, self._tail(t, words_end, ref)
        words_end = e
        n = 0
        first = True
        while n < self.title_max:
            w = self.word_re.match(t, words_end)
            if not w:
                break
            if w.group("comma") or (not self.title_conn and w.group("w") in self.title_joiners):
                # "Luật Phòng, chống ma túy", "Luật Phí và lệ phí": a list word goes on with a small letter
                nxt = self.word_re.match(t, w.end())
                if first or not nxt or not nxt.group("w") or nxt.group("w") not in self.title_cont:
                    break
                words_end = w.end()
                continue
            word = w.group("w")
            if first:
                if word[0].isupper():
                    first = False
                elif not (n == 0 and word in self.title_conn):  # "Law on Extradition"
                    return None
            elif self.title_conn:
                if not (word[0].isupper() or word in self.title_conn):
                    break
                if word in self.title_lists and not self._list_word_goes_on(t, w.end()):
                    break  # "… Nationality and Article 7", "… Government and the Law on …"
            elif word in self.title_stop or word.lower() in self.title_stop or word in self.type_of_word:
                # "Luật Công nghiệp công nghệ số": "số" ends a title only when a number follows
                if not (word in self.npre_words and not self.alias_number_re.match(t, words_end)):
                    break
            words_end = w.end()
            n += 1
        if first:
            return None
        # trailing connectors ("Law on X of") are not part of the title
        text = t[pos:words_end]
        while self.title_conn:
            head, _, last = text.rpartition(" ")
            if last in self.title_conn and head:
                text = head
            else:
                break
        words_end = pos + len(text)
        ref = DocRef("title", text=text, doc_type=self.type_of_word.get(m.group("type")), title=text)
        num = self.alias_number_re.match(t, words_end)
        if num:  # "Luật Tổ chức Chính phủ số 63/2025/QH15": the number decides
            ref = DocRef("number", text=t[pos:num.end()], number=num.group("number"), doc_type=ref.doc_type, title=text)
            words_end = num.end()
        else:
            y = self.alias_year_re.match(t, words_end)
            if y:
                ref.year = int(y.group("year"))
                words_end = y.end()
            # a long title read word by word, with nothing after it that closes it (a year, a date):
            # it may have run on into the sentence; said with a warning, not passed as sure
            tail = self.tail_re.match(t, words_end)
            if not y and not (tail and tail.end() > words_end) and (
                    len(text.split()) - len(m.group("type").split()) > self.title_sure or self._runs_on(t, words_end)):
                ref.uncertain = True
        return ref, self._tail(t, words_end, ref)

    def _list_word_goes_on(self, t: str, pos: int) -> bool:
        """After "and"/"or" inside an English title: the title goes on only when a capitalised word
        follows that starts no unit, document or known title ("Law on Cadres and Civil Servants")."""
        w = self.word_re.match(t, pos)
        if not w or not w.group("w"):
            return False
        word = w.group("w")
        if not word[0].isupper() or word in self.unit_word_set or word in self.type_of_word:
            return False
        return not (word in self.known_first and self._known_title_at(t, w.start() + len(w.group(0)) - len(word)))

    def _runs_on(self, t: str, pos: int) -> bool:
        """An English title read word by word stopped at a small word that does not usually follow a title
        ("the Law on Vietnamese nationality", "… for People with Meritorious Service"): it may go on."""
        if not self.title_sure_after:
            return False
        w = self.word_re.match(t, pos)
        word = w.group("w") if w else None
        return bool(word and word[0].islower() and word not in self.title_sure_after)

    def _known_only(self, t: str, pos: int):
        """A known title that does not start with a document word ("the Land Law", "Civil Code"): (DocRef, end) or None."""
        known = None
        w = self.two_words_re.match(t, pos)
        if w and w.group(1) in self.known_first:
            known = self._known_title_at(t, pos)
        if not known and self.title_any_case and t[pos:pos + 1].islower():  # "of the law on health insurance"
            low = self._known_title_at(t[pos:pos + 200].lower(), 0, lower=True)
            known = t[pos:pos + len(low)] if low else None
        if not known:
            return None
        dtype = next((self.type_of_word[x] for x in known.split() if x in self.type_of_word), None)
        ref = DocRef("title", text=known, doc_type=dtype, title=known)
        end = pos + len(known)
        num = self.alias_number_re.match(t, end)
        if num:
            ref = DocRef("number", text=t[pos:num.end()], number=num.group("number"), doc_type=dtype, title=known)
            end = num.end()
        return ref, self._tail(t, end, ref)

    @staticmethod
    def _title_index(titles: Iterable[str]) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for a in titles:
            index.setdefault(" ".join(a.split(" ", 3)[:3]), []).append(a)
        for v in index.values():
            v.sort(key=len, reverse=True)
        return index

    def _known_title_at(self, t: str, pos: int, lower: bool = False) -> Optional[str]:
        """The longest known title (grammar data, or taught by the text) written at pos, or None
        (``lower``: ``t`` is lower-cased, matched against the lower-cased titles)."""
        m = self.two_words_re.match(t, pos)
        if not m:
            return None
        ws = [w for w in m.groups() if w]
        best = None
        if lower:
            if self._known_lower is None:
                self._known_lower = self._title_index(a.lower() for v in self.known_titles.values() for a in v)
            indexes = (self._known_lower, {k.lower(): [a.lower() for a in v] for k, v in self._learned.items()})
        else:
            indexes = (self.known_titles, self._learned)
        for index in indexes:
            if not index:
                continue
            for k in range(len(ws), 0, -1):
                key = " ".join(ws[:k])
                for cand in (key, key.rstrip(",.;:)")):
                    for a in index.get(cand, ()):
                        if t.startswith(a, pos) and not _WORD_CHAR.match(t, pos + len(a)):
                            if best is None or len(a) > len(best):
                                best = a
                            break
        return best

    def learn_titles(self, t: str) -> list[str]:
        """Titles a text writes with a number, a date or a year right after them ("Căn cứ Luật Quốc
        tịch Việt Nam ngày 13 tháng 11 năm 2008", "Luật Viên chức số 58/2010/QH12"): the same words
        later, without the number, name the same document and end there."""
        if self.title_conn:  # English titles are read by their capitals
            return []
        out = []
        for m in self.titled_re.finditer(t):
            pos = m.start()
            if pos and _WORD_CHAR.match(t, pos - 1):
                continue
            e = m.end()
            n = 0
            first = True
            while n < self.title_max:
                w = self.word_re.match(t, e)
                if not w:
                    break
                if w.group("comma") or w.group("w") in self.title_joiners:
                    nxt = self.word_re.match(t, w.end())
                    if first or not nxt or not nxt.group("w") or nxt.group("w")[0].isupper():
                        break
                    e = w.end()
                    continue
                word = w.group("w")
                if first and not word[0].isupper():
                    break
                if word in self.title_stop or word.lower() in self.title_stop or word in self.type_of_word:
                    break
                first = False
                e = w.end()
                n += 1
            if first or n < 1:
                continue
            title = t[pos:e]
            if self.alias_number_re.match(t, e) or self.alias_year_re.match(t, e) or self.tail_re.match(t, e).end() > e:
                if title not in out:
                    out.append(title)
        return out

    def _title_number(self, t: str, pos: int):
        """" số NUMBER" after at most max_words title words (commas and list words allowed, no stop
        word, no other document word): the match, or None."""
        n = 0
        while n <= self.title_max:
            w = self.word_re.match(t, pos)
            if not w:
                return None
            word = w.group("w")
            if word and (word in self.title_barrier or word in self.npre_words or word in self.type_of_word):
                return self.alias_number_re.match(t, pos) if word in self.npre_words else None
            pos = w.end()
            n += 1
        return None

    def _alias_at(self, t: str, pos: int) -> Optional[str]:
        """The longest document name written at pos (ending at a word end), or None."""
        m = self.two_words_re.match(t, pos)
        if not m or m.group(1) not in self.alias_first and m.group(1).rstrip(",.;:)") not in self.alias_first:
            return None
        w1, w2, w3 = m.group(1), m.group(2), m.group(3)
        keys = []
        if w3:
            keys.append(f"{w1} {w2} {w3}")
            if w3[-1:] in ",.;:)":
                keys.append(f"{w1} {w2} {w3[:-1]}")
        if w2:
            keys.append(f"{w1} {w2}")
            if w2[-1:] in ",.;:)":
                keys.append(f"{w1} {w2[:-1]}")
        keys.append(w1)
        if w1[-1:] in ",.;:)":
            keys.append(w1[:-1])
        best = None
        for k in keys:
            for a in self.alias_index.get(k, ()):
                if t.startswith(a, pos) and not _WORD_CHAR.match(t, pos + len(a)):
                    if best is None or len(a) > len(best):
                        best = a
                    break
        return best

    def _unread_document(self, t: str, pos: int):
        """After a unit chain, a document word the grammar cannot read further ("Điều 21 Nghị định
        quy định xử phạt …"): the reference names *some* document, so it must not fall back to the
        enclosing one. Returns a title DocRef (the words up to punctuation) or None."""
        if t[pos:pos + 1] not in self.doc_first:
            return None
        m = self.any_type_re.match(t, pos)
        if not m:
            return None
        dtype = self.type_of_word.get(m.group("type"))
        # a known title written in small letters ("Luật bảo hiểm xã hội"): the title as written, ending there
        low = t[pos:pos + 200].lower()
        known = self._known_title_at(low, 0, lower=True)
        if known:
            text = t[pos:pos + len(known)]
            return DocRef("title", text=text, doc_type=dtype, title=text), pos + len(known)
        e = m.end()
        n = 0
        while n < 8:
            w = self.word_re.match(t, e)
            if not w or not w.group("w"):
                break
            e = w.end()
            n += 1
        text = t[pos:e]
        # eight words taken as they come: where this title ends is a guess, said with a warning; so is a
        # bare document word ("Clause 8, Article 3 of the Decree": which decree?) and, in a grammar whose
        # titles are capitalised, words in small letters ("Article 5 of the Law shall apply")
        guess = n == 0 or n > self.title_sure or (
            bool(self.title_conn) and any(x[:1].islower() and x not in self.title_conn for x in text[m.end() - pos:].split()))
        return DocRef("title", text=text, doc_type=dtype, title=text, uncertain=guess), e

    def _cap_next(self, t: str, pos: int) -> bool:
        w = self.word_re.match(t, pos)
        return bool(w and w.group("w") and w.group("w")[0].isupper())

    def _tail(self, t: str, end: int, ref: DocRef) -> int:
        m = self.tail_re.match(t, end)
        if m and m.end() > end:
            if m.group("year"):
                ref.year = int(m.group("year"))
            if m.group("date"):
                ref.date = parse_date(m.group("date"))
            ref.text = ref.text + t[end:m.end()]
            return m.end()
        return end

    def _docref(self, t: str, pos: int) -> Optional[tuple[DocRef, int]]:
        if t[pos:pos + 1] not in self.doc_first:
            return None
        m = self.self_doc_re.match(t, pos)
        if m:
            word = m.group("self")
            dtype = self.self_doc[word]
            return DocRef("self", text=word, doc_type=dtype), m.end()
        hit = self._alias_at(t, pos)
        if hit:
            if True:
                alias = self.abbrev.get(hit, hit)
                ref = DocRef("alias", text=hit, alias=alias)
                end = pos + len(hit)
                num = self.alias_number_re.match(t, end)
                if num:
                    ref.number = num.group("number")
                    end = num.end()
                    ref.text = t[pos:end]
                else:
                    y = self.alias_year_re.match(t, end)
                    if y:
                        ref.year = int(y.group("year"))
                        end = y.end()
                        ref.text = t[pos:end]
                return ref, self._tail(t, end, ref)
        m = self.typed_re.match(t, pos)
        if m:
            ref = DocRef("number", text=m.group(0), number=m.group("number"), doc_type=self.type_of_word.get(m.group("type")))
            return ref, self._tail(t, m.end(), ref)
        m = self.short_re.match(t, pos)
        if m:
            ref = DocRef("short", text=m.group(0), number=m.group("n") + (f"/{m.group('y')}" if m.group("y") else ""),
                         doc_type=self.type_of_word.get(m.group("type")))
            if m.group("y"):
                ref.year = int(m.group("y"))
            return ref, m.end()
        d = self._title(t, pos)
        if d:
            return d
        m = self.bare_number_re.match(t, pos)
        if m:
            return DocRef("number", text=m.group(0), number=m.group("number")), m.end()
        return None

    @staticmethod
    def _top_rank(groups) -> int:
        return max(UNIT_RANK.get(g[0].replace("self_", ""), 2) for g in groups)

    def _next_chain(self, t: str, end: int, *, max_rank: int, need_article: bool):
        """A further unit chain joined by ';' or a list word ("và", ",", "and"): (groups, end) or None.
        After ';' any chain may follow; after a list word the next chain must start at a unit no
        larger than ``max_rank`` ("khoản 1 và khoản 2 Điều 5", "Điều 5 và Điều 6 Luật …")."""
        seps = ((self.group_sep, True), (self.list_sep, False))
        if self.phrase_sep is not None and need_article:
            seps += ((self.phrase_sep, True),)
        for sep_re, any_rank in seps:
            sep = sep_re.match(t, end)
            if not sep or sep.end() == end:
                continue
            groups, gend = self._chain(t, sep.end())
            if not groups:
                continue
            first = UNIT_RANK.get(groups[0][0].replace("self_", ""), 2)
            if not any_rank and first > max_rank:
                continue
            if need_article and not _has_article(groups):
                # "Điều 5 và khoản 2 Điều 6": the article may come later in the next chain only
                continue
            return groups, gend
        return None

    def _parse_at(self, t: str, pos: int) -> tuple[Optional[Citation], int]:
        """Parse one citation starting at pos: (citation or None, end of the text consumed)."""
        segments: list = []  # each segment: chains sharing one article (the last chain's)
        pending: list = []
        start = pos
        end = pos
        doc = None
        groups, gend = self._chain(t, pos)
        while groups:
            pending.append(groups)
            end = gend
            if _has_article(groups):
                segments.append(pending)
                pending = []
                if groups[-1][0] != "article":
                    # "khoản 1 Điều này và Điều 3 Nghị định số X": "Điều này" is the enclosing
                    # article, never X's: a "this" unit ends the citation
                    break
                conn = self.doc_conn.match(t, end)
                doc = self._docref(t, conn.end()) if conn else None
                if doc is None and conn:
                    doc = self._unread_document(t, conn.end())
                if doc:
                    break
                # "Điều 5 và Điều 6 Luật …", "khoản 1 Điều 5, khoản 2 Điều 6 Nghị định …"
                nxt = self._next_chain(t, end, max_rank=2, need_article=True)
            else:
                # a partial chain (no article yet): may continue after ';' or a list word
                nxt = self._next_chain(t, end, max_rank=self._top_rank(groups), need_article=False)
            if nxt is None:
                break
            groups, gend = nxt
        if segments:
            cit = Citation(start=start, end=end, text="", lang=self.lang)
            for seg in segments:
                self._fill(cit, seg)
            seen = set()  # keep order, drop duplicates
            cit.provisions = [p for p in cit.provisions if not (p in seen or seen.add(p))]
            if doc:
                cit.doc, cit.end = doc
            self._historical(cit, t)
            return cit, cit.end
        if pending:
            # "điểm f": a point letter that does not exist is a malformed citation
            for gr in pending:
                for unit, items in gr:
                    if unit == "point":
                        if isinstance(items, str):
                            found = _BAD_LETTER.search(items)
                            bad = [found.group(0)] if found else []
                        else:
                            bad = [x for x in items[0] + [r for rr in items[1] for r in rr] if x not in VI_LETTERS]
                        if bad:
                            c = Citation(start=start, end=end, text="", lang=self.lang, problem="bad_point_letter",
                                         problem_params={"letter": bad[0]})
                            return c, end
            if self._orphans and len(pending) == 1 and any(u == "clause" for u, _ in pending[0]) \
                    and not self.doc_conn.match(t, end):
                cit = Citation(start=start, end=end, text="", lang=self.lang, no_article=True)
                self._fill(cit, [pending[0] + [("self_article", ([], []))]])
                return cit, end
            return None, end
        # no unit group: a document named on its own
        d = self._docref(t, pos)
        if d and (d[0].kind != "self" or self._self_docs) and (d[0].kind != "title" or self._titles):
            cit = Citation(start=pos, end=d[1], text="", lang=self.lang, doc=d[0])
            self._historical(cit, t)
            return cit, cit.end
        return None, pos

    def _historical(self, cit: Citation, t: str) -> None:
        h = self.historical_re.match(t, cit.end)
        if h:
            cit.historical = parse_date(h.group("date"))
            cit.historical_text = h.group("date")
            if cit.historical is None:
                cit.problem = "bad_date"
                cit.problem_params = {"date": h.group("date")}
            cit.end = h.end()

    def _fill(self, cit: Citation, chains: list) -> None:
        """Provisions of one segment: chains sharing the article of the last one. A chain lacking a
        larger unit takes it from the next chain that has it ("điểm a và điểm b khoản 2 Điều 21":
        point a shares clause 2)."""
        parsed = []
        for chain in chains:
            d = {}
            for unit, items in chain:
                if unit.startswith("self_"):
                    d[unit] = True
                    continue
                singles, ranges = self._items(unit, items)
                if unit == "article":
                    d["ranges"] = ranges
                    d["article"] = singles
                elif unit == "clause":
                    d["clause"] = singles + [x for a, b in ranges for x in _expand_numbers(a, b)]
                else:
                    d["point"] = singles + [x for a, b in ranges for x in _expand_letters(a, b)]
            if d.get("self_point"):
                d["point"], d["self_clause"] = [SELF], True
            if d.get("self_clause"):
                d["clause"], d["self_article"] = [SELF], True
            if d.get("self_article"):
                d["article"], d["ranges"] = [SELF], []
            parsed.append(d)
        # share larger units backwards
        for i in range(len(parsed) - 2, -1, -1):
            d, nxt = parsed[i], parsed[i + 1]
            if "article" not in d:
                d["article"], d["ranges"] = nxt.get("article", []), nxt.get("ranges", [])
                if "clause" not in d and "point" in d and "clause" in nxt:
                    d["clause"] = nxt["clause"]
        last = parsed[-1]
        for r in last.get("ranges", []):
            cit.ranges.append(ArticleRange(*r))
        if SELF in last.get("article", []):
            cit.self_article = True
        for d in parsed:
            arts = d.get("article") or []
            cl_list = d.get("clause") or []
            pt_list = d.get("point") or []
            for art in arts:
                if not cl_list:
                    cit.provisions.append(Provision(art))
                    continue
                for cl in cl_list:
                    if not pt_list:
                        cit.provisions.append(Provision(art, cl))
                    for pt in pt_list:
                        cit.provisions.append(Provision(art, cl, pt))


_ARTICLE_UNITS = frozenset(("article", "self_article", "self_clause", "self_point"))


def _has_article(groups) -> bool:
    for g in groups:
        if g[0] in _ARTICLE_UNITS:
            return True
    return False


def _expand_numbers(a: str, b: str) -> list[str]:
    """'4'..'9' -> 4, 5, …, 9 (lettered ends are kept as they are; the registry checks them)."""
    if a.isdigit() and b.isdigit() and int(a) <= int(b) and int(b) - int(a) < 100:
        return [str(i) for i in range(int(a), int(b) + 1)]
    return [a, b]


def _expand_letters(a: str, b: str) -> list[str]:
    if a in VI_LETTERS and b in VI_LETTERS and VI_LETTERS.index(a) <= VI_LETTERS.index(b):
        return VI_LETTERS[VI_LETTERS.index(a): VI_LETTERS.index(b) + 1]
    return [a, b]


@functools.lru_cache(maxsize=64)
def _cached_parser(lang: str, aliases: tuple) -> Parser:
    return Parser(lang, aliases)


def get_parser(lang: str, aliases: Iterable[str] = ()) -> Parser:
    return _cached_parser(lang, tuple(sorted(set(aliases))))
