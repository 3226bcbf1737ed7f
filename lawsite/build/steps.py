"""The build steps around the generator, with no generator import (issue 16 §1).

* the **pre-build step** (whole site, per language build): the project and registry loaded once, every
  page checked (findings reported with file:line), parity of each translated pair, and every page's
  body rendered (citations, `{{ figure }}` keys, generated blocks) into the **body index** that the
  Markdown extension `lawsite.markdown` reads;
* the **page steps** a generator with per-page events may call (front-matter safety, template values,
  the allow-list on the rendered body, captions, the CSP of each finished page, search marks);
* the **post-build step** over the output folder: 404 per language, staff summary and sitemap pruning,
  Pagefind and its re-cut, readers' search words, sitemap dates, `_headers`, feeds, CSS pruning.

Everything takes plain values: paths, dicts, lists, strings, `report(level, message)` callbacks
(level "error", "warning" or "info"; the MkDocs hooks pass their plugin logger, so `--strict` counts
warnings) and an `error` class to raise when the build must stop. `hooks/*.py` are one-line
delegations to a `Site` (one per project root, see `site_for`).

Without MkDocs: `python -m lawsite.build.steps pre` writes the body index of every language to
`.cache/lawsite/bodies/<lang>.json` (for a generator that only runs Markdown extensions, such as
Zensical) and `python -m lawsite.build.steps post --site DIR` runs the post-build step on a built
folder."""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional
from urllib.parse import urlsplit

from lawsite.build import htmlfix
from lawsite.build.sitebuild import Build
from lawsite.core import security
from lawsite.core.errors import LawsiteError
from lawsite.core.findings import Finding
from lawsite.core.l10n import format_date, is_default, url_prefix
from lawsite.generate.blocks import L
from lawsite.project.loader import find_root, load_project

Report = Callable[[str, str], None]

# front-matter keys a template prints as text, and keys with a fixed set of values
TEXT_KEYS = ("title", "description", "subtitle")
STATUS_VALUES = ("new", "deprecated")
PAGE_TEMPLATES = ("main.html",)
_ICON = re.compile(r"[a-z0-9-]+(?:/[a-z0-9-]+)*")
# a page whose body is empty (a generated document page): Python-Markdown never runs an extension on
# blank text, so the page step hands it this line instead, and the extension renders the page it names
PAGE_MARKER = "<!-- lawsite-page: {src} -->"
_MARKER = re.compile(r"<!-- lawsite-page: (\S+) -->")
BODY_INDEX = Path(".cache") / "lawsite" / "bodies"


class StepError(Exception):
    """Raised by the steps when no `error` class is given (the CLI prints it in one line)."""


def _ignore(level: str, message: str) -> None:
    pass


def body_key(text: str) -> str:
    """The key of a page body in the index: NFC, line breaks as a generator may rewrite them (a plugin
    that splits and rejoins lines drops the final newline), surrounding blank lines ignored."""
    text = unicodedata.normalize("NFC", text)
    return hashlib.sha256("\n".join(text.splitlines()).strip().encode("utf-8")).hexdigest()


def split_front_matter(text: str) -> str:
    """The body a generator passes to Markdown: the file without its YAML front matter."""
    text = text.lstrip("\ufeff")
    m = re.match(r"^-{3}[ \t]*\n.*?\n(?:-{3}|\.{3})[ \t]*\n", text.replace("\r\n", "\n"), re.S)
    return text.replace("\r\n", "\n")[m.end():].lstrip("\n") if m else text


@dataclass
class PageInfo:
    """What the steps need to know about one page of a language build (plain values)."""
    src_uri: str
    abs_path: str
    locale: str
    url: str
    edit_url: str = ""
    section: str = ""
    canonical_url: str = ""
    abs_url: str = ""
    alternates: list[tuple[str, str, str]] = field(default_factory=list)  # (language, file's locale, url)
    set: Callable[[str, Any], None] = lambda key, value: None  # a page attribute the generator shows


@dataclass
class Theme:
    """The theme of a language build: its template folders and a Jinja environment (made on first use)."""
    dirs: list[str]
    get_env: Callable[[], Any]
    config: Any  # what the templates call `config` when the theme's fixed scripts are rendered
    docs_dir: str
    site_url: str


@dataclass
class Body:
    src_uri: str
    key: str
    text: str


