"""MkDocs objects -> the plain values of lawsite.build.steps (no logic here: the hooks' glue).

Not a hook itself (mkdocs.yml does not list it); the hook files import it (MkDocs puts the hook's
folder on sys.path while it loads a hook)."""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError  # noqa: F401 (the error class the steps raise)

from lawsite.build import steps
from lawsite.build.steps import PageInfo, Theme


def lang(config) -> str:
    return config.theme.get("language") or "vi"


def site(config) -> steps.Site:
    return steps.site_for(Path(config.config_file_path).parent)


def strict(config) -> bool:
    """`mkdocs build --strict` (a strict build stops after the pre-build step when a page has an error)."""
    return bool(config.get("strict"))


def reporter(log):
    """A steps `report(level, message)` writing to a MkDocs plugin logger (--strict counts warnings)."""
    return lambda level, message: {"error": log.error, "warning": log.warning}.get(level, log.info)(message)


def page(page, config) -> PageInfo:
    f = page.file
    ancestors = getattr(page, "ancestors", None) or []
    return PageInfo(f.src_uri, f.abs_src_path, getattr(f, "locale", None) or lang(config), page.url,
                    edit_url=page.edit_url or "", section=(ancestors[-1].title if ancestors else "") or "",
                    canonical_url=page.canonical_url or "", abs_url=page.abs_url or "",
                    alternates=[(lg, getattr(af, "locale", lg), af.url)
                                for lg, af in (getattr(f, "alternates", None) or {}).items()],
                    set=lambda key, value: setattr(page, key, value))


def pages(files, config) -> list[PageInfo]:
    return [PageInfo(f.src_uri, f.abs_src_path, getattr(f, "locale", None) or lang(config), f.url)
            for f in files.documentation_pages()]


def file_list(files) -> list[tuple[str, str, str, str, bool]]:
    return [(f.src_uri, getattr(f, "abs_src_path", None) or "", f.dest_uri, f.url, f.is_documentation_page())
            for f in files]


def drop(files, src_uris: list[str]):
    gone = set(src_uris)
    for f in [f for f in files if f.src_uri in gone]:
        files.remove(f)
    return files


def theme(config) -> Theme:
    return Theme(list(config.theme.dirs), config.theme.get_env, config, config.docs_dir, config.site_url or "")


def nested(config) -> bool:
    """mkdocs-static-i18n builds each further language inside the first one's post-build: not the end yet."""
    i18n = config.plugins.get("i18n")
    return i18n is not None and getattr(i18n, "building", False)


def languages(config) -> tuple[list[str], str]:
    """The languages mkdocs-static-i18n builds, in order, and its default one."""
    i18n = config.plugins.get("i18n")
    here = lang(config)
    return list(getattr(i18n, "build_languages", None) or [here]), getattr(i18n, "default_language", here)


def site_names(config) -> tuple[dict[str, str], str]:
    """Each built language's site name, and the default language."""
    i18n = config.plugins.get("i18n")
    names, default = {}, "vi"
    for lg in getattr(getattr(i18n, "config", None), "languages", None) or []:
        if getattr(lg, "build", True):
            names[lg.locale] = lg.site_name or config.site_name
            if getattr(lg, "default", False):
                default = lg.locale
    return (names or {lang(config): config.site_name}), default
