"""Run reader queries through the site's real search field (shared by tests/test_search_relevance.py and
bench/search_relevance.py)."""
from __future__ import annotations

from pathlib import Path

import yaml

QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.yaml"
INPUT = "#lawsite-search-input"


def load_queries() -> dict[str, list[dict]]:
    return yaml.safe_load(QUERIES.read_text("utf-8"))


def run_query(page, query: str, timeout: float = 15000) -> list[str]:
    """Type `query` into the header field of the open page; return the result page paths, in order."""
    page.fill(INPUT, query)
    page.wait_for_function("q => document.getElementById('lawsite-search-list').dataset.query === q",
                           arg=query.strip(), timeout=timeout)
    return page.eval_on_selector_all("#lawsite-search-list [data-page]",
                                     "els => els.map(e => new URL(e.dataset.url, location.href).pathname)")


# search7: the whole table in one page.evaluate: each query goes through search.js's real search (the same run()
# that typing triggers, rendered into the real result list) without the typing pause or a round trip per query;
# the list must say it shows that very query (data-query), or the query counts as an error.
_BATCH = """async (qs) => {
    const S = window.lawsiteSearch, list = document.getElementById('lawsite-search-list'), out = [];
    for (const q of qs) {
        await S.search(q);
        if (list.dataset.query !== q.trim()) throw new Error('the list does not show ' + JSON.stringify(q) + ': ' + list.dataset.query);
        out.push([...list.querySelectorAll('[data-page]')].map(e => new URL(e.dataset.url, location.href).pathname));
    }
    return out;
}"""


def run_queries(page, queries: list[str]) -> list[list[str]]:
    """Result page paths of each query, in order, searched one after the other on the open page (see _BATCH)."""
    page.wait_for_function("() => window.lawsiteSearch && window.lawsiteSearch.search")
    return page.evaluate(_BATCH, queries)


def score(page, site_url: str, lang: str, queries: list[dict], top: int = 3) -> list[tuple[str, bool, list[str]]]:
    """[(query, found in top N, top N paths relative to the site root)] for one language."""
    page.goto(site_url + ("en/" if lang == "en" else ""))
    page.click(INPUT)
    root = "/" + site_url.split("/", 3)[3] if site_url.count("/") > 3 else "/"
    out = []
    for q, paths in zip(queries, run_queries(page, [q["q"] for q in queries])):
        got = [p[len(root):] if p.startswith(root) else p for p in paths][:top]
        out.append((q["q"], any(w in got for w in q["want"]), got))
    return out
