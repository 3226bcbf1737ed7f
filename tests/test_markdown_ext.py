"""The engine as a Python-Markdown extension (`lawsite.markdown`, lawsite/markdown.py): after the
pre-build step (lawsite/build/steps.py) a plain `markdown.Markdown(extensions=[..., "lawsite.markdown"])`
renders every page body exactly as the MkDocs build does, and a body the pre-step did not see is an
error, never passed through unrendered."""
from __future__ import annotations

import pickle
import re
import shutil
import unicodedata
from pathlib import Path

import markdown
import pytest

from conftest import BUILD_ENV, ROOT
from lawsite.build import htmlfix, steps
from lawsite.build.steps import Body, UnknownBody, body_key
from lawsite.core import security


@pytest.fixture
def fake_site():
    """An active build whose body index holds two made-up pages (no project load: fast)."""
    steps.forget_sites()
    site = steps.site_for(ROOT, fresh=True)
    site.bodies = {"vi": {"a.md": Body("a.md", body_key("Xin chào Điều 1"), "Trang **A** đã xử lý"),
                          "van-ban/x.md": Body("van-ban/x.md", body_key(steps.PAGE_MARKER.format(src="van-ban/x.md")),
                                               "# Văn bản X")},
                   "en": {"a.md": Body("a.md", body_key("Xin chào Điều 1"), "Page **A** (fallback)")}}
    yield site
    steps.forget_sites()


def _md(lang="vi"):
    return markdown.Markdown(extensions=["lawsite.markdown"], extension_configs={"lawsite.markdown": {"lang": lang}})


def test_the_extension_renders_the_page_it_finds_by_content(fake_site):
    assert _md().convert("Xin chào Điều 1\n") == "<p>Trang <strong>A</strong> đã xử lý</p>"
    assert _md("en").convert("Xin chào Điều 1") == "<p>Page <strong>A</strong> (fallback)</p>"
    # text in NFD (as some editors save it) and with CRLF line ends finds the same page
    assert _md().convert(unicodedata.normalize("NFD", "Xin chào Điều 1") + "\r\n") == "<p>Trang <strong>A</strong> đã xử lý</p>"
    # a blank body arrives as the marker line naming its page
    assert _md().convert(steps.PAGE_MARKER.format(src="van-ban/x.md")) == "<h1>Văn bản X</h1>"


def test_an_unknown_body_is_an_error_not_a_pass_through(fake_site):
    with pytest.raises(UnknownBody, match="pre-build step did not see"):
        _md().convert("Một trang không ai xử lý")
    with pytest.raises(UnknownBody, match="docs/van-ban/y.md: not seen by the pre-build step"):
        _md().convert(steps.PAGE_MARKER.format(src="van-ban/y.md"))


def test_the_announced_page_wins(fake_site):
    fake_site.bodies["vi"]["b.md"] = Body("b.md", body_key("Xin chào Điều 1"), "Trang **B**")
    with pytest.raises(UnknownBody, match="docs/a.md, docs/b.md renders differently"):
        _md().convert("Xin chào Điều 1")  # two pages, same text, different results: never a guess
    fake_site.current = ("vi", "b.md")  # what the MkDocs hook says (on_page_markdown)
    assert _md().convert("Xin chào Điều 1") == "<p>Trang <strong>B</strong></p>"
    # the announced page is rendered from its file even when MkDocs passes other text (a front matter it
    # could not read stays in the body), as the hooks always did; the announcement is used once
    fake_site.current = ("vi", "b.md")
    assert _md().convert("---\n[not a mapping]\n---\nXin chào Điều 1") == "<p>Trang <strong>B</strong></p>"
    with pytest.raises(UnknownBody, match="pre-build step did not see"):
        _md().convert("---\n[not a mapping]\n---\nXin chào Điều 1")
    fake_site.current = ("vi", "c.md")
    with pytest.raises(UnknownBody, match="docs/c.md: not seen by the pre-build step"):
        _md().convert("Xin chào Điều 1")


def test_without_a_running_build_the_index_on_disk_is_read(tmp_path, monkeypatch):
    (tmp_path / "data" / "registry").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    site = steps.Site(tmp_path)
    site.bodies = {"vi": {"a.md": Body("a.md", body_key("Nội dung"), "Đã **xử lý**")}}
    written = site.write_index()
    assert [p.name for p in written] == ["vi.json"] and written[0].parent == tmp_path / ".cache/lawsite/bodies"
    steps.forget_sites()
    monkeypatch.chdir(tmp_path)
    assert _md().convert("Nội dung") == "<p>Đã <strong>xử lý</strong></p>"
    with pytest.raises(UnknownBody):
        _md().convert("Nội dung khác")


def _extensions():
    exts, confs = [], {}
    for e in steps._config(ROOT)["markdown_extensions"]:
        name, conf = next(iter(e.items())) if isinstance(e, dict) else (e, None)
        exts.append(name)
        confs[name] = dict(conf or {})
    assert "lawsite.markdown" in exts
    return exts, confs


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>(.*?)</article>', re.S)


