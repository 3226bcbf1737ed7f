"""The project: where the registry, figures, glossary and settings live, loaded once per build."""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lawsite.core import diskmemo
from lawsite.core.errors import LawsiteError
from lawsite.project.figures import Figures, load_figures
from lawsite.core.findings import Finding
from lawsite.core.l10n import default_language, is_default
from lawsite.core.paths import build_date, shown_path  # noqa: F401 (re-exported: project.build_date, project.shown_path)
from lawsite.project.registry import Registry, load_registry
from lawsite.core.settings import DataError, load_glossary, load_settings


@dataclass
class Glossary:
    entries: list[dict]


@dataclass
class Project:
    root: Path
    registry: Registry
    figures: Figures
    glossary: Glossary
    settings: dict
    docs_dir: Path
    loaded_at: float = field(default_factory=time.time)
    audits: object = None  # lawsite.project.audit.Audits: content audit records (data/audit/)
    penalty_acts: object = None  # lawsite.project.penalty_acts.PenaltyActs: data/penalty-acts.yaml (penalty tool and table)
    visa: object = None  # lawsite.project.visa.VisaData: visa exemptions by nationality (data/visa-exemptions.yaml)
    companions: list = field(default_factory=list)  # lawsite.project.companion_rules.Rule: data/companion-citations.yaml
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # see cache()

    def cache(self, name: str) -> dict:
        """A named memo table owned by this project (page results, translation status, review list,
        glossary pattern, figure sources). Its lifetime is the Project's: load_project returns a new
        Project whenever a data file changes, so nothing derived from old data outlives it, and two
        projects in one process never share an entry."""
        return self.memo.setdefault(name, {})

    @property
    def today(self) -> dt.date:
        return build_date()

    def aliases(self, lang: str) -> list[str]:
        out = []
        for d in self.registry:
            out += d.short_names.get(lang, [])
            if not is_default(lang):  # a page in another language may name a document as the texts do
                out += d.short_names.get(default_language(), [])
        return out


def find_root(start: Optional[Path] = None) -> Path:
    p = (start or Path.cwd()).resolve()
    for cand in [p, *p.parents]:
        if (cand / "mkdocs.yml").is_file() and (cand / "data" / "registry").is_dir():
            return cand
    raise LawsiteError(f"{p}: not inside the site's folder (no mkdocs.yml with data/registry/ found); run lawsite from the project root")


class EngineError(LawsiteError):
    """The engine imported is not the one of the checkout being checked or built."""

    def __init__(self, engine: Path, root: Path):
        self.engine, self.root = engine, root
        super().__init__(self.render())

    def render(self, lang: Optional[str] = None) -> str:
        from lawsite.core.findings import catalogue

        lang = lang or os.environ.get("LAWSITE_LANG", "vi")
        entry = catalogue(lang)["engine_elsewhere"]
        return entry["msg"].format(engine=self.engine, root=self.root) + " — " + entry["hint"].format(root=self.root)

    def __str__(self) -> str:
        return self.render()


def engine_dir() -> Path:
    """The folder of the lawsite package actually imported."""
    # this file is lawsite/project/loader.py; not `lawsite.__file__`, which names whichever lawsite/
    # package sits first on the path (another checkout's, when run from inside it)
    return Path(__file__).resolve().parents[1]


def assert_engine_in(root: Path) -> None:
    """Refuse to check or build a checkout with the engine of another checkout.

    `pip install -e` puts one checkout's lawsite/ on the path of its .venv; a second checkout on the
    same machine run with the first one's tools would silently check its pages with the first one's
    code. When the project being checked or built has its own lawsite/ package, it must be the one
    imported. (A project folder without lawsite/, such as the tests' temporary copies of docs/ and
    data/, uses the installed engine.)"""
    root = Path(root).resolve()
    own = root / "lawsite"
    if not (own / "__init__.py").is_file():
        return
    engine = engine_dir()
    if engine != own.resolve():
        raise EngineError(engine, root)


