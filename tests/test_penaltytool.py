"""The "Which penalty?" tool (docs/cong-cu/muc-phat*.md, docs/assets/javascripts/penalty.js) and the
table of fines (docs/vi-pham/bang-muc-phat*.md), both generated from data/penalty-acts.yaml.

Every expectation is computed from the data and the figures (nothing copied by hand): each act is
in the table and in the tool, with its anchor, its fine, its basis linked to an anchor that exists
on the decree's page; the tool's answer for each kind of reader and each act, in both languages;
bad data files give file:line errors; the page without JavaScript; keyboard use; axe at 360 px and
on the desktop."""
from __future__ import annotations

import html as _html
import re
from pathlib import Path

import pytest

from conftest import tab_to

from lawsite.project.figures import render_figure
from lawsite.project.penalty_acts import WHO_ORDER, expand_markers, load_penalty_acts
from lawsite.project.loader import load_project
from lawsite.core.settings import DataError

from browser_helpers import scan_at_width, scrolls_sideways
from helpers import describe, fine_text

ROOT = Path(__file__).resolve().parents[1]
PROJECT = load_project(ROOT)
PA = PROJECT.penalty_acts
FIG = PROJECT.figures.items
LANGS = ["vi", "en"]
DECREE_SLUG = PROJECT.registry.get(PA.data.decree).slug
PENAL_SLUG = PROJECT.registry.get(PA.data.penal_code).slug


def pre(lang: str) -> str:
    return "en/" if lang == "en" else ""


def anchor(provision: str) -> str:
    """dieu-21-khoan-3-diem-a for '3.a' (the document page's ids; đ written dd)."""
    cl, _, pt = provision.partition(".")
    out = f"dieu-{PA.data.article}-khoan-{cl}"
    return out + ("-diem-" + ("dd" if pt == "đ" else pt) if pt else "")


def text(s: str) -> str:
    return _html.unescape(re.sub(r"<[^>]+>", "", s))


# --- the data file ------------------------------------------------------------------------------

def test_data_loads_and_covers_every_point_of_article_21():
    """Every point of clauses 1-10 of the article in the registry has at least one act; nothing else."""
    art = PROJECT.registry.get(PA.data.decree).article(PA.data.article)
    units = set()
    for c in art.clauses:
        if int(c.number) > 10:
            continue  # 11: additional penalties, 12: remedial measure (sections of their own)
        units |= {f"{c.number}.{p.letter}" for p in c.points} or {c.number}
    assert {a.provision for a in PA.acts} == units
    assert len({a.id for a in PA.acts}) == len(PA.acts)
    for a in PA.acts:
        assert a.fine is None or a.fine == f"fine_282_a21_k{a.provision.split('.')[0]}", a.id
        for lang in LANGS:
            assert "{{" not in a.label.vi or all(k in FIG for k in re.findall(r"\{\{\s*(\w+)", a.label.vi))


def test_a_warning_only_where_the_decree_allows_it():
    """Clause 1 is the only clause of Article 21 whose sanction is "a warning or a fine"; a warning
    flag copied onto an act of another clause (or lost from clause 1) would tell readers a wrong
    thing. Clause 10 sets no fine at all, every other act has its clause's range."""
    for a in PA.acts:
        clause = a.provision.split(".")[0]
        assert a.warning == (clause == "1"), a.id
        assert (a.fine is None) == (clause == "10"), a.id


def test_every_overstay_band_is_a_foreigners_act_that_can_become_the_crime_of_article_347():
    """Penal Code Art. 347 covers an unlawful stay of any length (after a sanction for the same act):
    every act worded with an overstay limit (the bands of clauses 2 to 9) links it, and only
    foreigners can commit it. A band added later without the link would tell readers it cannot
    become a crime."""
    bands = [a for a in PA.acts if re.search(r"\{\{\s*overstay_", a.label.vi)]
    assert len({a.provision.split(".")[0] for a in bands}) == 7, [a.id for a in bands]  # clauses 2, 4, 5, 6, 7, 8, 9
    for a in bands:
        assert a.crime == "347" and a.who == ["foreigner"], a.id
        assert re.search(r"\{\{\s*overstay_", a.label.en), a.id


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    src = (ROOT / "data/penalty-acts.yaml").read_text("utf-8")
    assert old in src, old
    p = tmp_path / "penalty-acts.yaml"
    p.write_text(src.replace(old, new, 1), "utf-8")
    return p


