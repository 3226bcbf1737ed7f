"""MkDocs adapter for quality and safety gates: one-line delegations to lawsite.build.steps (logic in
lawsite.build.steps, lawsite.build.htmlfix and lawsite.core.security): which files of docs/ are
published, front-matter values that reach templates, the allow-list on every rendered page body, a
check of every finished page (templates included), table captions, one Content-Security-Policy (hashes
of the theme's own inline scripts) in every page and in `_headers`, and sitemap dates taken from the
content (front matter last_reviewed) instead of the clock.

Every problem is an ERROR with the source file and line (mkdocs build --strict fails), and what is
published is harmless even without --strict: the offending file is not published, the value is
escaped, the markup removed."""
from __future__ import annotations

from mkdocs.plugins import event_priority, get_plugin_logger

import _mkdocs as M

log = get_plugin_logger(__name__)
R = M.reporter(log)


@event_priority(100)  # first: before MkDocs walks docs/ (it follows symlinks: a link to / would walk the disk)
def on_config(config):
    return M.site(config).check_docs(config.docs_dir, M.PluginError) or config


@event_priority(-200)  # after mkdocs-static-i18n chose this language's files
def on_files(files, config):
    return M.drop(files, M.site(config).publishable(M.file_list(files), config.docs_dir, R))


@event_priority(100)  # before lawsite_hooks adds its own lawsite_* keys: page.meta is the contributor's
def on_page_markdown(markdown, page, config, files):
    return M.site(config).check_front_matter(markdown, page.meta, M.page(page, config), R)


def on_page_content(html, page, config, files):
    return M.site(config).page_content(html, page.meta, M.page(page, config), M.lang(config), R)


def on_page_context(context, page, config, nav):
    return M.site(config).review_date(context, page.meta, M.page(page, config), config.site_url)


@event_priority(-500)  # last: after every other hook changed the page
def on_post_page(output, page, config):
    return M.site(config).finished_page(output, f"docs/{page.file.src_uri}", M.theme(config), R, M.page(page, config), page.content)


@event_priority(-500)
def on_post_template(output_content, template_name, config):
    return M.site(config).finished_page(output_content, f"overrides/{template_name}", M.theme(config), R) if template_name.endswith(".html") else output_content


@event_priority(-200)  # after mkdocs-static-i18n built every language
def on_post_build(config):
    return None if M.nested(config) else M.site(config).post_html(config.site_dir, M.site(config).theme_hashes(M.theme(config)))
