"""Lighthouse (npm, installed in tools/lighthouse by `npm ci`, never used by the tests) with Debian
chromium, mobile emulation (Lighthouse's default: Moto G Power, slow 4G, 4x CPU slowdown), on the
home page, a procedure page, the penalties page and a Q&A page, served gzip-compressed from
127.0.0.1. Targets: Performance >= 98, Accessibility 100, Best Practices 100, SEO 100.

    (cd tools/lighthouse && npm ci)      # once (or copy package*.json elsewhere, npm ci there, set LIGHTHOUSE_DIR)
    .venv/bin/python bench/lighthouse.py [--site DIR] [--write] [--runs N] [--all] [--page NAME=PATH ...]

With --runs N (default 1) each page is measured N times and the median Performance is kept.
--all adds the English pages, the other penalties pages and the three answer tools; --page measures
only the pages named (e.g. --page penalties=vi-pham/bang-muc-phat/). Each page's main-thread time
(Lighthouse's mainthread-work-breakdown, median run) is printed too: under CPU contention TBT grows
with the load, the main-thread breakdown tells where the time goes.

    .venv/bin/python bench/lighthouse.py --cpu [--site DIR] [--runs N] [--all] [--page ...]

--cpu measures without Lighthouse (Playwright + Debian chromium, 360 x 780 phone, no throttling): from
a Chromium trace of each page load until ui.js is ready, the main thread's busy time, its tasks over
50 ms, the style and layout time, and the time spent in the site's own scripts (each script's
evaluation and the functions it calls, forced style/layout included). Medians of N runs; CPU time, so
less sensitive to other processes than TBT (still not immune on a shared machine).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import CHROMIUM, ROOT, build, serve, write_section  # noqa: E402

# LIGHTHOUSE_DIR: a folder where tools/lighthouse/package*.json were installed with `npm ci` (e.g. in /tmp)
LH = Path(os.environ.get("LIGHTHOUSE_DIR", ROOT / "tools" / "lighthouse")) / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = [("home", ""), ("procedure", "cong-dan/cap-ho-chieu-trong-nuoc/"), ("penalties", "vi-pham/bang-muc-phat/"),
         ("Q&A", "hoi-dap/ho-chieu/"), ("document", "van-ban/nghi-dinh-282-2025-nd-cp/")]
MORE = [("home (en)", "en/"), ("procedure (en)", "en/cong-dan/cap-ho-chieu-trong-nuoc/"),
        ("penalties (en)", "en/vi-pham/bang-muc-phat/"), ("penalties index", "vi-pham/"),
        ("overstay penalties", "vi-pham/qua-han-tam-tru/"), ("Q&A (en)", "en/hoi-dap/ho-chieu/"),
        ("document (en)", "en/van-ban/nghi-dinh-282-2025-nd-cp/"),
        ("overstay tool", "cong-cu/qua-han-tam-tru/"), ("visa tool", "cong-cu/thi-thuc/"), ("penalty tool", "cong-cu/muc-phat/"),
        ("overstay tool (en)", "en/cong-cu/qua-han-tam-tru/"), ("visa tool (en)", "en/cong-cu/thi-thuc/"),
        ("penalty tool (en)", "en/cong-cu/muc-phat/")]
CATS = ["performance", "accessibility", "best-practices", "seo"]
TARGET = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}


def run_lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = ["node", str(LH), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=" + ",".join(CATS),
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode or not out.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text("utf-8"))


def _trace_figures(trace: dict) -> dict:
    """Busy time of the page's main thread (the renderer thread that parsed a 127.0.0.1 page)."""
    ev = trace["traceEvents"] if isinstance(trace, dict) else trace
    threads: dict = {}
    for e in ev:
        if e.get("name") == "ParseHTML" and "127.0.0.1" in json.dumps(e.get("args", {})):
            threads[(e["pid"], e["tid"])] = threads.get((e["pid"], e["tid"]), 0) + 1
    if not threads:
        return {}
    pid, tid = max(threads, key=threads.get)
    main = sorted((e for e in ev if e.get("pid") == pid and e.get("tid") == tid and e.get("ph") == "X" and "dur" in e),
                  key=lambda e: (e["ts"], -e["dur"]))
    tasks = [e for e in main if e["name"] == "RunTask"]
    out = {"busy": sum(e["dur"] for e in tasks) / 1000, "long": sum(1 for e in tasks if e["dur"] > 50_000),
           "blocking": sum(e["dur"] - 50_000 for e in tasks if e["dur"] > 50_000) / 1000,
           "style": sum(e["dur"] for e in main if e["name"] == "UpdateLayoutTree") / 1000,
           "layout": sum(e["dur"] for e in main if e["name"] == "Layout") / 1000, "scripts": 0.0}
    end = 0  # top-level script work only (a FunctionCall inside an EvaluateScript is counted once)
    for e in main:
        if e["name"] in ("EvaluateScript", "FunctionCall", "v8.compile") and e["ts"] >= end:
            url = json.dumps(e.get("args", {}).get("data", {}).get("url", "")) + json.dumps(e.get("args", {}).get("data", {}))
            if "/assets/javascripts/" in url:
                out["scripts"] += e["dur"] / 1000
                end = e["ts"] + e["dur"]
    return out


