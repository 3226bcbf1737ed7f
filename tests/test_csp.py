"""Content-Security-Policy: computed at build time (hooks/quality.py -> lawsite.build.htmlfix), first in
<head>, hashes for exactly the inline scripts that run, the same policy in `_headers`, and no
violation in the browser on any template."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lawsite.build.htmlfix import executing_inline_scripts, policy, sha256_source
from browser_helpers import SETTLED
from helpers import TEMPLATES, resolve_template

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def html_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts]


def directives(value: str) -> dict[str, list[str]]:
    out = {}
    for d in value.split(";"):
        parts = d.split()
        if parts:
            out[parts[0]] = parts[1:]
    return out


def test_every_page_has_the_policy_first_in_head(built_site):
    pages = html_pages(built_site)
    assert len(pages) > 50
    for p in pages:
        text = p.read_text("utf-8")
        head = re.search(r"<head\b[^>]*>(.*?)</head>", text, re.S)
        assert head, p
        first = re.match(r"\s*(?:<meta charset=\"utf-8\">\s*)?(<[^>]+>)", head.group(1))  # charset first: 1,024-byte rule
        assert first and first.group(1).startswith('<meta http-equiv="Content-Security-Policy"'), \
            f"{p.relative_to(built_site)}: first element in <head> is {first.group(1) if first else None}"
        assert len(META.findall(text)) == 1, f"{p.relative_to(built_site)}: more than one CSP meta"


def _theme_hashes() -> set[str]:
    """Independent of the build: the inline scripts written in Material's templates and overrides/,
    with "{{ … base_url }}" expanded for each depth the site has (".", "..", "../..", …)."""
    import material

    from lawsite.build.htmlfix import theme_script_hashes

    bases = ["."] + ["/".join([".."] * d) for d in range(1, 9)] + ["/"]
    dirs = [Path(__file__).resolve().parents[1] / "overrides", Path(material.__file__).parent / "templates"]

    def render(src):

        return [re.sub(r"\{\{\s*config\.extra\.scope \| d\(base_url\)\s*\}\}|\{\{\s*base_url\s*\}\}", b, src) for b in bases]
    return theme_script_hashes(dirs, render)


def test_policy_hashes_only_the_theme_scripts(built_site):
    """Every page: the scripts it runs are allowed, and the policy allows nothing but the theme's own
    scripts (computed from the template files, never from the page): the same policy everywhere."""
    theme = _theme_hashes()
    policies = set()
    for p in html_pages(built_site):
        text = p.read_text("utf-8")
        value = META.search(text).group(1)
        policies.add(value)
        d = directives(value)
        hashes = {s for s in d["script-src"] if s.startswith("'sha256-")}
        runs = {sha256_source(b) for b in executing_inline_scripts(text)}
        assert runs <= hashes, p.relative_to(built_site)
        assert hashes <= theme, f"{p.relative_to(built_site)}: {hashes - theme} is not a theme script"
        assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
        assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"]
        assert d["base-uri"] == ["'self'"] and d["form-action"] == ["'self'"]
        assert "'wasm-unsafe-eval'" in d["script-src"]
    assert len(policies) == 1, "one policy for the whole site"


def test_a_smuggled_script_gets_no_hash():
    """The policy of a page does not depend on what the page contains."""
    from lawsite.build.htmlfix import inject_csp

    hashes = {"'sha256-AAAA'"}
    clean = inject_csp("<html><head></head><body><p>x</p></body></html>", hashes)
    dirty = inject_csp("<html><head></head><body><script>alert(1)</script></body></html>", hashes)
    assert META.search(clean).group(1) == META.search(dirty).group(1)
    assert sha256_source("alert(1)") not in META.search(dirty).group(1)


def test_json_data_blocks_are_not_hashed():
    html = ('<head></head><script id="__config" type="application/json">{"a":1}</script>'
            '<script type="application/ld+json">{}</script><script>var x=1</script><script src="a.js"></script>')
    assert executing_inline_scripts(html) == ["var x=1"]


def test_referrer_policy_meta(built_site):
    text = (built_site / "index.html").read_text("utf-8")
    assert re.search(r'<meta name="referrer" content="(strict-origin-when-cross-origin|no-referrer|same-origin)">', text)


def test_headers_file_has_the_same_policy(built_site):
    headers = (built_site / "_headers").read_text("utf-8")
    m = re.search(r"^  Content-Security-Policy: (.+)$", headers, re.M)
    assert headers.startswith("/*\n") and m
    union = set()
    for p in html_pages(built_site):
        union |= {s for s in directives(META.search(p.read_text("utf-8")).group(1))["script-src"] if s.startswith("'sha256-")}
    d = directives(m.group(1))
    assert {s for s in d["script-src"] if s.startswith("'sha256-")} == union
    assert d["frame-ancestors"] == ["'none'"]
    assert m.group(1) == policy(union, header=True)


@pytest.mark.browser
def test_csp_blocks_an_injected_inline_script(page, site_url):
    """The policy is live: an inline script that is not hashed does not run."""
    page.goto(site_url)
    ran = page.evaluate("""() => new Promise(r => {
        window.__ran = false;
        const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.appendChild(s);
        setTimeout(() => r(window.__ran), 100); })""")
    assert ran is False


_WATCH_CSP = ("document.addEventListener('securitypolicyviolation', e => "
              "(window.__cspv = window.__cspv || []).push(e.violatedDirective + ' ' + e.blockedURI))")


@pytest.fixture(scope="module")
def csp_page(browser):
    """One page for the template loads, navigated by each test (a new context and its first load cost
    3-4 times a load in a context that already rendered the site): the violation listener is in every
    document it loads (init script), the console is collected from the start of each test."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.add_init_script(_WATCH_CSP)
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text))
    yield pg, console
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("name,candidates", TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_no_csp_violation_in_the_browser(csp_page, built_site, site_url, name, candidates):
    page, console = csp_page
    page.goto("about:blank")  # nothing of the previous test's page is logged in this one
    console.clear()
    _load_and_settle(page, site_url + resolve_template(built_site, candidates))
    violations = page.evaluate("window.__cspv || []")
    refused = [c for c in console if "Refused to" in c or "Content Security Policy" in c]
    assert not violations and not refused, f"{name}: {violations} {refused}"
    # the scripts the hashes allow really ran: Material's bootstrap sets html.js
    assert page.evaluate("document.documentElement.classList.contains('js')")


def _load_and_settle(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # instead of a 300 ms sleep: ui.js has run (the last script of the page: <html data-lawsite-ready>),
    # then two frames and a task, so every violation event the load queued has been dispatched
    page.wait_for_function(SETTLED)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))")


