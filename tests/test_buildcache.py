"""Build caches of the whole-site and HTML steps (issue 16 §3): lawsite.core.diskmemo (allow-list,
finished-page check, Pagefind bundle) and lawsite.page.diskcache.memo (translation status, glossary
findings). An entry is a hit only for the same inputs; a changed input gives a fresh result; a
corrupt, wrong or deleted cache only means the step is computed again. Also: the faster
algorithms give the same results as the plain ones they replace."""
from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from conftest import CLEAN_COPY_GROUP, copy_project

from lawsite.build import cssprune, search
from lawsite.core import diskmemo, security
from lawsite.page import diskcache
from lawsite.page.process import process_page
from lawsite.project.loader import load_project
from lawsite.site import parity


@pytest.fixture
def cache_on(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    monkeypatch.setenv("LAWSITE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "lawsite" / "memo"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pickle")) if folder.exists() else []


# --- lawsite.core.diskmemo ----------------------------------------------------------------------

def test_memo_hit_changed_input_corrupt_and_deleted(cache_on):
    calls = []

    def compute(x):
        calls.append(x)
        return {"value": x.upper()}

    assert diskmemo.memo("t", ("a", b"\x00"), lambda: compute("a")) == {"value": "A"}
    assert diskmemo.memo("t", ("a", b"\x00"), lambda: compute("a")) == {"value": "A"}
    assert calls == ["a"]  # the second call is a lookup
    assert diskmemo.memo("t", ("b", b"\x00"), lambda: compute("b")) == {"value": "B"}
    assert calls == ["a", "b"]  # another input: computed, never the other entry
    # the parts are delimited: ("ab", "c") and ("a", "bc") are different inputs
    assert diskmemo.key("t", ("ab", "c")) != diskmemo.key("t", ("a", "bc"))
    for f in _entries(cache_on / "t"):
        f.write_bytes(b"not a pickle")
    assert diskmemo.memo("t", ("a", b"\x00"), lambda: compute("a")) == {"value": "A"}
    assert calls == ["a", "b", "a"]  # corrupt: computed again (and stored again)
    assert diskmemo.memo("t", ("a", b"\x00"), lambda: compute("a")) == {"value": "A"} and len(calls) == 3
    shutil.rmtree(cache_on)
    assert diskmemo.memo("t", ("a", b"\x00"), lambda: compute("a")) == {"value": "A"}
    assert len(calls) == 4  # deleted: computed again


def test_memo_wrong_shape_entry_is_recomputed(cache_on):
    diskmemo.memo("t", "x", lambda: [1, 2])
    (f,) = _entries(cache_on / "t")
    f.write_bytes(pickle.dumps("a string where a list was"))
    assert diskmemo.memo("t", "x", lambda: [1, 2], valid=lambda v: isinstance(v, list)) == [1, 2]