def _links_blank(html: str) -> str:  # MkDocs rewrites links between pages (x.md -> ../x/): compare the rest
    return re.sub(r'\s(href|src)="[^"]*"', r" \1", html)


@pytest.mark.slow
def test_the_extension_alone_gives_the_mkdocs_page_bodies(built_site, monkeypatch):
    """Every page of both language builds: the pre-step, then Markdown with mkdocs.yml's extensions (and
    the page steps MkDocs runs on the body: allow-list, captions, phone-table marks) gives the article MkDocs built."""
    for k, v in BUILD_ENV.items():
        monkeypatch.setenv(k, v)
    exts, confs = _extensions()
    site = steps.pre(ROOT, write=False)
    try:
        checked, differ, citing, blank = 0, [], 0, 0
        for lang in ("vi", "en"):
            for p in steps.language_pages(ROOT / "docs", lang):
                text = steps.split_front_matter(Path(p.abs_path).read_text("utf-8"))
                if not text.strip():  # a generated document page: what the MkDocs hook hands Markdown
                    text, blank = steps.PAGE_MARKER.format(src=p.src_uri), blank + 1
                confs["lawsite.markdown"] = {"lang": lang}
                html = markdown.Markdown(extensions=exts, extension_configs=confs).convert(text)
                meta = site.build.page(p.src_uri, p.abs_path, content_lang=p.locale).meta
                html, _ = security.sanitize(html, tool=security.tool_page(p.src_uri, meta))
                html = _links_blank(htmlfix.phone_tables(htmlfix.caption_tables(html)))
                article = _links_blank(_ARTICLE.search((built_site / p.url / "index.html").read_text("utf-8")).group(1))
                # the theme puts the disclaimer line after a procedure card (overrides/partials/content.html)
                parts = html.split("</section>", 1) if meta.get("procedure") and "</section>" in html else [html]
                pos = 0
                for part in parts:
                    at = article.find(part, pos)
                    if at < 0:
                        differ.append(f"{lang}: docs/{p.src_uri}")
                        break
                    pos = at + len(part)
                checked += 1
                citing += 'class="cite"' in html
        assert not differ, f"{len(differ)} of {checked} page bodies differ from the MkDocs build: {differ[:10]}"
        assert checked >= 150 and citing >= 50 and blank >= 20, (checked, citing, blank)
    finally:
        steps.forget_sites()


