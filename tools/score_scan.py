#!/usr/bin/env python3
"""Score the citation engine's `lawsite scan` against a labelled corpus.

Usage:
    tools/score_scan.py tests/data/legal_corpus/            # every *.yaml in the folder
    tools/score_scan.py tests/data/heldout/ --show 50       # list up to 50 misses per kind
    tools/score_scan.py CORPUS --jsonl-dir DIR              # score saved scan output (DIR/<text-id>.jsonl)
    tools/score_scan.py CORPUS --scan "/path/to/lawsite scan"   # another checkout's engine (read-only use)
    tools/score_scan.py CORPUS --fill                        # complete col/end_line/in_registry in the
                                                             # label files and check every span

A corpus file (tests/data/legal_corpus/README.md) names a text, the document it is, the date it
speaks as of, the lines that are article headings and the labelled references, each in the
format of one `lawsite scan --format jsonl` line (line, col, end_line, text, document,
in_registry, provisions), plus `optional: true` for references an engine may leave out.

A labelled reference is FOUND when a reported reference overlaps its span (same lines,
overlapping columns). It has the RIGHT TARGET when the reported references that overlap it,
taken together, name exactly its document and provisions (an engine may split a list in
several reports, or merge two labelled neighbours into one: the provisions of the labelled
neighbours are then allowed too). A found reference with a wrong target is SILENT when none of
the overlapping reports carries an error or warning finding. A HEADING is reported when a
reference starts inside the "Điều 21." / "Article 21." prefix of a heading line. An ERROR ON A
VALID REFERENCE is an error finding on a report overlapping a labelled reference not marked
`valid: false`.

Exit status: 0 when every figure meets the issue-12 targets (recall >= 99 %, right target
>= 99 %, no silent wrong target, no heading, no error on a valid reference), 1 otherwise, 2 on
bad usage or a bad label file.
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = Path("/work/shared/legal-texts")
HEADING_RE = re.compile(r"^\s*[“\"]?((?:[ĐÐ]iều|Article)\s+\d+[a-z]?\.)")
TITLE_TAIL_RE = re.compile(r"\s*(?:,\s*)?(?:(?:năm|nam|year)\s+\d{4}|(?:số|so|no\.?)\s*[\w./-]+|\d{4}|\(\d{4}\))?\s*")
PROV_RE = re.compile(r"^\d+[a-z]?(\.\d+[a-z]?(\.(a|b|c|d|đ|e|g|h|i|k|l|m|n|o|p|q|r|s|t|u|v|x|y))?)?$")


class LabelError(Exception):
    pass


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def text_lines(path: Path) -> list[str]:
    """The lines of a text as the engine counts them: NFC, line 1 is the first line."""
    t = nfc(path.read_text(encoding="utf-8").lstrip("\ufeff")).replace("\r\n", "\n").replace("\r", "\n")
    return t.split("\n")


def norm_doc(d: str | None) -> str:
    """Compare document names loosely: NFC, case, spaces, ASCII 'ND' for 'NĐ', a leading 'số'."""
    if d is None:
        return ""
    d = nfc(d).casefold().replace("đ", "d")
    d = re.sub(r"\s+", " ", d).strip(" .,;")
    d = re.sub(r"^(số|so|no\.?)\s+", "", d)
    return d


def same_doc(label: dict, found: dict) -> bool:
    a, b = norm_doc(label.get("document")), norm_doc(found.get("document"))
    if a == b:
        return True
    if label.get("in_registry") is False and found.get("in_registry") is False and a and b:
        # a title as written: one engine may keep "Luật Dẫn độ", another "Luật Dẫn độ năm 2007" or
        # "Luật Dẫn độ số 08/2007/QH12"; a title run on into the sentence ("Luật Quốc tịch Việt Nam
        # kiến nghị tước quốc tịch …") is a wrong document name
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        return long_.startswith(short) and bool(TITLE_TAIL_RE.fullmatch(long_[len(short):]))
    return False


@dataclass
class Corpus:
    path: Path
    text: Path
    document: str | None
    lang: str
    date: str
    headings: list[int]
    refs: list[dict]


@functools.lru_cache(maxsize=None)
def registry_numbers() -> frozenset[str]:
    """The `number:` of every registry document (read from the top-level key, without parsing the
    whole YAML: the Penal Code's entry is large)."""
    out = set()
    for p in (ROOT / "data" / "registry").glob("*.yaml"):
        m = re.search(r"^number:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", p.read_text(encoding="utf-8"), re.M)
        if m:
            out.add(nfc(m.group(1)))
    return frozenset(out)


def load_corpus(path: Path, texts: Path) -> Corpus:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("file", "references"):
        if key not in data:
            raise LabelError(f"{path}:1: missing key '{key}'")
    text = Path(data["file"])
    if not text.is_absolute():
        cand = [path.parent / text, texts / text]
        text = next((c for c in cand if c.is_file()), cand[-1])
    return Corpus(path, text, data.get("document"), data.get("lang", "vi"), str(data.get("date", "2026-12-01")),
                  list(data.get("headings") or []), list(data["references"]))


def fill(corpus: Corpus, reg: set[str]) -> list[str]:
    """Complete col/end_line/in_registry from line+text; return problems (a label that does not match its line)."""
    lines = text_lines(corpus.text)
    problems = []
    seen = {}
    for r in corpus.refs:
        where = f"{corpus.path.name}: line {r.get('line')} '{r.get('text')}'"
        ln, span = r.get("line"), r.get("text")
        if not isinstance(ln, int) or not span or ln < 1 or ln > len(lines):
            problems.append(f"{where}: needs an existing line and a text")
            continue
        span = nfc(span)
        hay = lines[ln - 1]
        end_line = ln
        if "\n" in span:
            hay = "\n".join(lines[ln - 1:ln - 1 + span.count("\n") + 1])
            end_line = ln + span.count("\n")
        occ = r.pop("occurrence", None)
        starts = [m.start() for m in re.finditer(re.escape(span), hay)]
        if not starts:
            problems.append(f"{where}: text not found on the line")
            continue
        if "col" in r and r["col"] - 1 in starts:
            col = r["col"]
        else:
            k = (occ or 1) - 1
            if k >= len(starts):
                problems.append(f"{where}: occurrence {occ} but only {len(starts)} on the line")
                continue
            col = starts[k] + 1
        if (ln, col) in seen:
            problems.append(f"{where}: labelled twice")
        seen[(ln, col)] = True
        for p in r.get("provisions") or []:
            if not PROV_RE.match(str(p)):
                problems.append(f"{where}: bad provision '{p}'")
        doc = nfc(str(r.get("document") or ""))
        if not doc:
            problems.append(f"{where}: no document")
        ordered = {"line": ln, "col": col, "end_line": end_line, "text": span, "document": doc,
                   "in_registry": doc in reg, "provisions": [str(p) for p in r.get("provisions") or []]}
        for k in ("optional", "valid", "form", "note"):
            if k in r:
                ordered[k] = r[k]
        r.clear()
        r.update(ordered)
    for h in corpus.headings:
        if not (1 <= h <= len(lines)) or not HEADING_RE.match(lines[h - 1]):
            problems.append(f"{corpus.path.name}: heading line {h} is not an article heading")
    corpus.refs.sort(key=lambda r: (r.get("line", 0), r.get("col", 0)))
    return problems


def write_corpus(corpus: Corpus) -> None:
    raw = corpus.path.read_text(encoding="utf-8")
    head = "".join(ln for ln in raw.splitlines(keepends=True) if ln.startswith("#") and not ln.startswith("# -"))
    head = head.split("\n\n")[0]
    data = yaml.safe_load(raw)
    data["headings"] = sorted(set(corpus.headings))
    data["references"] = corpus.refs
    out = [head if head.endswith("\n") or not head else head + "\n"]
    for key in data:
        if key in ("references", "headings"):
            continue
        out.append(yaml.safe_dump({key: data[key]}, allow_unicode=True, sort_keys=False, width=1000))
    out.append("headings: [" + ", ".join(str(h) for h in data["headings"]) + "]\n")
    out.append("references:\n")
    for r in corpus.refs:
        out.append("- " + json.dumps(r, ensure_ascii=False) + "\n")
    corpus.path.write_text("".join(out), encoding="utf-8")


def heading_lines(lines: list[str]) -> list[int]:
    return [i for i, ln in enumerate(lines, 1) if HEADING_RE.match(ln)]


# --- running the engine ------------------------------------------------------------------------
class ScanTimeout(RuntimeError):
    pass


def run_scan(corpus: Corpus, scan_cmd: list[str], timeout: float | None = None) -> list[dict]:
    cmd = scan_cmd + [str(corpus.text), "--format", "jsonl", "--lang", corpus.lang, "--date", corpus.date]
    if corpus.document:
        cmd += ["--document", corpus.document]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ScanTimeout(f"{corpus.text.name}: the scan did not finish in {timeout:g} s") from None
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[:500]}")
    return parse_jsonl(proc.stdout)


