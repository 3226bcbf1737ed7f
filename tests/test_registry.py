"""The legal registry (data/registry): loads, matches the structure counts of the legal texts,
answers date queries, and rejects bad data with a message naming the file and the key."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import registry_error
from lawsite.project.registry import RegistryError, load_registry

ROOT = Path(__file__).resolve().parents[1]
REG = ROOT / "data" / "registry"
D = dt.date


@pytest.fixture(scope="module")
def reg():
    return load_registry(REG)


def _art_numbers(doc):
    return [a.number for a in doc.articles]


def test_whole_registry_loads(reg):
    assert len(reg) >= 25
    for number in ["49/2019/QH14", "47/2014/QH13", "282/2025/NĐ-CP", "144/2021/NĐ-CP", "100/2015/QH13",
                   "127/NQ-CP", "44/NQ-CP", "229/NQ-CP", "28/2026/TT-BTC", "117/2026/TT-BTC"]:
        assert reg.get(number) is not None, number
    # ASCII "ND-CP" finds the same document as "NĐ-CP"
    assert reg.get("282/2025/ND-CP") is reg.get("282/2025/NĐ-CP")


def test_every_document_has_stub_pages(reg):
    for doc in reg:
        for name in (f"{doc.slug}.md", f"{doc.slug}.en.md"):
            page = ROOT / "docs" / "van-ban" / name
            assert page.is_file(), page
            text = page.read_text(encoding="utf-8")
            assert f'registry: "{doc.number}"' in text


def test_ss_documents_cited_by_pages_are_verified_or_flagged(reg):
    for number in ["44/NQ-CP", "229/NQ-CP", "127/NQ-CP", "49/2025/NĐ-CP", "76/2020/NĐ-CP", "31/2023/TT-BCA"]:
        doc = reg.get(number)
        assert doc.confidence == "SS" and doc.verified_source, number
    assert reg.get("28/2026/TT-BTC").confidence == "SS"
    assert not reg.get("28/2026/TT-BTC").verified_source  # not verified: citations must be refused


def test_year_less_resolutions_need_a_date(reg):
    for doc in reg:
        if doc.type == "Nghị quyết" and doc.number.count("/") == 1:
            assert doc.needs_date and doc.signed, doc.number


# --- Law 49/2019/QH14 -----------------------------------------------------------------------
def test_law49_articles(reg):
    doc = reg.get("49/2019/QH14")
    assert doc.structure == "full"
    expected = [str(i) for i in range(1, 53)]
    for extra, after in (("28a", "28"), ("31a", "31"), ("31b", "31a")):
        expected.insert(expected.index(after) + 1, extra)
    assert _art_numbers(doc) == expected
    assert len(doc.articles) == 55


def test_law49_clause_and_point_counts(reg):
    doc = reg.get("49/2019/QH14")
    counts = {a.number: len(a.clauses) for a in doc.articles}
    assert counts["8"] == 15 and counts["11"] == 11 and counts["37"] == 12 and counts["45"] == 13
    for no_clauses in ("1", "14", "28a", "31b", "34", "51", "52"):
        assert doc.article(no_clauses).clauses == [], no_clauses
    assert [c.number for c in doc.article("16").clauses] == ["1", "1a", "2", "3", "4", "5", "6"]
    k1 = doc.article("41").clauses[0]
    assert [p.letter for p in k1.points] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"]


def test_law49_dated_changes(reg):
    doc = reg.get("49/2019/QH14")
    a31a = doc.article("31a")
    assert not a31a.exists_on(D(2026, 6, 30))
    assert a31a.exists_on(D(2026, 7, 1))
    assert a31a.added_by == "118/2025/QH15"
    a28a = doc.article("28a")
    assert a28a.added == D(2023, 8, 15) and a28a.added_by == "23/2023/QH15"
    a27 = doc.article("27")
    assert [c.number for c in a27.clauses if c.exists_on(D(2026, 6, 30))] == ["1", "2", "3", "4"]
    assert len([c for c in a27.clauses if c.exists_on(D(2026, 7, 1))]) == 7
    k9 = doc.article("11").clauses[8]
    assert k9.number == "9" and k9.repealed == D(2026, 7, 1) and k9.repealed_by == "118/2025/QH15"
    assert not k9.repealed_on(D(2026, 6, 30)) and k9.repealed_on(D(2026, 7, 1))
    dd = doc.article("12").clauses[1].points[4]
    assert dd.letter == "đ" and dd.repealed == D(2026, 7, 1)
    assert doc.article("15").clauses[8].added == D(2023, 8, 15)
    assert doc.article("16").clauses[1].added == D(2023, 8, 15)
    pt_dd = doc.article("6").clauses[0].points[4]
    assert pt_dd.letter == "đ" and any(c.by == "23/2023/QH15" and c.date == D(2023, 8, 15) for c in pt_dd.amended)
    # Article 8 clause 11 was amended twice (23/2023, then 08/2026)
    assert [c.by for c in doc.article("8").clauses[10].amended] == ["23/2023/QH15", "08/2026/QH16"]
    assert [(c.by, c.date) for c in doc.amended_by] == [
        ("23/2023/QH15", D(2023, 8, 15)), ("118/2025/QH15", D(2026, 7, 1)), ("08/2026/QH16", D(2026, 7, 1))]


# --- Law 47/2014/QH13 -----------------------------------------------------------------------
def test_law47_articles(reg):
    doc = reg.get("47/2014/QH13")
    nums = _art_numbers(doc)
    assert len(nums) == 60
    assert [n for n in nums if not n.isdigit()] == ["6a", "16a", "16b", "19a", "45a"]
    assert [n for n in nums if n.isdigit()] == [str(i) for i in range(1, 56)]


def test_law47_article8_over_time(reg):
    a8 = reg.get("47/2014/QH13").article("8")
    numbers = [c.number for c in a8.clauses]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "7a", "7b", "7c", "7d", "8", "8a", "9", "10", "11", "12",
                       "13", "14", "15", "16", "16a", "17", "18", "19", "20", "21", "22", "23"]
    on = lambda day: len([c for c in a8.clauses if c.exists_on(day)])  # noqa: E731
    assert (on(D(2019, 1, 1)), on(D(2020, 7, 1)), on(D(2026, 7, 1))) == (20, 27, 29)


def test_law47_other_dated_changes(reg):
    doc = reg.get("47/2014/QH13")
    k = {c.number: c for c in doc.article("16").clauses}
    assert k["6"].repealed == D(2026, 7, 1) and k["7"].repealed == D(2026, 7, 1)
    assert k["6"].repealed_on(D(2026, 7, 1)) and not k["6"].repealed_on(D(2026, 6, 30))
    a12 = {c.number: c for c in doc.article("12").clauses}
    assert a12["3a"].added == D(2020, 7, 1) and a12["6"].added == D(2026, 7, 1)
    assert {c.number: c for c in doc.article("9").clauses}["5a"].added == D(2020, 7, 1)
    pts = doc.article("31").clauses[0].points
    assert [p.letter for p in pts] == ["a", "b", "c", "d", "đ"] and pts[4].added == D(2026, 7, 1)
    for number in ("16a", "16b", "19a"):
        assert doc.article(number).added == D(2020, 7, 1), number
    assert doc.article("45a").added == D(2023, 8, 15)
    assert doc.article("6a").added == D(2026, 7, 1)
    assert [c.by for c in doc.amended_by] == ["51/2019/QH14", "23/2023/QH15", "118/2025/QH15", "103/2025/QH15"]


# --- Decree 282/2025 and 144/2021 -------------------------------------------------------------
def test_decree282_structure(reg):
    doc = reg.get("282/2025/NĐ-CP")
    assert _art_numbers(doc) == [str(i) for i in range(1, 72)]
    assert all(a.clauses is not None for a in doc.articles)
    a21 = doc.article("21")
    assert [c.number for c in a21.clauses] == [str(i) for i in range(1, 13)]
    points = {c.number: [p.letter for p in c.points] for c in a21.clauses}
    assert points == {
        "1": [], "2": ["a", "b", "c", "d", "đ", "e", "g"], "3": ["a", "b", "c", "d", "đ", "e"], "4": ["a", "b"],
        "5": ["a", "b", "c"], "6": ["a", "b", "c", "d", "đ"], "7": ["a", "b", "c", "d", "đ"], "8": [],
        "9": ["a", "b", "c", "d", "đ", "e", "g"], "10": [], "11": ["a", "b"], "12": [],
    }
    assert len(doc.article("69").clauses) == 5 and len(doc.article("70").clauses) == 3
    assert doc.effective == D(2025, 12, 15)
    assert "144/2021/NĐ-CP" in doc.replaces


def test_decree144_ended_with_successor(reg):
    doc = reg.get("144/2021/NĐ-CP")
    assert doc.status == "hết hiệu lực toàn bộ"
    assert doc.end == D(2025, 12, 15)
    assert doc.replaced_by.number == "282/2025/NĐ-CP" and doc.replaced_by.date == D(2025, 12, 15)
    assert doc.in_force_on(D(2025, 12, 14)) and not doc.in_force_on(D(2025, 12, 15))
    assert doc.status_on(D(2025, 12, 15)) == "hết hiệu lực toàn bộ"
    assert doc.structure == "articles" and _art_numbers(doc) == ["18"]
    assert doc.article("18").clauses is None  # clauses unknown


# --- Penal Code ---------------------------------------------------------------------------------
def test_penal_code(reg):
    doc = reg.get("100/2015/QH13")
    assert doc.type == "Bộ luật" and doc.structure == "articles"
    assert "Bộ luật Hình sự" in doc.aliases("vi") and "Criminal Code" in doc.aliases("en")
    assert doc.article("347").clauses == []
    for number in ("348", "349"):
        cl = doc.article(number).clauses
        assert [c.number for c in cl] == ["1", "2", "3", "4"]
        assert [p.letter for p in cl[1].points] == ["a", "b", "c", "d", "đ", "e"]
        assert [p.letter for p in cl[2].points] == ["a", "b", "c"]
        assert not doc.article(number).amended and not any(c.amended for c in cl)
    a350 = doc.article("350")
    assert [p.letter for p in a350.clauses[1].points] == ["a", "b", "c", "d", "đ"]


def test_resolution_periods(reg):
    r44 = reg.get("44/NQ-CP")
    assert r44.in_force_on(D(2028, 3, 14)) and not r44.in_force_on(D(2028, 3, 15))
    assert reg.get("32/NQ-CP").replaced_by.number == "44/NQ-CP"
    assert reg.get("11/NQ-CP").end == D(2025, 8, 15)
    c117 = reg.get("117/2026/TT-BTC")
    assert c117.in_force_on(D(2027, 2, 28)) and not c117.in_force_on(D(2027, 3, 1))
    assert [p.letter for p in c117.article("1").clauses[7].points] == ["a", "b", "c", "d", "đ", "e"]


# --- the schema rejects bad data ----------------------------------------------------------------
GOOD = """\
number: 1/2020/NĐ-CP
type: Nghị định
slug: nghi-dinh-1-2020-nd-cp
title: {vi: Nghị định thử, en: Test decree}
issuer: {vi: Chính phủ, en: Government}
effective: 2020-01-01
status: còn hiệu lực
confidence: VT
articles:
  - number: 1
    title: {vi: Phạm vi, en: Scope}
    clauses:
      - number: 1
        points: [a, b]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_minimal_file_loads(tmp_path):
    _write(tmp_path, "good.yaml", GOOD)
    reg = load_registry(tmp_path)
    assert reg.get("1/2020/ND-CP").article("1").clauses[0].points[1].letter == "b"