@pytest.mark.slow
def test_the_pre_step_cli_reports_file_and_line_and_writes_the_index(tmp_path):
    """`python -m lawsite.build.steps pre` (no MkDocs): a bad citation is an error with file:line (exit 1,
    no traceback); the index it writes lets a Markdown run in another process render the page."""
    import json
    import os
    import subprocess
    import sys

    from conftest import copy_project

    root = copy_project(tmp_path / "p")
    page = root / "docs" / "cong-dan" / "cap-ho-chieu-trong-nuoc.md"
    text = page.read_text("utf-8")
    page.write_text(text + "\nXem Điều 999 Luật số 49/2019/QH14.\n", "utf-8")
    line = text.count("\n") + 2
    env = {**os.environ, **BUILD_ENV}
    proc = subprocess.run([sys.executable, "-m", "lawsite.build.steps", "pre"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert f"docs/cong-dan/cap-ho-chieu-trong-nuoc.md:{line}:" in proc.stderr and "Traceback" not in proc.stderr
    index = json.loads((root / ".cache/lawsite/bodies/vi.json").read_text("utf-8"))
    assert len(index["pages"]) >= 90 and index["lang"] == "vi"
    # a fresh process (no build running in it) renders a page from the index on disk
    code = ("import markdown, sys; from lawsite.build.steps import split_front_matter; "
            "t = split_front_matter(open('docs/cong-dan/cap-ho-chieu-trong-nuoc.en.md', encoding='utf-8').read()); "
            "sys.stdout.write(markdown.Markdown(extensions=['lawsite.markdown'], "
            "extension_configs={'lawsite.markdown': {'lang': 'en'}}).convert(t))")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert 'class="cite"' in out.stdout and "{{" not in out.stdout


# --- the conversion cache (LAWSITE_CACHE=1): MkDocs' own Page.render, cold and warm -------------------

BODY_A = ("# Tiêu đề A\n\nXem [trang B](b.md), [mục của B](b.md#muc-b), [trang thiếu](thieu.md).\n\n"
          "## Mục một {#muc-mot}\n\n<div id=\"khoi-html\">khối</div>\n")


def _render_page(tmp_path, text: str, srcs=("a.md", "b.md")):
    """MkDocs' Page.render of docs/a.md (its processors on the Markdown object, as in a build)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    cfg = MkDocsConfig()
    cfg.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site"),
                   "markdown_extensions": ["attr_list", "toc", "lawsite.markdown"]})
    (tmp_path / "docs").mkdir(exist_ok=True)
    errors, _ = cfg.validate()
    assert not errors
    files = Files([File(s, cfg.docs_dir, cfg.site_dir, True) for s in srcs])
    page = Page(None, files.get_file_from_path("a.md"), cfg)
    page.markdown = text
    page.render(cfg, files)
    return page, {"html": page.content, "toc": [(t.title, t.id, [(c.title, c.id) for c in t.children]) for t in page.toc],
                  "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids),
                  "links": {f.src_uri: v for f, v in (page.links_to_anchors or {}).items()}}


@pytest.fixture
def md_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    monkeypatch.setenv("LAWSITE_CACHE_DIR", str(tmp_path / "cache"))
    steps.forget_sites()
    site = steps.site_for(ROOT, fresh=True)
    site.bodies = {"vi": {"a.md": Body("a.md", body_key("nguồn A"), BODY_A)}}
    yield tmp_path / "cache" / "lawsite" / "memo" / "markdown"
    steps.forget_sites()


def test_the_conversion_cache_gives_what_mkdocs_reads_cold_and_warm(md_cache, tmp_path, monkeypatch, caplog):
    import logging

    monkeypatch.setenv("LAWSITE_CACHE", "0")
    with caplog.at_level(logging.INFO, logger="mkdocs.structure.pages"):
        _, plain = _render_page(tmp_path, "nguồn A")
    plain_log = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "mkdocs.structure.pages"]
    assert not md_cache.exists()  # off: nothing kept
    assert any("thieu.md" in m for _, m in plain_log) and plain["links"] == {"b.md": {"muc-b": "b.md#muc-b"}}
    assert plain["title"] == "Tiêu đề A" and "khoi-html" in plain["anchors"] and plain["toc"][0][2] == [("Mục một", "muc-mot")]
    monkeypatch.setenv("LAWSITE_CACHE", "1")
    for run in ("cold", "warm"):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.structure.pages"):
            _, got = _render_page(tmp_path, "nguồn A")
        assert got == plain, run  # HTML, toc, title, anchors, links to anchors
        assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "mkdocs.structure.pages"] == plain_log, run
        assert len(list(md_cache.rglob("*.pickle"))) == 1
    (entry,) = md_cache.rglob("*.pickle")
    kept = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps({**kept, "html": "<p>from the cache</p>"}))
    assert _render_page(tmp_path, "nguồn A")[0].content == "<p>from the cache</p>"  # a hit is a lookup
    entry.write_bytes(b"garbage")  # corrupt: converted again (and kept again)
    assert _render_page(tmp_path, "nguồn A")[1] == plain
    shutil.rmtree(md_cache)  # deleted: converted again
    assert _render_page(tmp_path, "nguồn A")[1] == plain


def test_the_conversion_cache_never_answers_for_other_inputs(md_cache, tmp_path):
    _, first = _render_page(tmp_path, "nguồn A")
    site = steps.active_site()
    site.bodies["vi"]["a.md"] = Body("a.md", body_key("nguồn A"), BODY_A.replace("Tiêu đề A", "Tiêu đề mới"))
    _, other = _render_page(tmp_path, "nguồn A")  # another rendered body (the pre-step's output changed)
    assert other["title"] == "Tiêu đề mới" and "Tiêu đề mới" in other["html"]
    site.bodies["vi"]["a.md"] = Body("a.md", body_key("nguồn A"), BODY_A)
    _, more = _render_page(tmp_path, "nguồn A", srcs=("a.md", "b.md", "thieu.md"))  # a file added: links change
    assert 'href="../thieu/"' in more["html"] and 'href="../thieu/"' not in first["html"]
    assert len(list(md_cache.rglob("*.pickle"))) == 2  # same text and settings: one name, kept with its file lookups
    assert _render_page(tmp_path, "nguồn A")[1] == first  # the first inputs again: converted again, as the first time


def test_the_conversion_cache_keeps_the_file_lookups_of_the_page(md_cache, tmp_path):
    """(suitefast3) The entry keeps what MkDocs' link step asked the build's file list (b.md found, thieu.md
    not): a build with one file more that the page does not link to (a test's copy with a page added)
    reads the entry; a build whose list answers one of those lookups differently converts again."""
    _, first = _render_page(tmp_path, "nguồn A")
    (entry,) = md_cache.rglob("*.pickle")
    kept = pickle.loads(entry.read_bytes())
    assert kept["deps"]["thieu.md"] is None and kept["deps"]["b.md"][:2] == ("b.md", "b/")
    entry.write_bytes(pickle.dumps({**kept, "html": "<p>from the cache</p>"}))
    assert _render_page(tmp_path, "nguồn A", srcs=("a.md", "b.md", "c.md"))[0].content == "<p>from the cache</p>"
    _, fewer = _render_page(tmp_path, "nguồn A", srcs=("a.md", "c.md"))  # b.md gone: a lookup differs
    assert "from the cache" not in fewer["html"] and 'href="../b/"' not in fewer["html"] and fewer["links"] == {}
    assert 'href="../b/"' in first["html"] and first["links"] == {"b.md": {"muc-b": "b.md#muc-b"}}


def test_without_mkdocs_steps_nothing_is_kept(md_cache):
    assert _md().convert("nguồn A").startswith("<h1") and not md_cache.exists()  # plain Markdown: no page context
