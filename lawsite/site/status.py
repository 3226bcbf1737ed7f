"""Staff status: the translation status of every page pair, the legal content audit of every page
(lawsite/project/audit.py) and the review-due list, as the body of the staff status page (front matter `generated: staff-status`), as INFO lines in the build log,
and the pruning of untranslated English URLs from the sitemap."""
from __future__ import annotations

import datetime as dt
import gzip
import posixpath
import re
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

from lawsite.core.findings import Finding
from lawsite.cite.names import display_number
from lawsite.core.l10n import D, L, counterpart, format_date
from lawsite.project.loader import Project
from lawsite.core.l10n import staff_labels
from lawsite.site.review import DEFAULT_MONTHS, DueItem, as_markdown, review_due
from lawsite.site.parity import TranslationStatus, translation_status

STATE_ORDER = {"outdated": 0, "missing": 1, "unmarked": 2, "current": 3}


def vi_pages(project: Project) -> list[str]:
    """Docs-relative paths of every Vietnamese page (x.md, not x.en.md)."""
    docs = project.docs_dir
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file() and not p.name.endswith(".en.md"))


def all_translation_status(project: Project) -> list[TranslationStatus]:
    return [translation_status(project, src) for src in vi_pages(project)]


def translation_findings(statuses: list[TranslationStatus], *, include_current: bool = False) -> list[Finding]:
    """One info finding per page pair that is not up to date (the messages live in messages/*.yaml)."""
    out = []
    for s in statuses:
        en = "docs/" + counterpart(s.src)
        if s.state == "outdated":
            out.append(Finding(en, 1, 1, "info", "translation_outdated", {"updated": s.vi_reviewed or s.actual, "page": en}))
        elif s.state == "unmarked":
            out.append(Finding(en, 1, 1, "info", "translation_unmarked", {"page": en}))
        elif s.state == "missing":
            out.append(Finding("docs/" + s.src, 1, 1, "info", "translation_missing", {"page_en": en}))
        elif include_current:
            out.append(Finding(en, 1, 1, "info", "translation_current", {"page": en}))
    return out


