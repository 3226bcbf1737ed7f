"""Write tests/durations.json, the table tests/conftest.py orders the xdist work units by (longest first).

    python tests/record_durations.py [--scale F] [--merge] [--cpu] [--collected FILE] LOG...

LOG: a LAWSITE_TEST_CPU log (JSON lines from tests/conftest.py: "wall" is used) or the text output of
`pytest --durations=N` (setup, call and teardown of a test are added). Later logs override earlier ones;
--merge keeps the entries already in the table that the logs do not name. --scale multiplies every figure
(e.g. 0.5 for a run on a machine twice as loaded as CI); --cpu takes a LAWSITE_TEST_CPU log's CPU seconds
(what a test costs on an idle machine, whatever the load of the run; a test that waits on Chromium is
counted by its wall time over the run's load factor). Only the order matters to the scheduler, so a
table from a loaded machine still works; keep it roughly current after adding or removing slow tests.
--collected FILE (the output of `pytest --collect-only -q`): entries for tests that no longer exist are
dropped (a renamed test would otherwise keep its old figure in a merged table for ever)."""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

TABLE = Path(__file__).with_name("durations.json")
_DURATION_LINE = re.compile(r"^\s*([0-9.]+)s\s+(setup|call|teardown)\s+(\S+)")


def _plain(nid: str) -> str:
    """The node id without xdist's "@group" suffix."""
    return nid.rsplit("@", 1)[0] if nid.rfind("@") > nid.rfind("]") else nid


def _used(rec: dict) -> float:
    """CPU seconds of the test and of its subprocesses. Not the CPU of processes that ran before it and
    were only reaped while it ran (the browser of a session fixture closed after the last test, whose
    CPU lands in that test's "children"): more CPU than two cores can give in its wall time is not its own."""
    used = rec["cpu"] + rec["children"]
    return rec["cpu"] if used > 2 * rec["wall"] + 1.0 else used


def _waited_for(rec: dict) -> bool:
    """The test's CPU is mostly in subprocesses it waited for (a site build, `lawsite check`): its CPU
    seconds are what it costs. Not a browser test: Chromium is no subprocess the test waits for, so its
    CPU is in no field, and the pytest process's own CPU (Playwright's messages, a second or more in a
    long test) is a small part of what the test costs."""
    return rec["children"] >= 0.5 * _used(rec)


def load_factor(records: list[dict]) -> float:
    """How much slower than its CPU seconds the run's CPU-bound tests went (1.0 on an idle machine):
    wall / (cpu + children) over the tests that used at least a CPU second (site builds, checks)."""
    busy = [r for r in records if _used(r) >= 1.0 and _waited_for(r)]
    cpu = sum(_used(r) for r in busy)
    return max(1.0, sum(r["wall"] for r in busy) / cpu) if cpu else 1.0


def read_log(path: Path, cpu: bool = False) -> dict[str, float]:
    """--cpu: CPU seconds of the test and its subprocesses, or, for a test that used less than a CPU second
    (a browser test: Chromium's own CPU is not counted; a wait for another worker's build), its wall time
    divided by the run's load factor."""
    out: dict[str, float] = {}
    lines = [line.strip() for line in path.read_text("utf-8", errors="replace").splitlines()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    factor = load_factor(records) if cpu else 1.0
    for rec in records:
        used = _used(rec)
        # a test that used a CPU second or more, mostly in its subprocesses, was CPU-bound (its CPU is its
        # idle wall time); any other (a browser test, a wait for another worker's build, a test computing
        # in the pytest process) counts its wall time over the load factor, or its CPU if that is more
        bound = used >= 1.0 and _waited_for(rec)
        out[_plain(rec["test"])] = (used if bound else max(used, rec["wall"] / factor)) if cpu else rec["wall"]
    for line in lines:
        if m := _DURATION_LINE.match(line):
            nid = _plain(m.group(3))
            out[nid] = out.get(nid, 0.0) + float(m.group(1))
    return out


def balance(logs: list[Path]) -> int:
    """Each worker's busy seconds (wall, summed) and the time it ended, relative to the first worker's end."""
    for log in logs:
        ends: dict[str, float] = {}
        busy: dict[str, float] = {}
        for line in log.read_text("utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                rec = json.loads(line)
                if "end" in rec:
                    w = rec.get("worker") or "main"
                    ends[w] = max(ends.get(w, 0.0), rec["end"])
                    busy[w] = busy.get(w, 0.0) + rec["wall"]
        if not ends:
            print(f"{log}: no 'worker'/'end' fields (a log written before they were added)")
            continue
        first = min(ends.values())
        for w in sorted(ends):
            print(f"{log}: {w}: busy {busy[w]:.0f} s, ended {ends[w] - first:+.0f} s after the first worker")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logs", nargs="+", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--merge", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="LAWSITE_TEST_CPU logs: CPU seconds (test + subprocesses), not wall; "
                    "close to the wall time on an idle machine for site builds, whatever the load of the run")
    ap.add_argument("--collected", type=Path, help="`pytest --collect-only -q` output: keep only the tests it lists")
    ap.add_argument("--balance", action="store_true", help="print when each xdist worker of the logged run ended "
                    "(a LAWSITE_TEST_CPU log with 'worker' and 'end'), and write nothing")
    a = ap.parse_args(argv)
    if a.balance:
        return balance(a.logs)
    table = json.loads(TABLE.read_text("utf-8")) if a.merge and TABLE.exists() else {}
    for log in a.logs:
        table.update({k: round(v * a.scale, 2) for k, v in read_log(log, a.cpu).items()})
    if a.collected:
        ids = {_plain(line.strip()) for line in a.collected.read_text("utf-8").splitlines() if "::" in line}
        table = {k: v for k, v in table.items() if k in ids}
    TABLE.write_text(json.dumps(dict(sorted(table.items())), indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"{TABLE}: {len(table)} tests, {sum(table.values()):.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
