"""Language differences are data (issue 16 §2, mends9).

1. Today's output of the language-dependent code, pinned in both languages (written before the
   language branches moved into data, so the move changed no byte): numbers, dates, the summary
   lines of the `lawsite` commands (other tools read them), the names of documents and provisions,
   the status and type labels and a document page's title, issuer and point letters.
2. A third language added as DATA ONLY, in a copy of the package (labels, messages and grammar
   files, nothing else): the formatting, the command summaries and the generated blocks run in it,
   with no KeyError and no English code path; a string it lacks falls back to the default language."""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from lawsite import cli
from lawsite.cite.model import Provision
from lawsite.cite.names import citation_text, display_number, doc_name, provision_text
from lawsite.core.l10n import format_date, format_number
from lawsite.generate.blocks import document_page, status_label, type_label
from lawsite.project.loader import load_project

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def _run(argv, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(argv)
    finally:
        os.chdir(cwd)
    return rc, out.getvalue(), err.getvalue()


# --- 1. today's output, both languages -------------------------------------------------------------
def test_numbers_and_dates():
    assert (format_number(1234567, "vi"), format_number(1234567, "en")) == ("1.234.567", "1,234,567")
    assert (format_number(500, "vi"), format_number(0, "en")) == ("500", "0")
    assert (format_date(dt.date(2026, 3, 5), "vi"), format_date(dt.date(2026, 3, 5), "en")) == ("05/03/2026", "5 March 2026")
    assert format_date(dt.date(2025, 12, 15), "en") == "15 December 2025"


def test_check_summary_line(monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    files = ["docs/cong-dan/ho-chieu.md", "docs/cong-dan/ho-chieu.en.md"]
    assert _run(["check", "--lang", "vi", *files])[2].splitlines()[-1] == "2 tệp, 0 lỗi, 0 cảnh báo"
    assert _run(["check", "--lang", "en", *files])[2].splitlines()[-1] == "2 files, 0 errors, 0 warnings"


def test_review_due_and_translations_summary_lines(monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    assert re.fullmatch(r"\d+ trang cần rà soát", _run(["review-due", "--lang", "vi"])[2].strip())
    assert re.fullmatch(r"\d+ pages due for review", _run(["review-due", "--lang", "en"])[2].strip())
    vi = _run(["translations", "--lang", "vi"])[2].strip()
    en = _run(["translations", "--lang", "en"])[2].strip()
    assert re.fullmatch(r"(\d+) trang: \d+ đã cập nhật, \d+ cần cập nhật, \d+ chưa có bản dịch, \d+ chưa đánh dấu", vi), vi
    assert re.fullmatch(r"(\d+) pages: \d+ up to date, \d+ outdated, \d+ missing, \d+ unmarked", en), en
    assert re.findall(r"\d+", vi) == re.findall(r"\d+", en)
    assert _run(["translations", "--mark-current", "--lang", "vi"]) == (2, "", "lawsite translations --mark-current: ghi trang "
                                                                         "cần đánh dấu, ví dụ docs/cong-dan/ho-chieu.en.md (hoặc --all)\n")
    assert _run(["translations", "--mark-current", "--lang", "en"]) == (2, "", "lawsite translations --mark-current: give the page, "
                                                                         "e.g. docs/cong-dan/ho-chieu.en.md (or --all)\n")


def test_scan_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWSITE_TODAY", "2026-12-01")
    vi, en = tmp_path / "a.md", tmp_path / "a.en.md"
    vi.write_text("Theo Nghị định số 999/2020/NĐ-CP và Điều 21 Nghị định số 282/2025/NĐ-CP.\n", "utf-8")
    en.write_text("Under Decree No. 999/2020/ND-CP and Article 21(2)(dd) of Decree No. 282/2025/ND-CP.\n", "utf-8")
    rc, out, err = _run(["scan", str(vi)])
    assert out.splitlines() == [
        f"{vi}:1:6: Nghị định số 999/2020/NĐ-CP -> 999/2020/NĐ-CP (không có trong danh mục)",
        f"{vi}:1:6: info: Không có văn bản số '999/2020/NĐ-CP' trong danh mục văn bản.",
        f"{vi}:1:37: Điều 21 Nghị định số 282/2025/NĐ-CP -> 282/2025/NĐ-CP 21"]
    assert (rc, err) == (0, "2 trích dẫn, 0 trích dẫn có lỗi\n")
    rc, out, err = _run(["scan", str(en)])
    assert out.splitlines() == [
        f"{en}:1:7: Decree No. 999/2020/ND-CP -> 999/2020/ND-CP (not in the registry)",
        f"{en}:1:7: info: There is no document numbered '999/2020/ND-CP' in the registry.",
        f"{en}:1:37: Article 21(2)(dd) of Decree No. 282/2025/ND-CP -> 282/2025/NĐ-CP 21.2.đ"]
    assert (rc, err) == (0, "2 references, 0 with an error\n")


def test_names_of_documents_and_provisions(project):
    d = project.registry.get("282/2025/NĐ-CP")
    p = Provision(article="21", clause="2", point="đ")
    assert (doc_name(d, "vi"), doc_name(d, "en")) == ("Nghị định số 282/2025/NĐ-CP", "Decree No. 282/2025/ND-CP")
    assert (display_number(d, "vi"), display_number(d, "en")) == ("282/2025/NĐ-CP", "282/2025/ND-CP")
    assert (provision_text(p, "vi"), provision_text(p, "en")) == ("điểm đ khoản 2 Điều 21", "Point dd, Clause 2, Article 21")
    assert citation_text(d, p, "en") == "Point dd, Clause 2, Article 21 of Decree No. 282/2025/ND-CP"
    r = project.registry.get("127/NQ-CP")
    assert display_number(r, "en") == f"127/NQ-CP ({r.signed.year})"
    assert citation_text(r, None, "vi") == f"Nghị quyết số 127/NQ-CP ngày {format_date(r.signed, 'vi')}"


def test_labels_and_document_page(project):
    assert (status_label("còn hiệu lực", "vi"), status_label("còn hiệu lực", "en")) == ("còn hiệu lực", "In force")
    assert (type_label("Nghị định", "vi"), type_label("Nghị định", "en")) == ("Nghị định", "Decree")
    assert type_label("Pháp lệnh", "en") == "Pháp lệnh"  # no English label: the registry's word, unchanged
    d = project.registry.get("282/2025/NĐ-CP")
    vi = document_page(d, project.registry, "vi", TODAY, {}, f"van-ban/{d.slug}.md", project=project)
    en = document_page(d, project.registry, "en", TODAY, {}, f"van-ban/{d.slug}.md", project=project)
    assert d.title.vi in vi and d.title.en in en and d.title.en not in vi
    assert d.issuer.vi in vi and d.issuer.en in en
    assert 'dieu-21-khoan-2-diem-dd">đ</span>' in vi and 'dieu-21-khoan-2-diem-dd">dd</span>' in en


# --- 2. a third language as data only ----------------------------------------------------------------
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
FR_MESSAGES = {  # part of a French catalogue: every other code falls back to the default language (data)
    "cmd_check_summary": "{files} fichiers, {errors} erreurs, {warnings} avertissements",
    "cmd_scan_summary": "{refs} références, dont {errors} en erreur",
    "cmd_scan_not_in_registry": " (absent du registre)",
    "cmd_translations_summary": "{pages} pages : {current} à jour, {outdated} à revoir, {missing} absentes, {unmarked} non marquées",
    "lang_untranslated": "{n} messages sans texte '{language}', affichés en '{default}' : {codes}",
    "cite_unknown_document": "Aucun document numéroté '{number}' dans le registre.{suggestion}",
}


def _with_french(dest: Path) -> Path:
    """A copy of the project and its package with French added in the package's data files only (no
    .py file is touched)."""
    import yaml

    copy_project(dest)
    pkg = dest / "lawsite"
    shutil.copytree(ROOT / "lawsite", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.relative_to(pkg): p.read_bytes() for p in pkg.rglob("*.py")}
    lab = yaml.safe_load((pkg / "labels.yaml").read_text("utf-8"))
    lab["fr"] = copy.deepcopy(lab["en"])
    for key, block in lab.items():  # every per-language block: French starts as a copy of the English words
        if isinstance(block, dict) and "en" in block and key != "fr":
            block["fr"] = copy.deepcopy(block["en"])
    lab["languages"]["fr"] = {"thousands_separator": " ", "date": "{day} {month_name} {year}", "month_names": FR_MONTHS}
    lab["status_labels"]["fr"] = {"còn hiệu lực": "En vigueur", "hết hiệu lực toàn bộ": "Abrogé"}
    lab["type_labels"]["fr"] = {"Nghị định": "Décret", "Luật": "Loi"}
    (pkg / "labels.yaml").write_text(yaml.safe_dump(lab, allow_unicode=True, sort_keys=False), "utf-8")
    for name in ("staff_labels.yaml", "impact_labels.yaml"):
        data = yaml.safe_load((pkg / name).read_text("utf-8"))
        data["fr"] = copy.deepcopy(data["en"])
        (pkg / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    (pkg / "messages" / "fr.yaml").write_text(
        yaml.safe_dump({k: {"msg": v} for k, v in FR_MESSAGES.items()}, allow_unicode=True), "utf-8")
    g = yaml.safe_load((pkg / "grammar" / "en.yaml").read_text("utf-8"))
    g["lang"] = "fr"
    g["doc_types"] = {**g["doc_types"], "Nghị định": ["Décret"], "Luật": ["Loi"]}
    g["format"] = {**g["format"], "doc": "{type} n° {number}", "point": "point {v}", "clause": "alinéa {v}",
                   "article": "article {v}", "doc_connector": " du "}
    g["number_prefix"] = ["n°", "no"]
    g["units"] = {"point": {"single": ["point"], "plural": ["points"], "self": ["ce point"]},
                  "clause": {"single": ["alinéa"], "plural": ["alinéas"], "self": ["cet alinéa"]},
                  "article": {"single": ["article"], "plural": ["articles"], "self": ["cet article"]}}
    g["doc_connector"] = r"\s+du\s+|\s+de\s+la\s+|\s*,\s*"
    g["unit_separator"] = r"\s*,\s*|\s+du\s+|\s+de\s+l'|\s+"
    g["article_tail_brackets"] = False
    (pkg / "grammar" / "fr.yaml").write_text(yaml.safe_dump(g, allow_unicode=True, sort_keys=False), "utf-8")
    assert {p.relative_to(pkg): p.read_bytes() for p in pkg.rglob("*.py")} == before  # data only
    return dest


SCRIPT = r'''
import contextlib, datetime as dt, io, json, os, sys
import lawsite
assert lawsite.__file__.startswith(sys.argv[1]), lawsite.__file__  # the copy, not the checkout
from lawsite import cli
from lawsite.cite.model import Provision
from lawsite.cite.names import citation_text, doc_name, provision_text
from lawsite.core.l10n import format_date, format_number, languages, page_lang, url_prefix
from lawsite.generate.blocks import document_page, documents_index, status_label, type_label
from lawsite.project.loader import load_project

def run(argv):
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        rc = cli.main(argv)
    return [rc, o.getvalue(), e.getvalue()]

p = load_project(os.getcwd())
d = p.registry.get("282/2025/NĐ-CP")
today = dt.date(2026, 12, 1)
out = {
    "languages": list(languages()), "page_lang": page_lang("a/b.fr.md"), "prefix": url_prefix("fr"),
    "number": format_number(1234567, "fr"), "date": format_date(dt.date(2026, 3, 5), "fr"),
    "doc_name": doc_name(d, "fr"), "provision": provision_text(Provision(article="21", clause="2", point="đ"), "fr"),
    "citation": citation_text(d, Provision(article="21", clause="2"), "fr"),
    "status": status_label("còn hiệu lực", "fr"), "type": type_label("Nghị định", "fr"),
    "unlabelled": status_label("ngưng hiệu lực", "fr"),
    "page": document_page(d, p.registry, "fr", today, {}, "van-ban/x.md", project=p),
    "index": documents_index(p.registry, "fr", today, "van-ban/index.md"),
    "check": run(["check", "--lang", "fr", sys.argv[2]]),
    "review": run(["review-due", "--lang", "fr"]),
    "translations": run(["translations", "--lang", "fr"]),
    "scan": run(["scan", "--lang", "fr", sys.argv[3]]),
}
print(json.dumps(out, ensure_ascii=False))
'''


def test_a_third_language_is_a_data_change(tmp_path):
    pkgdir = _with_french(tmp_path / "site")
    text = tmp_path / "texte.fr.txt"
    text.write_text("Voir le Décret n° 999/2020/ND-CP et l'alinéa 2 de l'article 21 du Décret n° 282/2025/ND-CP.\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(pkgdir), "LAWSITE_TODAY": "2026-12-01", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("LAWSITE_LANG", None)
    script = tmp_path / "run_fr.py"  # a file, not -c: the checkout (the working folder) stays off sys.path
    script.write_text(SCRIPT, "utf-8")
    proc = subprocess.run([sys.executable, str(script), str(pkgdir), "docs/cong-dan/ho-chieu.md", str(text)],
                          cwd=pkgdir, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    import json

    r = json.loads(proc.stdout)
    assert r["languages"] == ["vi", "en", "fr"] and (r["page_lang"], r["prefix"]) == ("fr", "fr/")
    assert (r["number"], r["date"]) == ("1 234 567", "5 mars 2026")
    assert r["doc_name"] == "Décret n° 282/2025/ND-CP" and r["provision"] == "point dd, alinéa 2, article 21"
    assert r["citation"] == "alinéa 2, article 21 du Décret n° 282/2025/ND-CP"
    assert (r["status"], r["type"]) == ("En vigueur", "Décret")
    assert r["unlabelled"] == "ngưng hiệu lực"  # no French label: the registry's word, as data says
    # the generated blocks: French labels and dates, the English-copied words where French has none
    assert "Décret" in r["page"] and "En vigueur (1 décembre 2026)" in r["page"] and "December" not in r["page"]
    assert "[Décret n° 282/2025/ND-CP]" in r["index"] or "282/2025/ND-CP" in r["index"]
    # the command summaries in French; a message French lacks is the default language's, and is announced
    rc, out, err = r["check"]
    assert rc == 0 and err.splitlines()[-1] == "1 fichiers, 0 erreurs, 0 avertissements", err
    assert err.splitlines()[0].startswith("lawsite: ") and "sans texte 'fr', affichés en 'vi'" in err.splitlines()[0]
    rc, out, err = r["review"]
    assert re.fullmatch(r"\d+ trang cần rà soát", err.splitlines()[-1]), err  # no French text: Vietnamese, as data
    rc, out, err = r["translations"]
    assert re.fullmatch(r"\d+ pages : \d+ à jour, \d+ à revoir, \d+ absentes, \d+ non marquées", err.splitlines()[-1]), err
    rc, out, err = r["scan"]
    lines = out.splitlines()
    assert any("-> 999/2020/ND-CP (absent du registre)" in x for x in lines), out
    assert any("Aucun document numéroté '999/2020/ND-CP'" in x for x in lines), out
    assert any("-> 282/2025/NĐ-CP 21.2" in x for x in lines), out
    assert re.fullmatch(r"\d+ références, dont 0 en erreur", err.splitlines()[-1]), err
