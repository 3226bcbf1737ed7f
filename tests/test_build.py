"""Foundation: the site builds strictly in both languages, fallbacks are visible, front-matter
errors name the file, nothing is requested from a third-party host."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, copy_project, mkdocs_build

SITE_HOST = "example.gov.vn"  # site_url in mkdocs.yml


def html_lang(path: Path) -> str:
    m = re.search(r'<html lang="([^"]+)"', path.read_text("utf-8"))
    return m.group(1) if m else ""


def test_both_languages_exist(built_site):
    assert html_lang(built_site / "index.html") == "vi"
    assert html_lang(built_site / "en" / "index.html") == "en"
    assert html_lang(built_site / "404.html") == "vi"
    assert html_lang(built_site / "en" / "404.html") == "en"
    assert "Không tìm thấy trang" in (built_site / "404.html").read_text("utf-8")
    assert "Page not found" in (built_site / "en" / "404.html").read_text("utf-8")


def _vi_pages():
    for p in sorted((ROOT / "docs").rglob("*.md")):
        if not p.name.endswith(".en.md"):
            yield p.relative_to(ROOT / "docs").as_posix()


def _out(src: str) -> str:
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] + "index.html"
    return stem + "/index.html"


def test_every_vietnamese_page_has_english_or_visible_fallback(built_site):
    checked = 0
    for src in _vi_pages():
        vi = built_site / _out(src)
        en = built_site / "en" / _out(src)
        assert vi.is_file(), f"{src}: not built"
        assert en.is_file(), f"{src}: no English URL"
        html = en.read_text("utf-8")
        has_translation = (ROOT / "docs" / (src[:-3] + ".en.md")).is_file()
        if has_translation:
            assert 'lang="vi"' not in html.split("<article", 1)[-1][:400], f"{src}: translated page marked vi"
        else:
            assert "This page is not yet available in English" in html, f"{src}: fallback without notice"
            assert '<div lang="vi">' in html, f"{src}: fallback content not marked lang=vi"
        checked += 1
    assert checked >= 10


def test_head_metadata(built_site):
    html = (built_site / "en" / "cong-dan" / "ho-chieu" / "index.html").read_text("utf-8")
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:locale:alternate" content="vi_VN">' in html
    assert 'hreflang="vi"' in html and 'hreflang="en"' in html and 'hreflang="x-default"' in html
    assert '<link rel="canonical" href="https://example.gov.vn/en/cong-dan/ho-chieu/">' in html
    assert re.search(r'<meta property="og:image" content="[^"]+og-image\.png">', html)
    assert (built_site / "assets" / "images" / "og-image.png").is_file()
    assert "Last reviewed" in html
    vi = (built_site / "cong-dan" / "ho-chieu" / "index.html").read_text("utf-8")
    assert '<meta property="og:locale" content="vi_VN">' in vi and "Cập nhật lần cuối" in vi
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    assert 'hreflang="en"' in sitemap and 'hreflang="vi"' in sitemap


class _Refs(HTMLParser):
    """Collect URLs that make the browser send a request (not plain hyperlinks)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "track") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and (a.get("rel") or "") not in ("alternate", "canonical", "prev", "next"):
            self.urls.append(a["href"])
        if tag == "img" and a.get("srcset"):
            self.urls += [s.split()[0] for s in a["srcset"].split(",")]
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def test_no_third_party_references_in_built_files(built_site):
    offenders = []
    for p in built_site.rglob("*.html"):
        r = _Refs()
        r.feed(p.read_text("utf-8"))
        for u in r.urls:
            host = urlparse(u).hostname
            if host and host != SITE_HOST:
                offenders.append(f"{p.relative_to(built_site)}: {u}")
        for m in re.finditer(r"@import\s+url\(|url\((['\"]?)(https?:)?//", p.read_text("utf-8")):
            offenders.append(f"{p.relative_to(built_site)}: {m.group(0)}")
    for p in list(built_site.rglob("*.css")):
        for m in re.finditer(r"url\((['\"]?)(https?:)?//([^)'\"]+)", p.read_text("utf-8", "replace")):
            offenders.append(f"{p.relative_to(built_site)}: {m.group(0)}")
    assert not offenders, "third-party references:\n" + "\n".join(offenders[:20])
    assert not list(built_site.rglob("*fonts.googleapis*"))


