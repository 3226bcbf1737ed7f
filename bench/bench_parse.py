"""Throughput of the citation parser and of `lawsite scan` on the official legal texts, with the
registry's document names plus generated ones up to 2,000 names loaded. Prints figures; never a
timed test.

    .venv/bin/python bench/bench_parse.py [--aliases 2000] [--texts /work/shared/legal-texts] [--write]

Reports, for the Penal Code (823 KB) and the whole set of six texts: the parser alone (Markdown
masking included, as `lawsite check` runs it), the parser on an already masked text, and
`lawsite scan` in process (structure, resolve, validate); the time to build the parser (names
compiled once); and the wall time of `lawsite check` on the real site (a new process, imports
included). Goal (issue 12): parse >= 10 MB/s on the Penal Code with 2,000 names loaded.
--write puts the figures into BENCHMARKS.md under "## Citation parser on the legal texts".
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_check import write_section  # noqa: E402
from lawsite.cite.parse import Parser  # noqa: E402
from lawsite.cite.scan import Scanner  # noqa: E402
from lawsite.project.loader import load_project  # noqa: E402
from lawsite.core.text import mask, nfc  # noqa: E402

PENAL = "penal-code-100-2015-QH13.consolidated-135-VBHN-VPQH-2025.vi.txt"
TEXTS = {  # file -> (language, the document it is)
    "circular-117-2026-TT-BTC.vi.txt": ("vi", "117/2026/TT-BTC"),
    "decree-282-2025-ND-CP.vi.txt": ("vi", "282/2025/NĐ-CP"),
    "decree-282-2025-ND-CP.en-unofficial.txt": ("en", "282/2025/NĐ-CP"),
    "law-47-2014-QH13.consolidated-62-VBHN-VPQH-2026.vi.txt": ("vi", "47/2014/QH13"),
    "law-49-2019-QH14.consolidated-107-VBHN-VPQH-2026.vi.txt": ("vi", "49/2019/QH14"),
    PENAL: ("vi", "100/2015/QH13"),
}
# words law titles are made of, to generate realistic extra names ("Luật Quản lý thuế 17")
TITLE_WORDS = ("quản lý thuế đất đai nhà ở đầu tư doanh nghiệp thương mại hải quan báo chí giáo dục y tế dược "
               "xây dựng giao thông đường bộ thủy sản lâm nghiệp khoáng sản điện lực viễn thông bưu chính "
               "ngân hàng chứng khoán bảo hiểm kế toán kiểm toán thống kê lao động việc làm công đoàn").split()


def fake_names(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = rng.choice(["Luật", "Luật", "Bộ luật", "Nghị định", "Pháp lệnh"])
        words = " ".join(rng.choice(TITLE_WORDS) for _ in range(rng.randint(2, 6)))
        out.append(f"{kind} {words[:1].upper()}{words[1:]} {i}")
    return out


CPU = {}  # label -> best CPU time (process_time): less sensitive than wall time to other jobs on the machine


def best(f, runs: int = 3, label: str = "") -> float:
    t = c = float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        t = min(t, time.perf_counter() - t0)
        c = min(c, time.process_time() - c0)
    if label:
        CPU[label] = CPU.get(label, 0.0) + c
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aliases", type=int, default=2000, help="document names loaded (default 2000)")
    ap.add_argument("--texts", type=Path, default=Path("/work/shared/legal-texts"))
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    project = load_project(ROOT)
    real = project.aliases("vi")
    names = real + fake_names(max(0, args.aliases - len(real)))
    t0 = time.perf_counter()
    parser = Parser("vi", names)
    build = time.perf_counter() - t0
    print(f"parser built with {len(names)} names in {build * 1000:.0f} ms")
    rows = []
    penal = nfc((args.texts / PENAL).read_text("utf-8"))
    mb = len(penal.encode()) / 1e6
    masked = mask(penal)
    t_full = best(lambda: parser.parse(penal), label="Penal Code, parser (masking included)")
    t_masked = best(lambda: parser.parse(penal, masked=masked), label="Penal Code, parser (text already masked)")
    n = len(parser.parse(penal))
    rows.append(("Penal Code, parser (masking included)", mb, t_full))
    rows.append(("Penal Code, parser (text already masked)", mb, t_masked))
    print(f"Penal Code {mb:.2f} MB: parse {t_full:.3f} s -> {mb / t_full:.1f} MB/s (masked: {mb / t_masked:.1f} MB/s), {n} citations; "
          f"CPU {mb / CPU[rows[0][0]]:.1f} MB/s (masked: {mb / CPU[rows[1][0]]:.1f} MB/s)")
    # lawsite scan in process on all six texts
    scanners = {}
    total_mb = total_t = 0.0
    for name, (lang, doc) in TEXTS.items():
        text = (args.texts / name).read_text("utf-8")
        if lang not in scanners:
            scanners[lang] = Scanner(lang, project.registry, names if lang == "vi" else project.aliases("en"))
        t = best(lambda: scanners[lang].scan(text, document=doc, on=dt.date(2026, 12, 1)), runs=2, label=f"scan {name}")
        CPU["six texts, `lawsite scan` in process"] = CPU.get("six texts, `lawsite scan` in process", 0.0) + CPU[f"scan {name}"]
        if name == PENAL:
            CPU["Penal Code, `lawsite scan` in process"] = CPU[f"scan {name}"]
        size = len(text.encode()) / 1e6
        total_mb += size
        total_t += t
        if name == PENAL:
            rows.append(("Penal Code, `lawsite scan` in process", size, t))
    rows.append(("six texts, `lawsite scan` in process", total_mb, total_t))
    six = CPU["six texts, `lawsite scan` in process"]
    print(f"lawsite scan, six texts {total_mb:.2f} MB: {total_t:.3f} s -> {total_mb / total_t:.1f} MB/s (CPU {six:.3f} s -> {total_mb / six:.1f} MB/s)")
    # the real site, as staff run it
    walls, cpus = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(Path(sys.executable).with_name("lawsite")), "check", "--quiet-info"], cwd=ROOT, capture_output=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(time.perf_counter() - t0)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    site, site_cpu = min(walls), min(cpus)
    print(f"lawsite check on the real site (new process, imports included): {site:.2f} s wall, {site_cpu:.2f} s CPU")
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f}")
    if args.write:
        lines = [
            f"Measured {dt.date.today().isoformat()} with `.venv/bin/python bench/bench_parse.py --aliases {args.aliases}` "
            f"({os.cpu_count()} CPUs shared with other jobs, load average {load:.1f}: figures are pessimistic and vary by about 2x between runs).",
            "",
            f"Parser built once with {len(names)} document names ({len(real)} from the registry, the rest generated): {build * 1000:.0f} ms.",
            "",
            "| Measure | Size | Time (best of 3) | Throughput |",
            "|---|---|---|---|",
        ]
        lines[-2:] = ["| Measure | Size | Wall (best) | Throughput (wall) | CPU (best) | Throughput (CPU) |",
                      "|---|---|---|---|---|---|"]
        lines += [f"| {label} | {size:.2f} MB | {t:.3f} s | {size / t:.1f} MB/s | {CPU[label]:.3f} s | {size / CPU[label]:.1f} MB/s |"
                  for label, size, t in rows]
        lines += [f"| `lawsite check` on the real site (new process, imports included) | | {site:.2f} s | | {site_cpu:.2f} s | |", "",
                  "Goals (issue 12): parse >= 10 MB/s on the Penal Code with 2,000 names; `lawsite check` < 0.5 s on the real site."]
        write_section(ROOT / "BENCHMARKS.md", "## Citation parser on the legal texts (bench/bench_parse.py)", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
