"""Build time and peak memory of a generated 2x500-page corpus (500 VI + 500 EN pages of realistic
size, with citations and figures), with the site's hooks and without them (a copy of mkdocs.yml
without the `hooks:` entries), in the same run. Prints figures; never a timed test.

    .venv/bin/python bench/bench_build.py [--pairs 500] [--page-kb 6] [--runs 1] [--write]

Peak memory is the child's maximum resident set size (os.wait4 rusage of the mkdocs process); CPU
seconds are its user + system time, Pagefind (a child it waits for) included: on a shared, loaded
machine CPU seconds compare builds, wall seconds do not.
Four builds per run: without hooks; with hooks and no page cache; with hooks and LAWSITE_CACHE=1 on
an empty .cache/ (cold); the same again with the cache filled (warm). --pairs 0 measures the real
site alone. Goal: hook overhead <= 5 %. --write puts the figures into BENCHMARKS.md under
"## Build time and memory with and without hooks (bench/bench_build.py)".
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_check import BUILD_ENV, copy_project, load_project, generate, write_section  # noqa: E402


def without_hooks(yml: str) -> str:
    """mkdocs.yml without its `hooks:` block (the list of hook files under it) and without the engine's
    Markdown extension (`- lawsite.markdown:` and its options), which needs the hooks' pre-build step."""
    yml = re.sub(r"^[ \t]+- lawsite\.markdown:[^\n]*\n(?:[ \t]{5,}[^\n]*\n)*", "", yml, flags=re.M)
    return re.sub(r"^hooks:\s*\n(?:[ \t]+-[^\n]*\n|[ \t]*#[^\n]*\n)*", "", yml, flags=re.M)


def build(src: Path, config: Path, dest: Path, extra_env: dict | None = None) -> tuple[float, float, int, str, float]:
    """(wall seconds, peak RSS in MB, exit code, stderr tail, CPU seconds) of one `mkdocs build`.
    CPU seconds: user + system time of mkdocs and of the children it waited for (Pagefind)."""
    env = {**os.environ, **BUILD_ENV, **(extra_env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(dest)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=src, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, err[-400:], usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=500)
    ap.add_argument("--page-kb", type=int, default=6, help="size of each generated page in KB (default 6: the real pages are 2-10 KB)")
    ap.add_argument("--runs", type=int, default=1, help="builds of each kind (the fastest is kept)")
    ap.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    ap.add_argument("--skip-nocache", action="store_true",
                    help="skip the build with hooks and no cache (its row repeats the cold row's figures)")
    args = ap.parse_args()
    os.environ.update(BUILD_ENV)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        (Path(tmp) / "src").mkdir()
        src = copy_project(Path(tmp) / "src")
        project = load_project(src, fresh=True)
        files, size = generate(src / "docs" / "bench", project, total_bytes=0, page_size=args.page_kb * 1000, pairs=args.pairs)
        real = len([p for p in (src / "docs").rglob("*.md") if "bench" not in p.parts])
        print(f"corpus: {len(files)} generated pages ({args.pairs} VI + {args.pairs} EN), {size / 1e6:.2f} MB, plus the {real} real pages")
        yml = (src / "mkdocs.yml").read_text("utf-8")
        bare = without_hooks(yml)
        assert "hooks:" not in bare and bare != yml
        (src / "mkdocs-nohooks.yml").write_text(bare, encoding="utf-8")
        res = {}
        kinds = (("without hooks", src / "mkdocs-nohooks.yml", {"LAWSITE_CACHE": "0"}),
                 ("with hooks", src / "mkdocs.yml", {"LAWSITE_CACHE": "0"}),
                 ("cache cold", src / "mkdocs.yml", {"LAWSITE_CACHE": "1"}),
                 ("cache warm", src / "mkdocs.yml", {"LAWSITE_CACHE": "1"}))
        if args.skip_nocache:
            kinds = tuple(k for k in kinds if k[0] != "with hooks")
        for label, cfg, extra in kinds:
            best = None
            for i in range(args.runs):
                if label == "cache cold":
                    shutil.rmtree(src / ".cache", ignore_errors=True)
                wall, rss, rc, err, cpu = build(src, cfg, Path(tmp) / f"site-{label[:4]}-{i}", extra)
                if rc != 0:
                    print(f"  {label}: build failed (exit {rc}): {err}")
                best = (cpu, rss, wall) if best is None or cpu < best[0] else best  # the least CPU time is kept
                print(f"{label:14s} run {i + 1}: {cpu:.1f} s CPU, {wall:.1f} s wall, peak RSS {rss:.0f} MB, exit {rc}", flush=True)
            res[label] = best
        t0, m0, w0 = res["without hooks"]
        t1, m1, w1 = res.get("with hooks", res["cache cold"])
        tc, mc, wc = res["cache cold"]
        tw, mw, ww = res["cache warm"]
        overhead = (t1 - t0) / t0 * 100
        load = os.getloadavg()[0]
        print(f"hook overhead: {overhead:+.1f} % CPU time ({t1 - t0:+.1f} s), {m1 - m0:+.0f} MB peak memory; load average {load:.1f}")
        print(f"with the page cache: cold {tc / t0:.2f} x, warm {tw / t0:.2f} x the CPU time of the build without hooks "
              f"(wall: cold {wc / w0:.2f} x, warm {ww / w0:.2f} x)")
        heading = ("## Build time and memory with and without hooks (bench/bench_build.py)" if args.pairs else
                   "## Build time of the real site, page cache cold and warm (bench/bench_build.py --pairs 0)")
        if args.write:
            write_section(ROOT / "BENCHMARKS.md", heading, [
                f"Measured {dt.date.today().isoformat()} with `.venv/bin/python bench/bench_build.py --pairs {args.pairs} "
                f"--page-kb {args.page_kb} --runs {args.runs}` ({os.cpu_count()} CPUs, load average {load:.1f}).",
                "",
                f"Corpus: {len(files)} generated pages ({args.pairs} VI + {args.pairs} EN, about {args.page_kb} KB each, "
                f"{size / 1e6:.1f} MB, citations and figures in every paragraph) added to the {real} real pages. "
                "The build without hooks uses a copy of mkdocs.yml without its `hooks:` entries (same run, same sources).",
                "",
                "| Build | CPU time | Wall time | Peak RSS |",
                "|---|---|---|---|",
                f"| without hooks | {t0:.1f} s | {w0:.1f} s | {m0:.0f} MB |",
                f"| with hooks | {t1:.1f} s | {w1:.1f} s | {m1:.0f} MB |",
                f"| hook overhead | {overhead:+.1f} % ({t1 - t0:+.1f} s) | | {m1 - m0:+.0f} MB |",
                f"| with hooks, cache cold (LAWSITE_CACHE=1, empty .cache/) | {tc:.1f} s ({tc / t0:.2f} x) | {wc:.1f} s | {mc:.0f} MB |",
                f"| with hooks, cache warm | {tw:.1f} s ({tw / t0:.2f} x) | {ww:.1f} s | {mw:.0f} MB |",
                "",
                "Targets (issue 16): real site warm <= 1.3 x and cold <= 2 x the build without hooks; 2x500 pages "
                "engine overhead <= 50 % cold and <= 5 % warm. Figures from a shared, loaded 2-core machine: "
                "compare rows of one run, not runs.",
            ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
