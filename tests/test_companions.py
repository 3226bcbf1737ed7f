"""Companion citations (audit5, docs-dev/audit-2026-12-01c.md): a page that states a rule whose
exception lives in another provision must give the exception in the same block (paragraph, list or
table). The one rule so far: documents cannot be used or issued under exit suspension (Law 49 Art. 26,
Art. 21 cl. 2, Art. 22 cl. 2), except in the special case of Art. 37 cl. 12 - a sentence audit4 and
audit5 both found stated without it."""
from __future__ import annotations

import pytest

from conftest import ROOT
from helpers import line_of
from lawsite.core.settings import DataError
from lawsite.page.companions import RULES_FILE, parse_rules
from lawsite.page.process import clear_cache, process_page
from lawsite.project.loader import load_project

PAGE = "cong-dan/qua-lai-bien-gioi-dat-lien"
VI_EXC = (", trừ trường hợp đặc biệt Bộ trưởng Bộ Công an thống nhất với người ra quyết định tạm hoãn cho xuất cảnh"
          " (khoản 12 Điều 37 Luật số 49/2019/QH14).")
EN_EXC = (", except in a special case in which the Minister of Public Security and the person who made the"
          " suspension decision agree to allow exit (Clause 12, Article 37 of Law No. 49/2019/QH14).")


@pytest.fixture(scope="module")
def project():
    clear_cache()
    return load_project(ROOT, fresh=True)


def _found(project, name: str, text: str):
    """The companion findings of docs/<name> if it read `text` (no copy of the project is needed)."""
    lang = "en" if name.endswith(".en.md") else "vi"
    res = process_page(project, f"docs/{name}", text.encode("utf-8"), lang=lang, src_uri=name)
    return [f for f in res.findings if f.code == "cite_companion_missing"]


_line_of = line_of


def test_the_real_pages_give_the_exception_wherever_they_state_the_rule(project):
    checked = 0
    for f in sorted((ROOT / "docs").rglob("*.md")):
        name = f.relative_to(ROOT / "docs").as_posix()
        text = f.read_text("utf-8")
        if not any(s in text for s in ("Điều 26 Luật số 49", "Article 26 of Law No. 49",
                                        "khoản 2 Điều 21 Luật số 49", "Clause 2, Article 21 of Law No. 49")):
            continue
        bad = [x.message("en") for x in _found(project, name, text)]
        assert not bad, (name, bad)
        checked += 1
    assert checked >= 10  # the suspension sentences are on many pages; the filter must not skip them all


@pytest.mark.parametrize("name, exc, cite", [
    (f"{PAGE}.md", VI_EXC, " (Điều 26 Luật số 49/2019/QH14)."),
    (f"{PAGE}.en.md", EN_EXC, " (Article 26 of Law No. 49/2019/QH14)."),
])
def test_the_rule_stated_without_its_exception_is_an_error_at_the_citation(project, name, exc, cite):
    text = (ROOT / "docs" / name).read_text("utf-8")
    assert cite[:-1] + exc in text and not _found(project, name, text)
    broken = text.replace(cite[:-1] + exc, cite)  # the sentence as it was before audit5
    got = _found(project, name, broken)
    assert len(got) == 1, [x.message("en") for x in got]
    x = got[0]
    assert (x.path, x.line, x.severity) == (f"docs/{name}", _line_of(broken, cite.strip(" .")), "error")
    # Vietnamese by default, English on request; both name the missing provision and the rule.
    assert x.message("vi").startswith("Đoạn này dẫn") and "khoản 12 Điều 37" in x.message("vi")
    assert "Clause 12, Article 37" in x.message("en") and "exit-suspension-special-case" in x.message("en")


def test_the_exception_counts_only_in_the_same_block(project):
    name = "hoi-dap/xuat-canh.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    exc = " Ngoại lệ: trong trường hợp đặc biệt,"
    assert exc in text and not _found(project, name, text)
    # The same exception sentence, moved to a paragraph of its own, no longer answers the rule.
    moved = text.replace(exc, "\n\nNgoại lệ: trong trường hợp đặc biệt,")
    got = _found(project, name, moved)
    assert [x.line for x in got] == [_line_of(moved, "đang bị tạm hoãn xuất cảnh (Điều 26 Luật số 49/2019/QH14)")]


def test_citing_the_article_about_something_else_is_not_flagged(project):
    name = "cong-dan/giay-thong-hanh.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    # Article 26 cited for what a laissez-passer is for, in a paragraph that does not speak of suspension.
    text += "\nGiấy thông hành dùng để qua lại biên giới (Điều 26 Luật số 49/2019/QH14).\n"
    assert not _found(project, name, text)
    # The same paragraph speaking of exit suspension is flagged; citing Article 37 whole is not enough.
    flagged = text + "\nNgười bị tạm hoãn xuất cảnh không dùng được giấy này (Điều 26 Luật số 49/2019/QH14; Điều 37 Luật số 49/2019/QH14).\n"
    assert len(_found(project, name, flagged)) == 1


