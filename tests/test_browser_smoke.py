"""Browser smoke tests (Playwright + Debian chromium against the built site on 127.0.0.1)."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def _record(page):
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return requests, errors


def _switch_to(page, label: str):
    # Material's language switcher: a button that opens a list of links
    page.locator(".md-header__option .md-select").first.hover()
    page.locator(f".md-select__link:has-text('{label}')").first.click()
    page.wait_for_load_state("load")


def test_switch_language_and_back(page, site_url):
    requests, errors = _record(page)
    page.goto(site_url + "cong-dan/ho-chieu/")
    assert page.locator("html").get_attribute("lang") == "vi"
    _switch_to(page, "English")
    assert page.url == site_url + "en/cong-dan/ho-chieu/"
    assert page.locator("html").get_attribute("lang") == "en"
    _switch_to(page, "Tiếng Việt")
    assert page.url == site_url + "cong-dan/ho-chieu/"
    assert not errors, errors
    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, f"requests left localhost: {sorted(hosts)}"


def test_path_starting_with_locale_code(page, site_url):
    """docs/visa/… starts with the letters 'vi': it must not be taken for a locale."""
    page.goto(site_url + "visa/")
    assert page.locator("html").get_attribute("lang") == "vi"
    links = page.locator(".md-select__link").evaluate_all("els => els.map(e => [e.getAttribute('hreflang'), e.href])")
    targets = dict(links)
    assert targets["en"] == site_url + "en/visa/"
    assert targets["vi"] == site_url + "visa/"
    page.goto(site_url + "en/visa/")
    assert page.locator("html").get_attribute("lang") == "en"
    links = dict(page.locator(".md-select__link").evaluate_all("els => els.map(e => [e.getAttribute('hreflang'), e.href])"))
    assert links["vi"] == site_url + "visa/"
    # the navigation of the English page links to English visa pages
    hrefs = page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all("els => els.map(e => e.href)")
    visa = [h for h in hrefs if "/visa/" in h]
    assert visa and all(h.startswith(site_url + "en/") for h in visa), visa


def test_phone_viewport_has_navigation_drawer(phone, site_url):
    requests, errors = _record(phone)
    phone.goto(site_url)
    drawer_button = phone.locator("label.md-header__button[for='__drawer']")
    assert drawer_button.is_visible()
    drawer_button.click()
    assert phone.locator("#__drawer").is_checked()
    link = phone.locator("nav.md-nav--primary a.md-nav__link[href]", has_text="Công dân Việt Nam").first
    from playwright.sync_api import expect

    expect(link).to_be_in_viewport(timeout=3000)  # the drawer slides in from the left
    assert not errors, errors


@pytest.fixture(scope="module")
def watched(browser):
    """One page for the module's page loads, with its requests and errors recorded (each test starts
    from about:blank with empty records): a new context and its first load cost 3-4 times a load in a
    context that already rendered the site."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    requests, errors = _record(pg)
    yield pg, requests, errors
    ctx.close()


@pytest.mark.parametrize("path", ["", "en/", "cong-dan/cap-ho-chieu-trong-nuoc/", "en/vi-pham/bang-muc-phat/",
                                  "van-ban/nghi-dinh-282-2025-nd-cp/", "404.html",
                                  "cong-cu/qua-han-tam-tru/", "cong-cu/thi-thuc/", "en/cong-cu/muc-phat/"])
def test_no_request_leaves_localhost(watched, site_url, path):
    page, requests, errors = watched
    page.goto("about:blank")
    requests.clear()
    errors.clear()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, f"{path}: {sorted(hosts)}"
    assert not [e for e in errors if "404" not in e or path != "404.html"], errors


@pytest.mark.parametrize("scheme,first,other", [("dark", "slate", "default"), ("light", "default", "slate")])
def test_colour_scheme_follows_the_system_and_the_toggle_is_kept(browser, site_url, scheme, first, other):
    """Material's bundle is not loaded (overrides/main.html): ui.js applies the scheme and the toggle."""
    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    try:
        requests, errors = _record(page)
        page.goto(site_url + "cong-dan/")
        body = page.locator("body")
        assert body.get_attribute("data-md-color-scheme") == first
        toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
        assert toggle.count() == 1 and toggle.is_visible()
        toggle.click()
        assert body.get_attribute("data-md-color-scheme") == other
        page.goto(site_url + "en/")  # the choice is kept on the next page
        assert page.locator("body").get_attribute("data-md-color-scheme") == other
        assert not [u for u in requests if "/bundle." in u], "Material's bundle was fetched"
        assert not errors, errors
    finally:
        ctx.close()


def test_tables_are_in_a_scroll_box(page, site_url):
    page.goto(site_url + "vi-pham/bang-muc-phat/")
    page.wait_for_function("() => document.documentElement.dataset.lawsiteReady === '1'")
    # as Material's bundle did: tables without a class of their own (classed ones, e.g. .lawsite-acts, style themselves)
    plain = page.locator(".md-content table:not([class])").count()
    assert page.locator(".md-typeset__scrollwrap > .md-typeset__table > table:not([class])").count() == plain > 0
