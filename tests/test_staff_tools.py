"""Staff workflow without a site build: lawsite new, review-due, check annotations, change notes,
the message catalogues and the generated message reference in CONTRIBUTING."""
from __future__ import annotations

import ast
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from helpers import lawsite, page

# Tests that run `lawsite` (a project load each, ~2 CPU seconds) two or three times on a small project
# are slow: `make test-fast` keeps one (test_new_refuses_unknown_document), `make test` runs them all.
CLI = pytest.mark.slow


def small_project(dest: Path) -> Path:
    """mkdocs.yml, data/ and a handful of pages: enough for the command line tools."""
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "data", dest / "data")
    (dest / "docs").mkdir()
    for rel in ["hoi-dap/ho-chieu.md", "hoi-dap/ho-chieu.en.md", "tin-tuc/index.md", "tin-tuc/index.en.md"]:
        (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "docs" / rel, dest / "docs" / rel)
    return dest


# --- lawsite new --------------------------------------------------------------------------------

@CLI
def test_new_page_passes_check_and_refuses_overwrite(tmp_path):
    proj = small_project(tmp_path)
    r = lawsite(proj, "new", "page", "cong-dan", "ho-chieu-tre-em", "--title", "Làm hộ chiếu cho trẻ em",
                "--title-en", "Passports for children", "--document", "49/2019/QH14")
    assert r.returncode == 0, r.stderr
    vi, en = proj / "docs/cong-dan/ho-chieu-tre-em.md", proj / "docs/cong-dan/ho-chieu-tre-em.en.md"
    meta = yaml.safe_load(vi.read_text("utf-8").split("---")[1])
    assert meta["title"] == "Làm hộ chiếu cho trẻ em" and meta["documents"] == ["49/2019/QH14"]
    assert meta["last_reviewed"] == dt.date(2026, 12, 1) and 0 < len(meta["description"]) <= 160
    assert yaml.safe_load(en.read_text("utf-8").split("---")[1])["title"] == "Passports for children"
    assert "description" in r.stdout and "mark-current" in r.stdout  # it says what to fill in
    chk = lawsite(proj, "check", "docs/cong-dan")
    assert chk.returncode == 0, chk.stdout + chk.stderr
    assert "error" not in chk.stdout
    before = vi.read_bytes()
    again = lawsite(proj, "new", "page", "cong-dan", "ho-chieu-tre-em", "--title", "Khác")
    assert again.returncode == 1 and "docs/cong-dan/ho-chieu-tre-em.md" in again.stderr and "Traceback" not in again.stderr
    assert vi.read_bytes() == before


@CLI
@pytest.mark.parametrize("slug", ["vi-ho-chieu", "en-passport", "en"])
def test_new_refuses_language_prefix(tmp_path, slug):
    proj = small_project(tmp_path)
    r = lawsite(proj, "new", "page", "cong-dan", slug, "--title", "X")
    assert r.returncode == 1
    assert "mã ngôn ngữ" in r.stderr and "Traceback" not in r.stderr
    r = lawsite(proj, "new", "--lang", "en", "page", "cong-dan", slug, "--title", "X")
    assert "language code" in r.stderr
    assert not (proj / "docs/cong-dan" / f"{slug}.md").exists()


def test_new_refuses_unknown_document(tmp_path):
    proj = small_project(tmp_path)
    r = lawsite(proj, "new", "page", "cong-dan", "abc", "--title", "X", "--document", "999/2099/QH99")
    assert r.returncode == 1 and "999/2099/QH99" in r.stderr
    assert not (proj / "docs/cong-dan/abc.md").exists()


@CLI
def test_new_news_is_dated_pair(tmp_path):
    proj = small_project(tmp_path)
    r = lawsite(proj, "new", "news", "Mở rộng cấp hộ chiếu trực tuyến", "--date", "2026-11-20", "--title-en", "Online passports extended")
    assert r.returncode == 0, r.stderr
    vi = proj / "docs/tin-tuc/2026-11-20-mo-rong-cap-ho-chieu-truc-tuyen.md"
    assert vi.is_file() and vi.with_name(vi.stem + ".en.md").is_file()
    assert yaml.safe_load(vi.read_text("utf-8").split("---")[1])["date"] == dt.date(2026, 11, 20)
    chk = lawsite(proj, "check", "docs/tin-tuc")
    assert chk.returncode == 0, chk.stdout


