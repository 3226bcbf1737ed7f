"""MkDocs adapter for the lawsite engine: one-line delegations to lawsite.build.steps (no logic here).

The pre-build step (project, every page checked and rendered into the body index that the Markdown
extension `lawsite.markdown` reads, translation parity), the template values of each page, hreflang
alternates, the 404 page per language and the staff summary after the last language. Findings go
through MkDocs' logger so `mkdocs build --strict` counts them."""
from __future__ import annotations

from mkdocs.plugins import event_priority, get_plugin_logger

import _mkdocs as M
from lawsite.build import steps

log = get_plugin_logger(__name__)
R = M.reporter(log)


def on_startup(command, dirty):
    return steps.forget_sites()


def on_config(config):
    return M.site(config).load(M.lang(config), M.PluginError) or config


@event_priority(-150)  # after mkdocs-static-i18n chose this language's files
def on_files(files, config):
    return M.site(config).pages(M.pages(files, config), M.lang(config), R, M.PluginError, strict=M.strict(config)) or files


def on_page_markdown(markdown, page, config, files):
    return M.site(config).page_markdown(markdown, page.meta, M.page(page, config), M.lang(config), R)


def on_page_content(html, page, config, files):
    return M.site(config).faq(html, page.meta, M.lang(config))


def on_page_context(context, page, config, nav):
    return M.site(config).alternates(context, page.meta, M.page(page, config), config.site_url)


@event_priority(0)  # before mkdocs-static-i18n (-100) starts the next language's build
def on_post_build(config):
    return M.site(config).post_language(config.site_dir, M.lang(config), *M.languages(config), config.site_url, R)
