"""Site search (Pagefind): index build, Vietnamese folding, result quality, UI, no-JS fallback.

Browser tests type into the real header field of the real site (built once per session)."""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import pytest

from conftest import ROOT, copy_project, mkdocs_build, serve
from lawsite.build.search import SearchIndexError, excluded_by_front_matter, fold_for_index, index_site, mark_page, normalize_tones
from search_helpers import run_query

INPUT = "#lawsite-search-input"

# Vietnamese queries typed without diacritics -> pages of which at least one must be in the top 3.
VI_QUERIES = [
    ("ho chieu", {"cong-dan/ho-chieu/", "hoi-dap/ho-chieu/"}),
    ("tam hoan xuat canh", {"cong-dan/tam-hoan-xuat-canh/"}),
    ("the tam tru", {"nguoi-nuoc-ngoai/the-tam-tru/"}),
    ("thi thuc dien tu", {"visa/thi-thuc-dien-tu/"}),
    ("khai bao tam tru", {"nguoi-nuoc-ngoai/khai-bao-tam-tru/"}),
    ("qua han", {"vi-pham/qua-han-tam-tru/"}),
    ("dieu 21 nghi dinh 282", {"van-ban/nghi-dinh-282-2025-nd-cp/", "vi-pham/bang-muc-phat/"}),
    ("giay thong hanh", {"cong-dan/giay-thong-hanh/"}),
    ("mien thi thuc", {"visa/mien-thi-thuc/"}),
    ("truc xuat", {"nguoi-nuoc-ngoai/xuat-canh/"}),
    ("mat ho chieu", {"cong-dan/mat-ho-chieu/"}),
    ("xuat canh", {"hoi-dap/xuat-canh/", "nguoi-nuoc-ngoai/xuat-canh/", "cong-dan/dieu-kien-xuat-nhap-canh/"}),
    ("thuong tru", {"nguoi-nuoc-ngoai/thuong-tru/"}),
    ("282/2025", {"van-ban/nghi-dinh-282-2025-nd-cp/"}),
    ("49/2019/QH14", {"van-ban/luat-49-2019-qh14/"}),
    ("HO CHIEU", {"cong-dan/ho-chieu/", "hoi-dap/ho-chieu/"}),
    ("giay thong hanh lao", {"cong-dan/giay-thong-hanh-lao/"}),
]
EN_QUERIES = [
    ("visa exemption", {"en/visa/mien-thi-thuc/"}),
    ("temporary residence card", {"en/nguoi-nuoc-ngoai/the-tam-tru/"}),
    ("exit suspension", {"en/cong-dan/tam-hoan-xuat-canh/"}),
    ("282/2025", {"en/van-ban/nghi-dinh-282-2025-nd-cp/"}),
]


def search(page, query: str) -> list[dict]:
    """Type a query into the header field; return the page results as {path, title, excerpt_html, excerpt}."""
    page.fill(INPUT, query)
    page.wait_for_function("q => document.getElementById('lawsite-search-list').dataset.query === q",
                           arg=query.strip(), timeout=15000)
    return page.eval_on_selector_all("#lawsite-search-list [data-page]", """els => els.map(e => ({
        url: e.dataset.url, title: e.querySelector('h1').textContent,
        excerpt_html: (e.querySelector('.lawsite-search__excerpt') || {innerHTML: ''}).innerHTML,
        excerpt: (e.querySelector('.lawsite-search__excerpt') || {textContent: ''}).textContent}))""")


def paths(results, site_url):
    return [r["url"].replace(site_url, "").lstrip("/") for r in results]


def open_site(page, site_url, path=""):
    page.goto(site_url + path)
    page.click(INPUT)


# --- engine (no build) ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed,want", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoá", "Hóa"),
                                        ("quý", "quý"), ("hoàng", "hoàng"), ("khuyên", "khuyên"), ("hòa", "hòa")])
def test_tone_marks_go_to_one_place(typed, want):
    assert normalize_tones(unicodedata.normalize("NFD", typed)) == want


def test_index_copy_spells_dd_with_a_stroke_and_keeps_everything_else():
    out = fold_for_index("<h1>Điều 21 đăng ký NĐ-CP hoà</h1>")
    assert out == "<h1>D\u0335iều 21 d\u0335ăng ký ND\u0335-CP hòa</h1>"
    assert "đ" not in out.lower()


