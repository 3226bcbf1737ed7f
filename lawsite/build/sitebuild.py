"""Build-time state for one language build: every page checked and rendered once, the index of
who cites what (backlinks, impact), and the generated bodies. No MkDocs import: the hooks pass
plain paths and strings."""
from __future__ import annotations

import hashlib
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lawsite.cite.names import provision_text
from lawsite.core.findings import Finding
from lawsite.generate.blocks import L, document_page, documents_index, procedure_card
from lawsite.core.l10n import counterpart, format_date, is_default
from lawsite.page import diskcache
from lawsite.page.process import PageResult, process_page, render_inline
from lawsite.site.parity import TranslationStatus, translation_status  # noqa: F401 (re-exported: sitebuild.translation_status)
from lawsite.site.status import status_markdown
from lawsite.site.changes import LEGAL_MARKER, history_section, legal_changes_block
from lawsite.project.loader import Project


@dataclass
class Build:
    project: Project
    lang: str
    pages: dict[str, PageResult] = field(default_factory=dict)  # src_uri -> result (rendered)
    titles: dict[str, str] = field(default_factory=dict)
    cited: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    units: dict[str, set] = field(default_factory=lambda: defaultdict(set))  # doc number -> {(article, clause, point)} cited

    def page(self, src_uri: str, abs_path: str, *, content_lang: str) -> PageResult:
        key = f"{src_uri}|{content_lang}"
        if key not in self.pages:
            raw = Path(abs_path).read_bytes()
            self.pages[key] = process_page(self.project, f"docs/{src_uri}", raw, lang=content_lang, render=True, src_uri=src_uri)
        return self.pages[key]

    def pair_findings(self) -> list[Finding]:
        """Parity and glossary findings for every English page of this build and its Vietnamese source."""
        from lawsite.site.parity import check_glossary, check_pair

        out: list[Finding] = []
        for key, res in list(self.pages.items()):
            src_uri, content_lang = key.split("|")
            if content_lang != "en" or not src_uri.endswith(".en.md"):
                continue
            vi_src = counterpart(src_uri)
            vi_path = self.project.docs_dir / vi_src
            if not vi_path.is_file():
                out.append(Finding(f"docs/{src_uri}", 1, 1, "error", "page_no_source", {"path": f"docs/{src_uri}", "source": f"docs/{vi_src}"}))
                continue
            vi = process_page(self.project, f"docs/{vi_src}", vi_path.read_bytes(), lang="vi", src_uri=vi_src)
            out += check_pair(vi, res) + check_glossary(self.project, res)
        return out

    def index_citations(self, src_uri: str, res: PageResult, url_src: str) -> None:
        whole = L(self.lang)["doc"]["whole"]
        title = str(res.meta.get("title") or src_uri)
        for c in res.citations:
            doc = c.document
            if doc is None:
                continue
            provs = c.provisions or [None]
            for p in provs:
                label = whole if p is None else provision_text(p, self.lang)
                label = label[:1].upper() + label[1:]
                self.cited[doc.number][label].append((title, url_src))
                if p is not None:
                    self.units[doc.number].add((p.article, p.clause, p.point))

    def links_for(self, number: str, page_src: str) -> dict[str, list[tuple[str, str]]]:
        out = {}
        for label, items in self.cited.get(number, {}).items():
            out[label] = [(t, posixpath.relpath(u, posixpath.dirname(page_src))) for t, u in items]
        return out

    # --- what the hook writes into a page ----------------------------------------------------
    def render_body(self, src_uri: str, res: PageResult, *, is_fallback: bool, report_url: str, vi_href: str = "") -> str:
        lang = self.lang
        content_lang = res.lang
        meta = res.meta
        parts = []
        if is_fallback:
            lab = L(lang)  # the language of the build, shown the default language's text
            parts += [f'!!! warning "{lab["fallback_title"]}"', "    " + lab["fallback_body"].format(report=report_url), ""]
        elif not is_default(lang):
            parts += self.outdated_notice(src_uri, vi_href)
        if res.future_changes:
            lab = L(content_lang)
            items = []
            for p in res.future_changes:
                pr = p.params
                items.append("    - " + lab["future_item"].format(provision=pr["provision"].get(content_lang), doc=pr["doc"].get(content_lang),
                                                               date=format_date(pr["changed"], content_lang), by=pr["by"]))
            parts += [f'!!! info "{lab["future_title"]}"', ""] + sorted(set(items)) + [""]
        card = meta.get("procedure")
        body = res.markdown or ""
        if isinstance(card, dict):
            parts.append(self.procedure_body(card, content_lang, src_uri))
        if meta.get("registry"):
            doc = self.project.registry.get(str(meta["registry"]))
            if doc is not None:
                body = body + "\n\n" + self.document_body(doc, content_lang, src_uri)
        if src_uri.startswith("van-ban/index"):
            body = body + "\n\n" + documents_index(self.project.registry, content_lang, self.project.today, src_uri)
        if "<!-- province-contacts -->" in body:
            body = body.replace("<!-- province-contacts -->", province_block(self.project.settings, content_lang))
        body = extend_body(self, src_uri, res, body)
        text = "\n".join(parts) + "\n" + body
        if is_fallback:
            text = f'<div lang="vi" markdown="1">\n\n{text}\n\n</div>'
        return text

    def document_body(self, doc, lang: str, src_uri: str) -> str:
        """The generated body of a legal document's page. With LAWSITE_CACHE=1 kept on disk
        (lawsite.page.diskcache.memo: engine + every data file) by everything else it reads: the
        document, the language, the build date, the page's address and which pages cite what of it."""
        units = self.units.get(doc.number, set())
        cited = [(label, list(items)) for label, items in self.cited.get(doc.number, {}).items()]
        today = self.project.today
        return diskcache.memo(
            self.project, "document-page", (doc.number, lang, today.isoformat(), src_uri, cited, sorted(repr(u) for u in units)),
            lambda: document_page(doc, self.project.registry, lang, today, self.links_for(doc.number, src_uri), src_uri,
                                  cited_units=units, project=self.project),
            valid=lambda v: isinstance(v, str))

    def procedure_body(self, card: dict, lang: str, src_uri: str) -> str:
        """The procedure card of a page (front matter `procedure:`). With LAWSITE_CACHE=1 kept on disk
        (diskcache.memo: engine + every data file) by the card's values, the language, the build date
        and the page's address (its citations are rendered relative to it)."""
        return diskcache.memo(
            self.project, "procedure-card", (repr(card), lang, self.project.today.isoformat(), src_uri),
            lambda: procedure_card(card, lang, lambda t: render_inline(self.project, t, lang, src_uri)),
            valid=lambda v: isinstance(v, str))

    def outdated_notice(self, src_uri: str, vi_href: str) -> list[str]:
        status = translation_status(self.project, src_uri)
        if status.state != "outdated":
            return []
        lab = L("en")
        date = format_date(status.vi_reviewed, "en") if status.vi_reviewed else "recently"
        return [f'!!! warning "{lab["outdated_title"]}"',
                f"    The Vietnamese version of this page was updated on {date}; this translation may be out of date. "
                f'Read the <a href="{vi_href}" hreflang="vi" lang="vi">Vietnamese version</a> for the current text.', ""]


