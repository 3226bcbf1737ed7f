#!/usr/bin/env python3
"""Reproducible random sample for the independent content audit (issue 13).

Draws, with random.Random(SEED):
  - N_STATEMENTS legal statements from every content page of docs/ (Vietnamese and English pages
    pooled; each statement equally likely, so a page weighs as much as it has statements);
  - N_SUMMARIES clause summaries from data/summaries/{vi,en}/*.yaml (each entry equally likely).

A "legal statement" is a sentence of the page body, a table row or a procedure-box value of the
front matter (for, where, papers, time_limit, fee, result, legal_basis) that carries a citation
(Điều/Article …) or a legal claim (must, may, fine, exempt, within … days …). Generated document
pages (docs/van-ban/, which have no body text) yield nothing, and front-matter title, description,
keywords and change notes are not statements.

The output (one line per item: file:line, the text) is the work list of
docs-dev/audit-2026-12-01.md. Run from the project root:

    .venv/bin/python tools/audit_sample.py            # the sample
    .venv/bin/python tools/audit_sample.py --counts   # population sizes only
    .venv/bin/python tools/audit_sample.py --seed 20261206 --statements 80 --summaries 40
                                                      # the second sample (docs-dev/audit-2026-12-01b.md)
    .venv/bin/python tools/audit_sample.py --seed 20261207 --statements 60 --summaries 30
                                                      # the third sample (docs-dev/audit-2026-12-01c.md)
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

SEED = 20261201
N_STATEMENTS = 60
N_SUMMARIES = 40
ROOT = Path(__file__).resolve().parent.parent

# What makes a sentence a legal statement. Tool-only heuristics (not site text), one entry per language.
CITATION = re.compile(r"\b(?:Điều|Article|Art\.|khoản|clause|điểm|point)\s+\d", re.I)
CLAIM = {
    "vi": re.compile(r"\b(?:phải|được|không được|bị phạt|phạt|cấm|miễn|thời hạn|trong vòng|tối đa|"
                     r"lệ phí|trục xuất|tạm hoãn|chưa cho|hủy giá trị|thu hồi|truy cứu)\b", re.I),
    "en": re.compile(r"\b(?:must|may|fined?|prohibited|exempt(?:ion)?|within|at most|valid for|fee|"
                     r"expell?ed|expulsion|suspended|refused|invalidated|revoked|prosecuted|entitled)\b", re.I),
}
PROCEDURE_KEYS = ("for", "where", "papers", "time_limit", "fee", "result", "legal_basis")
ABBREV = ("No.", "Art.", "cl.", "pt.", "e.g.", "i.e.", "Dr.", "St.")


def sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a space and a capital letter, outside parentheses, not after an
    abbreviation ("Law No. 49/2019/QH14")."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ".!?" and depth == 0 and i + 2 < len(text) and text[i + 1] == " ":
            nxt = text[i + 2]
            if (nxt.isupper() or nxt.isdigit()) and not text[start:i + 1].endswith(ABBREV):
                out.append(text[start:i + 1])
                start = i + 2
    out.append(text[start:])
    return out


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def lang_of(path: Path) -> str:
    return "en" if path.name.endswith(".en.md") else "vi"


def _plain(line: str) -> str:
    line = re.sub(r"\{\s*#[^}]*\}", "", line)            # heading attributes
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links -> text
    line = re.sub(r"\*\*|(?<!\w)[*_`]|`", "", line)
    return line.strip()


def page_statements(path: Path) -> list[tuple[int, str]]:
    text = nfc(path.read_text(encoding="utf-8"))
    lines = text.split("\n")
    lang = lang_of(path)
    out: list[tuple[int, str]] = []
    body_start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        body_start = end + 1
        try:
            fm = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError:
            fm = {}
        proc = fm.get("procedure") or {}
        for key in PROCEDURE_KEYS:
            vals = proc.get(key)
            for v in (vals if isinstance(vals, list) else [vals] if vals else []):
                v = str(v)
                ln = next((i + 1 for i in range(1, end) if v[:40] in lines[i]), 1)
                if CITATION.search(v) or CLAIM[lang].search(v):
                    out.append((ln, f"[{key}] {v}"))
    in_code = False
    logical: list[tuple[int, str]] = []  # (first line, text): a paragraph, a list item or a table row
    prev_open = False
    for i in range(body_start, len(lines)):
        raw = lines[i]
        if raw.strip().startswith(("```", "~~~")):
            in_code = not in_code
            prev_open = False
            continue
        if in_code or not raw.strip() or raw.lstrip().startswith(("#", "<", "---", "!!!", "???")):
            prev_open = False
            continue
        if re.match(r"^\s*\|?\s*:?-{3,}", raw):      # table rule: the row above was a header
            if logical and logical[-1][1].lstrip().startswith("|"):
                logical.pop()
            prev_open = False
            continue
        starts = raw.lstrip().startswith("|") or re.match(r"^\s*(?:[-+*]|\d+\.)\s", raw)
        if prev_open and not starts:
            logical[-1] = (logical[-1][0], logical[-1][1] + " " + raw.strip())
        else:
            logical.append((i + 1, raw))
        prev_open = not raw.lstrip().startswith("|")
    for ln, raw in logical:
        line = _plain(raw)
        pieces = [line] if line.startswith("|") else sentences(re.sub(r"^(?:[-+*]|\d+\.)\s+", "", line))
        for s in pieces:
            s = s.strip()
            if len(s) < 25:
                continue
            if CITATION.search(s) or CLAIM[lang].search(s):
                out.append((ln, s))
    return out


def content_pages() -> list[Path]:
    return sorted(p for p in (ROOT / "docs").rglob("*.md") if "van-ban" not in p.relative_to(ROOT / "docs").parts)


def summaries() -> list[tuple[str, int, str, str]]:
    out = []
    for f in sorted((ROOT / "data" / "summaries").glob("*/*.yaml")):
        lines = nfc(f.read_text(encoding="utf-8")).split("\n")
        data = yaml.safe_load("\n".join(lines)) or {}
        for key, val in data.items():
            ln = next((i + 1 for i, l in enumerate(lines) if l.startswith(f'"{key}":') or l.startswith(f"{key}:")), 1)
            out.append((str(f.relative_to(ROOT)), ln, str(key), str(val)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counts", action="store_true")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    ap.add_argument("--statements", type=int, default=N_STATEMENTS, help=f"statements to draw (default {N_STATEMENTS})")
    ap.add_argument("--summaries", type=int, default=N_SUMMARIES, help=f"summaries to draw (default {N_SUMMARIES})")
    a = ap.parse_args(argv)
    pool = [(str(p.relative_to(ROOT)), ln, s) for p in content_pages() for ln, s in page_statements(p)]
    sums = summaries()
    if a.counts:
        print(f"pages: {len(content_pages())}, statements: {len(pool)}, summaries: {len(sums)}")
        return 0
    rng = random.Random(a.seed)
    st = sorted(rng.sample(pool, a.statements))
    sm = sorted(rng.sample(sums, a.summaries))
    print(f"# statements: {a.statements} of {len(pool)} (seed {a.seed})")
    for n, (f, ln, s) in enumerate(st, 1):
        print(f"S{n:02d} {f}:{ln}  {s}")
    print(f"# summaries: {a.summaries} of {len(sums)}")
    for n, (f, ln, k, v) in enumerate(sm, 1):
        print(f"C{n:02d} {f}:{ln} [{k}]  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