def test_point_letters_and_clause_outlines_are_not_indexed():
    # single letters would be what Pagefind falls back to for an unknown word ("qqqq" -> "q")
    html = ('<h3 id="dieu-21">Điều 21</h3>\n<ul><li><span id="dieu-21-khoan-2"></span><strong>Khoản 2</strong> (điểm '
            '<span id="dieu-21-khoan-2-diem-a">a</span>, <span id="dieu-21-khoan-2-diem-q">q</span>): '
            '<span class="clause-summary">Phạt tiền</span></li></ul>\n'
            '<p>Các khoản: <span id="dieu-22-khoan-1">1</span>; <span id="dieu-22-khoan-2">2</span>.</p><p>Giữ lại</p>')
    out = fold_for_index(html)
    assert "diem-q" not in out and ">q<" not in out and "dieu-22-khoan" not in out
    assert "Phạt tiền" in out and "Giữ lại" in out and "Khoản 2" in out


def test_readers_phrases_become_hidden_keywords_metadata(tmp_path):
    from lawsite.build.search import add_keywords, load_page_keywords
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "vi.yaml").write_text("rewrite: []\npages:\n  visa/mien-thi-thuc: [miễn visa, không cần visa]\n", "utf-8")
    (tmp_path / "search" / "en.yaml").write_text("rewrite: []\npages:\n  visa/mien-thi-thuc: [visa free]\n", "utf-8")
    kw = load_page_keywords(tmp_path)
    assert kw == {"vi": {"visa/mien-thi-thuc/index.html": ["miễn visa", "không cần visa"]},
                  "en": {"en/visa/mien-thi-thuc/index.html": ["visa free"]}}
    html = '<article class="md-content__inner md-typeset" data-pagefind-body><h1>x</h1></article>'
    out = add_keywords(html, kw["vi"]["visa/mien-thi-thuc/index.html"])
    assert '<span data-pagefind-meta="keywords:miễn visa không cần visa"></span><h1>x</h1>' in out
    assert add_keywords(html, []) == html


# --- search7: nationalities, jump lists, the WebAssembly's compression ---------------------------------------------

