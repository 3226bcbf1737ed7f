"""Change notes: a page's own history (`changes:` in its front matter, shown as a "Page history"
section at the end of the page) and the legal changes of the last 12 months listed on the news
index (generated at the marker line `<!-- legal-changes -->`)."""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import Iterable, Optional

from lawsite.cite.names import doc_name
from lawsite.cite.validate import _changes
from lawsite.core.findings import Finding
from lawsite.core.l10n import as_date, format_date, months_before, staff_labels

HISTORY_ID = "lich-su-cap-nhat"
LEGAL_MARKER = "<!-- legal-changes -->"



def history_section(changes, lang: str) -> str:
    """The "Lịch sử cập nhật / Page history" section, newest first ('' if nothing valid)."""
    items = []
    for c in changes or []:
        if not isinstance(c, dict):
            continue
        d, note = as_date(c.get("date")), c.get("note")
        if d is not None and isinstance(note, str) and note.strip():
            items.append((d, note.strip()))
    if not items:
        return ""
    title = staff_labels(lang)["history"]["title"]
    out = [f"## {title} {{ #{HISTORY_ID} }}", ""]
    for d, note in sorted(items, key=lambda x: x[0], reverse=True):
        out.append(f"- **{format_date(d, lang)}** — {note}")
    return "\n".join(out) + "\n"


def legal_events(registry, today: dt.date, months: int = 12) -> list[tuple[dt.date, str, object, str]]:
    """(date, kind, document, by-number) for amendments, replacements and ends in (today-12 months, today]."""
    start = months_before(today, months)
    events = set()
    for doc in registry:
        for ch in doc.amended_by:
            if start < ch.date <= today:
                events.add((ch.date, "amended", doc.number, ch.by))
        if doc.replaced_by and start < doc.replaced_by.date <= today:
            events.add((doc.replaced_by.date, "replaced", doc.number, doc.replaced_by.number))
        elif doc.end and start < doc.end <= today:
            events.add((doc.end, "ended", doc.number, ""))
    return [(d, k, registry.get(n), by) for d, k, n, by in sorted(events, key=lambda e: (e[0], e[2], e[3]), reverse=True)]


def affected_pages(event, pages: Iterable) -> list[tuple[str, str]]:
    """(title, src_uri) of the pages a change touches: pages citing a provision the amendment changed
    (any citation of the document when the registry records no provision-level change for it);
    for a replacement or an end, every page citing the old document."""
    day, kind, doc, by = event
    recorded = kind == "amended" and any(day == d and by == b for a in doc.articles
                                         for d, b in _changes(doc, _Prov(a.number)))
    out = set()
    for res in pages:
        src = res.path[len("docs/"):] if res.path.startswith("docs/") else res.path
        title = str(res.meta.get("title") or src)
        hit = False
        for c in res.citations:
            if c.document is not doc:
                continue
            if kind != "amended" or not recorded:
                hit = True
            elif any((day, by) in _changes(doc, p) for p in c.provisions):
                hit = True
            if hit:
                break
        if hit:
            out.add((title, src))
    return sorted(out)


class _Prov:
    def __init__(self, article):
        self.article, self.clause, self.point = article, None, None


def legal_changes_block(registry, lang: str, today: dt.date, pages: Iterable, page_src: str,
                        src_of=None) -> str:
    """Markdown listing the legal changes of the last 12 months and the pages they affect.
    ``pages``: PageResults (with .citations, .meta); ``src_of(res)`` gives the docs-relative source
    to link to (default: res.src_uri)."""
    t = staff_labels(lang)["legal"]
    pages = list(pages)
    out = [f"## {t['title']} {{ #thay-doi-phap-luat }}", ""]
    events = legal_events(registry, today)
    if not events:
        return "\n".join(out + [t["none"], ""])
    for ev in events:
        day, kind, doc, by = ev
        other = registry.get(by) if by else None
        by_name = doc_name(other, lang) if other else by
        line = t[kind].format(date=format_date(day, lang), doc=_link(doc, lang, page_src), by=_link(other, lang, page_src) if other else by_name)
        out.append(f"- {line}")
        affected = affected_pages(ev, pages)
        if affected:
            links = "; ".join(f"[{_esc(title)}]({posixpath.relpath(src, posixpath.dirname(page_src) or '.')})" for title, src in affected)
            out.append("    " + t["pages"].format(pages=links))
        else:
            out.append("    " + t["no_pages"])
    return "\n".join(out) + "\n"


def _esc(s: str) -> str:
    return s.replace("[", "(").replace("]", ")")


def _link(doc, lang: str, page_src: str) -> str:
    if doc is None:
        return ""
    target = posixpath.relpath(f"van-ban/{doc.slug}.md", posixpath.dirname(page_src) or ".")
    return f"[{doc_name(doc, lang)}]({target})"
