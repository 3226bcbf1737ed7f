"""Atom feeds (RFC 4287), one per language: the news items (docs/tin-tuc/) and the legal changes of
the last 12 months (the same events the news page lists, from the registry). Written once after the
last language build, to tin-tuc/feed.xml and <lang>/tin-tuc/feed.xml.

Byte-reproducible: every date comes from the sources (a news item's `date:`, a change's date) and
the feed's <updated> is the newest entry's date; nothing depends on the time of the build."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from lawsite.site.changes import legal_events
from lawsite.cite.names import doc_name
from lawsite.generate.blocks import L
from lawsite.core.l10n import as_date, format_date
from lawsite.project.loader import Project
from lawsite.core.text import nfc, split_front_matter
from lawsite.core.yamlio import load as _yload

FEED_PATH = "tin-tuc/feed.xml"
NEWS_DIR = "tin-tuc"
MAX_ENTRIES = 50
_TAG = re.compile(r"<[^>]+>")


def feed_href(lang: str, default_lang: str = "vi") -> str:
    """Site-relative address of a language's feed."""
    return ("" if lang == default_lang else f"{lang}/") + FEED_PATH


def _plain(project: Project, text: str, lang: str) -> str:
    from lawsite.page.process import render_inline

    out = render_inline(project, nfc(str(text)), lang, f"{NEWS_DIR}/x.md")
    return html.unescape(_TAG.sub("", out)).strip()


def news_items(project: Project, lang: str, default_lang: str = "vi") -> list[dict]:
    """News pages that exist in this language (no fallback copies): date, title, summary, path."""
    folder = project.docs_dir / NEWS_DIR
    out = []
    for p in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        name = p.name
        is_lang = name.endswith(f".{lang}.md")
        is_default = not re.search(r"\.[a-z]{2}\.md$", name)
        if lang == default_lang and not is_default or lang != default_lang and not is_lang:
            continue
        stem = name[:-len(f".{lang}.md")] if is_lang else name[:-3]
        if stem == "index":
            continue
        fm, _, _ = split_front_matter(nfc(p.read_text("utf-8").replace("\r\n", "\n")))
        try:
            meta = _yload(fm or "") or {}
        except Exception:  # a broken page is reported by the page check; the feed skips it
            continue
        if not isinstance(meta, dict) or not meta.get("title"):
            continue
        d = as_date(meta.get("date")) or as_date(stem[:10])
        if not isinstance(d, dt.date):
            continue
        out.append({"date": d, "title": _plain(project, meta["title"], lang),
                    "summary": _plain(project, meta.get("description") or "", lang),
                    "path": ("" if lang == default_lang else f"{lang}/") + f"{NEWS_DIR}/{stem}/", "kind": "news"})
    return out


def legal_items(project: Project, lang: str, default_lang: str = "vi") -> list[dict]:
    lab = L(lang)["ui"]["feed"]
    out = []
    for day, kind, doc, by in legal_events(project.registry, project.today):
        other = project.registry.get(by) if by else None
        title = lab[kind].format(doc=doc_name(doc, lang), by=doc_name(other, lang) if other else by)
        out.append({"date": day, "title": title, "summary": lab["legal_summary"].format(date=format_date(day, lang)),
                    "path": ("" if lang == default_lang else f"{lang}/") + f"van-ban/{doc.slug}/",
                    "kind": "legal", "key": f"{doc.slug}/{kind}/{re.sub(r'[^A-Za-z0-9]+', '-', by or '')}"})
    return out


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def atom(project: Project, lang: str, site_url: str, site_name: str, default_lang: str = "vi") -> str:
    ui = L(lang)["ui"]
    site = site_url if site_url.endswith("/") else site_url + "/"
    host = urlsplit(site).hostname or "localhost"
    settings = project.settings or {}
    prov = settings.get("province") or {}
    police = prov.get("police_name") if isinstance(prov, dict) else None
    author = (police.get(lang) if isinstance(police, dict) else police) or site_name
    items = news_items(project, lang, default_lang) + legal_items(project, lang, default_lang)
    items.sort(key=lambda i: (i["date"], i["kind"], i["path"]), reverse=True)
    items = items[:MAX_ENTRIES]
    updated = max((i["date"] for i in items), default=dt.date(2000, 1, 1))
    home = site + ("" if lang == default_lang else f"{lang}/")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
           f"  <id>{escape(site + feed_href(lang, default_lang))}</id>",
           f"  <title>{escape(ui['feed']['title'].format(site=site_name))}</title>",
           f"  <updated>{_stamp(updated)}</updated>",
           f"  <author><name>{escape(str(author))}</name></author>",
           f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(site + feed_href(lang, default_lang))}/>",
           f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(home + NEWS_DIR + '/')}/>"]
    for i in items:
        url = site + i["path"]
        if i["kind"] == "news":
            eid = url
        else:
            eid = f"tag:{host},{i['date'].isoformat()}:{lang}/legal/{i['key']}"
        label = ui["feed"][i["kind"]]
        out += ["  <entry>",
                f"    <id>{escape(eid)}</id>",
                f"    <title>{escape(i['title'])}</title>",
                f"    <updated>{_stamp(i['date'])}</updated>",
                f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
                f"    <category term={quoteattr(i['kind'])} label={quoteattr(label)}/>"]
        if i["summary"]:
            out.append(f"    <summary>{escape(i['summary'])}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def write_feeds(project: Project, site_dir: str, site_url: str, site_names: dict[str, str],
                default_lang: str = "vi") -> list[str]:
    """Write one feed per language into the built site; returns the paths written."""
    written = []
    for lang, name in site_names.items():
        rel = feed_href(lang, default_lang)
        target = Path(site_dir) / rel
        if not target.parent.is_dir():
            continue  # this language's news folder was not built
        tmp = target.with_suffix(".xml.tmp")
        tmp.write_text(atom(project, lang, site_url, name, default_lang), "utf-8")
        tmp.replace(target)
        written.append(rel)
    return written
