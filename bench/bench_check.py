"""Throughput of `lawsite check` on a generated corpus of realistic Markdown (citations, figures,
headings, lists, tables) in a temporary copy of the project. Prints figures; never a timed test.

    .venv/bin/python bench/bench_check.py [--mb 10] [--write]

Reports: the wall time of the `lawsite check` command on the generated pages (MB/s of Markdown),
the in-process engine throughput (lawsite.page.process.process_page, check only and with rendering), and
the citation parser alone. Goal: >= 5 MB/s for `lawsite check`. --write puts the figures into
BENCHMARKS.md under "## Citation checker throughput (bench/bench_check.py)".
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from conftest import BUILD_ENV, copy_project  # noqa: E402

from lawsite.cite.model import Provision  # noqa: E402
from lawsite.cite.names import citation_text  # noqa: E402
from lawsite.cite.parse import get_parser  # noqa: E402
from lawsite.cite.resolve import resolve  # noqa: E402
from lawsite.cite.validate import validate  # noqa: E402
from lawsite.project.loader import load_project  # noqa: E402

TODAY = dt.date.fromisoformat(BUILD_ENV["LAWSITE_TODAY"])
WORDS_VI = ("công dân người nước ngoài hộ chiếu thị thực tạm trú thường trú cơ quan quản lý xuất nhập cảnh "
            "hồ sơ tờ khai ảnh chân dung nộp trực tiếp trực tuyến cổng dịch vụ công thời hạn giải quyết ngày làm việc "
            "lệ phí cấp đổi cấp lại bị mất hư hỏng thông báo kết quả Bộ Công an Công an tỉnh thành phố trực thuộc "
            "trung ương đề nghị bảo lãnh mục đích nhập cảnh gia hạn thẻ tạm trú khai báo cơ sở lưu trú").split()
# (no two neighbouring words may form a glossary variant such as "service passport")
WORDS_EN = ("citizen foreigner passport visa temporary residence permanent authority immigration department "
            "application form portrait photo file in person electronically public portal time limit working days "
            "charge issue reissue lost damaged notify result Ministry Public Security provincial request "
            "sponsor purpose entry extend card declare accommodation").split()
SECTION_TITLES = [("Ai được cấp", "Who can apply"), ("Hồ sơ", "Papers"), ("Nơi nộp", "Where to apply"),
                  ("Thời hạn", "Time limit"), ("Lệ phí", "Charges"), ("Căn cứ pháp lý", "Legal basis")]


def valid_provisions(project) -> list[tuple]:
    """(doc, provision) pairs that cite cleanly today (no error) in both languages."""
    out = []
    for doc in project.registry:
        if doc.structure == "none" or not doc.in_force_on(TODAY) or doc.confidence == "UM":
            continue
        if doc.confidence == "SS" and not doc.verified_source:
            continue
        for a in doc.articles:
            cands = [Provision(a.number)]
            for cl in a.clauses or []:
                cands.append(Provision(a.number, cl.number))
                cands += [Provision(a.number, cl.number, p.letter) for p in cl.points]
            out += [(doc, p) for p in cands]
    parser = get_parser("vi", project.aliases("vi"))
    good = []
    for doc, p in out:
        cites = parser.parse(citation_text(doc, p, "vi"))
        probs = resolve(cites, project.registry, []) + validate(cites, project.registry, on=TODAY, today=TODAY, reviewed=TODAY)
        if cites and not [x for x in probs if x.severity == "error"]:
            good.append((doc, p))
    return good


def page_pair(rng: random.Random, provisions, figures, size: int) -> tuple[str, str]:
    """A Vietnamese page and its English translation, each about ``size`` bytes, with the same
    citations, figures and level-2 sections."""
    vi = ["---", "title: Trang thử nghiệm", "description: Trang sinh tự động để đo tốc độ.", f"last_reviewed: {TODAY}", "---", ""]
    en = ["---", "title: Benchmark page", "description: A generated page for measuring speed.", f"last_reviewed: {TODAY}", "---", ""]
    n_vi = 0
    sec = 0
    while n_vi < size:
        t_vi, t_en = SECTION_TITLES[sec % len(SECTION_TITLES)]
        sec += 1
        vi += [f"## {t_vi} {sec}", ""]
        en += [f"## {t_en} {sec}", ""]
        for _ in range(rng.randint(2, 4)):
            doc, p = rng.choice(provisions)
            fig = rng.choice(figures)
            words_vi = " ".join(rng.choice(WORDS_VI) for _ in range(rng.randint(30, 70)))
            words_en = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(30, 70)))
            vi.append(f"{words_vi.capitalize()} (theo {citation_text(doc, p, 'vi')}). Mức thu là {{{{ {fig} }}}}. "
                      f"Xem `mã ví dụ` và [trang chính thức](https://vbpl.vn/x).")
            en.append(f"{words_en.capitalize()} (under {citation_text(doc, p, 'en')}). The charge is {{{{ {fig} }}}}. "
                      f"See `example code` and [the official page](https://vbpl.vn/x).")
            vi.append("")
            en.append("")
        doc, p = rng.choice(provisions)
        vi += [f"- {rng.choice(WORDS_VI)} {rng.choice(WORDS_VI)}: {citation_text(doc, p, 'vi')}", f"- {rng.choice(WORDS_VI)} {rng.choice(WORDS_VI)}", ""]
        en += [f"- {rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)}: {citation_text(doc, p, 'en')}", f"- {rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)}", ""]
        vi += ["| Việc | Thời hạn |", "|---|---|", f"| {rng.choice(WORDS_VI)} | {rng.randint(2, 30)} ngày |", ""]
        en += ["| Step | Time |", "|---|---|", f"| {rng.choice(WORDS_EN)} | {rng.randint(2, 30)} days |", ""]
        n_vi = sum(len(x.encode()) + 1 for x in vi)
    return "\n".join(vi) + "\n", "\n".join(en) + "\n"


def generate(dest_docs: Path, project, *, total_bytes: int, page_size: int, seed: int = 1,
             pairs: int | None = None) -> tuple[list[Path], int]:
    """Write VI/EN page pairs until ``total_bytes`` (or exactly ``pairs`` pairs) are written."""
    rng = random.Random(seed)
    provisions = valid_provisions(project)
    figures = sorted(k for k, f in project.figures.items.items() if f.publishable and not f.kind.endswith("_range"))
    dest_docs.mkdir(parents=True, exist_ok=True)
    files, size, i = [], 0, 0
    while (i < pairs) if pairs is not None else (size < total_bytes):
        vi, en = page_pair(rng, provisions, figures, page_size)
        for name, text in ((f"trang-{i:04d}.md", vi), (f"trang-{i:04d}.en.md", en)):
            (dest_docs / name).write_text(text, encoding="utf-8")
            files.append(dest_docs / name)
            size += len(text.encode())
        i += 1
    return files, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of the generated corpus in MB (default 10)")
    ap.add_argument("--page-kb", type=int, default=24, help="size of each generated page in KB (default 24)")
    ap.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = ap.parse_args()
    os.environ.update(BUILD_ENV)
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        proj_dir = copy_project(Path(tmp))
        project = load_project(proj_dir, fresh=True)
        files, size = generate(proj_dir / "docs" / "bench", project, total_bytes=int(args.mb * 1e6), page_size=args.page_kb * 1000)
        mb = size / 1e6
        print(f"corpus: {len(files)} pages ({len(files) // 2} VI/EN pairs), {mb:.2f} MB of Markdown")
        env = {**os.environ, **BUILD_ENV}
        # 1. the command, as staff run it (a new process: imports, registry load, every page, pairs)
        walls = []
        for _ in range(2):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "lawsite.cli", "check", "--quiet-info", "docs/bench"], cwd=proj_dir,
                                  env=env, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
        wall = min(walls)
        summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        print(f"lawsite check docs/bench: {wall:.2f} s wall -> {mb / wall:.2f} MB/s (exit {proc.returncode}; {summary})")
        errors = [l for l in proc.stdout.splitlines() if ": error:" in l]
        if errors:
            print(f"  note: {len(errors)} errors in the generated corpus, e.g. {errors[0][:160]}")
        # 2. in process: the engine alone (registry already loaded)
        from lawsite.page.process import clear_cache, process_page

        data = [(f, f.read_bytes()) for f in files]
        results = {}
        for label, render in (("check", False), ("check+render", True)):
            best_wall = best_cpu = float("inf")
            for _ in range(2):
                clear_cache()  # process_page memoises results: measure the work, not the cache
                t0, c0 = time.perf_counter(), time.process_time()
                for f, raw in data:
                    rel = f.relative_to(proj_dir).as_posix()
                    process_page(project, rel, raw, render=render, src_uri=rel[len("docs/"):])
                best_wall = min(best_wall, time.perf_counter() - t0)
                best_cpu = min(best_cpu, time.process_time() - c0)
            results[label] = (best_wall, best_cpu)
            print(f"engine, process_page {label:13s}: {best_wall:.2f} s wall, {best_cpu:.2f} s CPU -> {mb / best_wall:.2f} MB/s wall, {mb / best_cpu:.2f} MB/s CPU")
        parser = get_parser("vi", project.aliases("vi"))
        texts = [raw.decode() for f, raw in data if not f.name.endswith(".en.md")]
        vmb = sum(len(t.encode()) for t in texts) / 1e6
        t0 = time.process_time()
        n = sum(len(parser.parse(t)) for t in texts)
        pc = time.process_time() - t0
        print(f"citation parser alone (vi pages): {n} citations in {vmb:.2f} MB, {pc:.2f} s CPU -> {vmb / pc:.2f} MB/s")
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} during the run")
        if args.write:
            write_section(ROOT / "BENCHMARKS.md", "## Citation checker throughput (bench/bench_check.py)", [
                f"Measured {dt.date.today().isoformat()} with `.venv/bin/python bench/bench_check.py --mb {args.mb:g}` "
                f"({os.cpu_count()} CPUs, load average {load:.1f}: other jobs were running, so wall times are pessimistic).",
                "",
                f"Corpus: {len(files)} generated pages ({len(files) // 2} VI/EN pairs, about {args.page_kb} KB each), {mb:.2f} MB of Markdown "
                "with citations in every paragraph, figures, lists, tables, code spans and links.",
                "",
                "| Measure | Time | Throughput |",
                "|---|---|---|",
                f"| `lawsite check docs/bench` (new process, wall) | {wall:.2f} s | {mb / wall:.2f} MB/s |",
                f"| engine in process, check only (wall / CPU) | {results['check'][0]:.2f} s / {results['check'][1]:.2f} s | {mb / results['check'][0]:.2f} / {mb / results['check'][1]:.2f} MB/s |",
                f"| engine in process, check + render (wall / CPU) | {results['check+render'][0]:.2f} s / {results['check+render'][1]:.2f} s | {mb / results['check+render'][0]:.2f} / {mb / results['check+render'][1]:.2f} MB/s |",
                f"| citation parser alone, VI pages (CPU) | {pc:.2f} s | {vmb / pc:.2f} MB/s ({n} citations) |",
                "",
                "Goal: >= 5 MB/s for `lawsite check`.",
            ])
    return 0


def write_section(path: Path, heading: str, lines: list[str]) -> None:
    """Add or replace one '## ' section of BENCHMARKS.md, leaving the other sections as they are
    (the file is re-read right before writing: other engineers write other sections)."""
    text = path.read_text("utf-8") if path.is_file() else "# Benchmarks\n"
    block = heading + "\n\n" + "\n".join(lines).rstrip() + "\n"
    start = text.find(heading + "\n")
    if start == -1:
        text = text.rstrip() + "\n\n" + block
    else:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start] + block + (text[nxt:] if nxt != -1 else "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