def test_rejects_wrong_type(tmp_path):
    _write(tmp_path, "bad-type.yaml", GOOD.replace("type: Nghị định", "type: Decree"))
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    msg = e.value.render("en")
    assert "bad-type.yaml:2:1: error: Registry error at key 'type'" in msg and "'Decree'" in msg
    assert "Lỗi danh mục ở khóa 'type'" in str(e.value)  # Vietnamese by default (mends9)


def test_rejects_point_letter_f(tmp_path):
    _write(tmp_path, "bad-point.yaml", GOOD.replace("points: [a, b]", "points: [a, f]"))
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    msg = e.value.render("en")
    line = GOOD.replace("points: [a, b]", "points: [a, f]").splitlines().index("        points: [a, f]") + 1
    assert f"bad-point.yaml:{line}:1: error: 'f' is not a Vietnamese point letter" in msg
    assert "'f' không phải chữ cái đánh số điểm" in str(e.value)


def test_rejects_duplicate_number_across_files(tmp_path):
    _write(tmp_path, "a.yaml", GOOD)
    _write(tmp_path, "b.yaml", GOOD.replace("slug: nghi-dinh-1-2020-nd-cp", "slug: other-slug")
           .replace("number: 1/2020/NĐ-CP", "number: 1/2020/ND-CP"))
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    msg = e.value.render("en")
    assert "b.yaml:1:1: error: Document number 1/2020/ND-CP is already defined in" in msg and "a.yaml" in msg
    assert "Số văn bản 1/2020/ND-CP đã có trong" in str(e.value)


