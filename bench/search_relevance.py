"""Score the site search on the readers' query table (tests/data/search_queries.yaml): how many queries
find one of their expected pages in the top 3. Prints the score per language and every miss.

    .venv/bin/python bench/search_relevance.py --site site
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from search_helpers import load_queries, score  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default=str(ROOT / "site"), help="a built site folder")
    ap.add_argument("--queries", default=None, help="another query table (same format)")
    ap.add_argument("--by", default="form", help="also count by this key of the queries (form: keywords / question / situation)")
    ap.add_argument("--json", default=None, help="write every query's result to this file (to compare two runs)")
    args = ap.parse_args()
    queries = load_queries() if not args.queries else __import__("yaml").safe_load(Path(args.queries).read_text("utf-8"))
    from playwright.sync_api import sync_playwright

    httpd, url = serve(Path(args.site))
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = b.new_page()
            dump = {}
            for lang, qs in queries.items():
                res = score(page, url, lang, qs)
                ok = sum(r[1] for r in res)
                print(f"{lang}: {ok}/{len(res)} queries find an expected page in the top 3 ({100 * ok / len(res):.0f} %)")
                groups: dict[str, list[int]] = {}
                for q, (_, hit, _got) in zip(qs, res):
                    if args.by in q:
                        g = groups.setdefault(str(q[args.by]), [0, 0])
                        g[0] += hit
                        g[1] += 1
                if groups:
                    print(f"  by {args.by}: " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(groups.items())))
                for q, hit, got in res:
                    if not hit:
                        print(f"  miss: {q!r} -> {got}")
                dump[lang] = [[q, hit, got] for q, hit, got in res]
            if args.json:
                Path(args.json).write_text(__import__("json").dumps(dump, ensure_ascii=False, indent=0), "utf-8")
            b.close()
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
