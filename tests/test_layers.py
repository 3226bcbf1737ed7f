"""The package's layers (issue 16): core <- project <- cite <- page <- site <- generate <- build <- cli.

Every import of every module under lawsite/ (found with ast, so also the ones deferred into a
function body) must point to the module's own layer or a lower one; a module that belongs to no
layer is a failure too. The layer table and the move table live in tools/relayer.py, the script
that moved the flat modules into these packages (re-run it after merging a branch that still uses
the old names; `--check` says whether anything is left)."""
from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "lawsite"


def _relayer():
    spec = importlib.util.spec_from_file_location("relayer", ROOT / "tools" / "relayer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


RELAYER = _relayer()
ORDER = {name: i for i, (name, _) in enumerate(RELAYER.LAYERS)}


def layer_of(module: str) -> str | None:
    """The layer of a module: the longest matching prefix ('lawsite' itself matches only the root)."""
    best, best_len = None, -1
    for name, prefixes in RELAYER.LAYERS:
        for p in prefixes:
            hit = module == p or (p != "lawsite" and module.startswith(p + "."))
            if hit and len(p) > best_len:
                best, best_len = name, len(p)
    return best


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def imports(module: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported lawsite module) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name == "lawsite" or a.name.startswith("lawsite.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != "lawsite" and not target.startswith("lawsite."):
                continue
            for a in node.names:  # `from lawsite.core import text` imports the module lawsite.core.text
                sub = f"{target}.{a.name}"
                out.append((node.lineno, sub if sub in known else target))
    return out


def edges() -> list[tuple[str, int, str]]:
    mods = modules()
    known = set(mods)
    return [(m, line, dst) for m, p in mods.items() for line, dst in imports(m, p, known)]


def test_every_module_is_in_a_layer():
    outside = [f"{p.relative_to(ROOT)} ({m})" for m, p in modules().items() if layer_of(m) is None]
    assert not outside, "modules outside every layer (add them to LAYERS/MOVES in tools/relayer.py): " + ", ".join(outside)


def test_no_import_points_up_a_layer():
    mods = modules()
    bad = []
    for src, line, dst in edges():
        ls, ld = layer_of(src), layer_of(dst)
        if ld is None:
            bad.append(f"{mods[src].relative_to(ROOT)}:{line}: {src} imports {dst}, which is in no layer")
        elif ls is not None and ORDER[ld] > ORDER[ls]:
            bad.append(f"{mods[src].relative_to(ROOT)}:{line}: {src} ({ls}) imports {dst} ({ld}), a higher layer")
    assert not bad, "imports pointing up a layer:\n" + "\n".join(bad)


def test_no_import_cycle():
    """No cycle at all, even inside a layer and even through imports deferred into functions."""
    graph: dict[str, set[str]] = {}
    for src, _, dst in edges():
        if dst != src and not src.startswith(dst + ".") and dst != "lawsite":  # a package's own __init__ is not a cycle
            graph.setdefault(src, set()).add(dst)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_layer_check_names_the_edge(tmp_path, monkeypatch):
    """The checker itself: an upward import in a module is reported with its file, line and layers."""
    pkg = tmp_path / "lawsite"
    (pkg / "core").mkdir(parents=True)
    (pkg / "site").mkdir()
    for p in (pkg / "__init__.py", pkg / "core" / "__init__.py", pkg / "site" / "__init__.py", pkg / "site" / "review.py"):
        p.write_text("", "utf-8")
    (pkg / "core" / "text.py").write_text("def f():\n    from ..site.review import x\n", "utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PKG", pkg)
    with pytest.raises(AssertionError, match=r"lawsite/core/text\.py:2: lawsite\.core\.text \(core\) imports lawsite\.site\.review \(site\)"):
        test_no_import_points_up_a_layer()
    (pkg / "stray.py").write_text("", "utf-8")
    with pytest.raises(AssertionError, match=r"lawsite/stray\.py \(lawsite\.stray\)"):
        test_every_module_is_in_a_layer()


# ---- the move script ----

@pytest.mark.parametrize("old, new", [
    ("from lawsite.page import process_page\n", "from lawsite.page.process import process_page\n"),
    ("from lawsite import text, yamlio, page\n", "from lawsite.core import text, yamlio\nfrom lawsite.page import process as page\n"),
    ("import lawsite.project as P\nP.x = lawsite.project._CACHE\n", "import lawsite.project.loader as P\nP.x = lawsite.project.loader._CACHE\n"),
    ("def f():\n    from lawsite.sitebuild import Build\n", "def f():\n    from lawsite.build.sitebuild import Build\n"),
    ('m = "lawsite.figcheck"  # lawsite/figcheck.py\n', 'm = "lawsite.page.figcheck"  # lawsite/page/figcheck.py\n'),
    ("from lawsite.cite.parse import get_parser\nimport lawsite_hooks\n", None),  # unmoved modules stay
])
def test_relayer_rewrites_outside_the_package(old, new):
    got = RELAYER.rewrite_python(old, "tests/test_x.py")
    assert got == (old if new is None else new)
    assert RELAYER.rewrite_python(got, "tests/test_x.py") == got  # idempotent


def test_relayer_makes_relative_imports_absolute():
    src = "from .cite.model import Citation\nfrom . import figures\nfrom .changes import extend_body as e\n"
    got = RELAYER.rewrite_python(src, "lawsite/page.py")
    assert got == ("from lawsite.cite.model import Citation\nfrom lawsite.project import figures\n"
                   "from lawsite.site.changes import extend_body as e\n")
    assert RELAYER.rewrite_python("from ..findings import Finding\n", "lawsite/cite/names.py") == "from lawsite.core.findings import Finding\n"
    assert RELAYER.rewrite_python(got, "lawsite/page/process.py") == got


def test_relayer_rewrites_plain_text():
    assert RELAYER._rewrite_plain("\t$(BIN)/python -m lawsite.build --serve\n") == "\t$(BIN)/python -m lawsite.build.run --serve\n"
    assert RELAYER._rewrite_plain('lawsite = "lawsite.cli:main"\n') == 'lawsite = "lawsite.cli:main"\n'
    assert RELAYER._rewrite_plain("see lawsite/pagefind_chunks.py and hooks/lawsite_hooks.py") == \
        "see lawsite/build/pagefind_chunks.py and hooks/lawsite_hooks.py"


def test_checkout_is_fully_relayered():
    """Nothing left to move or rewrite (after a merge, run `python tools/relayer.py`)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "relayer.py"), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_relayer_knows_modules_written_into_the_new_packages():
    """A module created directly in a layer package (lawsite/page/diskcache.py) is not taken for an
    attribute of the old flat module of the same package name."""
    src = "from lawsite.page import diskcache\nx = lawsite.page.diskcache.enabled\nfrom lawsite.page import process_page\n"
    assert RELAYER.rewrite_python(src, "tests/test_x.py") == (
        "from lawsite.page import diskcache\nx = lawsite.page.diskcache.enabled\nfrom lawsite.page.process import process_page\n")
