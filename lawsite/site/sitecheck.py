"""Whole-site checks: every page, each VI/EN pair, the registry's pages, the figures' sources."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from lawsite.cite.parse import get_parser
from lawsite.cite.resolve import resolve
from lawsite.cite.validate import validate
from lawsite.core.findings import Finding
from lawsite.core.l10n import counterpart, page_lang
from lawsite.page.process import PageResult, process_page
from lawsite.site.parity import check_pair, check_glossary
from lawsite.project.loader import Project


@dataclass
class SiteReport:
    pages: dict[str, PageResult] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for r in self.pages.values():
            out += r.findings
        return sorted(out, key=Finding.sort_key)


def collect(paths: Iterable[Path], root: Path) -> list[Path]:
    files = []
    for p in paths:
        p = (root / p) if not p.is_absolute() else p
        if p.is_dir():
            files += sorted(x for x in p.rglob("*.md") if x.is_file())
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(str(p))
    return files


def rel(p: Path, root: Path) -> str:
    try:
        return p.resolve().relative_to(root).as_posix()
    except ValueError:
        return p.as_posix()


def check_site(project: Project, files: list[Path], *, date: Optional[dt.date] = None,
               whole_site: bool = False) -> SiteReport:
    rep = SiteReport()
    root = project.root
    docs = project.docs_dir
    for f in files:
        path = rel(f, root)
        try:
            src_uri = f.resolve().relative_to(docs.resolve()).as_posix()
        except ValueError:
            src_uri = f.name
        rep.pages[path] = process_page(project, path, f.read_bytes(), date=date, src_uri=src_uri)
    # pairs
    for path, res in list(rep.pages.items()):
        if res.lang != "en":
            continue
        src = counterpart(path)
        vi = rep.pages.get(src)
        if vi is None and (root / src).is_file():
            vi = process_page(project, src, (root / src).read_bytes(), date=date, src_uri=src)
        if vi is None:
            rep.findings.append(Finding(path, 1, 1, "error", "page_no_source", {"path": path, "source": src}))
            continue
        rep.findings += check_pair(vi, res)
        rep.findings += check_glossary(project, res)
    if whole_site:
        rep.findings += check_registry_pages(project)
        rep.findings += check_figure_sources(project)
    return rep


def check_registry_pages(project: Project) -> list[Finding]:
    out = []
    for doc in project.registry:
        for suffix in (".md", ".en.md"):
            page = f"docs/van-ban/{doc.slug}{suffix}"
            if not (project.root / page).is_file():
                src = project.registry.files.get(next(k for k, d in project.registry.documents.items() if d is doc))
                out.append(Finding(rel(src, project.root) if src else page, 1, 1, "error", "registry_page_missing",
                                   {"doc": doc.number, "page": page, "number": doc.number}))
    return out


def check_figure_sources(project: Project) -> list[Finding]:
    out = []
    today = project.today
    for key, fig in project.figures.items.items():
        path = rel(project.figures.files[key], project.root)
        text = project.figures.files[key].read_text("utf-8")
        line = next((i + 1 for i, l in enumerate(text.splitlines()) if l.startswith(f"{key}:")), 1)
        lang = "en" if any(w in fig.source for w in ("Article", "Clause", "Decree", "Law No")) else "vi"
        cites = get_parser(lang, project.aliases(lang)).parse(fig.source)
        if not cites or any(c.is_document_only for c in cites):
            out.append(Finding(path, line, 1, "error", "fig_source_bad", {"key": key, "source": fig.source}))
            continue
        probs = resolve(cites, project.registry, [])
        probs += validate([c for c in cites if c.document is not None], project.registry, on=today, today=today)
        for p in probs:
            if p.severity == "error":
                out.append(Finding(path, line, 1, "error", p.code, p.params))
    return out