def test_rejects_malformed_yaml(tmp_path):
    _write(tmp_path, "broken.yaml", "number: 1/2020/NĐ-CP\ntitle: {vi: x, en: y\ntype: Luật\n")
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    msg = e.value.render("en")
    assert "broken.yaml:3:1: error: The registry file is not valid YAML" in msg
    assert "không đúng cú pháp YAML" in str(e.value)


def test_rejects_dangling_successor(tmp_path):
    _write(tmp_path, "ended.yaml", GOOD.replace("status: còn hiệu lực",
           "status: hết hiệu lực toàn bộ\nend: 2021-01-01\nreplaced_by: {number: 9/2021/NĐ-CP, date: 2021-01-01}"))
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path)
    assert "ended.yaml:9:1: error: '1/2020/NĐ-CP' refers to 9/2021/NĐ-CP, which is not in the registry" in e.value.render("en")


# --- the structure script ------------------------------------------------------------------------
TEXTS = ROOT.parent / "shared" / "legal-texts"


@pytest.mark.skipif(not TEXTS.is_dir(), reason="legal texts not available")
def test_derive_structure_reproduces_law49(reg, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("derive_structure", ROOT / "tools" / "derive_structure.py")
    ds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ds)
    text = ds.normalise((TEXTS / "law-49-2019-QH14.consolidated-107-VBHN-VPQH-2026.vi.txt").read_text(encoding="utf-8"))
    header, arts, fns, marks, warns = ds.parse(text)
    ds.apply_dates(marks, fns, ds.amending_acts(header), warns)
    doc = reg.get("49/2019/QH14")
    assert [a["number"] for a in arts] == _art_numbers(doc)
    for a, b in zip(arts, doc.articles):
        assert [c["number"] for c in a["clauses"]] == [c.number for c in b.clauses]
        assert a.get("added") == b.added