@pytest.mark.browser
def test_a_violation_in_a_page_is_seen_by_the_template_check(csp_page, built_site, site_url):
    """The listener and the wait of test_no_csp_violation_in_the_browser see a violation of a real page:
    the home page with an inline script that is not hashed, at the end of its <body>."""
    page, console = csp_page
    page.goto("about:blank")
    console.clear()
    html = (built_site / "index.html").read_text("utf-8")
    url = site_url  # the home page's own address (its assets are relative to it), for this page only
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                body=html.replace("</body>", "<script>window.__bad = 1</script></body>", 1)))
    try:
        _load_and_settle(page, url)
    finally:
        page.unroute(url)
    assert page.evaluate("window.__bad") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__cspv || []")), page.evaluate("window.__cspv || []")


@pytest.mark.browser
def test_no_csp_violation_while_searching(page, built_site, site_url):
    from helpers import ROOT, SEARCH_FILES

    missing = [str(p.relative_to(ROOT)) for p in SEARCH_FILES if not p.is_file()]
    if missing:
        pytest.skip(f"site search is not built yet ({', '.join(missing)} missing)")
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "(window.__cspv = window.__cspv || []).push(e.violatedDirective + ' ' + e.blockedURI))")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    box = page.locator("[data-lawsite-search] input[role=combobox], input[type=search]").first
    box.click()
    box.fill("ho chieu")
    page.locator("[data-lawsite-search] [role=listbox] > *").first.wait_for(state="visible", timeout=15000)
    refused = [c for c in console if "Refused to" in c or "Content Security Policy" in c]
    assert not page.evaluate("window.__cspv || []") and not refused, refused
