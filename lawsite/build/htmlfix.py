"""Post-processing of rendered HTML for accessibility and security (no MkDocs import).

- Table captions: writers put a bold line right before every table (``**Bảng 1. …**``). Markdown
  renders it as ``<p><strong>…</strong></p><table>``; it becomes the table's ``<caption>``, so
  screen readers announce it with the table. Tables left without a caption are reported.
- Tables on phones (issue 14): each table in Material's scroll box, and tables of 3 or more columns
  marked ``data-lawsite-stack`` with each body cell's column header in ``data-label`` (the CSS shows
  them as one labelled card per row on phones). Done here rather than in the browser: the first
  layout is the final one (a long table was laid out twice, and restyled, at page load).
- Content-Security-Policy: the sha256 hashes of the inline ``<script>`` elements written in the
  theme's template files (Material's bootstrap snippets and overrides/; JSON data blocks do not
  execute), never of what a finished page contains, so a script smuggled into a page is blocked
  by the browser; one policy, in a ``<meta>`` first in ``<head>`` and in a ``_headers`` file for
  hosts that read one (Netlify, Cloudflare Pages).
- Files: which files of docs/ may be published (by folder and type; no symlink, nothing that
  resolves outside the project).
"""
from __future__ import annotations

import html as _html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from lawsite.core.security import sha256_source

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


# --- tables on phones -----------------------------------------------------------------------------

STACK_MIN_COLUMNS = 3
_TABLE_BLOCK = re.compile(r"(<table\b[^>]*>)(.*?)(</table\s*>)", re.S | re.I)
_THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead\s*>", re.S | re.I)
_TBODY = re.compile(r"(<tbody\b[^>]*>)(.*?)(</tbody\s*>)", re.S | re.I)
_HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th\s*>", re.S | re.I)
_ROW = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr\s*>)", re.S | re.I)
_CELL_OPEN = re.compile(r"<(?:td|th)\b([^>]*)>", re.I)
_WRAPPED = '<div class="md-typeset__table">'


