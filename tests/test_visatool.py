"""The "Do I need a visa?" tool (docs/cong-cu/thi-thuc*.md, docs/assets/javascripts/visa.js) and the
list it shares with the visa-exemption page (data/visa-exemptions.yaml, lawsite/project/visa.py).

Every expected answer is computed from the data file (not copied by hand): each nationality of each
exemption group gives the right answer in both languages, for tourism and for another purpose; every
other nationality is told it is not exempt and gets the e-visa and treaty paragraphs; the answer
follows the reader's date (Playwright's clock) at a group's last day; the data file's mistakes come
back with file:line; the list is the same on both pages; the page without JavaScript; keyboard use;
axe at 360 px and on the desktop."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import tab_to

from lawsite.project.figures import render_figure
from lawsite.core.l10n import format_date
from lawsite.page.process import process_page
from lawsite.project.loader import load_project
from lawsite.core.settings import DataError
from lawsite.project.visa import FILE, MARKER_LIST, expand_markers, load_visa, sort_key

from browser_helpers import scan_at_width, scrolls_sideways
from helpers import describe, line_of

ROOT = Path(__file__).resolve().parents[1]
LANGS = ["vi", "en"]
TODAY = dt.date(2026, 12, 1)  # the tests' build date (conftest.BUILD_ENV)


@pytest.fixture(scope="module")
def project(monkeypatch_module):
    return load_project(ROOT, fresh=True)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("LAWSITE_TODAY", TODAY.isoformat())
    yield mp
    mp.undo()


def tool_path(lang: str) -> str:
    return ("en/" if lang == "en" else "") + "cong-cu/thi-thuc/"


def exempt_cases(project) -> list[tuple[str, object]]:
    return [(code, g) for g in project.visa.in_force(TODAY) for code in g.countries]


# --- the data file ---------------------------------------------------------------------------------

def test_data_loads_with_both_groups_and_every_name(project):
    visa = project.visa
    assert visa is not None
    ids = {g.id: g for g in visa.groups}
    assert set(ids) == {"nq44-2025", "nq229-2025"}
    assert ids["nq44-2025"].purpose == "any" and ids["nq229-2025"].purpose == "tourism"
    assert len(ids["nq44-2025"].countries) == 12 and len(ids["nq229-2025"].countries) == 12
    assert "NO" in ids["nq44-2025"].countries  # Norway survives YAML's "NO" = false
    # the registry's dates (end = first day no longer in force) and the data agree
    for g in visa.groups:
        doc = project.registry.get(g.resolution.split("số ")[1].split(" ")[0])
        assert doc.effective == g.start and doc.end == g.last_day + dt.timedelta(days=1)
    for code, names in visa.countries.items():
        assert names["vi"].strip() and names["en"].strip(), code


def test_vietnam_is_not_a_nationality_the_tool_offers(project):
    """The tool answers for foreigners (Law 47/2014): offering "Vietnam" would tell a Vietnamese
    citizen that Vietnam does not exempt them and that they need a visa."""
    assert "VN" not in project.visa.countries
    assert all("VN" not in g.countries for g in project.visa.groups)


def _load(tmp_path, project, text: str):
    (tmp_path / FILE).write_text(text, "utf-8")
    return load_visa(tmp_path, tmp_path, project.registry, project.figures)


def _findings(tmp_path, project, text: str):
    with pytest.raises(DataError) as e:
        _load(tmp_path, project, text)
    return e.value.findings


def _real_text() -> str:
    return (ROOT / "data" / FILE).read_text("utf-8")


_line_of = line_of


def test_real_file_copied_loads(tmp_path, project):
    assert _load(tmp_path, project, _real_text()).groups[0].id == "nq44-2025"


@pytest.mark.parametrize("old,new,code,needle", [
    ('SE, "NO", FI]', "SE, NO, FI]", "data_bad_value", "SE, NO, FI]"),  # YAML false: say to quote it
    ("countries: [BE,", "countries: [XX, BE,", "visa_unknown_country", "countries: [XX, BE,"),
    ("last_day: 2028-03-14", "last_day: 2028-03-20", "visa_registry_date", "last_day: 2028-03-20"),
    ("start: 2025-08-15", "start: 2025-08-01", "visa_registry_date", "start: 2025-08-01"),
    ('resolution: "Nghị quyết số 44/NQ-CP ngày 7/3/2025"', 'resolution: "Nghị quyết số 45/NQ-CP ngày 7/3/2025"',
     "visa_bad_citation", "45/NQ-CP"),
    ("stay: stay_unilateral_exemption_days\n    stay_basis", "stay: no_such_figure\n    stay_basis", "visa_bad_figure", "no_such_figure"),
    ("purpose: tourism", "purpose: holiday", "data_bad_value", "purpose: holiday"),
    ("purpose: tourism", "purpos: tourism", "data_unknown_key", "purpos: tourism"),  # and 'purpose' missing
    ("countries: [BE,", "countries: [DE, BE,", "visa_country_two_groups", "countries: [DE, BE,"),
    ("  BE: {vi: Bỉ, en: Belgium}", "  BE: {vi: Bỉ, en: ''}", "visa_no_name", "  BE: {vi: Bỉ"),
    ("  BE: {vi: Bỉ, en: Belgium}", "  BE: {vi: Bỉ, en: <b>Belgium</b>}", "visa_markup", "  BE: {vi: Bỉ"),
])
def test_a_mistake_in_the_data_file_is_reported_with_its_line(tmp_path, project, old, new, code, needle):
    text = _real_text()
    assert old in text, old
    bad = text.replace(old, new, 1)
    found = _findings(tmp_path, project, bad)
    also = ["data_bad_value"] if code == "data_unknown_key" else []  # the misspelt key is also missing
    assert sorted(f.code for f in found) == sorted([code] + also), found
    f = next(f for f in found if f.code == code)
    assert f.line == _line_of(bad, needle), (f.line, needle)
    for lang in LANGS:
        msg = f.format(lang)
        assert msg.startswith(f"{FILE}:{f.line}:") and "Traceback" not in msg, msg
    if "NO, FI" in new:
        assert '"NO"' in f.format("vi") and '"NO"' in f.format("en")


def test_secondary_source_needs_its_verified_source(tmp_path, project):
    text = _real_text()
    start = text.index("    verified_source:")
    bad = text[:start] + text[text.index("\n", start) + 1:]
    found = _findings(tmp_path, project, bad)
    assert [f.code for f in found] == ["visa_no_source"]


def test_vietnamese_order_puts_d_stroke_after_d():
    names = ["Đức", "Đan Mạch", "Dominica", "Ý", "Úc", "Anh", "Ai Cập", "Ả Rập Xê-út"]
    assert sorted(names, key=sort_key) == ["Ả Rập Xê-út", "Ai Cập", "Anh", "Dominica", "Đan Mạch", "Đức", "Úc", "Ý"]


# --- the generated list goes through the page's checks, lines unchanged ---------------------------

def test_marker_keeps_the_lines_and_its_citations_are_checked(project):
    page = ("---\ntitle: T\ndescription: D\nlast_reviewed: 2026-12-01\ndocuments: [\"47/2014/QH13\"]\n---\n\n"
            f"Đoạn mở đầu (Điều 12 Luật số 47/2014/QH13).\n\n{MARKER_LIST}\n\nSai ở đây (Điều 999 Luật số 47/2014/QH13).\n")
    res = process_page(project, "docs/visa/thu.md", page.encode(), render=True)
    bad_line = page[:page.index("Điều 999")].count("\n") + 1
    errors = [f for f in res.errors]
    assert [f.line for f in errors] == [bad_line], errors  # the generated block did not move the line
    body = res.markdown
    gen = next(l for l in body.splitlines() if "lawsite-visa-list" in l)
    # citations in the generated block were parsed, validated and linked; the stay figure rendered
    assert gen.count('class="cite"') >= 2 * len(project.visa.in_force(TODAY))
    assert 'data-doc="44/NQ-CP"' in gen and 'data-doc="229/NQ-CP"' in gen
    assert render_figure(project.figures.get("stay_unilateral_exemption_days"), "vi") in gen
    assert "{{" not in gen


def test_group_out_of_force_is_left_out(project, monkeypatch):
    import dataclasses

    g = project.visa.groups[0]
    ended = dataclasses.replace(project.visa, groups=[g.model_copy(update={"last_day": TODAY - dt.timedelta(days=1)}),
                                                      *project.visa.groups[1:]])
    fake = dataclasses.replace(project, visa=ended)
    html = expand_markers(MARKER_LIST, fake, "vi")
    assert f'id="visa-{g.id}"' not in html
    assert f'id="visa-{project.visa.groups[1].id}"' in html


# --- the built pages (no browser) ------------------------------------------------------------------

def _block(html: str) -> str:
    m = re.search(r'<div class="lawsite-visa-list" id="visa-list">.*?<p class="lawsite-visa-reviewed">.*?</p></div>', html, re.S)
    assert m, "the generated list is missing"
    return m.group(0)


def _text(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", s)).strip()


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_both_pages_show_the_same_list_from_the_data(built_site, project, lang):
    pre = "en/" if lang == "en" else ""
    tool = _block((built_site / tool_path(lang) / "index.html").read_text("utf-8"))
    page = _block((built_site / pre / "visa/mien-thi-thuc/index.html").read_text("utf-8"))
    assert tool == page  # same depth, so even the relative links are identical
    stay = render_figure(project.figures.get("stay_unilateral_exemption_days"), lang)
    for g in project.visa.in_force(TODAY):
        grp = re.search(rf'<div class="lawsite-visa-group[^"]*" id="visa-{g.id}">.*?</ul>', page, re.S).group(0)
        names = re.findall(r'<li id="visa-country-([a-z]{2})">([^<]+)</li>', grp)
        assert sorted(c.upper() for c, _ in names) == sorted(g.countries)
        assert all(n == project.visa.countries[c.upper()][lang] for c, n in names)
        text = _text(grp)
        assert format_date(g.last_day, lang) in text and format_date(g.start, lang) in text and stay in text
        assert grp.count('class="cite"') == 2  # resolution and stay provision, checked and linked
    assert format_date(project.visa.reviewed, lang) in _text(page)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_nationality_is_an_option_in_the_page_language(built_site, project, lang):
    html = (built_site / tool_path(lang) / "index.html").read_text("utf-8")
    sel = re.search(r'<select id="visa-country"[^>]*>(.*?)</select>', html, re.S).group(1)
    opts = re.findall(r'<option value="([A-Z]*)">([^<]*)</option>', sel)
    assert opts[0][0] == ""  # the prompt
    import html as _h
    got = {c: _h.unescape(n) for c, n in opts[1:]}
    assert len(opts) - 1 == len(got) == len(project.visa.countries)
    assert got == {c: n[lang] for c, n in project.visa.countries.items()}
    order = [_h.unescape(n) for _, n in opts[1:]]
    assert order == sorted(order, key=sort_key)


# the script loads only on the tool pages, the tool is linked: test_tools.py (ANSWER_TOOLS, one test for the three tools)


# --- in the browser ----------------------------------------------------------------------------------

def _open(pg, site_url, lang, when: dt.datetime | None = None):
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    if not getattr(pg, "_lawsite_clock", False):  # a page reused by the axe scans: its clock is installed once
        pg.clock.install(time=when or dt.datetime(2026, 12, 1, 12, 0))
        pg._lawsite_clock = True
    pg.goto(site_url + tool_path(lang))
    pg.wait_for_selector("#visa-tool:not([hidden])")
    return errors


@pytest.fixture(scope="module")
def tool_page(browser):
    """One desktop page for the module's tests of the tool (each opens the tool page again, so nothing
    of the previous test's answers is left): a new context and its first load cost 3-4 times a load in a
    context that already rendered the site."""
    ctx = browser.new_context()
    yield ctx.new_page()
    ctx.close()


def _ask(pg, code: str, tourism: bool = True) -> dict:
    pg.select_option("#visa-country", code)
    pg.check("#visa-purpose-tourism" if tourism else "#visa-purpose-other")
    pg.click("#visa-go")
    return _result(pg)


_RESULT_JS = """() => { const r = document.getElementById('visa-result');
        const t = s => { const e = r.querySelector('[data-slot="' + s + '"]'); return e ? e.textContent.trim() : null; };
        return {state: r.getAttribute('data-state'), country: t('country'), stay: t('stay'), last: t('last'),
                resolution: t('resolution'), confidence: t('confidence'), text: r.textContent.replace(/\\s+/g, ' '),
                cites: r.querySelectorAll('a.cite').length, evisa: !!r.querySelector('[data-result="evisa"]'),
                treaty: !!r.querySelector('[data-result="treaty"]'),
                any: !!r.querySelector('[data-if="any"]'), tour: !!r.querySelector('[data-if="tourism"]')}; }"""


def _result(pg) -> dict:
    return pg.evaluate(_RESULT_JS)


# Many answers in one round trip: for each (code, tourism) the page's own controls are set as a reader
# sets them (the <select>'s value, the purpose radio) and the "answer" button clicked (visa.js reads the
# controls when the button is clicked: it keeps no state between clicks; the answer region is emptied
# first, so each answer is the click's own), then the result read as _result reads it. test_every_exempt_nationality_gets_the_right_answer asks the first nationality of each group
# through Playwright's own select/check/click, and every other one through this.
_ASK_MANY_JS = ("cases => { const result = " + _RESULT_JS + """;
  return cases.map(([code, tourism]) => {
    document.getElementById('visa-country').value = code;
    document.getElementById(tourism ? 'visa-purpose-tourism' : 'visa-purpose-other').checked = true;
    const out = document.getElementById('visa-result');
    out.textContent = ''; out.removeAttribute('data-state');  // no answer left from the case before
    document.getElementById('visa-go').click();
    return result(); }); }""")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_every_exempt_nationality_gets_the_right_answer(tool_page, site_url, project, lang):
    errors = _open(tool_page, site_url, lang)
    stay = render_figure(project.figures.get("stay_unilateral_exemption_days"), lang)
    evisa_days = render_figure(project.figures.get("visa_hn_dl_ev_max_days"), lang)
    cases = [(code, g, tourism) for code, g in exempt_cases(project) for tourism in (True, False)]
    first = {id(g): code for code, g in reversed(exempt_cases(project))}  # the first code of each group
    asked = {(code, tourism): _ask(tool_page, code, tourism) for code, g, tourism in cases if first[id(g)] == code}
    rest = [(code, tourism) for code, g, tourism in cases if (code, tourism) not in asked]
    asked.update(zip(rest, tool_page.evaluate(_ASK_MANY_JS, rest)))
    assert len(asked) == len(cases) == 2 * sum(len(g.countries) for g in project.visa.in_force(TODAY))
    for code, g, tourism in cases:
        name = project.visa.countries[code][lang]
        r = asked[(code, tourism)]
        want = "exempt" if (g.purpose == "any" or tourism) else "tourism-only"
        assert r["state"] == want, f"{lang} {code} tourism={tourism}: {r}"
        assert r["country"] == name
        assert r["resolution"].startswith("Nghị quyết số" if lang == "vi" else "Resolution No.")
        assert g.resolution.split("số ")[1].split(" ")[0] in r["resolution"]
        assert r["cites"] >= 1
        if g.confidence != "VT":  # a secondary source says so in the answer
            assert r["confidence"] and ("thứ cấp" if lang == "vi" else "secondary") in r["confidence"]
        if want == "exempt":
            assert r["stay"] == stay and r["last"] == format_date(g.last_day, lang)
            assert (r["any"], r["tour"]) == (g.purpose == "any", g.purpose == "tourism")
            assert not r["evisa"] and r["cites"] >= 3  # resolution, Art. 31 k1 c, Art. 20 k1 a
        else:
            assert r["evisa"] and evisa_days in r["text"]
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_every_other_nationality_is_not_exempt_and_gets_the_evisa(tool_page, site_url, project, lang):
    errors = _open(tool_page, site_url, lang)
    exempt = {c for c, _ in exempt_cases(project)}
    others = [c for c in project.visa.countries if c not in exempt]
    assert "US" in others and "CN" in others and "BY" in others  # Belarus: no longer listed (44/NQ-CP)
    r = _ask(tool_page, "US", tourism=False)
    assert (r["state"], r["country"], r["evisa"], r["treaty"]) == ("not-exempt", project.visa.countries["US"][lang], True, True)
    assert render_figure(project.figures.get("visa_hn_dl_ev_max_days"), lang) in r["text"]
    assert "127/NQ-CP" in r["text"] and r["cites"] >= 4
    # all the others, in the page (one round trip): state, name and the two paragraphs
    got = tool_page.evaluate("""codes => codes.map(c => { const s = document.getElementById('visa-country'); s.value = c;
        document.getElementById('visa-go').click(); const r = document.getElementById('visa-result');
        return [c, r.getAttribute('data-state'), r.querySelector('[data-slot="country"]').textContent,
                !!r.querySelector('[data-result="evisa"]'), !!r.querySelector('[data-result="treaty"]')]; })""", others)
    for code, state, name, evisa, treaty in got:
        assert (state, name, evisa, treaty) == ("not-exempt", project.visa.countries[code][lang], True, True), code
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_no_choice_asks_for_the_nationality(tool_page, site_url, lang):
    _open(tool_page, site_url, lang)
    tool_page.click("#visa-go")
    r = _result(tool_page)
    assert r["state"] == "empty" and r["text"].strip()


@pytest.mark.browser
def test_the_answer_follows_the_readers_date_at_the_last_day(browser, site_url, project):
    g = next(g for g in project.visa.in_force(TODAY) if g.purpose == "any")
    code = g.countries[0]
    for day, want in [(g.last_day, "exempt"), (g.last_day + dt.timedelta(days=1), "outside")]:
        ctx = browser.new_context()
        pg = ctx.new_page()
        try:
            _open(pg, site_url, "vi", when=dt.datetime(day.year, day.month, day.day, 23, 0))
            r = _ask(pg, code)
            assert r["state"] == want, f"{day}: {r}"
            if want == "outside":
                assert r["evisa"] and r["treaty"] and format_date(g.last_day, "vi") in r["text"]
        finally:
            ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_list_is_there(browser, site_url, project, lang):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    try:
        pg.goto(site_url + tool_path(lang))
        assert not pg.is_visible("#visa-tool")  # no dead form without its script
        assert pg.is_visible("#visa-list")
        text = pg.text_content("#visa-list")
        for code, g in exempt_cases(project):
            assert project.visa.countries[code][lang] in text
        body = pg.text_content("main") if pg.locator("main").count() else pg.text_content("body")
        assert render_figure(project.figures.get("visa_hn_dl_ev_max_days"), lang) in body  # the e-visa section
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_only(tool_page, site_url, project, lang):
    _open(tool_page, site_url, lang)
    tool_page.mouse.click(1, 1)

    g = next(g for g in project.visa.in_force(TODAY) if g.purpose == "tourism")
    code = g.countries[0]
    tab_to(tool_page, "#visa-country")
    tool_page.keyboard.press("ArrowDown")  # a closed <select> changes its value with the arrow keys
    assert tool_page.input_value("#visa-country") != ""
    # walk down with the arrow keys to the wanted country (no mouse, no script setting the value)
    codes = tool_page.eval_on_selector_all("#visa-country option", "os => os.map(o => o.value)")
    steps = codes.index(code) - codes.index(tool_page.input_value("#visa-country"))
    for _ in range(steps):
        tool_page.keyboard.press("ArrowDown")
    assert tool_page.input_value("#visa-country") == code
    tool_page.keyboard.press("Enter")
    assert _result(tool_page)["state"] == "exempt"
    tab_to(tool_page, "#visa-purpose-tourism", limit=10)
    tool_page.keyboard.press("ArrowDown")  # radio group: arrows move the choice
    assert tool_page.is_checked("#visa-purpose-other")
    tab_to(tool_page, "#visa-go", limit=10)
    tool_page.keyboard.press("Space")
    assert _result(tool_page)["state"] == "tourism-only"
    outline = tool_page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused button shows where the focus is


# axe at 360 px (light) and on the desktop (light and dark): one context per variant for the module's
# scans, navigated; the dark scan runs the colour rules when the page is otherwise the same as in the
# light scheme (tests/browser_helpers.py scan_both_schemes, tests/test_a11y.py says why that keeps the claim)
# (the variants and their fixture: browser_helpers.TOOL_AXE_VARIANTS, conftest.tool_tool_axe_variants)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_no_violations(tool_axe_variants, site_url, project, lang, width):
    for i, (code, tourism) in enumerate([("US", True), (exempt_cases(project)[0][0], True)]):
        def with_result(pg, code=code, tourism=tourism, first=i == 0):
            if first:
                _open(pg, site_url, lang)
            _ask(pg, code, tourism)  # with a result shown (not exempt, then exempt: asked again on the same page)

        res = scan_at_width(tool_axe_variants, width, with_result)
        for scheme in ("light", "dark"):
            assert not res[scheme], f"{lang} {width}px {scheme} {code} ({res['dark_rules']}):\n{describe(res[scheme])}"
    if width == 360:
        wide = scrolls_sideways(tool_axe_variants["360-light"])
        assert not wide, "the page scrolls sideways at 360 px"
    res = scan_at_width(tool_axe_variants, width, lambda pg: pg.goto(site_url + ("en/" if lang == "en" else "") + "visa/mien-thi-thuc/"))
    for scheme in ("light", "dark"):
        assert not res[scheme], f"{lang} visa-exemption page {width}px {scheme}:\n{describe(res[scheme])}"
