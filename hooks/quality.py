"""Thin MkDocs adapter for quality and safety gates (logic in lawsite.build.htmlfix and lawsite.core.security):
which files of docs/ are published, front-matter values that reach templates, the allow-list on
every rendered page body, a check of every finished page (templates included), table captions, one
Content-Security-Policy (hashes of the theme's own inline scripts) in every page and in `_headers`,
and sitemap dates taken from the content (front matter last_reviewed) instead of the clock.

Every problem is an ERROR with the source file and line (mkdocs build --strict fails), and what is
published is harmless even without --strict: the offending file is not published, the value is
escaped, the markup removed."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority, get_plugin_logger

from lawsite.build import htmlfix
from lawsite.core import security
from lawsite.core.findings import Finding

log = get_plugin_logger(__name__)
MSG_LANG = os.environ.get("LAWSITE_LANG", "vi")
_reviewed: dict[str, str] = {}  # page URL (as in the sitemap) -> last_reviewed, over both languages
_state: dict = {"hashes": None, "logged": set(), "sources": {}}

# front-matter keys a template prints as text, and keys with a fixed set of values
TEXT_KEYS = ("title", "description", "subtitle")
STATUS_VALUES = ("new", "deprecated")
PAGE_TEMPLATES = ("main.html",)
_ICON = re.compile(r"[a-z0-9-]+(?:/[a-z0-9-]+)*")


def _error(where: str, line: int, code: str, **params) -> None:
    f = Finding(where, line, 1, "error", code, params)
    key = (f.path, f.line, code, tuple(sorted(map(str, params.values()))))
    if key in _state["logged"]:
        return
    _state["logged"].add(key)
    log.error(f"{f.path}:{f.line}:{f.col}: {f.message(MSG_LANG)}")


def on_startup(command, dirty):
    _state["logged"] = set()


@event_priority(100)  # first: before MkDocs walks docs/ (it follows symlinks: a link to / would walk the disk)
def on_config(config):
    _state["hashes"] = None
    _state["sources"] = {}
    _state["root"] = Path(config.config_file_path).resolve().parent
    links = htmlfix.docs_symlinks(Path(config.docs_dir))
    if links:
        from mkdocs.exceptions import PluginError

        lines = [Finding(f"docs/{rel}", 1, 1, "error", "file_symlink", {"path": f"docs/{rel}", "detail": target})
                 for rel, target in links]
        raise PluginError("\n".join(f"{f.path}:1:1: {f.message(MSG_LANG)}" for f in lines))
    return config


# --- files ---------------------------------------------------------------------------------------

@event_priority(-200)  # after mkdocs-static-i18n chose this language's files
def on_files(files, config):
    """Only the file types the site needs are published from docs/; symlinks never are."""
    docs = Path(config.docs_dir)
    root = _state["root"]
    refused: set[str] = set()
    for problem in htmlfix.docs_file_problems(docs, root):
        refused.add(problem.rel)
        _error(f"docs/{problem.rel}", problem.line, problem.code, path=f"docs/{problem.rel}", detail=problem.detail)
    for f in list(files):
        src = getattr(f, "abs_src_path", None)
        if not src or not _under(Path(src), docs):
            continue
        rel = Path(src).relative_to(docs).as_posix() if Path(src).is_absolute() else f.src_uri
        if rel in refused or htmlfix.docs_file_problem_for(docs, root, rel) is not None:
            files.remove(f)  # never published, whatever else happens
    seen: dict[str, str] = {}
    for f in files.documentation_pages():
        other = seen.setdefault(f.dest_uri, f.src_uri)
        if other != f.src_uri:
            log.warning(f"docs/{f.src_uri}: same address /{f.url} as docs/{other} — rename one of them")
    return files


def _under(p: Path, d: Path) -> bool:
    try:
        Path(os.path.abspath(p)).relative_to(os.path.abspath(d))
        return True
    except ValueError:
        return False


# --- front matter --------------------------------------------------------------------------------

def _fm_line(page, key: str) -> int:
    text = _source(page)
    m = re.search(rf"^\s*-?\s*{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _source(page) -> str:
    src = page.file.abs_src_path
    cache = _state["sources"]
    if src not in cache:
        try:
            cache[src] = Path(src).read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            cache[src] = ""
    return cache[src]


@event_priority(100)  # before lawsite_hooks adds its own lawsite_* keys: page.meta is the contributor's
def on_page_markdown(markdown, page, config, files):
    path = f"docs/{page.file.src_uri}"
    meta = page.meta
    for key in list(meta):
        if str(key).startswith("lawsite_") or key in ("report_url", "last_reviewed_iso", "last_reviewed_display"):
            _error(path, _fm_line(page, str(key)), "sec_reserved_key", key=key)
            meta.pop(key)
    for key in TEXT_KEYS:
        if key in meta and meta[key] is not None:
            problems = security.check_text(meta[key])
            if problems:
                _error(path, _fm_line(page, key), "sec_value", key=key, what=", ".join(problems))
                meta[key] = security.neutral_text(meta[key])
    if "status" in meta and meta["status"] not in STATUS_VALUES:
        _error(path, _fm_line(page, "status"), "sec_choice", key="status", value=security.neutral_text(meta["status"]),
               allowed=", ".join(STATUS_VALUES))
        meta.pop("status")
    if "icon" in meta and not (isinstance(meta["icon"], str) and _ICON.fullmatch(meta["icon"])):
        _error(path, _fm_line(page, "icon"), "sec_choice", key="icon", value=security.neutral_text(meta["icon"]),
               allowed="material/…")
        meta.pop("icon")
    if "template" in meta and meta["template"] not in PAGE_TEMPLATES:
        _error(path, _fm_line(page, "template"), "sec_choice", key="template", value=security.neutral_text(meta["template"]),
               allowed=", ".join(PAGE_TEMPLATES))
        meta.pop("template")
    return markdown


# --- rendered body -------------------------------------------------------------------------------

def on_page_content(html, page, config, files):
    path = f"docs/{page.file.src_uri}"
    html, removed = security.sanitize(html, tool=security.tool_page(page.file.src_uri, page.meta))
    for r in removed:  # what Markdown really produced; lawsite check gives line:col in the source
        where, line = _locate_any(page, r.needles or (r.needle,))
        _error(where, line, "sec_removed", what=r.what, page=path)
    # JSON-LD (generated for Q&A pages by lawsite_hooks): re-serialised so nothing in it ends the element
    ld = page.meta.get("lawsite_jsonld")
    if ld:
        import json

        try:
            page.meta["lawsite_jsonld"] = security.safe_json(json.loads(ld) if isinstance(ld, str) else ld)
        except (ValueError, TypeError):
            page.meta.pop("lawsite_jsonld")
    report = page.meta.get("report_url")
    if report and not security.url_ok(report, schemes=("https",)):
        _error(*_locate_data("report_url"), "sec_url", key="report_url", value=security.neutral_text(report))
        depth = page.url.count("/")
        page.meta["report_url"] = ("../" * depth if depth else "./") + ("en/" if _lang(config) == "en" else "") + "ho-tro/"
    page.meta["lawsite_cites"] = 'class="cite"' in html  # the disclaimer also shows on a page that cites law
    html = htmlfix.phone_tables(htmlfix.caption_tables(html))  # (issue 14: phone cards at build time)
    for head in htmlfix.uncaptioned_tables(html):
        log.warning(f"docs/{page.file.src_uri}: table '{head} …' has no caption — put a bold line "
                    f"(**Bảng: …** / **Table: …**) right before it")
    return html


def _lang(config) -> str:
    return config.theme.get("language") or "vi"


def _locate_any(page, needles) -> tuple[str, int]:
    """The most specific needle first: the page's source, then the data files, for each."""
    path = f"docs/{page.file.src_uri}"
    text = _source(page)
    for n in needles:
        if not n:
            continue
        i = text.lower().find(n.lower())
        if i >= 0:
            return path, text.count("\n", 0, i) + 1
        hit = _search_data(n) if len(n) >= 4 else None
        if hit:
            return hit
    return path, 1


