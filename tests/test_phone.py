"""A citizen's phone (360×780, touch): the answer is on the first screen, no table is cut off, the
language switcher is labelled and keeps the page (404 pages too), citations open a small box on the
first tap, and the public build carries no developer chrome (issue 14)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SCREEN = {"width": 360, "height": 780}


def _procedure_pages() -> list[str]:
    out = []
    for p in sorted((ROOT / "docs").rglob("*.md")):
        if re.search(r"^procedure:", p.read_text("utf-8"), re.M):
            rel = p.relative_to(ROOT / "docs").as_posix()
            en = rel.endswith(".en.md")
            stem = rel[: -len(".en.md")] if en else rel[:-3]
            stem = stem[: -len("index")] if stem.endswith("index") else stem + "/"
            out.append(("en/" if en else "") + stem)
    return out


PROCEDURES = _procedure_pages()


CITIZEN = dict(viewport=SCREEN, is_mobile=True, has_touch=True, device_scale_factor=1)


@pytest.fixture
def citizen(browser):
    """A fresh phone page: for the tests that add a script, a route, a listener or emulate print."""
    ctx = browser.new_context(**CITIZEN)
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture(scope="module")
def _reader_page(browser):
    ctx = browser.new_context(**CITIZEN)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def reader(_reader_page):
    """The same phone (a context like citizen's) for the tests that only load pages, read them and tap
    or click in them: one context and page for the module, navigated by each test (a new context and its
    first load cost 3-4 times a load in a context that already rendered the site; nothing these tests do
    outlives the next navigation: no script added, no route, no listener, no emulated media, no storage)."""
    return _reader_page


def test_procedure_pages_found():
    assert len(PROCEDURES) >= 10, PROCEDURES


_CARD_JS = """() => {
  const card = document.querySelector('.procedure-card');
  if (!card) return null;
  const out = {};
  for (const dt of card.querySelectorAll('dt')) {
    const dd = dt.nextElementSibling;
    out[dt.textContent.trim()] = {top: dd.getBoundingClientRect().top + scrollY, bottom: dd.getBoundingClientRect().bottom + scrollY};
  }
  const b = card.querySelector('.lawsite-start');
  out.button = b ? b.getBoundingClientRect().bottom + scrollY : null;
  return out;
}"""


@pytest.mark.parametrize("path", PROCEDURES)
def test_time_limit_and_fee_on_the_first_screen(reader, site_url, path):
    reader.goto(site_url + path)
    card = reader.evaluate(_CARD_JS)
    assert card, f"{path}: no procedure card"
    lang = "en" if path.startswith("en/") else "vi"
    time_label, fee_label = {"vi": ("Thời hạn giải quyết", "Lệ phí"), "en": ("Time limit", "Fee")}[lang]
    assert time_label in card, f"{path}: the card has no time limit"
    assert card[time_label]["bottom"] <= SCREEN["height"], f"{path}: the time limit ends at {card[time_label]['bottom']:.0f} px"
    if fee_label in card:  # the whole fee line (to its last line) is on the first screen
        assert card[fee_label]["bottom"] <= SCREEN["height"], f"{path}: the fee line ends at {card[fee_label]['bottom']:.0f} px"


_DOC = "van-ban/nghi-dinh-282-2025-nd-cp/"
# checkVisibility({contentVisibilityAuto: true}) is false while the browser skips an article (not laid out yet)
_SKIPPED = "h => !h.checkVisibility({contentVisibilityAuto: true})"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_document_articles_are_laid_out_near_the_screen_and_stay_reachable(citizen, site_url, prefix):
    """Each article of a legal document is a content-visibility section (laid out when it comes near the
    screen: most of a long document's load work); #fragments, the "go to article" links, find-in-page
    and print still reach every article."""
    citizen.goto(site_url + prefix + _DOC)
    heads = citizen.locator("article section.lawsite-article > h3[id]")
    n = heads.count()
    assert n == citizen.locator("article h3[id^='dieu-']").count() > 60  # every article, 71 in Decree 282
    assert heads.first.evaluate("h => getComputedStyle(h.parentElement).contentVisibility") == "auto"
    assert heads.nth(n - 1).evaluate(_SKIPPED), "the last article was laid out at load"
    top = "h => Math.round(h.getBoundingClientRect().top)"
    # a link from another page: the browser lands on the article and it stays there once laid out
    citizen.goto(site_url + prefix + _DOC + "#dieu-60")
    citizen.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    target = citizen.locator("#dieu-60")
    assert 0 <= target.evaluate(top) <= 120 and not target.evaluate(_SKIPPED), target.evaluate(top)
    # the "go to article" links under the heading of the articles
    citizen.goto(site_url + prefix + _DOC)
    citizen.locator("article a[href='#dieu-45']").first.tap()
    citizen.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert 0 <= citizen.locator("#dieu-45").evaluate(top) <= 120
    # find-in-page sees the text of an article that is not laid out yet
    last = heads.nth(n - 1)
    assert last.evaluate(_SKIPPED)
    found = citizen.evaluate("""() => {
      const all = document.body.textContent;
      for (const s of [...document.querySelectorAll("section.lawsite-article")].reverse()) {  // a text found once, far down
        if (s.firstElementChild.checkVisibility({contentVisibilityAuto: true})) continue;
        for (const e of [...s.children].slice(1)) {  // (not the heading: the menu lists it too)
          const text = e.textContent.trim().slice(0, 40);
          if (text.length < 20 || all.split(text).length !== 2) continue;
          return [text, window.find(text) && window.getSelection().anchorNode.parentElement.closest("section") === s];
        }
      }
      return [null, false];
    }""")
    assert found[1], f"find-in-page did not reach an article that is not laid out yet: {found[0]}"
    # print: every article is printed
    citizen.goto(site_url + prefix + _DOC)
    citizen.emulate_media(media="print")
    assert heads.nth(n - 1).evaluate("h => getComputedStyle(h.parentElement).contentVisibility") == "visible"
    assert not heads.nth(n - 1).evaluate(_SKIPPED)


def test_online_service_is_a_start_button(reader, site_url):
    reader.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
    button = reader.locator(".procedure-card a.lawsite-start")
    assert button.get_attribute("href") == "https://dichvucong.gov.vn/"
    assert button.inner_text().strip().startswith("Bắt đầu")
    bg = button.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg == "rgb(0, 112, 60)", bg


def test_home_shows_the_tasks_on_the_first_screen(reader, site_url):
    for path, heading in [("", "Bạn cần làm gì?"), ("en/", "What do you need to do?")]:
        reader.goto(site_url + path)
        h = reader.locator("h2#ban-can-lam-gi")
        assert heading in h.inner_text()
        first = reader.locator("h2#ban-can-lam-gi + ul > li").first
        assert first.bounding_box()["y"] + first.bounding_box()["height"] <= SCREEN["height"], path
        assert reader.locator(".lawsite-disclaimer").count() == 1, f"{path}: the disclaimer line is not there once"
        assert reader.locator(".md-typeset .admonition", has_text="không phải tư vấn").count() == 0
        assert " - " not in reader.title() and reader.title().count("Pháp luật xuất nhập cảnh") <= 1, reader.title()


_TABLES_JS = """() => [...document.querySelectorAll('.md-content table')].map(t => {
  let scroll = false;
  for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a).overflowX;
    if ((s === 'auto' || s === 'scroll') && a.getBoundingClientRect().right <= innerWidth + 0.5) { scroll = true; break; }
  }
  const cap = t.querySelector('caption');
  return {right: t.getBoundingClientRect().right, scroll, stacked: t.hasAttribute('data-lawsite-stack'),
          caption: cap ? cap.getBoundingClientRect().right : null};
})"""


def _pages_with_tables(site: Path) -> list[str]:
    out = []
    for f in sorted(site.rglob("index.html")):
        if "<table" in f.read_text("utf-8"):
            rel = f.parent.relative_to(site).as_posix()
            out.append("" if rel == "." else rel + "/")
    return out


# Each page with a table is brought into ONE phone page by writing its HTML into the document
# (document.open/write/close: the page's own <head>, stylesheets, inline and deferred scripts, ui.js
# included, run again in the same document; URL set to the page's own, so relative links resolve the
# same) instead of a navigation each: the tables are laid out by the same CSS and scripts at the same
# width, for about half the CPU (no new document, renderer frame and navigation in the browser process:
# 0.22 s against 0.41 s a page, 114 pages). test_the_written_page_lays_tables_out_as_a_page_load_does
# checks that the two give the same figures on a page of each kind; test_a_cut_off_table_is_caught
# shows the check still catches a table that sticks out.
_WRITE_JS = """async url => {
  const html = await (await fetch(url)).text();
  history.replaceState(null, '', url);
  document.open(); document.write(html); document.close();
  if (document.readyState !== 'complete') await new Promise(r => addEventListener('load', r, {once: true}));
}"""


def _tables_by_writing(pg, url: str) -> list[dict]:
    pg.evaluate(_WRITE_JS, url)
    return pg.evaluate(_TABLES_JS)


def _cut_off(path: str, tables: list[dict]) -> list[str]:
    bad = []
    for i, t in enumerate(tables):
        if t["right"] > SCREEN["width"] + 0.5 and not t["scroll"]:
            bad.append(f"{path} table {i + 1}: right edge at {t['right']:.0f} px, not in a scroll container")
        if t["caption"] is not None and t["caption"] > SCREEN["width"] + 0.5:
            bad.append(f"{path} table {i + 1}: caption cut off ({t['caption']:.0f} px)")
    return bad


@pytest.fixture(scope="module")
def table_layout(_reader_page, site_url, built_site) -> dict[str, list[dict]]:
    """{page path: its tables' figures at 360 px} for every built page with a table."""
    pages = _pages_with_tables(built_site)
    _reader_page.goto(site_url)
    return {path: _tables_by_writing(_reader_page, site_url + path) for path in pages}


@pytest.mark.slow  # table_layout reads the built site
def test_no_table_cut_off_on_a_phone(table_layout):
    assert len(table_layout) > 20
    assert sum(len(t) for t in table_layout.values()) > 100  # every table of those pages was measured
    bad = [b for path, tables in table_layout.items() for b in _cut_off(path, tables)]
    assert not bad, "\n".join(bad)


def test_the_written_page_lays_tables_out_as_a_page_load_does(reader, site_url, table_layout):
    """On the first page of each kind (a stacked table, one that scrolls, one that does neither; with and
    without a caption; a table in a legal document), a page load gives the same figures as the write."""
    kinds: dict[tuple, str] = {}
    for path, tables in table_layout.items():
        for t in tables:
            kinds.setdefault((t["stacked"], t["scroll"], t["caption"] is None, "/van-ban/" in "/" + path), path)
    assert len(kinds) >= 3, kinds
    for path in sorted(set(kinds.values())):
        reader.goto(site_url + path)
        assert reader.evaluate(_TABLES_JS) == table_layout[path], path


def test_a_cut_off_table_is_caught(reader, site_url, built_site):
    """A wide table outside the scroll box, written into a real page, is reported (and so is its caption)."""
    html = (built_site / "vi-pham/bang-muc-phat/index.html").read_text("utf-8")
    wide = ('<table style="min-width: 900px"><caption style="white-space: nowrap">Một chú thích rất dài, không xuống dòng, '
            'rộng hơn màn hình điện thoại</caption><thead><tr><th>A</th><th>B</th></tr></thead>'
            '<tbody><tr><td>1</td><td>2</td></tr></tbody></table>')
    marker = re.search(r'<article class="md-content__inner md-typeset"[^>]*>', html).group(0)
    url = site_url + "vi-pham/bang-muc-phat/"
    reader.goto(site_url)
    reader.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                  body=html.replace(marker, marker + wide, 1)))
    try:
        tables = _tables_by_writing(reader, url)
    finally:
        reader.unroute(url)
    bad = _cut_off("x", tables)
    assert any("table 1: right edge" in b for b in bad) and any("table 1: caption cut off" in b for b in bad), bad