@CLI
def test_new_faq_appends_entry_with_id_and_translation_placeholder(tmp_path):
    proj = small_project(tmp_path)
    vi, en = proj / "docs/hoi-dap/ho-chieu.md", proj / "docs/hoi-dap/ho-chieu.en.md"
    old_vi, old_en = vi.read_text("utf-8"), en.read_text("utf-8")
    r = lawsite(proj, "new", "faq", "ho-chieu", "Hộ chiếu hết hạn có xuất cảnh được không?",
                "--answer", "Không được (điểm a khoản 1 Điều 33 Luật số 49/2019/QH14).")
    assert r.returncode == 0, r.stderr
    new_vi, new_en = vi.read_text("utf-8"), en.read_text("utf-8")
    assert new_vi.startswith(old_vi) and new_en.startswith(old_en)  # appended, nothing else touched
    assert "### Hộ chiếu hết hạn có xuất cảnh được không? { #ho-chieu-het-han-co-xuat-canh-duoc-khong }" in new_vi
    assert "{ #ho-chieu-het-han-co-xuat-canh-duoc-khong }" in new_en and "Translation pending" in new_en
    assert "Point a, Clause 1, Article 33 of Law No. 49/2019/QH14" in new_en  # same citations in both languages
    chk = lawsite(proj, "check", "docs/hoi-dap")
    assert chk.returncode == 0, chk.stdout
    r2 = lawsite(proj, "new", "faq", "khong-co", "Q?", "--answer", "A.")
    assert r2.returncode == 1 and "ho-chieu" in r2.stderr  # lists the existing topics


@CLI
def test_new_document_stub(tmp_path):
    proj = small_project(tmp_path)
    r = lawsite(proj, "new", "document", "49/2019/QH14")
    assert r.returncode == 0, r.stderr
    text = (proj / "docs/van-ban/luat-49-2019-qh14.md").read_text("utf-8")
    assert 'registry: "49/2019/QH14"' in text
    assert "Law No. 49/2019/QH14" in (proj / "docs/van-ban/luat-49-2019-qh14.en.md").read_text("utf-8")
    chk = lawsite(proj, "check", "docs/van-ban")
    assert chk.returncode == 0, chk.stdout
    assert lawsite(proj, "new", "document", "1/2000/XX").returncode == 1


# --- review-due ---------------------------------------------------------------------------------

@CLI
def test_review_due_threshold_both_sides(tmp_path):
    proj = small_project(tmp_path)
    d = proj / "docs/kiem-tra"
    d.mkdir()
    body = "Nội dung trang (Điều 1 Luật số 49/2019/QH14)."
    (d / "cu.md").write_text(page("Trang cũ", "2026-05-31", body), "utf-8")      # 6 months + 1 day before 2026-12-01
    (d / "moi.md").write_text(page("Trang mới", "2026-06-01", body), "utf-8")    # exactly 6 months: not yet due
    # Article 15 clause 7 of 49/2019/QH14 ... any provision amended on 2026-07-01 cited by a page reviewed before it
    (d / "sua-doi.md").write_text(page("Trang trích quy định đã sửa", "2026-06-01", "Nội dung (Điều 6 Luật số 49/2019/QH14)."), "utf-8")
    r = lawsite(proj, "review-due")
    assert r.returncode == 0
    assert "docs/kiem-tra/cu.md:4:1:" in r.stdout and "6 tháng" in r.stdout
    assert "docs/kiem-tra/moi.md" not in r.stdout
    r3 = lawsite(proj, "review-due", "--months", "3")
    assert "docs/kiem-tra/moi.md" in r3.stdout
    md = lawsite(proj, "review-due", "--format", "markdown", "--lang", "en")
    assert md.stdout.startswith("## Pages due for review") and "- [ ] Trang cũ — `docs/kiem-tra/cu.md`" in md.stdout


@CLI
def test_review_due_lists_provisions_changed_after_review(tmp_path):
    from lawsite.project.loader import load_project

    proj = small_project(tmp_path)
    reg = load_project(proj).registry.get("49/2019/QH14")
    art = next(a for a in reg.articles if any(ch.date == dt.date(2026, 7, 1) for ch in a.amended)
               or any(ch.date == dt.date(2026, 7, 1) for c in (a.clauses or []) for ch in c.amended))
    d = proj / "docs/kiem-tra"
    d.mkdir()
    (d / "a.md").write_text(page("A", "2026-06-01", f"Nội dung (Điều {art.number} Luật số 49/2019/QH14)."), "utf-8")
    (d / "b.md").write_text(page("B", "2026-07-02", f"Nội dung (Điều {art.number} Luật số 49/2019/QH14)."), "utf-8")
    r = lawsite(proj, "review-due")
    assert "docs/kiem-tra/a.md" in r.stdout and "01/07/2026" in r.stdout
    assert "docs/kiem-tra/b.md" not in r.stdout


def test_months_before():
    from lawsite.site.review import months_before

    assert months_before(dt.date(2026, 11, 22), 6) == dt.date(2026, 5, 22)
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


# --- annotations for pull requests ----------------------------------------------------------------

