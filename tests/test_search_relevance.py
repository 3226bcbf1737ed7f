"""Search finds what readers ask for, in their own words (tests/data/search_queries.yaml), and says what
it is doing: readers' words rewritten from data, exact diacritics first, expired documents marked and
ranked last, "show more", a visible "searching" state, Enter on the first result shown."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from lawsite.build.search import SearchIndexError, bare, load_document_words, load_search_words
from search_helpers import INPUT, load_queries, run_query, score

# share of the table's queries that must find an expected page in the top 3: a floor under what the
# site does (2026-12-01, session 6, search4: vi 85/86, en 78/82 = 97 % with the 20 queries added for the classes
# fixed; session 5: vi 73/74, en 69/74). The held-out tables, used as development sets this session and not
# tuned on query by query: heldout1 vi 44/46, en 41/44; heldout2 vi 82/84, en 73/78; heldout3 vi 127/131
# (115 before), en 116/119 (113 before). Session 7 (search5, 17 queries added for the classes fixed: Vietnamese words
# on the English site, stories told in English, costs, definitions): vi 91/93, en 90/92 = 97.8 %. Session 8 (search6, 11
# situations told in a sentence added; what each page answers, fetched for long queries): vi 97/99, en 95/98 = 97.5 %
# (en 95/98 = 96.9 %: the floor stays at 96 %). Session 9 (search7, 8 queries added: a page's topic, nationalities,
# damaged and uncollected passports): vi 99/102, en 100/103 = 97.1 % (the floor stays at 96 %); the table
# now runs in one batch through search.js's real search (search_helpers.score), not query by query
MIN_SCORE = 0.96


# --- the data (no build) -----------------------------------------------------------------------------

def test_readers_words_load_longest_phrase_first():
    rules = load_search_words(ROOT / "data")
    assert set(rules) == {"vi", "en"}
    for lang, rs in rules.items():
        lengths = [len(r[0]) for r in rs]
        assert lengths == sorted(lengths, reverse=True), lang
        assert all(r[0] == [bare(w) for w in r[0]] for r in rs)
    assert [["cam", "xuat", "canh"], "tạm hoãn xuất cảnh"] in rules["vi"]


@pytest.mark.parametrize("text,why", [
    ("rewrite: {reader: x}\n", "a list 'rewrite:'"),
    ("rewrite:\n  - {reader: [], legal: x}\n", "entry 1"),
    ("rewrite:\n  - {reader: [a], legal: x, extra: 1}\n", "entry 1"),
    ("rewrite:\n  - {reader: [cấm xuất cảnh], legal: x}\n  - {reader: [cam xuat canh], legal: y}\n", "already rewritten"),
])
def test_a_malformed_table_names_the_file(tmp_path, text, why):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "vi.yaml").write_text(text, "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "vi.yaml")) + ".*" + re.escape(why)):
        load_search_words(tmp_path)


def test_the_built_site_ships_the_words_for_each_language(built_site):
    for lang in ("vi", "en"):
        data = json.loads((built_site / "pagefind" / f"lawsite-words.{lang}.json").read_text("utf-8"))
        assert [[r[0].split(" ")] + r[1:] for r in data["rules"]] == load_search_words(ROOT / "data")[lang]  # packed words


def test_document_words_load_bare_per_language():
    docs, arts = load_document_words(ROOT / "data"), load_document_words(ROOT / "data", "articles")
    assert ["nghi", "dinh"] in docs["vi"] and ["decree"] in docs["en"]
    assert ["dieu"] in arts["vi"] and ["article"] in arts["en"]


def test_a_malformed_documents_list_names_the_file(tmp_path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "en.yaml").write_text("rewrite: []\ndocuments: decree\n", "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "en.yaml")) + ".*documents"):
        load_document_words(tmp_path)


# --- search4: kinds of question (intents), quantities, labels as data ----------------------------------

def test_intent_phrases_are_rules_naming_their_intent_and_pages_list_them():
    from lawsite.build.search import load_intent_weights, load_page_intents

    rules = load_search_words(ROOT / "data")
    assert [["phat", "the", "nao"], "phạt", "penalty"] in rules["vi"]  # ("bị phạt thế nào": "bị" is a filler)
    assert [["go", "to", "jail"], "imprisonment", "crime"] in rules["en"]
    assert all(len(r) == 2 or r[2] in ("penalty", "crime", "define", "tool", "cost") for lang in rules for r in rules[lang])
    pages = load_page_intents(ROOT / "data")
    assert pages["vi"]["vi-pham/toi-pham/index.html"] == ["crime"]
    assert pages["vi"]["hoi-dap/vi-pham/index.html"] == ["crime", "penalty"]
    assert pages["en"]["en/thuat-ngu/index.html"] == ["define"]
    assert pages["vi"]["vi-pham/index.html"] == ["penalty"]
    assert load_intent_weights(ROOT / "data")["vi"]["crime"] > load_intent_weights(ROOT / "data")["vi"]["penalty"]


@pytest.mark.parametrize("text,why", [
    ("rewrite: []\nintents: [penalty]\n", "'intents:' must map"),
    ("rewrite: []\nintents:\n  penalty: {rewrite: [{reader: [bị phạt], legal: phạt}]}\n", "intents: 'penalty': needs 'pages'"),
    ("rewrite: []\nintents:\n  penalty: {pages: [x], rewrite: [{reader: [], legal: phạt}]}\n", "entry 1 of 'rewrite'"),
    ("rewrite: []\nintents:\n  penalty: {pages: [x], weight: 50, rewrite: [{reader: [a], legal: b}]}\n", "'weight' must be"),
    ("rewrite:\n  - {reader: [bị phạt], legal: x}\nintents:\n  penalty: {pages: [x], rewrite: [{reader: [bi phat], legal: phạt}]}\n",
     "already rewritten"),
])
def test_a_malformed_intent_names_the_file_and_the_intent(tmp_path, text, why):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "vi.yaml").write_text(text, "utf-8")
    with pytest.raises(SearchIndexError, match=re.escape(str(tmp_path / "search" / "vi.yaml")) + ".*" + re.escape(why)):
        load_search_words(tmp_path)


def test_the_built_site_ships_intents_units_and_question_headings(built_site):
    from lawsite.build.search import load_page_intents

    for lang in ("vi", "en"):
        words = json.loads((built_site / "pagefind" / f"lawsite-words.{lang}.json").read_text("utf-8"))
        assert words["weights"]["crime"] == 3 and words["units"]
        pages = json.loads((built_site / "pagefind" / f"lawsite-pages.{lang}.json").read_text("utf-8"))
        with_intents = [p for p in pages.values() if len(p) > 5]
        assert len(with_intents) == len(load_page_intents(ROOT / "data")[lang])
        qa = next(p for p in pages.values() if p[0].startswith(("hỏi đáp về vi phạm", "questions and answers on violations")))
        assert "penalty" in qa[5] and sum(h.endswith("?") for h in qa[2]) >= 5  # its questions (h3) count as headings


def test_the_search_box_carries_its_labels_from_the_labels_file(built_site):
    from lawsite.core.l10n import L

    js = (ROOT / "docs" / "assets" / "javascripts" / "search.js").read_text("utf-8")
    for lang, rel in (("vi", "index.html"), ("en", "en/index.html")):
        text = (built_site / rel).read_text("utf-8")
        m = re.search(r"data-labels='([^']*)'", text)
        assert m, rel
        import html as htmlmod
        assert json.loads(htmlmod.unescape(m.group(1))) == L(lang)["ui"]["search"]
        assert L(lang)["ui"]["search"]["corrected"] not in js  # no copy of a language's messages in the code


def test_the_vocabulary_holds_the_indexed_words_and_pairs(built_site):
    for lang, word, nxt in (("vi", "chieu", "ho"), ("en", "passport", "lost")):
        vocab = json.loads((built_site / "pagefind" / f"lawsite-vocab.{lang}.json").read_text("utf-8"))
        assert word in vocab["w"] and all(w == bare(w) for w in vocab["w"][:200])
        assert word in vocab["p"][nxt].split() and word in vocab["s"][nxt].split()
        assert vocab["w"].index(word) < len(vocab["w"]) / 4  # frequent words first
        assert set(vocab["s"]) <= set(vocab["p"])


def test_expired_documents_are_weighted_down_and_marked(built_site):
    old = (built_site / "van-ban" / "nghi-dinh-144-2021-nd-cp" / "index.html").read_text("utf-8")
    new = (built_site / "van-ban" / "nghi-dinh-282-2025-nd-cp" / "index.html").read_text("utf-8")
    assert re.search(r'data-pagefind-body data-pagefind-weight="0\.3" data-pagefind-meta="[^"]*status:', old)
    assert "data-pagefind-weight" not in new and "status:" not in new.split("data-pagefind-meta", 1)[-1][:200]


# --- in the browser ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_readers_queries_find_their_page_in_the_top_3(page, site_url, lang):
    table = load_queries()[lang]
    assert len(table) >= 60
    res = score(page, site_url, lang, table)
    misses = [(q, got) for q, hit, got in res if not hit]
    assert len(res) - len(misses) >= MIN_SCORE * len(res), f"{len(misses)} of {len(res)} missed: {misses}"


@pytest.mark.parametrize("typed,searched", [
    ("bi cam xuat canh", "tạm hoãn xuất cảnh"), ("Cấm xuất cảnh", "tạm hoãn xuất cảnh"),
    ("gia han visa", "gia hạn tạm trú"), ("ho chieu", "ho chieu"), ("visa dien tu", "thị thực điện tử"),
    ("the tam tru", "the tam tru"),  # "the" (thẻ) is not a filler word in Vietnamese
])
def test_vietnamese_readers_words_are_rewritten(page, site_url, typed, searched):
    page.goto(site_url)
    page.click(INPUT)
    page.wait_for_function("() => document.getElementById('lawsite-search-status').textContent.startsWith('Gõ')")
    run_query(page, "ho chieu")  # the words are loaded with the index
    got = page.evaluate("([q]) => lawsiteSearch.rewrite(lawsiteSearch.normalizeQuery(q), %s)" % json.dumps(
        load_search_words(ROOT / "data")["vi"], ensure_ascii=False), [typed])
    assert got == page.evaluate("q => lawsiteSearch.normalizeQuery(q)", searched)


def test_a_rewritten_query_says_which_words_it_searched(page, site_url):
    page.goto(site_url)
    page.click(INPUT)
    run_query(page, "bi cam xuat canh")
    assert "tạm hoãn xuất cảnh" in page.inner_text("#lawsite-search-status")
    run_query(page, "tam hoan xuat canh")
    assert "“" not in page.inner_text("#lawsite-search-status")


def test_an_expired_document_is_marked_and_shown_after_current_ones(page, site_url):
    page.goto(site_url + "en/")
    page.click(INPUT)
    got = run_query(page, "Germany")
    flags = page.eval_on_selector_all("#lawsite-search-list [data-page]",
                                      "els => els.map(e => !!e.querySelector('.lawsite-search__flag'))")
    urls = [u.rstrip("/").rsplit("/", 1)[-1] for u in got]
    assert "nghi-quyet-32-nq-cp-2022" in urls, urls
    old = urls.index("nghi-quyet-32-nq-cp-2022")
    assert flags[old] and not any(flags[:old]), (urls, flags)
    assert "nghi-quyet-44-nq-cp-2025" in urls[:old]


def test_show_more_adds_the_next_results(page, site_url):
    page.goto(site_url)
    page.click(INPUT)
    first = run_query(page, "xuat canh")
    assert len(first) == 8
    assert page.is_visible(".lawsite-search__more")
    page.click(".lawsite-search__more")
    page.wait_for_function("() => document.querySelectorAll('#lawsite-search-list [data-page]').length > 8")
    after = page.eval_on_selector_all("#lawsite-search-list [data-page]",
                                      "els => els.map(e => new URL(e.dataset.url, location.href).pathname)")
    assert len(after) == len(set(after)) > 8
    assert after[:8] == first


def test_a_slow_link_shows_searching(page, site_url):
    page.goto(site_url)
    page.click(INPUT)
    run_query(page, "ho chieu")  # index loaded
    held = []
    page.route("**/*.pf_fragment", lambda route: held.append(route))
    page.fill(INPUT, "thi thuc dien tu")
    page.wait_for_function("() => document.getElementById('lawsite-search-status').textContent.startsWith('Đang tìm')")
    page.unroute("**/*.pf_fragment")
    for r in held:
        r.continue_()
    page.wait_for_function("q => document.getElementById('lawsite-search-list').dataset.query === q", arg="thi thuc dien tu")
    assert not page.inner_text("#lawsite-search-status").startswith("Đang tìm")


def test_enter_right_after_typing_opens_the_first_result_for_what_was_typed(page, site_url):
    page.goto(site_url + "cong-dan/")
    page.click(INPUT)
    run_query(page, "mat ho chieu")
    page.fill(INPUT, "tam hoan xuat canh")  # Enter before the typing pause has run the search
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cong-dan/tam-hoan-xuat-canh/$"))


def test_re_ranking_lifts_the_page_named_by_the_whole_query(page, site_url):
    """search.js's re-ranking on a small page table: word pairs in order beat scattered words, a legal
    document is lowered unless the query names it, and marks come back only from one-way pairs."""
    page.goto(site_url)
    page.click(INPUT)  # search.js is loaded on the first use of the field (ui.js)
    page.wait_for_function("() => window.lawsiteSearch && window.lawsiteSearch.prepare")
    got = page.evaluate("""() => {
        const S = window.lawsiteSearch;
        const info = S.prepare({
            card: ["thẻ tạm trú", "ai được cấp thẻ", [], "", []],
            stay: ["tạm trú và thẻ của người đi cùng", "", [], "", []],
            law: ["luật xuất nhập cảnh", "", [], "doc", []],
            news: ["luật mới về thẻ tạm trú có hiệu lực", "", [], "", []],
            word: ["đang xem", "", [], "", ["đăng ký"]]});
        const r = (q, ids) => S.rerank(ids.map((id, k) => ({id: id, score: 1 - k / 100, words: []})),
                                       S.normalizeQuery(q), info).map(x => x.id);
        return {pair: r("the tam tru", ["stay", "card"]), doc: r("the tam tru", ["law", "card"]),
                named: r("luat xuat nhap canh", ["news", "law"]),
                restored: S.unfold(S.restore("the tam tru", info)),
                near: S.rerank([{id: "stay", score: 1, words: [3, 9, 20]}, {id: "news", score: 0.9, words: [4, 5, 6]}],
                               "tam tru", info).map(x => x.id)};
    }""")
    assert got["pair"] == ["card", "stay"]
    assert got["doc"] == ["card", "law"]
    assert got["named"] == ["law", "news"]
    assert got["restored"] == "thẻ tạm trú"
    assert got["near"] == ["news", "stay"]


def test_a_short_query_that_is_a_page_title_lifts_the_page_about_that_topic(page, site_url):
    """search7: "visa" is the whole title of the section's index (its fillers aside): that page comes before pages
    that only use the word, a title with one more word ("visa exemption") a little; a longer query lifts nothing."""
    page.goto(site_url + "en/")
    page.click(INPUT)
    page.wait_for_function("() => window.lawsiteSearch && window.lawsiteSearch.rerank")
    got = page.evaluate("""() => {
        const S = window.lawsiteSearch;
        const info = S.prepare({news: ["new visa rules for tourists", "", [], "", []], ex: ["visa exemption", "", [], "", []],
                                idx: ["visas", "", [], "", []]});
        const r = (q) => S.rerank([{id: "news", score: 3, words: []}, {id: "ex", score: 2, words: []}, {id: "idx", score: 1, words: []}],
                                  S.normalizeQuery(q), info, false, {}).map(x => x.id);
        return [r("visa"), r("visa exemption"), r("new visa rules for tourists now")];
    }""")
    assert got[0] == ["idx", "ex", "news"]
    assert got[1][0] == "ex"  # the title "visa exemption" is the query itself
    assert got[2][0] == "news"  # more than three words: not a topic, no lift


def test_a_kind_of_question_lifts_the_pages_that_answer_it(page, site_url):
    """rewrite() reports the intent of a phrase ("bị phạt thế nào"); rerank() lifts the pages of that intent by its
    weight; a small number before a unit word is a quantity and not searched."""
    page.goto(site_url)
    page.click(INPUT)
    page.wait_for_function("() => window.lawsiteSearch && window.lawsiteSearch.quantities")
    got = page.evaluate("""() => {
        const S = window.lawsiteSearch, kinds = [];
        const rules = [[["bi", "phat", "the", "nao"], "phạt", "penalty"], [["o", "qua", "han"], "quá hạn tạm trú"]];
        const searched = S.rewrite(S.normalizeQuery("o qua han bi phat the nao"), rules, kinds);
        const info = S.prepare({
            stay: ["gia hạn tạm trú", "quá hạn tạm trú thì xin gia hạn", [], "", []],
            fine: ["bảng mức phạt", "phạt quá hạn tạm trú", [], "", [], ["penalty"]]});
        const r = (iw) => S.rerank([{id: "stay", score: 1, words: []}, {id: "fine", score: 0.8, words: []}],
                                   searched, info, false, iw).map(x => x.id);
        return {searched: S.unfold(searched), kinds: kinds, plain: r({}), asked: r({penalty: 2}), other: r({crime: 3}),
                units: [S.quantities("qua han 10 ngay", {units: ["ngay"]}), S.quantities("nghi dinh 282", {units: ["ngay"]}),
                        S.quantities("dieu 21 ngay", {units: []})]};
    }""")
    assert got["searched"] == "quá hạn tạm trú phạt" and got["kinds"] == ["penalty"]
    assert got["plain"] == ["stay", "fine"] and got["other"] == ["stay", "fine"]
    assert got["asked"] == ["fine", "stay"]
    assert got["units"] == ["qua han ngay", "nghi dinh 282", "dieu 21 ngay"]


def test_the_messages_come_from_the_page_not_from_the_code(page, site_url):
    """A third language is a data change: the status line shows whatever the search box's data-labels say."""
    page.goto(site_url)
    page.evaluate("""() => document.querySelector('[data-lawsite-search]').setAttribute('data-labels',
        JSON.stringify({one: 'ONE', other: 'N={n}', more: 'N={n} S={shown}', hint: 'HINT', corrected: 'FIXED {q}'}))""")
    page.click(INPUT)  # search.js is loaded now and reads the labels
    run_query(page, "tam hoan xuat cang")
    status = page.inner_text("#lawsite-search-status")
    assert status.startswith("N=") and "FIXED tam hoan xuat canh" in status, status


