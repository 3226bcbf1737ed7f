"""Parse: find citations in Markdown text, in a language given by a grammar table.

The same code serves Vietnamese and English: every word and separator comes from
``lawsite/grammar/<lang>.yaml``. Text is NFC-normalised and dash variants are mapped to '-'
(same length) before matching; code, link URLs and HTML tags are masked (offsets are kept).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from importlib import resources
from typing import Iterable, Optional

import yaml

from ..yamlio import load as _yload

from ..l10n import MONTHS_EN
from ..text import DASHES, mask, nfc
from .model import ArticleRange, Citation, DocRef, Provision

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
EN_LETTER = {"dd": "đ"}


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


class Parser:
    """A citation parser for one language and one set of document names (aliases)."""

    def __init__(self, lang: str, aliases: Iterable[str] = ()):
        g = load_grammar(lang)
        self.lang = lang
        self.g = g
        self.aliases = sorted({nfc(a) for a in aliases if a}, key=len, reverse=True)
        u = g["units"]
        self.unit_words = {k: (_cap(v["plural"]), _cap(v["single"])) for k, v in u.items()}
        letter = r"(?:dd|[a-z])" if lang == "en" else r"[a-zđ]"
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
                rf"(?:(?P<from>{_alt(g['range_prefix'])})\s+)?(?P<word>{words})\s+(?P<items>{one}(?:(?:{lsep}){one})*)"
            )
        self.one_item = {unit: re.compile(rf"(?P<a>{self.item_re[unit]}){E}(?:\s*(?:{rng}|[-–])\s*(?:(?:{_alt(self.unit_words[unit][1] + self.unit_words[unit][0])})\s+)?(?P<b>{self.item_re[unit]}){E})?")
                         for unit in self.unit_words}
        self.unit_sep = re.compile(g["unit_separator"])
        self.list_sep = re.compile(lsep)
        self.doc_conn = re.compile(g["doc_connector"])
        self.group_sep = re.compile(r"\s*(?:" + re.escape(g["group_separator"]) + (r"|,\s*and" if lang == "en" else "") + r")\s+")
        self_article = _cap(g["self_article"])
        self.self_article = re.compile("(?:" + _alt(self_article) + ")" + E)
        self.self_doc = {w: t for t, word in g["self_document"].items() for w in _cap([word])}  # word -> type
        self.self_doc_re = re.compile("(?P<self>" + _alt(self.self_doc) + ")" + E)
        types = {w: t for t, ws in g["doc_types"].items() for w in ws}
        self.type_of_word = types
        npre = _alt(g["number_prefix"])
        typed = rf"(?P<type>{_alt(types)})\s+(?:(?:{npre})\s*)?(?P<number>{NUMBER})"
        alias = (rf"(?P<alias>{_alt(self.aliases)}){E}(?:\s+(?:(?:{npre})\s*)?(?P<anumber>{NUMBER}))?" if self.aliases else r"(?P<alias>(?!x)x)(?P<anumber>(?!x)x)")
        tail = (rf"(?:\s+(?:{_alt(g['year_words'])})\s+(?P<year>(?:19|20)\d\d){E})?"
                rf"(?:\s+(?:{_alt(g['date_words'])})\s+(?P<date>{DATE_RE}))?")
        self.docref_re = re.compile(rf"(?:{typed}|{alias}){tail}")
        # aliases may be followed by a bare year: "Bộ luật Hình sự 2015"
        self.alias_year_re = re.compile(rf"\s+(?P<year>(?:19|20)\d\d){E}")
        self.bare_number_re = re.compile(rf"{B}(?P<number>{BARE_NUMBER}){E}")
        self.historical_re = re.compile(g["historical"])
        # triggers: where a citation may begin. One regex per starting word, each beginning with a
        # literal (or a digit), so the regex engine scans for it quickly; the word-start condition
        # (no letter just before) is checked in parse() instead of a leading look-behind.
        words = []
        for plural, single in self.unit_words.values():
            words += plural + single
        after_word = rf"\s+(?:{ART_NUM}|{letter}){E}"
        trig = [rf"{re.escape(w)}{after_word}" for w in words]
        trig += [rf"{re.escape(w)}\s+(?:{_alt(words)}){after_word}" for w in _cap(g["range_prefix"])]
        trig += [rf"{re.escape(w)}{E}" for w in self_article]
        trig += [rf"{re.escape(w)}\s+(?:(?:{npre})\s*)?\d" for w in types]
        trig.append(rf"(?:{BARE_NUMBER}){E}")
        trig += [rf"{re.escape(a)}{E}" for a in self.aliases]
        self.triggers = [re.compile(t) for t in trig]
        # English: "Article 21(2)(dd)" and "Article 21.2" (clause 2)
        self.letter_tail_re = re.compile(rf"\s*(?P<cl>\({CL_NUM}\))(?P<pt>\((?:dd|[a-z])\))?|\.(?P<dcl>{CL_NUM})(?![\w.])")

    # ------------------------------------------------------------------------------------
    def candidates(self, t: str) -> list[int]:
        """Sorted positions where a citation may start (a trigger at a word start)."""
        # (a second match of the same trigger cannot begin inside a rejected one: each trigger starts
        # with a word or a number that does not occur again inside its own match)
        starts = {m.start() for rx in self.triggers for m in rx.finditer(t)
                  if m.start() == 0 or not _WORD_CHAR.match(t, m.start() - 1)}
        return sorted(starts)

    def parse(self, text: str, *, masked: Optional[str] = None) -> list[Citation]:
        """Find every citation. ``text`` must already be NFC (offsets refer to it)."""
        src = _dashes(text)
        # dash variants are mapped to '-' (same length) in the masked text too
        m_text = _dashes(masked) if masked is not None else mask(src)
        out: list[Citation] = []
        pos = 0
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

    def _items(self, unit: str, items) -> tuple[list[str], list[tuple[str, str]]]:
        """(singles, ranges) of a group's items; ``items`` is the raw text (split lazily: a long list
        that never reaches an article is never split) or an already split pair."""
        if not isinstance(items, str):
            return items
        if items.isdigit():  # the usual case: one plain number
            return [items], []
        items_text = items
        singles, ranges = [], []
        for piece in self.list_sep.split(items_text):
            m = self.one_item[unit].fullmatch(piece.strip())
            if not m:
                continue
            a, b = m.group("a"), m.group("b")
            a = EN_LETTER.get(a, a) if unit == "point" and self.lang == "en" else a
            b = EN_LETTER.get(b, b) if (b and unit == "point" and self.lang == "en") else b
            if b:
                ranges.append((a, b))
            else:
                singles.append(a)
        return singles, ranges

    def _chain(self, t: str, pos: int):
        """Parse unit groups from pos: returns (groups, end) where groups = [(unit, singles, ranges)]."""
        groups = []
        rank = -1
        cur = pos
        end = pos
        while True:
            matched = None
            for unit in ("point", "clause", "article"):
                if UNIT_RANK[unit] <= rank:
                    continue
                m = self.group_re[unit].match(t, cur)
                if m:
                    matched = (unit, m)
                    break
            if not matched:
                if rank < UNIT_RANK["article"]:
                    m = self.self_article.match(t, cur)
                    if m:
                        groups.append(("self_article", ([], [])))
                        end = m.end()
                break
            unit, m = matched
            items = m.group("items")
            end = m.end()
            if unit == "article" and self.lang == "en" and not groups:
                lt = self.letter_tail_re.match(t, end)
                one = self.one_item["article"].fullmatch(items) if lt else None
                if lt and one and not one.group("b"):
                    if lt.group("pt"):
                        p = lt.group("pt")[1:-1]
                        groups.append(("point", ([EN_LETTER.get(p, p)], [])))
                    groups.append(("clause", ([lt.group("cl")[1:-1] if lt.group("cl") else lt.group("dcl")], [])))
                    groups.append(("article", ([one.group("a")], [])))
                    end = lt.end()
                    break
            groups.append((unit, items))
            rank = UNIT_RANK[unit]
            sep = self.unit_sep.match(t, end)
            if not sep:
                break
            cur = sep.end()
        return groups, end

    def _docref(self, t: str, pos: int) -> Optional[tuple[DocRef, int]]:
        m = self.self_doc_re.match(t, pos)
        if m:
            word = m.group("self")
            dtype = self.self_doc[word]
            return DocRef("self", text=word, doc_type=dtype), m.end()
        m = self.docref_re.match(t, pos)
        if m:
            number = m.group("number") or m.group("anumber")
            ref = DocRef("number" if m.group("number") else "alias", text=m.group(0), number=number,
                         doc_type=self.type_of_word.get(m.group("type")) if m.group("type") else None,
                         alias=m.group("alias"))
            end = m.end()
            if m.group("year"):
                ref.year = int(m.group("year"))
            elif ref.alias and not number:
                y = self.alias_year_re.match(t, end)
                if y:
                    ref.year = int(y.group("year"))
                    end = y.end()
            if m.group("date"):
                ref.date = parse_date(m.group("date"))
            return ref, end
        m = self.bare_number_re.match(t, pos)
        if m:
            return DocRef("number", text=m.group(0), number=m.group("number")), m.end()
        return None

    @staticmethod
    def _top_rank(groups) -> int:
        return max(UNIT_RANK.get(g[0], 2) for g in groups)

    def _next_chain(self, t: str, end: int, *, max_rank: int, need_article: bool):
        """A further unit chain joined by ';' or a list word ("và", ",", "and"): (groups, end) or None.
        After ';' any chain may follow; after a list word the next chain must start at a unit no
        larger than ``max_rank`` ("khoản 1 và khoản 2 Điều 5", "Điều 5 và Điều 6 Luật …")."""
        for sep_re, any_rank in ((self.group_sep, True), (self.list_sep, False)):
            sep = sep_re.match(t, end)
            if not sep or sep.end() == end:
                continue
            groups, gend = self._chain(t, sep.end())
            if not groups:
                continue
            first = UNIT_RANK.get(groups[0][0], 2)
            if not any_rank and first > max_rank:
                continue
            if need_article and not any(g[0] in ("article", "self_article") for g in groups):
                # "Điều 5 và khoản 2 Điều 6": the article may come later in the next chain only
                continue
            return groups, gend
        return None

    def _parse_at(self, t: str, pos: int) -> tuple[Optional[Citation], int]:
        """Parse one citation starting at pos: (citation or None, end of the text consumed)."""
        segments: list = []  # each segment: chains sharing one article (the last chain's)
        pending: list = []
        start = pos
        cur = pos
        end = pos
        doc = None
        groups, gend = self._chain(t, cur)
        while groups:
            pending.append(groups)
            end = gend
            has_article = any(g[0] in ("article", "self_article") for g in groups)
            if has_article:
                segments.append(pending)
                pending = []
                conn = self.doc_conn.match(t, end)
                doc = self._docref(t, conn.end()) if conn else None
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
            return None, end
        # no unit group: a document named on its own
        d = self._docref(t, pos)
        if d and d[0].kind != "self":
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
        # the last chain carries the article; earlier chains (joined by ';') share it
        last = chains[-1]
        art_singles, art_ranges, self_art = [], [], False
        for unit, items in last:
            if unit == "article":
                singles, ranges = self._items(unit, items)
                art_singles, art_ranges = singles, ranges
            if unit == "self_article":
                self_art = True
        cit.self_article = cit.self_article or self_art
        for first, lastnum in art_ranges:
            cit.ranges.append(ArticleRange(first, lastnum))
        arts = art_singles or ([None] if self_art else [])
        for chain in chains:
            d = {u: self._items(u, items) for u, items in chain}
            clauses = d.get("clause", ([], []))
            points = d.get("point", ([], []))
            cl_list = clauses[0] + [x for a, b in clauses[1] for x in _expand_numbers(a, b)]
            pt_list = points[0] + [x for a, b in points[1] for x in _expand_letters(a, b)]
            for art in arts:
                if not cl_list:
                    cit.provisions.append(Provision(art))
                    continue
                for cl in cl_list:
                    if not pt_list:
                        cit.provisions.append(Provision(art, cl))
                    for pt in pt_list:
                        cit.provisions.append(Provision(art, cl, pt))


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