class Site:
    """The state of one build of a project: the current language's `Build`, the body index of every
    language built so far, and what the post-build step needs (sitemap dates, script hashes)."""

    def __init__(self, root: str | Path, *, msg_lang: Optional[str] = None):
        self.root = Path(root).resolve()
        self.msg_lang = msg_lang or os.environ.get("LAWSITE_LANG", "vi")
        self.build: Optional[Build] = None
        self.bodies: dict[str, dict[str, Body]] = {}  # build language -> src_uri -> rendered body
        self.current: Optional[tuple[str, str]] = None  # (build language, src_uri) the generator renders now
        self.logged: set = set()
        self.q_logged: set = set()
        self.reviewed: dict[str, str] = {}  # page URL (as in the sitemap) -> last_reviewed, over both languages
        self.hashes: Optional[set[str]] = None
        self.sources: dict[str, str] = {}
        self.memo: dict[str, dict] = {}  # what this build computes once (the Markdown extension's file-list hash)

    # --- reporting -----------------------------------------------------------------------------
    def log(self, findings: Iterable[Finding], report: Report) -> None:
        for f in findings:
            key = (f.path, f.line, f.col, f.code)
            if key in self.logged:
                continue
            self.logged.add(key)
            report(f.severity if f.severity in ("error", "warning") else "info",
                   f"{f.path}:{f.line}:{f.col}: {f.message(self.msg_lang)}")

    def _error(self, report: Report, where: str, line: int, code: str, **params) -> None:
        f = Finding(where, line, 1, "error", code, params)
        key = (f.path, f.line, code, tuple(sorted(map(str, params.values()))))
        if key in self.q_logged:
            return
        self.q_logged.add(key)
        report("error", f"{f.path}:{f.line}:{f.col}: {f.message(self.msg_lang)}")

    # --- pre-build step ------------------------------------------------------------------------
    def check_docs(self, docs_dir: str, error: type[Exception] = StepError) -> None:
        """First of all (a generator follows symlinks: a link to / would walk the disk)."""
        self.hashes = None
        self.sources = {}
        links = htmlfix.docs_symlinks(Path(docs_dir))
        if links:
            lines = [Finding(f"docs/{rel}", 1, 1, "error", "file_symlink", {"path": f"docs/{rel}", "detail": target})
                     for rel, target in links]
            raise error("\n".join(f"{f.path}:1:1: {f.message(self.msg_lang)}" for f in lines))

    def load(self, lang: str, error: type[Exception] = StepError) -> None:
        try:
            project = load_project(self.root)
        except LawsiteError as e:  # registry/figures errors stop the build at once
            raise error(str(e))
        self.build = Build(project, lang)

    def publishable(self, files: list[tuple[str, str, str, str, bool]], docs_dir: str, report: Report) -> list[str]:
        """Of the generator's files (src_uri, abs_src_path, dest_uri, url, is a page), the src_uri of every
        file that must not be published: only the file types the site needs are published from docs/,
        symlinks never are. Two pages at one address are a warning."""
        docs = Path(docs_dir)
        root = self.root
        refused: set[str] = set()
        for problem in htmlfix.docs_file_problems(docs, root):
            refused.add(problem.rel)
            self._error(report, f"docs/{problem.rel}", problem.line, problem.code, path=f"docs/{problem.rel}",
                        detail=problem.detail)
        drop = []
        for src_uri, src, _dest, _url, _page in files:
            if not src or not _under(Path(src), docs):
                continue
            rel = Path(src).relative_to(docs).as_posix() if Path(src).is_absolute() else src_uri
            if rel in refused or htmlfix.docs_file_problem_for(docs, root, rel) is not None:
                drop.append(src_uri)  # never published, whatever else happens
        seen: dict[str, str] = {}
        for src_uri, _src, dest_uri, url, is_page in files:
            if not is_page or src_uri in drop:
                continue
            other = seen.setdefault(dest_uri, src_uri)
            if other != src_uri:
                report("warning", f"docs/{src_uri}: same address /{url} as docs/{other} — rename one of them")
        return drop

    def pages(self, pages: list[PageInfo], lang: str, report: Report, error: type[Exception] = StepError, *,
              log_pages: bool = False, strict: bool = False) -> None:
        """Every page of this language build checked, its citations indexed, the pair parity reported,
        and every body rendered into the index. Each page's own findings are reported here with
        `log_pages`, else by `page_markdown` (a generator with page events: only for pages it publishes).
        `strict` (mkdocs build --strict): when a page has an error, the build stops here (see `_stop`)."""
        if self.build is None:
            self.load(lang, error)
        b = self.build
        b.lang = lang
        b.pages.clear()
        b.cited.clear()
        b.units.clear()
        for p in pages:
            res = b.page(p.src_uri, p.abs_path, content_lang=p.locale)
            unreadable = [x for x in res.findings if x.code == "enc_not_utf8"]
            if unreadable:  # the generator would stop on this page with a traceback: stop first, in one line
                u = unreadable[0]
                raise error(f"{u.path}:{u.line}:{u.col}: {u.message(self.msg_lang)}")
            b.index_citations(p.src_uri, res, p.src_uri)
        pair = b.pair_findings() if not is_default(lang) else []
        if strict:
            self._stop(pages, lang, pair, report, error)
        if not is_default(lang):  # bilingual integrity: each translated pair cites the same law, uses the same figures
            self.log(pair, report)
        index = self.bodies[lang] = {}
        for p in pages:
            res = b.page(p.src_uri, p.abs_path, content_lang=p.locale)
            if log_pages:
                self.log(res.findings, report)
            raw = Path(p.abs_path).read_bytes().decode("utf-8", "replace")
            body = split_front_matter(raw)
            if not body.strip():
                body = PAGE_MARKER.format(src=p.src_uri)
            index[p.src_uri] = Body(p.src_uri, body_key(body), self.render(p, res, lang))

    def _stop(self, pages: list[PageInfo], lang: str, pair: list[Finding], report: Report, error: type[Exception]) -> None:
        """A strict build with an error in a page (or a translated pair) of this language build would
        fail at the end anyway: it stops before the generator renders anything (staff get the answer
        in seconds, not after the whole site). First every error is reported, each with file:line:
        every finding of every page of EVERY language build (the later ones included: one run names
        them all), the pair findings, and the files of docs/ that are never published. Only what the
        rendering itself sees (template values, the allow-list on the rendered HTML, links) is left for
        the build after the fix. `mkdocs serve` and a build without --strict never stop here."""
        b = self.build
        results = [b.page(p.src_uri, p.abs_path, content_lang=p.locale) for p in pages]
        if not any(f.severity == "error" for r in results for f in r.findings) and not any(f.severity == "error" for f in pair):
            return
        docs = Path(b.project.docs_dir)
        langs = list(_site_names(self.root)) or [lang]
        for other in langs[langs.index(lang) + 1:] if lang in langs else []:  # later language builds
            b.lang = other
            for p in language_pages(docs, other, langs[0]):
                results.append(b.page(p.src_uri, p.abs_path, content_lang=p.locale))
            if not is_default(other):
                pair = pair + b.pair_findings()
        b.lang = lang
        for r in results:
            self.log(r.findings, report)
        self.log(pair, report)
        for problem in htmlfix.docs_file_problems(docs, self.root):  # what `publishable` reports
            self._error(report, f"docs/{problem.rel}", problem.line, problem.code, path=f"docs/{problem.rel}", detail=problem.detail)
        errors = len({(f.path, f.line, f.col, f.code) for r in results for f in r.findings if f.severity == "error"}
                     | {(f.path, f.line, f.col, f.code) for f in pair if f.severity == "error"})
        raise error(Finding("mkdocs.yml", 1, 1, "error", "build_stopped", {"errors": errors}).message(self.msg_lang))

    def render(self, p: PageInfo, res, lang: str) -> str:
        b = self.build
        settings = b.project.settings or {}
        depth = p.url.count("/")
        home = "../" * depth if depth else "./"
        vi_href = ""
        if not is_default(lang):
            prefix = url_prefix(lang)
            vi_url = p.url[len(prefix):] if p.url.startswith(prefix) else p.url
            vi_href = posixpath.relpath("/" + vi_url, "/" + posixpath.dirname(p.url.rstrip("/")) + "/") if vi_url else home
            if p.url.endswith("/") and not vi_href.endswith("/"):
                vi_href += "/"
        # in Markdown (the fallback notice) link to the help page's source, which the generator resolves per language
        md_report = settings.get("report_url") or posixpath.relpath("ho-tro/index.md", posixpath.dirname(p.src_uri) or ".")
        return b.render_body(p.src_uri, res, is_fallback=p.locale != lang, report_url=md_report, vi_href=vi_href)

    def write_index(self, folder: Optional[Path] = None) -> list[Path]:
        """The body index on disk, one JSON file per language (for a generator run in another process)."""
        folder = folder or self.root / BODY_INDEX
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for lang, bodies in self.bodies.items():
            path = folder / f"{lang}.json"
            data = {"lang": lang, "pages": {b.src_uri: {"key": b.key, "text": b.text} for b in bodies.values()}}
            path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), "utf-8")
            out.append(path)
        return out

    # --- the body the Markdown extension asks for ----------------------------------------------
    def body_for(self, text: str, lang: Optional[str] = None) -> str:
        """The rendered body of the page whose text (as the generator passes it to Markdown) is `text`:
        the page the generator announced (`page_markdown`), else the one page with this text.
        An unknown or ambiguous body is an error: a page the pre-build step did not see is never
        passed through unrendered."""
        return lookup_body(self.bodies, text, lang or (self.current[0] if self.current else None), self._take_current())

    def _take_current(self) -> Optional[str]:
        cur, self.current = self.current, None
        return cur[1] if cur else None

    # --- page steps ----------------------------------------------------------------------------
    def check_front_matter(self, markdown: str, meta: dict, p: PageInfo, report: Report) -> str:
        """Front-matter values that reach templates (before lawsite adds its own lawsite_* keys)."""
        path = f"docs/{p.src_uri}"
        for key in list(meta):
            if str(key).startswith("lawsite_") or key in ("report_url", "last_reviewed_iso", "last_reviewed_display"):
                self._error(report, path, self._fm_line(p, str(key)), "sec_reserved_key", key=key)
                meta.pop(key)
        for key in TEXT_KEYS:
            if key in meta and meta[key] is not None:
                problems = security.check_text(meta[key])
                if problems:
                    self._error(report, path, self._fm_line(p, key), "sec_value", key=key, what=", ".join(problems))
                    meta[key] = security.neutral_text(meta[key])
        if "status" in meta and meta["status"] not in STATUS_VALUES:
            self._error(report, path, self._fm_line(p, "status"), "sec_choice", key="status",
                        value=security.neutral_text(meta["status"]), allowed=", ".join(STATUS_VALUES))
            meta.pop("status")
        if "icon" in meta and not (isinstance(meta["icon"], str) and _ICON.fullmatch(meta["icon"])):
            self._error(report, path, self._fm_line(p, "icon"), "sec_choice", key="icon",
                        value=security.neutral_text(meta["icon"]), allowed="material/…")
            meta.pop("icon")
        if "template" in meta and meta["template"] not in PAGE_TEMPLATES:
            self._error(report, path, self._fm_line(p, "template"), "sec_choice", key="template",
                        value=security.neutral_text(meta["template"]), allowed=", ".join(PAGE_TEMPLATES))
            meta.pop("template")
        return markdown

    def page_markdown(self, markdown: str, meta: dict, p: PageInfo, lang: str, report: Report = _ignore) -> str:
        """The page's findings, its template values, and the page announced to the Markdown extension.
        Returns the text to give Markdown: the page's own body, or the page marker when it is blank."""
        b = self.build
        res = b.page(p.src_uri, p.abs_path, content_lang=p.locale)
        self.log(res.findings, report)
        from lawsite.project.frontmatter import refused_keys  # reported (fm_reserved_key); never reach a template

        for key in refused_keys(f"docs/{p.src_uri}", meta, b.project):
            meta.pop(key, None)
        lr = res.meta.get("last_reviewed")
        if hasattr(lr, "isoformat"):
            meta["last_reviewed_iso"] = lr.isoformat()
            meta["last_reviewed_display"] = format_date(lr, lang)
        meta["lawsite_fallback"] = p.locale != lang
        if meta.get("registry"):  # generated document pages list every article: keep the table of contents short
            meta.setdefault("hide", ["toc"])
        if meta["lawsite_fallback"] and (p.edit_url or "").endswith(".en.md"):  # edit the file actually shown
            p.set("edit_url", p.edit_url[:-len(".en.md")] + ".md")
        meta["lawsite_labels"] = L(lang)
        settings = b.project.settings or {}
        depth = p.url.count("/")
        home = "../" * depth if depth else "./"
        meta["report_url"] = settings.get("report_url") or (home + url_prefix(lang) + "ho-tro/")
        self.current = (lang, p.src_uri)
        return markdown if markdown.strip() else PAGE_MARKER.format(src=p.src_uri)

    def faq(self, html: str, meta: dict, lang: str) -> str:
        if meta.get("faq"):
            from lawsite.build.faq import faq_jsonld

            meta["lawsite_jsonld"] = faq_jsonld(html, lang)
        return html

    def page_content(self, html: str, meta: dict, p: PageInfo, lang: str, report: Report) -> str:
        """The allow-list on the rendered body, the JSON-LD re-serialised, table captions."""
        path = f"docs/{p.src_uri}"
        html, removed = security.sanitize(html, tool=security.tool_page(p.src_uri, meta))
        for r in removed:  # what Markdown really produced; lawsite check gives line:col in the source
            where, line = self._locate_any(p, r.needles or (r.needle,))
            self._error(report, where, line, "sec_removed", what=r.what, page=path)
        ld = meta.get("lawsite_jsonld")
        if ld:
            try:
                meta["lawsite_jsonld"] = security.safe_json(json.loads(ld) if isinstance(ld, str) else ld)
            except (ValueError, TypeError):
                meta.pop("lawsite_jsonld")
        url = meta.get("report_url")
        if url and not security.url_ok(url, schemes=("https",)):
            self._error(report, *self._locate_data("report_url"), "sec_url", key="report_url", value=security.neutral_text(url))
            depth = p.url.count("/")
            meta["report_url"] = ("../" * depth if depth else "./") + url_prefix(lang) + "ho-tro/"
        meta["lawsite_cites"] = 'class="cite"' in html  # the disclaimer also shows on a page that cites law
        html = htmlfix.phone_tables(htmlfix.caption_tables(html))
        for head in htmlfix.uncaptioned_tables(html):
            report("warning", f"docs/{p.src_uri}: table '{head} …' has no caption — put a bold line "
                              f"(**Bảng: …** / **Table: …**) right before it")
        return html

    def alternates(self, context: Any, meta: dict, p: PageInfo, site_url: str) -> Any:
        """hreflang alternates only for languages in which the page really exists (not fallbacks)."""
        alts = []
        site = site_url or "/"
        for lang, locale, url in sorted(p.alternates, key=lambda a: a[0] != "vi"):
            if locale == lang:
                alts.append({"lang": lang, "href": site + url})
        if not alts and p.locale:
            alts.append({"lang": p.locale, "href": site + p.url})
        meta["lawsite_alternates"] = alts
        return context

    def review_date(self, context: Any, meta: dict, p: PageInfo, site_url: str) -> Any:
        """Sitemap dates from the content (front matter last_reviewed), not from the clock."""
        lr = meta.get("last_reviewed")
        if isinstance(lr, (dt.date, str)) and str(lr):
            date = lr.isoformat() if isinstance(lr, dt.date) else str(lr)[:10]
            p.set("update_date", date)
            for url in {p.canonical_url, p.abs_url, (site_url or "") + p.url}:
                if url:
                    self.reviewed[url] = date
        return context

    def search_page(self, html: str, meta: dict, p: PageInfo, lang: str) -> str:
        from lawsite.build.search import excluded_by_front_matter, expired_label, mark_page

        return mark_page(html, fallback=bool(meta.get("lawsite_fallback")), section=p.section or "",
                         excluded=excluded_by_front_matter(meta),
                         expired=expired_label(self.root / "mkdocs.yml", meta, lang, self.build.project if self.build else None))

    def finished_page(self, html: str, where: str, theme: Theme, report: Report, p: Optional[PageInfo] = None,
                      content: Optional[str] = None) -> str:
        """Every finished page (templates included) checked against the allow-list, then given the CSP."""
        hashes = self.theme_hashes(theme)
        chrome = html.replace(content, "", 1) if content else html  # the body was checked already
        for what, needle in security.check_page(chrome, hashes):
            path, line = self._locate(p, needle) if p is not None else (where, 1)
            if p is not None and path == f"docs/{p.src_uri}" and line == 1:
                hit = self._search_fronts(needle)
                if hit:
                    path, line = hit
            self._error(report, path, line, "sec_page", what=what, page=where)
        return htmlfix.inject_csp(html, hashes)

    def theme_hashes(self, theme: Theme) -> set[str]:
        """The theme's own inline scripts (its templates and overrides/), rendered for every base URL
        the site has: computed from the template files, never from a finished page."""
        if self.hashes is None:
            import jinja2
            from jinja2 import meta as jmeta

            env = theme.get_env()
            docs = Path(theme.docs_dir)
            depth = max((len(q.relative_to(docs).parts) for q in docs.rglob("*.md")), default=1)
            langs = 2  # a language prefix (/en/) adds one level
            bases = {"."} | {"/".join([".."] * d) for d in range(1, depth + langs + 1)}
            bases.add(urlsplit(theme.site_url or "/").path or "/")

            def render(src: str):
                try:
                    names = jmeta.find_undeclared_variables(env.parse(src))
                except jinja2.TemplateError:
                    return []
                if not names <= {"config", "base_url"}:
                    return []  # depends on a page's own values: not one of the theme's fixed scripts
                tpl = env.from_string(src)
                if "base_url" in names:
                    return [tpl.render(config=theme.config, base_url=b) for b in sorted(bases)]
                return [tpl.render(config=theme.config)]

            self.hashes = htmlfix.theme_script_hashes([Path(d) for d in theme.dirs], render)
        return self.hashes

    # --- source locations of a finding -----------------------------------------------------------
    def _fm_line(self, p: PageInfo, key: str) -> int:
        text = self._source(p)
        m = re.search(rf"^\s*-?\s*{re.escape(key)}\s*:", text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else 1

    def _source(self, p: PageInfo) -> str:
        src = p.abs_path
        if src not in self.sources:
            try:
                self.sources[src] = Path(src).read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
            except OSError:
                self.sources[src] = ""
        return self.sources[src]

    def _locate_any(self, p: PageInfo, needles) -> tuple[str, int]:
        """The most specific needle first: the page's source, then the data files, for each."""
        path = f"docs/{p.src_uri}"
        text = self._source(p)
        for n in needles:
            if not n:
                continue
            i = text.lower().find(n.lower())
            if i >= 0:
                return path, text.count("\n", 0, i) + 1
            hit = self._search_data(n) if len(n) >= 4 else None
            if hit:
                return hit
        return path, 1

    def _locate(self, p: PageInfo, needle: str) -> tuple[str, int]:
        """The file and line the offending markup comes from: the page's own source (body or front
        matter), else the data files (registry titles, site settings, figures), else the page."""
        return self._locate_any(p, (needle,))

    def _search_data(self, needle: str):
        for q in sorted((self.root / "data").rglob("*.yaml")):
            if q.is_symlink():
                continue
            key = str(q)
            if key not in self.sources:
                self.sources[key] = q.read_text("utf-8", errors="replace")
            text = self.sources[key]
            i = text.lower().find(needle.lower())
            if i >= 0:
                return q.relative_to(self.root).as_posix(), text.count("\n", 0, i) + 1
        return None

    def _locate_data(self, key: str) -> tuple[str, int]:
        return self._search_data(key + ":") or ("data/site.yaml", 1)

    def _search_fronts(self, needle: str):
        """A page's front matter is printed on other pages (navigation): find the page it comes from."""
        docs = self.root / "docs"
        for q in sorted(docs.rglob("*.md")):
            if q.is_symlink():
                continue
            key = str(q)
            if key not in self.sources:
                self.sources[key] = q.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
            text = self.sources[key]
            end = text.find("\n---", 3) if text.startswith("---") else -1
            i = text.lower().find(needle.lower(), 0, max(end, 0))
            if i >= 0:
                return f"docs/{q.relative_to(docs).as_posix()}", text.count("\n", 0, i) + 1
        return None

    # --- the interface settings (templates) ------------------------------------------------------
    def ui_config(self, config, lang: str, site_url: str, error: type[Exception] = StepError) -> None:
        """The production-build check, developer links off unless data/site.yaml turns them on.
        `config` is the generator's configuration as a mapping (repo_url, edit_uri, extra, theme)."""
        from lawsite.build.deploy import production_error, ui_settings

        project = load_project(self.root)
        settings = project.settings or {}
        site_yaml = project.root / "data" / "site.yaml"
        err = production_error(settings, site_url, site_yaml.read_text("utf-8") if site_yaml.is_file() else "",
                               L(self.msg_lang)["ui"])
        if err:
            raise error(err)
        ui = ui_settings(settings, lang, L(lang)["ui"])
        features = config["theme"].get("features") or []
        if not ui["show_edit_link"]:
            for f in ("content.action.edit", "content.action.view"):
                if f in features:
                    features.remove(f)
        if not ui["show_repo_link"] and not ui["show_edit_link"]:
            config["repo_url"] = None  # no repository link in the header or the drawer, no edit links
            config["edit_uri"] = None
        config["extra"]["generator"] = ui["show_made_with"]

    def ui_globals(self, env, lang: str):
        """The province's settings for the templates (a Jinja environment's globals)."""
        from lawsite.build.deploy import ui_settings

        labels = L(lang)["ui"]
        env.globals["lawsite_ui"] = {**ui_settings(load_project(self.root).settings or {}, lang, labels),
                                     "labels": labels, "lang": lang}
        return env

    # --- post-build step ---------------------------------------------------------------------------
    def post_language(self, site_dir: str, lang: str, langs: list[str], default_lang: str, site_url: str,
                      report: Report) -> None:
        """After each language build: one 404 page per language (the i18n build writes one and the last
        language overwrites it); after the last one, the staff summary and the sitemap pruning."""
        later = [x for x in langs if x != default_lang]
        if lang == (later[-1] if later else langs[-1]):  # the last language build: the whole site is written
            self.staff_summary(site_dir, site_url, report)
        src = os.path.join(site_dir, "404.html")
        keep = os.path.join(site_dir, ".404-vi.html")
        if not os.path.exists(src):
            return
        if is_default(lang):
            shutil.copyfile(src, keep)
        else:
            os.makedirs(os.path.join(site_dir, lang), exist_ok=True)
            os.replace(src, os.path.join(site_dir, lang, "404.html"))
            if os.path.exists(keep):
                os.replace(keep, src)

    def staff_summary(self, site_dir: str, site_url: str, report: Report) -> None:
        """INFO only (an outdated translation must never block an urgent Vietnamese update): each outdated
        translation by file, the review-due count; untranslated English URLs leave the sitemap."""
        from lawsite.site.status import build_summary, fallback_urls, prune_sitemap

        from lawsite.build.sitebuild import docs_state
        from lawsite.page import diskcache

        project = self.build.project if self.build else load_project(self.root)
        findings, due = diskcache.memo(  # LAWSITE_CACHE=1: kept by the pages' bytes (+ engine and data)
            project, "build-summary", (self.msg_lang, project.today.isoformat(), docs_state(project)),
            lambda: build_summary(project, self.msg_lang),
            valid=lambda v: isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], list) and isinstance(v[1], str))
        self.log(findings, report)
        if due:
            report("info", due)
        prune_sitemap(site_dir, site_url or "/", fallback_urls(project))

    def post_search(self, site_dir: str, report: Report, error: type[Exception] = StepError) -> None:
        """Pagefind over the finished site (and its re-cut), then the readers' search words."""
        from lawsite.build.search import SearchData, SearchIndexError, index_site, write_search_words

        tables = self.build.project.cache("search-tables") if self.build else {}  # data/search/ parsed once per build
        data = SearchData(self.root / "data", tables, self.build.project.glossary.entries if self.build else None)
        try:
            result = index_site(site_dir, data)
        except SearchIndexError as e:
            raise error(str(e))
        try:
            write_search_words(site_dir, data)
        except SearchIndexError as e:
            raise error(str(e))
        report("info", result.summary())
        for w in result.warnings:
            report("warning", w)

    def post_html(self, site_dir: str, theme_hashes: Optional[set[str]] = None) -> None:
        """Sitemap dates from the content, the `.gz` copy, and `_headers` with the same CSP as the pages."""
        site = Path(site_dir)
        sitemap = site / "sitemap.xml"
        if sitemap.is_file():  # the i18n sitemap is rendered before the other language's pages exist
            sitemap.write_text(htmlfix.fix_sitemap(sitemap.read_text("utf-8"), self.reviewed), encoding="utf-8")
            htmlfix.write_sitemap_gz(site)
        hashes = self.hashes if theme_hashes is None else theme_hashes
        if hashes is not None:
            (site / "_headers").write_text(htmlfix.headers_file(hashes), encoding="utf-8")

    def post_feeds(self, site_dir: str, site_url: str, names: dict[str, str], default_lang: str, report: Report,
                   error: type[Exception] = StepError) -> None:
        """The Atom feeds, then Material's stylesheet without the rules nothing on the site uses."""
        from lawsite.build.cssprune import prune_site
        from lawsite.build.feeds import write_feeds

        try:
            written = write_feeds(load_project(self.root), site_dir, site_url or "/", names, default_lang)
        except OSError as e:
            raise error(f"feeds: {e}")
        report("info", "feeds: " + ", ".join(written))
        sizes = prune_site(site_dir)
        if sizes:
            report("info", f"stylesheet: {sizes[0] // 1024} KiB -> {sizes[1] // 1024} KiB (unused Material rules dropped)")

    def post(self, site_dir: str, *, site_url: str, names: dict[str, str], default_lang: str = "vi",
             report: Report = _ignore, error: type[Exception] = StepError) -> None:
        """The whole post-build step over a built folder, in the order the MkDocs hooks run it."""
        self.staff_summary(site_dir, site_url, report)
        if not self.reviewed:  # no page events told the dates: read them from the pages' front matter
            self.reviewed = self.reviewed_dates(site_url, list(names) or ["vi"], default_lang)
        self.post_search(site_dir, report, error)
        self.post_html(site_dir, _headers_hashes(Path(site_dir)))
        self.post_feeds(site_dir, site_url, names, default_lang, report, error)


    def reviewed_dates(self, site_url: str, langs: list[str], default_lang: str = "vi") -> dict[str, str]:
        """Page URL -> last_reviewed of every page of every language build (what `review_date` collects)."""
        from lawsite.page.process import process_page

        project = self.build.project if self.build else load_project(self.root)
        out = {}
        for lang in langs:
            for p in language_pages(project.docs_dir, lang, default_lang):
                res = process_page(project, f"docs/{p.src_uri}", Path(p.abs_path).read_bytes(), lang=p.locale,
                                   src_uri=p.src_uri)
                lr = res.meta.get("last_reviewed")
                if isinstance(lr, (dt.date, str)) and str(lr):
                    out[(site_url or "") + p.url] = lr.isoformat() if isinstance(lr, dt.date) else str(lr)[:10]
        return out


