"""MkDocs adapter for site search (Pagefind): one-line delegations to lawsite.build.steps. Each
rendered page's article is marked searchable (not fallback pages); the finished site is indexed once,
after mkdocs-static-i18n built every language. Logic: lawsite/build/search.py."""
from __future__ import annotations

from mkdocs.plugins import event_priority, get_plugin_logger

import _mkdocs as M

log = get_plugin_logger(__name__)
R = M.reporter(log)


def on_post_page(output, page, config):
    return M.site(config).search_page(output, page.meta, M.page(page, config), M.lang(config))


@event_priority(-200)  # after mkdocs-static-i18n (-100) wrote the other languages
def on_post_build(config):
    return None if M.nested(config) else M.site(config).post_search(config.site_dir, R, M.PluginError)
