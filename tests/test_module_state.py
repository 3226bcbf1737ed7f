"""No new process-wide cache in lawsite/ (issue 16, mends8): what is derived from a project's data lives
on its Project (`project.cache(name)`, or on the registry's objects), so two projects in one process
never share an entry and nothing outlives the data it came from. This test walks every module (with
`ast`) and lists each memoised function (`lru_cache`, `cache`) and each module-level container
created empty (filled at run time); each must be one of the known ones below, which hold package data
or inputs-keyed pure results, or the two documented process tables."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KNOWN = {
    # package data, fixed while the process runs
    ("lawsite/cite/parse.py", "load_grammar"),
    ("lawsite/core/findings.py", "catalogue"),
    ("lawsite/core/l10n.py", "labels"),
    ("lawsite/core/l10n.py", "_staff_labels"),
    ("lawsite/site/impact.py", "labels"),
    ("lawsite/core/security.py", "_policy"),
    ("lawsite/core/diskmemo.py", "engine_hash"),
    # pure functions of their (hashable) arguments: a parser per language and alias list, a regex per shape
    ("lawsite/cite/parse.py", "_cached_parser"),
    ("lawsite/build/search.py", "_not_indexed"),
    # the two documented tables (docs-dev/layers.md, "Caches"): root -> Project, root -> the running build
    ("lawsite/project/loader.py", "_CACHE"),
    ("lawsite/build/steps.py", "_SITES"),
}


def _memo_decorated(node) -> bool:
    for d in node.decorator_list:
        f = d.func if isinstance(d, ast.Call) else d
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        if name in ("lru_cache", "cache"):
            return True
    return False


def _empty_container(v) -> bool:
    if isinstance(v, (ast.Dict, ast.List, ast.Set)):
        return not (getattr(v, "keys", None) or getattr(v, "elts", None))
    if isinstance(v, ast.Call) and not v.args and not v.keywords:
        f = v.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        return name in ("dict", "list", "set", "OrderedDict", "defaultdict", "WeakValueDictionary", "WeakKeyDictionary")
    return False


def module_state() -> set[tuple[str, str]]:
    found = set()
    for p in sorted((ROOT / "lawsite").rglob("*.py")):
        rel = p.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _memo_decorated(node):
                found.add((rel, node.name))
        for node in ast.parse(p.read_text("utf-8")).body:  # module level only
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            if getattr(node, "value", None) is not None and _empty_container(node.value):
                found |= {(rel, t.id) for t in targets if isinstance(t, ast.Name)}
    return found


def test_no_module_level_cache_beyond_the_known_ones():
    found = module_state()
    assert not found - KNOWN, f"new module-level state (put it on the Project: project.cache(name)): {sorted(found - KNOWN)}"
    assert not KNOWN - found, f"gone (remove from KNOWN): {sorted(KNOWN - found)}"


def test_the_walk_finds_what_it_looks_for():
    """The detector itself: a decorated function and an empty module dict are found, a constant is not."""
    tree = ast.parse("import functools\nX = {}\nY: dict = dict()\nZ = {'a': 1}\n@functools.lru_cache(maxsize=None)\ndef f(): pass\n")
    names = {t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if _empty_container(n.value)}
    assert names == {"X", "Y"}
    assert [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and _memo_decorated(n)] == ["f"]


def test_summaries_and_document_names_live_with_their_project(tmp_path):
    """What was module state before mends8: clause summaries (an lru_cache keyed by id(doc)) and document
    names (a dict keyed by id(doc)) now live on the Project and on its registry's documents."""
    from conftest import copy_project
    from lawsite.cite.names import doc_names
    from lawsite.project.loader import load_project
    from lawsite.project.summaries import load_summaries

    a = load_project(ROOT)
    b = load_project(copy_project(tmp_path / "b"), fresh=True)
    da, db = a.registry.get("49/2019/QH14"), b.registry.get("49/2019/QH14")
    sa, sb = load_summaries(a, "vi", da), load_summaries(b, "vi", db)
    assert sa is load_summaries(a, "vi", da) and sa is not sb  # once per project, never shared
    assert sa.items == sb.items and str(sb.path).startswith(str(b.root))
    assert any(k[0] == str(sb.path) for k in b.cache("summaries")) and not any(k[0] == str(sb.path) for k in a.cache("summaries"))
    assert doc_names(da) == doc_names(db) and db._names is not None and db._names is not da._names