def vocab_requests(page):
    got = []
    page.on("request", lambda r: got.append(r.url) if "lawsite-vocab" in r.url else None)
    return got


@pytest.mark.parametrize("lang,typed,fixed,want", [
    ("en", "temporary residance card", "temporary residence card", "/en/nguoi-nuoc-ngoai/the-tam-tru/"),  # unknown word
    ("vi", "tam hoan xuat cang", "tam hoan xuat canh", "/cong-dan/tam-hoan-xuat-canh/"),  # a real syllable, odd pair
])
def test_a_mistyped_query_is_corrected_and_says_so(page, site_url, lang, typed, fixed, want):
    asked = vocab_requests(page)
    page.goto(site_url + ("en/" if lang == "en" else ""))
    page.click(INPUT)
    got = run_query(page, typed)
    assert len(asked) == 1, asked
    label = {"en": "Showing results for", "vi": "Hiển thị kết quả cho"}[lang]
    assert f"{label} “{fixed}”" in page.inner_text("#lawsite-search-status")
    assert any(g.endswith(want) for g in got[:3]), got


def test_the_vocabulary_is_not_downloaded_for_well_typed_queries(page, site_url):
    asked = vocab_requests(page)
    page.goto(site_url)
    page.click(INPUT)
    for q in ("ho chieu", "dang ky tam tru", "tam hoan xuat canh", "the tam tru", "mien thi thuc"):
        run_query(page, q)
        assert "Hiển thị kết quả cho" not in page.inner_text("#lawsite-search-status"), q
    assert asked == []


def test_question_words_are_dropped_and_documents_come_after_answers(page, site_url):
    """A long question finds the answer page, not the legal text that holds every word; a query naming a
    document (a kind, a number of 3 digits, "điều 21") still finds the document."""
    page.goto(site_url)
    page.click(INPUT)
    page.wait_for_function("() => window.lawsiteSearch && window.lawsiteSearch.namesDocument")
    names = page.evaluate("""() => { const S = window.lawsiteSearch, w = {documents: [["nghi", "dinh"]], articles: ["dieu"]};
        return ["nghi dinh 144", "dieu 21", "282/2025", "qua han 10 ngay", "ho chieu"].map(q => S.namesDocument(S.normalizeQuery(q), w)); }""")
    assert names == [True, True, True, False, False]
    got = run_query(page, "người nước ngoài bị mất hộ chiếu thì phải làm gì")
    assert not any("/van-ban/" in g for g in got[:3]) and any(g.endswith("/nguoi-nuoc-ngoai/mat-ho-chieu/") for g in got[:3]), got
