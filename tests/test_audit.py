"""Content audit records (data/audit/, lawsite/project/audit.py): schema errors with file:line in both
languages, "needs re-audit" when a page's bytes change, and the audit table on the staff status page."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from lawsite.project.audit import AuditError, audit_status, load_audits
from lawsite.project.loader import load_project
from lawsite.project.registry import load_registry
from lawsite.site.status import status_markdown

TODAY = dt.date(2026, 12, 1)
PAGE = "vi-pham/index.md"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(vi: str, en: str | None, **over) -> str:
    fields = {
        "page": PAGE,
        "audited": "2026-12-01",
        "by": '"test"',
        "source_sha256": "{vi: %s%s}" % (vi, f", en: {en}" if en else ""),
        "provisions": '\n  - {cite: "21.6.d@282/2025/NĐ-CP", verdict: supported}\n  - {cite: "347@100/2015/QH13", verdict: fixed}',
        "unverified": '["one statement"]',
    }
    fields.update(over)
    return "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data" / "registry")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """mkdocs.yml, data/ and two page pairs; LAWSITE_TODAY is the audit date."""
    monkeypatch.setenv("LAWSITE_TODAY", TODAY.isoformat())
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("audit"))
    for rel in [PAGE, PAGE.replace(".md", ".en.md"), "vi-pham/toi-pham.md", "vi-pham/toi-pham.en.md",
                "gioi-thieu/trang-thai.md", "gioi-thieu/trang-thai.en.md"]:
        (tmp_path / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "docs" / rel, tmp_path / "docs" / rel)
    return tmp_path


def write_record(root: Path, text: str, page: str = PAGE) -> Path:
    path = root / "data" / "audit" / (page[:-len(".md")] + ".yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def good(root: Path) -> str:
    docs = root / "docs"
    return record(sha(docs / PAGE), sha(docs / PAGE.replace(".md", ".en.md")))


# --- schema errors ----------------------------------------------------------------------------------

def errors_of(root: Path, registry) -> AuditError:
    with pytest.raises(AuditError) as ei:
        load_audits(root / "data" / "audit", root / "docs", registry, today=TODAY)
    return ei.value


def test_valid_record_loads(project, registry):
    write_record(project, good(project))
    audits = load_audits(project / "data" / "audit", project / "docs", registry, today=TODAY)
    rec = audits.get(PAGE)
    assert rec.audited == TODAY and [p.verdict for p in rec.provisions] == ["supported", "fixed"]
    assert rec.unverified == ["one statement"]


def test_bad_verdict_is_reported_at_its_line_in_both_languages(project, registry):
    text = good(project).replace("verdict: fixed", "verdict: maybe")
    write_record(project, text)
    err = errors_of(project, registry)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "maybe" in l)
    assert len(err.problems) == 1 and err.problems[0].line == line
    vi, en = err.message("vi"), err.message("en")
    assert vi.startswith(f"data/audit/vi-pham/index.yaml:{line}: ") and "supported, fixed hoặc unverified" in vi
    assert en.startswith(f"data/audit/vi-pham/index.yaml:{line}: ") and "must be supported, fixed or unverified" in en


def test_missing_key_bad_sha_and_unknown_key(project, registry):
    docs = project / "docs"
    text = record("abc123", sha(docs / PAGE.replace(".md", ".en.md")), by=None, reviewer='"x"')
    write_record(project, text)
    err = errors_of(project, registry)
    codes = sorted(p.code for p in err.problems)
    assert codes == ["bad_sha", "missing", "unknown_key"]
    lines = {p.code: p.line for p in err.problems}
    assert lines["bad_sha"] == 3  # source_sha256 is on line 3 once 'by' is left out
    assert lines["unknown_key"] == next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("reviewer"))
    assert "'by'" in err.message("en") and "Traceback" not in err.message("vi")


def test_invalid_yaml_and_impossible_date(project, registry):
    write_record(project, "page: vi-pham/index.md\naudited: [2026\n")
    err = errors_of(project, registry)
    assert err.problems[0].code == "yaml" and err.problems[0].line >= 2
    write_record(project, good(project).replace("audited: 2026-12-01", "audited: 2026-13-01"))
    err = errors_of(project, registry)
    assert err.problems[0].code == "bad_date" and err.problems[0].line == 2


def test_cites_must_exist_in_the_registry_and_file_must_match_page(project, registry):
    text = good(project).replace("21.6.d@282/2025/NĐ-CP", "21.6.x@282/2025/NĐ-CP").replace("347@100/2015/QH13", "5@999/2099/QH99")
    write_record(project, text)
    err = errors_of(project, registry)
    assert sorted(p.code for p in err.problems) == ["unknown_doc", "unknown_provision"]
    assert {p.line for p in err.problems} == {6, 7}
    shutil.rmtree(project / "data" / "audit")
    write_record(project, good(project), page="vi-pham/toi-pham.md")  # a record of vi-pham/index.md in the wrong file
    err = errors_of(project, registry)
    assert err.problems[0].code == "wrong_file" and "data/audit/vi-pham/index.yaml" in err.message("en")


def test_future_audit_date_and_record_without_page(project, registry):
    write_record(project, good(project).replace("audited: 2026-12-01", "audited: 2026-12-24"))
    assert errors_of(project, registry).problems[0].code == "future_date"
    # a record whose page is gone is not an error: it is listed on the staff status page
    write_record(project, good(project))
    (project / "docs" / PAGE).unlink()
    audits = load_audits(project / "data" / "audit", project / "docs", registry, today=TODAY)
    assert audits.get(PAGE) is None and PAGE in audits.orphans
    md = status_markdown(load_project(project, fresh=True), "en", "gioi-thieu/trang-thai.md")
    assert "Audit records without a page in docs/" in md and "`data/audit/vi-pham/index.yaml`" in md


def test_bad_record_stops_lawsite_check_with_file_and_line(project):
    write_record(project, good(project).replace("verdict: fixed", "verdict: maybe"))
    env = {"LAWSITE_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "lawsite.cli", "check", "docs/vi-pham/toi-pham.md"], cwd=project,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "data/audit/vi-pham/index.yaml:" in r.stderr and "unverified" in r.stderr


# --- needs re-audit and the staff status page ---------------------------------------------------

def test_page_change_makes_it_need_reaudit(project):
    write_record(project, good(project))
    p = load_project(project, fresh=True)
    assert audit_status(p, PAGE).state == "audited"
    assert audit_status(p, "vi-pham/toi-pham.md").state == "not_audited"
    en = project / "docs" / PAGE.replace(".md", ".en.md")
    en.write_text(en.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    st = audit_status(p, PAGE)
    assert st.state == "needs_reaudit" and st.changed == ("en",)
    vi = project / "docs" / PAGE
    vi.write_bytes(vi.read_bytes().replace(b"\n", b"\r\n", 1))  # bytes, not meaning: still a change
    assert audit_status(p, PAGE).changed == ("vi", "en")


def audit_section(md: str) -> str:
    """The audit section of the staff status page (from its heading to the next level-2 heading)."""
    start = md.index("{ #kiem-tra-noi-dung }")
    end = md.find("\n## ", start)
    return md[start:end if end > 0 else None]


def test_staff_status_page_lists_audit_state(project):
    write_record(project, good(project))
    p = load_project(project, fresh=True)
    vi = audit_section(status_markdown(p, "vi", "gioi-thieu/trang-thai.md"))
    row = next(l for l in vi.splitlines() if l.startswith("| [vi-pham/index.md]"))
    assert "(../vi-pham/index.md)" in row and "| 2 | 1 | Đã kiểm tra |" in row and "test" in row
    assert any(l.startswith("| [vi-pham/toi-pham.md]") and l.endswith("**Chưa kiểm tra** |") for l in vi.splitlines())
    assert "1 đã kiểm tra, 0 cần kiểm tra lại, 2 chưa kiểm tra." in vi
    page = project / "docs" / PAGE
    page.write_text(page.read_text("utf-8") + "\nThêm một câu.\n", "utf-8")
    en = audit_section(status_markdown(p, "en", "gioi-thieu/trang-thai.md"))
    row = next(l for l in en.splitlines() if l.startswith("| [vi-pham/index.md]"))
    assert "**Needs re-audit** (Vietnamese file changed)" in row
    # needs re-audit comes first in the table
    rows = [l for l in en.splitlines() if l.startswith("| [")]
    assert rows.index(row) < min(i for i, l in enumerate(rows) if "Not audited" in l)


def test_the_project_audit_records_load(monkeypatch):
    """Every record committed in data/audit/ passes the schema and the registry checks."""
    monkeypatch.setenv("LAWSITE_TODAY", TODAY.isoformat())
    audits = load_audits(ROOT / "data" / "audit", ROOT / "docs", load_registry(ROOT / "data" / "registry"), today=TODAY)
    assert all(rec.page == page for page, rec in audits.records.items())