# --- relations and dates (issue 17) ------------------------------------------------------------------
def _doc(number: str, slug: str, extra: str = "", status: str = "còn hiệu lực", signed: str = "2020-01-10",
         effective: str = "2020-02-01") -> str:
    return (f"number: {number}\ntype: Nghị định\nslug: {slug}\ntitle: {{vi: T, en: T}}\nissuer: {{vi: C, en: G}}\n"
            f"signed: {signed}\neffective: {effective}\nstatus: {status}\nstructure: none\n{extra}"
            + ("" if extra.endswith("\n") or not extra else "\n") + "confidence: VT\n")


def _fails(tmp_path, files: dict) -> str:
    return registry_error(tmp_path, files).render("en")


def test_rejects_successor_cycle(tmp_path):
    ended = "end: 2021-01-01\nreplaced_by: {{number: {}, date: 2021-01-01}}\n"
    msg = _fails(tmp_path, {"a.yaml": _doc("2/2020/NĐ-CP", "a", ended.format("3/2020/NĐ-CP"), "hết hiệu lực toàn bộ"),
                            "b.yaml": _doc("3/2020/NĐ-CP", "b", ended.format("2/2020/NĐ-CP"), "hết hiệu lực toàn bộ")})
    assert "a.yaml:11:1: error: Successors form a cycle: 2/2020/NĐ-CP -> 3/2020/NĐ-CP -> 2/2020/NĐ-CP." in msg
    assert str(tmp_path) not in msg  # paths relative to the project, not absolute temporary ones