@pytest.fixture(scope="module")
def broken_front_matters(tmp_path_factory):
    """ONE strict build of one copy with two broken front matters in two files (a YAML error in
    cong-dan/ho-chieu.md, a missing key in cong-dan/ho-chieu.en.md): each test looks for the message
    naming its own file, so neither can pass on the other's message."""
    tmp = tmp_path_factory.mktemp("front-matter")
    proj = copy_project(tmp / "p")
    page = proj / "docs" / "cong-dan" / "ho-chieu.md"
    page.write_text(page.read_text("utf-8").replace("last_reviewed:", "last_reviewed: [", 1), "utf-8")
    page = proj / "docs" / "cong-dan" / "ho-chieu.en.md"
    page.write_text(re.sub(r"^description:.*\n", "", page.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    proc = mkdocs_build(proj, tmp / "out")
    proc.out = tmp / "out"
    return proc


@pytest.mark.slow
@pytest.mark.xdist_group("build-front-matter")
def test_front_matter_error_names_the_file(broken_front_matters):
    proc = broken_front_matters
    assert proc.returncode != 0
    assert any("docs/cong-dan/ho-chieu.md:" in l for l in proc.stderr.splitlines() if l.startswith(("ERROR", "WARNING"))), proc.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.xdist_group("build-front-matter")
def test_missing_front_matter_key_fails_strict_build(broken_front_matters):
    proc = broken_front_matters
    assert proc.returncode != 0
    assert any("docs/cong-dan/ho-chieu.en.md:1:1:" in l and "description" in l for l in proc.stderr.splitlines()), proc.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.xdist_group("build-front-matter")
def test_strict_build_stops_before_rendering_and_names_every_error(broken_front_matters):
    """A page error stops the strict build after the pre-build step (lawsite/build/steps.py Site._stop):
    nothing is rendered, the last line says why, and the errors of BOTH language builds are named (the
    English page's error although the Vietnamese build is the one that stopped), each as an ERROR line."""
    from lawsite.core.findings import Finding

    proc = broken_front_matters
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert not (proc.out / "index.html").exists() and not (proc.out / "en").exists()
    stop = Finding("mkdocs.yml", 1, 1, "error", "build_stopped", {"errors": 2}).message("vi").split(":")[0]
    assert stop in proc.stderr, proc.stderr[-2000:]
    errors = [l for l in proc.stderr.splitlines() if l.startswith("ERROR") and "docs/cong-dan/ho-chieu" in l]
    assert any("ho-chieu.md:" in l for l in errors) and any("ho-chieu.en.md:1:1:" in l for l in errors), errors


def test_procedure_pages_render_card_and_intact_body(built_site):
    """The card comes first, and the body's opening words survive rendering (a regression once
    overwrote them with the card's legal-basis links)."""
    import html as _html

    from lawsite.core.text import split_front_matter

    pages = [p for p in (ROOT / "docs").rglob("*.md") if "\nprocedure:" in p.read_text("utf-8")]
    assert len(pages) >= 4
    for p in pages:
        src = p.relative_to(ROOT / "docs").as_posix()
        en = src.endswith(".en.md")
        out = built_site / ("en/" if en else "") / _out(src.replace(".en.md", ".md"))
        text = _html.unescape(re.sub(r"<[^>]+>", "", out.read_text("utf-8")))
        _, body, _ = split_front_matter(p.read_text("utf-8"))
        first = next(l for l in body.splitlines() if l.strip() and not l.startswith(("#", "!!!", "<", "{", "|", "-", "*")))
        words = re.sub(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?", r"\1", first)
        words = re.sub(r"[*_`]|\{\{[^}]*\}\}", "", words).split()[:6]
        assert " ".join(words) in re.sub(r"\s+", " ", text), f"{src}: body start '{' '.join(words)}' missing"
        assert "procedure-card" in out.read_text("utf-8"), f"{src}: no procedure card"
