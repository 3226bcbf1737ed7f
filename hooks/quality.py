"""Thin MkDocs adapter for quality gates (logic in lawsite.htmlfix): table captions, a
Content-Security-Policy per page plus a site-wide `_headers` file, and sitemap dates taken from
the content (front matter last_reviewed) instead of the clock."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger

from lawsite import htmlfix
from lawsite.security import scan_html

log = get_plugin_logger(__name__)
_reviewed: dict[str, str] = {}  # page URL (as in the sitemap) -> last_reviewed, over both languages


@event_priority(-200)  # after mkdocs-static-i18n chose this language's files
def on_files(files, config):
    """Two sources that become the same page (x.md and x/index.md): MkDocs silently keeps one."""
    seen: dict[str, str] = {}
    for f in files.documentation_pages():
        other = seen.setdefault(f.dest_uri, f.src_uri)
        if other != f.src_uri:
            log.warning(f"docs/{f.src_uri}: same address /{f.url} as docs/{other} — rename one of them")
    return files


def on_page_context(context, page, config, nav):
    lr = page.meta.get("last_reviewed")
    if isinstance(lr, (dt.date, str)) and str(lr):
        page.update_date = lr.isoformat() if isinstance(lr, dt.date) else str(lr)[:10]
        for url in {page.canonical_url, page.abs_url, (config.site_url or "") + page.url}:
            if url:
                _reviewed[url] = page.update_date
    return context


def on_page_content(html, page, config, files):
    for what in scan_html(html):  # what Markdown really produced (the source scan gives line:col)
        log.warning(f"docs/{page.file.src_uri}: the page contains {what} after rendering — "
                    f"pages are plain Markdown only; remove it")
    html = htmlfix.caption_tables(html)
    for head in htmlfix.uncaptioned_tables(html):
        log.warning(f"docs/{page.file.src_uri}: table '{head} …' has no caption — put a bold line "
                    f"(**Bảng: …** / **Table: …**) right before it")
    return html


@event_priority(-500)  # last: after every other hook changed the page
def on_post_page(output, page, config):
    return htmlfix.inject_csp(output)


@event_priority(-500)
def on_post_template(output_content, template_name, config):
    return htmlfix.inject_csp(output_content) if template_name.endswith(".html") else output_content


@event_priority(-200)  # after mkdocs-static-i18n built every language
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    site = Path(config.site_dir)
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():  # the i18n sitemap is rendered before the other language's pages exist
        sitemap.write_text(htmlfix.fix_sitemap(sitemap.read_text("utf-8"), _reviewed), encoding="utf-8")
        htmlfix.write_sitemap_gz(site)
    (site / "_headers").write_text(htmlfix.headers_file(site), encoding="utf-8")
