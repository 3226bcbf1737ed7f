"""Thin MkDocs adapter for the public-service interface (issue 14): the province's settings for the
templates, developer links off unless data/site.yaml turns them on, the production-build check, and
the Atom feeds written once after the last language. Logic: lawsite/build/deploy.py, lawsite/build/feeds.py."""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from lawsite.build.deploy import production_error, ui_settings
from lawsite.generate.blocks import L
from lawsite.project.loader import load_project

log = get_plugin_logger(__name__)
MSG_LANG = os.environ.get("LAWSITE_LANG", "vi")


def _lang(config) -> str:
    return config.theme.get("language") or "vi"


def _project(config):
    return load_project(os.path.dirname(config.config_file_path))


def on_config(config):
    project = _project(config)
    settings = project.settings or {}
    site_yaml = project.root / "data" / "site.yaml"
    err = production_error(settings, config.site_url, site_yaml.read_text("utf-8") if site_yaml.is_file() else "",
                           L(MSG_LANG)["ui"])
    if err:
        raise PluginError(err)
    ui = ui_settings(settings, _lang(config), L(_lang(config))["ui"])
    features = config.theme.get("features") or []
    if not ui["show_edit_link"]:
        for f in ("content.action.edit", "content.action.view"):
            if f in features:
                features.remove(f)
    if not ui["show_repo_link"] and not ui["show_edit_link"]:
        config.repo_url = None  # no repository link in the header or the drawer, no edit links
        config.edit_uri = None
    config.extra["generator"] = ui["show_made_with"]
    return config


def on_env(env, config, files):
    lang = _lang(config)
    labels = L(lang)["ui"]
    env.globals["lawsite_ui"] = {**ui_settings(_project(config).settings or {}, lang, labels), "labels": labels,
                                 "lang": lang}
    return env


@event_priority(-200)  # after mkdocs-static-i18n (-100) wrote the other languages
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # nested per-language build: the whole site is not written yet
    from lawsite.build.feeds import write_feeds

    names, default = {}, "vi"
    for lang in getattr(getattr(i18n, "config", None), "languages", None) or []:
        if getattr(lang, "build", True):
            names[lang.locale] = lang.site_name or config.site_name
            if getattr(lang, "default", False):
                default = lang.locale
    if not names:
        names = {_lang(config): config.site_name}
    try:
        written = write_feeds(_project(config), config.site_dir, config.site_url or "/", names, default)
    except OSError as e:
        raise PluginError(f"feeds: {e}")
    log.info("feeds: " + ", ".join(written))
    from lawsite.build.cssprune import prune_site

    sizes = prune_site(config.site_dir)  # Material's stylesheet without the rules nothing on the site uses
    if sizes:
        log.info(f"stylesheet: {sizes[0] // 1024} KiB -> {sizes[1] // 1024} KiB (unused Material rules dropped)")
