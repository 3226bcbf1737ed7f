"""The content as a whole: the checker finds no error on the real site, no amount is typed by hand,
and the guide has the breadth the issue asks for."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT
from lawsite.project.loader import load_project
from lawsite.site.sitecheck import check_site, collect

GENERATED = ("van-ban/",)


@pytest.fixture(scope="module")
def report():
    project = load_project(ROOT)
    return check_site(project, collect([ROOT / "docs"], ROOT), whole_site=True)


def test_lawsite_check_reports_no_error_on_the_whole_site():
    proc = subprocess.run([sys.executable, "-m", "lawsite.cli", "check", "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    errors = [l for l in proc.stdout.splitlines() if ": error: " in l]
    assert proc.returncode == 0 and not errors, "\n".join(errors[:30])


def test_no_amount_typed_outside_the_figures_syntax(report):
    raw = [f for f in report.all_findings if f.code == "fig_raw_amount"]
    assert not raw, [f"{f.path}:{f.line}: {f.params['text']}" for f in raw]


def test_raw_amount_detector_catches_typed_amounts():
    from lawsite.project.figures import RAW_AMOUNT_RE

    for text in ["phạt 500.000 đồng", "VND 5,000,000", "từ 5.000.000 đến 10.000.000 đồng", "USD 25", "25 USD", "2 triệu đồng"]:
        assert RAW_AMOUNT_RE.search(text), text
    for text in ["Điều 21", "15/12/2025", "{{ fine_282_a21_k4 }}", "năm 2025", "49/2019/QH14"]:
        assert not RAW_AMOUNT_RE.search(text), text


def _content_pages(lang: str):
    out = []
    for p in (ROOT / "docs").rglob("*.md"):
        rel = p.relative_to(ROOT / "docs").as_posix()
        if rel.startswith(GENERATED) or p.read_text("utf-8").find("\ngenerated:") >= 0:
            continue
        if (lang == "en") == rel.endswith(".en.md"):
            out.append(rel)
    return out


def test_at_least_35_content_pages_per_language():
    vi, en = _content_pages("vi"), _content_pages("en")
    assert len(vi) >= 35, len(vi)
    assert len(en) >= 35, len(en)


def test_questions_and_answers():
    for suffix in (".md", ".en.md"):
        qs = 0
        for p in (ROOT / "docs" / "hoi-dap").glob("*" + suffix):
            if suffix == ".md" and p.name.endswith(".en.md"):
                continue
            text = p.read_text("utf-8")
            if "faq: true" in text:
                qs += len(re.findall(r"^### .+\?", text, re.M))
        assert qs >= 40, (suffix, qs)


def test_glossary_has_40_terms_used_consistently():
    import yaml

    entries = yaml.safe_load((ROOT / "data" / "glossary.yaml").read_text("utf-8"))
    assert len(entries) >= 40
    assert all(e.get("vi") and e.get("en") for e in entries)
    page = (ROOT / "docs" / "thuat-ngu.en.md").read_text("utf-8")
    missing = [e["en"] for e in entries if e["en"].lower() not in page.lower()]
    assert not missing, missing


def test_every_page_declares_title_description_last_reviewed(report):
    bad = [f for f in report.all_findings if f.code in ("fm_missing", "fm_missing_key", "fm_yaml")]
    assert not bad, [(f.path, f.params) for f in bad]


def test_news_has_the_seed_events():
    news = [p.name for p in (ROOT / "docs" / "tin-tuc").glob("*.md")]
    assert any("zalo" in n for n in news) and any("dien-bien" in n for n in news)


def test_province_settings_ship_empty_and_hide_lines():
    """Never invent a phone number or address: the repository ships the province's settings empty."""
    import yaml

    from lawsite.build.sitebuild import province_block

    settings = yaml.safe_load((ROOT / "data" / "site.yaml").read_text("utf-8"))
    prov = settings["province"]
    for key in ("hotline", "email", "zalo_url"):
        assert not prov.get(key), f"{key} must be empty in the repository"
    empty = province_block(settings, "vi")  # issue 14: no dead end — a notice and the national channels only
    assert "tel:" not in empty and "mailto:" not in empty and "https://dichvucong.gov.vn/" in empty
    filled = {"province": {"name": {"vi": "Lạng Sơn", "en": "Lang Son"}, "hotline": "0123 456 789", "email": "", "address": {"vi": "", "en": ""}}}
    block = province_block(filled, "en")
    assert "Hotline" in block and "tel:0123456789" in block and "E-mail" not in block and "Address" not in block
