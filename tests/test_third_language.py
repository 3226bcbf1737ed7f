"""Language differences are data (issue 16 §2, mends9).

1. Today's output of the language-dependent code, pinned in both languages (written before the
   language branches moved into data, so the move changed no byte): numbers, dates, the summary
   lines of the `lawsite` commands (other tools read them), the names of documents and provisions,
   the status and type labels and a document page's title, issuer and point letters.
2. A third language added as DATA ONLY, in a copy of the package (labels, messages and grammar
   files, nothing else): the formatting, the command summaries and the generated blocks run in it,
   with no KeyError and no English code path; a string it lacks falls back to the default language."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from lawsite import cli
from lawsite.cite.model import Provision
from lawsite.cite.names import citation_text, display_number, doc_name, provision_text
from lawsite.core.l10n import format_date, format_number
from lawsite.generate.blocks import document_page, status_label, type_label
from lawsite.project.loader import load_project

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def _run(argv, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(argv)
    finally:
        os.chdir(cwd)
    return rc, out.getvalue(), err.getvalue()


# --- 1. today's output, both languages -------------------------------------------------------------
def test_numbers_and_dates():
    assert (format_number(1234567, "vi"), format_number(1234567, "en")) == ("1.234.567", "1,234,567")
    assert (format_number(500, "vi"), format_number(0, "en")) == ("500", "0")
    assert (format_date(dt.date(2026, 3, 5), "vi"), format_date(dt.date(2026, 3, 5), "en")) == ("05/03/2026", "5 March 2026")
    assert format_date(dt.date(2025, 12, 15), "en") == "15 December 2025"


def test_check_summary_line(monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    files = ["docs/cong-dan/ho-chieu.md", "docs/cong-dan/ho-chieu.en.md"]
    assert _run(["check", "--lang", "vi", *files])[2].splitlines()[-1] == "2 tệp, 0 lỗi, 0 cảnh báo"
    assert _run(["check", "--lang", "en", *files])[2].splitlines()[-1] == "2 files, 0 errors, 0 warnings"


def test_review_due_and_translations_summary_lines(monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    assert re.fullmatch(r"\d+ trang cần rà soát", _run(["review-due", "--lang", "vi"])[2].strip())
    assert re.fullmatch(r"\d+ pages due for review", _run(["review-due", "--lang", "en"])[2].strip())
    vi = _run(["translations", "--lang", "vi"])[2].strip()
    en = _run(["translations", "--lang", "en"])[2].strip()
    assert re.fullmatch(r"(\d+) trang: \d+ đã cập nhật, \d+ cần cập nhật, \d+ chưa có bản dịch, \d+ chưa đánh dấu", vi), vi
    assert re.fullmatch(r"(\d+) pages: \d+ up to date, \d+ outdated, \d+ missing, \d+ unmarked", en), en
    assert re.findall(r"\d+", vi) == re.findall(r"\d+", en)
    assert _run(["translations", "--mark-current", "--lang", "vi"]) == (2, "", "lawsite translations --mark-current: ghi trang "
                                                                         "cần đánh dấu, ví dụ docs/cong-dan/ho-chieu.en.md (hoặc --all)\n")
    assert _run(["translations", "--mark-current", "--lang", "en"]) == (2, "", "lawsite translations --mark-current: give the page, "
                                                                         "e.g. docs/cong-dan/ho-chieu.en.md (or --all)\n")


def test_scan_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    vi, en = tmp_path / "a.md", tmp_path / "a.en.md"
    vi.write_text("Theo Nghị định số 999/2020/NĐ-CP và Điều 21 Nghị định số 282/2025/NĐ-CP.\n", "utf-8")
    en.write_text("Under Decree No. 999/2020/ND-CP and Article 21(2)(dd) of Decree No. 282/2025/ND-CP.\n", "utf-8")
    rc, out, err = _run(["scan", str(vi)])
    assert out.splitlines() == [
        f"{vi}:1:6: Nghị định số 999/2020/NĐ-CP -> 999/2020/NĐ-CP (không có trong danh mục)",
        f"{vi}:1:6: info: Không có văn bản số '999/2020/NĐ-CP' trong danh mục văn bản.",
        f"{vi}:1:37: Điều 21 Nghị định số 282/2025/NĐ-CP -> 282/2025/NĐ-CP 21"]
    assert (rc, err) == (0, "2 trích dẫn, 0 trích dẫn có lỗi\n")
    rc, out, err = _run(["scan", str(en)])
    assert out.splitlines() == [
        f"{en}:1:7: Decree No. 999/2020/ND-CP -> 999/2020/ND-CP (not in the registry)",
        f"{en}:1:7: info: There is no document numbered '999/2020/ND-CP' in the registry.",
        f"{en}:1:37: Article 21(2)(dd) of Decree No. 282/2025/ND-CP -> 282/2025/NĐ-CP 21.2.đ"]
    assert (rc, err) == (0, "2 references, 0 with an error\n")


def test_names_of_documents_and_provisions(project):
    d = project.registry.get("282/2025/NĐ-CP")
    p = Provision(article="21", clause="2", point="đ")
    assert (doc_name(d, "vi"), doc_name(d, "en")) == ("Nghị định số 282/2025/NĐ-CP", "Decree No. 282/2025/ND-CP")
    assert (display_number(d, "vi"), display_number(d, "en")) == ("282/2025/NĐ-CP", "282/2025/ND-CP")
    assert (provision_text(p, "vi"), provision_text(p, "en")) == ("điểm đ khoản 2 Điều 21", "Point dd, Clause 2, Article 21")
    assert citation_text(d, p, "en") == "Point dd, Clause 2, Article 21 of Decree No. 282/2025/ND-CP"
    r = project.registry.get("127/NQ-CP")
    assert display_number(r, "en") == f"127/NQ-CP ({r.signed.year})"
    assert citation_text(r, None, "vi") == f"Nghị quyết số 127/NQ-CP ngày {format_date(r.signed, 'vi')}"


def test_labels_and_document_page(project):
    assert (status_label("còn hiệu lực", "vi"), status_label("còn hiệu lực", "en")) == ("còn hiệu lực", "In force")
    assert (type_label("Nghị định", "vi"), type_label("Nghị định", "en")) == ("Nghị định", "Decree")
    assert type_label("Pháp lệnh", "en") == "Pháp lệnh"  # no English label: the registry's word, unchanged
    d = project.registry.get("282/2025/NĐ-CP")
    vi = document_page(d, project.registry, "vi", TODAY, {}, f"van-ban/{d.slug}.md", project=project)
    en = document_page(d, project.registry, "en", TODAY, {}, f"van-ban/{d.slug}.md", project=project)
    assert d.title.vi in vi and d.title.en in en and d.title.en not in vi
    assert d.issuer.vi in vi and d.issuer.en in en
    assert 'dieu-21-khoan-2-diem-dd">đ</span>' in vi and 'dieu-21-khoan-2-diem-dd">dd</span>' in en