def _headers_hashes(site: Path) -> Optional[set[str]]:
    """The theme's script hashes a generator's build already used: those of `_headers`, else those of the
    home page's CSP (None: neither has one, `_headers` is left out)."""
    if (site / "_headers").is_file():
        return set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", (site / "_headers").read_text("utf-8", errors="replace")))
    if (site / "index.html").is_file() and "data-lawsite-csp" in (site / "index.html").read_text("utf-8", errors="replace"):
        return htmlfix.hashes_in_file(site / "index.html")
    return None


def _under(p: Path, d: Path) -> bool:
    try:
        Path(os.path.abspath(p)).relative_to(os.path.abspath(d))
        return True
    except ValueError:
        return False


# --- the body index: how the Markdown extension finds the page it renders ------------------------------

class UnknownBody(LawsiteError):
    pass


def lookup_body(bodies: dict[str, dict[str, Body]], text: str, lang: Optional[str], current: Optional[str]) -> str:
    key = body_key(text)
    m = _MARKER.fullmatch(text.strip())
    langs = [lang] if lang else list(bodies)
    if m:  # a blank page, named by its marker line
        for lg in langs:
            hit = bodies.get(lg, {}).get(m.group(1))
            if hit is not None:
                return hit.text
        raise UnknownBody(f"docs/{m.group(1)}: not seen by the pre-build step (language {lang or '?'}); "
                          f"run `python -m lawsite.build.steps pre` before the generator")
    if current is not None:  # the generator said which page this is (MkDocs: on_page_markdown)
        hit = bodies.get(lang or "", {}).get(current)
        if hit is not None:  # rendered from the file, as the hooks always did, even if a plugin or a front
            return hit.text  # matter MkDocs could not read changed the text it passes
        raise UnknownBody(f"docs/{current}: not seen by the pre-build step (language {lang or '?'})")
    hits = {h.text: h.src_uri for lg in langs for h in bodies.get(lg, {}).values() if h.key == key}
    if len(hits) == 1:
        return next(iter(hits))
    if not hits:
        first = next((ln for ln in text.splitlines() if ln.strip()), "")[:60]
        raise UnknownBody(f"a page body the pre-build step did not see (language {lang or '?'}, first line "
                          f"{first!r}): run `python -m lawsite.build.steps pre` before the generator, or build with mkdocs")
    raise UnknownBody("the same page body in " + ", ".join(f"docs/{s}" for s in sorted(hits.values()))
                      + " renders differently and the generator did not say which page it renders")


