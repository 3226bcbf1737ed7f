"""Thin MkDocs adapter for the lawsite engine (citations, figures, front matter, generated pages,
translation notices). All logic lives in the `lawsite` package; this file only moves data between
MkDocs and it, and logs findings through MkDocs' logger so `mkdocs build --strict` counts them."""
from __future__ import annotations

import os
import posixpath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from lawsite.core.errors import LawsiteError
from lawsite.generate.blocks import L
from lawsite.core.l10n import format_date
from lawsite.project.loader import load_project
from lawsite.build.sitebuild import Build

log = get_plugin_logger(__name__)
MSG_LANG = os.environ.get("LAWSITE_LANG", "vi")
_state: dict = {"build": None, "logged": set()}


def _lang(config) -> str:
    return config.theme.get("language") or "vi"


def on_startup(command, dirty):
    _state["logged"] = set()


def on_config(config):
    try:
        project = load_project(os.path.dirname(config.config_file_path))
    except LawsiteError as e:  # registry/figures errors stop the build at once
        raise PluginError(str(e))
    _state["build"] = Build(project, _lang(config))
    return config


@event_priority(-150)  # after mkdocs-static-i18n chose this language's files
def on_files(files, config):
    b: Build = _state["build"]
    b.lang = _lang(config)
    b.pages.clear()
    b.cited.clear()
    b.units.clear()
    for f in files.documentation_pages():
        locale = getattr(f, "locale", b.lang)
        res = b.page(f.src_uri, f.abs_src_path, content_lang=locale)
        unreadable = [x for x in res.findings if x.code == "enc_not_utf8"]
        if unreadable:  # MkDocs itself would stop on this page with a traceback: stop first, in one line
            raise PluginError(f"{unreadable[0].path}:{unreadable[0].line}:{unreadable[0].col}: {unreadable[0].message(MSG_LANG)}")
        b.index_citations(f.src_uri, res, f.src_uri)
    if b.lang == "en":  # bilingual integrity: each translated pair cites the same law, uses the same figures
        _log(b.pair_findings())
    return files


def _log(findings):
    for f in findings:
        key = (f.path, f.line, f.col, f.code)
        if key in _state["logged"]:
            continue
        _state["logged"].add(key)
        msg = f"{f.path}:{f.line}:{f.col}: {f.message(MSG_LANG)}"
        {"error": log.error, "warning": log.warning}.get(f.severity, log.info)(msg)


def on_page_markdown(markdown, page, config, files):
    b: Build = _state["build"]
    locale = getattr(page.file, "locale", b.lang)
    res = b.page(page.file.src_uri, page.file.abs_src_path, content_lang=locale)
    _log(res.findings)
    meta = page.meta
    from lawsite.project.frontmatter import refused_keys  # reported above (fm_reserved_key); never reach a template

    for key in refused_keys(f"docs/{page.file.src_uri}", meta, b.project):
        meta.pop(key, None)
    lr = res.meta.get("last_reviewed")
    if hasattr(lr, "isoformat"):
        meta["last_reviewed_iso"] = lr.isoformat()
        meta["last_reviewed_display"] = format_date(lr, b.lang)
    meta["lawsite_fallback"] = locale != b.lang
    if meta.get("registry"):  # generated document pages list every article: keep the table of contents short
        meta.setdefault("hide", ["toc"])
    if meta["lawsite_fallback"] and (page.edit_url or "").endswith(".en.md"):  # edit the file actually shown
        page.edit_url = page.edit_url[:-len(".en.md")] + ".md"
    meta["lawsite_labels"] = L(b.lang)
    settings = b.project.settings or {}
    depth = page.url.count("/")
    home = "../" * depth if depth else "./"
    meta["report_url"] = settings.get("report_url") or (home + ("en/" if b.lang == "en" else "") + "ho-tro/")
    vi_href = ""
    if b.lang == "en":
        vi_url = page.url[3:] if page.url.startswith("en/") else page.url
        vi_href = posixpath.relpath("/" + vi_url, "/" + posixpath.dirname(page.url.rstrip("/")) + "/") if vi_url else home
        if page.url.endswith("/") and not vi_href.endswith("/"):
            vi_href += "/"
    # in Markdown (the fallback notice) link to the help page's source, which MkDocs resolves per language
    md_report = settings.get("report_url") or posixpath.relpath("ho-tro/index.md", posixpath.dirname(page.file.src_uri) or ".")
    return b.render_body(page.file.src_uri, res, is_fallback=locale != b.lang, report_url=md_report, vi_href=vi_href)


def on_page_content(html, page, config, files):
    if page.meta.get("faq"):
        from lawsite.build.faq import faq_jsonld

        page.meta["lawsite_jsonld"] = faq_jsonld(html, _state["build"].lang)
    return html


def on_page_context(context, page, config, nav):
    """hreflang alternates only for languages in which the page really exists (not fallbacks)."""
    alts = []
    site = config.site_url or "/"
    own = getattr(page.file, "locale", None)
    for lang, f in sorted((getattr(page.file, "alternates", None) or {}).items(), key=lambda kv: kv[0] != "vi"):
        if getattr(f, "locale", lang) == lang:
            alts.append({"lang": lang, "href": site + f.url})
    if not alts and own:
        alts.append({"lang": own, "href": site + page.url})
    page.meta["lawsite_alternates"] = alts
    return context


@event_priority(0)  # before mkdocs-static-i18n (-100) starts the next language's build
def on_post_build(config):
    """mkdocs-static-i18n builds one 404 page and the last language overwrites it: keep one per language."""
    site = config.site_dir
    lang = _lang(config)
    i18n = config.plugins.get("i18n")
    langs = list(getattr(i18n, "build_languages", None) or [lang])
    later = [l for l in langs if l != getattr(i18n, "default_language", lang)]
    if lang == (later[-1] if later else langs[-1]):  # the last language build: the whole site is written
        _staff_summary(config)
    src = os.path.join(site, "404.html")
    keep = os.path.join(site, ".404-vi.html")
    if not os.path.exists(src):
        return
    if lang == "vi":
        _copy(src, keep)
    else:
        os.makedirs(os.path.join(site, lang), exist_ok=True)
        os.replace(src, os.path.join(site, lang, "404.html"))
        if os.path.exists(keep):
            os.replace(keep, src)


def _staff_summary(config):
    """INFO only (an outdated translation must never block an urgent Vietnamese update): each outdated
    translation by file, the review-due count; untranslated English URLs leave the sitemap."""
    from lawsite.site.status import build_summary, fallback_urls, prune_sitemap

    project = _state["build"].project
    findings, due = build_summary(project, MSG_LANG)
    _log(findings)
    if due:
        log.info(due)
    prune_sitemap(config.site_dir, config.site_url or "/", fallback_urls(project))


def _copy(a, b):
    import shutil

    shutil.copyfile(a, b)