def _locate(page, needle: str) -> tuple[str, int]:
    """The file and line the offending markup comes from: the page's own source (body or front
    matter), else the data files (registry titles, site settings, figures), else the page."""
    path = f"docs/{page.file.src_uri}"
    if needle:
        text = _source(page)
        i = text.lower().find(needle.lower())
        if i >= 0:
            return path, text.count("\n", 0, i) + 1
        hit = _search_data(needle) if len(needle) >= 4 else None
        if hit:
            return hit
    return path, 1


def _search_data(needle: str):
    root = _state["root"]
    for p in sorted((root / "data").rglob("*.yaml")):
        if p.is_symlink():
            continue
        key = str(p)
        if key not in _state["sources"]:
            _state["sources"][key] = p.read_text("utf-8", errors="replace")
        text = _state["sources"][key]
        i = text.lower().find(needle.lower())
        if i >= 0:
            return p.relative_to(root).as_posix(), text.count("\n", 0, i) + 1
    return None


def _locate_data(key: str) -> tuple[str, int]:
    return _search_data(key + ":") or ("data/site.yaml", 1)


def on_page_context(context, page, config, nav):
    lr = page.meta.get("last_reviewed")
    if isinstance(lr, (dt.date, str)) and str(lr):
        page.update_date = lr.isoformat() if isinstance(lr, dt.date) else str(lr)[:10]
        for url in {page.canonical_url, page.abs_url, (config.site_url or "") + page.url}:
            if url:
                _reviewed[url] = page.update_date
    return context


