#!/usr/bin/env python3
"""Derive the article -> clause -> point structure of a Vietnamese legal text as a YAML skeleton.

Usage:
    python tools/derive_structure.py ../shared/legal-texts/law-49-2019-QH14....vi.txt
    python tools/derive_structure.py TEXT --dates            # also dates from VBHN footnotes
    python tools/derive_structure.py TEXT --only 21,69,70    # only these articles
    python tools/derive_structure.py TEXT --dates --merge data/registry/luat-49-2019-qh14.yaml
        # print the whole registry document with its structure regenerated; English titles,
        # notes and hand-added dates already in the file are kept

What it recognises (after NFC normalisation, dash variants folded):
    "Chương IV"                 chapter (recorded on each article)
    "Điều 21. Title"            article (number with optional letter: 28a)
    "1. ...", "1a. ..."         clause
    "a) ...", "đ) ..."          point (Vietnamese letters only: no f, j, w, z)
    "9. (được bãi bỏ)"          repealed unit (number kept)
    "[12]"                      footnote marker; the footnotes of a consolidated text (VBHN)
                                 follow the body as lines "[12] Khoản này được ... theo ... Luật số
                                 118/2025/QH15 ..."
Quoted passages (an amending article quoting new text, “...”) are skipped, and parsing stops at
the first footnote line. Only numbers, structure and short article titles are printed: never the
text of the provisions.

With --dates, footnotes become dates: "Điều/Khoản/Điểm này được bổ sung" -> added,
"được bãi bỏ" -> repealed, anything else ("được sửa đổi, bổ sung", "Cụm từ … được bỏ",
"Từ … được thay thế") -> an entry in `amended`. The date is the effective date of the amending
act, read from the header of the consolidated text ("… số 118/2025/QH15 ngày … có hiệu lực kể
từ ngày 01 tháng 7 năm 2026") or, failing that, from the footnote itself. Review the output by
hand: footnotes are a pointer, not proof.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

import yaml

POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

CHAPTER_RE = re.compile(r"^Chương\s+([IVXLC]+)\b")
ARTICLE_RE = re.compile(r"^Điều\s+(\d+[a-z]?)\.\s*(.*)$")
CLAUSE_RE = re.compile(r"^(\d+[a-z]?)((?:\[\d+\])*)\.((?:\[\d+\])*)\s*(.*)$")  # "2.[87]" or "2[87]."
POINT_RE = re.compile(r"^([a-zđ])\)((?:\[\d+\])*)\s*(.*)$")
MARK_RE = re.compile(r"\[(\d+)\]")
FOOTNOTE_RE = re.compile(r"^\[(\d+)\]\s*(.*)$")
NUMBER_RE = re.compile(r"(\d+)\s*/\s*(\d{4})\s*/\s*((?:QH|NĐ-CP|TT-|UBTVQH|NQ-)[A-ZĐ0-9-]*)")
DATE_RE = re.compile(r"có hiệu lực(?: thi hành)? (?:kể )?từ ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")
ACTION_RE = re.compile(r"được (sửa đổi, bổ sung|sửa đổi|bổ sung|bãi bỏ|thay thế|bỏ)")
REPEALED_RE = re.compile(r"^\(\s*được bãi bỏ\s*\)\.?$")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    for d in DASHES:
        text = text.replace(d, "-")
    # U+00D0 (Icelandic eth) typed for U+0110 "Đ" in some texts ("Ðiều 317" in the Penal Code VBHN)
    text = text.replace("\u00d0", "\u0110")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_title(t: str) -> str:
    t = MARK_RE.sub("", t).strip()
    return re.sub(r"\s+", " ", t)


def parse(text: str):
    """Return (header_lines, articles, footnotes, marks, warnings).

    articles: list of dicts {number, title, chapter, clauses: [{number, points: [...], ...}]}
    marks: list of (footnote number, unit dict) in order of appearance
    """
    lines = [ln.strip() for ln in text.split("\n")]
    lines = _split_inline_points(lines)
    header: list[str] = []
    articles: list[dict] = []
    footnotes: dict[int, str] = {}
    marks: list[tuple[int, dict]] = []
    warnings: list[str] = []
    chapter = None
    art = clause = point = None
    in_quote = False
    in_notes = False
    last_fn = None
    started = False
    for i, ln in enumerate(lines, 1):
        if not ln:
            continue
        m = FOOTNOTE_RE.match(ln)
        if m and started:
            in_notes = True
            last_fn = int(m.group(1))
            footnotes[last_fn] = m.group(2)
            continue
        if in_notes:
            if last_fn is not None:
                footnotes[last_fn] += " " + ln
            continue
        # quoted passages: an amending provision quoting the new wording
        if in_quote:
            if "”" in ln:
                in_quote = False
            continue
        if ln.startswith("“") or ln.startswith('"'):
            if "”" not in ln[1:] and not ln.endswith('"'):
                in_quote = True
            continue
        m = CHAPTER_RE.match(ln)
        if m:
            started = True
            chapter = m.group(1)
            art = clause = point = None
            continue
        m = ARTICLE_RE.match(ln)
        if m:
            started = True
            art = {"number": m.group(1), "title": clean_title(m.group(2)), "chapter": chapter,
                   "clauses": [], "_line": i}
            if any(a["number"] == art["number"] for a in articles):
                warnings.append(f"line {i}: article {art['number']} seen twice")
            articles.append(art)
            clause = point = None
            for fn in MARK_RE.findall(m.group(2)):
                marks.append((int(fn), art))
            continue
        if not started:
            header.append(ln)
            continue
        if art is None:
            continue
        m = CLAUSE_RE.match(ln)
        if m:
            num = m.group(1)
            prev = art["clauses"][-1]["number"] if art["clauses"] else None
            if not _follows(prev, num):
                warnings.append(f"line {i}: Điều {art['number']}: clause {num} after {prev}")
            clause = {"number": num, "points": []}
            point = None
            art["clauses"].append(clause)
            rest = m.group(4)
            if REPEALED_RE.match(MARK_RE.sub("", rest).strip()):
                clause["_repealed"] = True
            for fn in MARK_RE.findall(m.group(2) + m.group(3) + " " + rest):
                marks.append((int(fn), clause))
            continue
        m = POINT_RE.match(ln)
        if m and clause is not None:
            letter = m.group(1)
            prev = clause["points"][-1]["letter"] if clause["points"] else None
            if letter not in POINT_LETTERS:
                warnings.append(f"line {i}: Điều {art['number']} khoản {clause['number']}: '{letter})' is not a point letter; skipped")
                continue
            if not _follows_letter(prev, letter):
                warnings.append(f"line {i}: Điều {art['number']} khoản {clause['number']}: point {letter} after {prev}")
            point = {"letter": letter}
            clause["points"].append(point)
            rest = m.group(3)
            if REPEALED_RE.match(MARK_RE.sub("", rest).strip()):
                point["_repealed"] = True
            for fn in MARK_RE.findall(m.group(2) + " " + rest):
                marks.append((int(fn), point))
            continue
        if m and clause is None:
            warnings.append(f"line {i}: Điều {art['number']}: point '{m.group(1)})' outside a clause; ignored")
        # an unnumbered paragraph: a footnote marker here is recorded on the clause (or article)
        for fn in MARK_RE.findall(ln):
            marks.append((int(fn), clause if clause is not None else art))
    return header, articles, footnotes, marks, warnings


INLINE_POINT_RE = re.compile(r"(?<=;)\s+(?=[a-zđ]\)\s)")


def _split_inline_points(lines: list[str]) -> list[str]:
    """A point line that runs on into the next point ("c) ...; d) ...") is split in two.

    Each piece keeps the original line's place, so line numbers in warnings stay right for the
    first piece (the list keeps one entry per piece; callers use enumerate for messages only).
    """
    out = []
    for ln in lines:
        if POINT_RE.match(ln) and INLINE_POINT_RE.search(ln):
            out.extend(p.strip() for p in INLINE_POINT_RE.split(ln))
        else:
            out.append(ln)
    return out


def _follows(prev, num) -> bool:
    def split(n):
        m = re.match(r"(\d+)([a-z]?)", n)
        return int(m.group(1)), m.group(2)
    if prev is None:
        return split(num) == (1, "")
    (pn, pl), (nn, nl) = split(prev), split(num)
    if nl:
        return nn == pn and (pl == "" and nl == "a" or pl and ord(nl) == ord(pl) + 1)
    return nn == pn + 1


def _follows_letter(prev, letter) -> bool:
    if prev is None:
        return letter == "a"
    return POINT_LETTERS.index(letter) == POINT_LETTERS.index(prev) + 1


def amending_acts(header: list[str]) -> dict[str, dt.date]:
    """Effective dates of the amending acts listed in a VBHN header."""
    out: dict[str, dt.date] = {}
    for ln in header[1:]:
        nums = list(NUMBER_RE.finditer(ln))
        d = DATE_RE.search(ln)
        if nums and d:
            out[_num(nums[0])] = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
    return out


def _num(m: re.Match) -> str:
    return f"{m.group(1)}/{m.group(2)}/{m.group(3)}"


def classify(fn_text: str, acts: dict[str, dt.date]):
    """[(kind, number, date, note)] for one footnote; kind in added/repealed/amended."""
    subj = re.match(r"^(Điều này|Khoản này|Điểm này|Tên Điều này|Tên Chương này|Cụm từ|Từ|Dấu|Đoạn)", fn_text)
    if not subj:
        return []
    subject = subj.group(1)
    if subject == "Tên Chương này":
        return []
    out = []
    pos = 0
    for m in NUMBER_RE.finditer(fn_text):
        number = _num(m)
        before = fn_text[pos:m.start()]
        actions = ACTION_RE.findall(before)
        pos = m.end()
        if not actions:
            continue
        action = actions[-1]
        date = acts.get(number)
        if date is None:
            d = DATE_RE.search(fn_text, m.end())
            date = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1))) if d else None
        unit_level = subject in ("Điều này", "Khoản này", "Điểm này")
        if unit_level and action == "bãi bỏ":
            kind = "repealed"
        elif unit_level and action == "bổ sung":
            kind = "added"
        else:
            kind = "amended"
        note = None
        if subject in ("Cụm từ", "Từ", "Dấu", "Đoạn"):
            note = "wording"
        elif subject == "Tên Điều này":
            note = "title"
        out.append((kind, number, date, note))
    return out


NOTE_TEXT = {
    "wording": {"vi": "Sửa đổi câu chữ (bỏ hoặc thay thế từ, cụm từ).", "en": "Wording change (words or phrases deleted or replaced)."},
    "title": {"vi": "Sửa đổi tên Điều.", "en": "Article title amended."},
}


def apply_dates(marks, footnotes, acts, warnings):
    for fn, unit in marks:
        text = footnotes.get(fn)
        if text is None:
            warnings.append(f"footnote [{fn}] has no text")
            continue
        changes = classify(text, acts)
        if not changes:
            warnings.append(f"footnote [{fn}] not a unit change: {text[:70]}…")
        for kind, number, date, note in changes:
            if date is None:
                warnings.append(f"footnote [{fn}]: no effective date for {number}")
                continue
            if kind == "added":
                unit["added"], unit["added_by"] = date, number
            elif kind == "repealed":
                unit["repealed"], unit["repealed_by"] = date, number
            else:
                ch = {"by": number, "date": date}
                if note:
                    ch["note"] = dict(NOTE_TEXT[note])
                lst = unit.setdefault("amended", [])
                if not any(c["by"] == number and c.get("note") == ch.get("note") for c in lst):
                    lst.append(ch)
    # a repealed marker "(được bãi bỏ)" without a dated footnote
    return


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


DATED_KEYS = ("added", "added_by", "repealed", "repealed_by", "amended")


def to_yaml_units(articles, with_dates: bool):
    out = []
    for a in articles:
        art = {"number": a["number"], "title": {"vi": a["title"], "en": ""}}
        if a["chapter"]:
            art["chapter"] = a["chapter"]
        if with_dates:
            art.update({k: a[k] for k in DATED_KEYS if a.get(k)})
        clauses = []
        for c in a["clauses"]:
            cl = {"number": c["number"]}
            if with_dates:
                cl.update({k: c[k] for k in DATED_KEYS if c.get(k)})
            if c.get("_repealed") and not c.get("repealed"):
                cl["repealed_unknown_date"] = True  # flagged for hand review
            pts = []
            for p in c["points"]:
                extra = {k: p[k] for k in DATED_KEYS if with_dates and p.get(k)}
                if p.get("_repealed") and not p.get("repealed"):
                    extra["repealed_unknown_date"] = True
                pts.append({"letter": p["letter"], **extra} if extra else p["letter"])
            if pts:
                cl["points"] = pts
            clauses.append(cl)
        art["clauses"] = clauses
        out.append(art)
    return out


def merge(existing: dict, derived: list[dict]) -> dict:
    """Keep the hand-written parts of an existing registry document; regenerate its structure."""
    old = {str(a["number"]): a for a in existing.get("articles") or []}
    merged = []
    for a in derived:
        o = old.get(a["number"], {})
        if o.get("title", {}).get("en"):
            a["title"]["en"] = o["title"]["en"]
        for k in ("added", "added_by", "repealed", "repealed_by"):
            if o.get(k) and not a.get(k):
                a[k] = o[k]
        _merge_amended(a, o)
        if o.get("clauses") is None and "clauses" in o:
            pass
        oc = {str(c["number"]): c for c in o.get("clauses") or []}
        for c in a["clauses"]:
            occ = oc.get(c["number"], {})
            for k in ("added", "added_by", "repealed", "repealed_by"):
                if occ.get(k) and not c.get(k):
                    c[k] = occ[k]
            _merge_amended(c, occ)
            op = {(p if isinstance(p, str) else p["letter"]): p for p in occ.get("points") or []}
            new_pts = []
            for p in c.get("points", []):
                letter = p if isinstance(p, str) else p["letter"]
                o_p = op.get(letter)
                if isinstance(o_p, dict):
                    pd = {"letter": letter, **({} if isinstance(p, str) else p)}
                    for k in ("added", "added_by", "repealed", "repealed_by"):
                        if o_p.get(k) and not pd.get(k):
                            pd[k] = o_p[k]
                    _merge_amended(pd, o_p)
                    new_pts.append(pd if len(pd) > 1 else letter)
                else:
                    new_pts.append(p)
            if new_pts:
                c["points"] = new_pts
        merged.append(a)
    doc = dict(existing)
    doc["articles"] = merged
    return doc


def _merge_amended(new: dict, old: dict):
    for ch in old.get("amended") or []:
        lst = new.setdefault("amended", [])
        if not any(c["by"] == ch["by"] and str(c["date"]) == str(ch["date"]) for c in lst):
            lst.append(ch)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text", type=Path, help="legal text file (UTF-8)")
    ap.add_argument("--dates", action="store_true", help="turn VBHN footnotes into added/repealed/amended dates")
    ap.add_argument("--only", help="comma-separated article numbers to print")
    ap.add_argument("--merge", type=Path, help="existing registry YAML whose hand-written fields are kept")
    ap.add_argument("--summary", action="store_true", help="print a one-line count per article instead of YAML")
    args = ap.parse_args(argv)

    text = normalise(args.text.read_text(encoding="utf-8"))
    header, articles, footnotes, marks, warnings = parse(text)
    acts = amending_acts(header)
    if args.dates:
        apply_dates(marks, footnotes, acts, warnings)
    if args.only:
        keep = set(args.only.split(","))
        articles = [a for a in articles if a["number"] in keep]
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.summary:
        for a in articles:
            pts = "; ".join(f"k{c['number']}: {','.join(p['letter'] for p in c['points'])}" for c in a["clauses"] if c["points"])
            print(f"{a['chapter'] or '-':>5} Điều {a['number']:>4}: {len(a['clauses'])} khoản  {pts}")
        print(f"# {len(articles)} articles; amending acts in header: {acts}", file=sys.stderr)
        return 0
    units = to_yaml_units(articles, args.dates)
    if args.merge:
        existing = yaml.safe_load(unicodedata.normalize("NFC", args.merge.read_text(encoding="utf-8"))) if args.merge.exists() else {}
        out = merge(existing or {}, units)
    else:
        out = {"articles": units}
    yaml.dump(out, sys.stdout, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