def test_every_country_name_of_the_visa_data_is_searchable_on_the_nationality_pages(tmp_path):
    from lawsite.build.search import load_nationality_pages
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "vi.yaml").write_text("rewrite: []\nnationalities: [cong-cu/thi-thuc]\n", "utf-8")
    (tmp_path / "search" / "en.yaml").write_text("rewrite: []\nnationalities: [cong-cu/thi-thuc]\n", "utf-8")
    (tmp_path / "visa-exemptions.yaml").write_text("countries:\n  DE: {vi: Đức, en: Germany}\n  ZZ: {vi: Nước Mới, en: Newland}\n", "utf-8")
    got = load_nationality_pages(tmp_path)  # a country added to the data is searchable with no search edit
    assert got == {"vi": {"cong-cu/thi-thuc/index.html": ["Nước Mới", "Đức"]}, "en": {"en/cong-cu/thi-thuc/index.html": ["Germany", "Newland"]}}
    (tmp_path / "search" / "en.yaml").write_text("rewrite: []\nnationalities: cong-cu/thi-thuc\n", "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "en.yaml")) + ".*'nationalities:' must be a list"):
        load_nationality_pages(tmp_path)
    real = load_nationality_pages(ROOT / "data")  # English only (data/search/vi.yaml says why)
    assert set(real) == {"en"} and {"Germany", "United States", "Canada"} <= set(real["en"]["en/cong-cu/thi-thuc/index.html"])


def test_a_jump_list_of_in_page_links_is_left_out_of_the_index_only():
    from lawsite.build.search import skip_jump_lists
    jump = "<p>Đến điều: " + " · ".join(f'<a href="#dieu-{i}">{i}</a>' for i in range(1, 8)) + "</p>"
    text = '<p>Xem <a href="#a">mục a</a> và <a href="#b">mục b</a>.</p><p>Ngắn: <a href="#x">1</a> · <a href="#y">2</a></p>'
    assert skip_jump_lists(jump) == jump.replace("<p>", "<p data-pagefind-ignore>", 1)
    assert skip_jump_lists(text) == text  # a sentence with links, or a short list, is text


def test_the_webassembly_is_gzipped_smaller_with_the_same_bytes_inside(tmp_path):
    import gzip
    from lawsite.build.pagefind_chunks import recompress_wasm
    module = bytes(range(256)) * 200 + b"pagefind" * 3000
    (tmp_path / "wasm.unknown.pagefind").write_bytes(gzip.compress(module, 6))
    (tmp_path / "wasm.en.pagefind").write_bytes(b"not gzip")  # not what Pagefind writes: left alone
    before = (tmp_path / "wasm.unknown.pagefind").stat().st_size
    saved = recompress_wasm(tmp_path)
    assert saved == before - (tmp_path / "wasm.unknown.pagefind").stat().st_size > 0
    assert gzip.decompress((tmp_path / "wasm.unknown.pagefind").read_bytes()) == module
    assert (tmp_path / "wasm.en.pagefind").read_bytes() == b"not gzip"


@pytest.mark.parametrize("text,why", [("pages: [a]\n", "'pages:' must map"), ("pages:\n  visa: [a, 'b, c']\n", "without commas"),
                                      ("pages:\n  visa: []\n", "needs a list")])
def test_a_malformed_pages_table_names_the_file(tmp_path, text, why):
    from lawsite.build.search import load_page_keywords
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "vi.yaml").write_text("rewrite: []\n" + text, "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "vi.yaml")) + ".*" + re.escape(why)):
        load_page_keywords(tmp_path)


def test_a_phrase_for_a_page_that_does_not_exist_is_an_error(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<html lang="vi"><body><article class="md-content__inner md-typeset" '
                                           'data-pagefind-body><h1>Trang a</h1><p>nội dung</p></article></body></html>', "utf-8")
    (tmp_path / "data" / "search").mkdir(parents=True)
    (tmp_path / "data" / "search" / "vi.yaml").write_text("rewrite: []\npages:\n  khong-co: [x y]\n", "utf-8")
    with pytest.raises(SearchIndexError, match=r"vi\.yaml: pages: 'khong-co/index.html' is not a searchable page"):
        index_site(site, tmp_path / "data")


def test_mark_page_marks_the_article_but_not_fallbacks():
    html = '<html lang="en"><article class="md-content__inner md-typeset"><h1>x</h1></article></html>'
    assert 'data-pagefind-body data-pagefind-meta="section:Visas"' in mark_page(html, fallback=False, section="Visas")
    assert "data-pagefind-body" not in mark_page(html, fallback=True, section="Visas")
    assert "data-pagefind-body" not in mark_page(html, fallback=False, excluded=True)


@pytest.mark.parametrize("meta,excluded", [({"search": {"exclude": True}}, True), ({"search": {"exclude": False}}, False),
                                           ({}, False), ({"search": "exclude"}, False), ({"search": None}, False)])
def test_front_matter_search_exclude(meta, excluded):
    assert excluded_by_front_matter(meta) is excluded


def test_indexing_a_site_without_searchable_pages_fails_clearly(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html lang="vi"><body><article>x</article></body></html>')
    with pytest.raises(SearchIndexError, match=r"0 pages marked for search \(1 built\)"):
        index_site(tmp_path)


# --- the built site ---------------------------------------------------------------------------------

def _source_exists(rel_html: str, suffix: str) -> bool:
    stem = rel_html[: -len("index.html")].rstrip("/")
    cands = [ROOT / "docs" / f"{stem}{suffix}", ROOT / "docs" / stem / f"index{suffix}"] if stem else [ROOT / "docs" / f"index{suffix}"]
    return any(c.is_file() for c in cands)


def _excluded_sources() -> dict[str, set[str]]:
    """Pages whose front matter says `search: exclude: true`, as built paths per language."""
    out: dict[str, set[str]] = {"vi": set(), "en": set()}
    for md in (ROOT / "docs").rglob("*.md"):
        text = md.read_text("utf-8")
        if not re.search(r"^search:\s*\n\s+exclude:\s*true\s*$", text.split("\n---", 1)[0], re.M):
            continue
        rel = md.relative_to(ROOT / "docs").as_posix()
        lang = "en" if rel.endswith(".en.md") else "vi"
        stem = rel[: -len(".en.md")] if lang == "en" else rel[: -len(".md")]
        stem = stem[: -len("index")] if stem.endswith("index") else stem + "/"
        out[lang].add(("en/" if lang == "en" else "") + stem + "index.html")
    return out


def test_index_exists_for_both_languages_with_every_page_but_fallbacks(built_site):
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text())
    counts = {lang: v["page_count"] for lang, v in entry["languages"].items()}
    excluded = _excluded_sources()
    assert "gioi-thieu/trang-thai/index.html" in excluded["vi"]  # the staff status page
    built, fallbacks, skipped = {"vi": 0, "en": 0}, 0, {"vi": 0, "en": 0}
    for p in built_site.rglob("index.html"):
        rel = p.relative_to(built_site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        text = p.read_text("utf-8")
        lang = re.search(r'<html[^>]*lang="([a-z]+)', text).group(1)
        built[lang] += 1
        if rel in excluded["vi"] | excluded["en"]:
            skipped[lang] += 1
            assert "data-pagefind-body" not in text, rel
        elif lang == "en" and not _source_exists(rel[3:], ".en.md") and _source_exists(rel[3:], ".md"):
            fallbacks += 1
    assert set(counts) == {"vi", "en"}
    assert skipped == {"vi": 1, "en": 1}
    assert counts["vi"] == built["vi"] - skipped["vi"] > 20
    assert counts["en"] == built["en"] - fallbacks - skipped["en"] > 20
    # the generated legal-document pages are indexed (they are marked like every other page)
    doc = (built_site / "van-ban" / "nghi-dinh-282-2025-nd-cp" / "index.html").read_text("utf-8")
    assert "data-pagefind-body" in doc and 'id="dieu-21"' in doc


def test_page_table_for_re_ranking_names_every_indexed_page(built_site):
    bundle = built_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    for lang in ("vi", "en"):
        table = json.loads((bundle / f"lawsite-pages.{lang}.json").read_text("utf-8"))
        frags = {p.stem for p in (bundle / "fragment").glob(f"{lang}_*.pf_fragment")}
        assert set(table) == frags and len(table) == entry["languages"][lang]["page_count"]
        assert all(t == unicodedata.normalize("NFC", t) and "\u0335" not in t for v in table.values() for t in [v[0], v[1]])
        docs = [v for v in table.values() if v[3] == "doc"]
        assert docs and all(v[0] for v in table.values())
    vi = json.loads((bundle / "lawsite-pages.vi.json").read_text("utf-8"))
    card = [v for v in vi.values() if v[0] == "thẻ tạm trú"]
    assert card and "thẻ xanh" in card[0][4]  # readers' phrases from data/search/vi.yaml


def test_served_pages_keep_the_real_text(built_site):
    html = (built_site / "van-ban" / "nghi-dinh-282-2025-nd-cp" / "index.html").read_text("utf-8")
    assert "\u0335" not in html and "Điều 21" in html
    assert "lawsite-search-nojs" in html and "pagefind.js" not in re.sub(r'data-pagefind="[^"]*"', "", html)


@pytest.mark.slow
def test_fallback_pages_stay_out_of_the_english_index(tmp_path, browser):
    src = copy_project(tmp_path / "src")
    (src / "docs" / "thu-nghiem-tim-kiem.md").write_text(
        "---\ntitle: Trang thử nghiệm\n---\n\n# Trang thử nghiệm\n\nTừ khóa xyzzyquokka chỉ có ở đây.\n", "utf-8")
    proc = mkdocs_build(src, tmp_path / "site", strict=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = tmp_path / "site"
    en_page = (site / "en" / "thu-nghiem-tim-kiem" / "index.html").read_text("utf-8")
    assert 'lang="vi"' in en_page and "data-pagefind-body" not in en_page
    httpd, url = serve(site)
    try:
        ctx = browser.new_context()
        page = ctx.new_page()
        open_site(page, url, "en/")
        assert search(page, "xyzzyquokka") == []
        open_site(page, url)
        assert paths(search(page, "xyzzyquokka"), url) == ["thu-nghiem-tim-kiem/"]
        ctx.close()
    finally:
        httpd.shutdown()


# --- browser: results -------------------------------------------------------------------------------



@pytest.mark.browser
def test_vietnamese_queries_without_diacritics_find_the_page(page, site_url):
    open_site(page, site_url)
    misses = []
    for query, want in VI_QUERIES:
        top = paths(search(page, query), site_url)[:3]
        if not want & set(top):
            misses.append(f"{query!r}: expected one of {sorted(want)} in top 3, got {top}")
    assert not misses, "\n".join(misses)


@pytest.mark.browser
def test_nd_cp_with_and_without_stroke_finds_decree_pages(page, site_url):
    open_site(page, site_url)
    for q in ("ND-CP", "NĐ-CP", "nd-cp"):
        top = paths(search(page, q), site_url)[:3]
        # a decree's own page comes first; a news item about a decree may follow it
        assert top and top[0].startswith("van-ban/nghi-dinh-"), (q, top)
        assert sum(p.startswith("van-ban/nghi-dinh-") for p in top) >= 2, (q, top)


@pytest.mark.browser
def test_dd_folding_and_excerpts_show_real_diacritics(page, site_url):
    open_site(page, site_url)
    results = search(page, "dang ky")
    assert results, "'dang ky' must find pages with 'đăng ký'"
    text = " ".join(r["excerpt"] + " " + r["title"] for r in results)
    assert re.search(r"[đĐ]ăng ký", text)
    assert not re.search(r"\bdang ky\b", text, re.I), "folded index text leaked into an excerpt"
    assert "\u0335" not in text
    assert "<mark>" in results[0]["excerpt_html"]
    marked = re.findall(r"<mark>(.*?)</mark>", " ".join(r["excerpt_html"] for r in results))
    assert any(m.lower().startswith("đăng") for m in marked)


@pytest.mark.browser
def test_same_results_for_nfd_tone_placement_and_case(page, site_url):
    open_site(page, site_url)
    base = paths(search(page, "hộ chiếu"), site_url)
    assert base
    assert paths(search(page, unicodedata.normalize("NFD", "hộ chiếu")), site_url) == base
    assert paths(search(page, "HỘ CHIẾU"), site_url) == base
    assert paths(search(page, "hoà"), site_url) == paths(search(page, "hòa"), site_url) != []
    assert paths(search(page, "thuỷ"), site_url) == paths(search(page, "thủy"), site_url)


@pytest.mark.browser
def test_exact_diacritics_rank_above_folded_matches(page, site_url):
    open_site(page, site_url)
    # "Lào" (Laos) and "lao" (as in "lao động"): the exact spelling decides the top result
    assert paths(search(page, "giấy thông hành Lào"), site_url)[0] == "cong-dan/giay-thong-hanh-lao/"
    top = search(page, "Lào")[0]
    assert "Lào" in top["title"] + top["excerpt"]


@pytest.mark.browser
def test_a_query_typed_with_dd_ranks_exact_dd_words_first(page, site_url):
    open_site(page, site_url)
    # "đồng" (the currency, on the penalty pages) against "động", "dòng", "đông": typed with đ and the
    # tone, the exact word decides the top results; typed bare, every spelling matches
    for r in search(page, "đồng")[:3]:
        marks = [m.lower().rstrip(".,;:") for m in re.findall(r"<mark>(.*?)</mark>", r["excerpt_html"])]
        assert marks and set(marks) == {"đồng"}, (r["url"], marks)
    bare = {m.lower().rstrip(".,;:") for r in search(page, "dong")
            for m in re.findall(r"<mark>(.*?)</mark>", r["excerpt_html"])}
    assert {"đồng", "động"} <= bare


@pytest.mark.browser
def test_english_pages_search_english_pages_only(page, site_url):
    open_site(page, site_url, "en/")
    misses = []
    for query, want in EN_QUERIES:
        found = paths(search(page, query), site_url)
        assert found and all(p.startswith("en/") for p in found), (query, found)
        if not want & set(found[:3]):
            misses.append(f"{query!r}: expected {sorted(want)} in top 3, got {found[:3]}")
    assert not misses, "\n".join(misses)
    # a Vietnamese query on an English page never returns Vietnamese pages
    assert all(p.startswith("en/") for p in paths(search(page, "ho chieu"), site_url))


@pytest.mark.browser
def test_results_show_title_section_and_headings(page, site_url):
    open_site(page, site_url)
    search(page, "dieu 21 nghi dinh 282")
    items = page.eval_on_selector_all("#lawsite-search-list [role=option]", "els => els.map(e => e.dataset.url)")
    assert any(u.endswith("nghi-dinh-282-2025-nd-cp/#dieu-21") for u in items), items
    assert page.locator("#lawsite-search-list .lawsite-search__section").first.inner_text().strip()
    assert re.search(r"\d+ kết quả", page.inner_text("#lawsite-search-status"))


# --- browser: UI ------------------------------------------------------------------------------------

@pytest.mark.browser
def test_nothing_search_related_loads_before_focus(page, site_url):
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(site_url + "cong-dan/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in urls if "pagefind" in u or "search_index" in u]
    page.click(INPUT)
    page.wait_for_function("() => document.getElementById('lawsite-search-status').textContent.startsWith('Gõ')")
    assert any(u.endswith("pagefind/pagefind.js") for u in urls)


@pytest.mark.browser
def test_one_letter_downloads_no_index_and_typing_searches_once_it_pauses(page, site_url):
    """Timers run on Playwright's clock, not the machine's: a loaded CI machine cannot stretch the gap
    between two keys past the pause, so the count of searches is exact."""
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.clock.install(time=dt.datetime(2026, 1, 1))
    # count every list the field renders (one per search that finishes)
    page.add_init_script("""window.__renders = [];
        new MutationObserver(ms => ms.forEach(m => { if (m.attributeName === 'data-query')
            window.__renders.push(m.target.getAttribute('data-query')); }))
        .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-query']});""")
    page.goto(site_url + "cong-dan/")
    page.click(INPUT)
    page.wait_for_function("() => document.getElementById('lawsite-search-status').textContent.startsWith('Gõ')")
    page.clock.pause_at(dt.datetime(2026, 1, 1, 1, 0))  # from here the page's time moves only when the test says
    page.keyboard.type("h")
    page.clock.run_for(800)
    page.wait_for_load_state("networkidle")
    assert not [u for u in urls if ".pf_index" in u or ".pf_fragment" in u]
    assert page.inner_text("#lawsite-search-status").startswith("Gõ")
    for ch in "o chieu":  # a key every 200 ms of the page's clock: under the 250 ms pause, so no search yet
        page.keyboard.type(ch)
        page.clock.run_for(200)
    assert not [u for u in urls if ".pf_fragment" in u]
    page.clock.run_for(100)  # the pause: now one search
    page.wait_for_function("q => document.getElementById('lawsite-search-list').dataset.query === q", arg="ho chieu")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__renders") == ["ho chieu"]
    assert sum(".pf_fragment" in u for u in urls) <= 8


@pytest.mark.browser
def test_keyboard_focus_arrows_enter_escape(page, site_url):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "cong-dan/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "lawsite-search-input"
    assert page.is_checked("#__search")
    results = search(page, "mien thi thuc")
    assert page.get_attribute(INPUT, "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = page.locator("#lawsite-search-list [role=option]").first
    assert first.get_attribute("aria-selected") == "true"
    assert page.get_attribute(INPUT, "aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    assert page.get_attribute(INPUT, "aria-expanded") == "false"
    page.click(INPUT)
    page.keyboard.press("ArrowDown")
    # wait for the destination itself: Material's navigation.tracking rewrites the URL (replaceState) when
    # the list scrolls, which a generic "expect a navigation" would take for the Enter key's navigation
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + results[0]["url"].lstrip("/"), timeout=15000)
    assert not errors


@pytest.mark.browser
def test_labels_follow_the_page_language(page, site_url):
    page.goto(site_url + "en/")
    assert page.get_attribute(INPUT, "aria-label") == "Search this site"
    assert page.get_attribute(INPUT, "role") == "combobox"
    page.click(INPUT)
    search(page, "qqqqzzzz")
    assert page.inner_text("#lawsite-search-status").startswith("No results")


@pytest.mark.browser
def test_phone_icon_opens_the_field(phone, site_url):
    phone.goto(site_url)
    assert not phone.is_visible(".lawsite-search-nojs")
    phone.click(".lawsite-search-open")
    assert phone.evaluate("document.activeElement.id") == "lawsite-search-input"
    found = search(phone, "ho chieu")
    assert found
    assert phone.locator("#lawsite-search-list [data-page]").first.is_visible()
    box = phone.locator(INPUT).bounding_box()
    assert box and box["width"] > 200


@pytest.mark.browser
def test_without_javascript_the_control_is_a_link_to_the_documents(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    for path, target in (("cong-dan/ho-chieu/", "van-ban/"), ("en/cong-dan/ho-chieu/", "en/van-ban/")):
        page.goto(site_url + path)
        link = page.locator("a.lawsite-search-nojs")
        assert link.is_visible()
        assert not page.is_visible(INPUT)
        assert page.evaluate("h => new URL(h, location.href).href", link.get_attribute("href")) == site_url + target
    ctx.close()


# --- search6: what each page answers, for a situation told in a sentence -------------------------------------------

def test_answer_tables_load_stemmed_concepts_and_the_glossary_variants():
    from lawsite.build.search import answer_terms, load_answer_tables

    t = load_answer_tables(ROOT / "data")
    assert set(t) == {"vi", "en"} and t["en"]["min"] >= 3 and t["vi"]["min"] >= 3
    assert ["ran", "out"] in t["en"]["concepts"]["expiry"] and ["overstay"] in t["en"]["concepts"]["expiry"]
    assert ["het", "han"] in t["vi"]["concepts"]["expiry"] and ["qua", "han"] in t["vi"]["concepts"]["expiry"]
    # a glossary entry and its English variants are one idea ("laissez-passer" ~ "travel permit")
    assert any(["laissez", "passer"] in ks and ["travel", "permit"] in ks for ks in t["en"]["concepts"].values())
    terms = answer_terms("My visa ran out and I overstayed", t["en"], {"my", "and", "i"})
    assert terms.count("~expiry") == 2 and "visa" in terms and "overstay" in terms and "visa ran" in terms
    assert "my" not in terms and "i" not in terms  # fillers out, concepts still seen across them


def test_answer_tables_are_data_for_a_third_language(tmp_path):
    from lawsite.build.search import load_answer_tables

    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "fr.yaml").write_text(
        "rewrite: []\nanswers:\n  min_words: 3\n  stem: [\"s=\"]\n  concepts:\n    expiry: [expiré, périmé, date dépassée]\n", "utf-8")
    t = load_answer_tables(tmp_path)
    assert t == {"fr": {"min": 3, "stem": [["s", ""]], "concepts": {"expiry": [["date", "depassee"], ["expire"], ["perime"]]}}}


@pytest.mark.parametrize("text,why", [
    ("answers: [x]\n", "must be a mapping"),
    ("answers: {min_words: 1}\n", "min_words"),
    ("answers: {stem: [ing]}\n", "ending=replacement"),
    ("answers: {concepts: {Expiry: [a]}}\n", "concepts"),
    ("answers: {concepts: {expiry: []}}\n", "'expiry' needs a list"),
])
def test_a_malformed_answers_table_names_the_file(tmp_path, text, why):
    from lawsite.build.search import load_answer_tables

    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "en.yaml").write_text("rewrite: []\n" + text, "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "en.yaml")) + ".*" + re.escape(why)):
        load_answer_tables(tmp_path)


def test_the_built_site_ships_what_each_page_answers_apart_from_the_first_query(built_site):
    bundle = built_site / "pagefind"
    for lang in ("vi", "en"):
        words = json.loads((bundle / f"lawsite-words.{lang}.json").read_text("utf-8"))
        idx = json.loads((bundle / f"lawsite-answers.{lang}.json").read_text("utf-8"))
        assert words["answers"] >= 3
        urls = {p[1]: n for n, p in enumerate(idx["p"])}
        assert len(urls) == len(idx["p"]) == len(idx["len"]) and not any("/van-ban/" in u and u.count("/") > 3 for u in urls)
        over = urls[("/en" if lang == "en" else "") + "/vi-pham/qua-han-tam-tru/"]
        assert over in idx["t"]["~expiry"][::2]  # the overstay page answers the "expiry" idea


@pytest.mark.browser
def test_the_script_makes_the_same_terms_as_the_index(page, site_url, built_site):
    from lawsite.build.search import answer_terms, load_answer_tables, load_search_words

    tables, rules = load_answer_tables(ROOT / "data"), load_search_words(ROOT / "data")
    texts = {"en": ["My tourist visa finished last week, what now?", "Staying with friends: who declares me?", "Kids flying alone"],
             "vi": ["Con tôi 12 tuổi đi một mình được không?", "Chủ nhà cho thuê phòng phải khai báo", "hết hạn visa rồi"]}
    for lang, ts in texts.items():
        page.goto(site_url + ("en/" if lang == "en" else ""))
        page.click(INPUT)
        run_query(page, "visa")
        idx = json.loads((built_site / "pagefind" / f"lawsite-answers.{lang}.json").read_text("utf-8"))
        fill = {r[0][0] for r in rules[lang] if len(r[0]) == 1 and not r[1]}
        got = page.evaluate("async ([ts, a, fill]) => (await window.lawsiteSearch.more()) && ts.map(t => window.lawsiteSearch.answerTerms(t, a, fill))",
                            [ts, {"stem": idx["stem"], "concepts": idx["concepts"]}, {w: 1 for w in fill}])
        assert got == [answer_terms(t, tables[lang], fill) for t in ts], lang


def answers_requests(page):
    got = []
    page.on("request", lambda r: got.append(r.url) if "lawsite-answers" in r.url else None)
    return got


@pytest.mark.browser
def test_only_a_long_query_downloads_what_pages_answer_and_a_story_finds_its_page(page, site_url):
    asked = answers_requests(page)
    code = []  # search7: the scoring code comes with the index, in search-more.js, not in the first query's search.js
    page.on("request", lambda r: code.append(r.url) if r.url.endswith("/search-more.js") else None)
    page.goto(site_url + "en/")
    page.click(INPUT)
    for q in ("passport renewal", "temporary residence card", "decree 282 article 21"):
        run_query(page, q)
    assert asked == [] and code == []
    assert page.evaluate("() => !window.lawsiteSearch.mergeAnswers && !window.lawsiteSearch.correct")
    got = run_query(page, "our tourist visa finished on sunday and we are still in hanoi")
    assert len(asked) == 1 and len(code) == 1, (asked, code)
    assert any(g.endswith(("/en/vi-pham/qua-han-tam-tru/", "/en/cong-cu/qua-han-tam-tru/", "/en/nguoi-nuoc-ngoai/gia-han-tam-tru/"))
               for g in got[:3]), got
    got = run_query(page, "we let a foreign couple sleep in our spare room, anything to do")
    assert any(g.endswith("/en/nguoi-nuoc-ngoai/khai-bao-tam-tru/") for g in got[:3]), got
    run_query(page, "tam tru")  # the translation table needs search-more.js too: already there, not fetched again
    assert len(asked) == 1 and len(code) == 1, (asked, code)  # downloaded once


@pytest.mark.browser
def test_a_page_only_the_answers_index_finds_is_shown_with_its_title_and_link(page, site_url):
    page.goto(site_url + "en/")
    page.click(INPUT)
    run_query(page, "visa")
    got = page.evaluate("""async () => {
        const S = await window.lawsiteSearch.more();  // mergeAnswers() is in search-more.js, loaded on demand
        const a = {p: [["en_x", "/en/a/", "Page A", "Section", "What A answers"], ["en_y", "/en/b/", "Page B", "", ""]],
                   t: {"~expiry": [0, 3], "visa": [0, 1]}, len: [4, 1], stem: [["s", ""]], concepts: {expiry: [["ran", "out"]]}};
        const found = [{id: "en_y", score: 2, _rank: 1}];  // Pagefind's only result, holding none of the answers' terms
        const out = S.mergeAnswers(found, a, ["visa ran out"], {}, "/site/", 2);  // a partial match: answers count double
        return Promise.all(out.map(x => x.id === "en_x" ? x.data() : Promise.resolve({url: x.id}))).then(d => [out.map(x => x.id), d]);
    }""")
    assert got[0] == ["en_x", "en_y"]  # the page answering the whole sentence first, though Pagefind did not find it
    assert got[1][0] == {"url": "/site/en/a/", "meta": {"title": "Page A", "section": "Section"}, "excerpt": "What A answers", "sub_results": []}
