"""tools/score_scan.py: the scorer that measures `lawsite scan` against a labelled corpus.

The engine is not run here: each test writes a small text, its labels and a hand-written
jsonl answer (the `lawsite scan --format jsonl` format of issue 12) and checks the figures."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ss():
    spec = importlib.util.spec_from_file_location("score_scan", ROOT / "tools" / "score_scan.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score_scan"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


TEXT = """\
Điều 7. Thẩm quyền
1. Người có thẩm quyền quy định tại khoản 2 Điều này.
2. Trừ trường hợp quy định tại điểm a, điểm b khoản 1 Điều 21 của Nghị định này.
3. Theo Điều 45 của Luật Dẫn độ và khoản 2 Điều 21 Luật Xử lý vi phạm hành chính.
Điều 8. Hiệu lực
Nghị định này thay thế Nghị định số 144/2021/NĐ-CP.
"""

LABELS = {
    "file": "text.txt",
    "document": "282/2025/NĐ-CP",
    "lang": "vi",
    "date": "2026-12-01",
    "headings": [],
    "references": [
        {"line": 2, "text": "khoản 2 Điều này", "document": "282/2025/NĐ-CP", "provisions": ["7.2"]},
        {"line": 3, "text": "điểm a, điểm b khoản 1 Điều 21 của Nghị định này", "document": "282/2025/NĐ-CP",
         "provisions": ["21.1.a", "21.1.b"]},
        {"line": 4, "text": "Điều 45 của Luật Dẫn độ", "document": "Luật Dẫn độ", "provisions": ["45"]},
        {"line": 4, "text": "khoản 2 Điều 21 Luật Xử lý vi phạm hành chính", "document": "15/2012/QH13",
         "provisions": ["21.2"]},
        {"line": 6, "text": "Nghị định này", "document": "282/2025/NĐ-CP", "provisions": []},
        {"line": 6, "text": "Nghị định số 144/2021/NĐ-CP", "document": "144/2021/NĐ-CP", "provisions": [],
         "optional": True},
    ],
}


def rep(line, col, text, document, provisions, findings=(), in_registry=True):
    return {"line": line, "col": col, "end_line": line, "text": text, "document": document,
            "in_registry": in_registry, "provisions": list(provisions), "findings": list(findings)}


PERFECT = [
    rep(2, 37, "khoản 2 Điều này", "282/2025/NĐ-CP", ["7.2"]),
    rep(3, 32, "điểm a, điểm b khoản 1 Điều 21 của Nghị định này", "282/2025/NĐ-CP", ["21.1.a", "21.1.b"]),
    rep(4, 9, "Điều 45 của Luật Dẫn độ", "Luật Dẫn độ", ["45"],
        [{"severity": "info", "code": "cite_unknown_document", "message": "…"}], in_registry=False),
    rep(4, 36, "khoản 2 Điều 21 Luật Xử lý vi phạm hành chính", "15/2012/QH13", ["21.2"]),
    rep(6, 1, "Nghị định này", "282/2025/NĐ-CP", []),
]


@pytest.fixture
def corpus(tmp_path, ss):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "text.txt").write_text(TEXT, encoding="utf-8")
    (d / "sample.yaml").write_text(yaml.safe_dump(LABELS, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return d


def load(ss, corpus):
    c = ss.load_corpus(corpus / "sample.yaml", corpus)
    assert ss.fill(c, {"282/2025/NĐ-CP", "15/2012/QH13", "144/2021/NĐ-CP"}) == []
    return c


def test_fill_computes_columns_in_registry_and_headings(ss, corpus):
    c = load(ss, corpus)
    cols = [(r["line"], r["col"]) for r in c.refs]
    assert cols == [(2, 37), (3, 32), (4, 9), (4, 36), (6, 1), (6, 24)]
    assert [r["in_registry"] for r in c.refs] == [True, True, False, True, True, True]
    assert ss.heading_lines(ss.text_lines(c.text)) == [1, 5]
    # --fill writes the file back in the jsonl key order, headings filled from the text
    assert ss.main([str(corpus), "--texts", str(corpus), "--fill"]) == 0
    data = yaml.safe_load((corpus / "sample.yaml").read_text(encoding="utf-8"))
    assert data["headings"] == [1, 5]
    assert list(data["references"][0])[:7] == ["line", "col", "end_line", "text", "document", "in_registry", "provisions"]


def test_fill_reports_a_span_that_is_not_on_its_line(ss, corpus):
    bad = dict(LABELS, references=[{"line": 2, "text": "khoản 9 Điều này", "document": "x", "provisions": ["7.9"]},
                                   {"line": 2, "text": "khoản 2 Điều này", "document": "x", "provisions": ["7.2.f"]}])
    (corpus / "sample.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    c = ss.load_corpus(corpus / "sample.yaml", corpus)
    problems = ss.fill(c, set())
    assert any("not found on the line" in p for p in problems)
    assert any("bad provision '7.2.f'" in p for p in problems)  # no point f in Vietnamese


def test_perfect_answer_scores_full_marks(ss, corpus):
    c = load(ss, corpus)
    s = ss.score(c, PERFECT)
    assert (s.labelled, s.optional, s.found, s.right, s.silent_wrong, s.headings, s.errors_on_valid) == (5, 1, 5, 5, 0, 0, 0)
    assert ss.passes(s)


def test_a_list_split_into_several_reports_is_right(ss, corpus):
    c = load(ss, corpus)
    split = [r for r in PERFECT if r["line"] != 3] + [
        rep(3, 32, "điểm a", "282/2025/NĐ-CP", ["21.1.a"]),
        rep(3, 40, "điểm b khoản 1 Điều 21 của Nghị định này", "282/2025/NĐ-CP", ["21.1.b"]),
    ]
    s = ss.score(c, split)
    assert s.found == 5 and s.right == 5


def test_wrong_target_without_finding_is_silent(ss, corpus):
    c = load(ss, corpus)
    # the example: "điểm a, điểm b khoản 1 Điều 21" read as Article 21 plus 21.1.b
    wrong = [r for r in PERFECT if r["line"] != 3] + [
        rep(3, 32, "điểm a, điểm b khoản 1 Điều 21 của Nghị định này", "282/2025/NĐ-CP", ["21", "21.1.b"])]
    s = ss.score(c, wrong)
    assert s.found == 5 and s.right == 4 and s.wrong == 1 and s.silent_wrong == 1
    assert "21.1.a" in s.silent[0] and ":3:32" in s.silent[0]
    assert not ss.passes(s)


def test_wrong_target_with_a_warning_is_not_silent(ss, corpus):
    c = load(ss, corpus)
    warned = [dict(r) for r in PERFECT]
    warned[0] = rep(2, 37, "khoản 2 Điều này", "282/2025/NĐ-CP", ["28.2"],
                    [{"severity": "warning", "code": "x", "message": "ambiguous"}])
    s = ss.score(c, warned)
    assert s.wrong == 1 and s.silent_wrong == 0


def test_reference_attached_to_the_wrong_document_is_wrong(ss, corpus):
    c = load(ss, corpus)
    bad = [dict(r) for r in PERFECT]
    bad[2] = rep(4, 9, "Điều 45", "282/2025/NĐ-CP", ["45"])  # "Điều 45 của Luật Dẫn độ" put on the page's decree
    s = ss.score(c, bad)
    assert s.silent_wrong == 1


def test_misses_headings_and_false_errors_are_counted(ss, corpus):
    c = load(ss, corpus)
    c.headings = [1, 5]
    got = PERFECT[1:] + [
        rep(1, 1, "Điều 7", "282/2025/NĐ-CP", ["7"]),  # a heading reported as a citation
    ]
    got[0] = dict(got[0], findings=[{"severity": "error", "code": "cite_unknown_point", "message": "no point a"}])
    s = ss.score(c, got)
    assert s.found == 4 and s.misses and ":2:37" in s.misses[0]
    assert s.headings == 1 and s.heading_lines == 2
    assert s.errors_on_valid == 1 and "no point a" in s.false_errors[0]
    assert not ss.passes(s)


def test_a_reference_in_a_heading_title_is_not_the_heading(ss, corpus, tmp_path):
    c = load(ss, corpus)
    c.headings = [1, 5]
    s = ss.score(c, PERFECT + [rep(5, 10, "Hiệu lực", "282/2025/NĐ-CP", [])])
    assert s.headings == 0


def test_optional_reference_counts_only_when_reported_wrong(ss, corpus):
    c = load(ss, corpus)
    s = ss.score(c, PERFECT + [rep(6, 24, "Nghị định số 144/2021/ND-CP", "144/2021/ND-CP", [])])
    assert s.labelled == 5 and s.wrong == 0  # ASCII ND equals NĐ
    s = ss.score(c, PERFECT + [rep(6, 24, "Nghị định số 144/2021/NĐ-CP", "282/2025/NĐ-CP", [])])
    assert s.wrong == 1 and s.silent_wrong == 1


def test_unknown_title_compares_loosely(ss, corpus):
    c = load(ss, corpus)
    loose = [dict(r) for r in PERFECT]
    loose[2] = rep(4, 9, "Điều 45 của Luật Dẫn độ", "Luật dẫn độ", ["45"], in_registry=False)
    assert ss.score(c, loose).right == 5


def test_main_reads_saved_jsonl_and_exits_by_the_targets(ss, corpus, tmp_path, capsys):
    out = tmp_path / "jsonl"
    out.mkdir()
    (out / "sample.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in PERFECT), "utf-8")
    assert ss.main([str(corpus), "--texts", str(corpus), "--jsonl-dir", str(out)]) == 0
    text = capsys.readouterr().out
    assert "found (recall):                 5 (100.0 %)" in text
    assert "wrong target with no finding:   0" in text
    (out / "sample.jsonl").write_text(json.dumps(PERFECT[0], ensure_ascii=False) + "\n", "utf-8")
    assert ss.main([str(corpus), "--texts", str(corpus), "--jsonl-dir", str(out)]) == 1
    text = capsys.readouterr().out
    assert "found (recall):                 1 (20.0 %)" in text and "MISSES (4)" in text


def test_bad_usage_exits_2(ss, tmp_path, capsys):
    assert ss.main([str(tmp_path)]) == 2  # no label file
    assert "no *.yaml" in capsys.readouterr().err


@pytest.mark.slow  # every label of every shipped corpus against the six official texts (a large corpus)
def test_the_corpora_are_well_formed(ss):
    """Every label of the shipped corpora sits on its line (checked against the texts when present)."""
    texts = ss.DEFAULT_TEXTS
    for folder in ("legal_corpus", "heldout"):
        for p in sorted((ROOT / "tests" / "data" / folder).glob("*.yaml")):
            c = ss.load_corpus(p, texts)
            assert c.refs, p
            if not c.text.is_file():
                continue
            assert ss.fill(c, ss.registry_numbers()) == [], p


def _fake_engine(tmp_path, body: str) -> str:
    """A stand-in for `lawsite scan` (a tiny script, not the engine): prints what it is given."""
    script = tmp_path / "fake_scan.py"
    script.write_text("import sys, time\n" + body, encoding="utf-8")
    return f"{sys.executable} {script}"


def test_main_runs_a_scan_command_with_the_corpus_options(ss, corpus, tmp_path, capsys):
    answer = tmp_path / "answer.jsonl"
    answer.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in PERFECT), "utf-8")
    args_seen = tmp_path / "args.txt"
    cmd = _fake_engine(tmp_path, f"open({str(args_seen)!r}, 'w').write(' '.join(sys.argv[1:]))\n"
                                 f"sys.stdout.write(open({str(answer)!r}, encoding='utf-8').read())\n")
    assert ss.main([str(corpus), "--texts", str(corpus), "--scan", cmd]) == 0
    seen = args_seen.read_text()
    assert "--format jsonl" in seen and "--lang vi" in seen and "--date 2026-12-01" in seen
    assert "--document 282/2025/NĐ-CP" in seen
    assert "right target among found:       5 (100.0 %)" in capsys.readouterr().out


def test_a_scan_that_does_not_finish_is_reported(ss, corpus, tmp_path, capsys):
    cmd = _fake_engine(tmp_path, "time.sleep(30)\n")
    assert ss.main([str(corpus), "--texts", str(corpus), "--scan", cmd, "--timeout", "1"]) == 1
    out = capsys.readouterr()
    assert "did not finish in 1 s" in out.err and "SCAN TIMED OUT" in out.out
    assert "found (recall):                 0 (0.0 %)" in out.out


def test_title_as_written_may_add_a_year_or_number_but_not_run_on(ss, corpus):
    c = load(ss, corpus)
    for title, right in (("Luật Dẫn độ năm 2007", True), ("Luật Dẫn độ số 08/2007/QH12", True),
                         ("Luật Dẫn độ và khoản 2 Điều 21", False)):
        got = [dict(r) for r in PERFECT]
        got[2] = rep(4, 9, "Điều 45 của Luật Dẫn độ", title, ["45"], in_registry=False)
        s = ss.score(c, got)
        assert (s.right == 5) is right, title
        assert (s.silent_wrong == 0) is right, title