def test_wide_table_is_stacked_with_labels(reader, site_url):
    reader.goto(site_url + "vi-pham/bang-muc-phat/")
    table = reader.locator(".md-content table").first
    assert table.get_attribute("data-lawsite-stack") is not None
    cell = table.locator("tbody tr").first.locator("td").nth(1)
    assert cell.get_attribute("data-label") == "Khung phạt (cá nhân)"
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Khung phạt" in label
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= SCREEN["width"]


def test_phone_cards_are_written_by_the_build(built_site):
    """Every table of 3 or more columns (all pages, both languages) is marked for the phone cards in
    the HTML, each body cell under a named column with that name: the browser lays the page out once,
    and the cards hold without JavaScript."""
    import html as _html

    from lawsite.build.htmlfix import STACK_MIN_COLUMNS

    tables, problems = 0, []
    for f in sorted(built_site.rglob("*.html")):
        page = f.read_text("utf-8")
        for m in re.finditer(r"(<table\b[^>]*>)(.*?)</table>", page, re.S):
            head = re.search(r"<thead\b.*?</thead>", m.group(2), re.S)
            names = [" ".join(_html.unescape(re.sub(r"<[^>]+>", "", c)).split())
                     for c in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(0), re.S)] if head else []
            if len(names) < STACK_MIN_COLUMNS:
                continue
            tables += 1
            where = f"{f.relative_to(built_site).as_posix()} table {tables}"
            if "data-lawsite-stack" not in m.group(1):
                problems.append(f"{where}: not marked")
            body = re.search(r"<tbody\b.*?</tbody>", m.group(2), re.S)
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body.group(0) if body else "", re.S):
                for i, cell in enumerate(re.findall(r"<t[dh]\b[^>]*>", row)):
                    want = _html.escape(names[i], quote=True) if i < len(names) and names[i] else None
                    if want and f'data-label="{want}"' not in cell:
                        problems.append(f"{where}: {cell} without data-label={names[i]!r}")
    assert tables > 40, tables
    assert not problems, f"{len(problems)} cells or tables without their phone-card marks:\n" + "\n".join(problems[:10])