def main_thread(site: Path, pages: list[tuple[str, str]], runs: int) -> list[tuple[str, str, dict]]:
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    rows = []
    cats = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "toplevel"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for name, path in pages:
                figs = []
                for i in range(runs):
                    ctx = browser.new_context(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True,
                                              device_scale_factor=2)
                    page = ctx.new_page()
                    with tempfile.TemporaryDirectory() as tmp:
                        out = Path(tmp) / "trace.json"
                        browser.start_tracing(page=page, path=str(out), categories=cats)
                        page.goto(base + path, wait_until="load")
                        page.wait_for_function("() => document.documentElement.dataset.lawsiteReady === '1'")
                        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
                        browser.stop_tracing()
                        figs.append(_trace_figures(json.loads(out.read_text("utf-8"))))
                    ctx.close()
                med = {k: statistics.median(f[k] for f in figs) for k in figs[0]}
                rows.append((name, path, med))
                print(f"{name:18} busy {med['busy']:6.0f} ms  long tasks {med['long']:.0f} (blocking {med['blocking']:.0f} ms)  "
                      f"style {med['style']:5.0f}  layout {med['layout']:5.0f}  site scripts {med['scripts']:5.1f} ms", flush=True)
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def failing_audits(report: dict, cat: str) -> list[str]:
    out = []
    for ref in report["categories"][cat]["auditRefs"]:
        if ref.get("weight", 0) == 0:
            continue
        a = report["audits"][ref["id"]]
        if a.get("score") is not None and a["score"] < 1:
            out.append(f"{a['id']} ({a['score']:.2f}{', ' + a['displayValue'] if a.get('displayValue') else ''})")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--all", action="store_true", help="also the English pages, more penalties pages and the answer tools")
    ap.add_argument("--page", action="append", default=[], metavar="NAME=PATH", help="measure only these pages")
    ap.add_argument("--cpu", action="store_true", help="main-thread time from a Chromium trace, without Lighthouse")
    args = ap.parse_args()
    pages = [tuple(x.split("=", 1)) if "=" in x else (x, x) for x in args.page] or (PAGES + MORE if args.all else PAGES)
    if args.cpu:
        print("load average (1/5/15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            site = args.site or Path(tmp) / "site"
            if args.site is None:
                build(site)
            rows = main_thread(site, pages, max(args.runs, 1))
        print("| Page | Path | Main thread busy (ms) | Tasks > 50 ms | Blocking (ms) | Style (ms) | Layout (ms) | Site scripts (ms) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, path, m in rows:
            print(f"| {name} | `/{path}` | {m['busy']:.0f} | {m['long']:.0f} | {m['blocking']:.0f} | {m['style']:.0f} | "
                  f"{m['layout']:.0f} | {m['scripts']:.1f} |")
        return 0
    if not LH.exists():
        sys.exit("Lighthouse is not installed: run (cd tools/lighthouse && npm ci)")
    version = json.loads((LH.parents[1] / "package.json").read_text())["version"]
    rows, notes = [], []
    print("load average (1/5/15 min): " + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        httpd, base = serve(site)
        try:
            for name, path in pages:
                reports = [run_lighthouse(base + path, Path(tmp) / f"lh-{name}-{i}.json".replace("&", "")) for i in range(args.runs)]
                perf = statistics.median(r["categories"]["performance"]["score"] * 100 for r in reports)
                rep = reports[0]
                mid = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
                work = {i["group"]: i["duration"] for i in mid["audits"]["mainthread-work-breakdown"]["details"]["items"]}
                perfs = [round(r["categories"]["performance"]["score"] * 100) for r in reports]
                tbts = [round(r["audits"]["total-blocking-time"]["numericValue"]) for r in reports]
                scores = {c: rep["categories"][c]["score"] * 100 for c in CATS}
                scores["performance"] = perf
                m = rep["audits"]
                rows.append((name, path, scores, {k: m[k].get("displayValue", "") for k in
                                                  ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                                   "cumulative-layout-shift", "speed-index")}))
                for c in CATS:
                    if scores[c] < TARGET[c]:
                        notes.append(f"- {name} `/{path}` {c} {scores[c]:.0f} < {TARGET[c]}: " + "; ".join(failing_audits(rep, c)))
                print(f"{name:10} " + "  ".join(f"{c}={scores[c]:.0f}" for c in CATS) + f"  runs={perfs} TBT={tbts} ms  main thread "
                      f"{sum(work.values()):.0f} ms (" + ", ".join(f"{k} {v:.0f}" for k, v in sorted(work.items(), key=lambda kv: -kv[1])) + ")",
                      flush=True)
        finally:
            httpd.shutdown()
    table = ["| Page | Path | Performance | Accessibility | Best Practices | SEO | FCP | LCP | TBT | CLS | Speed Index |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, path, s, m in rows:
        table.append(f"| {name} | `/{path}` | {s['performance']:.0f} | {s['accessibility']:.0f} | {s['best-practices']:.0f} | "
                     f"{s['seo']:.0f} | {m['first-contentful-paint']} | {m['largest-contentful-paint']} | "
                     f"{m['total-blocking-time']} | {m['cumulative-layout-shift']} | {m['speed-index']} |")
    text = "\n".join(table)
    print(text)
    print("\n".join(notes) or "all targets met")
    if args.write:
        body = (f"## Lighthouse (mobile)\n\nDate: {dt.date.today().isoformat()} · Command: `.venv/bin/python bench/lighthouse.py "
                f"--write --runs {args.runs}` · Lighthouse {version}, "
                f"{os.popen(CHROMIUM + ' --version 2>/dev/null').read().strip()}, default mobile emulation (slow 4G, 4× CPU "
                f"slowdown), site served gzip-compressed from 127.0.0.1. Targets: Performance ≥ 98, Accessibility, Best "
                f"Practices and SEO 100.\n\n{text}\n\n"
                + ("**Short of target:**\n\n" + "\n".join(notes) if notes else "All targets met.") + "\n")
        write_section("lighthouse", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
