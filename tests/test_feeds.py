"""Atom feeds (lawsite/build/feeds.py): one per language, valid Atom, the news items and legal changes of
that language only, the same bytes on every build (no build time inside), linked from <head>."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lawsite.build.feeds import atom, feed_href, write_feeds
from lawsite.project.loader import load_project

ROOT = Path(__file__).resolve().parents[1]
A = "{http://www.w3.org/2005/Atom}"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def project(monkeypatch_module=None):
    return load_project(ROOT, fresh=True)


def _parse(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == A + "feed"
    return root


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_feed_is_valid_atom(project, lang):
    root = _parse(atom(project, lang, "https://example.gov.vn/", "Site"))
    for tag in ("id", "title", "updated", "author"):
        assert root.find(A + tag) is not None, f"feed without <{tag}>"
    assert STAMP.match(root.findtext(A + "updated"))
    self_link = [l for l in root.findall(A + "link") if l.get("rel") == "self"]
    assert self_link and self_link[0].get("href") == "https://example.gov.vn/" + feed_href(lang)
    entries = root.findall(A + "entry")
    assert len(entries) >= 4
    ids = [e.findtext(A + "id") for e in entries]
    assert len(ids) == len(set(ids)), "entry ids repeat"
    dates = []
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert (e.findtext(A + tag) or "").strip(), f"entry without <{tag}>"
        assert STAMP.match(e.findtext(A + "updated"))
        assert e.find(A + "link").get("href").startswith("https://example.gov.vn/" + ("en/" if lang == "en" else ""))
        assert "{{" not in e.findtext(A + "title") and "<" not in (e.findtext(A + "summary") or "")
        dates.append(e.findtext(A + "updated"))
    assert dates == sorted(dates, reverse=True), "entries are not newest first"
    assert root.findtext(A + "updated") == dates[0], "the feed's date must be its newest entry's, not the build time"
    kinds = {e.find(A + "category").get("term") for e in entries}
    assert kinds == {"news", "legal"}


def test_news_entries_match_the_news_folder(project):
    root = _parse(atom(project, "en", "https://example.gov.vn/", "Site"))
    news = [e for e in root.findall(A + "entry") if e.find(A + "category").get("term") == "news"]
    expected = sorted(p.name[:-len(".en.md")] for p in (ROOT / "docs/tin-tuc").glob("*.en.md") if not p.name.startswith("index"))
    got = sorted(e.find(A + "link").get("href").rstrip("/").rsplit("/", 1)[-1] for e in news)
    assert got == expected
    titles = {e.findtext(A + "title") for e in news}
    en_titles = {re.search(r"^title: (.+)$", p.read_text("utf-8"), re.M).group(1).strip()
                 for p in (ROOT / "docs/tin-tuc").glob("*.en.md") if not p.name.startswith("index")}
    assert titles == en_titles, "the English feed must carry the English titles"


def test_feed_is_byte_reproducible(project, tmp_path):
    (tmp_path / "tin-tuc").mkdir()
    (tmp_path / "en" / "tin-tuc").mkdir(parents=True)
    names = {"vi": "A", "en": "B"}
    write_feeds(project, str(tmp_path), "https://example.gov.vn/", names)
    first = {p: (tmp_path / p).read_bytes() for p in ("tin-tuc/feed.xml", "en/tin-tuc/feed.xml")}
    write_feeds(project, str(tmp_path), "https://example.gov.vn/", names)
    assert {p: (tmp_path / p).read_bytes() for p in first} == first
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.slow
def test_built_site_has_both_feeds_linked_from_head(built_site):
    for lang, page in (("vi", "tin-tuc/index.html"), ("en", "en/tin-tuc/index.html")):
        feed = built_site / feed_href(lang)
        assert feed.is_file(), f"{feed_href(lang)} not written"
        root = _parse(feed.read_text("utf-8"))
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        html = (built_site / page).read_text("utf-8")
        assert re.search(r'<link rel="alternate " type="application/atom\+xml" href="feed\.xml"', html), page
        assert 'class="lawsite-feed"' in html, f"{page}: the news page does not link to its feed"
