"""axe-core (bundled by the PyPI package axe-playwright-python: no network at test time) on every
page template in both languages, in the light and the dark colour scheme: 0 violations of the WCAG
2.1 A and AA rules."""
from __future__ import annotations


import pytest

from helpers import ROOT, SEARCH_FILES, TEMPLATES, describe, resolve_template, run_axe  # shared: tests/helpers.py


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name,candidates", TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_has_no_wcag_violations(browser, built_site, site_url, name, candidates, scheme):
    url = site_url + resolve_template(built_site, candidates)
    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        # ui.js applies the colour scheme when it starts, and Material fades link colours (CSS transitions):
        # check the colours once ui.js is ready and no transition runs, not half-way through a fade
        page.wait_for_function("() => (!document.querySelector('script[src*=\"ui.js\"]')"
                               " || document.documentElement.dataset.lawsiteReady === '1')"
                               " && document.getAnimations().every(a => a.playState !== 'running')")
        violations = run_axe(page)
    finally:
        ctx.close()
    assert not violations, f"{url} ({scheme}):\n{describe(violations)}"


@pytest.mark.browser
def test_axe_catches_a_violation(browser):
    """The harness itself works: a page with an unlabeled image and low contrast is reported."""
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        page.set_content('<html lang="vi"><head><title>t</title></head><body><main><img src="x.png">'
                         '<p style="color:#bbb;background:#fff">mờ</p></main></body></html>')
        ids = {v["id"] for v in run_axe(page)}
    finally:
        ctx.close()
    assert {"image-alt", "color-contrast"} <= ids


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
@pytest.mark.parametrize("name,candidates", TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_on_a_phone_has_no_wcag_violations(browser, built_site, site_url, name, candidates):
    """Phone layout (360×780, touch): stacked tables, short header title, Contents list."""
    url = site_url + resolve_template(built_site, candidates)
    ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        violations = run_axe(page)
    finally:
        ctx.close()
    assert not violations, f"{url} (phone):\n{describe(violations)}"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_citation_box_and_contents_open_have_no_wcag_violations(browser, site_url, scheme):
    ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True, color_scheme=scheme)
    page = ctx.new_page()
    try:
        page.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
        page.locator("nav.lawsite-contents summary").tap()
        cite = page.locator("article a.cite:visible").first
        cite.scroll_into_view_if_needed()
        cite.tap()
        page.locator(".lawsite-cite-pop").wait_for(state="visible")
        violations = run_axe(page)
    finally:
        ctx.close()
    assert not violations, f"citation box ({scheme}):\n{describe(violations)}"
