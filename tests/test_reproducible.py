"""Two clean builds of the same sources are byte-identical, even when the build clock differs: every
date in the output (sitemap lastmod, "last reviewed") comes from the content."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_ENV, CLEAN_COPY_GROUP, OTHER_CLOCK, ROOT

# Pagefind 1.5.2 writes pagefind-entry.json's per-language map in hash-map order (it varies from run
# to run; every other Pagefind file is stable). Compared as JSON, not as bytes.
SAME_AS_JSON = {"pagefind/pagefind-entry.json"}


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
@CLEAN_COPY_GROUP
def test_two_clean_builds_are_byte_identical(built_site, clean_copy_build):
    """The session's build (the project itself, clock 2026-12-01, no build cache) against a clean build
    of a copy in another folder with another clock (2026-12-07): neither the clock nor the folder reaches
    the output. The second build is conftest's clean_copy_build, which tests/test_buildcache.py shares as
    its cold build and which seeds the session's build cache: it starts from that cache folder while it is
    still EMPTY (checked: every other cached build waits for it), so nothing of an earlier build is read
    (clean), and every step is computed as without the cache; that it also writes its cache cannot make
    two outputs equal that would differ otherwise."""
    proc, _src, dest = clean_copy_build
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert BUILD_ENV["SOURCE_DATE_EPOCH"] != OTHER_CLOCK
    out = [files(built_site), files(dest)]
    a, b = out
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    assert len(a) > 100
    differ = []
    for k in a:
        if a[k] == b[k]:
            continue
        if k in SAME_AS_JSON and json.loads(a[k]) == json.loads(b[k]):
            continue
        differ.append(k)
    assert not differ, f"{len(differ)} files differ between the two builds, e.g. {differ[:10]}"


def _reviewed_dates() -> dict[str, str]:
    out = {}
    for p in sorted((ROOT / "docs").rglob("*.md")):
        text = p.read_text("utf-8", errors="replace")
        m = re.match(r"\A---\n(.*?)\n---", text, re.S)
        if not m:
            continue
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError:
            continue
        lr = meta.get("last_reviewed") if isinstance(meta, dict) else None
        if isinstance(lr, dt.date):
            out[p.relative_to(ROOT / "docs").as_posix()] = lr.isoformat()
    return out


def test_sitemap_dates_come_from_last_reviewed(built_site):
    xml = (built_site / "sitemap.xml").read_text("utf-8")
    entries = re.findall(r"<loc>([^<]+)</loc>(?:\s*<lastmod>([^<]+)</lastmod>)?", xml)
    assert entries
    dates = _reviewed_dates()
    checked = 0
    for loc, lastmod in entries:
        path = re.sub(r"^https?://[^/]+/", "", loc)
        en = path.startswith("en/")
        rel = path[3:] if en else path
        stem = rel.rstrip("/") or "index"
        cands = [f"{stem}.en.md", f"{stem}/index.en.md"] if en else []
        cands += [f"{stem}.md", f"{stem}/index.md"]
        src = next((c for c in cands if c in dates), None)
        if src is None:
            assert not lastmod, f"{loc}: lastmod {lastmod} but no last_reviewed in its source"
            continue
        assert lastmod == dates[src], f"{loc}: lastmod {lastmod}, last_reviewed {dates[src]} ({src})"
        checked += 1
    assert checked > len(entries) // 2


def test_sitemap_gz_matches_sitemap(built_site):
    import gzip

    raw = (built_site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(raw) == (built_site / "sitemap.xml").read_bytes()
    assert raw[4:8] == b"\0\0\0\0", "gzip header carries a build time"