def test_memo_off_without_lawsite_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("LAWSITE_CACHE", raising=False)
    monkeypatch.setenv("LAWSITE_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    for _ in range(2):
        diskmemo.memo("t", "x", lambda: calls.append(1))
    assert calls == [1, 1] and not (tmp_path / "cache").exists()


def test_entry_names_depend_on_the_engine(cache_on, monkeypatch):
    k = diskmemo.key("t", "x")
    monkeypatch.setattr(diskmemo, "engine_hash", lambda libs=(): "another engine")
    assert diskmemo.key("t", "x") != k


# --- the allow-list and the finished-page check ----------------------------------------------------

BODY = '<p>Hello <a href="javascript:alert(1)" onclick="x()">there</a></p><script>alert(1)</script>'
PAGE = ('<!doctype html><html><head><script>var a=1</script></head><body><p style="color:red">x</p>'
        '<a href="vbscript:x">y</a></body></html>')


def test_sanitize_cached_equals_uncached(cache_on, monkeypatch):
    monkeypatch.delenv("LAWSITE_CACHE")
    plain = security.sanitize(BODY)
    plain_ok = security.sanitize("<p>fine</p>")
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    assert security.sanitize(BODY) == plain  # computed and stored
    assert len(_entries(cache_on / "sanitize")) == 1
    assert security.sanitize(BODY) == plain  # from the entry
    assert plain[1] and "onclick" not in plain[0]
    assert security.sanitize("<p>fine</p>") == plain_ok == ("<p>fine</p>", [])
    assert security.sanitize(BODY, tool=True) == security._sanitize(BODY, True)  # the profile is part of the key
    assert len(_entries(cache_on / "sanitize")) == 3


def test_sanitize_reads_its_entry_and_survives_a_corrupt_one(cache_on):
    security.sanitize(BODY)
    k = diskmemo.key("sanitize", (BODY, "False"), ("justhtml",))
    f = cache_on / "sanitize" / k[:2] / f"{k}.pickle"
    assert f.is_file()
    marked = ("<p>from the cache</p>", [])
    f.write_bytes(pickle.dumps(marked))
    assert security.sanitize(BODY) == marked  # the entry is what is used: a lookup, not a parse
    f.write_bytes(b"\x80\x05garbage")
    assert security.sanitize(BODY) == security._sanitize(BODY, False)
    f.write_bytes(pickle.dumps(("x", ["not a Removed"])))  # wrong shape: computed again
    assert security.sanitize(BODY) == security._sanitize(BODY, False)


def test_check_page_cached_and_keyed_by_the_hashes(cache_on):
    allowed = {security.sha256_source("var a=1")}
    want = security._check_page(PAGE, allowed)
    assert want and not any(w.startswith("<script>") for w, _ in want)
    assert security.check_page(PAGE, allowed) == want
    assert security.check_page(PAGE, allowed) == want
    other = security.check_page(PAGE, set())  # other allowed hashes: another entry, a fresh result
    assert ("<script> that is not one of the theme's", "var a=1") in other
    assert len(_entries(cache_on / "check_page")) == 2


# --- the Pagefind bundle ---------------------------------------------------------------------------

def _fake_pagefind(calls):
    def run(src: Path, out: Path) -> str:
        calls.append(sorted(p.relative_to(src).as_posix() for p in src.rglob("*.html")))
        (out / "fragment").mkdir(parents=True, exist_ok=True)
        for p in sorted(src.rglob("*.html")):
            (out / "fragment" / (p.parent.name or "root")).write_bytes(p.read_bytes()[::-1])
        (out / "pagefind-entry.json").write_text('{"version": "0.0.0", "languages": {}}', "utf-8")
        return "fake pagefind"
    return run


def test_pagefind_bundle_kept_by_the_folded_pages(cache_on, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(search, "_run_pagefind", _fake_pagefind(calls))
    docs = [("a/index.html", "vi", "<p>một</p>"), ("b/index.html", "vi", "<p>hai</p>")]
    out1, out2, out3 = tmp_path / "o1", tmp_path / "o2", tmp_path / "o3"
    first = search._bundle(docs, out1)
    assert len(calls) == 1 and first[0] == "fake pagefind" and first[2] and "0.0.0" in first[2]  # not re-cut: unverified
    second = search._bundle(docs, out2)
    assert len(calls) == 1 and second == first  # a lookup: Pagefind did not run
    files = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}  # noqa: E731
    assert files(out2) == files(out1) and files(out1)
    search._bundle([docs[0], ("b/index.html", "vi", "<p>ba</p>")], out3)
    assert len(calls) == 2 and files(out3) != files(out1)  # a changed page: indexed again
    for f in _entries(cache_on / "pagefind"):
        f.write_bytes(b"truncated")
    shutil.rmtree(out2)
    assert search._bundle(docs, out2) == first and len(calls) == 3 and files(out2) == files(out1)


# --- translation status and glossary findings (lawsite.page.diskcache.memo) ---------------------------

VI = "---\ntitle: Thử\nlast_reviewed: 2026-11-01\n---\n\nHộ chiếu phổ thông.\n"


def test_translation_status_kept_by_both_files_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    root = copy_project(tmp_path / "p")
    docs = root / "docs"
    (docs / "thu.md").write_text(VI, "utf-8")
    project = load_project(root)
    st = parity._translation_status_kept(project, "thu.md")
    assert st.state == "missing"
    store = root / ".cache" / "lawsite" / "translation_status"
    assert len(_entries(store)) == 1
    (docs / "thu.en.md").write_text("---\ntitle: Test\n---\n\nPassport.\n", "utf-8")
    assert parity._translation_status_kept(project, "thu.md").state == "unmarked"  # the new file is seen
    actual = parity.source_hash(VI)
    (docs / "thu.en.md").write_text(f"---\ntitle: Test\nsource_hash: {actual}\n---\n\nPassport.\n", "utf-8")
    assert parity._translation_status_kept(project, "thu.md").state == "current"
    (docs / "thu.md").write_text(VI + "\nMore.\n", "utf-8")
    assert parity._translation_status_kept(project, "thu.md").state == "outdated"
    assert len(_entries(store)) == 4
    for f in _entries(store):
        f.write_bytes(b"junk")
    assert parity._translation_status_kept(project, "thu.md") == parity._translation_status(project, "thu.md")
    shutil.rmtree(root / ".cache")
    assert parity._translation_status_kept(project, "thu.md").state == "outdated"


def test_glossary_findings_kept_by_the_page_text(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    project = load_project(root)
    rx, variants = parity._glossary_regex(project)
    if rx is None:
        pytest.skip("no glossary variants in data/")
    variant = sorted(variants)[0]
    text = f"---\ntitle: Test\n---\n\nA page about the {variant} here.\n".encode("utf-8")
    res = process_page(project, "docs/t.en.md", text, lang="en", src_uri="t.en.md")
    monkeypatch.delenv("LAWSITE_CACHE", raising=False)
    plain = parity.check_glossary(project, res)
    assert [f.code for f in plain] == ["glossary_variant"] and plain[0].line == 5
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    assert parity.check_glossary(project, res) == plain
    store = root / ".cache" / "lawsite" / "glossary"
    (entry,) = _entries(store)
    assert parity.check_glossary(project, res) == plain
    clean = process_page(project, "docs/t.en.md", b"---\ntitle: Test\n---\n\nNothing here.\n", lang="en", src_uri="t.en.md")
    assert parity.check_glossary(project, clean) == []  # other text: a fresh result
    entry.write_bytes(pickle.dumps(["not a finding"]))
    assert parity.check_glossary(project, res) == plain
    assert diskcache.memo(project, "glossary", ("x",), lambda: 1) == 1


# --- faster algorithms, same results ----------------------------------------------------------------

FOLD_SAMPLES = [
    "<article><p>Đăng ký hoà thuỷ khoẻ quý</p></article>",
    '<h3 id="dieu-1">Điều 1</h3>\n<p>3 khoản: 1; 2; 3</p><p>Đ</p>',
    '<h3>x</h3> <p>không chia khoản</p><h3>y</h3><p>no clauses here</p>',
    '<p>Khoản 1 (điểm <span id="dieu-5-khoan-1-diem-a">a</span>, <span id="dieu-5-khoan-1-diem-b">b</span>)</p>',
    '<p>Các khoản: <span id="dieu-5-khoan-1">1</span>; <span id="dieu-5-khoan-2">2</span>.</p>',
    '<h2 id="trang-trich-dan">Trang trích dẫn</h2><ul><li>a</li></ul><h2 id="x">X</h2></article>',
    "<p>(nothing to cut) </h3> <p>12 clauses: a</p> (ab <span id=\"dieu-x\">q</span>)</p>",
]


def _fold_plain(text: str) -> str:
    text = search._NON_HEADING_ID.sub(r"\1", search._NOT_INDEXED.sub("", text))
    return search.normalize_tones(text).replace("đ", "d" + search.STROKE).replace("Đ", "D" + search.STROKE)


def test_fold_for_index_same_as_the_whole_regex():
    assert "|".join(search._split_alternatives(search._NOT_INDEXED.pattern)) == search._NOT_INDEXED.pattern
    assert len(search._split_alternatives(search._NOT_INDEXED.pattern)) == len(search._NOT_INDEXED_NEEDS)
    for s in FOLD_SAMPLES + ["".join(FOLD_SAMPLES)]:
        assert search.fold_for_index(s) == _fold_plain(s), s
    assert search.fold_for_index(FOLD_SAMPLES[1]) != FOLD_SAMPLES[1]  # something was cut
    assert search._split_alternatives(r"a[|\]]|b(c|d)|[]|]e") == ["a[|\\]]", "b(c|d)", "[]|]e"]


def test_prune_variables_same_as_one_test_per_declaration():
    css = (":root{--a:1;--b:2;--c:3;--d:url(x);--e:4}[data-md-color-scheme=x]{--f:5;--g:6}"
           "@media (min-width:1px){:root{--h:7}}.x{color:var(--a);margin:var(--z, var(--b))}")
    others = ".y{top:var(--f,0)}"

    def plain(css, others):
        def used(name, text):
            return f"var({name})" in text or f"var({name}," in text
        out = []
        for prelude, body in cssprune._blocks(css):
            if body is None:
                out.append(prelude)
            elif prelude.strip().startswith(("@media", "@supports", "@layer")):
                out.append(f"{prelude}{{{plain(body, others + css)}}}")
            elif prelude.strip().startswith((":root", "[data-md-color")):
                decls = [d for d in cssprune._declarations(body)
                         if not d.strip().startswith("--") or used(d.split(":", 1)[0].strip(), css + others)]
                if decls:
                    out.append(prelude + "{" + ";".join(decls) + "}")
            else:
                out.append(f"{prelude}{{{body}}}")
        return "".join(out)

    got = cssprune.prune_variables(css, others)
    assert got == plain(css, others)
    assert "--a:1" in got and "--b:2" in got and "--f:5" in got and "--c" not in got and "--h" not in got
    assert re.search(r"--[cdegh]:", got) is None


@pytest.mark.slow
def test_fold_for_index_same_as_the_whole_regex_on_the_built_site(built_site):
    pages = [p for p in sorted(built_site.rglob("*.html")) if "pagefind" not in p.parts]
    assert len(pages) > 100
    for p in pages:
        text = p.read_text("utf-8")
        assert search.fold_for_index(text) == _fold_plain(text), p


@pytest.mark.slow
@CLEAN_COPY_GROUP
def test_builds_with_the_cache_cold_and_warm_are_byte_identical_to_a_build_without(built_site, clean_copy_build):
    """(suitefast3) The cold build is conftest's clean_copy_build (shared with tests/test_reproducible.py):
    LAWSITE_CACHE=1 with the copy's .cache/ linked to the session's build cache, EMPTY when it starts (it
    seeds that cache: conftest._seed_status); it was built with another clock, which must not reach the
    output either. The warm build runs on the same copy with the same settings (other builds of the
    session may have added entries for other inputs by then: an entry is found only by its own inputs)."""
    from conftest import OTHER_CLOCK, mkdocs_build

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    cold, src, cold_out = clean_copy_build
    want = files(built_site)
    for name in ("cold", "warm"):
        if name == "cold":
            proc, out = cold, cold_out
        else:
            out = src.parent / name
            proc = mkdocs_build(src, out, env_extra={"SOURCE_DATE_EPOCH": OTHER_CLOCK, "LAWSITE_CACHE": "1", "LAWSITE_CACHE_DIR": str(src / ".cache")})
        assert proc.returncode == 0, proc.stderr[-3000:]
        got = files(out)
        assert sorted(got) == sorted(want)
        assert [k for k in want if got[k] != want[k]] == [], name
    for kind in ("sanitize", "check_page", "pagefind", "markdown", "cssprune", "vocabulary"):  # the warm build had entries to read
        assert _entries(src / ".cache" / "lawsite" / "memo" / kind), kind
    assert _entries(src / ".cache" / "lawsite" / "project")


# --- session 7 (buildperf3): what a warm build no longer recomputes ------------------------------------

def test_pagefind_is_given_the_folded_copies_and_the_key_is_the_pages(cache_on, tmp_path, monkeypatch):
    seen = []

    def run(src: Path, out: Path) -> str:
        seen.append({p.relative_to(src).as_posix(): p.read_text("utf-8") for p in src.rglob("*.html")})
        out.mkdir(parents=True, exist_ok=True)
        (out / "pagefind-entry.json").write_text('{"version": "0.0.0", "languages": {}}', "utf-8")
        return "fake"

    monkeypatch.setattr(search, "_run_pagefind", run)
    page = '<article><h2 id="x">Đăng ký</h2><p id="p1">hoà thuỷ</p></article>'
    search._bundle([("a/index.html", "vi", page)], tmp_path / "o1")
    assert seen == [{"a/index.html": search.fold_for_index(page)}] and seen[0]["a/index.html"] != page
    search._bundle([("a/index.html", "vi", page)], tmp_path / "o2")
    assert len(seen) == 1  # the same page: a lookup, nothing folded or indexed
    search._bundle([("a/index.html", "vi", page.replace("hoà", "hòa"))], tmp_path / "o3")
    assert len(seen) == 2  # another page text (even one that folds the same): indexed again


def test_search_tables_parsed_once_per_build_and_again_when_edited(tmp_path, monkeypatch):
    from lawsite.core import yamlio

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "search", data / "search")
    files = sorted((data / "search").glob("*.yaml"))
    parsed = []
    real = yamlio.load
    monkeypatch.setattr(yamlio, "load", lambda text, *a, **k: parsed.append(1) or real(text, *a, **k))
    plain = (search.load_search_words(data), search.load_document_words(data), search.load_page_intents(data))
    assert len(parsed) == 3 * len(files)  # a plain folder: every loader parses every table
    parsed.clear()
    tables = search.SearchData(data, {})
    once = (search.load_search_words(tables), search.load_document_words(tables), search.load_page_intents(tables))
    assert once == plain and len(parsed) == len(files)  # one build's loaders: each table parsed once
    vi = data / "search" / "vi.yaml"
    vi.write_text(vi.read_text("utf-8").replace("documents: [", "documents: [văn bản thử, ", 1), "utf-8")
    again = search.load_document_words(tables)
    assert len(parsed) == len(files) + 1  # the edited table only: parsed again, never the old tables
    assert ["van", "ban", "thu"] in again["vi"] and again == search.load_document_words(data)


def test_generated_bodies_kept_by_their_inputs(tmp_path, monkeypatch):
    from lawsite.build import sitebuild
    from lawsite.site.status import status_markdown

    monkeypatch.setenv("LAWSITE_CACHE", "1")
    root = copy_project(tmp_path / "p")
    project = load_project(root)
    src = "staff/status.md"
    first = sitebuild.staff_status(project, "vi", src)
    assert first == status_markdown(project, "vi", src)
    (entry,) = _entries(root / ".cache" / "lawsite" / "staff-status")
    assert sitebuild.staff_status(project, "vi", src) == first
    (root / "docs" / "thu-nghiem.md").write_text(VI, "utf-8")  # a new page without its translation
    changed = sitebuild.staff_status(project, "vi", src)
    assert changed != first and "thu-nghiem.md" in changed and changed == status_markdown(project, "vi", src)
    entry.write_bytes(b"junk")
    (root / "docs" / "thu-nghiem.md").unlink()
    assert sitebuild.staff_status(project, "vi", src) == first  # a corrupt entry: computed again
    doc = next(d for d in project.registry if d.articles)
    b = sitebuild.Build(project, "vi")
    page = f"van-ban/{doc.slug}.md"
    alone = b.document_body(doc, "vi", page)
    b.cited[doc.number]["Điều 1"].append(("Một trang", "mot-trang.md"))
    cited = b.document_body(doc, "vi", page)
    assert cited != alone and "mot-trang" in cited  # who cites it is part of the key
    assert len(_entries(root / ".cache" / "lawsite" / "document-page")) == 2
    assert b.document_body(doc, "vi", page) == cited
