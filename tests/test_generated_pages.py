"""Pages generated from the registry: one per document (both languages), the index, backlinks,
citation links, and the notice for changes that take effect after the build date."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from lawsite.project.loader import load_project


def _text(path):
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))))


def test_every_registry_document_has_a_page_in_both_languages(built_site):
    reg = load_project(ROOT).registry
    for doc in reg:
        assert (built_site / "van-ban" / doc.slug / "index.html").is_file(), doc.slug
        assert (built_site / "en" / "van-ban" / doc.slug / "index.html").is_file(), doc.slug


def test_document_page_facts_status_successor_backlinks(built_site):
    vi = _text(built_site / "van-ban" / "nghi-dinh-282-2025-nd-cp" / "index.html")
    assert "còn hiệu lực" in vi and "15/12/2025" in vi
    assert "Thay thế" in vi and "Nghị định số 144/2021/NĐ-CP" in vi
    assert "Trang trích dẫn, theo từng quy định" in vi
    html = (built_site / "van-ban" / "nghi-dinh-282-2025-nd-cp" / "index.html").read_text("utf-8")
    assert 'id="dieu-21"' in html
    assert re.search(r'href="\.\./\.\./vi-pham/bang-muc-phat/"', html), "backlink to the penalties page"
    old = _text(built_site / "en" / "van-ban" / "nghi-dinh-144-2021-nd-cp" / "index.html")
    assert "No longer in force" in old and "Replaced by" in old and "Decree No. 282/2025/ND-CP" in old


def test_index_lists_every_document_with_status(built_site):
    reg = load_project(ROOT).registry
    html = (built_site / "van-ban" / "index.html").read_text("utf-8")
    rows = re.findall(r'<tr>\s*<td[^>]*><a href="([^"]+)">', html)
    assert len(rows) == len(reg)
    # grouped by status on the build date: in force, not yet in force, no longer in force
    heads = re.findall(r'<h2 id="([a-z-]+)">', html)
    assert heads[:3] == ["con-hieu-luc", "chua-co-hieu-luc", "het-hieu-luc"], heads
    ended = html[html.index('id="het-hieu-luc"'):]
    assert "144/2021/NĐ-CP" in ended and "144/2021/NĐ-CP" not in html[:html.index('id="het-hieu-luc"')]
    en = (built_site / "en" / "van-ban" / "index.html").read_text("utf-8")
    assert "No longer in force" in en and "In force" in en and "389/NQ-CP (2025)" in en


def test_citations_are_links_with_title_and_data(built_site):
    html = (built_site / "en" / "vi-pham" / "bang-muc-phat" / "index.html").read_text("utf-8")
    links = re.findall(r'<a class="cite"([^>]*)>', html)
    assert len(links) >= 10
    with_clause = [l for l in links if 'data-doc="282/2025/NĐ-CP"' in l and 'data-article="21"' in l and "data-clause=" in l]
    assert with_clause, links[:3]
    assert all('href="../../van-ban/' in l for l in links if "282/2025" in l)
    assert any("Article 21. Violations" in l or "Article 21. " in l for l in with_clause)
    vi = (built_site / "vi-pham" / "bang-muc-phat" / "index.html").read_text("utf-8")
    assert re.search(r'<a class="cite"[^>]*title="Nghị định số 282/2025/NĐ-CP, Điều 21\. [^"]+"', vi)


@pytest.mark.slow
@pytest.mark.xdist_group("changed-data-build")
def test_future_change_shows_a_notice_on_affected_pages(changed_data_build):
    """The session's build of a copy whose registry records an amendment of Article 36 of Law 49/2019
    taking effect after the build date (helpers.add_future_amendment); the same build has the province
    filled in (test_deploy), which changes no notice."""
    proc, out = changed_data_build
    assert proc.returncode == 0, proc.stderr[-3000:]
    vi = _text(out / "cong-dan" / "tam-hoan-xuat-canh" / "index.html")
    assert "Sắp có thay đổi" in vi and "01/03/2027" in vi
    en = _text(out / "en" / "cong-dan" / "tam-hoan-xuat-canh" / "index.html")
    assert "Changes coming" in en and "1 March 2027" in en


def test_every_citation_link_resolves_to_a_page_and_anchor(built_site):
    """Citation links are inline HTML (fast to build), so MkDocs does not validate them: we do."""
    from urllib.parse import unquote

    ids: dict = {}
    checked = 0
    for f in built_site.rglob("index.html"):
        html = f.read_text("utf-8")
        for href in re.findall(r'<a class="cite"[^>]*\shref="([^"]+)"', html):
            path, _, anchor = unquote(href).partition("#")
            target = (f.parent / path / "index.html").resolve()
            assert target.is_file(), f"{f.relative_to(built_site)}: {href}"
            if anchor:
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text("utf-8")))
                assert anchor in ids[target], f"{f.relative_to(built_site)}: {href} (no #{anchor})"
            checked += 1
    assert checked > 500
