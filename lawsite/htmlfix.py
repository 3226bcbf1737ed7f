"""Post-processing of rendered HTML for accessibility and security (no MkDocs import).

- Table captions: writers put a bold line right before every table (``**Bảng 1. …**``). Markdown
  renders it as ``<p><strong>…</strong></p><table>``; it becomes the table's ``<caption>``, so
  screen readers announce it with the table. Tables left without a caption are reported.
- Content-Security-Policy: the sha256 hashes of the inline ``<script>`` elements that execute
  (Material's bootstrap snippets; JSON data blocks do not execute), a policy built from them, its
  ``<meta>`` tag injected as the first element of ``<head>``, and a ``_headers`` file for hosts
  that read one (Netlify, Cloudflare Pages).
"""
from __future__ import annotations

import base64
import hashlib
import html as _html
import re
from pathlib import Path
from typing import Iterable

# a paragraph holding only one <strong> element, then (whitespace) a <table>
_CAPTIONED = re.compile(
    r"<p>\s*<strong>(?P<cap>(?:(?!</?strong\b|</p>).)+)</strong>\s*</p>\s*(?P<table><table\b[^>]*>)", re.S)
_TABLE = re.compile(r"<table\b[^>]*>", re.I)
_CAPTION_AFTER = re.compile(r"\s*<caption\b", re.I)


def caption_tables(html: str) -> str:
    """Turn a bold-only paragraph immediately before a table into that table's caption."""
    return _CAPTIONED.sub(lambda m: f'{m.group("table")}\n<caption>{m.group("cap").strip()}</caption>', html)


def uncaptioned_tables(html: str) -> list[str]:
    """The text of the first header row of every table that has no <caption> (to name it in a warning)."""
    out = []
    for m in _TABLE.finditer(html):
        if _CAPTION_AFTER.match(html, m.end()):
            continue
        head = re.search(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", html[m.end():m.end() + 4000], re.S)
        first = _html.unescape(re.sub(r"<[^>]+>", "", head.group(1))).strip() if head else ""
        out.append(first or "?")
    return out


# --- Content-Security-Policy -------------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
# types a browser executes as script (https://html.spec.whatwg.org/#javascript-mime-type)
_JS_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
             "text/ecmascript", "application/x-javascript", "text/jscript", "text/livescript"}
META_NAME = "lawsite-csp"


def executing_inline_scripts(html: str) -> list[str]:
    """Bodies of inline <script> elements the browser would run (no src, JavaScript type)."""
    out = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if _SRC.search(attrs):
            continue
        t = _TYPE.search(attrs)
        typ = next((g for g in t.groups() if g is not None), "") if t else ""
        if typ.strip().lower() not in _JS_TYPES:
            continue  # application/json, application/ld+json: data, not code
        out.append(m.group("body"))
    return out


def sha256_source(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def script_hashes(html: str) -> list[str]:
    return sorted({sha256_source(b) for b in executing_inline_scripts(html)})


def policy(hashes: Iterable[str], *, header: bool = False) -> str:
    """The site's policy. Styles: Material sets inline style attributes from its JavaScript (and
    tooltips/Pagefind add inline styles), so style-src needs 'unsafe-inline'; scripts never do."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *sorted(set(hashes)), "'wasm-unsafe-eval'"]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if header:  # ignored (with a console warning) when delivered in a <meta> element
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_META_CSP = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*" data-lawsite-csp>', re.I)


def inject_csp(html: str) -> str:
    """Insert (or replace) the CSP <meta> as the first element of <head>."""
    if "data-lawsite-csp" in html:  # (the sub scans the whole page slowly: only when there is one)
        html = _META_CSP.sub("", html)
    m = _HEAD.search(html)
    if not m:
        return html
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{_html.escape(policy(script_hashes(html)), quote=False)}" data-lawsite-csp>'
    return html[:m.end()] + meta + html[m.end():]


_META_VALUE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" data-lawsite-csp>')


def hashes_in_file(path: Path) -> set[str]:
    m = _META_VALUE.search(path.read_text("utf-8", errors="replace"))
    return set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", _html.unescape(m.group(1)))) if m else set()


def headers_file(site_dir: Path) -> str:
    """A `_headers` file (Netlify / Cloudflare Pages format): one policy with every page's hashes."""
    hashes: set[str] = set()
    for p in sorted(site_dir.rglob("*.html")):
        hashes |= hashes_in_file(p)
    return ("/*\n"
            f"  Content-Security-Policy: {policy(hashes, header=True)}\n"
            "  Referrer-Policy: strict-origin-when-cross-origin\n"
            "  X-Content-Type-Options: nosniff\n"
            "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n")


# --- sitemap dates from the content -----------------------------------------------------------

_SITEMAP_URL = re.compile(r"(<loc>)([^<]+)(</loc>\s*<lastmod>)([^<]*)(</lastmod>)")


def fix_sitemap(xml: str, dates: dict[str, str]) -> str:
    """Set each <lastmod> to the page's reviewed date (``dates``: URL -> YYYY-MM-DD); drop it when
    the page has none, so the build clock never leaks into the sitemap."""
    def sub(m):
        d = dates.get(_html.unescape(m.group(2)))
        if d:
            return m.group(1) + m.group(2) + m.group(3) + d + m.group(5)
        return m.group(1) + m.group(2) + "</loc>"
    return _SITEMAP_URL.sub(sub, xml)


def write_sitemap_gz(site_dir: Path) -> None:
    """sitemap.xml.gz with a fixed header time (0), so it depends only on sitemap.xml."""
    import gzip

    src = site_dir / "sitemap.xml"
    with open(site_dir / "sitemap.xml.gz", "wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(src.read_bytes())