@pytest.mark.parametrize("old,new,code,needle", [
    ('provision: "3.a"', 'provision: "3.x"', "pen_unknown_provision", 'provision: "3.x"'),
    ('provision: "8"\n', 'provision: "13"\n', "pen_unknown_provision", 'provision: "13"'),
    ("id: lending-papers", "id: damaging-papers", "pen_duplicate_id", "id: damaging-papers"),
    ("fine: fine_282_a21_k6\n", "fine: fine_282_a21_k66\n", "pen_bad_fine", "fine_282_a21_k66"),
    ("fine: fine_282_a21_k8\n", "fine: overstay_days_16\n", "pen_bad_fine", "fine: overstay_days_16"),
    ('crime: "348"', 'crime: "350"', "pen_crime_unknown", 'crime: "350"'),
    ("    fine: fine_282_a21_k1\n", "    fine: fine_282_a21_k2  # copied from clause 2\n", "pen_fine_clause", "# copied from clause 2"),
    ("who: [lodging]", "who: [hotel]", "data_bad_value", "who: [hotel]"),
    ("    warning: true", "    warnings: true", "data_unknown_key", "warnings: true"),
    ('applies_to: ["3.b", "6.a"', 'applies_to: ["3.b", "6.a", "11.a"', "pen_measure_no_act", 'applies_to: ["3.b", "6.a", "11.a"'),
])
def test_a_mistake_in_the_data_names_file_and_line(tmp_path, old, new, code, needle):
    p = _broken_copy(tmp_path, old, new)
    with pytest.raises(DataError) as e:
        load_penalty_acts(p, PROJECT.registry, PROJECT.figures, tmp_path)
    found = [f for f in e.value.findings if f.code == code]
    assert found, e.value.render("en")
    lines = [i + 1 for i, l in enumerate(p.read_text("utf-8").splitlines()) if needle in l]
    want = lines[-1]  # the duplicate id: its second use
    assert found[0].line == want, (found[0].line, want)
    for lang in LANGS:
        msg = e.value.render(lang)
        assert msg.startswith("penalty-acts.yaml:") and "Traceback" not in msg
        assert "{" not in found[0].message(lang).split(" — ")[0]  # every placeholder filled in


@pytest.mark.parametrize("lang", LANGS)
def test_clauses_11_and_12_of_the_table_page_name_the_points_of_the_data(lang):
    """The table page words clauses 11 and 12 by hand, as the decree does; the points it names must be
    the ones the data applies them to (read with the site's own citation parser)."""
    from lawsite.cite.parse import get_parser

    src = (ROOT / f"docs/vi-pham/bang-muc-phat{'.en' if lang == 'en' else ''}.md").read_text("utf-8")
    parser = get_parser(lang, PROJECT.aliases(lang))

    def named(chunk: str, own: str) -> set[str]:
        out = set()
        for c in parser.parse(chunk):
            for p in c.provisions:
                unit = ".".join(x for x in (p.clause, p.point) if x)
                if p.article == PA.data.article and unit != own and not own.startswith(unit + "."):
                    out.add(unit)
        return out

    sec11 = re.search(r"\{ #khoan-11 \}(.*?)\n## ", src, re.S).group(1)
    sec12 = re.search(r"\{ #khoan-12 \}(.*?)\n## ", src, re.S).group(1)
    bullets = dict(re.findall(r"^- \*\*([a-z])\)\*\* (.*)$", sec11, re.M))
    for m in PA.data.additional:
        assert named(bullets[m.provision.split(".")[1]], m.provision) == set(m.applies_to), m.id
    for m in PA.data.remedial:
        assert named(sec12, m.provision) == set(m.applies_to), m.id


def test_a_bad_marker_is_reported_at_its_line():
    body = "Intro.\n\n<!-- penalty-acts: khoan 13 -->\n\n<!-- penalty-acts: all -->\n"
    out, found = expand_markers(PROJECT, body, "vi", "docs/x.md", 5, tool=False)
    assert [(f.code, f.line) for f in found] == [("pen_bad_marker", 7), ("pen_marker_tool_only", 9)]
    assert "penalty-acts" not in out
    out, found = expand_markers(PROJECT, "<!-- penalty-acts: khoan 4 -->\n", "en", "docs/x.en.md", 1, tool=False)
    assert not found and out.count("\n") == 1  # one line: the page's line numbers do not move
    assert all(f'id="hv-{a.id}"' in out for a in PA.acts if a.provision.split(".")[0] == "4")


