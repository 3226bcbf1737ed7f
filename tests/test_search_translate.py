"""Another language's words typed on a site (Vietnamese words without marks on the English site: "tam tru",
"nghi dinh 282"): translated from data (the glossary's pairs and `translate:` in data/search/<lang>.yaml) by a
table downloaded only for such a query; and the intents added in session 7 (costs, the page whose title is the
term asked about)."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from lawsite.build.search import SearchIndexError, bare, load_search_words, load_translations
from search_helpers import INPUT, run_query

GLOSSARY = '- {vi: "hộ chiếu", en: "passport", variants_en: []}\n- {vi: "cơ quan, tổ chức mời", en: "inviting body", variants_en: []}\n'


# --- the data (no build) -----------------------------------------------------------------------------

def test_the_english_site_translates_vietnamese_from_the_glossary_and_its_own_entries():
    got = load_translations(ROOT / "data")
    assert set(got) == {"en"} and set(got["en"]) == {"vi"}  # the Vietnamese site has no table
    table = got["en"]["vi"]
    terms = {tuple(k): v for k, v in table["terms"]}
    assert terms[("ho", "chieu")] == "passport"                     # a glossary pair
    assert terms[("ho", "chieu", "co", "gan", "chip", "dien", "tu")] == "chip passport"  # its "(…)" gloss left out
    assert terms[("tam", "tru")] == "temporary residence"           # data/search/en.yaml translate:
    assert terms[("nghi", "dinh")] == "decree"
    assert not any("," in v for v in terms.values())
    lengths = [len(k) for k, _ in table["terms"]]
    assert lengths == sorted(lengths, reverse=True)
    assert all(k == [bare(w) for w in k] for k, _ in table["terms"])
    assert table["rules"] == load_search_words(ROOT / "data")["vi"]  # the source's own rules apply first


def _data(tmp_path, files: dict[str, str]):
    (tmp_path / "search").mkdir()
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, "utf-8")
    for name, text in files.items():
        (tmp_path / "search" / name).write_text(text, "utf-8")
    return tmp_path


def test_a_third_language_is_a_data_change(tmp_path):
    data = _data(tmp_path, {"vi.yaml": "rewrite:\n  - {reader: [không], legal: \"\"}\n",
                            "en.yaml": "rewrite:\n  - {reader: [the], legal: \"\"}\n",
                            "fr.yaml": "rewrite:\n  - {reader: [le], legal: \"\"}\ntranslate:\n"
                                       "  vi:\n    - {reader: [tạm trú], legal: séjour}\n"
                                       "  en:\n    - {reader: [passport], legal: passeport}\n"})
    got = load_translations(data)
    assert set(got) == {"fr"} and set(got["fr"]) == {"vi", "en"}
    assert got["fr"]["vi"]["terms"] == [[["tam", "tru"], "séjour"]]  # the glossary has no French: extras only
    assert got["fr"]["en"]["rules"] == [[["the"], ""]]


@pytest.mark.parametrize("text,why", [
    ("translate: [vi]\n", "must map a language"),
    ("translate:\n  fr:\n    - {reader: [x], legal: y}\n", "'fr' is not another language"),
    ("translate:\n  en:\n    - {reader: [x], legal: y}\n", "'en' is not another language"),
    ("translate:\n  vi:\n    - {reader: [tạm trú], legal: \"\"}\n", "entry 1 needs"),
    ("translate:\n  vi:\n    - {reader: [], legal: x}\n", "entry 1 needs"),
])
def test_a_malformed_translation_table_names_the_file(tmp_path, text, why):
    data = _data(tmp_path, {"vi.yaml": "rewrite:\n  - {reader: [không], legal: \"\"}\n",
                            "en.yaml": "rewrite:\n  - {reader: [the], legal: \"\"}\n" + text})
    with pytest.raises(SearchIndexError, match=re.escape(str(data / "search" / "en.yaml")) + ".*" + re.escape(why)):
        load_translations(data)


def test_a_malformed_titles_flag_names_the_intent(tmp_path):
    from lawsite.build.search import load_intent_weights

    data = _data(tmp_path, {"en.yaml": "rewrite:\n  - {reader: [the], legal: \"\"}\nintents:\n  define:\n    titles: yes please\n"
                                       "    pages: [thuat-ngu]\n    rewrite:\n      - {reader: [what is], legal: \"\"}\n"})
    with pytest.raises(SearchIndexError, match=r"'define': 'titles' must be true or false"):
        load_intent_weights(data)


def test_the_built_site_ships_the_table_apart_from_the_first_query(built_site):
    bundle = built_site / "pagefind"
    words = {lang: json.loads((bundle / f"lawsite-words.{lang}.json").read_text("utf-8")) for lang in ("vi", "en")}
    assert words["en"]["translate"] == ["vi"] and words["vi"]["translate"] == []
    assert words["en"]["titles"] == ["define"] and words["vi"]["titles"] == ["define"]
    shipped = json.loads((bundle / "lawsite-translate.en.json").read_text("utf-8"))
    assert {src: {k: [[r[0].split(" ")] + r[1:] for r in t[k]] for k in t} for src, t in shipped.items()} == load_translations(ROOT / "data")["en"]
    assert not (bundle / "lawsite-translate.vi.json").exists()


# --- in the browser ----------------------------------------------------------------------------------

def translate_requests(page):
    got = []
    page.on("request", lambda r: got.append(r.url) if "lawsite-translate" in r.url else None)
    return got


def test_vietnamese_words_on_the_english_site_find_the_english_pages(page, site_url):
    asked = translate_requests(page)
    page.goto(site_url + "en/")
    page.click(INPUT)
    for q in ("passport renewal", "temporary residence card", "what is a visa"):  # this site's words: no table
        run_query(page, q)
    assert asked == []
    got = run_query(page, "tam tru")
    assert len(asked) == 1, asked
    assert "temporary residence" in page.inner_text("#lawsite-search-status")
    assert any(g.endswith(("/en/nguoi-nuoc-ngoai/khai-bao-tam-tru/", "/en/nguoi-nuoc-ngoai/gia-han-tam-tru/", "/en/hoi-dap/tam-tru/"))
               for g in got[:3]), got
    got = run_query(page, "nghị định 282")  # with marks, and a document number
    assert any(g.endswith("/en/van-ban/nghi-dinh-282-2025-nd-cp/") for g in got[:3]), got
    assert "decree 282" in page.inner_text("#lawsite-search-status")
    assert len(asked) == 1, asked  # downloaded once


def test_the_vietnamese_site_downloads_no_table(page, site_url):
    asked = translate_requests(page)
    page.goto(site_url)
    page.click(INPUT)
    for q in ("tam tru", "passport renewal", "ho chieu bi mat"):
        run_query(page, q)
    assert asked == []


def test_translate_applies_the_source_rules_then_its_terms(page, site_url):
    """The source's fillers go, its readers' words become its legal terms (with their intents), its terms become
    this site's; leftover words of the source (in its rules or terms) are dropped, others (place names: "moc bai")
    and this site's words and numbers kept; a query whose every term is a word of this site is left alone."""
    page.goto(site_url + "en/")
    page.click(INPUT)
    run_query(page, "passport")
    got = page.evaluate("""async () => {
        const S = await window.lawsiteSearch.more(), N = S.normalizeQuery;  // translate() is in search-more.js (search7)
        const info = S.prepare({a: ["Visa exemption", "the countries exempt", [], "", []], b: ["Temporary residence card fee", "", [], "", []]});
        const table = {vi: {rules: [[["bi", "phat"], "phạt", "penalty"], [["khong"], ""], [["may", "ngay"], ""]],
                            terms: [[["mien", "thi", "thuc"], "visa exemption"], [["tam", "tru"], "temporary residence"],
                                    [["phat"], "fine"], [["the"], "card"]]}};
        const run = (q) => { const k = []; return [S.unfold(S.translate(N(q), table, info, k)), k]; };
        return [run("bi phat tam tru khong"), run("miễn thị thực 45 ngay"), run("the visa exemption"), run("mien thi thuc moc bai"),
                S.foreign(N("visa exemption"), info, {translate: ["vi"]}), S.foreign(N("mien thi thuc"), info, {translate: ["vi"]}),
                S.foreign(N("mien thi thuc"), info, {translate: []})];
    }""")
    assert got[0] == ["fine temporary residence", ["penalty"]]
    assert got[1] == ["visa exemption 45", []]
    assert got[2] == ["the visa exemption", []]  # "the" is an English word here: nothing to translate
    assert got[3] == ["visa exemption moc bai", []]
    assert got[4:] == [False, True, False]


