"""Legal-document pages (issue 13 §3, issue 14 item 6): anchors for every article, clause and point,
citation links at the most precise anchor, a plain-language summary at every cited clause, the status
banner, the documents index grouped by status, registry honesty (badge, unknown dates, internal notes
on the staff page) and the figure/provision check."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from lawsite.cite.model import Provision
from lawsite.cite.parse import get_parser
from lawsite.cite.render import anchor_id, citation_anchor, render_link
from lawsite.cite.resolve import resolve
from lawsite.cite.validate import validate
from lawsite.page.figcheck import units
from lawsite.generate.blocks import document_page, documents_index
from lawsite.page.process import clear_cache, process_page
from lawsite.project.loader import load_project
from lawsite.project.registry import Document
from lawsite.site.status import registry_verification_markdown

TODAY = dt.date(2026, 11, 22)
# the five documents whose full text is in /work/shared/legal-texts/ (read for this project)
TEXTS_READ = {"49/2019/QH14", "47/2014/QH13", "282/2025/NĐ-CP", "100/2015/QH13", "117/2026/TT-BTC"}


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def undated_project(tmp_path_factory):
    """A copy of the project whose 389/NQ-CP has `effective: null`, as the real entry had until its
    Article 2 was read (facts5, 2026-12-01): how a document with an unknown effective date is shown."""
    root = copy_project(tmp_path_factory.mktemp("undated") / "site")
    path = root / "data/registry/nghi-quyet-389-nq-cp-2025.yaml"
    text = path.read_text("utf-8")
    dated = re.search(r"^effective: 2025-12-02\b.*$", text, re.M)
    assert dated, "389/NQ-CP no longer has the effective date these tests take out"
    path.write_text(text[:dated.start()] + "effective: null" + text[dated.end():], "utf-8")
    return load_project(root)


# --- anchors and citation links -----------------------------------------------------------------
def test_anchor_ids_are_the_same_in_both_languages_with_dd():
    assert anchor_id("21") == "dieu-21"
    assert anchor_id("21", "2") == "dieu-21-khoan-2"
    assert anchor_id("21", "2", "đ") == "dieu-21-khoan-2-diem-dd"
    assert anchor_id("31a", "1a", "b") == "dieu-31a-khoan-1a-diem-b"


@pytest.mark.parametrize("provs,anchor", [
    ([Provision("21", "2", "đ")], "dieu-21-khoan-2-diem-dd"),
    ([Provision("21", "2", "a"), Provision("21", "2", "b")], "dieu-21-khoan-2"),  # shared clause
    ([Provision("21", "2"), Provision("21", "4")], "dieu-21"),  # shared article
    ([Provision("36"), Provision("37")], "dieu-36"),  # no shared unit: the first article
    ([], None),
])
def test_citation_anchor_is_the_most_precise_shared_unit(provs, anchor):
    assert citation_anchor(provs) == anchor


@pytest.mark.parametrize("lang,text,href", [
    ("vi", "điểm đ khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP", "../../van-ban/nghi-dinh-282-2025-nd-cp/#dieu-21-khoan-2-diem-dd"),
    ("en", "Point dd, Clause 2, Article 21 of Decree No. 282/2025/ND-CP", "../../van-ban/nghi-dinh-282-2025-nd-cp/#dieu-21-khoan-2-diem-dd"),
    ("vi", "khoản 7 Điều 15 Luật số 49/2019/QH14", "../../van-ban/luat-49-2019-qh14/#dieu-15-khoan-7"),
])
def test_rendered_link_points_at_the_point_or_clause(project, lang, text, href):
    (c,) = get_parser(lang, project.aliases(lang)).parse(text)
    assert not resolve([c], project.registry, [])
    link = render_link(c, lang, "thu/trang.md")
    assert f'href="{href}"' in link, link


# --- document page -------------------------------------------------------------------------------
def _page(project, number, lang, *, cited=None, today=TODAY, cited_by=None):
    doc = project.registry.get(number)
    return document_page(doc, project.registry, lang, today, cited_by or {}, f"van-ban/{doc.slug}.md",
                         cited_units=cited or set(), project=project)


def test_every_unit_has_its_anchor_on_the_document_page(project):
    doc = project.registry.get("282/2025/NĐ-CP")
    md = _page(project, "282/2025/NĐ-CP", "en")
    for a in doc.articles:
        assert f"{{ #{anchor_id(a.number)} }}" in md
        for c in a.clauses or []:
            assert f'id="{anchor_id(a.number, c.number)}"' in md
            for p in c.points:
                assert f'id="{anchor_id(a.number, c.number, p.letter)}"' in md


def test_cited_clause_shows_its_summary_with_figures_uncited_keeps_the_outline(project):
    md = _page(project, "282/2025/NĐ-CP", "vi", cited={("21", "2", "đ")})
    line = next(l for l in md.splitlines() if 'id="dieu-21-khoan-2"' in l)
    assert 'class="clause-summary" data-provision="21.2"' in line
    assert "500.000 – 2.000.000 đồng" in line and "{{" not in line  # rendered from data/figures
    other = next(l for l in md.splitlines() if 'id="dieu-21-khoan-3"' in l)
    assert "clause-summary" not in other  # not cited: outline only
    en = _page(project, "282/2025/NĐ-CP", "en", cited={("21", "2", None)})
    assert "VND 500,000 – 2,000,000" in next(l for l in en.splitlines() if 'id="dieu-21-khoan-2"' in l)


def test_banner_first_then_contents_articles_and_collapsed_citing_pages(project):
    md = _page(project, "282/2025/NĐ-CP", "vi", cited_by={"Điều 21": [("Bảng mức phạt", "../vi-pham/bang-muc-phat.md")]})
    lines = md.splitlines()
    assert lines[0].startswith("!!! success doc-status") and "Còn hiệu lực" in lines[0]
    assert md.index("**Mục lục**") < md.index("{ #thong-tin }") < md.index("{ #cac-dieu }") < md.index("{ #trang-trich-dan }")
    cited = md[md.index("{ #trang-trich-dan }"):]
    assert '??? note "' in cited and "    | Điều 21 | [Bảng mức phạt](../vi-pham/bang-muc-phat.md) |" in cited
    # no official address recorded: the number to search and the official portals
    assert "vbpl.vn" in lines[2] + lines[4] and "congbao.chinhphu.vn" in md


def test_banner_of_a_replaced_document_names_the_date_and_successor(project):
    md = _page(project, "144/2021/NĐ-CP", "en")
    head = "\n".join(md.splitlines()[:6])
    assert head.startswith('!!! danger doc-status "No longer in force"')
    assert "15 December 2025" in head and "[Decree No. 282/2025/ND-CP](nghi-dinh-282-2025-nd-cp.md)" in head


def test_banner_of_a_document_not_yet_in_force(project):
    md = _page(project, "282/2025/NĐ-CP", "vi", today=dt.date(2025, 12, 1))
    assert md.startswith('!!! warning doc-status "Chưa có hiệu lực"') and "15/12/2025" in md.splitlines()[2]


def test_unknown_effective_date_shows_as_unknown_never_the_signing_date(undated_project):
    project = undated_project
    doc = project.registry.get("389/NQ-CP")
    assert doc.effective is None
    md = _page(project, "389/NQ-CP", "vi")
    assert md.startswith('!!! warning doc-status "Chưa rõ ngày có hiệu lực"')
    assert "| Ngày có hiệu lực | chưa xác định |" in md
    assert "| Ngày có hiệu lực | 02/12/2025 |" not in md


def test_a_known_effective_date_is_shown_without_the_unknown_banner(project):
    # 389/NQ-CP, Art. 2: in force from signing (02/12/2025), read in a full-text reproduction
    doc = project.registry.get("389/NQ-CP")
    assert doc.effective == dt.date(2025, 12, 2) and doc.confidence == "SS"
    md = _page(project, "389/NQ-CP", "vi")
    assert "| Ngày có hiệu lực | 02/12/2025 |" in md
    assert "Chưa rõ ngày có hiệu lực" not in md and "Đã đối chiếu với toàn văn" not in md


def test_badge_only_where_the_text_was_read_and_no_internal_notes_for_readers(project):
    verified = {d.number for d in project.registry if d.confidence == "VT"}
    assert verified == TEXTS_READ
    for d in project.registry:
        md = _page(project, d.number, "vi")
        assert ("Đã đối chiếu với toàn văn" in md) == (d.number in TEXTS_READ), d.number
        if d.notes:
            assert d.notes.vi.split(".")[0] not in md, d.number  # notes go to the staff page
        if d.verified_source:
            assert d.verified_source not in md, d.number
        for src in d.sources:
            assert (src.url in md) == (src.kind == "official"), (d.number, src.url)
    md = _page(project, "118/2025/QH15", "en")
    assert "has not been read here" in md and "Checked against the full text" not in md


def test_staff_section_lists_levels_sources_and_notes(project, undated_project):
    md = registry_verification_markdown(project, "vi", "gioi-thieu/trang-thai.md")
    assert "{ #xac-minh-van-ban }" in md and "(5 văn bản)" in md
    assert "Bắc Giang" in md and "conganbacgiang.gov.vn" in md  # 77/2020: which site the title came from
    row = next(l for l in md.splitlines() if l.startswith("| [389/NQ-CP"))
    assert "**chưa xác định**" not in row and "nld.com.vn" in row
    undated = registry_verification_markdown(undated_project, "vi", "gioi-thieu/trang-thai.md")
    row = next(l for l in undated.splitlines() if l.startswith("| [389/NQ-CP"))
    assert "**chưa xác định**" in row and "nld.com.vn" in row
    en = registry_verification_markdown(project, "en", "gioi-thieu/trang-thai.en.md")
    assert "Internal notes" in en and "not shown to readers" in en


def test_index_grouped_by_status_with_type_and_year(project, undated_project):
    md = documents_index(project.registry, "vi", TODAY, "van-ban/index.md")
    heads = re.findall(r"^## (.+?) \((\d+)\)", md, re.M)
    assert [h for h, _ in heads] == ["Còn hiệu lực", "Chưa có hiệu lực", "Không còn hiệu lực"]
    assert sum(int(n) for _, n in heads) == len(project.registry)
    ended = md[md.index("## Không còn hiệu lực"):]
    assert "144/2021/NĐ-CP" in ended and "| Nghị định |" in ended
    in_force = md[:md.index("## Chưa có hiệu lực")]
    assert "[389/NQ-CP (2025)]" in in_force and "ngày có hiệu lực chưa rõ" not in in_force
    assert "| 2025 |" in in_force
    undated = documents_index(undated_project.registry, "vi", TODAY, "van-ban/index.md")
    in_force = undated[:undated.index("## Chưa có hiệu lực")]
    assert "[389/NQ-CP (2025)]" in in_force and "ngày có hiệu lực chưa rõ" in in_force


# --- registry: unknown effective dates ----------------------------------------------------------
def _doc(**kw) -> Document:
    data = {"number": "9/2025/NĐ-CP", "type": "Nghị định", "slug": "nghi-dinh-9-2025-nd-cp",
            "title": {"vi": "T", "en": "T"}, "issuer": {"vi": "Chính phủ", "en": "Government"},
            "signed": "2025-03-01", "effective": None, "status": "còn hiệu lực", "confidence": "VT",
            "structure": "none"}
    data.update(kw)
    return Document.model_validate(data)


def test_registry_allows_an_unknown_effective_date_but_requires_the_key():
    d = _doc()
    assert d.effective is None
    assert d.status_on(dt.date(2025, 2, 1)) == "chưa có hiệu lực"  # before signing: certainly not yet
    assert d.status_on(dt.date(2026, 1, 1)) == "còn hiệu lực"  # the recorded status, flagged as unknown date
    with pytest.raises(Exception):
        Document.model_validate({k: v for k, v in _doc().model_dump().items() if k != "effective"})


def test_citing_a_document_with_unknown_effective_date_is_reported_not_guessed(project, undated_project):
    def problems(proj):
        parser = get_parser("vi", proj.aliases("vi"))
        cites = parser.parse("Nghị quyết số 389/NQ-CP ngày 02/12/2025")
        resolve(cites, proj.registry, [])
        return [(p.code, p.severity) for p in validate([c for c in cites if c.document is not None], proj.registry, on=TODAY, today=TODAY)]
    assert problems(undated_project) == [("cite_effective_unknown", "info")]
    assert problems(project) == []  # the real entry: the date is known


# --- figure/provision check ---------------------------------------------------------------------
def test_sentence_units():
    text = ("Phạt {{ a }} (khoản 2 Điều 21). Người khác bị phạt {{ b }}.\n"
            "Decree No. 282/2025 sets {{ c }}, e.g. the fine.\n\n| x | {{ d }} | khoản 3 |\n- item {{ e }}\n- next")
    spans = [text[s:e] for s, e in units(text)]
    assert spans[0] == "Phạt {{ a }} (khoản 2 Điều 21)."
    assert spans[1].startswith("Người khác")
    assert any(s.startswith("Decree No. 282/2025 sets") and s.endswith("e.g. the fine.") for s in spans)  # "No." and "e.g." do not split
    assert "| x | {{ d }} | khoản 3 |" in spans
    assert "- item {{ e }}" in spans and "- next" in spans


def _check(project, body, lang="vi", name="docs/thu/trang.md"):
    clear_cache()
    raw = f"---\ntitle: T\ndescription: D.\nlast_reviewed: 2026-11-22\n---\n\n{body}\n"
    res = process_page(project, name, raw, lang=lang, src_uri=name[5:])
    return [f for f in res.findings if f.code == "fig_wrong_provision"]


@pytest.mark.parametrize("cite,ok", [
    ("khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP", True),
    ("điểm a khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP", True),  # a point of the figure's clause
    ("Điều 21 Nghị định số 282/2025/NĐ-CP", True),  # the article containing it
    ("khoản 3 Điều 21 Nghị định số 282/2025/NĐ-CP", False),
    ("khoản 2 Điều 21 Nghị định số 144/2021/NĐ-CP (hết hiệu lực từ 15/12/2025)", False),  # another document
])
def test_figure_must_come_from_a_provision_the_sentence_cites(project, cite, ok):
    found = _check(project, f"Mở đầu.\n\nBạn bị phạt {{{{ fine_282_a21_k2 }}}} ({cite}).")
    assert (not found) == ok, [f.message("en") for f in found]
    if not ok:
        (f,) = found
        assert (f.line, f.col) == (9, 13)  # "Bạn bị phạt " is 12 characters
        assert "fine_282_a21_k2" in f.message("vi") and "khoản 2 Điều 21" in f.message("vi")
        assert "comes from" in f.message("en")


def test_figure_check_also_accepts_a_second_citation_and_skips_uncited_sentences(project):
    assert not _check(project, "Phạt {{ fine_282_a21_k4 }} (khoản 11 Điều 21 và khoản 4 Điều 21 Nghị định số 282/2025/NĐ-CP).")
    assert not _check(project, "Phạt {{ fine_282_a21_k4 }}. Trục xuất (khoản 11 Điều 21 Nghị định số 282/2025/NĐ-CP).")
    table = ("**Bảng: mức phạt**\n\n| Hành vi | Mức phạt | Căn cứ |\n|---|---|---|\n"
             "| Quá hạn | {{ fine_282_a21_k4 }} | khoản 5 Điều 21 Nghị định số 282/2025/NĐ-CP |")
    (f,) = _check(project, table)
    assert f.line == 11


def test_figure_check_in_english(project):
    (f,) = _check(project, "You may be fined {{ fine_282_a21_k2 }} (Clause 3, Article 21 of Decree No. 282/2025/ND-CP).",
                  lang="en", name="docs/thu/trang.en.md")
    assert f.path == "docs/thu/trang.en.md" and "Clause 3, Article 21" in f.message("en")


# --- summaries: schema and honesty --------------------------------------------------------------
def test_summary_files_are_validated_with_file_and_line(tmp_path):
    proj = copy_project(tmp_path / "p")
    f = proj / "data" / "summaries" / "vi" / "nghi-dinh-282-2025-nd-cp.yaml"
    f.write_text('"21.2": "Phạt {{ fine_282_a21_k2 }}."\n'
                 '"21.99": "Không có khoản này."\n'
                 '"21": "Điều có khoản phải tóm tắt từng khoản."\n'
                 'abc: "Khóa sai."\n'
                 '"21.3": "Dùng số liệu của khoản khác: {{ fine_282_a21_k9 }}."\n'
                 '"21.4": "Số liệu không có {{ khong_co }}."\n', "utf-8")
    clear_cache()
    p = load_project(proj, fresh=True)
    page = proj / "docs" / "van-ban" / "nghi-dinh-282-2025-nd-cp.md"
    res = process_page(p, "docs/van-ban/nghi-dinh-282-2025-nd-cp.md", page.read_bytes(), lang="vi", src_uri="van-ban/nghi-dinh-282-2025-nd-cp.md")
    bad = sorted((x.path, x.line) for x in res.findings if x.code == "summary_bad")
    path = "data/summaries/vi/nghi-dinh-282-2025-nd-cp.yaml"
    assert bad == [(path, 2), (path, 3), (path, 4), (path, 5), (path, 6)], [x.message("en") for x in res.findings]
    md = document_page(p.registry.get("282/2025/NĐ-CP"), p.registry, "vi", TODAY, {}, "van-ban/nghi-dinh-282-2025-nd-cp.md",
                       cited_units={("21", "3", None), ("21", "2", None)}, project=p)
    assert 'data-provision="21.2">Phạt 500.000 – 2.000.000 đồng.' in md
    line3 = next(l for l in md.splitlines() if 'id="dieu-21-khoan-3"' in l)
    assert "clause-summary--missing" in line3  # the invalid entry is left out, never shown half-checked


def test_no_summary_for_documents_whose_text_was_not_read(project):
    base = ROOT / "data" / "summaries"
    slugs = {p.stem for lang in ("vi", "en") for p in (base / lang).glob("*.yaml")}
    read = {project.registry.get(n).slug for n in TEXTS_READ}
    assert slugs <= read, slugs - read


# --- the built site -------------------------------------------------------------------------------
def _ids(path: Path, cache: dict):
    if path not in cache:
        cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text("utf-8"))) if path.is_file() else None
    return cache[path]


@pytest.mark.slow
def test_every_citation_link_lands_on_an_existing_anchor(built_site):
    cache: dict = {}
    broken, total, precise = [], 0, 0
    for page in built_site.rglob("*.html"):
        for m in re.finditer(r'<a class="cite"[^>]*href="([^"]+)"', page.read_text("utf-8")):
            href = html.unescape(m.group(1))
            path, _, frag = href.partition("#")
            target = (page.parent / path)
            target = target / "index.html" if path.endswith("/") or target.is_dir() else target
            got = _ids(target.resolve(), cache)
            total += 1
            precise += "-khoan-" in frag
            if got is None or (frag and frag not in got):
                broken.append(f"{page.relative_to(built_site)} -> {href}")
    assert total > 1000 and precise > total // 2, (total, precise)
    assert not broken, broken[:20]


@pytest.mark.slow
def test_every_cited_clause_carries_a_summary_in_the_page_language(built_site):
    reg = load_project(ROOT).registry
    read_slugs = {reg.get(n).slug for n in TEXTS_READ}
    cited: dict = defaultdict(set)  # (lang root, slug) -> {"21.2", "15"}
    for page in built_site.rglob("*.html"):
        lang = "en" if page.relative_to(built_site).parts[0] == "en" else "vi"
        for m in re.finditer(r'<a class="cite"([^>]*)>', page.read_text("utf-8")):
            attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
            slug = re.search(r"van-ban/([a-z0-9-]+)/", attrs.get("href", ""))
            if not slug or slug.group(1) not in read_slugs or "data-article" not in attrs:
                continue
            doc = reg.by_slug(slug.group(1))
            art = doc.article(attrs["data-article"])
            if "data-clause" in attrs:
                cited[(lang, slug.group(1))].add(f"{attrs['data-article']}.{attrs['data-clause']}")
            elif art is not None and art.clauses == []:
                cited[(lang, slug.group(1))].add(attrs["data-article"])
    assert len(cited) >= 8
    missing = []
    for (lang, slug), keys in sorted(cited.items()):
        doc_page = built_site / ("en" if lang == "en" else "") / "van-ban" / slug / "index.html"
        text = doc_page.read_text("utf-8")
        have = set(re.findall(r'class="clause-summary" data-provision="([^"]+)"', text))
        missing += [f"{lang} {slug} {k}" for k in sorted(keys - have)]
    assert not missing, f"{len(missing)} cited clauses without a summary: {missing[:40]}"


@pytest.mark.slow
def test_document_pages_open_with_the_status_banner_and_collapse_citing_pages(built_site):
    for rel, status in [("van-ban/nghi-dinh-144-2021-nd-cp/index.html", "Không còn hiệu lực"),
                        ("en/van-ban/nghi-dinh-144-2021-nd-cp/index.html", "No longer in force"),
                        ("van-ban/luat-49-2019-qh14/index.html", "Còn hiệu lực")]:
        text = (built_site / rel).read_text("utf-8")
        body = text[text.index('data-pagefind-body') if 'data-pagefind-body' in text else 0:]
        first = re.search(r'<div class="admonition ([a-z]+) doc-status">\s*<p class="admonition-title">([^<]+)</p>', body)
        assert first and first.group(2) == status, rel
        assert body.index("doc-status") < body.index('id="thong-tin"')
        if 'id="cac-dieu"' in body:
            assert body.index('id="cac-dieu"') < body.index('id="trang-trich-dan"')
        rest = body[body.index('id="trang-trich-dan"'):]
        if "<table" in rest:
            assert rest.index("<details") < rest.index("<table")
