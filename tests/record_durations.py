"""Write tests/durations.json, the table tests/conftest.py orders the xdist work units by (longest first).

    python tests/record_durations.py [--scale F] [--merge] LOG...

LOG: a LAWSITE_TEST_CPU log (JSON lines from tests/conftest.py: "wall" is used) or the text output of
`pytest --durations=N` (setup, call and teardown of a test are added). Later logs override earlier ones;
--merge keeps the entries already in the table that the logs do not name. --scale multiplies every figure
(e.g. 0.5 for a run on a machine twice as loaded as CI); --cpu takes a LAWSITE_TEST_CPU log's CPU seconds. Only the order matters to the scheduler, so a
table from a loaded machine still works; keep it roughly current after adding or removing slow tests."""
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


def read_log(path: Path, cpu: bool = False) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith("{"):
            rec = json.loads(line)
            out[_plain(rec["test"])] = rec["cpu"] + rec["children"] if cpu else rec["wall"]
        elif m := _DURATION_LINE.match(line):
            nid = _plain(m.group(3))
            out[nid] = out.get(nid, 0.0) + float(m.group(1))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logs", nargs="+", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--merge", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="LAWSITE_TEST_CPU logs: CPU seconds (test + subprocesses), not wall; "
                    "close to the wall time on an idle machine for site builds, whatever the load of the run")
    a = ap.parse_args(argv)
    table = json.loads(TABLE.read_text("utf-8")) if a.merge and TABLE.exists() else {}
    for log in a.logs:
        table.update({k: round(v * a.scale, 2) for k, v in read_log(log, a.cpu).items()})
    TABLE.write_text(json.dumps(dict(sorted(table.items())), indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"{TABLE}: {len(table)} tests, {sum(table.values()):.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