def parse_jsonl(out: str) -> list[dict]:
    found = []
    for i, ln in enumerate(out.splitlines(), 1):
        if ln.strip():
            try:
                found.append(json.loads(ln))
            except json.JSONDecodeError as e:
                raise RuntimeError(f"scan output line {i} is not JSON: {e}") from None
    return found


# --- scoring -------------------------------------------------------------------------------------
def _span(r: dict, lines: list[str]) -> tuple[int, int]:
    """Absolute (start, end) character offsets, so that spans across lines compare too."""
    offs = _offsets(lines)
    ln, col = int(r["line"]), int(r.get("col", 1))
    start = offs[ln - 1] + col - 1
    text = nfc(r.get("text") or "")
    return start, start + max(len(text), 1)


_OFFS: dict[int, list[int]] = {}


def _offsets(lines: list[str]) -> list[int]:
    key = id(lines)
    if key not in _OFFS:
        acc, out = 0, []
        for ln in lines:
            out.append(acc)
            acc += len(ln) + 1
        out.append(acc)
        _OFFS[key] = out
    return _OFFS[key]


def _targets(refs: list[dict]) -> set[tuple[str, str]]:
    out = set()
    for r in refs:
        d = norm_doc(r.get("document"))
        provs = r.get("provisions") or []
        if not provs:
            out.add((d, ""))
        for p in provs:
            out.add((d, nfc(str(p))))
    return out


