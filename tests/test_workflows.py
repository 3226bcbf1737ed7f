"""GitHub Actions workflows: least-privilege `permissions:` and every action pinned to a full
commit SHA (a tag can be moved to other code; a SHA cannot)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
WRITE_OK = {"contents", "pages", "id-token", "deployments", "statuses", "checks", "pull-requests", "issues", "actions"}
SHA_REF = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # BaseLoader: "on" stays a string
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def test_there_are_workflows():
    assert WORKFLOWS, ".github/workflows/ has no workflow yet (the lead writes it)"


def _perm_ok(perms, where: str) -> list[str]:
    if perms in ("read-all", "{}", "") or perms == {}:
        return []
    if perms == "write-all":
        return [f"{where}: permissions: write-all"]
    if not isinstance(perms, dict):
        return [f"{where}: permissions must be a mapping, got {perms!r}"]
    bad = []
    for scope, level in perms.items():
        if level not in ("read", "write", "none"):
            bad.append(f"{where}: {scope}: {level}")
        if level == "write" and scope not in WRITE_OK:
            bad.append(f"{where}: {scope}: write is not needed by a docs site")
    return bad


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_least_privilege_permissions(path):
    wf = load(path)
    problems = []
    top = wf.get("permissions")
    jobs = wf.get("jobs") or {}
    if top is None:
        missing = [j for j, job in jobs.items() if isinstance(job, dict) and "permissions" not in job]
        if missing:
            problems.append(f"no top-level permissions: and jobs {missing} have none (the default token may write)")
    else:
        problems += _perm_ok(top, "top level")
        if isinstance(top, dict) and any(v == "write" for v in top.values()) and len(jobs) > 1:
            problems.append("write permissions at top level of a workflow with several jobs: grant them only to the job that needs them")
    for name, job in jobs.items():
        if isinstance(job, dict) and "permissions" in job:
            problems += _perm_ok(job["permissions"], f"job {name}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_pinned_to_full_sha(path):
    wf = load(path)
    bad = []
    for name, job in (wf.get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue
        if "uses" in job:  # reusable workflow
            ref = job["uses"]
            if not ref.startswith("./") and not SHA_REF.match(ref):
                bad.append(f"job {name}: {ref}")
        for step in job.get("steps") or []:
            ref = step.get("uses") if isinstance(step, dict) else None
            if ref and not ref.startswith(("./", "docker://")) and not SHA_REF.match(ref):
                bad.append(f"job {name}: {ref}")
    assert not bad, f"{path.name}: actions not pinned to a 40-character commit SHA:\n" + "\n".join(bad)


def test_checker_rejects_tag_and_write_all():
    """The rules themselves: a tag reference and write-all are refused."""
    assert not SHA_REF.match("actions/checkout@v4")
    assert SHA_REF.match("actions/checkout@" + "a" * 40)
    assert _perm_ok("write-all", "x") and not _perm_ok({"contents": "read"}, "x")
    assert _perm_ok({"packages": "write"}, "x")
