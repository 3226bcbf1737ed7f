"""Browser helpers shared by the browser tests (suitefast4, issue 16: the browser tests' cost).

Where the time went (measured on the built site, CPU seconds of the whole Chromium tree):
- a new browser context and its first page load cost 1.5-2.5 s, a load in a context that already
  rendered a page of the site 0.5-0.7 s; injecting axe-core (570 KB) costs 0.5-1.1 s in a fresh
  renderer and 0.2 s in one that already compiled it (V8's compile cache is per renderer process).
  So the scans below keep ONE context and one page per variant (width, colour scheme) and navigate it.
- in a scan, axe's `color-contrast` rule is 75-90 % of the time, and a quarter to a third of that was
  axe parsing the same few colour strings again (15,000 parses of 9 distinct strings on the table of
  fines): `run_axe` memoises `axe.commons.color.Color#parseString` (a pure function of its string,
  through colorjs.io) — the scan's results are identical, checked by tests/test_a11y.py
  (test_the_colour_memo_does_not_change_what_axe_reports).
- the structure rules (everything but the colour rules) do not read colours; a dark-scheme scan runs
  the colour rules only when the page's structure in the dark scheme (DOM, attributes, which elements
  are displayed and where) is the same as in the light scheme, checked on the page itself each time
  (`structure`), and every rule on the colour-scheme toggle (which differs by design); if anything else
  differs, the dark scan runs every rule on the page (`scan_both_schemes`)."""
from __future__ import annotations

from helpers import WCAG_TAGS, axe_source

# the WCAG A/AA rules of axe that read colours: every other rule gets the same answer in both schemes
# when the page's structure is the same (checked against axe.getRules in run_axe)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

_MEMO_JS = """() => {
  const C = axe.commons.color.Color;
  if (C.prototype.__lawsiteMemo) return;
  const parse = C.prototype.parseString, memo = new Map();
  C.prototype.parseString = function (s) {
    const m = memo.get(s);
    if (m) { this.r = m[0]; this.g = m[1]; this.b = m[2]; this.alpha = m[3]; return this; }
    parse.call(this, s);  // throws on a colour it cannot parse: nothing is remembered
    memo.set(s, [this.r, this.g, this.b, this.alpha]);
    return this;
  };
  C.prototype.__lawsiteMemo = true;
}"""

_RUN_JS = """([tags, rules, within]) => {
  const known = axe.getRules(tags).map(r => r.ruleId);
  const missing = (rules || []).filter(r => !known.includes(r));
  if (missing.length) throw new Error('axe has no rule ' + missing.join(', ') + ' among the WCAG rules');
  const only = rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags};
  const context = within ? {include: [[within]]} : document;
  return axe.run(context, {runOnly: only, resultTypes: ['violations']}).then(r => r.violations);
}"""