def _severities(refs: list[dict]) -> set[str]:
    return {f.get("severity") for r in refs for f in r.get("findings") or []}


@dataclass
class Score:
    labelled: int = 0
    optional: int = 0
    found: int = 0
    right: int = 0
    wrong: int = 0
    silent_wrong: int = 0
    headings: int = 0
    heading_lines: int = 0
    errors_on_valid: int = 0
    extra_on_labelled_lines: int = 0
    misses: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    heading_hits: list[str] = field(default_factory=list)
    false_errors: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, o: "Score") -> None:
        for k, v in vars(o).items():
            if isinstance(v, int):
                setattr(self, k, getattr(self, k) + v)
            else:
                getattr(self, k).extend(v)


def _matches(target_refs: list[dict], label: dict, neighbours: list[dict]) -> bool:
    """Right target: the overlapping reports name the label's targets, nothing else than its neighbours'."""
    got = _targets(target_refs)
    want = _targets([label])
    allowed = _targets(neighbours)
    if not want <= got or not got <= allowed:
        # a document name compared loosely (titles as written)
        def loose(a, b):
            return all(any(x[1] == y[1] and same_doc({"document": x[0], "in_registry": label.get("in_registry")},
                                                     {"document": y[0], "in_registry": r_in}) for y in b) for x in a)
        r_in = False if all(r.get("in_registry") is False for r in target_refs) else None
        if label.get("in_registry") is False and r_in is False:
            return loose(want, got) and loose(got, allowed)
        return False
    return True