def check_docs_tree(root: Path) -> list[Finding]:
    """Problems of file names in docs/ that would stop MkDocs or the i18n plugin with a traceback:
    a Vietnamese page named x.vi.md (the language of record has no suffix)."""
    docs = root / "docs"
    out = []
    if not docs.is_dir():
        return out
    for p in sorted(docs.rglob("*.vi.md")):
        plain = p.with_name(p.name[: -len(".vi.md")] + ".md")
        english = p.with_name(p.name[: -len(".vi.md")] + ".en.md")
        shown = shown_path(p, root)
        other = {"vi": f" ({shown_path(plain, root)} đã có)", "en": f" ({shown_path(plain, root)} already exists)"} if plain.exists() else {"vi": "", "en": ""}
        from lawsite.core.findings import Localized

        out.append(Finding(shown, 1, 1, "error", "page_vi_suffix",
                           {"other": Localized(**other), "plain": shown_path(plain, root), "english": shown_path(english, root)}))
    return out


# The one process-wide table: root folder -> (mtimes of data/**/*.yaml, Project). Everything derived
# from a project's data lives on that Project (Project.cache), so a changed data file gives a new
# Project with empty memo tables, and the old one's entries go away with it.
_CACHE: dict = {}


def loaded_projects() -> list[Project]:
    return [p for _, p in _CACHE.values()]


def load_project(root: Optional[Path] = None, *, fresh: bool = False) -> Project:
    root = find_root(root) if root is None else Path(root).resolve()
    assert_engine_in(root)
    data = root / "data"
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in data.rglob("*.yaml")))
    key = str(root)
    if not fresh and key in _CACHE and _CACHE[key][0] == stamp:
        return _CACHE[key][1]
    disk = _disk_key(root) if diskmemo.enabled() else None
    proj = _disk_load(root, disk) if disk else None
    if proj is None:
        proj = _load(root, data)
        if disk:
            _disk_store(root, disk, proj)
    _CACHE[key] = (stamp, proj)
    return proj


def _load(root: Path, data: Path) -> Project:
    tree = check_docs_tree(root)
    if tree:
        raise DataError(tree)
    registry = load_registry(data / "registry", root=root)
    figures = load_figures(data / "figures", root=root)
    glossary = Glossary(load_glossary(data / "glossary.yaml", shown_path(data / "glossary.yaml", root)))
    settings = load_settings(data / "site.yaml", shown_path(data / "site.yaml", root))
    from lawsite.project.audit import load_audits  # content audit records: a bad record stops check and build with file:line

    audits = load_audits(data / "audit", root / "docs", registry)
    from lawsite.project.penalty_acts import load_penalty_acts  # the acts of Decree 282 Art. 21 (penalty tool and table)
    from lawsite.project.visa import load_visa  # visa exemptions by nationality: one list for the pages and the tool

    penalty_acts = load_penalty_acts(data / "penalty-acts.yaml", registry, figures, root)
    visa = load_visa(data, root, registry, figures)
    from lawsite.project.companion_rules import load_companions  # companion citations (audit5): validated once, here

    companions = load_companions(data / "companion-citations.yaml", root, registry)
    return Project(root, registry, figures, glossary, settings, root / "docs", audits=audits,
                   penalty_acts=penalty_acts, visa=visa, companions=companions)


# --- the loaded project kept on disk (LAWSITE_CACHE=1) ------------------------------------------------
# A successful load is a function of the bytes of every file under data/, the names of the files under
# docs/ (page names, audits of missing pages), the build date (registry statuses are checked against it),
# the project's folder (paths inside the Project), the engine's files and the YAML/validation libraries:
# the entry's name hashes all of them, so a stale Project cannot be found. A load that fails is never
# kept (its messages come from the files every time). Any problem with an entry: the data is loaded.

def _disk_key(root: Path) -> Optional[str]:
    h = []
    try:
        for folder, content in ((root / "data", True), (root / "docs", False)):
            for p in sorted(folder.rglob("*")):
                if p.is_file() or p.is_symlink():
                    h.append((p.relative_to(root).as_posix(), p.read_bytes() if content and p.is_file() else b"", str(p.is_symlink())))
    except OSError:
        return None
    return diskmemo.key("project", (str(root), build_date().isoformat(), h), ("pyyaml", "pydantic", "pydantic-core"))


def _disk_folder(root: Path) -> Path:
    return root / ".cache" / "lawsite" / "project"


def _disk_load(root: Path, k: str) -> Optional[Project]:
    proj = diskmemo.load("project", k, _disk_folder(root))
    if not isinstance(proj, Project) or proj.root != root or proj.memo:
        return None
    proj.loaded_at = time.time()
    return proj


def _disk_store(root: Path, k: str, proj: Project) -> None:
    if not proj.memo:  # as loaded: nothing derived yet
        diskmemo.store("project", k, proj, _disk_folder(root))
