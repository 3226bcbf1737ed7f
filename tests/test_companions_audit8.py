"""Companion rule `organised-exit-both-crimes` (audit8, docs-dev/audit-2026-12-02-questions.md): a block
that cites Penal Code Art. 348 (organising or brokering, for profit, another person's illegal exit,
entry or stay in Vietnam) for another person's illegal exit must also cite Art. 349 (another person's
flight or illegal stay abroad, no profit motive needed). Audit5 found two answers that gave Art. 348
alone (its question Q09); this rule makes the omission an error of `lawsite check` and the strict build.
The machinery is audit5's (lawsite/page/companions.py); this file tests the rule, on real pages."""
from __future__ import annotations

import pytest

from conftest import ROOT
from lawsite.page.process import clear_cache, process_page
from lawsite.project.loader import load_project

RULE = "organised-exit-both-crimes"
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


@pytest.fixture(scope="module")
def project():
    clear_cache()
    return load_project(ROOT, fresh=True)


def _found(project, name: str, text: str):
    lang = "en" if name.endswith(".en.md") else "vi"
    res = process_page(project, f"docs/{name}", text.encode("utf-8"), lang=lang, src_uri=name)
    return [f for f in res.findings if f.code == "cite_companion_missing" and RULE in f.message("en")]


def _line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, l in enumerate(text.splitlines()) if needle in l)


def test_every_real_page_citing_article_348_passes_the_rule(project):
    checked = 0
    for f in sorted((ROOT / "docs").rglob("*.md")):
        name = f.relative_to(ROOT / "docs").as_posix()
        text = f.read_text("utf-8")
        if "Điều 348" not in text and "Article 348" not in text:
            continue
        assert not [x.message("en") for x in _found(project, name, text)], name
        checked += 1
    assert checked >= 4  # the FAQ, the crimes page and the violations overview, in both languages


@pytest.mark.parametrize("name, sentence, cite", [
    (f"{FAQ}.md", VI_349, "khoản 1 Điều 348 Bộ luật Hình sự số 100/2015/QH13"),
    (f"{FAQ}.en.md", EN_349, "Clause 1, Article 348 of the Penal Code No. 100/2015/QH13"),
])
def test_the_paid_guide_answer_without_article_349_is_an_error_at_its_line(project, name, sentence, cite):
    text = (ROOT / "docs" / name).read_text("utf-8")
    assert sentence in text and not _found(project, name, text)
    before = text.replace(sentence, "")  # the answer as audit5 found it
    got = _found(project, name, before)
    assert len(got) == 1, [x.message("en") for x in got]
    x = got[0]
    assert (x.path, x.line, x.severity) == (f"docs/{name}", _line_of(before, cite), "error")
    assert x.message("vi").startswith("Đoạn này dẫn") and "Điều 349" in x.message("vi")
    assert "Article 349" in x.message("en")


def test_the_crimes_page_needs_its_pointer_to_article_349(project):
    name = "vi-pham/toi-pham.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    pointer = " Không vì vụ lợi vẫn có thể phạm tội:"
    assert pointer in text and not _found(project, name, text)
    cut = text[:text.index(pointer)] + text[text.index("\n", text.index(pointer)):]
    assert [x.line for x in _found(project, name, cut)] == [_line_of(cut, "khoản 1 Điều 348 Bộ luật Hình sự")]


def test_article_348_cited_for_entry_or_stay_only_is_not_flagged(project):
    name = "vi-pham/toi-pham.md"
    text = (ROOT / "docs" / name).read_text("utf-8")
    # A paragraph on hiding a foreigner in Vietnam for money: Art. 348 alone is the right citation.
    text += ("\nNhận tiền để giúp người nước ngoài ở lại Việt Nam trái phép có thể phạm tội"
             " (khoản 1 Điều 348 Bộ luật Hình sự số 100/2015/QH13).\n")
    assert not _found(project, name, text)
