"""axe-core (bundled by the PyPI package axe-playwright-python: no network at test time) on every
page template in both languages, in the light and the dark colour scheme and on a phone: 0 violations
of the WCAG 2.1 A and AA rules.

How the scans are kept cheap without checking less (tests/browser_helpers.py has the measurements):
- one context and one page per variant (desktop light, desktop dark, phone), navigated from template
  to template, with axe compiled once per renderer and its colour parsing memoised (same results:
  test_the_colour_memo_does_not_change_what_axe_reports);
- the dark scheme changes colours only: its scan runs the colour rules (color-contrast,
  link-in-text-block) on the page and every rule on the colour-scheme toggle, after checking on the
  page that nothing else differs from the light scheme (DOM, attributes, text, which elements are shown
  and where); when something does, every rule runs (test_the_dark_scan_catches_…);
- the phone changes the layout (media queries show and hide elements: the drawer, the Contents list,
  stacked tables), so the phone scan runs every rule;
- the legal-document template is scanned on Circular 117/2026 (the same elements and classes as the
  long documents, two articles), and the longest document, Decree 282/2025 (71 articles, most of them
  not laid out at load: content-visibility), once more in Vietnamese on the desktop: what it has that
  the short one lacks is the number of articles and the articles skipped by content-visibility."""
from __future__ import annotations

import pytest

from browser_helpers import COLOUR_RULES, Variants, goto_settled, inject_axe, run_axe, scan_both_schemes
from helpers import ROOT, SEARCH_FILES, TEMPLATES, describe, resolve_template  # shared: tests/helpers.py

SHORT_DOCUMENT = "van-ban/thong-tu-117-2026-tt-btc/index.html"
LONGEST_DOCUMENT = "van-ban/nghi-dinh-282-2025-nd-cp/"
A11Y_TEMPLATES = [(name, [("en/" if name.startswith("en-") else "") + SHORT_DOCUMENT] if name.endswith("-legal-document") else cands)
                  for name, cands in TEMPLATES]


@pytest.fixture(scope="module")
def variants(browser):
    v = Variants(browser, {**Variants.KINDS, "phone-dark": dict(Variants.KINDS["phone"], color_scheme="dark")})
    yield v
    v.close()


@pytest.mark.browser
@pytest.mark.parametrize("name,candidates", A11Y_TEMPLATES, ids=[t[0] for t in A11Y_TEMPLATES])
def test_template_has_no_wcag_violations(variants, built_site, site_url, name, candidates):
    """Desktop, light and dark colour scheme."""
    url = site_url + resolve_template(built_site, candidates)
    res = scan_both_schemes(variants["light"], variants["dark"], lambda pg: goto_settled(pg, url))
    assert not res["light"], f"{url} (light):\n{describe(res['light'])}"
    assert not res["dark"], f"{url} (dark, {res['dark_rules']} rules):\n{describe(res['dark'])}"


@pytest.mark.browser
def test_the_longest_legal_document_has_no_wcag_violations(variants, site_url):
    url = site_url + LONGEST_DOCUMENT
    goto_settled(variants["light"], url)
    assert variants["light"].locator("section.lawsite-article").count() > 60
    violations = run_axe(variants["light"])
    assert not violations, f"{url}:\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.parametrize("name,candidates", A11Y_TEMPLATES, ids=[t[0] for t in A11Y_TEMPLATES])
def test_template_on_a_phone_has_no_wcag_violations(variants, built_site, site_url, name, candidates):
    """Phone layout (360×780, touch): stacked tables, short header title, Contents list."""
    url = site_url + resolve_template(built_site, candidates)
    goto_settled(variants["phone"], url)
    violations = run_axe(variants["phone"])
    assert not violations, f"{url} (phone):\n{describe(violations)}"


@pytest.mark.browser
def test_axe_catches_a_violation(variants):
    """The harness itself works: a page with an unlabeled image and low contrast is reported."""
    page = variants["light"]
    page.set_content('<html lang="vi"><head><title>t</title></head><body><main><img src="x.png">'
                     '<p style="color:#bbb;background:#fff">mờ</p></main></body></html>')
    ids = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "color-contrast"} <= ids