def test_rejects_self_and_older_successor(tmp_path):
    msg = _fails(tmp_path, {
        "self.yaml": _doc("4/2020/NĐ-CP", "s", "end: 2021-01-01\nreplaced_by: {number: 4/2020/NĐ-CP, date: 2021-01-01}\n", "hết hiệu lực toàn bộ"),
        "new.yaml": _doc("5/2021/NĐ-CP", "n", "end: 2022-01-01\nreplaced_by: {number: 6/2019/NĐ-CP, date: 2022-01-01}\n", "hết hiệu lực toàn bộ",
                         signed="2021-01-10", effective="2021-02-01"),
        "old.yaml": _doc("6/2019/NĐ-CP", "o", signed="2019-01-10", effective="2019-02-01")})
    assert "self.yaml:11:1: error: '4/2020/NĐ-CP' is replaced by itself" in msg
    assert "new.yaml:11:1: error: '5/2021/NĐ-CP' is replaced by 6/2019/NĐ-CP, an older document" in msg


def test_status_must_agree_with_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-11-22")
    msg = _fails(tmp_path, {"a.yaml": _doc("7/2020/NĐ-CP", "a", "end: 2025-01-01\n"),
                            "b.yaml": _doc("8/2020/NĐ-CP", "b", "end: 2027-01-01\n", "hết hiệu lực toàn bộ"),
                            "c.yaml": _doc("9/2020/NĐ-CP", "c", status="chưa có hiệu lực"),
                            "d.yaml": _doc("10/2020/NĐ-CP", "d", signed="2020-03-01"),
                            "e.yaml": _doc("11/2020/NĐ-CP", "e", signed="2019-12-01", effective="2020-01-01")})
    assert "a.yaml:8:1: error: Status 'còn hiệu lực' contradicts end 2025-01-01" in msg
    assert "b.yaml" not in msg  # an end still to come: fine (checks may run as of an earlier date)
    assert "c.yaml:8:1: error: Status 'chưa có hiệu lực' but the document is effective since 2020-02-01" in msg
    assert "d.yaml:6:1: error: '10/2020/NĐ-CP' is signed (2020-03-01) after it took effect (2020-02-01)" in msg
    assert "e.yaml:6:1: error: The number 11/2020/NĐ-CP says 2020" in msg


def test_rejects_duplicate_key_and_alias(tmp_path):
    msg = _fails(tmp_path, {"dup.yaml": _doc("12/2020/NĐ-CP", "d", "status: hết hiệu lực toàn bộ\n"),
                            "alias.yaml": _doc("13/2020/NĐ-CP", "a").replace("title: {vi: T, en: T}", "title: &t {vi: T, en: T}").replace("issuer: {vi: C, en: G}", "issuer: *t")})
    assert "dup.yaml:10:1: error: The registry file is not valid YAML: the key 'status' is written twice" in msg
    assert "alias.yaml:4:1: error: The registry file is not valid YAML: an anchor ('&t') is not allowed" in msg


def test_real_registry_relations_are_consistent(reg):
    """The real registry passes every relation check (it loaded) and each successor is newer."""
    for doc in reg:
        if doc.replaced_by:
            succ = reg.get(doc.replaced_by.number)
            assert succ is not doc and doc.end == doc.replaced_by.date
            # an unknown effective date (null) cannot be compared; a known one is never earlier
            assert None in (succ.effective, doc.effective) or succ.effective >= doc.effective


