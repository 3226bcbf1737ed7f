"""Search bandwidth benchmark: bytes and requests before the reader focuses the search field, and
during the first query, for five typical queries (each in a fresh browser, empty cache).

    .venv/bin/python bench/bench_search.py [--site DIR] [--no-gzip]

Without --site the real site is built (strict) into a temporary folder. The site is served on
127.0.0.1 with gzip for text files (as any real web server would); Pagefind's .pf_* files are
already compressed. Sizes are what went over the wire (Playwright's request.sizes()).
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, mkdocs_build  # noqa: E402

# (page the reader is on, query): five typical Vietnamese queries, then three on the English site
QUERIES = [("cong-dan/", q) for q in ("ho chieu", "tam hoan xuat canh", "dang ky tam tru", "282/2025",
                                      "dieu 21 nghi dinh 282")]
QUERIES += [("en/cong-dan/", "passport renewal"), ("en/nguoi-nuoc-ngoai/", "temporary residence card")]
# Vietnamese words on the English site: the translation table (lawsite-translate.en.json) is fetched for this one
QUERIES += [("en/nguoi-nuoc-ngoai/", "tam tru")]
GZIP_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml")
BUDGET = 150 * 1024


def make_handler(directory: str, use_gzip: bool):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=directory, **kw)

        def log_message(self, *a):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not (use_gzip and path.suffix in GZIP_TYPES and path.is_file()
                    and "gzip" in self.headers.get("Accept-Encoding", "")):
                return super().send_head()
            data = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            import io
            return io.BytesIO(data)

    return Handler


def measure(browser, url: str, start: str, query: str, verbose: bool = False, key_delay: int = 0) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    phase = {"name": "load"}
    log: list[tuple[str, str, int]] = []

    def done(req):
        try:
            s = req.sizes()
            size = s["responseBodySize"] + s["responseHeadersSize"]
        except Exception:
            size = 0
        log.append((phase["name"], req.url, size))

    page.on("requestfinished", done)
    page.goto(url + start)
    page.wait_for_load_state("networkidle")
    phase["name"] = "query"
    page.click("#lawsite-search-input")
    if key_delay:  # typed key by key, as on a phone: the intermediate queries cost bandwidth too
        page.type("#lawsite-search-input", query, delay=key_delay)
    else:
        page.fill("#lawsite-search-input", query)
    page.wait_for_function("q => document.getElementById('lawsite-search-list').dataset.query === q", arg=query, timeout=20000)
    page.wait_for_load_state("networkidle")
    ctx.close()
    if verbose:
        for ph, u, size in log:
            print(f"    {ph:6} {size:>8}  {u.replace(url, '/')}")
    out = {}
    for ph in ("load", "query"):
        rows = [r for r in log if r[0] == ph]
        search_rows = [r for r in rows if "/pagefind/" in r[1]]
        out[ph] = {"requests": len(rows), "bytes": sum(r[2] for r in rows),
                   "search_requests": len(search_rows), "search_bytes": sum(r[2] for r in search_rows)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="an already built site (default: build the real site)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every request")
    ap.add_argument("--no-gzip", action="store_true", help="serve files as they are on disk")
    ap.add_argument("--key-delay", type=int, default=200, metavar="MS",
                    help="also type each query key by key with this delay, as on a phone (0: skip; default 200)")
    args = ap.parse_args()
    tmp = None
    site = args.site
    if site is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-search-")
        site = Path(tmp.name) / "site"
        proc = mkdocs_build(ROOT, site)
        if proc.returncode != 0:
            print("build failed:\n" + proc.stderr[-3000:], file=sys.stderr)
            return 1
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(str(site), not args.no_gzip))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    worst = worst_typed = 0
    print(f"Search bandwidth ({'gzip' if not args.no_gzip else 'no compression'}; fresh cache per query)")
    typed_head = f" {'typed at ' + str(args.key_delay) + ' ms/key: req':>28} {'bytes':>9}" if args.key_delay else ""
    print(f"{'page: query':46} {'before focus: pagefind req/bytes':>32} {'first query: req':>17} {'bytes':>9}{typed_head}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for start, q in QUERIES:
            m = measure(browser, url, start, q, args.verbose)
            worst = max(worst, m["query"]["bytes"])
            line = (f"{'/' + start + ': ' + q:46} {m['load']['search_requests']:>20} / {m['load']['search_bytes']:>8} "
                    f"{m['query']['requests']:>17} {m['query']['bytes']:>9}")
            if args.key_delay:
                t = measure(browser, url, start, q, args.verbose, key_delay=args.key_delay)
                worst_typed = max(worst_typed, t["query"]["bytes"])
                line += f" {t['query']['requests']:>28} {t['query']['bytes']:>9}"
            print(line)
        browser.close()
    httpd.shutdown()
    bundle = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    print(f"worst first query: {worst / 1024:.1f} KiB (budget {BUDGET // 1024} KiB: {'OK' if worst <= BUDGET else 'OVER'}); "
          f"index bundle on disk: {bundle / 1024:.0f} KiB")
    if args.key_delay:
        print(f"worst query typed key by key: {worst_typed / 1024:.1f} KiB (all the intermediate queries included)")
    if tmp:
        tmp.cleanup()
    return 0 if worst <= BUDGET else 2


if __name__ == "__main__":
    sys.exit(main())