# --- the built pages (no browser) ---------------------------------------------------------------

def _rows(page_html: str, table_id: str) -> dict[str, str]:
    t = re.search(rf'<table class="lawsite-acts" id="{table_id}"[^>]*>(.*?)</table>', page_html, re.S)
    assert t, f"table #{table_id} missing"
    return dict(re.findall(r'<tr id="hv-([a-z0-9-]+)"[^>]*>(.*?)</tr>', t.group(1), re.S))


def _doc_ids(built_site: Path, lang: str, slug: str) -> set[str]:
    page = (built_site / pre(lang) / "van-ban" / slug / "index.html").read_text("utf-8")
    return set(re.findall(r'\bid="([^"]+)"', page))


def _check_row(row: str, act, lang: str, decree_ids: set, penal_ids: set, *, tool: bool):
    assert text(row).count(text(act.label.vi if lang == "vi" else act.label.en).split("{{")[0][:30]) >= 1
    if act.fine:
        f = FIG[act.fine]  # the tool's table has min and max apart (its script doubles them for organisations)
        shown = fine_text(f, lang) if tool else render_figure(f, lang)
        assert shown in text(row), act.id
    links = re.findall(r'<a class="cite"[^>]*href="([^"]+)"', row)
    assert links, act.id
    basis = [h for h in links if DECREE_SLUG in h and h.endswith("#" + anchor(act.provision))]
    assert basis, f"{act.id}: no link to #{anchor(act.provision)} in {links}"
    for h in links:  # every citation in the row lands on an anchor that exists on its document page
        slug, frag = re.search(r"van-ban/([^/]+)/#([\w-]+)$", h).groups()
        assert frag in (decree_ids if slug == DECREE_SLUG else penal_ids), h
    if act.crime:
        assert any(h.endswith(f"{PENAL_SLUG}/#dieu-{act.crime}") for h in links), act.id


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_act_in_the_table_of_fines_and_in_the_tool(built_site, lang):
    decree_ids, penal_ids = _doc_ids(built_site, lang, DECREE_SLUG), _doc_ids(built_site, lang, PENAL_SLUG)
    table_page = (built_site / pre(lang) / "vi-pham/bang-muc-phat/index.html").read_text("utf-8")
    tool_page = (built_site / pre(lang) / "cong-cu/muc-phat/index.html").read_text("utf-8")
    in_table: dict[str, str] = {}
    for cl in PA.clauses():
        rows = _rows(table_page, f"penalty-acts-{cl}")
        assert list(rows) == [a.id for a in PA.acts if a.provision.split(".")[0] == cl]
        in_table.update(rows)
        assert f'id="khoan-{cl}"' in table_page  # the clause sections keep their anchors
    in_tool = _rows(tool_page, "penalty-acts")
    assert list(in_tool) == list(in_table) == [a.id for a in PA.acts]
    for a in PA.acts:
        _check_row(in_table[a.id], a, lang, decree_ids, penal_ids, tool=False)
        _check_row(in_tool[a.id], a, lang, decree_ids, penal_ids, tool=True)
        assert re.search(rf'data-who="{" ".join(w for w in WHO_ORDER if w in a.who)}"', tool_page)
    # the tool's own form and data never reach the table page
    assert "data-act=" not in table_page and "penalty.js" not in table_page


# the script loads only on the tool pages, the tool is linked: test_tools.py (ANSWER_TOOLS, one test for the three tools)


# --- in the browser ------------------------------------------------------------------------------

def _open(pg, site_url, lang):
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(site_url + pre(lang) + "cong-cu/muc-phat/")
    pg.wait_for_selector("#penalty-tool:not([hidden])")
    return errors


@pytest.fixture(scope="module")
def tool_page(browser):
    """One desktop page for the module's tests of the tool (each opens the tool page again, so nothing
    of the previous test's answers is left): a new context and its first load cost 3-4 times a load in a
    context that already rendered the site."""
    ctx = browser.new_context()
    yield ctx.new_page()
    ctx.close()