@CLI
def test_github_annotation_points_at_the_wrong_citation(tmp_path):
    proj = small_project(tmp_path)
    d = proj / "docs/kiem-tra"
    d.mkdir()
    body = "Câu đầu đúng (khoản 1 Điều 33 Luật số 49/2019/QH14).\n\nCâu thứ hai sai (Điều 999 Luật số 49/2019/QH14).\n"
    (d / "sai.md").write_text(page("Sai", "2026-11-22", body), "utf-8")
    r = lawsite(proj, "check", "--format", "github", "docs/kiem-tra/sai.md")
    assert r.returncode == 1
    lines = [l for l in r.stdout.splitlines() if l.startswith("::error ")]
    assert len(lines) == 1, r.stdout
    assert lines[0].startswith("::error file=docs/kiem-tra/sai.md,line=10,col=")
    assert "999" in lines[0]


# --- change notes ----------------------------------------------------------------------------------

def _fm_findings(extra: str):
    from lawsite.page.process import process_page
    from lawsite.project.loader import load_project

    proj = load_project(ROOT)
    text = page("T", "2026-11-22", "Nội dung.", extra=extra)
    return [f for f in process_page(proj, "docs/x.md", text).findings if f.code.startswith("fm_changes")]


def test_changes_validation():
    ok = 'changes:\n  - {date: 2026-11-20, note: "Cập nhật mức phạt"}\n  - date: 2026-01-02\n    note: Sửa lỗi chính tả\n'
    assert _fm_findings(ok) == []
    bad = 'changes:\n  - {date: "hôm qua", note: "x"}\n  - {date: 2027-01-01, note: "y"}\n  - {date: 2026-01-01, note: ""}\n'
    found = _fm_findings(bad)
    assert [f.code for f in found] == ["fm_changes_bad_date", "fm_changes_future", "fm_changes_no_note"]
    assert [f.line for f in found] == [7, 8, 9]
    assert [f.code for f in _fm_findings("changes: xin chào\n")] == ["fm_changes_not_list"]


def test_impossible_date_is_a_finding_not_a_crash():
    from lawsite.page.process import process_page
    from lawsite.project.loader import load_project

    res = process_page(load_project(ROOT), "docs/x.md", page("T", "2026-13-01", "Nội dung."))
    assert [f.code for f in res.findings] == ["fm_yaml"]


def test_history_section_newest_first():
    from lawsite.site.changes import history_section

    md = history_section([{"date": dt.date(2026, 1, 2), "note": "Một"}, {"date": dt.date(2026, 11, 20), "note": "Hai"}], "vi")
    assert md.startswith("## Lịch sử cập nhật { #lich-su-cap-nhat }")
    assert md.index("20/11/2026") < md.index("02/01/2026")
    assert history_section([{"date": dt.date(2026, 1, 2), "note": "One"}], "en").startswith("## Page history { #lich-su-cap-nhat }")
    assert history_section(None, "vi") == ""


def test_legal_changes_block_lists_recent_amendments_only():
    from lawsite.site.changes import legal_changes_block
    from lawsite.project.loader import load_project

    proj = load_project(ROOT)
    md = legal_changes_block(proj.registry, "en", dt.date(2026, 11, 22), [], "tin-tuc/index.md")
    assert "{ #thay-doi-phap-luat }" in md
    assert "1 July 2026" in md and "118/2025/QH15" in md  # amendments of 49/2019 and 47/2014 in force 1/7/2026
    assert "2023" not in md.split("\n", 2)[2].split("(")[0]  # nothing older than 12 months is a line date
    assert "15 August 2023" not in md


# --- messages ------------------------------------------------------------------------------------

def _codes_used() -> set[str]:
    codes = set()
    for path in (ROOT / "lawsite").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            pos = {"Finding": 4, "Problem": 1}.get(name)
            if isinstance(node.func, ast.Name) and name in ("_fail", "message"):  # helpers taking a code first
                pos = 0
            if pos is None:
                continue
            arg = node.args[pos] if len(node.args) > pos else next((k.value for k in node.keywords if k.arg == "code"), None)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.islower():
                codes.add(arg.value)
    return codes


def test_every_code_has_both_messages():
    from lawsite.core.findings import catalogue

    used = _codes_used()
    assert {"fm_missing", "cite_unknown_document", "fm_changes_future", "new_slug_lang", "mark_done"} <= used  # the scan works
    vi, en = catalogue("vi"), catalogue("en")
    assert set(vi) == set(en), set(vi) ^ set(en)
    missing = sorted(c for c in used if c not in vi)
    assert not missing, f"codes without a message in lawsite/messages/*.yaml: {missing}"
    for lang, cat in (("vi", vi), ("en", en)):
        for code, entry in cat.items():
            assert entry.get("msg", "").strip(), (lang, code)
            assert "hint" in entry, (lang, code)
            # the same placeholders in both languages
            import string

            fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
            assert fields(vi[code]["msg"] + vi[code]["hint"]) == fields(en[code]["msg"] + en[code]["hint"]), code


def test_message_reference_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "tools/gen_message_reference.py"), "--check"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    from lawsite.core.findings import catalogue

    vi_doc = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    en_doc = (ROOT / "CONTRIBUTING.en.md").read_text("utf-8")
    for code in catalogue("vi"):
        assert f"`{code}`" in vi_doc and f"`{code}`" in en_doc, code
