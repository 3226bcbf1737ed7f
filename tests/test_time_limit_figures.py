"""Figures left by session 8 (mends9): the time limits of Law 49/2019 Art. 23 cl. 3 and Art. 29 cl. 3 and
the penalty frame of Penal Code Art. 341 live in data/figures/ (read in the consolidated texts: VT), and
the clause summaries write them with {{ key }} instead of "within a short time"."""
from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import ROOT
from lawsite.project.figures import fill_figures, load_figures
from lawsite.project.loader import load_project
from lawsite.project.summaries import load_summaries

TEXTS = ROOT.parent.parent / "shared" / "legal-texts"  # /work/shared/legal-texts beside the worktrees
FIGS = {  # key: (kind, value or (min, max), source)
    "cit_dp_op_return_days": ("working_days", 5, "khoản 3 Điều 23 Luật số 49/2019/QH14"),
    "cit_nationality_invalidate_days_abroad": ("working_days", 3, "khoản 3 Điều 29 Luật số 49/2019/QH14"),
    "blhs_341_k1_fine": ("vnd_range", (30_000_000, 100_000_000), "khoản 1 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k1_reform_max": ("years", 3, "khoản 1 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k1_prison_min": ("months", 6, "khoản 1 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k1_prison_max": ("years", 2, "khoản 1 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k2_min": ("years", 2, "khoản 2 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k2_max": ("years", 5, "khoản 2 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k3_min": ("years", 3, "khoản 3 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k3_max": ("years", 7, "khoản 3 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_k4_fine": ("vnd_range", (5_000_000, 50_000_000), "khoản 4 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_gain_10m": ("vnd", 10_000_000, "điểm đ khoản 2 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
    "blhs_341_gain_50m": ("vnd", 50_000_000, "điểm đ khoản 2; điểm c khoản 3 Điều 341 Bộ luật Hình sự số 100/2015/QH13"),
}
USES = {"luat-49-2019-qh14": {"23.3": ["cit_dp_op_return_days"], "29.3": ["cit_nationality_invalidate_days_abroad"]},
        "bo-luat-hinh-su-100-2015-qh13": {
            "341.1": ["blhs_341_k1_fine", "blhs_341_k1_reform_max", "blhs_341_k1_prison_min", "blhs_341_k1_prison_max"],
            "341.2": ["blhs_341_k2_min", "blhs_341_k2_max", "blhs_341_gain_10m", "blhs_341_gain_50m"],
            "341.3": ["blhs_341_k3_min", "blhs_341_k3_max", "blhs_341_gain_50m"], "341.4": ["blhs_341_k4_fine"]}}


@pytest.fixture(scope="module")
def figures():
    return load_figures(ROOT / "data" / "figures", root=ROOT)


def test_the_figures_are_recorded_with_their_provision(figures):
    for key, (kind, value, source) in FIGS.items():
        f = figures.items[key]
        assert (f.kind, f.source, f.confidence) == (kind, source, "VT"), key
        assert ((f.min, f.max) if kind.endswith("_range") else f.value) == value, key


def test_the_summaries_write_the_figures_not_a_vague_time(figures):
    project = load_project(ROOT)
    for slug, uses in USES.items():
        doc = next(d for d in project.registry if d.slug == slug)
        for lang in ("vi", "en"):
            s = load_summaries(project, lang, doc).items
            for unit, keys in uses.items():
                for key in keys:
                    assert "{{ " + key + " }}" in s[unit], (lang, unit, key)
                text = fill_figures(s[unit], figures, lang)
                assert "{{" not in text and not re.search(r"thời hạn ngắn|short time", text), (lang, unit, text)
    vi = fill_figures(load_summaries(project, "vi", project.registry.get("49/2019/QH14")).items["23.3"], figures, "vi")
    en = fill_figures(load_summaries(project, "en", project.registry.get("49/2019/QH14")).items["23.3"], figures, "en")
    assert "5" in vi and "ngày làm việc" in vi and "5 working days" in en


def _clause(text: str, article: str, clause: str) -> str:
    m = re.search(rf"\nĐiều {article}\.(.*?)\nĐiều \d+[a-z]?\.", text, re.S)
    c = re.search(rf"\n{clause}\.(.*?)(?=\n\d+\.|\Z)", m.group(1), re.S)
    return c.group(1)


@pytest.mark.skipif(not TEXTS.is_dir(), reason="legal texts not available")
def test_the_values_are_those_of_the_consolidated_texts():
    def read(name):
        return unicodedata.normalize("NFC", next(TEXTS.glob(name)).read_text("utf-8"))

    law49, penal = read("law-49-2019-QH14.consolidated-*.vi.txt"), read("penal-code-100-2015-QH13.consolidated-*.vi.txt")
    assert "05 ngày làm việc" in _clause(law49, "23", "3") and "hộ chiếu ngoại giao" in _clause(law49, "23", "3")
    assert "03 ngày làm việc" in _clause(law49, "29", "3") and "cơ quan đại diện" in _clause(law49, "29", "3")
    k1, k2, k3, k4 = (_clause(penal, "341", n) for n in "1234")
    assert "từ 30.000.000 đồng đến 100.000.000 đồng" in k1 and "không giam giữ đến 03 năm" in k1 and "từ 06 tháng đến 02 năm" in k1
    assert "từ 02 năm đến 05 năm" in k2 and "từ 10.000.000 đồng đến dưới 50.000.000 đồng" in k2
    assert "từ 03 năm đến 07 năm" in k3 and "50.000.000 đồng trở lên" in k3
    assert "từ 5.000.000 đồng đến 50.000.000 đồng" in k4