def _rules_text(**over) -> str:
    rule = {"when": '["26@49/2019/QH14"]', "also": '["37.12@49/2019/QH14"]',
            "about": '{vi: ["tạm hoãn xuất cảnh"], en: ["exit suspension"]}',
            "exception": '{vi: "trường hợp đặc biệt", en: "the special case"}'}
    rule.update(over)
    body = "".join(f"    {k}: {v}\n" for k, v in rule.items() if v is not None)
    return "# test\nrules:\n  - id: one\n" + body


def test_the_rules_file_is_checked_with_file_and_line():
    """The schema (lawsite/project/companion_rules.py, pydantic like the figures and the settings):
    each problem at its line, in plain words, in Vietnamese by default and in English on request."""
    registry = load_project(ROOT).registry
    assert [r.id for r in parse_rules(_rules_text(), registry)] == ["one"]

    def problems(text):
        with pytest.raises(DataError) as e:
            parse_rules(text, registry)
        return e.value.findings

    f, = problems(_rules_text(also='["37.99@49/2019/QH14"]'))
    assert (f.path, f.line, f.code) == (RULES_FILE, 5, "companion_bad_value")
    assert f.message("en").startswith("Companion-citation rule 'one': 'also' '37.99@49/2019/QH14' names a provision the registry does not have")
    assert f.message("vi").startswith("Quy tắc dẫn kèm 'one': 'also' '37.99@49/2019/QH14' nêu một quy định không có")
    f, = problems(_rules_text(when='["26@9/2019/QH14"]'))
    assert f.line == 4 and "names a document that is not in data/registry/" in f.message("en")
    f, = problems(_rules_text(when='["Điều 26"]'))
    assert f.line == 4 and "is not written as ARTICLE[.CLAUSE[.POINT]]@NUMBER" in f.message("en")
    f, = problems(_rules_text(about='{vi: ["tạm hoãn xuất cảnh"]}'))
    assert f.line == 6 and "'about' must give every language (vi, en)" in f.message("en")
    f, = problems(_rules_text(exception='{vi: "  ", en: "the special case"}'))
    assert f.line == 7 and "'exception.vi' must not be empty" in f.message("en")
    f, = problems(_rules_text(also=None))
    assert (f.line, f.code) == (3, "companion_bad_value") and "'also' is required" in f.message("en")
    f, = problems(_rules_text(whenn='["26@49/2019/QH14"]'))
    assert (f.line, f.code) == (8, "companion_unknown_key") and "Did you mean 'when'?" in f.message("en")
    f, = problems(_rules_text() + _rules_text().split("rules:\n", 1)[1])
    assert (f.line, f.code) == (8, "companion_duplicate_id") and "first at line 3" in f.message("en")
    f, = problems("rules:\n  - id: one\n    when: [\n")
    assert (f.path, f.code) == (RULES_FILE, "data_yaml") and f.line >= 3
    f, = problems("- one\n")
    assert (f.line, f.code) == (1, "data_not_mapping")


def test_the_rules_are_loaded_once_with_the_project(project, monkeypatch):
    """project.companions holds the validated rules; checking pages never reads or parses the file again."""
    from lawsite.page.companions import load_rules
    import lawsite.project.companion_rules as cr

    import yaml
    in_file = [r["id"] for r in yaml.safe_load((ROOT / RULES_FILE).read_text("utf-8"))["rules"]]
    assert [r.id for r in project.companions] == in_file and "exit-suspension-special-case" in in_file
    assert load_rules(project) is project.companions
    monkeypatch.setattr(cr, "parse_rules", lambda *a, **k: pytest.fail("the rules were parsed again"))
    name = f"{PAGE}.md"
    broken = (ROOT / "docs" / name).read_text("utf-8").replace(" (Điều 26 Luật số 49/2019/QH14)" + VI_EXC[:-1], " (Điều 26 Luật số 49/2019/QH14)")
    assert len(_found(project, name, broken + "\n")) == 1


def test_a_bad_rules_file_stops_loading_the_project_with_file_and_line(tmp_path):
    from conftest import copy_project

    root = copy_project(tmp_path / "p")
    f = root / RULES_FILE
    f.write_text(f.read_text("utf-8").replace('also: ["37.12@49/2019/QH14"]', 'also: ["37.99@49/2019/QH14"]'), "utf-8")
    line = next(i + 1 for i, l in enumerate(f.read_text("utf-8").splitlines()) if "37.99@" in l)
    with pytest.raises(DataError) as e:
        load_project(root, fresh=True)
    assert [(x.path, x.line, x.code) for x in e.value.findings] == [(RULES_FILE, line, "companion_bad_value")]
    assert e.value.render("vi").startswith(f"{RULES_FILE}:{line}:1: error: Quy tắc dẫn kèm 'exit-suspension-special-case'")

