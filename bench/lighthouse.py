"""Lighthouse (npm, installed in tools/lighthouse by `npm ci`, never used by the tests) with Debian
chromium, mobile emulation (Lighthouse's default: Moto G Power, slow 4G, 4x CPU slowdown), on the
home page, a procedure page, the penalties page and a Q&A page, served gzip-compressed from
127.0.0.1. Targets: Performance >= 98, Accessibility 100, Best Practices 100, SEO 100.

    (cd tools/lighthouse && npm ci)      # once (or copy package*.json elsewhere, npm ci there, set LIGHTHOUSE_DIR)
    .venv/bin/python bench/lighthouse.py [--site DIR] [--write] [--runs N]

With --runs N (default 1) each page is measured N times and the median Performance is kept.
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
    args = ap.parse_args()
    if not LH.exists():
        sys.exit("Lighthouse is not installed: run (cd tools/lighthouse && npm ci)")
    version = json.loads((LH.parents[1] / "package.json").read_text())["version"]
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        httpd, base = serve(site)
        try:
            for name, path in PAGES:
                reports = [run_lighthouse(base + path, Path(tmp) / f"lh-{name}-{i}.json".replace("&", "")) for i in range(args.runs)]
                perf = statistics.median(r["categories"]["performance"]["score"] * 100 for r in reports)
                rep = reports[0]
                scores = {c: rep["categories"][c]["score"] * 100 for c in CATS}
                scores["performance"] = perf
                m = rep["audits"]
                rows.append((name, path, scores, {k: m[k].get("displayValue", "") for k in
                                                  ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                                   "cumulative-layout-shift", "speed-index")}))
                for c in CATS:
                    if scores[c] < TARGET[c]:
                        notes.append(f"- {name} `/{path}` {c} {scores[c]:.0f} < {TARGET[c]}: " + "; ".join(failing_audits(rep, c)))
                print(f"{name:10} " + "  ".join(f"{c}={scores[c]:.0f}" for c in CATS), flush=True)
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
