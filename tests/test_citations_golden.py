"""Golden citation table (tests/data/citations.yaml): every row goes through the public pipeline
(parse -> resolve -> validate, or lawsite.page.process.process_page for whole pages) and must give exactly
the citations and finding codes the table expects. Then: rendering a citation and parsing it again
gives the same reference, in both languages."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from lawsite.cite.model import Provision
from lawsite.cite.names import citation_text, doc_name, provision_text
from lawsite.cite.parse import get_parser
from lawsite.cite.render import render_link
from lawsite.cite.resolve import resolve
from lawsite.cite.validate import validate
from lawsite.core.findings import Finding
from lawsite.page.process import process_page
from lawsite.project.loader import load_project
from lawsite.core.text import fold, nfc

ROOT = Path(__file__).resolve().parents[1]
TABLE = yaml.safe_load((ROOT / "tests" / "data" / "citations.yaml").read_text("utf-8"))
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def _id(row) -> str:
    extra = "".join(f" @{k}={row[k]}" for k in ("date", "reviewed", "today") if k in row)
    # ASCII ids (pytest escapes other characters): "vi: dieu 5 va dieu 6 luat so 49/2019/QH14"
    return fold(f"{row.get('lang', 'vi')}{'-page' if row.get('page') else ''}: {row['text'][:70]}{extra}").encode("ascii", "replace").decode()


def _prov(p: Provision) -> str:
    s = p.article or ""
    if p.clause:
        s += "." + p.clause
    if p.point:
        s += "." + p.point
    return s


def _cite_repr(c) -> str:
    if c.problem:
        return "!" + c.problem
    head = c.document.number if c.document is not None else "?"
    provs = [_prov(p) for p in c.provisions]
    return f"{head}: {', '.join(provs)}" if provs else head


def _expected_findings(row) -> Counter:
    return Counter([("error", c) for c in row.get("errors", [])] + [("warning", c) for c in row.get("warnings", [])]
                   + [("info", c) for c in row.get("infos", [])])


def _check_message(row, findings: list[Finding]) -> None:
    if "message" not in row:
        return
    assert findings, "a message is expected but nothing was reported"
    lang = row.get("message_lang", "vi")
    msg = findings[0].message(lang)
    assert row["message"] in msg, msg


def test_table_is_big_and_covers_both_languages():
    langs = Counter(r.get("lang", "vi") for r in TABLE)
    assert len(TABLE) >= 120 and langs["vi"] >= 60 and langs["en"] >= 40, langs
    assert sum(1 for r in TABLE if r.get("errors")) >= 40
    assert sum(1 for r in TABLE if r.get("page")) >= 10


@pytest.mark.parametrize("row", [r for r in TABLE if not r.get("page")], ids=_id)
def test_citation(row, project):
    lang = row.get("lang", "vi")
    today = row.get("today", TODAY)
    parser = get_parser(lang, project.aliases(lang))
    cites = parser.parse(nfc(row["text"]))
    problems = resolve(cites, project.registry, row.get("documents", []))
    problems += validate([c for c in cites if c.document is not None], project.registry, on=row.get("date", today),
                         today=today, reviewed=row.get("reviewed"))
    assert [_cite_repr(c) for c in cites] == row["cites"]
    findings = [Finding("t.md", 1, 1, p.severity, p.code, p.params) for p in problems]
    assert Counter((f.severity, f.code) for f in findings) == _expected_findings(row), [f.message("en") for f in findings]
    _check_message(row, findings)
    for c in cites:  # offsets refer to the text as given
        assert nfc(row["text"])[c.start:c.end] == c.text and c.text.strip() == c.text and c.text


@pytest.mark.parametrize("row", [r for r in TABLE if r.get("page")], ids=_id)
def test_page(row, project, monkeypatch):
    lang = row.get("lang", "vi")
    today = row.get("today", TODAY)
    monkeypatch.setenv("LAWSITE_TODAY", today.isoformat())
    fm = ["---", "title: Trang thử", "description: Một trang thử.", f"last_reviewed: {row.get('reviewed', today).isoformat()}"]
    if row.get("documents"):
        fm.append("documents: [" + ", ".join(f'"{d}"' for d in row["documents"]) + "]")
    text = "\n".join(fm) + "\n---\n\n" + row["text"] + "\n"
    if row.get("nfd"):
        text = unicodedata.normalize("NFD", text)
        assert text != unicodedata.normalize("NFC", text)
    path = "docs/thu/trang.en.md" if lang == "en" else "docs/thu/trang.md"
    res = process_page(project, path, text.encode("utf-8"), render=True, date=row.get("date"), src_uri=path[5:])
    # the page-level rule "a page citing law lists its documents" (issue 17) is tested in test_bad_inputs
    res.findings = [f for f in res.findings if f.code != "fm_cites_without_documents"]
    assert [_cite_repr(c) for c in res.citations] == row["cites"]
    assert Counter((f.severity, f.code) for f in res.findings) == _expected_findings(row), [f.format("en") for f in res.findings]
    _check_message(row, res.findings)
    assert res.markdown.count('<a class="cite"') == row["linked"], res.markdown
    for f in res.findings:  # every finding points at the citation's line, after the front matter
        assert f.line >= len(fm) + 2


# --- render, then parse again --------------------------------------------------------------------
def _samples(project):
    """Every article, every clause and every point of the documents with a recorded structure."""
    out = []
    for doc in project.registry:
        if doc.structure == "none" or doc.confidence == "UM":
            continue
        for a in doc.articles:
            out.append((doc, Provision(a.number)))
            for cl in a.clauses or []:
                out.append((doc, Provision(a.number, cl.number)))
                for pt in cl.points:
                    out.append((doc, Provision(a.number, cl.number, pt.letter)))
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_render_then_parse_gives_the_same_reference(project, lang):
    parser = get_parser(lang, project.aliases(lang))
    samples = _samples(project)
    assert len(samples) > 1500
    docs_seen = set()
    for doc, prov in samples:
        text = citation_text(doc, prov, lang)
        cites = parser.parse(nfc(text))
        assert len(cites) == 1 and cites[0].text == text, (text, [c.text for c in cites])
        resolve(cites, project.registry, [])
        assert cites[0].document is doc and cites[0].provisions == [prov], text
        docs_seen.add(doc.number)
    assert {"49/2019/QH14", "47/2014/QH13", "282/2025/NĐ-CP", "100/2015/QH13"} <= docs_seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_render_document_names_round_trip(project, lang):
    """Whole documents, including year-less resolutions (rendered with their date)."""
    parser = get_parser(lang, project.aliases(lang))
    for doc in project.registry:
        text = citation_text(doc, None, lang)
        cites = parser.parse(nfc(text))
        problems = resolve(cites, project.registry, [])
        assert len(cites) == 1 and cites[0].text == text and not problems, (text, [p.code for p in problems])
        assert cites[0].document is doc


def test_rendered_names_follow_each_language():
    reg = load_project(ROOT).registry
    d282 = reg.get("282/2025/NĐ-CP")
    assert citation_text(d282, Provision("21", "2", "đ"), "vi") == "điểm đ khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP"
    assert citation_text(d282, Provision("21", "2", "đ"), "en") == "Point dd, Clause 2, Article 21 of Decree No. 282/2025/ND-CP"
    assert doc_name(reg.get("100/2015/QH13"), "vi") == "Bộ luật Hình sự số 100/2015/QH13"
    assert citation_text(reg.get("127/NQ-CP"), None, "en") == "Resolution No. 127/NQ-CP dated 14 August 2023"
    assert provision_text(Provision("31a"), "en") == "Article 31a"


@pytest.mark.parametrize("lang,text,href,attrs", [
    ("vi", "điểm đ khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP", "../../van-ban/nghi-dinh-282-2025-nd-cp/#dieu-21-khoan-2-diem-dd",
     ['data-doc="282/2025/NĐ-CP"', 'data-article="21"', 'data-clause="2"', 'data-point="đ"']),
    ("en", "Articles 36 to 39 of Law No. 47/2014/QH13", "../../van-ban/luat-47-2014-qh13/#dieu-36",
     ['data-doc="47/2014/QH13"', 'data-articles="36 37 38 39"']),
    ("en", "Decree No. 282/2025/ND-CP", "../../van-ban/nghi-dinh-282-2025-nd-cp/", ['data-doc="282/2025/NĐ-CP"']),
])
def test_render_link_then_parse_the_link_text(project, lang, text, href, attrs):
    parser = get_parser(lang, project.aliases(lang))
    (c,) = parser.parse(text)
    assert not resolve([c], project.registry, [])
    link = render_link(c, lang, "thu/trang.md")
    # inline HTML: <a class="cite" data-…="…" href="…" title="…">text</a> (page thu/trang.md is served at thu/trang/)
    m = re.fullmatch(r'<a (?P<attrs>class="cite"[^>]*) href="(?P<href>[^"]+)" title="(?P<title>[^"]+)">(?P<text>[^<]+)</a>', link)
    assert m, link
    assert m.group("href") == href and m.group("text") == text
    for a in attrs:
        assert a in m.group("attrs")
    # the link text parses back to the same reference
    (again,) = parser.parse(m.group("text"))
    resolve([again], project.registry, [])
    assert again.document is c.document and again.provisions == c.provisions


def test_rendered_page_parses_back_to_the_same_citations(project, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", TODAY.isoformat())
    body = ("---\ntitle: T\ndescription: D.\nlast_reviewed: 2026-11-22\n---\n\n"
            "Theo điểm đ khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP và các Điều 5, 6 và 7 Luật số 49/2019/QH14; "
            "xem thêm Điều 347 Bộ luật Hình sự.\n")
    first = process_page(project, "docs/thu/trang.md", body.encode(), render=True, src_uri="thu/trang.md")
    assert not [f for f in first.findings if f.code != "fm_cites_without_documents"] and first.markdown.count('<a class="cite"') == 3
    again = process_page(project, "docs/thu/trang.md", ("---\ntitle: T\ndescription: D.\nlast_reviewed: 2026-11-22\n---\n\n" + first.markdown).encode(),
                         render=True, src_uri="thu/trang.md")
    assert [_cite_repr(c) for c in again.citations] == [_cite_repr(c) for c in first.citations]
    assert all(c.in_link for c in again.citations)  # already links: not linked twice
    assert again.markdown.count('<a class="cite"') == 3