def load_index(root: Path, lang: Optional[str]) -> dict[str, dict[str, Body]]:
    """The body index written by `python -m lawsite.build.steps pre` (for a generator in another process)."""
    folder = Path(root) / BODY_INDEX
    out: dict[str, dict[str, Body]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text("utf-8"))
        if lang and data.get("lang") != lang:
            continue
        out[data["lang"]] = {s: Body(s, v["key"], v["text"]) for s, v in data["pages"].items()}
    return out


_SITES: dict[str, Site] = {}  # project root -> the Site of the build running in this process


def site_for(root: str | Path, *, fresh: bool = False) -> Site:
    """The Site of the build of `root` running in this process (one is made on first use). This table
    is the bridge between the generator's events and the Markdown extension, which the generator
    instantiates on its own and which cannot be handed an object; `fresh` starts a new build."""
    key = str(root)
    if not fresh and key in _SITES:  # already a resolved key (the hooks pass the same path every call)
        return _SITES[key]
    key = str(Path(root).resolve())
    if fresh or key not in _SITES:
        _SITES[key] = Site(key)
    return _SITES[key]


def forget_sites() -> None:
    _SITES.clear()


def active_site() -> Optional[Site]:
    """The Site whose build is running in this process (the most recent one), if any."""
    return next(reversed(_SITES.values()), None)