def province_block(settings: dict, lang: str) -> str:
    prov = (settings or {}).get("province") or {}

    def val(v):
        if isinstance(v, dict):
            return (v.get(lang) or "").strip()
        return (str(v) if v else "").strip()

    labels = L(lang)["province"]  # labels.yaml
    lines = []
    for key, label in labels.items():
        v = val(prov.get(key))
        if not v:
            continue  # an empty setting hides its line: never invent a contact
        if key == "zalo_url":
            v = f"<{v}>"
        elif key == "email":
            v = f"<{v}>"
        elif key == "hotline":
            v = f"[{v}](tel:{''.join(ch for ch in v if ch.isdigit() or ch == '+')})"
        lines.append(f"- **{label}:** {v}")
    name = val(prov.get("name"))
    if not lines:  # never a dead end (issue 14): say so, and give the verified national channels
        ui = L(lang)["ui"]
        out = [f'!!! warning "{ui["province_missing_title"]}"', "", "    " + ui["province_missing"], ""]
        out += [f"    - [{c['name']}]({c['url']})" for c in ui["national"]]
        return "\n".join(out) + "\n"
    head = f"**{name}**\n\n" if name else ""
    return head + "\n".join(lines) + "\n"


def docs_state(project: Project) -> list[tuple[str, bool, str]]:
    """(path, is a symlink, hash of the bytes) of every file under docs/: the part of a disk-memo key
    for a whole-site step that reads the pages (translation status, review dates)."""
    docs = Path(project.docs_dir)
    files = []
    for p in sorted(docs.rglob("*")):
        if p.is_symlink() or p.is_file():
            data = b"" if p.is_symlink() else p.read_bytes()
            files.append((p.relative_to(docs).as_posix(), p.is_symlink(), hashlib.blake2b(data, digest_size=20).hexdigest()))
    return files


def staff_status(project: Project, lang: str, src_uri: str) -> str:
    """The staff status page's generated part (status_markdown). With LAWSITE_CACHE=1 kept on disk
    (lawsite.page.diskcache.memo: engine + every data file) by what else it reads: every file under
    docs/ (name and bytes: translation status, review dates, audits of the pages), the build date,
    the language and the page's address."""
    return diskcache.memo(project, "staff-status", (lang, src_uri, project.today.isoformat(), docs_state(project)),
                          lambda: status_markdown(project, lang, src_uri), valid=lambda v: isinstance(v, str))


def extend_body(build, src_uri: str, res, body: str) -> str:
    """Generated parts of a page body, called by sitebuild.Build.render_body: the staff status page
    (front matter `generated: staff-status`), the legal changes at the marker line on the news
    index, and the page history from `changes:` at the end."""
    lang = res.lang
    meta = res.meta
    project = build.project
    if meta.get("generated") == "staff-status":
        body = body.rstrip() + "\n\n" + staff_status(project, lang, src_uri)
    if LEGAL_MARKER in body:
        pages = [r for r in build.pages.values()]
        body = body.replace(LEGAL_MARKER, legal_changes_block(project.registry, lang, project.today, pages, src_uri))
    history = history_section(meta.get("changes"), lang)
    if history:
        body = body.rstrip() + "\n\n" + history
    return body
