"""Run every benchmark script in turn (each prints its own figures; none is a test).

    make bench               # all of them
    python bench/run_all.py check build   # a subset, by name
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "check": ["bench_check.py", "--mb", "5"],
    "build": ["bench_build.py", "--pairs", "500"],
    "search": ["bench_search.py"],
    "weight": ["page_weight.py"],
    "lighthouse": ["lighthouse.py"],
}


def main(argv: list[str]) -> int:
    names = argv or list(SCRIPTS)
    failed = []
    for name in names:
        if name not in SCRIPTS:
            print(f"unknown benchmark '{name}' (known: {', '.join(SCRIPTS)})", file=sys.stderr)
            return 2
        script, *args = SCRIPTS[name]
        print(f"\n=== {name}: {script} {' '.join(args)}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / script), *args], cwd=HERE.parent)
        if rc:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that did not finish: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