_RESULT_JS = """() => { const r = document.getElementById('penalty-result');
        const t = s => { const e = r.querySelector('[data-slot="' + s + '"]'); return e ? e.textContent.trim() : null; };
        const has = s => !!r.querySelector('[data-if="' + s + '"]');
        const row = r.querySelector('a[data-slot="row"]');
        return {state: r.getAttribute('data-state'), act: r.getAttribute('data-act'), text: r.textContent,
                label: t('act'), fine: t('fine'), org: t('fine-org'),
                ifs: ['fine', 'warning', 'org', 'lodging', 'no-fine', 'extra', 'no-extra', 'crime', 'no-crime'].filter(has),
                extras: Array.from(r.querySelectorAll('[data-slot="extra"] li')).map(li => li.getAttribute('data-extra')),
                crime: t('crime'), row: row ? row.getAttribute('href') : null,
                cites: Array.from(r.querySelectorAll('a.cite')).map(a => a.getAttribute('href'))}; }"""


def _result(pg) -> dict:
    return pg.evaluate(_RESULT_JS)


# Many answers in one round trip: for each act, the <select>'s value set and its "change" event sent, as a
# reader's choice sends it (penalty.js answers on that event), the answer region emptied first (each answer
# is that change's own), then the result read as _result reads it. test_answer_for_each_reader_and_each_act
# chooses the first act of each reader with Playwright's own select_option, and every other one through this.
_CHOOSE_MANY_JS = ("ids => { const result = " + _RESULT_JS + """;
  const s = document.getElementById('penalty-act'), out = document.getElementById('penalty-result');
  return ids.map(id => { out.textContent = ''; out.removeAttribute('data-state'); out.removeAttribute('data-act');
    s.value = id; s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));
    return result(); }); }""")


def expected(act, who: str | None, lang: str) -> dict:
    ifs = []
    if act.fine:
        ifs.append("fine")
    if act.warning:
        ifs.append("warning")
    if act.fine and who in (None, "organisation"):
        ifs.append("org")
    if act.fine and who == "lodging":
        ifs.append("lodging")
    if not act.fine:
        ifs.append("no-fine")
    extras = [m.id for _, m in PA.measures(act) if not m.only or (m.only in act.who and who in (None, m.only))]
    ifs.append("extra" if extras else "no-extra")
    ifs.append("crime" if act.crime else "no-crime")
    return {"ifs": ifs, "extras": extras,
            "fine": fine_text(FIG[act.fine], lang) if act.fine else None,
            "org": fine_text(FIG[act.fine], lang, factor=2) if act.fine and who in (None, "organisation", "lodging") else None}


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_answer_for_each_reader_and_each_act(tool_page, site_url, lang):
    errors = _open(tool_page, site_url, lang)
    crime_words = {k: (v.vi if lang == "vi" else v.en) for k, v in PA.data.crimes.items()}
    for who in WHO_ORDER:
        tool_page.check(f"#penalty-who-{who}")
        listed = tool_page.eval_on_selector_all("#penalty-act option", "os => os.map(o => o.value).filter(Boolean)")
        assert listed == [a.id for a in PA.acts if who in a.who], who
        acts = [a for a in PA.acts if who in a.who]
        tool_page.select_option("#penalty-act", acts[0].id)  # the answer comes on change, without the button
        answers = [_result(tool_page)] + tool_page.evaluate(_CHOOSE_MANY_JS, [a.id for a in acts[1:]])
        assert len(answers) == len(acts)
        for a, r in zip(acts, answers):
            e = expected(a, who, lang)
            assert (r["state"], r["act"]) == ("answer", a.id), f"{lang} {who} {a.id}: {r}"
            assert r["ifs"] == e["ifs"], f"{lang} {who} {a.id}"
            assert r["extras"] == e["extras"], f"{lang} {who} {a.id}"
            assert r["fine"] == e["fine"] and r["org"] == e["org"], f"{lang} {who} {a.id}: {r}"
            if a.crime:
                assert crime_words[a.crime] in r["crime"]
                assert any(h.endswith(f"{PENAL_SLUG}/#dieu-{a.crime}") for h in r["cites"])
            if a.fine:
                assert any(h.endswith("#" + anchor(a.provision)) for h in r["cites"]), r["cites"]
            assert r["row"].endswith(f"vi-pham/bang-muc-phat/#hv-{a.id}")
    assert not errors, errors


