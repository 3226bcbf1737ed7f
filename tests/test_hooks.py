"""The MkDocs hooks are tables of one-line delegations (issue 16 §1): every `on_*` event function in
hooks/*.py is a single statement handing MkDocs' values to lawsite.build.steps, so the build logic is
the same for any generator (and `python -m lawsite.build.steps` runs it without MkDocs)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

HOOKS = sorted((ROOT / "hooks").glob("*.py"))


def _events(path: Path):
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("on_")]


def test_every_hook_event_is_one_statement():
    fat = []
    for path in HOOKS:
        for fn in _events(path):
            body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if len(body) != 1:
                fat.append(f"hooks/{path.name}:{fn.lineno} {fn.name} ({len(body)} statements)")
    assert not fat, "hook events must be one-line delegations to lawsite.build.steps: " + ", ".join(fat)


def test_the_hooks_delegate_to_the_steps():
    """Each event's statement calls into the steps (through the `_mkdocs` glue), and the hooks listed in
    mkdocs.yml are the files checked above (a hook file outside hooks/ would escape the check)."""
    events = [(path, fn) for path in HOOKS for fn in _events(path)]
    assert len(events) >= 15, [fn.name for _, fn in events]
    for path, fn in events:
        calls = {ast.unparse(n.func) for n in ast.walk(fn) if isinstance(n, ast.Call)}
        assert any(c.startswith(("M.site(config).", "steps.")) for c in calls), f"hooks/{path.name} {fn.name}: {calls}"
    listed = re.findall(r"^\s+-\s+(hooks/\S+\.py)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
    assert listed and all((ROOT / h).parent == ROOT / "hooks" for h in listed)
    assert {ROOT / h for h in listed} <= set(HOOKS)


def test_no_generator_import_in_the_engine():
    """lawsite/ never imports MkDocs (the steps and the extension take plain values)."""
    offenders = []
    for path in sorted((ROOT / "lawsite").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "mkdocs" or n.startswith(("mkdocs.", "mkdocs_", "material")) for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
