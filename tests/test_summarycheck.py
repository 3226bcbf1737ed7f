"""`lawsite check` reports a cited clause without its clause summary (mends8): the document page
shows a summary beside every cited provision of a text read for the project (confidence VT), so a
citation of a clause whose summary is missing in the page's language is an error at the citation's
file:line naming the document, the provision and the summaries file (cite_clause_no_summary), not
something staff learn only from CI's built-site test (tests/test_docpages.py keeps that one)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from lawsite.cite.model import Provision
from lawsite.page.process import process_page
from lawsite.page.summarycheck import summary_key
from lawsite.project.loader import load_project
from lawsite.project.summaries import load_summaries

FM = "---\ntitle: T\ndescription: D\nlast_reviewed: 2026-11-22\ndocuments: [\"49/2019/QH14\"]\n---\n\n"
LAW = "49/2019/QH14"


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def _unsummarised(project, lang="vi") -> tuple[str, str]:
    """(article, clause) of a clause of Law 49 that has no summary in either language."""
    doc = project.registry.get(LAW)
    have = set(load_summaries(project, "vi", doc).items) | \
        set(load_summaries(project, "en", doc).items)
    for a in doc.articles:
        for c in a.clauses or []:
            if f"{a.number}.{c.number}" not in have and c.repealed is None and a.repealed is None:
                return a.number, c.number
    pytest.skip("every clause of Law 49 is summarised")


def _summarised(project) -> tuple[str, str]:
    doc = project.registry.get(LAW)
    key = next(k for k in load_summaries(project, "vi", doc).items if "." in k)
    return tuple(key.split("."))


def _found(project, name: str, body: str):
    lang = "en" if name.endswith(".en.md") else "vi"
    res = process_page(project, f"docs/{name}", (FM + body).encode("utf-8"), lang=lang, src_uri=name)
    return [f for f in res.findings if f.code == "cite_clause_no_summary"]


def test_a_cited_clause_without_summary_is_an_error_at_the_citation(project):
    a, c = _unsummarised(project)
    body = f"Câu đầu.\n\nNgười dân làm theo quy định (khoản {c} Điều {a} Luật số 49/2019/QH14).\n"
    got = _found(project, "cong-dan/thu.md", body)
    assert len(got) == 1
    f = got[0]
    assert (f.path, f.line, f.severity) == ("docs/cong-dan/thu.md", FM.count("\n") + 3, "error")
    assert f.col == body.splitlines()[2].index("khoản") + 1
    vi, en = f.format("vi"), f.format("en")
    assert f"khoản {c} Điều {a} của Luật số 49/2019/QH14" in vi and "data/summaries/vi/luat-49-2019-qh14.yaml" in vi
    assert f'"{a}.{c}"' in vi and "chưa có tóm tắt" in vi
    assert f"Clause {c}, Article {a} of Law No. 49/2019/QH14" in en and "has no summary in data/summaries/vi/" in en


def test_an_english_page_names_the_english_summaries_file(project):
    a, c = _unsummarised(project)
    body = f"People do so (Clause {c}, Article {a} of Law No. 49/2019/QH14).\n"
    got = _found(project, "cong-dan/thu.en.md", body)
    assert len(got) == 1 and "data/summaries/en/luat-49-2019-qh14.yaml" in got[0].message("en")


def test_a_point_needs_its_clause_summary_and_one_finding_per_provision(project):
    a, c = _unsummarised(project)
    body = (f"Một (khoản {c} Điều {a} Luật số 49/2019/QH14).\n\n"
            f"Hai (khoản {c} Điều {a} Luật số 49/2019/QH14).\n")
    assert len(_found(project, "cong-dan/thu.md", body)) == 1  # the same clause twice: one finding, at the first
    doc = project.registry.get(LAW)
    art = doc.article(a)
    clause = next(x for x in art.clauses if x.number == c)
    if clause.points:
        p = clause.points[0].letter
        got = _found(project, "cong-dan/thu.md", f"Ba (điểm {p} khoản {c} Điều {a} Luật số 49/2019/QH14).\n")
        assert [f.params["key"] for f in got] == [f"{a}.{c}"]


def test_no_finding_where_a_summary_is_expected_and_present_or_not_expected(project):
    a, c = _summarised(project)
    assert not _found(project, "cong-dan/thu.md", f"Có tóm tắt (khoản {c} Điều {a} Luật số 49/2019/QH14).\n")
    # an article with clauses cited whole needs no single summary
    doc = project.registry.get(LAW)
    whole = next(x for x in doc.articles if x.clauses)
    assert summary_key(doc, Provision(whole.number)) is None
    assert not _found(project, "cong-dan/thu.md", f"Cả điều (Điều {whole.number} Luật số 49/2019/QH14).\n")
    # a document whose text was not read has no summaries at all: nothing to ask for
    ss = project.registry.get("23/2023/QH15")
    assert ss.confidence != "VT"
    assert not _found(project, "cong-dan/thu.md", "Sửa đổi (khoản 1 Điều 1 Luật số 23/2023/QH15).\n")


def test_a_procedure_card_citation_is_reported_at_its_legal_basis_line(project):
    a, c = _unsummarised(project)
    card = f"procedure:\n  legal_basis: [\"khoản {c} Điều {a} Luật số 49/2019/QH14\"]\n"
    text = FM[:-len("---\n\n")] + card + "---\n\nNội dung trang.\n"
    res = process_page(project, "docs/cong-dan/the.md", text.encode("utf-8"), lang="vi", src_uri="cong-dan/the.md")
    got = [f for f in res.findings if f.code == "cite_clause_no_summary"]
    line = next(i + 1 for i, l in enumerate(text.splitlines()) if "legal_basis" in l)
    assert [(f.line, f.params["key"]) for f in got] == [(line, f"{a}.{c}")]


def test_lawsite_check_reports_it_and_fails(project, tmp_path):
    a, c = _unsummarised(project)
    page = tmp_path / "thu.md"
    page.write_text(FM + f"Người dân làm theo (khoản {c} Điều {a} Luật số 49/2019/QH14).\n", "utf-8")
    env = {**os.environ, "LAWSITE_TODAY": "2026-12-01"}
    out = subprocess.run([sys.executable, "-m", "lawsite.cli", "check", "--quiet-info", "--lang", "en", str(page)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr
    line = [x for x in out.stdout.splitlines() if "has no summary" in x]
    assert len(line) == 1 and f":{FM.count(chr(10)) + 1}:" in line[0] and f'"{a}.{c}"' in line[0]