def test_resolution_128_has_its_title_as_issued_with_its_source(reg):
    """mends8: the registry held a descriptive title; the heading of the text (reproduced at a named
    address) gives the title as issued: it amends 32/NQ-CP and lists the 13 countries, Belarus last."""
    d = reg.get("128/NQ-CP")
    assert d.title.vi.startswith("Nghị quyết về việc sửa đổi Nghị quyết số 32/NQ-CP ngày 15 tháng 3 năm 2022 của Chính phủ")
    assert d.title.vi.endswith("Cộng hòa Phần Lan và Cộng hòa Bê-la-rút")
    countries = re.split(r", | và (?=Cộng hòa)", d.title.vi.split("các nước: ", 1)[1])  # "Anh và Bắc Ai-len" is one
    assert len(countries) == 13 and d.title.en.endswith("Finland and Belarus")
    assert "luatsubaoho.com/phapluat/nghi-quyet-so-128-nq-cp" in d.verified_source
    assert "dựng lại" not in d.notes.vi and "reconstructed" not in d.notes.en


# --- mends9: every load error of the registry is a message code, in both languages, at its file and line ---
@pytest.mark.parametrize("files,line,code", [
    ({"x.yaml": b"number: \xff\n"}, 1, "registry_not_utf8"),
    ({"x.yaml": "- a list\n"}, 1, "registry_not_mapping"),
    ({"x.yaml": GOOD.replace("slug: nghi-dinh-1-2020-nd-cp", "slug: Bad_Slug")}, 3, "registry_slug"),
    ({"x.yaml": GOOD.replace("  - number: 1\n", "  - number: x1\n", 1)}, None, "registry_article_number"),
    ({"x.yaml": GOOD + "  - number: 1\n    title: {vi: Lại, en: Again}\n"}, None, "registry_article_twice"),
    ({"x.yaml": GOOD.replace("status: còn hiệu lực", "status: hết hiệu lực toàn bộ")}, None, "registry_end_missing"),
    ({"a.yaml": GOOD, "b.yaml": GOOD.replace("number: 1/2020/NĐ-CP", "number: 2/2020/NĐ-CP")}, None, "registry_duplicate_slug"),
])
def test_every_registry_error_speaks_both_languages(tmp_path, files, line, code):
    from lawsite.core.findings import Finding, catalogue

    for name, text in files.items():
        (tmp_path / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(RegistryError) as e:
        load_registry(tmp_path, root=tmp_path)
    def flat(err):
        for it in err.items:
            yield from (flat(it) if isinstance(it, RegistryError) else [it])

    found = list(flat(e.value))
    assert all(isinstance(f, Finding) for f in found), found
    assert [f.code for f in found] == [code], e.value.render("en")
    f = found[0]
    if line is not None:
        assert f.line == line
    vi, en = e.value.render("vi"), e.value.render("en")
    assert vi != en and "Traceback" not in vi + en
    for lang, text in (("vi", vi), ("en", en)):
        assert text.startswith(f"{f.path}:{f.line}:1: error: "), text
        assert catalogue(lang)[code]["hint"].split("{")[0] in text  # the hint too, in that language
    assert str(e.value) == vi  # Vietnamese by default


def test_no_registry_message_is_english_only():
    """No English sentence is built in registry.py: every problem is a Finding with a code that both
    catalogues hold."""
    import ast

    from lawsite.core.findings import catalogue

    src = (ROOT / "lawsite" / "project" / "registry.py").read_text("utf-8")
    tree = ast.parse(src)
    assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Raise) and "ValueError" in ast.unparse(n)]
    appended = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "append"
                and n.args and isinstance(n.args[0], ast.JoinedStr)]
    assert not appended, [ast.unparse(n) for n in appended]
    codes = set(re.findall(r'"(registry_[a-z_]+)"', src))
    assert len(codes) >= 25 and codes <= set(catalogue("vi")) and codes <= set(catalogue("en")), codes - set(catalogue("en"))
