"""Which pages are due for review: `last_reviewed` older than N months, or a cited provision that
changed (amended, added, repealed; the document amended or ended) after the page's review date.

The second list reuses the citation engine: validate() already emits `cite_amended_since_review`
warnings for every page, so this module only gathers them. Used by `lawsite review-due`, the
staff status page and the build log summary."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lawsite.core.findings import Finding
from lawsite.core.l10n import format_date, months_before, page_lang, staff_labels  # noqa: F401 (re-exported: review.staff_labels, review.months_before)
from lawsite.page.process import process_page
from lawsite.project.loader import Project

DEFAULT_MONTHS = 6


@dataclass
class DueItem:
    path: str  # docs/x.md (what messages show)
    src: str  # x.md (docs-relative)
    title: str
    lang: str
    reviewed: Optional[dt.date]
    too_old: bool = False
    findings: list[Finding] = field(default_factory=list)  # review_due + cite_amended_since_review

    @property
    def changed(self) -> list[Finding]:
        return [f for f in self.findings if f.code == "cite_amended_since_review"]


def page_files(project: Project) -> list[Path]:
    return sorted(p for p in project.docs_dir.rglob("*.md") if p.is_file())


def _line_of(text: str, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def review_due(project: Project, months: int = DEFAULT_MONTHS, today: Optional[dt.date] = None,
               files: Optional[list[Path]] = None) -> list[DueItem]:
    """Pages (both languages) due for review as of ``today`` (default: the build date)."""
    today = today or project.today
    files = page_files(project) if files is None else files
    cache = project.cache("review_due")
    stamp = (today, months, tuple((str(f), f.stat().st_mtime_ns) for f in files))
    if stamp in cache:
        return cache[stamp]
    cutoff = months_before(today, months)
    out: list[DueItem] = []
    for f in files:
        try:
            src = f.resolve().relative_to(project.docs_dir.resolve()).as_posix()
        except ValueError:
            src = f.name
        path = f"docs/{src}"
        raw = f.read_bytes()
        # render=True: the build renders every page anyway, so the memoised result is shared with it
        res = process_page(project, path, raw, render=True, src_uri=src)
        reviewed = res.meta.get("last_reviewed") if isinstance(res.meta.get("last_reviewed"), dt.date) else None
        item = DueItem(path, src, str(res.meta.get("title") or src), page_lang(src), reviewed)
        if reviewed is not None and reviewed < cutoff:
            item.too_old = True
            line = _line_of(res.source_text, "last_reviewed")
            item.findings.append(Finding(path, line, 1, "info", "review_due", {"reviewed": reviewed, "months": months}))
        seen = set()
        for fnd in res.findings:
            if fnd.code != "cite_amended_since_review":
                continue
            p = fnd.params
            key = (str(p.get("provision")), str(p.get("doc")), p.get("by"), p.get("changed"))
            if key in seen:
                continue
            seen.add(key)
            item.findings.append(fnd)
        if item.findings:
            out.append(item)
    out.sort(key=lambda i: (i.reviewed or dt.date.min, i.path))
    cache.clear()  # keep one result: the build asks several times for the same answer
    cache[stamp] = out
    return out


def as_text(items: list[DueItem], lang: str) -> str:
    """One line per reason, `PATH:LINE:COL: info: message`, like `lawsite check`."""
    lines = []
    for it in items:
        for f in it.findings:
            lines.append(f"{f.path}:{f.line}:{f.col}: {f.message(lang)}")
    return "\n".join(lines)


def as_markdown(items: list[DueItem], lang: str, *, today: dt.date, months: int, link=None, heading: str = "##",
                checkboxes: bool = True) -> str:
    """A Markdown list (GitHub issue body or the staff status page). ``link(item)`` returns a
    Markdown link target for the page, or None to show the file path only."""
    t = staff_labels(lang)["review"]
    out = [f"{heading} {t['title']} ({len(items)})", "",
           t["intro"].format(today=format_date(today, lang), cutoff=format_date(months_before(today, months), lang), months=months), ""]
    if not items:
        return "\n".join(out + [t["none"], ""])
    box = "[ ] " if checkboxes else ""
    for it in items:
        target = link(it) if link else None
        name = it.title.replace("[", "(").replace("]", ")").replace("|", "/")
        label = f"[{name}]({target})" if target else name
        when = t["reviewed"].format(date=format_date(it.reviewed, lang)) if it.reviewed else t["never"]
        extra = f"; **{t['too_old'].format(months=months)}**" if it.too_old else ""
        out.append(f"- {box}{label} — `{it.path}` — {when}{extra}")
        for f in it.changed:
            out.append(f"    - {f.message(lang, hint=False)}")
    out += ["", t["how"], ""]
    return "\n".join(out)