def test_a_definition_question_lifts_the_page_whose_title_is_the_term(page, site_url):
    """An intent with `titles: true` (define) lifts the page whose title, its filler words aside, is the query's
    term ("Visas for Vietnam" for "what is a visa"), not every title holding the term."""
    page.goto(site_url + "en/")
    page.click(INPUT)
    run_query(page, "passport")
    got = page.evaluate("""() => {
        const S = window.lawsiteSearch;
        const info = S.prepare({hub: ["Visas for Vietnam", "", [], "", []], sym: ["Visa symbols", "", [], "", []],
                                ex: ["Visa exemption", "", [], "", []]});
        info._titles = ["define"];
        info._rules = [[["for"], ""], [["vietnam"], ""]];
        const r = (iw) => S.rerank([{id: "sym", score: 1, words: []}, {id: "ex", score: 0.95, words: []}, {id: "hub", score: 0.9, words: []}],
                                   S.normalizeQuery("visa"), info, false, iw).map(x => x.id);
        return [r({}), r({define: 3}), r({penalty: 3})];
    }""")
    # search7: "visa" is also the hub's whole title (its fillers aside), so a short query lifts it with no intent too
    # (rerank's topic lift, tests/test_search_relevance.py); the define intent lifts it alone, the others keep their order
    assert got == [["hub", "sym", "ex"], ["hub", "sym", "ex"], ["hub", "sym", "ex"]]