# --- rule `organised-exit-both-crimes` (audit8) ---------------------------------------------------
# Companion rule `organised-exit-both-crimes` (audit8, docs-dev/audit-2026-12-02-questions.md): a block
# that cites Penal Code Art. 348 (organising or brokering, for profit, another person's illegal exit,
# entry or stay in Vietnam) for another person's illegal exit must also cite Art. 349 (another person's
# flight or illegal stay abroad, no profit motive needed). Audit5 found two answers that gave Art. 348
# alone (its question Q09); this rule makes the omission an error of `lawsite check` and the strict build.
# The machinery is audit5's (lawsite/page/companions.py); this file tests the rule, on real pages.
RULE_349 = "organised-exit-both-crimes"
FAQ = "hoi-dap/bien-gioi"
# The Art. 349 sentence audit5 added to the paid-guide answer; without it the answer is as before audit5.
VI_349 = (" Nếu việc tổ chức, môi giới là để đưa người khác trốn đi nước ngoài hoặc ở lại nước ngoài trái phép,"
          " hành vi có thể thuộc Điều 349 Bộ luật Hình sự, và tội này không cần có mục đích vụ lợi; khung cơ bản"
          " là phạt tù từ {{ blhs_349_k1_min }} đến {{ blhs_349_k1_max }} (khoản 1 Điều 349 Bộ luật Hình sự"
          " số 100/2015/QH13).")
EN_349 = (" If the aim is to get another person to flee abroad or to stay abroad illegally, the act may fall under"
          " Article 349 of the Penal Code, and that crime does not require a profit motive; its basic frame is"
          " imprisonment from {{ blhs_349_k1_min }} to {{ blhs_349_k1_max }} (Clause 1, Article 349 of the Penal"
          " Code No. 100/2015/QH13).")


def _found_of(rule: str, project, name: str, text: str):
    """The findings of one companion rule on a page."""
    return [f for f in _found(project, name, text) if rule in f.message("en")]


def _found_rule(project, name: str, text: str):
    return _found_of(RULE_349, project, name, text)


def _real_pages_mentioning(*needles: str):
    """(name, text) of every docs/ page whose text holds one of the needles."""
    for f in sorted((ROOT / "docs").rglob("*.md")):
        text = f.read_text("utf-8")
        if any(n in text for n in needles):
            yield f.relative_to(ROOT / "docs").as_posix(), text


def test_every_real_page_citing_article_348_passes_the_rule(project):
    checked = 0
    for name, text in _real_pages_mentioning("Điều 348", "Article 348"):
        assert not [x.message("en") for x in _found_rule(project, name, text)], name
        checked += 1
    assert checked >= 4  # the FAQ, the crimes page and the violations overview, in both languages


@pytest.mark.parametrize("name, sentence, cite", [
    (f"{FAQ}.md", VI_349, "khoản 1 Điều 348 Bộ luật Hình sự số 100/2015/QH13"),
    (f"{FAQ}.en.md", EN_349, "Clause 1, Article 348 of the Penal Code No. 100/2015/QH13"),
])
def test_the_paid_guide_answer_without_article_349_is_an_error_at_its_line(project, name, sentence, cite):
    text = (ROOT / "docs" / name).read_text("utf-8")
    assert sentence in text and not _found_rule(project, name, text)
    before = text.replace(sentence, "")  # the answer as audit5 found it
    got = _found_rule(project, name, before)
    assert len(got) == 1, [x.message("en") for x in got]
    x = got[0]
    assert (x.path, x.line, x.severity) == (f"docs/{name}", _line_of(before, cite), "error")
    assert x.message("vi").startswith("Đoạn này dẫn") and "Điều 349" in x.message("vi")
    assert "Article 349" in x.message("en")


def test_the_crimes_page_needs_its_pointer_to_article_349(project):
    name = "vi-pham/toi-pham.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    pointer = " Không vì vụ lợi vẫn có thể phạm tội:"
    assert pointer in text and not _found_rule(project, name, text)
    cut = text[:text.index(pointer)] + text[text.index("\n", text.index(pointer)):]
    assert [x.line for x in _found_rule(project, name, cut)] == [_line_of(cut, "khoản 1 Điều 348 Bộ luật Hình sự")]


def test_article_348_cited_for_entry_or_stay_only_is_not_flagged(project):
    name = "vi-pham/toi-pham.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    # A paragraph on hiding a foreigner in Vietnam for money: Art. 348 alone is the right citation.
    text += ("\nNhận tiền để giúp người nước ngoài ở lại Việt Nam trái phép có thể phạm tội"
             " (khoản 1 Điều 348 Bộ luật Hình sự số 100/2015/QH13).\n")
    assert not _found_rule(project, name, text)


