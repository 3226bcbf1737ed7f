"""Page weight of the first view of each page template, as a browser fetches it from a gzip-serving
local server (HTML + CSS + JS + fonts + images, compressed bytes on the wire), and the number of
requests to any host other than 127.0.0.1 (must be 0). Prints a table; --write puts it into
BENCHMARKS.md.

    .venv/bin/python bench/page_weight.py [--site DIR] [--write]

Without --site, the site is built (non-strict, SOURCE_DATE_EPOCH fixed) into a temporary folder.
Target (issue 14): <= 70 KB for every page template.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TARGET_KB = 70
TEMPLATES = [
    ("home", ""), ("home (en)", "en/"),
    ("section index", "cong-dan/"), ("procedure page", "cong-dan/cap-ho-chieu-trong-nuoc/"),
    ("procedure page (en)", "en/cong-dan/cap-ho-chieu-trong-nuoc/"),
    ("penalties table", "vi-pham/bang-muc-phat/"), ("Q&A", "hoi-dap/ho-chieu/"),
    ("glossary", "thuat-ngu/"), ("legal document", "van-ban/nghi-dinh-282-2025-nd-cp/"),
    ("news item", "tin-tuc/2025-12-15-nghi-dinh-282-co-hieu-luc/"), ("404", "404.html"), ("404 (en)", "en/404.html"),
    # the answer tools (issue 15: the page-weight bar holds on them too)
    ("overstay tool", "cong-cu/qua-han-tam-tru/"), ("visa tool", "cong-cu/thi-thuc/"), ("penalty tool (en)", "en/cong-cu/muc-phat/"),
]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".mjs", ".pf_meta", ".pf_fragment", ".pf_index"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 6, like common servers) when the client accepts it."""

    def log_message(self, *a):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            path = Path(self.directory) / "404.html"
            code = 404
        else:
            code = 200
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        headers = {"Content-Type": ctype, "Cache-Control": "no-store"}
        if path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            headers["Content-Encoding"] = "gzip"
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that closed early (Lighthouse does)
            super().handle_error(request, client_address)


def serve(site: Path):
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def build(dest: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796083200", "LAWSITE_TODAY": "2026-12-01", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(dest)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit("build failed:\n" + proc.stderr[-3000:])


def measure(site: Path, browser=None) -> list[dict]:
    """One row per template. ``browser``: a Playwright browser already running (the tests' own),
    else one is started here."""
    if browser is not None:
        return _measure(site, browser)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            return _measure(site, b)
        finally:
            b.close()


LANES = 3  # pages loading at once (their network-idle waits overlap; the bytes do not depend on it)


def _measure(site: Path, browser) -> list[dict]:
    """Each template's first view with nothing cached: one context (360 px phone), LANES pages in it with
    the HTTP and memory caches switched off (DevTools Network.setCacheDisabled: every resource comes over
    the wire, as in a new browser), each navigated from template to template. (A new context per
    template gave the same bytes and requests for twice the CPU: a new renderer and its start each time.)"""
    httpd, base = serve(site)
    rows: dict[str, dict] = {}
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2)
    try:
        lanes = []
        for _ in range(LANES):
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            seen: dict[str, list] = {"responses": [], "foreign": []}
            page.on("request", lambda r, seen=seen: seen["foreign"].append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
            page.on("requestfinished", lambda r, seen=seen: seen["responses"].append(r))
            lanes.append((page, seen))
        todo = []
        for name, path in TEMPLATES:
            if not (site / (path or "index.html")).exists() and not (site / path / "index.html").exists():
                rows[name] = {"name": name, "path": path, "missing": True}
            else:
                todo.append((name, path))
        while todo:
            batch, todo = todo[:LANES], todo[LANES:]
            for (name, path), (page, seen) in zip(batch, lanes):
                page.goto("about:blank")
                seen["responses"].clear()
                seen["foreign"].clear()
                page.goto(base + path, wait_until="commit")
            for (name, path), (page, seen) in zip(batch, lanes):
                page.wait_for_load_state("networkidle")
                page.wait_for_function("() => document.documentElement.dataset.lawsiteReady === '1'")  # ui.js (and a tool's script) ran
                page.wait_for_load_state("networkidle")
                by_kind: dict[str, int] = {}
                total = 0
                for r in seen["responses"]:
                    s = r.sizes()
                    size = s["responseBodySize"] + s["responseHeadersSize"]
                    ext = Path(urlsplit(r.url).path).suffix or ".html"
                    kind = {".css": "css", ".js": "js", ".mjs": "js", ".woff2": "font", ".woff": "font", ".svg": "img",
                            ".png": "img", ".jpg": "img", ".webp": "img", ".ico": "img"}.get(ext, "html" if ext in (".html", "") else "other")
                    by_kind[kind] = by_kind.get(kind, 0) + size
                    total += size
                rows[name] = {"name": name, "path": path, "requests": len(seen["responses"]), "total": total, "kinds": by_kind,
                              "foreign": sorted(set(seen["foreign"]))}
    finally:
        ctx.close()
        httpd.shutdown()
    return [rows[name] for name, _ in TEMPLATES]


def table(rows: list[dict]) -> str:
    out = ["| Template | Path | Requests | HTML | CSS | JS | Images | Other | Total (KB, gzip) | ≤ 70 KB | Other hosts |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|:--:|---:|"]
    kb = lambda n: f"{n / 1024:.1f}"  # noqa: E731
    for r in rows:
        if r.get("missing"):
            out.append(f"| {r['name']} | `/{r['path']}` | – | – | – | – | – | – | not built | – | – |")
            continue
        k = r["kinds"]
        ok = "yes" if r["total"] <= TARGET_KB * 1024 else "**no**"
        out.append(f"| {r['name']} | `/{r['path']}` | {r['requests']} | {kb(k.get('html', 0))} | {kb(k.get('css', 0))} | "
                   f"{kb(k.get('js', 0))} | {kb(k.get('img', 0))} | {kb(k.get('other', 0) + k.get('font', 0))} | "
                   f"**{kb(r['total'])}** | {ok} | {len(r['foreign'])} |")
    return "\n".join(out)


def write_section(title: str, body: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\nFigures measured by the scripts in `bench/`.\n"
    start = f"<!-- {title} -->"
    end = f"<!-- /{title} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        a, b = text.index(start), text.index(end) + len(end)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    ap.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        rows = measure(site)
    t = table(rows)
    print(t)
    foreign = sorted({u for r in rows for u in r.get("foreign", [])})
    print(f"\nrequests to other hosts: {len(foreign)}" + ("".join(f"\n  {u}" for u in foreign)))
    if args.write:
        body = (f"## Page weight (first view, mobile viewport)\n\n"
                f"Date: {dt.date.today().isoformat()} · Command: `.venv/bin/python bench/page_weight.py --write` · "
                f"{os.popen(CHROMIUM + ' --version 2>/dev/null').read().strip() or '?'} · gzip level 6 local server, "
                f"no cache. Sizes are bytes on the wire (headers + compressed body) counted by the browser.\n\n{t}\n\n"
                f"Requests to hosts other than 127.0.0.1: **{len(foreign)}**.\n")
        write_section("page-weight", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