@pytest.mark.parametrize("lang,q,want", [
    ("vi", "cấp giấy thông hành tốn bao nhiêu tiền", ("/cong-dan/giay-thong-hanh/", "/hoi-dap/bien-gioi/")),
    ("en", "what does an emergency passport cost", ("/en/cong-dan/ho-chieu-rut-gon/",)),
])
def test_a_question_about_cost_finds_the_page_that_states_the_charge(page, site_url, lang, q, want):
    page.goto(site_url + ("en/" if lang == "en" else ""))
    page.click(INPUT)
    got = run_query(page, q)
    assert any(g.endswith(want) for g in got[:3]), got


# --- the built script (part of every first query) ----------------------------------------------------

def test_the_script_loses_only_whole_comment_lines():
    from lawsite.build.search import compact_script

    src = ('/* a block\n   comment */\n(function () {\n  // a line comment\n  var u = "http://x/*y*/";  // kept: code on the line\n'
           '  var r = /\\/\\*/g;\n  /* one line */ var z = 1;\n})();\n')
    assert compact_script(src) == '(function () {\nvar u = "http://x/*y*/";  // kept: code on the line\nvar r = /\\/\\*/g;\nvar z = 1;\n})();\n'
    assert compact_script(compact_script(src)) == compact_script(src)


def test_the_built_site_ships_the_compacted_script(built_site):
    from lawsite.build.search import compact_script

    for name in ("search.js", "search-more.js"):  # search7: and the part loaded on demand
        source = (ROOT / "docs" / "assets" / "javascripts" / name).read_text("utf-8")
        built = (built_site / "assets" / "javascripts" / name).read_text("utf-8")
        assert built == compact_script(source) and len(built) < 0.8 * len(source), name