# --- rule `border-zone-exemption-inside-only` (audit10) -------------------------------------------
# Companion rule `border-zone-exemption-inside-only` (audit10, docs-dev/audit-2026-12-02-questions-10.md):
# a block that cites Law 47 Art. 12 cl. 3 (visa exemption for entering a border-gate economic zone) must
# also cite its limit: Decree 282 Art. 21 cl. 3 pt đ (going elsewhere in Vietnam without a visa is fined)
# or Law 47 Art. 46 cl. 3 (the Government sets how such a person may go further). Tested on real pages.
RULE_ZONE = "border-zone-exemption-inside-only"
VISA_FREE = "visa/mien-thi-thuc"
# The limit audit10 added to item 3 of the exemption list; without it the item is as audit10 found it.
VI_ZONE = (" Miễn thị thực này chỉ để vào khu đó: muốn đến nơi khác của Việt Nam thì theo quy định của Chính phủ"
           " (khoản 3 Điều 46 Luật số 47/2014/QH13), và người vào khu kinh tế cửa khẩu đi tiếp tới nơi khác mà không"
           " có thị thực bị phạt (điểm đ khoản 3 Điều 21 Nghị định số 282/2025/NĐ-CP). Xem [mục dưới](#khu-kinh-te).")
EN_ZONE = (" This exemption is only for entering the zone: going on to another place in Vietnam follows the"
           " Government's rules (Clause 3, Article 46 of Law No. 47/2014/QH13), and someone who entered a border-gate"
           " economic zone and travels on without a visa is fined (Point dd, Clause 3, Article 21 of Decree"
           " No. 282/2025/ND-CP). See [below](#khu-kinh-te).")


def _found_zone(project, name: str, text: str):
    return _found_of(RULE_ZONE, project, name, text)


def test_every_real_page_citing_the_border_zone_exemption_passes_the_rule(project):
    checked = 0
    for name, text in _real_pages_mentioning("Điều 12 Luật số 47", "Article 12 of Law No. 47"):
        assert not [x.message("en") for x in _found_zone(project, name, text)], name
        checked += 1
    assert checked >= 6  # the exemption list, the restricted areas and the land-border page, both languages


@pytest.mark.parametrize("name, sentence, cite", [
    (f"{VISA_FREE}.md", VI_ZONE, "khoản 3 Điều 12 Luật số 47/2014/QH13"),
    (f"{VISA_FREE}.en.md", EN_ZONE, "Clause 3, Article 12 of Law No. 47/2014/QH13"),
])
def test_the_exemption_list_item_without_its_limit_is_an_error_at_its_line(project, name, sentence, cite):
    text = (ROOT / "docs" / name).read_text("utf-8")
    assert sentence in text and not _found_zone(project, name, text)
    before = text.replace(sentence, "")  # item 3 as audit10 found it
    got = _found_zone(project, name, before)
    assert len(got) == 1, [x.message("en") for x in got]
    x = got[0]
    assert (x.path, x.line, x.severity) == (f"docs/{name}", _line_of(before, cite), "error")
    assert x.message("vi").startswith("Đoạn này dẫn") and "điểm đ khoản 3 Điều 21" in x.message("vi")
    assert "Point dd, Clause 3, Article 21" in x.message("en")


def test_the_government_rule_on_going_further_also_answers_the_border_zone_rule(project):
    name = f"{VISA_FREE}.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    # Naming the Government's rule for going beyond the zone (Law 47 Art. 46 cl. 3) is enough too.
    other = text.replace(VI_ZONE, " Muốn đi nơi khác, bạn cần thị thực theo quy định của Chính phủ"
                                  " (khoản 3 Điều 46 Luật số 47/2014/QH13).")
    assert other != text and not _found_zone(project, name, other)


def test_the_border_zone_exemption_is_flagged_only_when_it_speaks_of_the_zone(project):
    name = f"{VISA_FREE}.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    # Art. 12 cl. 3 cited in a block that does not speak of a border-gate economic zone: not this rule.
    text += ("\nĐơn vị hành chính - kinh tế đặc biệt cũng được miễn thị thực"
             " (khoản 3 Điều 12 Luật số 47/2014/QH13).\n")
    assert not _found_zone(project, name, text)
    # The same sentence about a border-gate economic zone is flagged at its line.
    text += "\nNgười vào khu kinh tế cửa khẩu được miễn thị thực (khoản 3 Điều 12 Luật số 47/2014/QH13).\n"
    assert [x.line for x in _found_zone(project, name, text)] == [len(text.splitlines())]
