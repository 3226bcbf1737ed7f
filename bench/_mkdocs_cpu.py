"""Run `python -m mkdocs ...` and write the CPU seconds of the Pagefind runs it waited for (user + system of
every `subprocess.run` whose command names pagefind, from RUSAGE_CHILDREN before and after) to the file named
by BENCH_PAGEFIND_CPU. Used by bench/bench_build.py to separate Pagefind's share of a build; changes nothing
in the build."""
from __future__ import annotations

import atexit
import os
import resource
import runpy
import subprocess
import sys

_spent = [0.0]
_run = subprocess.run


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed_run(cmd, *args, **kwargs):
    if "pagefind" not in " ".join(map(str, cmd if isinstance(cmd, (list, tuple)) else [cmd])):
        return _run(cmd, *args, **kwargs)
    t0 = _cpu()
    try:
        return _run(cmd, *args, **kwargs)
    finally:
        _spent[0] += _cpu() - t0


def _write() -> None:
    out = os.environ.get("BENCH_PAGEFIND_CPU")
    if out:
        with open(out, "w") as fh:
            fh.write(f"{_spent[0]:.3f}\n")


subprocess.run = _timed_run
atexit.register(_write)
sys.argv = ["mkdocs", *sys.argv[1:]]
runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
