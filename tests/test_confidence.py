"""`confidence` is required in data/registry/*.yaml and data/figures/*.yaml (mends8): a missing or
unknown value is an error at the file and line, in the reader's language, never a silent "VT"; and the
"checked against the full text" badge of a document page follows the document's confidence alone."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import registry_error
from lawsite.generate.blocks import document_page
from lawsite.project.figures import FiguresError, load_figures
from lawsite.project.loader import load_project
from lawsite.project.registry import RegistryError, load_registry
from lawsite.core.yamlio import load as yload

DOC = """\
# a test document
number: 1/2020/NĐ-CP
type: Nghị định
slug: nghi-dinh-1-2020-nd-cp
title: {vi: Nghị định thử, en: Test decree}
issuer: {vi: Chính phủ, en: Government}
effective: 2020-01-01
status: còn hiệu lực
structure: none
confidence: VT
"""
FIG = """\
# a test figure
fine_x:
  kind: vnd
  value: 500000
  source: "khoản 1 Điều 21 Nghị định số 282/2025/NĐ-CP"
  confidence: VT
"""


def _registry_error(tmp_path: Path, text: str) -> RegistryError:
    return registry_error(tmp_path, {"x.yaml": text})


def _figure_error(tmp_path: Path, text: str):
    (tmp_path / "x.yaml").write_text(text, "utf-8")
    with pytest.raises(FiguresError) as e:
        load_figures(tmp_path, root=tmp_path)
    assert len(e.value.findings) == 1, [f.format("en") for f in e.value.findings]
    return e.value.findings[0]


def test_a_document_with_its_confidence_loads(tmp_path):
    (tmp_path / "x.yaml").write_text(DOC.replace("VT", "SS"), "utf-8")
    assert load_registry(tmp_path).get("1/2020/NĐ-CP").confidence == "SS"


def test_a_document_without_confidence_is_an_error_in_both_languages(tmp_path):
    e = _registry_error(tmp_path, DOC.replace("confidence: VT\n", ""))
    vi, en = e.render("vi"), e.render("en")
    assert vi.startswith("x.yaml:1:1: error: Văn bản này chưa có dòng 'confidence'") and "confidence: SS" in vi
    assert en.startswith("x.yaml:1:1: error: This document has no 'confidence' line") and "confidence: UM" in en
    assert str(e) == vi  # Vietnamese by default


def test_an_unknown_confidence_is_an_error_at_its_line(tmp_path):
    e = _registry_error(tmp_path, DOC.replace("confidence: VT", "confidence: checked"))
    assert e.render("en").startswith("x.yaml:10:1: error: 'confidence' is 'checked'; it must be VT, SS or UM")
    assert "chỉ được ghi VT, SS hoặc UM" in e.render("vi")


def test_other_registry_errors_are_kept_beside_the_confidence_one(tmp_path):
    e = _registry_error(tmp_path, DOC.replace("confidence: VT\n", "").replace("type: Nghị định", "type: Decree"))
    lines = e.render("en").splitlines()
    assert any("x.yaml:3:1: error: Registry error at key 'type'" in x for x in lines)
    assert any("has no 'confidence' line" in x for x in lines)


def test_a_figure_without_confidence_is_an_error_at_its_key(tmp_path):
    f = _figure_error(tmp_path, FIG.replace("  confidence: VT\n", ""))
    assert (f.path, f.line, f.code) == ("x.yaml", 2, "fig_confidence_missing")
    assert f.message("vi").startswith("Số liệu 'fine_x' chưa có dòng 'confidence'")
    assert f.message("en").startswith("Figure 'fine_x' has no 'confidence' line")


def test_a_figure_with_an_unknown_confidence_is_an_error_at_that_line(tmp_path):
    f = _figure_error(tmp_path, FIG.replace("confidence: VT", "confidence: vt"))
    assert (f.line, f.code) == (6, "fig_confidence_bad")
    assert "'vt'" in f.message("en") and "VT, SS or UM" in f.message("en")


def test_every_real_entry_states_its_confidence():
    """The field is written in every entry (the schema requires it; this names the entries if not)."""
    missing = []
    for folder in ("registry", "figures"):
        for p in sorted((ROOT / "data" / folder).glob("*.yaml")):
            data = yload(p.read_text("utf-8"))
            entries = {"(document)": data} if folder == "registry" else data
            missing += [f"{p.name} {k}" for k, v in entries.items() if v.get("confidence") not in ("VT", "SS", "UM")]
    assert not missing


def test_the_full_text_badge_follows_the_confidence_alone():
    project = load_project(ROOT)
    today = dt.date(2026, 12, 1)

    def page(doc, lang):
        return document_page(doc, project.registry, lang, today, {}, f"van-ban/{doc.slug}.md", cited_units=set(),
                             project=project)

    read = project.registry.get("49/2019/QH14")
    unread = project.registry.get("118/2025/QH15")
    assert (read.confidence, unread.confidence) == ("VT", "SS")
    for lang, badge in (("vi", "Đã đối chiếu với toàn văn"), ("en", "Checked against the full text")):
        assert badge in page(read, lang) and badge not in page(unread, lang)
        # the same documents with the confidence swapped: the badge moves with it
        assert badge not in page(read.model_copy(update={"confidence": "SS"}), lang)
        assert badge not in page(read.model_copy(update={"confidence": "UM"}), lang)
        assert badge in page(unread.model_copy(update={"confidence": "VT"}), lang)