@pytest.mark.browser
def test_the_row_link_reaches_the_row(tool_page, site_url):
    _open(tool_page, site_url, "en")
    tool_page.check("#penalty-who-lodging")
    tool_page.select_option("#penalty-act", "lodging-4-8-undeclared")
    tool_page.click('#penalty-result a[data-slot="row"]')
    tool_page.wait_for_url(re.compile(r"bang-muc-phat/#hv-lodging-4-8-undeclared$"))
    assert tool_page.is_visible("#hv-lodging-4-8-undeclared")


@pytest.mark.browser
def test_no_choice_yet_and_a_changed_reader(tool_page, site_url):
    _open(tool_page, site_url, "vi")
    assert tool_page.eval_on_selector_all("#penalty-act option", "os => os.length") == len(PA.acts) + 1
    tool_page.click("#penalty-go")
    assert _result(tool_page)["state"] == "empty"
    tool_page.select_option("#penalty-act", "overstay-16-30")  # before choosing who: organisations and expulsion both shown
    r = _result(tool_page)
    assert "org" in r["ifs"] and r["extras"] == ["expulsion"]
    tool_page.check("#penalty-who-foreigner")
    assert _result(tool_page)["act"] == "overstay-16-30"  # still applies: the answer follows the new reader
    tool_page.check("#penalty-who-citizen")  # an overstay is not a citizen's act: the choice is cleared
    assert tool_page.input_value("#penalty-act") == "" and tool_page.text_content("#penalty-result").strip() == ""


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_table_is_there(browser, site_url, lang):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    try:
        pg.goto(site_url + pre(lang) + "cong-cu/muc-phat/")
        assert pg.is_visible("#penalty-acts")
        assert pg.locator("#penalty-acts tr[data-act]").count() == len(PA.acts)
        assert not pg.is_visible("#penalty-tool")  # no dead form without its script
        body = pg.text_content("#penalty-acts")
        for key in {a.fine for a in PA.acts if a.fine}:
            assert render_figure(FIG[key], lang, "max") in body
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_only(tool_page, site_url, lang):
    _open(tool_page, site_url, lang)
    tool_page.mouse.click(1, 1)

    tab_to(tool_page, "#penalty-who-citizen")
    tool_page.keyboard.press("ArrowDown")  # radio group: the arrow moves to and checks the next choice
    assert tool_page.is_checked("#penalty-who-foreigner")
    tab_to(tool_page, "#penalty-act", limit=10)
    foreigner_acts = [a.id for a in PA.acts if "foreigner" in a.who]
    tool_page.keyboard.press("ArrowDown")
    tool_page.keyboard.press("ArrowDown")
    tool_page.keyboard.press("Enter")
    assert _result(tool_page)["act"] == foreigner_acts[1]
    tab_to(tool_page, "#penalty-go", limit=10)
    tool_page.keyboard.press("Space")
    assert _result(tool_page)["act"] == foreigner_acts[1]
    outline = tool_page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


# axe at 360 px (light) and on the desktop (light and dark): one context per variant for the module's
# scans, navigated; the dark scan runs the colour rules when the page is otherwise the same as in the
# light scheme (tests/browser_helpers.py scan_both_schemes, tests/test_a11y.py says why that keeps the claim).
# The table of fines (vi-pham/bang-muc-phat/, both languages) is axe-scanned by tests/test_a11y.py (the
# "penalties-table" template: desktop light and dark, and a 360 px phone), the same variants as here:
# this test no longer scans it a second time, it checks that it does not scroll sideways at 360 px.
# (the variants and their fixture: browser_helpers.TOOL_AXE_VARIANTS, conftest.tool_tool_axe_variants)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_no_violations(tool_axe_variants, site_url, lang, width):
    def with_result(pg):
        _open(pg, site_url, lang)
        pg.check("#penalty-who-foreigner")
        pg.select_option("#penalty-act", "overstay-16-30")  # with a result shown

    res = scan_at_width(tool_axe_variants, width, with_result)
    for scheme in ("light", "dark"):
        assert not res[scheme], f"{lang} {width}px {scheme} ({res['dark_rules']}):\n{describe(res[scheme])}"
    if width == 360:
        pg = tool_axe_variants["360-light"]
        assert not scrolls_sideways(pg), "the page scrolls sideways at 360 px"
        pg.goto(site_url + pre(lang) + "vi-pham/bang-muc-phat/")
        assert not scrolls_sideways(pg), "the table of fines scrolls sideways at 360 px"
