"""Clause summaries say the same in both languages (audit4, docs-dev/audit-2026-12-01b.md): the same
provisions are summarised, and each pair of summaries uses the same figures, so an amount or a time
limit fixed in one language cannot silently stay wrong (or missing) in the other."""
from __future__ import annotations

import re

from conftest import ROOT, copy_project
from lawsite.page.process import clear_cache, process_page
from lawsite.project.loader import load_project

DOC = "van-ban/nghi-dinh-282-2025-nd-cp"
EN_SUMS = "data/summaries/en/nghi-dinh-282-2025-nd-cp.yaml"


def _findings(proj, lang):
    clear_cache()
    p = load_project(proj, fresh=True)
    name = f"docs/{DOC}.en.md" if lang == "en" else f"docs/{DOC}.md"
    page = proj / name
    res = process_page(p, name, page.read_bytes(), lang=lang, src_uri=name[len("docs/"):])
    return [f for f in res.findings if f.code == "summary_bad"]


def _line(text: str, key: str) -> int:
    return next(i + 1 for i, l in enumerate(text.splitlines()) if l.startswith(f'"{key}":'))


def test_real_summaries_have_the_same_keys_and_figures_in_both_languages():
    clear_cache()
    p = load_project(ROOT, fresh=True)
    for vi_file in sorted((ROOT / "data" / "summaries" / "vi").glob("*.yaml")):
        slug = vi_file.stem
        name = f"docs/van-ban/{slug}.en.md"
        res = process_page(p, name, (ROOT / name).read_bytes(), lang="en", src_uri=name[len("docs/"):])
        bad = [f.message("en") for f in res.findings if f.code == "summary_bad"]
        assert not bad, bad


def test_a_figure_dropped_or_changed_in_the_translation_is_an_error_at_its_line(tmp_path):
    proj = copy_project(tmp_path / "p")
    f = proj / EN_SUMS
    text = f.read_text("utf-8")
    # 5.1 loses one of its two figures; 21.2 gets another clause's amount.
    text = text.replace("an organisation at most {{ fine_282_max_organisation }}", "an organisation at most twice that")
    text = re.sub(r'^("21\.2": ".*?)\{\{ fine_282_a21_k2 \}\}', r"\1{{ fine_282_a21_k3 }}", text, count=1, flags=re.M)
    f.write_text(text, "utf-8")
    got = _findings(proj, "en")
    lines = {x.line: x.message("en") for x in got}
    assert all(x.path == EN_SUMS for x in got), [x.path for x in got]
    l51, l212 = _line(text, "5.1"), _line(text, "21.2")
    assert "fine_282_max_organisation" in lines[l51] and "'5.1'" in lines[l51]
    assert "fine_282_a21_k2" in lines[l212] and "fine_282_a21_k3" in lines[l212]
    # The Vietnamese page (the source language) is not blamed for the translation's drift.
    assert not [x for x in _findings(proj, "vi") if "same figures" in x.message("en")]


def test_a_provision_summarised_in_one_language_only_is_an_error(tmp_path):
    proj = copy_project(tmp_path / "p")
    f = proj / EN_SUMS
    lines = f.read_text("utf-8").splitlines(keepends=True)
    dropped = next(l for l in lines if l.startswith('"3.1":'))
    lines.remove(dropped)
    f.write_text("".join(lines) + '"3.4": "An extra summary the Vietnamese file does not have."\n', "utf-8")
    got = [x.message("en") for x in _findings(proj, "en")]
    assert any("'3.1' is summarised in data/summaries/vi/nghi-dinh-282-2025-nd-cp.yaml" in m for m in got), got
    assert any("'3.4' has no summary in data/summaries/vi/" in m for m in got), got
    # Messages are Vietnamese by default, like every other finding.
    vi = [x.message("vi") for x in _findings(proj, "en")]
    assert all(m.startswith("Tóm tắt khoản không hợp lệ") for m in vi), vi
