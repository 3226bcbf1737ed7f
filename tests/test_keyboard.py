"""Keyboard and screen-reader basics: skip link, every control reachable by Tab with a visible focus
outline, a language switcher that announces each language, table captions, and citation hover
text that also appears on keyboard focus."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lawsite.build.htmlfix import caption_tables, uncaptioned_tables

PROCEDURE = "cong-dan/cap-ho-chieu-trong-nuoc/"

FOCUS_INFO = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), html: el.outerHTML.slice(0, 160), w: r.width, h: r.height,
          x: r.x, y: r.y, outline: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth),
          key: el.dataset.kbId || ('unlisted:' + el.tagName + '|' + (el.getAttribute('href') || el.id || el.className))};
}"""

CONTROLS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => { const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
                  return r.width > 0 && r.height > 0 && cs.visibility === 'visible' && !el.closest('[hidden],[inert]') && el.tabIndex >= 0; })
  .map((el, i) => { el.dataset.kbId = i + ':' + el.tagName + '|' + (el.getAttribute('href') || el.id || el.className); return el.dataset.kbId; })"""


@pytest.fixture(scope="module")
def kb(browser):
    """One desktop page (1280×900) for the module's keyboard tests, navigated by each test: a new
    context and its first load cost 3-4 times a load in a context that already rendered the site, and
    nothing these tests do outlives the next navigation (the focus, the open section, the tooltip)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx.new_page()
    ctx.close()


def tab_through(page, limit: int = 400) -> list[dict]:
    seen, out = set(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
        if info is None:
            continue
        if info["key"] in seen:
            break  # the tab order wrapped around
        seen.add(info["key"])
        out.append(info)
    return out


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "en/", PROCEDURE, "en/" + PROCEDURE])
def test_skip_link_is_first_visible_and_works(kb, site_url, path):
    kb.set_viewport_size({"width": 1280, "height": 900})
    kb.goto(site_url + path)
    kb.keyboard.press("Tab")
    info = kb.evaluate(FOCUS_INFO)
    assert info and "md-skip" in info["html"], f"first Tab focused {info}"
    assert info["w"] > 20 and info["h"] > 10 and info["y"] >= 0, f"skip link not visible on focus: {info}"
    target = kb.evaluate("document.activeElement.getAttribute('href')")
    assert target.startswith("#") and kb.locator(target).count() == 1, f"skip link target {target} missing"
    kb.keyboard.press("Enter")
    assert kb.evaluate("location.hash") == target


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "en/" + PROCEDURE, "vi-pham/bang-muc-phat/"])
def test_every_control_reachable_with_visible_focus(kb, site_url, path):
    kb.set_viewport_size({"width": 1280, "height": 900})
    kb.goto(site_url + path)
    kb.wait_for_load_state("load")
    visible = set(kb.evaluate(CONTROLS))
    reached = tab_through(kb)
    keys = {r["key"] for r in reached}
    missing = sorted(visible - keys)
    assert not missing, f"not reachable with Tab on /{path}: {missing[:10]}"
    invisible = [r["html"] for r in reached if r["outline"] == "none" or r["outlineWidth"] < 2]
    assert not invisible, f"focused without a visible outline on /{path}: {invisible[:5]}"


@pytest.mark.browser
def test_collapsed_navigation_section_opens_with_enter(kb, site_url):
    """Links in a collapsed nested section (e.g. Thị thực) are hidden until its label is opened:
    the label is focusable and Enter opens it."""
    kb.set_viewport_size({"width": 1280, "height": 900})
    kb.goto(site_url)
    labels = kb.locator(".md-nav--primary label.md-nav__link[tabindex='0']")
    assert labels.count() > 0
    label = labels.first
    section = label.get_attribute("for")
    link = kb.locator(f"#{section} ~ nav a.md-nav__link").first
    assert link.evaluate("e => getComputedStyle(e).visibility") != "visible"
    label.focus()
    kb.keyboard.press("Enter")
    kb.wait_for_function("e => getComputedStyle(e).visibility === 'visible'", arg=link.element_handle(), timeout=3000)


