"""The overstay-fine tool (docs/cong-cu/qua-han-tam-tru*.md, docs/assets/javascripts/overstay.js).

Every expected number here is computed from data/figures/penalties.yaml (not copied by hand), so the
tests check that page, fallback table and tool show what the figures say, in both languages; each
band's first and last day; the decree's "dưới" / "từ … đến dưới" at 16, 30, 60, 90, 180 days and 1 year;
bad input; the page without JavaScript; keyboard use; axe at 360 px and on the desktop."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import tab_to

from lawsite.project.figures import load_figures, render_figure

from browser_helpers import scan_at_width, scrolls_sideways
from helpers import describe, fine_text

ROOT = Path(__file__).resolve().parents[1]
FIG = load_figures(ROOT / "data/figures").items
LANGS = ["vi", "en"]
CLAUSES = ["k2", "k4", "k5", "k6", "k7", "k8", "k9"]  # Decree 282 Art. 21: one clause per band, in order
LIMITS = ["overstay_days_16", "overstay_days_30", "overstay_days_60", "overstay_days_90", "overstay_days_180",
          "overstay_years_1"]
MAX_DAYS = 36500  # the number field's max (docs/cong-cu/qua-han-tam-tru*.md)


def tool_path(lang: str) -> str:
    return ("en/" if lang == "en" else "") + "cong-cu/qua-han-tam-tru/"


def limit_days(key: str) -> int:
    f = FIG[key]
    return f.value * 365 if f.kind == "years" else f.value


def bands() -> list[dict]:
    """(first day, last day, clause) of each band, from the figures: under 16; 16 to under 30; …; 1 year or more."""
    edges = [1] + [limit_days(k) for k in LIMITS] + [MAX_DAYS + 1]
    return [{"first": edges[i], "last": edges[i + 1] - 1, "fine": FIG["fine_282_a21_" + CLAUSES[i]]}
            for i in range(len(CLAUSES))]


def test_band_limits_are_increasing_and_the_figures_exist():
    days = [limit_days(k) for k in LIMITS]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert all(FIG["fine_282_a21_" + c].kind == "vnd_range" for c in CLAUSES)


# --- the built pages (no browser) ---------------------------------------------------------------

def _rows(html: str) -> list[str]:
    table = re.search(r'<table id="overstay-bands" data-overstay-bands[^>]*>(.*?)</table>', html, re.S)
    assert table, "the fallback table #overstay-bands is missing"
    return re.findall(r"<tr data-band[^>]*>.*?</tr>", table.group(1), re.S)


def _text(s: str) -> str:
    return re.sub(r"<[^>]+>", "", s)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_fallback_table_shows_the_figures(built_site, lang):
    html = (built_site / tool_path(lang) / "index.html").read_text("utf-8")
    rows = _rows(html)
    assert len(rows) == len(CLAUSES)
    limits = [render_figure(FIG[k], lang) for k in LIMITS]
    for i, (row, band) in enumerate(zip(rows, bands())):
        f = band["fine"]
        mn = re.search(r"<span data-min>(.*?)</span>", row).group(1)
        mx = re.search(r"<span data-max>(.*?)</span>", row).group(1)
        assert (mn, mx) == (render_figure(f, lang, "min"), render_figure(f, lang, "max")), row
        frm = re.search(r"<span data-from[^>]*>(.*?)</span>", row)
        to = re.search(r"<span data-to[^>]*>(.*?)</span>", row)
        assert (frm.group(1) if frm else None) == (limits[i - 1] if i else None)
        assert (to.group(1) if to else None) == (limits[i] if i < len(limits) else None)
        unit = re.findall(r'data-unit="(\w+)"', row)
        keys = ([LIMITS[i - 1]] if i else []) + ([LIMITS[i]] if i < len(LIMITS) else [])
        assert unit == [FIG[k].kind for k in keys]
        # expulsion: Art. 21 k11 b names clauses 4 to 9, not clause 2
        assert ('data-expulsion="yes"' in row) == (CLAUSES[i] != "k2")
        basis = _text(re.search(r"<td data-basis[^>]*>(.*?)</td>", row, re.S).group(1))
        num = CLAUSES[i][1:]
        assert (f"khoản {num} Điều 21" if lang == "vi" else f"Clause {num}, Article 21") in basis
        assert 'class="cite"' in row  # a checked citation, linked to the decree's page


# The three answer tools (overstay here, penalty: test_penaltytool.py, visa: test_visatool.py): each
# script loads only on its own tool page, and the tool is linked from the pages a reader comes from.
ANSWER_TOOLS = {
    "overstay": {"slug": "qua-han-tam-tru", "script": "overstay.js",
                 "linked_from": ["cong-cu/index.html", "vi-pham/qua-han-tam-tru/index.html"],
                 "not_on": ["index.html", "vi-pham/qua-han-tam-tru/index.html", "en/cong-cu/index.html", "cong-cu/index.html",
                            "cong-cu/muc-phat/index.html", "en/cong-cu/muc-phat/index.html"]},
    "penalty": {"slug": "muc-phat", "script": "penalty.js",
                "linked_from": ["cong-cu/index.html", "vi-pham/index.html"],
                "not_on": ["cong-cu/qua-han-tam-tru/index.html"]},
    "visa": {"slug": "thi-thuc", "script": "visa.js",
             "linked_from": ["cong-cu/index.html", "visa/index.html", "visa/mien-thi-thuc/index.html"],
             "not_on": ["index.html", "visa/mien-thi-thuc/index.html", "cong-cu/qua-han-tam-tru/index.html", "en/cong-cu/index.html"]},
}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tool", sorted(ANSWER_TOOLS))
def test_script_loads_only_on_the_tool_page_and_the_tool_is_linked(built_site, tool, lang):
    t = ANSWER_TOOLS[tool]
    pre = "en/" if lang == "en" else ""
    html = (built_site / pre / "cong-cu" / t["slug"] / "index.html").read_text("utf-8")
    assert re.search(rf'<script src="[./]*assets/javascripts/{re.escape(t["script"])}" defer>', html)
    for other in t["not_on"]:
        assert t["script"] not in (built_site / other).read_text("utf-8"), other
    for src in t["linked_from"]:
        html = (built_site / pre / src).read_text("utf-8")
        assert re.search(rf'href="(\.\./)*(cong-cu/)?{t["slug"]}/"', html), src


# --- in the browser ------------------------------------------------------------------------------

def _open(pg, site_url, lang):
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(site_url + tool_path(lang))
    pg.wait_for_selector("#overstay-tool:not([hidden])")
    return errors


@pytest.fixture(scope="module")
def tool_page(browser):
    """One desktop page for the module's tests of the tool (each opens the tool page again, so nothing
    of the previous test's answers is left): a new context and its first load cost 3-4 times a load in a
    context that already rendered the site."""
    ctx = browser.new_context()
    yield ctx.new_page()
    ctx.close()


def _ask_days(pg, value: str) -> None:
    pg.fill("#overstay-days", value)
    pg.click("#overstay-go")


def _result(pg) -> dict:
    return pg.evaluate("""() => { const r = document.getElementById('overstay-result');
        const t = s => { const e = r.querySelector('[data-slot="' + s + '"]'); return e ? e.textContent.trim() : null; };
        return {state: r.getAttribute('data-state'), band: r.getAttribute('data-band'), text: r.textContent,
                days: t('days'), fine: t('fine'), org: t('fine-org'), label: t('band'),
                expulsion: !!r.querySelector('[data-if="expulsion"]'), no_expulsion: !!r.querySelector('[data-if="no-expulsion"]'),
                cites: r.querySelectorAll('a.cite').length}; }""")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_each_band_first_and_last_day(tool_page, site_url, lang):
    errors = _open(tool_page, site_url, lang)
    labels = tool_page.eval_on_selector_all("#overstay-bands tr[data-band] [data-days]", "els => els.map(e => e.textContent.trim())")
    for i, band in enumerate(bands()):
        for day in (band["first"], band["last"]):
            _ask_days(tool_page, str(day))
            r = _result(tool_page)
            assert (r["state"], r["band"]) == ("band", str(i)), f"{lang}: {day} days -> {r}"
            assert r["days"] == str(day)
            assert r["label"] == labels[i]
            assert r["fine"] == fine_text(band["fine"], lang), f"{lang}: {day} days"
            assert r["org"] is None, f"{lang}: {day} days (an organisation cannot overstay: no doubled fine)"
            assert (r["expulsion"], r["no_expulsion"]) == ((i > 0), (i == 0))
            assert r["cites"] >= 3  # band clause, Art. 21 k7 đ (who else is fined), Art. 21 k11 b
    assert not errors, errors


@pytest.mark.browser
def test_decree_wording_at_each_limit(tool_page, site_url):
    """Exactly 16, 30, 60, 90, 180 days and 1 year start the next band ("từ … đến dưới"); one day less does not."""
    _open(tool_page, site_url, "vi")
    for i, key in enumerate(LIMITS):
        n = limit_days(key)
        _ask_days(tool_page, str(n))
        assert _result(tool_page)["band"] == str(i + 1), f"{n} days"
        _ask_days(tool_page, str(n - 1))
        assert _result(tool_page)["band"] == str(i), f"{n - 1} days"


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_bad_input_gets_a_clear_message(tool_page, site_url, lang):
    errors = _open(tool_page, site_url, lang)
    for value, state in [("", "empty"), ("-5", "negative"), ("2.5", "not-number"), ("0", "none"),
                         (str(MAX_DAYS + 1), "too-large"), ("1e9", "too-large")]:
        _ask_days(tool_page, value)
        r = _result(tool_page)
        assert r["state"] == state, f"{value!r}: {r}"
        assert r["text"].strip() and r["band"] is None
    too_large = tool_page.text_content("#overstay-result")
    assert f"{MAX_DAYS}" in too_large
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_two_dates(tool_page, site_url, lang):
    _open(tool_page, site_url, lang)
    first_band2 = limit_days("overstay_days_16")
    cases = [
        ("2026-01-10", "2026-01-10", "none", None),
        ("2026-01-10", "2026-01-05", "none", None),
        ("2026-01-10", f"2026-01-{10 + first_band2 - 1:02d}", "band", "0"),
        ("2026-01-10", f"2026-01-{10 + first_band2:02d}", "band", "1"),
        # one year by the calendar: 2028 is a leap year, so 365 days after 2027-03-01 is still under a year
        ("2027-03-01", "2028-02-29", "band", str(len(LIMITS) - 1)),
        ("2027-03-01", "2028-03-01", "band", str(len(LIMITS))),
    ]
    for until, on, state, band in cases:
        tool_page.fill("#overstay-until", until)
        tool_page.fill("#overstay-on", on)
        tool_page.click("#overstay-go")
        r = _result(tool_page)
        assert (r["state"], r["band"]) == (state, band), f"{until} -> {on}: {r}"
        assert tool_page.input_value("#overstay-days") == ""  # the two ways are alternatives
    tool_page.fill("#overstay-until", "")
    tool_page.fill("#overstay-on", "2026-01-10")
    tool_page.click("#overstay-go")
    assert _result(tool_page)["state"] == "one-date"


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_table_is_there(browser, site_url, lang):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    try:
        pg.goto(site_url + tool_path(lang))
        assert pg.is_visible("#overstay-bands")
        assert pg.locator("#overstay-bands tr[data-band]").count() == len(CLAUSES)
        assert not pg.is_visible("#overstay-tool")  # no dead form without its script
        body = pg.text_content("#overstay-bands")
        for band in bands():
            assert render_figure(band["fine"], lang, "max") in body
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_only(tool_page, site_url, lang):
    _open(tool_page, site_url, lang)
    tool_page.mouse.click(1, 1)

    tab_to(tool_page, "#overstay-days")
    tool_page.keyboard.type(str(limit_days("overstay_days_30")))
    tool_page.keyboard.press("Enter")
    assert _result(tool_page)["band"] == "2"
    tool_page.keyboard.press("Control+A")
    tool_page.keyboard.type(str(limit_days("overstay_days_90") - 1))
    tab_to(tool_page, "#overstay-go", limit=20)
    tool_page.keyboard.press("Space")
    assert _result(tool_page)["band"] == "3"
    outline = tool_page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused button shows where the focus is


# axe at 360 px (light) and on the desktop (light and dark): one context per variant for the module's
# scans, navigated; the dark scan runs the colour rules when the page is otherwise the same as in the
# light scheme (tests/browser_helpers.py scan_both_schemes, tests/test_a11y.py says why that keeps the claim)
# (the variants and their fixture: browser_helpers.TOOL_AXE_VARIANTS, conftest.tool_tool_axe_variants)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_no_violations(tool_axe_variants, site_url, lang, width):
    def with_result(pg):
        _open(pg, site_url, lang)
        _ask_days(pg, str(limit_days("overstay_days_16")))  # with a result shown

    res = scan_at_width(tool_axe_variants, width, with_result)
    for scheme in ("light", "dark"):
        assert not res[scheme], f"{lang} {width}px {scheme} ({res['dark_rules']}):\n{describe(res[scheme])}"
    if width == 360:
        assert not scrolls_sideways(tool_axe_variants["360-light"]), "the page scrolls sideways at 360 px"
    res = scan_at_width(tool_axe_variants, width, lambda pg: pg.goto(site_url + ("en/" if lang == "en" else "") + "cong-cu/"))
    for scheme in ("light", "dark"):
        assert not res[scheme], f"{lang} tools index {width}px {scheme}:\n{describe(res[scheme])}"
