"""Active content in contributed Markdown is refused: the source scan (lawsite check, file:line:col)
and the scan of the rendered HTML (build). Includes the usual bypasses: case, whitespace, entities,
reference-style links, autolinks, attribute lists, slash-separated attributes, code-span tricks."""
from __future__ import annotations

import pytest

from lawsite.core.security import mask_code, scan_html, scan_markup

BAD = [
    ("script", "Xem <script>alert(1)</script> nhé", "<script>"),
    ("script-upper", "<SCRIPT SRC=//x.example/a.js></SCRIPT>", "<script>"),
    ("script-space", "< script>alert(1)</script>", "<script>"),
    ("script-slash", "<script/src=x>", "<script>"),
    ("iframe", '<iframe src="https://x.example"></iframe>', "<iframe>"),
    ("object", '<object data="x.swf"></object>', "<object>"),
    ("embed", '<embed src="x.swf">', "<embed>"),
    ("style", "<style>body{display:none}</style>", "<style>"),
    ("style-upper", "<StYlE>p{}</StYlE>", "<style>"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://x.example">', "<meta>"),
    ("base", '<base href="https://x.example/">', "<base>"),
    ("form", '<form action="https://x.example"><input></form>', "<form>"),
    ("svg-onload", "<svg/onload=alert(1)>", "onload="),
    ("img-onerror", '<img src="x" onerror="alert(1)">', "onerror="),
    ("img-onerror-upper", "<IMG SRC=x ONERROR=alert(1)>", "onerror="),
    ("event-after-quote", '<img src="x"onerror=alert(1)>', "onerror="),
    ("event-slash", "<img/onerror=alert(1) src=x>", "onerror="),
    ("event-gt-in-value", '<img alt=">" onerror=alert(1)>', "onerror="),
    ("event-newline", '<a href="#"\nonclick="alert(1)">x</a>', "onclick="),
    ("attr-list-event", '[bấm](#x){: onclick="alert(1)" }', "onclick="),
    ("md-link-js", "[bấm](javascript:alert(1))", "javascript: URL"),
    ("md-link-js-upper", "[bấm](JaVaScRiPt:alert(1))", "javascript: URL"),
    ("md-link-js-angle", "[bấm](<javascript:alert(1)>)", "javascript: URL"),
    ("md-link-js-entity-dec", "[bấm](&#106;avascript:alert(1))", "javascript: URL"),
    ("md-link-js-entity-hex", "[bấm](&#x6A;&#x61;vascript:alert(1))", "javascript: URL"),
    ("md-link-js-tab-entity", "[bấm](java&#x09;script:alert(1))", "javascript: URL"),
    ("md-link-js-colon-entity", "[bấm](javascript&colon;alert(1))", "javascript: URL"),
    ("md-link-js-leading-space", "[bấm](   javascript:alert(1))", "javascript: URL"),
    ("md-image-data", "![ảnh](data:image/svg+xml;base64,PHN2Zz4=)", "data: URL"),
    ("md-link-vbscript", "[x](vbscript:msgbox(1))", "vbscript: URL"),
    ("ref-def", "[bấm][1]\n\n[1]: javascript:alert(1)", "javascript: URL"),
    ("ref-def-indented", "[bấm][1]\n\n   [1]: <JAVASCRIPT:alert(1)>", "javascript: URL"),
    ("ref-def-entity", "[bấm][a]\n\n[a]: &#106;avascript:alert(1)", "javascript: URL"),
    ("ref-def-in-quote", "> [bấm][q]\n>\n> [q]: javascript:alert(1)", "javascript: URL"),
    ("autolink", "<javascript:alert(1)>", "javascript: URL"),
    ("html-href-js", '<a href="javascript:alert(1)">x</a>', "javascript: URL"),
    ("html-href-js-newline", '<a href="java\nscript:alert(1)">x</a>', "javascript: URL"),
    ("html-href-js-entity", '<a href="&#x6a;avascript:alert(1)">x</a>', "javascript: URL"),
    ("html-src-data", '<img src="data:text/html,<b>x</b>">', "data: URL"),
    ("html-formaction", '<button formaction="javascript:alert(1)">x</button>', "javascript: URL"),
    ("attr-list-href", '[x](#a){: href="javascript:alert(1)" }', "javascript: URL"),
    ("comment-does-not-hide", "<!-- ghi chú --><script>alert(1)</script>", "<script>"),
    ("fake-fence-opener", "``` a ` b\n<script>alert(1)</script>\n```\n", "<script>"),
    ("inline-code-across-paragraphs", "Dấu ` mở\n\n<script>alert(1)</script>\n\nvà ` đóng", "<script>"),
]

GOOD = [
    ("prose", "Công dân nộp hồ sơ online tại Cổng dịch vụ công; lệ phí theo quy định."),
    ("code-span", "Không dùng `<script>` hay `onclick=` trong trang."),
    ("fenced-code", "```html\n<script>alert(1)</script>\n```"),
    ("https-link", "[Cổng dịch vụ công](https://dichvucong.gov.vn/)"),
    ("relative-link", "[Điều 15](../van-ban/luat-49-2019-qh14.md#dieu-15)"),
    ("mailto", "<mailto:lienhe@example.gov.vn>"),
    ("word-data", "Dữ liệu (data): thông tin cá nhân được bảo vệ."),
    ("word-javascript", "Trang web chạy được cả khi tắt JavaScript: nội dung vẫn đọc được."),
    ("attr-list-class", "## Lệ phí {#le-phi .important}"),
    ("kbd", "<kbd>Tab</kbd> rồi <kbd>Enter</kbd>"),
]


@pytest.mark.parametrize("name,text,what", BAD, ids=[b[0] for b in BAD])
def test_source_scan_refuses(name, text, what):
    found = [w for _, w in scan_markup(text)]
    assert what in found, f"{name}: {found}"


@pytest.mark.parametrize("name,text", GOOD, ids=[g[0] for g in GOOD])
def test_source_scan_allows(name, text):
    assert scan_markup(text) == []


def test_offsets_point_at_the_construct():
    body = "Dòng một\n\nDòng hai <iframe src=x>"
    [(off, what)] = scan_markup(body)
    assert what == "<iframe>" and body[off:off + 7] == "<iframe"


def test_code_masking_keeps_offsets():
    text = "a `<script>` b\n```\n<style>\n```\n"
    assert len(mask_code(text)) == len(text) and "<script>" not in mask_code(text)


def _render(md: str) -> str:
    import markdown

    return markdown.markdown(md, extensions=["attr_list", "md_in_html", "pymdownx.superfences"])


def _obviously_active(html: str) -> bool:
    """An independent (regex) oracle: markup that a browser would run or that changes the page."""
    import html as h
    import re

    if re.search(r"<(script|iframe|object|embed|style|meta|base|form|svg)\b", html, re.I):
        return True
    if re.search(r"<[a-z][^>]*[\s/\"']on[a-z]+\s*=", html, re.I):
        return True
    for u in re.findall(r"""(?:href|src|formaction)\s*=\s*["']([^"']*)["']""", html, re.I):
        if re.sub(r"[\x00-\x20]", "", h.unescape(u)).lower().startswith(("javascript:", "vbscript:", "data:")):
            return True
    return False


@pytest.mark.parametrize("name,text,what", BAD, ids=[b[0] for b in BAD])
def test_rendered_scan_refuses_what_reaches_the_browser(name, text, what):
    """Whatever Markdown turns the bad input into, nothing active survives unnoticed."""
    html = _render(text)
    assert scan_html(html) or not _obviously_active(html), f"{name}: {html!r}"


def test_rendered_scan_is_not_vacuous():
    caught = [name for name, text, _ in BAD if scan_html(_render(text))]
    assert len(caught) >= len(BAD) * 2 // 3, caught


def test_rendered_scan_catches_a_fence_markdown_does_not_treat_as_code():
    md = "- item\n\n        ```\n<script>alert(1)</script>\n```\n"
    assert scan_markup(md) == []  # the source scan believes this is code…
    assert "<script>" in scan_html(_render(md))  # …but Markdown passes the HTML block through


@pytest.mark.parametrize("name,text", GOOD, ids=[g[0] for g in GOOD])
def test_rendered_scan_allows(name, text):
    assert scan_html(_render(text)) == []


def test_process_page_reports_file_line_col(tmp_path):
    from lawsite.page.process import process_page
    from lawsite.project.loader import load_project

    project = load_project()
    raw = ("---\ntitle: T\ndescription: D\nlast_reviewed: 2026-11-01\n---\n\nĐoạn một.\n\n"
           "[bấm](&#106;avascript:alert(1))\n").encode()
    res = process_page(project, "docs/x.md", raw, lang="vi")
    sec = [f for f in res.findings if f.code == "sec_forbidden"]
    assert [(f.line, f.col, f.severity) for f in sec] == [(9, 7, "error")]
    assert "javascript" in sec[0].message("en")


# --- dependencies pinned with hashes ----------------------------------------------------------

def _pins(path) -> dict[str, str]:
    import re

    out = {}
    for line in path.read_text("utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if m:
            out[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return out


def test_lock_and_constraints_agree_and_satisfy_pyproject():
    import re
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement

    root = Path(__file__).resolve().parents[1]
    lock_text = (root / "requirements.lock").read_text("utf-8")
    lock, cons = _pins(root / "requirements.lock"), _pins(root / "constraints.txt")
    assert lock == cons, f"requirements.lock and constraints.txt differ: {set(lock.items()) ^ set(cons.items())}"
    # every locked package carries at least one sha256 hash
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock_text.split("\n\n", 1)[-1])
    unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
    assert not unhashed, unhashed
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    problems = []
    for r in map(Requirement, reqs):
        name = re.sub(r"[-_.]+", "-", r.name).lower()
        if name not in lock:
            problems.append(f"{r.name}: not pinned")
        elif not r.specifier.contains(lock[name], prereleases=True):
            problems.append(f"{r.name}: pinned {lock[name]} does not satisfy {r.specifier}")
    assert not problems, problems


# --- the allow-list sanitiser: fuzzed -------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402 (section of the file)
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["<script>", "</script>", "<!-->", "<!--", "-->", "--!>", "<img src=x onerror=alert(1)>", "<svg onload=1>",
           "<a href=\"javascript:alert(1)\">", "<a href=\"java&#x09;script:x\">", "</a>", "<div style=\"position:fixed\">",
           "</div>", "<plaintext>", "<dialog open>", "<textarea>", "<math><mtext><table><mglyph><style>", "<noscript>",
           "<template>", "<p title=\"</noscript><img src=x onerror=1>\">", "<![CDATA[", "]]>", "<? x ?>", "<",
           ">", "\"", "'", "&", "&lt;", "\u202e", "\x00", "`", "```", "<b>", "</b>", "<a href=\"https://example.com/\">",
           "<code>", "<iframe>", "<base href=//x>", "<input type=text>", "<span class=\"md-dialog\">", "x", " ", "\n"]


def _assert_safe(html: str):
    """An independent check of the sanitised output, parsed again by the HTML5 parser."""
    from justhtml import JustHTML

    from lawsite.core.security import ALLOWED_TAGS, url_ok

    doc = JustHTML(html, fragment=True, sanitize=False)
    stack = [doc.root]
    while stack:
        n = stack.pop()
        stack.extend(getattr(n, "children", None) or [])
        if getattr(n, "template_content", None) is not None:
            stack.append(n.template_content)
        name = getattr(n, "name", "")
        if not name or name.startswith("#"):
            continue
        assert name in ALLOWED_TAGS, name
        for a, v in (getattr(n, "attrs", None) or {}).items():
            assert not a.startswith("on") and a not in ("style", "srcdoc", "formaction"), a
            if a in ("href", "src"):
                assert url_ok(v or ""), v
            if a == "class":
                assert not any(c.startswith("md-") for c in (v or "").split()), v
    assert "\u202e" not in html and "\x00" not in html


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_sanitiser_output_is_safe_for_any_mix(html):
    from lawsite.core.security import sanitize

    out, removed = sanitize(html)  # never raises
    _assert_safe(out)
    if out == html:  # returned unchanged only when nothing had to go
        assert not removed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sanitiser_never_raises_on_any_text(text):
    from lawsite.core.security import sanitize, scan_markup

    out, _ = sanitize(text)
    _assert_safe(out)
    scan_markup(text)


# --- check_page on a finished page: a <meta http-equiv> is refused whatever else it carries -----------
_PAGE = '<!doctype html><html><head><meta charset="utf-8">{}</head><body><p>x</p></body></html>'


@pytest.mark.parametrize("meta", [
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<meta name="viewport" http-equiv="refresh" content="0;url=https://evil.example/">',  # a name= does not stop it
    '<meta property="og:x" http-equiv="Set-Cookie" content="a=b">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/" data-lawsite-csp>',  # the marker alone
])
def test_a_meta_http_equiv_in_a_finished_page_is_refused(meta):
    from lawsite.core.security import check_page

    assert [w for w, _ in check_page(_PAGE.format(meta), set())] == ["<meta http-equiv>"]


def test_our_own_csp_meta_and_plain_metas_pass():
    from lawsite.core.security import check_page

    ok = ('<meta name="viewport" content="width=device-width">'
          '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'" data-lawsite-csp>')
    assert check_page(_PAGE.format(ok), set()) == []