def _cell_text(fragment: str) -> str:
    return " ".join(_html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _label_row(cells: str, names: list[str]) -> str:
    k = iter(range(10**6))

    def one(m: re.Match) -> str:
        i = next(k)
        if i >= len(names) or not names[i] or re.search(r"\sdata-label\b", m.group(1)):
            return m.group(0)
        return m.group(0)[:-1] + f' data-label="{_html.escape(names[i], quote=True)}">'
    return _CELL_OPEN.sub(one, cells)


def phone_tables(html: str) -> str:
    """Material's scroll box around each table without a class (the markup its bundle would add at
    run time), and tables with 3 or more header columns marked for the phone cards (see the module's
    docstring). Idempotent."""
    def one(m: re.Match) -> str:
        open_, body, close = m.groups()
        head = _THEAD.search(body)
        names = [_cell_text(c) for c in _HEAD_CELL.findall(head.group(1))] if head else []
        if len(names) >= STACK_MIN_COLUMNS and "data-lawsite-stack" not in open_:
            open_ = open_[:-1] + " data-lawsite-stack>"
            body = _TBODY.sub(lambda b: b.group(1) + _ROW.sub(
                lambda r: r.group(1) + _label_row(r.group(2), names) + r.group(3), b.group(2)) + b.group(3), body)
        table = open_ + body + close
        if re.search(r"\sclass\s*=", open_) or html.endswith(_WRAPPED, 0, m.start()):
            return table
        return f'<div class="md-typeset__scrollwrap">{_WRAPPED}{table}</div></div>'
    return _TABLE_BLOCK.sub(one, html)


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


def theme_script_hashes(template_dirs: Iterable[Path], render: Callable[[str], list[str]] | None = None) -> set[str]:
    """The hashes of the inline scripts written in the theme's template files (the theme's and
    overrides/): the only inline scripts the policy allows. A script whose text holds template
    expressions is hashed as ``render`` renders it (one text per base URL, see hooks/quality.py);
    without ``render`` such scripts are left out."""
    out: set[str] = set()
    for d in template_dirs:
        d = Path(d)
        if not d.is_dir():
            continue
        for p in sorted(d.rglob("*.html")):
            if p.is_symlink():
                continue
            for body in executing_inline_scripts(p.read_text("utf-8", errors="replace")):
                if "{{" in body or "{%" in body:
                    texts = render(body) if render else []
                else:
                    texts = [body]
                out |= {sha256_source(t) for t in texts}
    return out


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
_CHARSET = re.compile(r"\s*<meta\s+charset=\"?[\w-]+\"?\s*/?>", re.I)
_META_CSP = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*" data-lawsite-csp>', re.I)


def inject_csp(html: str, hashes: Iterable[str]) -> str:
    """Insert (or replace) the CSP <meta> as the first element of <head>, after only the
    ``<meta charset>`` when that opens the head (browsers look for the charset in the first 1,024
    bytes, and the policy is longer than that; Lighthouse's `charset` audit). ``hashes``: the
    theme's (theme_script_hashes), the same for every page and for `_headers`."""
    if "data-lawsite-csp" in html:  # (the sub scans the whole page slowly: only when there is one)
        html = _META_CSP.sub("", html)
    m = _HEAD.search(html)
    if not m:
        return html
    charset = _CHARSET.match(html, m.end())
    if charset:
        m = charset
    value = _html.escape(policy(hashes), quote=False).replace('"', "&quot;")
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{value}" data-lawsite-csp>'
    return html[:m.end()] + meta + html[m.end():]


_META_VALUE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" data-lawsite-csp>')


def hashes_in_file(path: Path) -> set[str]:
    m = _META_VALUE.search(path.read_text("utf-8", errors="replace"))
    return set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", _html.unescape(m.group(1)))) if m else set()


def headers_file(hashes: Iterable[str]) -> str:
    """A `_headers` file (Netlify / Cloudflare Pages format): the same policy as every page's meta."""
    return ("/*\n"
            f"  Content-Security-Policy: {policy(hashes, header=True)}\n"
            "  Referrer-Policy: strict-origin-when-cross-origin\n"
            "  X-Content-Type-Options: nosniff\n"
            "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n")


# --- which files of docs/ are published ---------------------------------------------------------

# by folder: the file types each may hold (anything else in docs/ is refused and not published)
PUBLISHED = {
    "": (".md",),
    "assets/stylesheets": (".css",),
    "assets/javascripts": (".js",),
    "assets/images": (".svg", ".png", ".jpg", ".jpeg", ".webp", ".ico", ".gif"),
    "assets/fonts": (".woff2", ".woff"),
}
TOP_LEVEL_FILES = ("robots.txt",)
_SVG_ACTIVE = re.compile(r"<\s*(script|foreignobject|iframe|embed|object|handler|set|animate)\b|\bon[a-z]+\s*=|"
                         r"javascript:|data:text/html|(?:xlink:)?href\s*=\s*[\"']?\s*(?:https?:)?//", re.I)


@dataclass
class FileProblem:
    rel: str     # docs-relative path
    code: str    # message code (lawsite/messages)
    detail: str
    line: int = 1


def docs_file_problem_for(docs: Path, root: Path, rel: str) -> FileProblem | None:
    """Why docs/<rel> may not be published (None: it may)."""
    p = Path(docs) / rel
    parts = Path(rel).parts
    for i in range(1, len(parts) + 1):  # a symlink anywhere on the way (file or folder)
        if (Path(docs).joinpath(*parts[:i])).is_symlink():
            return FileProblem(rel, "file_symlink", "/".join(parts[:i]))
    try:
        real = p.resolve()
        real.relative_to(Path(root).resolve())
    except (ValueError, OSError, RuntimeError):
        return FileProblem(rel, "file_symlink", rel)
    folder = "/".join(parts[:-1])
    name = parts[-1]
    if rel in TOP_LEVEL_FILES:
        return None
    if folder.startswith("assets/") or folder == "assets":
        allowed = next((v for k, v in PUBLISHED.items() if k and (folder == k)), None)
        if allowed is None or not name.endswith(allowed):  # case-sensitive: .SVG, .JS are refused
            return FileProblem(rel, "file_not_published", _kinds(folder))
    elif not name.endswith(".md"):
        return FileProblem(rel, "file_not_published", _kinds(folder))
    if name.endswith(".svg"):
        try:
            text = p.read_text("utf-8", errors="replace")
        except OSError:
            text = ""
        m = _SVG_ACTIVE.search(text)
        if m:
            return FileProblem(rel, "file_svg_active", m.group(0)[:40], text.count("\n", 0, m.start()) + 1)
    return None


def _kinds(folder: str) -> str:
    return "; ".join(f"{k or 'docs'}/: {' '.join(v)}" for k, v in PUBLISHED.items())


def docs_symlinks(docs: Path) -> list[tuple[str, str]]:
    """Every symbolic link under docs/ (files and folders, links not followed): (path, target)."""
    out = []
    docs = Path(docs)
    if docs.is_symlink():
        return [(".", os.readlink(docs))]
    for dirpath, dirnames, filenames in os.walk(docs, followlinks=False):
        base = Path(dirpath)
        for n in dirnames + filenames:
            p = base / n
            if p.is_symlink():
                out.append((p.relative_to(docs).as_posix(), os.readlink(p)))
    return sorted(out)


def docs_file_problems(docs: Path, root: Path) -> list[FileProblem]:
    """Every file (and symlink) under docs/ that may not be published, symlinks not followed."""
    out = []
    docs = Path(docs)
    for dirpath, dirnames, filenames in os.walk(docs, followlinks=False):
        base = Path(dirpath)
        for d in list(dirnames):
            if (base / d).is_symlink():
                rel = (base / d).relative_to(docs).as_posix()
                out.append(FileProblem(rel, "file_symlink", rel))
                dirnames.remove(d)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in filenames:
            if f.startswith("."):
                continue
            rel = (base / f).relative_to(docs).as_posix()
            pr = docs_file_problem_for(docs, root, rel)
            if pr:
                out.append(pr)
    return sorted(out, key=lambda x: x.rel)


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