def score(corpus: Corpus, found: list[dict]) -> Score:
    lines = text_lines(corpus.text)
    name = corpus.path.stem
    s = Score()
    spans_f = [(_span(f, lines), f) for f in found if isinstance(f.get("line"), int)]
    spans_l = [(_span(r, lines), r) for r in corpus.refs]

    def overlap(a, b):
        return a[0] < b[1] and b[0] < a[1]

    for sp, lab in spans_l:
        opt = bool(lab.get("optional"))
        hits = [f for fs, f in spans_f if overlap(sp, fs)]
        where = f"{name}:{lab['line']}:{lab.get('col', 1)} '{lab['text']}'"
        want = f"{lab['document']} {lab.get('provisions')}"
        if opt:
            s.optional += 1
        else:
            s.labelled += 1
        if not hits:
            if not opt:
                s.misses.append(f"{where}: not found (want {want})")
            continue
        # the labelled neighbours of these reports (a report spanning two labels may name both)
        hit_spans = [_span(f, lines) for f in hits]
        neighbours = [r for rs, r in spans_l if any(overlap(rs, hs) for hs in hit_spans)]
        ok = _matches(hits, lab, neighbours)
        sev = _severities(hits)
        if not opt:
            s.found += 1
        got = "; ".join(f"{h.get('document')} {h.get('provisions')}" for h in hits)
        if ok:
            if not opt:
                s.right += 1
        else:
            s.wrong += 1
            s.mismatches.append(f"{where}: got {got}, want {want}")
            if not sev & {"error", "warning"}:
                s.silent_wrong += 1
                s.silent.append(f"{where}: got {got} with no finding, want {want}")
        if lab.get("valid", True) and "error" in sev:
            s.errors_on_valid += 1
            msgs = "; ".join(f.get("message", f.get("code", "")) for h in hits for f in h.get("findings") or []
                             if f.get("severity") == "error")
            s.false_errors.append(f"{where}: {msgs[:200]}")
    heads = set(corpus.headings)
    s.heading_lines = len(heads)
    for fs, f in spans_f:
        ln = f["line"]
        if ln in heads:
            m = HEADING_RE.match(lines[ln - 1])
            if m and int(f.get("col", 1)) - 1 < m.end(1):
                s.headings += 1
                s.heading_hits.append(f"{name}:{ln}: heading reported as '{f.get('text')}'")
    labelled_lines = {r["line"] for r in corpus.refs}
    for fs, f in spans_f:
        if f["line"] in labelled_lines and not any(overlap(fs, ls) for ls, _ in spans_l):
            s.extra_on_labelled_lines += 1
            s.extras.append(f"{name}:{f['line']}:{f.get('col')} '{f.get('text')}' -> {f.get('document')} {f.get('provisions')}")
    return s


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def report(total: Score, per_file: dict[str, Score], show: int) -> str:
    out = []
    out.append(f"{'text':<34} {'labelled':>8} {'found':>7} {'right':>7} {'silent':>6} {'heads':>5} {'errs':>5}")
    for name, s in per_file.items():
        out.append(f"{name:<34} {s.labelled:>8} {s.found:>7} {s.right:>7} {s.silent_wrong:>6} {s.headings:>5} {s.errors_on_valid:>5}")
    t = total
    out += [
        "",
        f"references labelled:            {t.labelled} (+ {t.optional} optional)",
        f"found (recall):                 {t.found} ({pct(t.found, t.labelled)})",
        f"right target among found:       {t.right} ({pct(t.right, t.found)})",
        f"wrong target (any):             {t.wrong}",
        f"wrong target with no finding:   {t.silent_wrong}",
        f"headings reported:              {t.headings} (of {t.heading_lines} heading lines)",
        f"errors on valid references:     {t.errors_on_valid}",
        f"unlabelled reports on labelled lines: {t.extra_on_labelled_lines} (not scored; review them)",
    ]
    for title, items in (("MISSES", t.misses), ("WRONG TARGET", t.mismatches), ("SILENT WRONG", t.silent),
                         ("HEADINGS REPORTED", t.heading_hits), ("ERRORS ON VALID REFERENCES", t.false_errors),
                         ("UNLABELLED REPORTS ON LABELLED LINES", t.extras)):
        if items and show:
            out += ["", f"{title} ({len(items)}):"] + [f"  {x}" for x in items[:show]]
            if len(items) > show:
                out.append(f"  … {len(items) - show} more (--show N)")
    return "\n".join(out)


