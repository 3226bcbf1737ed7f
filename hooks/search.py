"""Thin MkDocs adapter for site search (Pagefind): marks each rendered page's article as searchable
(not fallback pages) and indexes the finished site once, after mkdocs-static-i18n built every
language. Logic: lawsite/build/search.py."""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from lawsite.build.search import SearchIndexError, excluded_by_front_matter, expired_label, index_site, mark_page, write_search_words

log = get_plugin_logger(__name__)


def on_post_page(output, page, config):
    ancestors = getattr(page, "ancestors", None) or []
    section = ancestors[-1].title if ancestors else ""
    return mark_page(output, fallback=bool(page.meta.get("lawsite_fallback")), section=section or "",
                     excluded=excluded_by_front_matter(page.meta),
                     expired=expired_label(config.config_file_path, page.meta, config.theme.get("language") or "vi"))


@event_priority(-200)  # after mkdocs-static-i18n (-100) wrote the other languages
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # nested per-language build: the whole site is not written yet
    try:
        report = index_site(config.site_dir, Path(config.config_file_path).parent / "data")
    except SearchIndexError as e:
        raise PluginError(str(e))
    try:
        write_search_words(config.site_dir, Path(config.config_file_path).parent / "data")
    except SearchIndexError as e:
        raise PluginError(str(e))
    log.info(report.summary())
    for w in report.warnings:
        log.warning(w)
