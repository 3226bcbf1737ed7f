"""Move the flat lawsite/ modules into layered packages (issue 16) and rewrite every reference.

    python tools/relayer.py            # move + rewrite (git mv; run from anywhere inside the checkout)
    python tools/relayer.py --dry-run  # list what would change, touch nothing
    python tools/relayer.py --check    # exit 1 if anything is left to do (CI, after a merge)

Re-runnable and idempotent: a module already at its new place is not moved again, a reference
already rewritten is left alone, so running it twice changes nothing the second time. It is meant
to be run again by the lead after merging branches that still edit the old flat files (git carries
their edits across the rename, or the files reappear at the old path: the script moves them again
when the new path does not exist yet, and stops with a message when both exist).

What it rewrites, in lawsite/, hooks/, tests/, tools/, bench/, docs-dev/, mkdocs.yml, pyproject.toml,
Makefile, README.md, CONTRIBUTING*.md, BENCHMARKS.md and .github/workflows/:
- Python imports (found with ast, also inside functions): `import lawsite.x [as y]`,
  `from lawsite.x import n`, `from lawsite import x`, and every relative import inside lawsite/
  (`from . import x`, `from .x import n`, `from ..x import n`), which become absolute imports,
  since a relative import means something else once the module has moved;
- everywhere else, dotted names `lawsite.x` / `lawsite.x.attr` (strings such as
  "lawsite.project._CACHE", `lawsite.cli:main`, `python -m lawsite.build`) and file paths
  `lawsite/x.py`.
The table below is the whole layout: LAYERS gives the order (a module may import only from its own
layer or a lower one; tests/test_layers.py checks that), MOVES the old -> new module names.
"""
from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

# old module -> new module (modules not listed stay where they are: lawsite.cite.*, lawsite.cli,
# lawsite.commands.*)
MOVES: dict[str, str] = {
    # core: text, YAML, localisation, findings, errors, data-file settings, the markup allow-list
    "lawsite.text": "lawsite.core.text",
    "lawsite.yamlio": "lawsite.core.yamlio",
    "lawsite.l10n": "lawsite.core.l10n",
    "lawsite.findings": "lawsite.core.findings",
    "lawsite.errors": "lawsite.core.errors",
    "lawsite.settings": "lawsite.core.settings",
    "lawsite.paths": "lawsite.core.paths",
    "lawsite.security": "lawsite.core.security",
    # project: the data a build reads (registry, figures, summaries, front matter schema, audits)
    "lawsite.registry": "lawsite.project.registry",
    "lawsite.figures": "lawsite.project.figures",
    "lawsite.penalty_acts": "lawsite.project.penalty_acts",
    "lawsite.visa": "lawsite.project.visa",
    "lawsite.summaries": "lawsite.project.summaries",
    "lawsite.frontmatter": "lawsite.project.frontmatter",
    "lawsite.audit": "lawsite.project.audit",
    "lawsite.project": "lawsite.project.loader",
    # cite: stays (lawsite/cite/: parse -> resolve -> validate -> render)
    # page: one page checked and rendered
    "lawsite.page": "lawsite.page.process",
    "lawsite.figcheck": "lawsite.page.figcheck",
    # site: checks and reports across pages
    "lawsite.parity": "lawsite.site.parity",
    "lawsite.review": "lawsite.site.review",
    "lawsite.impact": "lawsite.site.impact",
    "lawsite.changes": "lawsite.site.changes",
    "lawsite.status": "lawsite.site.status",
    "lawsite.sitecheck": "lawsite.site.sitecheck",
    # generate: Markdown generated from data
    "lawsite.generate": "lawsite.generate.blocks",
    # build: the build's state and its HTML/search/deploy steps
    "lawsite.build": "lawsite.build.run",
    "lawsite.sitebuild": "lawsite.build.sitebuild",
    "lawsite.search": "lawsite.build.search",
    "lawsite.pagefind_chunks": "lawsite.build.pagefind_chunks",
    "lawsite.htmlfix": "lawsite.build.htmlfix",
    "lawsite.cssprune": "lawsite.build.cssprune",
    "lawsite.feeds": "lawsite.build.feeds",
    "lawsite.deploy": "lawsite.build.deploy",
    "lawsite.faq": "lawsite.build.faq",
}

# lowest first; a module belongs to the first layer whose prefix matches it (longest prefix wins)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("lawsite", "lawsite.core")),  # "lawsite" = the root package (__version__ only)
    ("project", ("lawsite.project",)),
    ("cite", ("lawsite.cite",)),
    # the Project assembled: the loader and the data files whose entries are citations checked on load
    # (penalty acts, visa exemptions) use the citation engine, so they sit above it (longest prefix wins)
    ("assembly", ("lawsite.project.loader", "lawsite.project.penalty_acts", "lawsite.project.visa",
                  "lawsite.project.companion_rules")),
    ("page", ("lawsite.page",)),
    ("site", ("lawsite.site",)),
    ("generate", ("lawsite.generate",)),
    # lawsite.markdown: the engine as a Python-Markdown extension, reading the build steps' body index
    ("build", ("lawsite.build", "lawsite.markdown")),
    ("cli", ("lawsite.cli", "lawsite.commands")),
]

