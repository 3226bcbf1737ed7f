"""Rules of the test suite itself (issue 16 §5), checked on the source with ast:

- no module under tests/ imports a test module (test_*): shared helpers live in tests/helpers.py
  (plain functions) or tests/conftest.py (fixtures), so a test module can be run, moved or deleted alone;
- every test that builds a site (mkdocs/ProperDocs/`make site`, directly or through a fixture that does)
  is marked `slow`, so `make test-fast` (-m "not slow and not browser") never builds one. Tests that
  use built_site/site_url or a browser fixture are marked by tests/conftest.py from their fixtures."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# calls that build a whole site (names as written in the tests)
BUILDERS = {"mkdocs_build"}
BUILD_WORDS = {"lawsite.build.run", "properdocs"}  # `python -m lawsite.build.run`, Path(...).with_name("properdocs")
# fixtures that conftest.py turns into the slow (and browser) markers
MARKED_FIXTURES = {"built_site", "site_url", "browser", "page", "phone"}


def test_imports_of_test_modules(tmp_path):
    """The checker finds each way of importing a test module (so the rule below can fail)."""
    bad = tmp_path / "x.py"
    bad.write_text("import os\nfrom test_a import f\nimport test_b as b\ndef g():\n    from tests.test_c import h\n"
                   "from helpers import ok\nfrom .test_d import z\nimport importlib\nimportlib.import_module('test_e')\n", "utf-8")
    assert imports_of_test_modules(bad) == [2, 3, 5, 7, 9]


def test_no_test_module_imports_another_test_module():
    found = [f"tests/{p.name}:{line}" for p in sorted(TESTS.glob("*.py")) for line in imports_of_test_modules(p)]
    assert not found, "a test module is imported (move the shared code to tests/helpers.py or a conftest fixture):\n" + "\n".join(found)


def imports_of_test_modules(path: Path) -> list[int]:
    """Lines of ``path`` that import a module whose last dotted part starts with test_."""
    def is_test(name: str | None) -> bool:
        return bool(name) and name.split(".")[-1].startswith("test_")

    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import) and any(is_test(a.name) for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (is_test(node.module) or (node.level and any(is_test(a.name) for a in node.names))):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"import_module", "__import__"}
              and node.args and isinstance(node.args[0], ast.Constant) and is_test(str(node.args[0].value))):
            lines.append(node.lineno)
    return sorted(lines)


# --- every site-building test is marked slow ---------------------------------------------------
def _builds(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in BUILDERS:
            return True
        if isinstance(node, ast.Constant) and node.value in BUILD_WORDS:
            return True
        if isinstance(node, ast.List) and {"mkdocs", "build"} <= {getattr(e, "value", None) for e in node.elts}:
            return True  # [sys.executable, "-m", "mkdocs", "build", ...]
    return False


def _marks(decorators, mark: str) -> bool:
    return any(mark in ast.unparse(d) for d in decorators)


def unmarked_builders(path: Path) -> list[str]:
    """Tests of ``path`` that build a site (themselves or through a fixture of the same module or of
    conftest.py, at any depth) and are not marked slow (decorator, module pytestmark, or a fixture that
    conftest.py marks)."""
    def functions(p: Path) -> dict[str, ast.FunctionDef]:
        return {n.name: n for n in ast.parse(p.read_text("utf-8")).body if isinstance(n, ast.FunctionDef)}

    tree = ast.parse(path.read_text("utf-8"))
    module_slow = any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in n.targets)
                      and "slow" in ast.unparse(n.value) for n in tree.body)
    funcs = {**functions(TESTS / "conftest.py"), **functions(path)} if path.name != "conftest.py" else functions(path)
    building = {name for name, fn in funcs.items() if _builds(fn) and not name.startswith("test_")}
    changed = True
    while changed:  # fixtures that use a building fixture build too
        changed = False
        for name, fn in funcs.items():
            if name not in building and not name.startswith("test_") and {a.arg for a in fn.args.args} & building:
                building.add(name)
                changed = True
    out = []
    for name, fn in functions(path).items():
        if not name.startswith("test_"):
            continue
        args = {a.arg for a in fn.args.args}
        if (_builds(fn) or args & building) and not (module_slow or _marks(fn.decorator_list, "slow") or args & MARKED_FIXTURES):
            out.append(f"tests/{path.name}:{fn.lineno}: {name}")
    return out


def test_the_marker_check_finds_an_unmarked_build(tmp_path):
    p = tmp_path / "test_x.py"
    p.write_text("import pytest\n\n@pytest.fixture\ndef proj(tmp_path):\n    return mkdocs_build(tmp_path, tmp_path)\n\n"
                 "@pytest.fixture\ndef deeper(proj):\n    return proj\n\n"
                 "def test_a(deeper):\n    pass\n\n@pytest.mark.slow\ndef test_b(proj):\n    pass\n\n"
                 "def test_c(built_site):\n    pass\n\ndef test_d(tmp_path):\n    mkdocs_build(tmp_path, tmp_path)\n\n"
                 "def test_e(tmp_path):\n    pass\n\ndef test_f(tmp_path):\n    subprocess.run([sys.executable, '-m', 'mkdocs', 'build'])\n", "utf-8")
    assert [x.rsplit(": ", 1)[1] for x in unmarked_builders(p)] == ["test_a", "test_d", "test_f"]


def test_every_site_building_test_is_marked_slow():
    found = [x for p in sorted(TESTS.glob("test_*.py")) for x in unmarked_builders(p)]
    assert not found, "builds a site but is not marked @pytest.mark.slow (make test-fast would run it):\n" + "\n".join(found)


# --- xdist balance: the longest work units first (tests/conftest.py: _longest_first) ---------------
class _Item:
    def __init__(self, nodeid: str, *fixtures: str):
        self.nodeid, self.fixturenames = nodeid, list(fixtures)

    def __repr__(self):
        return self.nodeid


def test_longest_units_first_groups_and_modules_kept_together(tmp_path, monkeypatch):
    import json

    import conftest

    table = {"tests/test_a.py::test_short": 1, "tests/test_a.py::test_long": 50, "tests/test_b.py::test_1": 2,
             "tests/test_b.py::test_2": 2, "tests/test_c.py::test_g1": 30, "tests/test_c.py::test_g2": 30,
             "tests/test_d.py::test_free": 40}
    (tmp_path / "durations.json").write_text(json.dumps(table), "utf-8")
    monkeypatch.setattr(conftest, "DURATIONS", tmp_path / "durations.json")
    items = [_Item("tests/test_a.py::test_short", "built_site"), _Item("tests/test_a.py::test_long", "built_site"),
             _Item("tests/test_b.py::test_1"), _Item("tests/test_b.py::test_2"), _Item("tests/test_b.py::test_new"),
             _Item("tests/test_c.py::test_g1@grp", "built_site"), _Item("tests/test_c.py::test_g2@grp", "built_site"),
             _Item("tests/test_d.py::test_free")]
    got = [i.nodeid for i in conftest._longest_first(items)]
    # the group (60 s) first, then the longest unit that needs no built site (40 s) for the other worker,
    # then module a (its longest test 50 s; its tests together), then module b (a test not in the table
    # counts as its module's median)
    assert got == ["tests/test_c.py::test_g1@grp", "tests/test_c.py::test_g2@grp", "tests/test_d.py::test_free",
                   "tests/test_a.py::test_short", "tests/test_a.py::test_long",
                   "tests/test_b.py::test_1", "tests/test_b.py::test_2", "tests/test_b.py::test_new"]
    assert sorted(got) == sorted(i.nodeid for i in items)


def test_durations_from_a_cpu_log_leave_out_reaped_processes(tmp_path):
    """tests/record_durations.py --cpu: a test's CPU and its subprocesses' (a site build), the wall time
    over the run's load factor for a test that used less than a CPU second (a browser test), and NOT
    the CPU of processes only reaped while the test ran (the session's Chromium, closed after the last
    test: 190 CPU seconds in a 0.35 s test once put that test first in the table)."""
    import json
    import sys

    sys.path.insert(0, str(TESTS))
    from record_durations import read_log

    log = tmp_path / "cpu.jsonl"
    recs = [{"test": "tests/test_a.py::test_build@grp", "wall": 40.0, "cpu": 0.5, "children": 19.5},
            {"test": "tests/test_b.py::test_browser", "wall": 4.0, "cpu": 0.2, "children": 0.0},
            {"test": "tests/test_c.py::test_last", "wall": 0.35, "cpu": 0.02, "children": 191.9},
            {"test": "tests/test_d.py::test_long_browser", "wall": 30.0, "cpu": 1.2, "children": 0.0}]
    log.write_text("".join(json.dumps(r) + "\n" for r in recs), "utf-8")
    got = read_log(log, cpu=True)
    assert got["tests/test_a.py::test_build"] == 20.0  # load factor 40 / 20 = 2
    assert got["tests/test_b.py::test_browser"] == 2.0
    assert got["tests/test_c.py::test_last"] < 1.0
    # a browser test with a CPU second of its own (Playwright's messages): its wall time over the load
    # factor, not that second (session 9: two 45 s search tests counted 1.1 s and were scheduled last)
    assert got["tests/test_d.py::test_long_browser"] == 15.0


def test_durations_table_keeps_only_the_collected_tests(tmp_path, monkeypatch):
    """tests/record_durations.py --merge --collected: the log's figures replace the table's, the table's
    other entries stay, and an entry for a test that is no longer collected (renamed, removed) goes."""
    import json
    import sys

    sys.path.insert(0, str(TESTS))
    import record_durations

    table = tmp_path / "durations.json"
    table.write_text(json.dumps({"tests/test_a.py::test_old": 40.0, "tests/test_a.py::test_kept": 3.0,
                                 "tests/test_b.py::test_build": 9.0}), "utf-8")
    monkeypatch.setattr(record_durations, "TABLE", table)
    log = tmp_path / "cpu.jsonl"
    log.write_text(json.dumps({"test": "tests/test_b.py::test_build@grp", "wall": 5.0, "cpu": 0.0, "children": 5.0}) + "\n", "utf-8")
    collected = tmp_path / "collected.txt"
    collected.write_text("tests/test_a.py::test_kept\ntests/test_b.py::test_build\n\n2 tests collected in 0.1s\n", "utf-8")
    assert record_durations.main(["--merge", "--cpu", "--collected", str(collected), str(log)]) == 0
    assert json.loads(table.read_text("utf-8")) == {"tests/test_a.py::test_kept": 3.0, "tests/test_b.py::test_build": 5.0}