# --- finished pages ------------------------------------------------------------------------------

def _hashes(config) -> set[str]:
    """The theme's own inline scripts (Material's templates and overrides/), rendered for every
    base URL the site has: computed from the template files, never from a finished page."""
    if _state["hashes"] is None:
        import jinja2
        from jinja2 import meta as jmeta

        env = config.theme.get_env()
        docs = Path(config.docs_dir)
        depth = max((len(p.relative_to(docs).parts) for p in docs.rglob("*.md")), default=1)
        langs = 2  # a language prefix (/en/) adds one level
        bases = {"."} | {"/".join([".."] * d) for d in range(1, depth + langs + 1)}
        bases.add(urlsplit(config.site_url or "/").path or "/")

        def render(src: str):
            try:
                names = jmeta.find_undeclared_variables(env.parse(src))
            except jinja2.TemplateError:
                return []
            if not names <= {"config", "base_url"}:
                return []  # depends on a page's own values: not one of the theme's fixed scripts
            tpl = env.from_string(src)
            return [tpl.render(config=config, base_url=b) for b in sorted(bases)] if "base_url" in names else [tpl.render(config=config)]

        _state["hashes"] = htmlfix.theme_script_hashes([Path(d) for d in config.theme.dirs], render)
    return _state["hashes"]


def _check_finished(output: str, where: str, page=None, content: str | None = None) -> None:
    chrome = output.replace(content, "", 1) if content else output  # the body was checked already
    for what, needle in security.check_page(chrome, _hashes_cached):
        path, line = _locate(page, needle) if page is not None else (where, 1)
        if page is not None and path == f"docs/{page.file.src_uri}" and line == 1:
            hit = _search_fronts(needle)
            if hit:
                path, line = hit
        _error(path, line, "sec_page", what=what, page=where)


def _search_fronts(needle: str):
    """A page's front matter is printed on other pages (navigation): find the page it comes from."""
    docs = _state["root"] / "docs"
    for p in sorted(docs.rglob("*.md")):
        if p.is_symlink():
            continue
        key = str(p)
        if key not in _state["sources"]:
            _state["sources"][key] = p.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        text = _state["sources"][key]
        end = text.find("\n---", 3) if text.startswith("---") else -1
        i = text.lower().find(needle.lower(), 0, max(end, 0))
        if i >= 0:
            return f"docs/{p.relative_to(docs).as_posix()}", text.count("\n", 0, i) + 1
    return None


_hashes_cached: set[str] = set()


@event_priority(-500)  # last: after every other hook changed the page
def on_post_page(output, page, config):
    global _hashes_cached
    _hashes_cached = _hashes(config)
    _check_finished(output, f"docs/{page.file.src_uri}", page, page.content)
    return htmlfix.inject_csp(output, _hashes_cached)


@event_priority(-500)
def on_post_template(output_content, template_name, config):
    global _hashes_cached
    if not template_name.endswith(".html"):
        return output_content
    _hashes_cached = _hashes(config)
    _check_finished(output_content, f"overrides/{template_name}")
    return htmlfix.inject_csp(output_content, _hashes_cached)


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
    (site / "_headers").write_text(htmlfix.headers_file(_hashes(config)), encoding="utf-8")