# --- without a generator's events: the pages of each language build ------------------------------------

def page_url(src_uri: str) -> str:
    """The directory URL a generator gives a page: a/b.md -> a/b/, a/index.md -> a/, index.md -> ''."""
    stem = src_uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-len("index")]
        return stem
    return stem + "/"


def language_pages(docs_dir: Path, lang: str, default_lang: str = "vi") -> list[PageInfo]:
    """The pages of one language build as mkdocs-static-i18n (suffix structure, fallback to the default
    language) makes them: `x.<lang>.md` where it exists, else `x.md` shown as a fallback."""
    docs_dir = Path(docs_dir)
    out = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        parts = rel[:-3].rsplit(".", 1)
        if len(parts) == 2 and len(parts[1]) == 2:
            continue  # a translation; taken below for its language
        base = rel
        locale = default_lang
        if lang != default_lang:
            tr = rel[:-3] + f".{lang}.md"
            if (docs_dir / tr).is_file():
                base, locale = tr, lang
        prefix = "" if lang == default_lang else f"{lang}/"
        out.append(PageInfo(base, str(docs_dir / base), locale, prefix + page_url(rel)))
    return out


def pre(root: Path, langs: Iterable[str] = ("vi", "en"), report: Report = _ignore, error: type[Exception] = StepError,
        write: bool = True) -> Site:
    """The whole pre-build step without a generator: every language's pages checked and rendered into
    the body index (also written to disk when `write`)."""
    site = site_for(root, fresh=True)
    docs = site.root / "docs"
    site.check_docs(str(docs), error)
    for lang in langs:
        site.load(lang, error)
        pages = language_pages(docs, lang)
        refused = set(site.publishable([(p.src_uri, p.abs_path, p.url, p.url, True) for p in pages], str(docs), report))
        site.pages([p for p in pages if p.src_uri not in refused], lang, report, error, log_pages=True)
    if site.build is not None:  # outdated translations, review-due count (INFO: never blocks a build)
        from lawsite.site.status import build_summary

        findings, due = build_summary(site.build.project, site.msg_lang)
        site.log(findings, report)
        if due:
            report("info", due)
    if write:
        site.write_index()
    return site