PACKAGE_DOCS = {
    "lawsite.core": "Layer 1, core: text, YAML, localisation, findings, errors, data-file settings, the markup allow-list.\nImports nothing else of lawsite.",
    "lawsite.project": "Layer 2, project: the data a check or build reads (registry, figures, clause summaries,\nfront matter schema, content audits) and the Project loader. Imports only lawsite/core.",
    "lawsite.page": "Layer 4, page: one page checked and rendered (front matter, citations, figures).\nImports core, project and cite.",
    "lawsite.site": "Layer 5, site: checks and reports across pages (parity, translations, review, impact,\npage history, staff status). Imports core, project, cite and page.",
    "lawsite.generate": "Layer 6, generate: Markdown generated from data (document pages, index, procedure cards).",
    "lawsite.build": "Layer 7, build: one language build's state and the steps around the generator (search,\nPagefind re-cut, HTML fixes, CSS pruning, feeds, deploy checks). Imports every lower layer.",
}

SCAN_DIRS = ("lawsite", "hooks", "tests", "tools", "bench", "docs-dev", ".github/workflows")
SCAN_FILES = ("mkdocs.yml", "pyproject.toml", "Makefile", "README.md", "BENCHMARKS.md")
SCAN_GLOBS = ("CONTRIBUTING*.md",)
TEXT_EXT = {".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".cfg", ".ini", ".sh"}
SKIP = {"tools/relayer.py", "tests/test_layers.py", "docs-dev/layers.md"}  # they name old and new modules on purpose

NEW_PACKAGES = {m.rsplit(".", 1)[0] for m in MOVES.values()}
# new names: the moved modules and any module written directly into a new package (lawsite/page/diskcache.py)
NEW = set(MOVES.values()) | {
    f"{pkg}.{f.stem}" for pkg in NEW_PACKAGES
    for f in (Path(__file__).resolve().parents[1] / pkg.replace(".", "/")).glob("*.py") if f.stem != "__init__"}
_DOTTED = re.compile(r"(?<![\w.\-/])lawsite(?:\.\w+)+")
_PATH = re.compile(r"(?<![\w.\-/])lawsite/((?:\w+/)*\w+)\.py\b")


def map_dotted(name: str) -> str:
    """lawsite.x[.attr...] -> its new spelling; unchanged when already new or not moved."""
    parts = name.split(".")
    for i in range(len(parts), 1, -1):
        if ".".join(parts[:i]) in NEW:
            return name  # already rewritten
    for i in range(len(parts), 1, -1):
        head = ".".join(parts[:i])
        if head in MOVES:
            return ".".join([MOVES[head]] + parts[i:])
    return name


def _module_of(rel: str) -> str:
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _absolute(mod: str, is_pkg: bool, level: int, module: str | None) -> str:
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _alias(a: ast.alias) -> str:
    return a.name + (f" as {a.asname}" if a.asname else "")


def _import_from(node: ast.ImportFrom, mod: str, is_pkg: bool) -> str | None:
    """New text of a `from ... import ...` statement, or None when it stays as it is."""
    absmod = _absolute(mod, is_pkg, node.level, node.module) if node.level else (node.module or "")
    if absmod != "lawsite" and not absmod.startswith("lawsite."):
        return None
    groups: dict[str, list[str]] = {}
    changed = bool(node.level)
    for a in node.names:
        sub = f"{absmod}.{a.name}"
        if absmod in NEW_PACKAGES and sub in NEW:
            target, text = absmod, _alias(a)  # already `from lawsite.core import text`
        elif sub in MOVES:  # `from lawsite import text` -> `from lawsite.core import text`
            new_parent, leaf = MOVES[sub].rsplit(".", 1)
            target = new_parent
            text = leaf + (f" as {a.asname}" if a.asname else (f" as {a.name}" if leaf != a.name else ""))
        else:
            target, text = map_dotted(absmod), _alias(a)
        if target != absmod or text != _alias(a):
            changed = True
        groups.setdefault(target, []).append(text)
    if not changed:
        return None
    return "\n".join(f"from {t} import {', '.join(ns)}" for t, ns in groups.items())


def _import(node: ast.Import) -> str | None:
    names = [(map_dotted(a.name), a.asname) for a in node.names]
    if all(n == a.name for (n, _), a in zip(names, node.names)):
        return None
    return "import " + ", ".join(n + (f" as {s}" if s else "") for n, s in names)


def _offset(lines: list[str], line: int, col: int) -> int:
    return sum(len(x) for x in lines[: line - 1]) + len(lines[line - 1].encode("utf-8")[:col].decode("utf-8"))


def rewrite_python(text: str, rel: str) -> str:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return _rewrite_plain(text)
    mod = _module_of(rel)
    is_pkg = rel.endswith("__init__.py")
    in_package = rel.startswith("lawsite/")
    lines = text.splitlines(keepends=True)
    spans: list[tuple[int, int, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level and not in_package:
                continue
            new = _import_from(node, mod, is_pkg)
        elif isinstance(node, ast.Import):
            new = _import(node)
        else:
            continue
        start = _offset(lines, node.lineno, node.col_offset)
        end = _offset(lines, node.end_lineno, node.end_col_offset)
        if new is not None:
            indent = " " * node.col_offset
            new = new.replace("\n", "\n" + indent)
        spans.append((start, end, new))
    spans.sort()
    out, pos = [], 0
    for start, end, new in spans:
        if start < pos:
            continue
        out.append(_rewrite_plain(text[pos:start]))
        out.append(text[start:end] if new is None else new)
        pos = end
    out.append(_rewrite_plain(text[pos:]))
    return "".join(out)


def _rewrite_plain(text: str) -> str:
    text = _DOTTED.sub(lambda m: map_dotted(m.group(0)), text)

    def path(m: re.Match) -> str:
        name = "lawsite." + m.group(1).replace("/", ".")
        new = MOVES.get(name)
        return new.replace(".", "/") + ".py" if new else m.group(0)

    return _PATH.sub(path, text)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def scanned_files(root: Path) -> list[Path]:
    tracked = set(_git(root, "ls-files", "-z").split("\0"))
    out = []
    for rel in sorted(tracked):
        if not rel or rel in SKIP or not (root / rel).is_file():
            continue
        p = Path(rel)
        top = rel.split("/")[0]
        inside = any(rel.startswith(d + "/") for d in SCAN_DIRS)
        listed = rel in SCAN_FILES or (len(p.parts) == 1 and any(p.match(g) for g in SCAN_GLOBS))
        if (inside and p.suffix in TEXT_EXT) or listed:
            if top == "tests" and "/data/" in rel and p.suffix != ".py":
                continue  # test fixtures: page texts, not code
            out.append(root / rel)
    return out


def plan(root: Path) -> tuple[list[tuple[str, str]], dict[Path, str]]:
    moves = []
    for old, new in MOVES.items():
        src = root / (old.replace(".", "/") + ".py")
        dst = root / (new.replace(".", "/") + ".py")
        if src.is_file() and dst.is_file():
            sys.exit(f"relayer: both {src.relative_to(root)} and {dst.relative_to(root)} exist: merge the old file's "
                     "changes into the new one by hand, delete the old one, then run again")
        if src.is_file():
            moves.append((str(src.relative_to(root)), str(dst.relative_to(root))))
    edits: dict[Path, str] = {}
    for path in scanned_files(root):
        rel = path.relative_to(root).as_posix()
        text = path.read_text("utf-8")
        new = rewrite_python(text, rel) if path.suffix == ".py" else _rewrite_plain(text)
        if new != text:
            edits[path] = new
    return moves, edits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="list the changes, write nothing")
    ap.add_argument("--check", action="store_true", help="exit 1 when something is left to move or rewrite")
    args = ap.parse_args(argv)
    root = Path(_git(Path(__file__).resolve().parent, "rev-parse", "--show-toplevel").strip())
    moves, edits = plan(root)
    inits = [root / (pkg.replace(".", "/")) / "__init__.py" for pkg in sorted(NEW_PACKAGES)]
    inits = [p for p in inits if not p.is_file()]
    for src, dst in moves:
        print(f"move    {src} -> {dst}")
    for p in inits:
        print(f"create  {p.relative_to(root)}")
    for p in edits:
        print(f"rewrite {p.relative_to(root)}")
    if args.check or args.dry_run:
        if not (moves or edits or inits):
            print("relayer: nothing to do")
        return 1 if args.check and (moves or edits or inits) else 0
    # contents first, at the old paths: relative imports are resolved against where the file is now
    for p, text in edits.items():
        p.write_text(text, "utf-8")
    for p in inits:
        p.parent.mkdir(parents=True, exist_ok=True)
        pkg = ".".join(p.parent.relative_to(root).parts)
        p.write_text(f'"""{PACKAGE_DOCS.get(pkg, pkg)}"""\n', "utf-8")
        _git(root, "add", "-f", str(p.relative_to(root)))
    for src, dst in moves:
        (root / dst).parent.mkdir(parents=True, exist_ok=True)
        _git(root, "mv", "-f", src, dst)
    if not (moves or edits or inits):
        print("relayer: nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
