"""MkDocs adapter for the public-service interface (issue 14): one-line delegations to
lawsite.build.steps. The province's settings for the templates, developer links off unless
data/site.yaml turns them on, the production-build check, and the Atom feeds (and the pruned
stylesheet) written once after the last language. Logic: lawsite/build/deploy.py, lawsite/build/feeds.py."""
from __future__ import annotations

from mkdocs.plugins import event_priority, get_plugin_logger

import _mkdocs as M

log = get_plugin_logger(__name__)
R = M.reporter(log)


def on_config(config):
    return M.site(config).ui_config(config, M.lang(config), config.site_url, M.PluginError) or config


def on_env(env, config, files):
    return M.site(config).ui_globals(env, M.lang(config))


@event_priority(-200)  # after mkdocs-static-i18n (-100) wrote the other languages
def on_post_build(config):
    return None if M.nested(config) else M.site(config).post_feeds(config.site_dir, config.site_url, *M.site_names(config), R, M.PluginError)