_DARK_ONLY = """<html lang="en"><head><title>t</title><style>
  .dark-only { display: none }
  @media (prefers-color-scheme: dark) { body { background: #222 } p { color: #333 } %s }
</style></head><body><main><h1>Title</h1><p>Only faint in the dark scheme.</p>
<img class="dark-only" src="x.png"></main></body></html>"""


@pytest.mark.browser
def test_the_dark_scan_catches_a_contrast_fault_of_the_dark_scheme_only(variants):
    """The split is safe: a colour that fails only in the dark scheme is caught by the colour rules, and
    a dark scheme that also changes the structure (here: shows an image without a text alternative)
    gets every rule."""
    colours = scan_both_schemes(variants["light"], variants["dark"], lambda pg: pg.set_content(_DARK_ONLY % ""))
    assert not colours["light"], describe(colours["light"])
    assert colours["dark_rules"] == "colour" and {v["id"] for v in colours["dark"]} == {"color-contrast"}
    shown = scan_both_schemes(variants["light"], variants["dark"],
                              lambda pg: pg.set_content(_DARK_ONLY % ".dark-only { display: inline }"))
    assert not shown["light"], describe(shown["light"])
    assert shown["dark_rules"] == "all" and {"color-contrast", "image-alt"} <= {v["id"] for v in shown["dark"]}
    assert set(COLOUR_RULES) == {"color-contrast", "link-in-text-block"}


_FULL_RESULTS = """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => JSON.stringify(['violations', 'passes', 'incomplete'].map(k => r[k].map(x => [x.id,
        x.nodes.map(n => [n.target, n.any.map(c => [c.id, c.data]), n.all.map(c => [c.id, c.data]),
                          n.none.map(c => [c.id, c.data])])]))))"""


@pytest.mark.browser
def test_the_colour_memo_does_not_change_what_axe_reports(variants, site_url):
    """Every result of every rule (passes, incomplete and violations, with the contrast ratios and
    colours each check found) is the same with the memoised colour parsing as without it."""
    page = variants["light"]
    got = []
    for memo in (False, True):
        goto_settled(page, site_url + "404.html")
        inject_axe(page, memo=memo)
        assert page.evaluate("axe.commons.color.Color.prototype.__lawsiteMemo === true") is memo
        got.append(page.evaluate(_FULL_RESULTS))
    assert '"color-contrast"' in got[0] and '"contrastRatio"' in got[0]
    assert got[0] == got[1]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_search_open_with_results_has_no_wcag_violations(page, built_site, site_url, lang):
    missing = [str(p.relative_to(ROOT)) for p in SEARCH_FILES if not p.is_file()]
    if missing:
        pytest.skip(f"site search is not built yet ({', '.join(missing)} missing): nothing to test")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + ("en/" if lang == "en" else ""))
    page.wait_for_load_state("load")
    opener = page.locator(".lawsite-search-open")
    if opener.count() and opener.first.is_visible():
        opener.first.click()
    box = page.locator("[data-lawsite-search] input[role=combobox], input[type=search]").first
    box.click()
    box.fill("ho chieu" if lang == "vi" else "passport")
    results = page.locator("[data-lawsite-search] [role=listbox] > *, [role=listbox] [role=option]")
    results.first.wait_for(state="visible", timeout=15000)
    assert results.count() > 0
    violations = run_axe(page)
    assert not violations, f"search ({lang}):\n{describe(violations)}"


@pytest.mark.browser
def test_citation_box_and_contents_open_have_no_wcag_violations(variants, site_url):
    """On a phone, light and dark colour scheme."""
    def open_both(page):
        page.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
        page.locator("nav.lawsite-contents summary").tap()
        cite = page.locator("article a.cite:visible").first
        cite.scroll_into_view_if_needed()
        cite.tap()
        page.locator(".lawsite-cite-pop").wait_for(state="visible")

    res = scan_both_schemes(variants["phone"], variants["phone-dark"], open_both)
    assert not res["light"], f"citation box (light):\n{describe(res['light'])}"
    assert not res["dark"], f"citation box (dark, {res['dark_rules']} rules):\n{describe(res['dark'])}"
