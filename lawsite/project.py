"""The project: where the registry, figures, glossary and settings live, loaded once per build."""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from .yamlio import load as _yload

from .errors import LawsiteError
from .figures import Figures, load_figures
from .registry import Registry, load_registry


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
    audits: object = None  # lawsite.audit.Audits: content audit records (data/audit/)

    @property
    def today(self) -> dt.date:
        return build_date()

    def aliases(self, lang: str) -> list[str]:
        out = []
        for d in self.registry:
            out += d.short_names.get(lang, [])
            if lang == "en":
                out += d.short_names.get("vi", [])
        return out


def build_date() -> dt.date:
    """The date the build or check runs: LAWSITE_TODAY, else SOURCE_DATE_EPOCH, else today."""
    if os.environ.get("LAWSITE_TODAY"):
        return dt.date.fromisoformat(os.environ["LAWSITE_TODAY"])
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc).date()
    return dt.date.today()


def find_root(start: Optional[Path] = None) -> Path:
    p = (start or Path.cwd()).resolve()
    for cand in [p, *p.parents]:
        if (cand / "mkdocs.yml").is_file() and (cand / "data" / "registry").is_dir():
            return cand
    raise LawsiteError(f"{p}: not inside the site's folder (no mkdocs.yml with data/registry/ found); run lawsite from the project root")


def _load_yaml(path: Path, default):
    if not path.is_file():
        return default
    try:
        return _yload(path.read_text("utf-8")) or default
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise LawsiteError(f"{path}{':' + str(mark.line + 1) if mark else ''}: not valid YAML: {getattr(e, 'problem', e)}")


_CACHE: dict = {}


def load_project(root: Optional[Path] = None, *, fresh: bool = False) -> Project:
    root = find_root(root) if root is None else Path(root).resolve()
    data = root / "data"
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in data.rglob("*.yaml")))
    key = str(root)
    if not fresh and key in _CACHE and _CACHE[key][0] == stamp:
        return _CACHE[key][1]
    registry = load_registry(data / "registry")
    figures = load_figures(data / "figures")
    glossary = Glossary(_load_yaml(data / "glossary.yaml", []))
    settings = _load_yaml(data / "site.yaml", {})
    from .audit import load_audits  # content audit records: a bad record stops check and build with file:line

    audits = load_audits(data / "audit", root / "docs", registry)
    proj = Project(root, registry, figures, glossary, settings, root / "docs", audits=audits)
    _CACHE[key] = (stamp, proj)
    return proj