def passes(t: Score) -> bool:
    return (t.labelled > 0 and t.found >= 0.99 * t.labelled and t.right >= 0.99 * t.found
            and t.silent_wrong == 0 and t.headings == 0 and t.errors_on_valid == 0)


def corpus_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.glob("*.yaml"))
    return [target]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a corpus folder (tests/data/legal_corpus/) or one label file")
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of the legal texts named by 'file:'")
    ap.add_argument("--scan", default=None, help="scan command (default: this checkout's .venv/bin/lawsite scan, "
                    "else python -m lawsite.cli scan)")
    ap.add_argument("--jsonl-dir", type=Path, help="read DIR/<label-file-stem>.jsonl instead of running the engine")
    ap.add_argument("--save-jsonl", type=Path, help="keep the engine's output in DIR/<label-file-stem>.jsonl")
    ap.add_argument("--fill", action="store_true", help="complete col/end_line/in_registry and check the label files")
    ap.add_argument("--show", type=int, default=30, help="list up to N items of each kind (0: none)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds one scan may take (default 600); a text "
                    "whose scan does not finish is reported and its labels count as not found")
    args = ap.parse_args(argv)

    files = corpus_files(args.corpus)
    if not files:
        print(f"{args.corpus}: no *.yaml label file", file=sys.stderr)
        return 2
    try:
        corpora = [load_corpus(p, args.texts) for p in files]
    except (LabelError, yaml.YAMLError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for c in corpora:
        if not c.text.is_file():
            print(f"{c.path}: text {c.text} not found (--texts DIR)", file=sys.stderr)
            return 2

    if args.fill:
        reg = registry_numbers()
        bad = []
        for c in corpora:
            bad += fill(c, reg)
            if not c.headings:
                c.headings = heading_lines(text_lines(c.text))
            write_corpus(c)
        for b in bad:
            print(b, file=sys.stderr)
        n = sum(len(c.refs) for c in corpora)
        print(f"{len(corpora)} files, {n} references, {sum(len(c.headings) for c in corpora)} heading lines, "
              f"{len(bad)} problems")
        return 2 if bad else 0

    if args.scan:
        scan_cmd = shlex.split(args.scan)
    elif (ROOT / ".venv" / "bin" / "lawsite").exists():
        scan_cmd = [str(ROOT / ".venv" / "bin" / "lawsite"), "scan"]
    else:
        scan_cmd = [sys.executable, "-m", "lawsite.cli", "scan"]

    total = Score()
    per_file: dict[str, Score] = {}
    timed_out: list[str] = []
    for c in corpora:
        # the scorer needs columns: fill them in memory when a label file was written by hand
        fill(c, registry_numbers())
        if args.jsonl_dir:
            src = args.jsonl_dir / f"{c.path.stem}.jsonl"
            if not src.is_file():
                print(f"{src}: no saved scan output", file=sys.stderr)
                return 2
            found = parse_jsonl(src.read_text(encoding="utf-8"))
        else:
            try:
                found = run_scan(c, scan_cmd, args.timeout)
            except ScanTimeout as e:
                print(f"error: {e}", file=sys.stderr)
                timed_out.append(c.path.stem)
                found = []
            except (RuntimeError, OSError) as e:
                print(f"error: {e}", file=sys.stderr)
                return 2
            if args.save_jsonl:
                args.save_jsonl.mkdir(parents=True, exist_ok=True)
                (args.save_jsonl / f"{c.path.stem}.jsonl").write_text(
                    "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in found), encoding="utf-8")
        s = score(c, found)
        per_file[c.path.stem] = s
        total.add(s)
    print(report(total, per_file, args.show))
    if timed_out:
        print(f"\nSCAN TIMED OUT (labels counted as not found): {', '.join(timed_out)}")
    return 0 if passes(total) and not timed_out else 1


if __name__ == "__main__":
    sys.exit(main())
