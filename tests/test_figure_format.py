"""How a figure is written is language data (lawsite/labels.yaml figure_format, mends8): the same
integers give "1.500.000 đồng" and "VND 1,500,000", and a third language needs only a new table."""
from __future__ import annotations

import copy

from lawsite.core import l10n
from lawsite.project.figures import Figure, render_figure


def _f(kind, **kw):
    return Figure(kind=kind, source="khoản 1 Điều 21 Nghị định số 282/2025/NĐ-CP", confidence="VT", **kw)


def test_the_two_languages():
    cases = [(_f("vnd", value=1_500_000), "1.500.000 đồng", "VND 1,500,000"),
             (_f("usd", value=25), "25 USD", "USD 25"),
             (_f("vnd_range", min=300_000, max=500_000), "300.000 – 500.000 đồng", "VND 300,000 – 500,000"),
             (_f("days", value=1), "1 ngày", "1 day"), (_f("days", value=5), "5 ngày", "5 days"),
             (_f("working_days", value=2), "2 ngày làm việc", "2 working days"),
             (_f("days_range", min=1, max=3), "1–3 ngày", "1–3 days"), (_f("percent", value=50), "50%", "50%")]
    for fig, vi, en in cases:
        assert (render_figure(fig, "vi"), render_figure(fig, "en")) == (vi, en)
    assert render_figure(_f("vnd_range", min=300_000, max=500_000), "en", "max") == "VND 500,000"


def test_a_third_language_is_a_data_change(monkeypatch):
    table = copy.deepcopy(l10n.labels())
    fr = copy.deepcopy(table["figure_format"]["en"])
    fr.update(vnd="{n} dongs", time="{v} {unit}", units={**fr["units"], "days": ["jour", "jours"]})
    table["figure_format"]["fr"] = fr
    table["languages"]["fr"] = {"thousands_separator": ","}  # mends9: numbers are language data too (l10n.language)
    monkeypatch.setattr(l10n, "labels", lambda: table)
    assert render_figure(_f("vnd", value=1_500_000), "fr") == "1,500,000 dongs"
    assert (render_figure(_f("days", value=1), "fr"), render_figure(_f("days", value=3), "fr")) == ("1 jour", "3 jours")