def inject_axe(page, memo: bool = True) -> None:
    """axe-core in the page through the DevTools protocol (page.evaluate is not subject to the CSP)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    if memo:
        page.evaluate(_MEMO_JS)


def run_axe(page, rules: list[str] | None = None, memo: bool = True, within: str | None = None) -> list[dict]:
    """The violations of the WCAG 2.1 A/AA rules (or of `rules` only, each of which must be one of them)
    on the page (or on the elements matching the CSS selector `within` and what they contain)."""
    inject_axe(page, memo)
    return page.evaluate(_RUN_JS, [WCAG_TAGS, rules, within])


# The colour-scheme toggle in the header differs between the schemes by design (the label that switches
# to the other scheme is shown, the other one hidden): the dark scan runs every rule on it.
TOGGLE = "form[data-md-component=palette]"

# What every rule but the colour rules reads: the DOM with its attributes and text, and for each
# element whether and where it is rendered. (The colour-scheme attributes, the colours and the toggle's
# inside are left out.)
_STRUCTURE_JS = """toggle => {
  const out = [];
  const walk = (n, depth) => {
    if (n.nodeType === 3) { const t = n.data.trim(); if (t) out.push(depth + '#' + t); return; }
    if (n.nodeType !== 1) return;
    if (n.matches(toggle)) { out.push(depth + '|the colour-scheme toggle'); return; }
    const cs = getComputedStyle(n), r = n.getBoundingClientRect();
    const attrs = [...n.attributes].filter(a => a.name !== 'data-md-color-scheme' && a.name !== 'data-md-color-primary'
                                           && a.name !== 'data-md-color-accent')
                                   .map(a => a.name + '=' + a.value).join(' ');
    out.push([depth, n.tagName, attrs, cs.display, cs.visibility, cs.contentVisibility, cs.position, cs.overflowX,
              cs.overflowY, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)].join('|'));
    for (const c of n.childNodes) walk(c, depth + 1);
    if (n.shadowRoot) for (const c of n.shadowRoot.childNodes) walk(c, depth + 1);
  };
  walk(document.documentElement, 0);
  return out;
}"""


def structure(page) -> list[str]:
    return page.evaluate(_STRUCTURE_JS, TOGGLE)


def scan_both_schemes(light_page, dark_page, load) -> dict[str, list[dict]]:
    """axe on one page state in the light scheme (every rule) and in the dark scheme: when the dark
    page's structure equals the light page's (outside the colour-scheme toggle), the colour rules on the
    page and every rule on the toggle; else every rule on the page. `load(page)` brings a page to the
    state to check. Returns {"light": violations, "dark": violations, "dark_rules": "colour" or "all"}."""
    load(light_page)
    light = run_axe(light_page)
    before = structure(light_page)
    load(dark_page)
    same = structure(dark_page) == before
    if same:
        dark = run_axe(dark_page, COLOUR_RULES)
        if dark_page.locator(TOGGLE).count():
            dark += run_axe(dark_page, within=TOGGLE)
    else:
        dark = run_axe(dark_page)
    return {"light": light, "dark": dark, "dark_rules": "colour" if same else "all"}


class Variants:
    """One browser context and one page per variant, made on first use and reused (navigated) by the
    tests of a module; closed at the end of the module."""

    KINDS = {
        "light": dict(color_scheme="light"),
        "dark": dict(color_scheme="dark"),
        "phone": dict(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True),
    }

    def __init__(self, browser, kinds: dict | None = None):
        self.browser, self.kinds, self._pages = browser, kinds or self.KINDS, {}

    def __getitem__(self, kind: str):
        if kind not in self._pages:
            ctx = self.browser.new_context(**self.kinds[kind])
            self._pages[kind] = ctx.new_page()
        return self._pages[kind]

    def close(self) -> None:
        for pg in self._pages.values():
            pg.context.close()
        self._pages.clear()


# ui.js applies the colour scheme when it starts, and Material fades link colours (CSS transitions):
# check the colours once ui.js is ready and no transition runs, not half-way through a fade
SETTLED = ("() => (!document.querySelector('script[src*=\"ui.js\"]')"
           " || document.documentElement.dataset.lawsiteReady === '1')"
           " && document.getAnimations().every(a => a.playState !== 'running')")


def goto_settled(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_function(SETTLED)


# The answer tools' axe variants (tests/test_tools.py, test_penaltytool.py, test_visatool.py): 360 px (light) and
# the desktop (light and dark), one context per variant for a module's scans, navigated; the dark scan runs the
# colour rules when the page is otherwise the same as in the light scheme (scan_both_schemes; tests/test_a11y.py
# says why that keeps the claim). The fixture is `tool_axe_variants` in tests/conftest.py.
TOOL_AXE_VARIANTS = {"360-light": dict(viewport={"width": 360, "height": 800}, color_scheme="light"),
                     "1280-light": dict(viewport={"width": 1280, "height": 800}, color_scheme="light"),
                     "1280-dark": dict(viewport={"width": 1280, "height": 800}, color_scheme="dark")}


def scan_at_width(variants, width: int, load) -> dict:
    """axe at 360 px in the light scheme only, or on the desktop in both schemes (scan_both_schemes)."""
    if width == 360:
        load(variants["360-light"])
        return {"light": run_axe(variants["360-light"]), "dark": [], "dark_rules": "-"}
    return scan_both_schemes(variants["1280-light"], variants["1280-dark"], load)


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