def _cli_report(level: str, message: str) -> None:
    if level != "info" or os.environ.get("LAWSITE_VERBOSE"):
        print(f"{level.upper()}: {message}", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawsite.build.steps", description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=("pre", "post"))
    ap.add_argument("--site", default="site", help="the built folder (post), relative to the project")
    ap.add_argument("--site-url", default=None, help="the site's address (default: site_url of data/site.yaml or /)")
    args = ap.parse_args(argv)
    errors: list[str] = []

    def report(level: str, message: str) -> None:
        if level == "error":
            errors.append(message)
        _cli_report(level, message)

    try:
        root = find_root()
        if args.step == "pre":
            site = pre(root, report=report)
            print(f"pre-build: {sum(len(b) for b in site.bodies.values())} page bodies in {root / BODY_INDEX}")
        else:
            dest = root / args.site
            if not (dest / "index.html").is_file():
                raise StepError(f"{dest}: no built site here (index.html missing)")
            site = site_for(root, fresh=True)
            site.load("vi")
            names = {"vi": "", "en": ""}
            names.update(_site_names(root))
            site.post(str(dest), site_url=args.site_url or _site_url(root), names=names, report=report)
            print(f"post-build: {dest} done")
    except (StepError, LawsiteError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return 1 if errors else 0


def _config(root: Path) -> dict:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def env(loader, node):  # !ENV VAR or !ENV [VAR, ..., default], as MkDocs reads it
        names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
        for name in names[:-1] if len(names) > 1 else names:
            if name in os.environ:
                return os.environ[name]
        return names[-1] if len(names) > 1 else None

    Loader.add_constructor("!ENV", env)
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name: tags of mkdocs.yml
    return yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=Loader) or {}


def _site_url(root: Path) -> str:
    return _config(root).get("site_url") or "/"


def _site_names(root: Path) -> dict[str, str]:
    """Each built language's site name, from the i18n plugin's settings in mkdocs.yml."""
    cfg = _config(root)
    out = {}
    for plugin in cfg.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for lang in (plugin["i18n"] or {}).get("languages") or []:
                if lang.get("build", True):
                    out[lang["locale"]] = lang.get("site_name") or cfg.get("site_name") or ""
    return out or {"vi": cfg.get("site_name") or ""}


if __name__ == "__main__":
    sys.exit(main())