def page_url(src: str) -> str:
    """docs-relative source -> site URL path (use_directory_urls): a/index.md -> a/, a/b.md -> a/b/."""
    stem = src[:-len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


def fallback_urls(project: Project, lang: str = "en") -> list[str]:
    """URL paths (relative to the site root) of English pages built from the Vietnamese source."""
    return [f"{lang}/{page_url(s.src)}" for s in all_translation_status(project) if s.state == "missing"]


def prune_sitemap(site_dir: str | Path, site_url: str, urls: list[str]) -> int:
    """Remove the given URL paths from sitemap.xml (their <url> entries and hreflang alternates
    pointing at them) and rewrite sitemap.xml.gz. Returns the number of <url> entries removed."""
    path = Path(site_dir) / "sitemap.xml"
    if not path.is_file() or not urls:
        return 0
    base = urlparse(site_url or "/").path or "/"
    if not base.endswith("/"):
        base += "/"
    drop = {base + u for u in urls}
    text = path.read_text("utf-8")
    removed = 0

    def url_block(m: re.Match) -> str:
        nonlocal removed
        loc = re.search(r"<loc>(.*?)</loc>", m.group(0))
        if loc and urlparse(loc.group(1)).path in drop:
            removed += 1
            return ""
        return m.group(0)

    text = re.sub(r"\n?[ \t]*<url>.*?</url>", url_block, text, flags=re.S)

    def alt(m: re.Match) -> str:
        return "" if urlparse(m.group(1)).path in drop else m.group(0)

    text = re.sub(r'\n?[ \t]*<xhtml:link rel="alternate" hreflang="[^"]+" href="([^"]*)"/>', alt, text)
    path.write_text(text, "utf-8")
    gz = path.with_name("sitemap.xml.gz")
    with open(gz, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as z:
        z.write(text.encode("utf-8"))
    return removed


def translations_markdown(statuses: list[TranslationStatus], lang: str, page_src: str, heading: str = "##") -> str:
    t = staff_labels(lang)["translations"]
    counts = {k: sum(1 for s in statuses if s.state == k) for k in STATE_ORDER}
    out = [f"{heading} {t['title']} {{ #ban-dich }}", "", t["intro"], "", t["summary"].format(**counts), "", f"**{t['caption']}**", "",
           f"| {t['col_page']} | {t['col_state']} | {t['col_file']} |", "|---|---|---|"]
    here = posixpath.dirname(page_src) or "."
    for s in sorted(statuses, key=lambda s: (STATE_ORDER[s.state], s.src)):
        link = posixpath.relpath(s.src, here)
        state = t["states"][s.state]
        if s.state != "current":
            state = f"**{state}**"
        out.append(f"| [{s.src}]({link}) | {state} | `docs/{counterpart(s.src)}` |")
    out += ["", t["how"], ""]
    return "\n".join(out)


def status_markdown(project: Project, lang: str, page_src: str, *, today: Optional[dt.date] = None,
                    months: int = DEFAULT_MONTHS) -> str:
    """Body appended to the staff status page."""
    today = today or project.today
    here = posixpath.dirname(page_src) or "."
    items = review_due(project, months, today)

    def link(it: DueItem) -> str:
        return posixpath.relpath(counterpart(it.src) if it.src.endswith(".en.md") else it.src, here)

    from lawsite.project.audit import audit_markdown

    parts = [staff_labels(lang)["status"]["built"].format(today=format_date(today, lang)), "",
             translations_markdown(all_translation_status(project), lang, page_src),
             audit_markdown(project, lang, page_src, vi_pages(project)),
             as_markdown(items, lang, today=today, months=months, link=link, checkboxes=False).replace(
                 f"## {staff_labels(lang)['review']['title']} ({len(items)})",
                 f"## {staff_labels(lang)['review']['title']} ({len(items)}) {{ #can-ra-soat }}", 1)]
    parts.append(registry_verification_markdown(project, lang, page_src))  # docpages: badges and internal notes
    return "\n".join(parts)


def build_summary(project: Project, lang: str = "vi", months: int = DEFAULT_MONTHS) -> tuple[list[Finding], str]:
    """What the build logs at INFO once at the end: one line per outdated translation (file name)
    and one summary line of the review-due list."""
    findings = [f for f in translation_findings(all_translation_status(project)) if f.code == "translation_outdated"]
    items = review_due(project, months)
    line = staff_labels(lang)["summary"]["due"].format(n=len(items), months=months) if items else ""
    return findings, line


def registry_verification_markdown(project: Project, lang: str, page_src: str) -> str:
    """Staff-only section (docpages): each registry document's verification level, effective date,
    the source checked and its internal notes — which are not shown on the public document pages."""
    t = D(lang)["staff"]
    conf = L(lang)["doc"]["confidence_values"]
    docs = list(project.registry)
    count = {k: sum(1 for d in docs if d.confidence == k) for k in ("VT", "SS", "UM")}
    unknown = sum(1 for d in docs if d.effective is None)
    here = posixpath.dirname(page_src) or "."

    def cell(text: str) -> str:
        return " ".join(str(text or "").split()).replace("|", "\\|") or "—"

    out = [f"## {t['title']} {{ #xac-minh-van-ban }}", "", t["intro"].format(vt=count["VT"], ss=count["SS"], um=count["UM"], unknown=unknown), "",
           f"**{t['caption']}**", "", f"| {t['col_doc']} | {t['col_level']} | {t['col_effective']} | {t['col_source']} | {t['col_notes']} |",
           "|---|---|---|---|---|"]
    order = {"UM": 0, "SS": 1, "VT": 2}
    for d in sorted(docs, key=lambda d: (order[d.confidence], d.effective is not None, d.number)):
        link = posixpath.relpath(f"van-ban/{d.slug}.md", here)
        eff = format_date(d.effective, lang) if d.effective else f"**{D(lang)['unknown_date']}**"
        level = conf[d.confidence] if d.confidence != "VT" else D(lang)["verified"]
        notes = (d.notes.get(lang) if d.notes else "")
        src = project.registry.files.get(next(k for k, v in project.registry.documents.items() if v is d))
        file = f"`data/registry/{src.name}`" if src else ""
        checked = "; ".join([d.verified_source or ""] + [f"{x.url}" + (f" ({x.label})" if x.label else "") for x in d.sources if x.kind == "secondary"]).strip("; ")
        out.append(f"| [{display_number(d, lang)}]({link}) ({file}) | {level} | {eff} | {cell(checked)} | {cell(notes)} |")
    out.append("")
    return "\n".join(out)
