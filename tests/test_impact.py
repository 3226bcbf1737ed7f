"""`lawsite impact`: pages citing a document or provision, grouped by provision, with the registry's
changes (upcoming ones marked); one-line error for an unknown document."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lawsite.cite.model import Provision
from lawsite.cli import main
from lawsite.site.impact import impact, parse_target
from lawsite.project.loader import load_project

ROOT = Path(__file__).resolve().parents[1]
# every test loads a fresh project (~2 CPU seconds; 29 in all): slow, so `make test-fast` leaves them out
pytestmark = pytest.mark.slow

PAGES = {
    "a.md": ("---\ntitle: A\ndescription: A.\nlast_reviewed: 2026-01-10\n---\n\n"
             "Thu hồi hộ chiếu theo khoản 5 Điều 27 Luật số 49/2019/QH14.\n\nPhạt theo Điều 21 Nghị định số 282/2025/NĐ-CP.\n"),
    "a.en.md": ("---\ntitle: A\ndescription: A.\nlast_reviewed: 2026-01-10\n---\n\n"
                "Passports are revoked under Clause 5, Article 27 of Law No. 49/2019/QH14.\n\nFines: Article 21 of Decree No. 282/2025/ND-CP.\n"),
    "b.md": ("---\ntitle: B\ndescription: B.\nlast_reviewed: 2026-01-10\nprocedure:\n  for: Công dân\n"
             "  legal_basis:\n    - khoản 9 Điều 11 Luật số 49/2019/QH14\n---\n\n"
             "Xem Điều 27 Luật số 49/2019/QH14.\n\nTờ khai: khoản 2 Điều 28 Luật số 49/2019/QH14.\n"),
    "c.md": ("---\ntitle: C\ndescription: C.\nlast_reviewed: 2026-01-10\n---\n\n"
             "Giới thiệu Luật số 49/2019/QH14 và Điều 5 Luật số 47/2014/QH13.\n\n"
             "Trước đây: Nghị định số 144/2021/NĐ-CP (hết hiệu lực từ 15/12/2025).\n"),
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWSITE_TODAY", "2026-03-01")
    return tmp_path


def _groups(imp):
    return {(g.provision.key() if g.provision else None): [f"{u.path}:{u.line}" for u in g.uses] for g in imp.groups}


def test_document_impact_groups_pages_by_provision(site):
    imp = impact(load_project(site, fresh=True), "49/2019/QH14")
    assert imp.doc.number == "49/2019/QH14" and imp.target is None
    assert _groups(imp) == {
        None: ["docs/c.md:7"],
        "art11.cl9": ["docs/b.md:7"],  # from the procedure card: the line of legal_basis
        "art27": ["docs/b.md:11"],
        "art27.cl5": ["docs/a.en.md:7", "docs/a.md:7"],
        "art28.cl2": ["docs/b.md:13"],
    }
    assert imp.pages == ["docs/a.en.md", "docs/a.md", "docs/b.md", "docs/c.md"]
    # the changes that touch each provision, from the registry, upcoming after today (2026-03-01)
    by = {(g.provision.key() if g.provision else None): g.changes for g in imp.groups}
    (cl5,) = by["art27.cl5"]
    assert (cl5.kind, cl5.date, cl5.by, cl5.upcoming) == ("added", dt.date(2026, 7, 1), "118/2025/QH15", True)
    (rep,) = by["art11.cl9"]
    assert (rep.kind, rep.date, rep.upcoming) == ("repealed", dt.date(2026, 7, 1), True)
    assert [(c.kind, c.unit.key()) for c in by["art27"]] == [("amended", "art27.cl1"), ("added", "art27.cl5"),
                                                             ("added", "art27.cl6"), ("added", "art27.cl7")]
    assert by["art28.cl2"][0].kind == "amended" and not by["art28.cl2"][0].upcoming  # 2023: already in force
    assert [(c.by, c.upcoming) for c in imp.doc_changes if c.kind == "doc_amended"][0] == ("23/2023/QH15", False)


def test_provision_impact_includes_the_article_and_its_clauses_only(site):
    imp = impact(load_project(site, fresh=True), "Điều 27 Luật số 49/2019/QH14")
    assert imp.target == Provision("27")
    assert set(_groups(imp)) == {"art27", "art27.cl5"}
    imp = impact(load_project(site, fresh=True), "khoản 5 Điều 27 Luật số 49/2019/QH14")
    assert _groups(imp) == {"art27": ["docs/b.md:11"], "art27.cl5": ["docs/a.en.md:7", "docs/a.md:7"]}
    assert [c.unit.key() for g in imp.groups for c in g.changes] == ["art27.cl5", "art27.cl5"]


@pytest.mark.parametrize("target", ["Clause 5, Article 27 of Law No. 49/2019/QH14", "khoản 5 Điều 27 Luật Xuất cảnh, nhập cảnh của công dân Việt Nam"])
def test_english_and_alias_targets(site, target):
    doc, prov = parse_target(load_project(site, fresh=True), target)
    assert doc.number == "49/2019/QH14" and prov == Provision("27", "5")


def test_year_less_number_and_replaced_document(site):
    project = load_project(site, fresh=True)
    assert parse_target(project, "127/NQ-CP")[0].number == "127/NQ-CP"
    imp = impact(project, "Nghị định số 144/2021/NĐ-CP")
    assert _groups(imp) == {None: ["docs/c.md:9"]}
    (rep,) = imp.doc_changes
    assert (rep.kind, rep.by, rep.date, rep.upcoming) == ("doc_replaced", "282/2025/NĐ-CP", dt.date(2025, 12, 15), False)


def test_cli_text_report(site, capsys):
    assert main(["impact", "49/2019/QH14"]) == 0
    out = capsys.readouterr().out
    assert "Luật số 49/2019/QH14 — Luật Xuất cảnh, nhập cảnh của công dân Việt Nam" in out
    block = out[out.index("Khoản 5 Điều 27 (2 trang)"):]
    block = block[: block.index("\n\n")]
    assert "Khoản 5 Điều 27 được bổ sung bởi 118/2025/QH15 từ 01/07/2026 [sắp có hiệu lực]" in block
    assert "docs/a.md:7 (vi) khoản 5 Điều 27 Luật số 49/2019/QH14" in block
    assert "docs/a.en.md:7 (en) Clause 5, Article 27 of Law No. 49/2019/QH14" in block
    assert "4 trang, 6 trích dẫn" in out
    assert main(["impact", "--lang", "en", "Điều 27 Luật số 49/2019/QH14"]) == 0
    out = capsys.readouterr().out
    assert "Clause 5, Article 27 added by 118/2025/QH15 from 1 July 2026 [upcoming]" in out
    assert "Clause 2, Article 28" not in out


def test_cli_after_the_change_is_not_upcoming(site, capsys, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-11-22")
    assert main(["impact", "khoản 5 Điều 27 Luật số 49/2019/QH14"]) == 0
    out = capsys.readouterr().out
    assert "được bổ sung bởi 118/2025/QH15 từ 01/07/2026" in out and "sắp có hiệu lực" not in out


def test_cli_json(site, capsys):
    assert main(["impact", "--format", "json", "Điều 11 Luật số 49/2019/QH14"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"] == "49/2019/QH14" and data["provision"] == "art11"
    (g,) = data["groups"]
    assert g["provision"] == "art11.cl9" and g["uses"][0]["path"] == "docs/b.md"
    assert {"kind": "repealed", "date": "2026-07-01", "by": "118/2025/QH15", "unit": "art11.cl9", "upcoming": True} in g["changes"]


@pytest.mark.parametrize("target,expected", [
    ("49/2019/QH15", "lawsite impact: không có văn bản '49/2019/QH15' trong registry (data/registry/). Có phải 49/2019/QH14?"),
    ("Luật số 999/2030/QH99", "lawsite impact: không có văn bản 'Luật số 999/2030/QH99' trong registry (data/registry/)."),
    ("Điều 99 Luật số 49/2019/QH14", "lawsite impact: Điều 99 không có trong Luật số 49/2019/QH14."),
    ("Article 99 of Law No. 49/2019/QH14", "lawsite impact: Article 99 does not exist in Law No. 49/2019/QH14."),
])
def test_unknown_target_is_one_line_error(site, capsys, target, expected):
    assert main(["impact", target]) == 1
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err.strip() == expected and "Traceback" not in cap.err


def test_real_site_both_languages():
    proc = subprocess.run([sys.executable, "-m", "lawsite.cli", "impact", "49/2019/QH14"], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "LAWSITE_TODAY": "2026-11-22"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert " (vi) " in proc.stdout and " (en) " in proc.stdout
    assert "docs/cong-dan/" in proc.stdout


def test_no_mkdocs_import():
    code = "import sys, lawsite.site.impact, lawsite.commands.impact; sys.exit(any(m.split('.')[0] == 'mkdocs' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