@pytest.mark.browser
@pytest.mark.parametrize("path,own", [("", "vi"), ("en/", "en"), (PROCEDURE, "vi"), ("en/" + PROCEDURE, "en")])
def test_language_switcher_announces_each_language(kb, site_url, path, own):
    kb.goto(site_url + path)
    links = kb.locator(".md-select__link")
    assert links.count() == 2
    got = {}
    for i in range(links.count()):
        a = links.nth(i)
        lang, hreflang = a.get_attribute("lang"), a.get_attribute("hreflang")
        assert lang and lang == hreflang, a.evaluate("e => e.outerHTML")
        got[lang] = (a.inner_text().strip(), a.get_attribute("aria-current"))
    assert got["vi"][0] == "Tiếng Việt" and got["en"][0] == "English"
    assert got[own][1] == "true" and got["en" if own == "vi" else "vi"][1] is None
    button = kb.locator(".md-select > button")
    assert button.get_attribute("aria-label"), "the switcher button has no accessible name"


@pytest.mark.browser
@pytest.mark.parametrize("path", [PROCEDURE, "en/" + PROCEDURE])
def test_citation_hover_text_shows_on_keyboard_focus(kb, site_url, built_site, path):
    html = (built_site / path / "index.html").read_text("utf-8")
    m = re.search(r'<a class="cite"[^>]*title="([^"]+)"', html)
    assert m, "no citation link with a title on the page"
    kb.set_viewport_size({"width": 1280, "height": 900})
    kb.goto(site_url + path)
    kb.wait_for_load_state("load")
    kb.wait_for_function("() => document.documentElement.dataset.lawsiteReady === '1'")  # ui.js has bound its handlers
    for _ in range(400):
        kb.keyboard.press("Tab")
        if kb.evaluate("document.activeElement.matches('a.cite')"):
            break
    else:
        pytest.fail("no citation link reached with Tab")
    try:
        kb.wait_for_function("() => document.activeElement.getAttribute('aria-describedby')", timeout=3000)
    except Exception:
        pytest.fail("the focused citation is not described by a tooltip: "
                    + kb.evaluate("document.activeElement.outerHTML.slice(0, 300)"))
    tip_id = kb.evaluate("document.activeElement.getAttribute('aria-describedby')")
    tip = kb.locator(f"[id='{tip_id}']")
    tip.wait_for(state="visible", timeout=3000)
    title = kb.evaluate("document.activeElement.dataset.doc")
    assert title and title in tip.inner_text()
    kb.wait_for_function("id => getComputedStyle(document.getElementById(id)).opacity === '1'", arg=tip_id, timeout=3000)


# --- table captions (no browser) --------------------------------------------------------------

def test_bold_line_before_table_becomes_caption():
    html = ("<p><strong>Bảng 1. Mức phạt theo <a href=\"x\">Điều 21</a></strong></p>\n<table>\n<thead><tr><th>Khoản</th></tr></thead></table>"
            "<p>Đoạn <strong>đậm</strong> thường</p>\n<table><tr><th>A</th></tr></table>")
    out = caption_tables(html)
    assert '<table>\n<caption>Bảng 1. Mức phạt theo <a href="x">Điều 21</a></caption>' in out
    assert "<p>Đoạn <strong>đậm</strong> thường</p>" in out  # mixed paragraph: not a caption
    assert uncaptioned_tables(out) == ["A"]


def test_every_table_in_the_built_site_has_a_caption(built_site: Path):
    bad = []
    for f in sorted(built_site.rglob("*.html")):
        if "pagefind" in f.parts:
            continue
        for head in uncaptioned_tables(f.read_text("utf-8")):
            bad.append(f"{f.relative_to(built_site)}: {head}")
    assert not bad, "tables without <caption>:\n" + "\n".join(bad)


def test_every_table_has_header_cells(built_site: Path):
    bad = []
    for f in sorted(built_site.rglob("*.html")):
        text = f.read_text("utf-8")
        for m in re.finditer(r"<table\b.*?</table>", text, re.S):
            if "<th" not in m.group(0):
                bad.append(str(f.relative_to(built_site)))
    assert not bad, f"tables without header cells: {bad}"
