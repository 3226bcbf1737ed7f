"""Properties of the citation parser (hypothesis): it never raises, whatever the text; its work
(grammar steps, counted, not timed) grows linearly with the input; and rendering any provision recorded
in the registry, then parsing it again, gives the same reference in both languages."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawsite.cite.model import Provision
from lawsite.cite.names import citation_text
from lawsite.cite.parse import get_parser
from lawsite.cite.resolve import resolve
from lawsite.cite.scan import scan_text
from lawsite.cite.validate import validate
from lawsite.project.loader import load_project
from lawsite.core.text import nfc
import datetime as dt

ROOT = Path(__file__).resolve().parents[1]
PROJECT = load_project(ROOT)
PARSERS = {lang: get_parser(lang, PROJECT.aliases(lang)) for lang in ("vi", "en")}
TODAY = dt.date(2026, 11, 22)

# pieces of citations, glued at random: the parser must survive any mix of them
PIECES = ["Điều", "điều", "khoản", "Khoản", "điểm", "các", "từ", "đến", "và", "hoặc", ";", ",", " ", "\n", "(", ")", "[", "]",
          "`", "```", "Luật", "số", "Nghị định", "Bộ luật Hình sự", "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam",
          "49/2019/QH14", "282/2025/NĐ-CP", "282/2025/ND‐CP", "127/NQ-CP", "ngày", "14/8/2023", "năm", "2019", "này",
          "Article", "Articles", "Clause", "Clauses", "Point", "Points", "of", "to", "and", "this", "Decree", "No.",
          "(2)", "(dd)", ".2", "21", "28a", "1a", "a", "đ", "dd", "f", "0", "999999999999999999999", "(hết hiệu lực từ",
          "15/12/2025)", "(no longer in force from", "31/02/2025", "\u0301", "\u0323", "\u2013", "\u2212", "<!--", "-->", "](", "http://x"]


def _parse_all(text: str) -> None:
    for lang, parser in PARSERS.items():
        cites = parser.parse(nfc(text))
        resolve(cites, PROJECT.registry, ["49/2019/QH14"])
        validate([c for c in cites if c.document is not None], PROJECT.registry, on=TODAY, today=TODAY, reviewed=TODAY)
        for c in cites:
            assert 0 <= c.start < c.end <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_never_raises_on_random_unicode(text):
    _parse_all(text)
    _parse_all(unicodedata.normalize("NFD", text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join))
def test_never_raises_on_citation_like_text(text):
    _parse_all(text)
    _parse_all(unicodedata.normalize("NFD", text))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**40), st.integers(min_value=0, max_value=10**40))
def test_never_raises_on_huge_numbers(a, b):
    _parse_all(f"khoản {b} Điều {a} Luật số 49/2019/QH14; từ Điều {a} đến Điều {b} Luật số {a}/{b}/QH14; "
               f"Article {a}({b})(dd) of Decree No. {b}/2025/ND-CP; Articles {a} to {b} of Law No. 49/2019/QH14")


def _adversarial(size: int) -> str:
    """``size`` characters of the worst inputs we know of, in equal shares."""
    share = size // 6
    parts = [
        "khoản " + ", ".join(str(i % 99 + 1) for i in range(share // 3)),  # a long list, no article
        "; ".join(f"các điểm a, b và c khoản {i % 9 + 1}, {i % 7 + 1}" for i in range(share // 30)),  # nested lists
        "điểm " + ", ".join("abcdđeghiklmnopqrstuvxy"[i % 23] for i in range(share // 3)),  # points without article
        "Điều " * (share // 5 + 1),  # thousands of "Điều" words
        " ".join(f"Điều {i % 60} và Điều {i % 50 + 1}, khoản {i % 9} Luật này" for i in range(share // 40)),
        "(" * (share // 2) + "[" * (share // 2 + 1),  # unbalanced brackets
    ]
    text = "\n".join(p[:share - 1] for p in parts)
    return text + " " * (size - len(text))


_STEPS = ("_parse_at", "_chain", "_group_at", "_docref", "_next_chain", "_title", "_alias_at", "_items", "_fill")


def _work(text: str) -> int:
    """The parser's work on a text, counted (never timed): calls of its grammar steps plus the
    characters its chains and item lists cover. A parser that re-reads what it consumed (the old
    quadratic failure on long lists without an article) does more work per character."""
    from lawsite.cite.parse import Parser

    parser = Parser("vi", PROJECT.aliases("vi"))
    count = [0]

    def counted(f):
        def wrapper(*a, **k):
            count[0] += 1
            out = f(*a, **k)
            if f.__name__ == "_chain" and out:  # the span a chain covers
                count[0] += max(0, out[1] - a[1]) // 8
            return out
        return wrapper

    for name in _STEPS:
        setattr(parser, name, counted(getattr(parser, name)))
    parser.parse(text)
    return count[0]


@pytest.mark.slow
def test_one_megabyte_of_adversarial_text_is_parsed_in_bounded_work():
    text = _adversarial(1_000_000)
    assert len(text) == 1_000_000
    work = _work(text)
    assert 0 < work < len(text), f"{work} steps for {len(text)} characters"


@pytest.mark.slow
def test_parse_work_grows_linearly():
    small, large = _work(_adversarial(250_000)), _work(_adversarial(1_000_000))
    assert small > 1000  # the adversarial text does exercise the grammar
    assert large <= 4.5 * small, f"{small} -> {large} steps for 4x the input"


# --- render -> re-parse round trip for generated provisions that exist in the registry ----------------
def _provisions():
    out = []
    for doc in PROJECT.registry:
        if doc.structure == "none":
            continue
        for a in doc.articles:
            out.append((doc.number, Provision(a.number)))
            for cl in a.clauses or []:
                out.append((doc.number, Provision(a.number, cl.number)))
                out += [(doc.number, Provision(a.number, cl.number, p.letter)) for p in cl.points]
    return out


PROVISIONS = _provisions()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PROVISIONS), st.sampled_from(["vi", "en"]), st.sampled_from(["", "Theo ", "(", "xem "]),
       st.sampled_from(["", ".", ")", ", và ", "; "]))
def test_render_then_parse_round_trip(item, lang, before, after):
    number, prov = item
    doc = PROJECT.registry.get(number)
    text = citation_text(doc, prov, lang)
    cites = PARSERS[lang].parse(nfc(before + text + after))
    resolve(cites, PROJECT.registry, [])
    assert len(cites) == 1 and cites[0].text == text
    assert cites[0].document is doc and cites[0].provisions == [prov]


# --- never attaches a reference to a document the text did not name or declare (issue 12) ------------
NAMING = ["Điều 21", "khoản 2", "điểm a", "Điều này", "khoản này", "điểm này", "Luật này", "Nghị định này",
          "Bộ luật này", "Nghị định 282", "Nghị định 144", "NĐ 282/2025/NĐ-CP", "BLHS", "Luật Dẫn độ",
          "Bộ luật Hình sự năm 1999", "Bộ luật Tố tụng hình sự", "Luật số 49/2019/QH14", "47/2014/QH13",
          "Nghị định số 142/2021/NĐ-CP", "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam", "của", "và", ",", ";",
          "\n", "Điều 7.", "1.", "a)", "“", "”.", "như sau:", "Sửa đổi, bổ sung một số điều của", "Ðiều", "\u200b",
          "Article 21", "Clause 2", "of this Decree", "of the Law on Extradition", "Decree No. 282/2025/ND-CP", "(2)", "(dd)"]
_TYPE_WORDS = {t: [w for lang in ("vi", "en") for w in get_parser(lang).g["doc_types"].get(t, [])]
               for t in {d.type for d in PROJECT.registry}}


def _named(doc, text: str) -> bool:
    """Does the text itself name ``doc`` (number, name, abbreviation or short number)?"""
    import re

    from lawsite.core.text import norm_number

    flat = norm_number(text)  # (NFC, dash variants, đ folded, upper case, no spaces)
    if norm_number(doc.number) in flat:
        return True
    low = nfc(text).lower()
    if any(nfc(n).lower() in low for names in doc.short_names.values() for n in names):
        return True
    if "BLHS" in text and doc.type == "Bộ luật":
        return True
    head = doc.number.split("/")[0]
    words = "|".join(re.escape(w) for w in _TYPE_WORDS.get(doc.type, []))
    return bool(words and re.search(rf"(?:{words})\s+(?:số\s*)?{re.escape(head)}(?!\d)", nfc(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NAMING + PIECES[:30]), max_size=40).map(" ".join),
       st.sampled_from([[], ["49/2019/QH14"], ["282/2025/NĐ-CP"]]))
def test_never_attaches_to_a_document_not_named_or_declared(text, declared):
    declared_docs = [PROJECT.registry.get(n) for n in declared]
    for lang, parser in PARSERS.items():
        cites = parser.parse(nfc(text))
        resolve(cites, PROJECT.registry, declared)
        for c in cites:
            if c.document is not None:
                assert c.document in declared_docs or _named(c.document, text), (lang, c.text, c.document.number)
    # lawsite scan: the text's own document, or one the text names
    for lang in ("vi", "en"):
        for r in scan_text(PROJECT, text, lang=lang, document=declared[0] if declared else None, on=TODAY):
            if r.in_registry:
                doc = PROJECT.registry.get(r.document)
                assert doc in declared_docs or _named(doc, text), (lang, r.text, r.document)
