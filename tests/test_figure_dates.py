"""Date figures (kind: date): a date read in a legal text lives once in data/figures/ and renders in
each language's date format; a date kind with a number, or a number kind with a date, is refused."""
import datetime as dt

import pytest
from pydantic import ValidationError

from pathlib import Path

from lawsite.project.figures import Figure, render_figure
from lawsite.project.loader import load_project

ROOT = Path(__file__).resolve().parents[1]


def test_date_figure_renders_in_each_language():
    f = Figure(kind="date", value=dt.date(2027, 2, 28), source="khoản 1 Điều 2 Thông tư số 117/2026/TT-BTC", confidence="VT")
    assert render_figure(f, "vi") == "28/02/2027"
    assert render_figure(f, "en") == "28 February 2027"


@pytest.mark.parametrize("kind,value", [("date", 20270228), ("days", dt.date(2027, 2, 28))])
def test_date_and_number_kinds_are_not_mixed(kind, value):
    with pytest.raises(ValidationError):
        Figure(kind=kind, value=value, source="khoản 1 Điều 2 Thông tư số 117/2026/TT-BTC", confidence="VT")


def test_real_exemption_dates_are_in_the_figures():
    figs = load_project(ROOT).figures
    assert render_figure(figs.get("cit_fee_exempt_from"), "vi") == "15/08/2026"
    assert render_figure(figs.get("cit_fee_exempt_until"), "en") == "28 February 2027"