def test_phone_cards_hold_without_javascript(browser, site_url):
    ctx = browser.new_context(viewport=SCREEN, is_mobile=True, java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(site_url + "en/vi-pham/bang-muc-phat/")
        tables = page.evaluate(_TABLES_JS)
        assert tables and all(t["stacked"] for t in tables), tables
        assert max(t["right"] for t in tables) <= SCREEN["width"], tables
        cell = page.locator(".md-content table tbody tr").first.locator("td").nth(1)
        assert cell.evaluate("e => getComputedStyle(e, '::before').content").strip('"') == cell.get_attribute("data-label")
    finally:
        ctx.close()


# what ui.js may change at page load: nothing on <html>, <body> or a table (each of these restyled or
# re-laid out the whole penalties page, its Lighthouse TBT); recorded from before the first script runs
_WATCH_JS = """
window.__lawsiteMutations = [];
new MutationObserver(list => { for (const m of list) {
  const t = m.target;
  if (t === document.documentElement || t === document.body || (t.closest && t.closest('table')) ||
      (m.type === 'childList' && [...m.addedNodes].some(n => n.querySelector && n.querySelector('table'))))
    window.__lawsiteMutations.push(m.type + ' ' + t.nodeName + ' ' + (m.attributeName || '') + (document.body ? '' : ' (in <head>)'));
}}).observe(document, {attributes: true, childList: true, subtree: true});
"""


@pytest.mark.parametrize("path", ["vi-pham/bang-muc-phat/", "en/cong-cu/muc-phat/"])
def test_page_load_does_not_restyle_the_page_or_its_tables(citizen, site_url, path):
    citizen.add_init_script(_WATCH_JS)
    citizen.goto(site_url + path)
    citizen.wait_for_function(READY)
    changes = citizen.evaluate("window.__lawsiteMutations")
    # the parser's own insertions are childList records on the elements being parsed: not attributes
    # (the class set by the inline script in <head>, before there is a page to restyle, is fine)
    # (and the "ready" mark the tests wait for: no style reads it)
    assert not [c for c in changes if c.startswith("attributes") and not c.endswith("(in <head>)")
                and c != "attributes HTML data-lawsite-ready"], changes
    assert citizen.evaluate("document.documentElement.className") == "js"
    assert citizen.locator("table[data-lawsite-stack]").count() > 0


def test_first_view_is_light_and_stays_on_this_host(browser, built_site):
    """Issue 14's bars, measured as a browser fetches each template's first view from a gzip server
    (bench/page_weight.py): at most 70 KB compressed, no request to another host; tool pages included.
    (The pages share one context with the cache switched off: every row has its own stylesheets and
    scripts over the wire, nothing served from an earlier template's load.)"""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from page_weight import TARGET_KB, TEMPLATES, measure

    assert {"overstay tool", "visa tool"} <= {n for n, _ in TEMPLATES}
    rows = measure(built_site, browser)
    missing = [r["path"] for r in rows if r.get("missing")]
    assert not missing, missing
    cached = [r["path"] for r in rows if not (r["kinds"].get("css") and r["kinds"].get("js") and r["kinds"].get("html"))]
    assert not cached, f"first views without their own HTML, CSS and JS on the wire (served from a cache?): {cached}"
    heavy = [f"{r['path']}: {r['total'] / 1024:.1f} KB" for r in rows if r["total"] > TARGET_KB * 1024]
    foreign = [f"{r['path']}: {u}" for r in rows for u in r["foreign"]]
    assert not heavy and not foreign, heavy + foreign


@pytest.mark.parametrize("path,label,target", [("cong-dan/ho-chieu/", "English", "en/cong-dan/ho-chieu/"),
                                               ("en/cong-dan/ho-chieu/", "Tiếng Việt", "cong-dan/ho-chieu/"),
                                               ("en/404.html", "Tiếng Việt", "404.html"),
                                               ("404.html", "English", "en/404.html")])
def test_language_switcher_is_labelled_and_keeps_the_page(reader, site_url, path, label, target):
    reader.goto(site_url + path)
    button = reader.locator(".md-select > button")
    assert button.is_visible()
    assert button.inner_text().strip() == label, "the switcher has no visible text label"
    other = "vi" if path.startswith("en/") else "en"
    href = reader.locator(f".md-select__link[hreflang='{other}']").evaluate("e => e.href")
    assert href == site_url + target


READY = "() => document.documentElement.dataset.lawsiteReady === '1'"  # ui.js has bound its handlers


def test_first_tap_on_a_citation_explains_it(reader, site_url):
    reader.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
    reader.wait_for_function(READY)
    cite = reader.locator("article a.cite:visible").first
    cite.scroll_into_view_if_needed()
    expected = cite.get_attribute("title")
    assert expected
    cite.tap()
    pop = reader.locator(".lawsite-cite-pop")
    pop.wait_for(state="visible")
    assert reader.url == site_url + "cong-dan/cap-ho-chieu-trong-nuoc/", "the first tap left the page"
    assert expected in pop.inner_text()
    assert pop.locator("a").evaluate("e => e.href") == cite.evaluate("e => e.href")
    assert cite.get_attribute("data-doc"), "the citation lost its machine-readable attributes"
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREEN["width"]
    pop.locator("button").tap()
    assert pop.count() == 0


def test_first_view_fetches_no_search_script_and_no_theme_bundle(citizen, site_url):
    urls = []
    citizen.on("request", lambda r: urls.append(r.url))
    citizen.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
    citizen.wait_for_load_state("networkidle")
    citizen.wait_for_function(READY)
    scripts = [u for u in urls if u.endswith(".js")]
    assert [u.rsplit("/", 1)[1] for u in scripts] == ["ui.js"], scripts
    assert not [u for u in urls if "pagefind" in u]
    with citizen.expect_request("**/assets/javascripts/search.js"):
        citizen.locator(".lawsite-search-open").tap()
    citizen.wait_for_function("() => document.getElementById('lawsite-search-status').textContent.startsWith('Gõ')")
    assert citizen.evaluate("document.activeElement.id") == "lawsite-search-input"
    assert citizen.is_checked("#__search")


def test_text_typed_before_search_js_arrives_is_searched(citizen, site_url):
    held = []
    citizen.route("**/assets/javascripts/search.js", lambda route: held.append(route))
    citizen.goto(site_url)
    citizen.wait_for_function(READY)
    with citizen.expect_request("**/assets/javascripts/search.js"):
        citizen.locator(".lawsite-search-open").tap()
    citizen.keyboard.type("ho chieu")
    assert citizen.evaluate("typeof window.lawsiteSearch") == "undefined"  # the script is still held back
    held[0].continue_()
    citizen.wait_for_function("() => document.getElementById('lawsite-search-list').dataset.query === 'ho chieu'",
                              timeout=15000)
    assert citizen.locator("#lawsite-search-list [role=option]").count() > 0


def test_print_button_and_printed_details(citizen, site_url):
    citizen.goto(site_url + "vi-pham/bang-muc-phat/")
    assert citizen.locator("button.lawsite-print").is_visible()
    citizen.emulate_media(media="print")
    info = citizen.locator(".lawsite-print-info")
    assert info.is_visible()
    text = info.inner_text()
    assert "vi-pham/bang-muc-phat/" in text and re.search(r"\d{2}/\d{2}/\d{4}", text), text
    assert citizen.locator(".lawsite-page-meta time").is_visible()
    assert not citizen.locator("button.lawsite-print").is_visible()


def test_public_build_has_no_developer_chrome(built_site):
    bad = []
    for f in sorted(built_site.rglob("*.html")):
        html = f.read_text("utf-8")
        rel = f.relative_to(built_site).as_posix()
        for host in ("github.com", "gitlab.com", "bitbucket.org"):
            if re.search(r'href="https?://(www\.)?' + re.escape(host), html):
                bad.append(f"{rel}: link to {host}")
        if "Made with" in html:
            bad.append(f"{rel}: 'Made with'")
        if 'rel="edit"' in html:
            bad.append(f"{rel}: edit link")
    assert not bad, "\n".join(bad[:20])


def test_contents_list_on_long_phone_pages(reader, site_url):
    reader.goto(site_url + "cong-dan/cap-ho-chieu-trong-nuoc/")
    contents = reader.locator("nav.lawsite-contents")
    assert contents.is_visible()
    contents.locator("summary").tap()
    links = contents.locator("a")
    assert links.count() >= 4 and links.first.is_visible()
    crumbs = reader.locator("nav.md-path a")
    assert crumbs.first.inner_text().strip() == "Trang chủ"


def _documents_no_longer_in_force(site: Path) -> list[str]:
    out = []
    for f in sorted(site.glob("van-ban/*/index.html")) + sorted(site.glob("en/van-ban/*/index.html")):
        if '<div class="admonition danger doc-status">' in f.read_text("utf-8"):
            out.append(f.parent.relative_to(site).as_posix() + "/")
    return out


def test_status_of_a_document_no_longer_in_force_is_on_the_first_screen(reader, site_url, built_site):
    pages = _documents_no_longer_in_force(built_site)
    assert [p for p in pages if p.startswith("en/")] and [p for p in pages if not p.startswith("en/")], pages
    late = []
    for path in pages:
        reader.goto(site_url + path)
        banner = reader.locator(".doc-status").first
        box = banner.locator(".admonition-title").bounding_box()
        if box["y"] + box["height"] > SCREEN["height"]:
            late.append(f"{path}: the status line ends at {box['y'] + box['height']:.0f} px")
    assert not late, "\n".join(late)


def test_pages_outside_the_menu_have_breadcrumbs(built_site):
    """Legal documents and news items are not in the menu, from which Material draws the breadcrumbs: they get
    those of their folder's index page (overrides/partials/path.html): Trang chủ › Văn bản pháp luật."""
    pages = [p for d in ("van-ban", "en/van-ban", "tin-tuc", "en/tin-tuc") for p in sorted((built_site / d).glob("*/index.html"))]
    assert len(pages) > 60
    missing = [str(p.relative_to(built_site)) for p in pages
               if not re.search(r'<nav class="md-path"[^>]*>\s*<ol class="md-path__list">.*?href="\.\./" class="md-path__link"',
                                p.read_text("utf-8"), re.S)]
    assert not missing, missing[:10]
