"""Bilingual integrity, one rule at a time, on small page pairs in a temporary project: citations,
figures, procedure-card fields, level-2 sections, glossary variants, and the translation status
(current / outdated / missing) from the recorded source hash."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lawsite.site.parity import check_glossary, check_pair, source_hash
from lawsite.project.loader import Glossary, load_project
from lawsite.build.sitebuild import translation_status
from lawsite.site.sitecheck import check_site

ROOT = Path(__file__).resolve().parents[1]
REAL = load_project(ROOT)
FIG = next(k for k, f in sorted(REAL.figures.items.items()) if f.publishable)
FIG2 = next(k for k, f in sorted(REAL.figures.items.items()) if f.publishable and k != FIG)
GLOSSARY = [{"vi": "thẻ tạm trú", "en": "temporary residence card", "variants_en": ["residence permit"]},
            {"vi": "tạm hoãn xuất cảnh", "en": "exit suspension", "variants_en": ["exit ban"]}]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-11-22")
    (tmp_path / "docs").mkdir()
    return dataclasses.replace(REAL, root=tmp_path, docs_dir=tmp_path / "docs", glossary=Glossary(GLOSSARY))


def _page(title: str, body: str, *, card: dict | None = None, extra: str = "") -> str:
    fm = [f"title: {title}", "description: Một trang thử.", "last_reviewed: 2026-11-22",
          'documents: ["49/2019/QH14"]']  # a page that cites law lists its documents (issue 17)
    if card:
        fm.append("procedure:")
        fm += [f"  {k}: {v}" for k, v in card.items()]
    return "---\n" + "\n".join(fm) + "\n" + extra + "---\n\n" + body


VI = ("Theo khoản 2 Điều 28 Luật số 49/2019/QH14, bạn nộp tờ khai. Lệ phí là {{ %s }}.\n\n"
      "## Hồ sơ\n\nTờ khai và ảnh.\n\n## Nơi nộp\n\nCơ quan Công an.\n") % FIG
EN = ("Under Clause 2, Article 28 of Law No. 49/2019/QH14, you file a form. The charge is {{ %s }}.\n\n"
      "## Papers\n\nThe form and photos.\n\n## Where to apply\n\nThe police.\n") % FIG
CARD_VI = {"for": "Công dân Việt Nam", "where": "Công an tỉnh"}
CARD_EN = {"for": "Vietnamese citizens", "where": "Provincial police"}


def _pair(project, vi: str, en: str | None, name: str = "thu"):
    d = project.docs_dir
    (d / f"{name}.md").write_text(vi, encoding="utf-8")
    if en is not None:
        (d / f"{name}.en.md").write_text(en, encoding="utf-8")
    rep = check_site(project, sorted(d.glob(f"{name}*.md")))
    return rep, [f for f in rep.findings if f.code.startswith(("parity_", "glossary_", "page_no_source"))]


def test_identical_pair_has_no_finding(project):
    rep, found = _pair(project, _page("Thử", VI, card=CARD_VI), _page("Test", EN, card=CARD_EN))
    assert found == []
    assert all(not r.errors for r in rep.pages.values()), [f.format("en") for r in rep.pages.values() for f in r.findings]


def test_citation_only_in_vietnamese_is_an_error_listing_it(project):
    vi = VI + "\nXem thêm điểm a khoản 1 Điều 15 Luật số 49/2019/QH14.\n"
    _, found = _pair(project, _page("Thử", vi), _page("Test", EN))
    assert [f.code for f in found] == ["parity_citations"] and found[0].severity == "error"
    assert found[0].path.endswith("thu.en.md")
    msg = found[0].message("en")
    assert "Vietnamese version but not in the English version" in msg and "49/2019/QH14 art15.cl1.pta" in msg
    assert "art28" not in msg  # only the difference is listed


def test_citation_only_in_english_is_an_error(project):
    en = EN + "\nSee also Article 347 of the Penal Code.\n"
    _, found = _pair(project, _page("Thử", VI), _page("Test", en))
    assert [f.code for f in found] == ["parity_citations"]
    assert "English version but not in the Vietnamese version: 100/2015/QH13 art347" in found[0].message("en")


def test_same_provisions_written_differently_are_equal(project):
    vi = VI + "\nCác khoản 1 và 2 Điều 15 Luật số 49/2019/QH14.\n"
    en = EN + "\nClause 1 and Clause 2, Article 15 of Law No. 49/2019/QH14.\n"
    _, found = _pair(project, _page("Thử", vi), _page("Test", en))
    assert found == []


def test_figure_only_in_english_is_an_error(project):
    en = EN + "\nThe other charge is {{ %s }}.\n" % FIG2
    _, found = _pair(project, _page("Thử", VI), _page("Test", en))
    assert [(f.code, f.severity) for f in found] == [("parity_figures", "error")]
    msg = found[0].message("en")
    assert f"English version but not in the Vietnamese version: {FIG2}" in msg


def test_figure_only_in_vietnamese_is_an_error(project):
    _, found = _pair(project, _page("Thử", VI), _page("Test", EN.replace("{{ %s }}" % FIG, "a fee")))
    assert [f.code for f in found] == ["parity_figures"] and FIG in found[0].message("vi")


def test_procedure_card_field_only_in_one_language_is_an_error(project):
    card_en = dict(CARD_EN, time_limit="5 working days")
    _, found = _pair(project, _page("Thử", VI, card=CARD_VI), _page("Test", EN, card=card_en))
    assert [(f.code, f.severity) for f in found] == [("parity_card", "error")]
    assert "time_limit" in found[0].message("en")


def test_card_only_in_vietnamese_is_an_error(project):
    _, found = _pair(project, _page("Thử", VI, card=CARD_VI), _page("Test", EN))
    assert [f.code for f in found] == ["parity_card"]
    assert "for" in found[0].params["items"] and "where" in found[0].params["items"]


def test_different_number_of_level2_headings_is_a_warning(project):
    en = EN + "\n## Fees\n\nSee above.\n\n### A level-3 heading does not count\n"
    _, found = _pair(project, _page("Thử", VI), _page("Test", en))
    assert [(f.code, f.severity) for f in found] == [("parity_headings", "warning")]
    assert found[0].params == {"vi": 2, "en": 3}


def test_headings_inside_code_blocks_do_not_count(project):
    en = EN + "\n```markdown\n## Not a heading\n```\n"
    _, found = _pair(project, _page("Thử", VI), _page("Test", en))
    assert found == []


def test_glossary_variant_in_english_is_a_warning_with_its_line(project):
    en = EN + "\nYou need a valid residence permit.\n\nAn Exit Ban may apply.\n"
    _, found = _pair(project, _page("Thử", VI), _page("Test", en))
    assert sorted((f.code, f.severity) for f in found) == [("glossary_variant", "warning")] * 2
    lines = (project.docs_dir / "thu.en.md").read_text().splitlines()
    by_variant = {f.params["variant"]: f for f in found}
    f = by_variant["residence permit"]
    assert "residence permit" in lines[f.line - 1] and lines[f.line - 1][f.col - 1:].lower().startswith("residence permit")
    assert "exit ban" in lines[by_variant["exit ban"].line - 1].lower()
    assert "temporary residence card" in f.message("en")


def test_glossary_variant_in_code_or_in_vietnamese_page_is_ignored(project):
    en = EN + "\nThe old term `residence permit` is not used.\n"
    vi = VI + "\nKhông dùng residence permit.\n"
    _, found = _pair(project, _page("Thử", vi), _page("Test", en))
    assert found == []


def test_check_pair_directly_reports_each_rule_once(project):
    from lawsite.page.process import process_page

    vi = process_page(project, "docs/a.md", _page("Thử", VI + "\n## Thêm\n\nĐiều 5 Luật số 49/2019/QH14.\n", card=CARD_VI))
    en = process_page(project, "docs/a.en.md", _page("Test", EN.replace("{{ %s }}" % FIG, "{{ %s }}" % FIG2)))
    codes = sorted(f.code for f in check_pair(vi, en))
    assert codes == ["parity_card", "parity_citations", "parity_figures", "parity_figures", "parity_headings"]
    assert check_glossary(project, en) == []


def test_english_page_without_vietnamese_source_is_an_error(project):
    (project.docs_dir / "lone.en.md").write_text(_page("Lone", EN), encoding="utf-8")
    rep = check_site(project, [project.docs_dir / "lone.en.md"])
    assert [f.code for f in rep.findings] == ["page_no_source"]


# --- translation status -------------------------------------------------------------------------
def test_translation_current_then_outdated_when_vietnamese_changes(project):
    vi_text = _page("Thử", VI)
    h = source_hash(vi_text)
    (project.docs_dir / "thu.md").write_text(vi_text, encoding="utf-8")
    (project.docs_dir / "thu.en.md").write_text(_page("Test", EN, extra=f"source_hash: {h}\n"), encoding="utf-8")
    st = translation_status(project, "thu.md")
    assert st.state == "current" and st.recorded == st.actual == h
    assert translation_status(project, "thu.en.md").state == "current"  # either name of the pair
    # front matter and trailing spaces are not content: still current
    (project.docs_dir / "thu.md").write_text(vi_text.replace("last_reviewed: 2026-11-22", "last_reviewed: 2026-11-21")
                                             .replace("ảnh.\n", "ảnh.   \n"), encoding="utf-8")
    assert translation_status(project, "thu.md").state == "current"
    # the Vietnamese body changes: the translation is outdated
    (project.docs_dir / "thu.md").write_text(vi_text + "\nMột đoạn mới.\n", encoding="utf-8")
    st = translation_status(project, "thu.md")
    assert st.state == "outdated" and st.recorded == h and st.actual != h
    assert st.vi_reviewed is not None and st.vi_reviewed.isoformat() == "2026-11-22"


def test_translation_missing_and_unmarked(project):
    (project.docs_dir / "thu.md").write_text(_page("Thử", VI), encoding="utf-8")
    assert translation_status(project, "thu.md").state == "missing"
    (project.docs_dir / "thu.en.md").write_text(_page("Test", EN), encoding="utf-8")
    assert translation_status(project, "thu.md").state == "unmarked"


def test_source_hash_ignores_line_endings_and_nfd(project):
    import unicodedata

    text = _page("Thử", VI)
    assert source_hash(text) != source_hash(text + "x")
    (project.docs_dir / "thu.md").write_bytes(unicodedata.normalize("NFD", text).replace("\n", "\r\n").encode())
    (project.docs_dir / "thu.en.md").write_text(_page("Test", EN, extra=f"source_hash: {source_hash(text)}\n"), encoding="utf-8")
    assert translation_status(project, "thu.md").state == "current"
