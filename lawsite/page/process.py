"""Check one Markdown page and (optionally) render it: front matter, encoding, safety, figures,
citations. Used by the MkDocs hook (render=True) and by `lawsite check` (render=False)."""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import difflib
import re
from dataclasses import dataclass, field
from typing import Optional

import yaml

from lawsite.core.yamlio import load as _yload

from lawsite.cite.model import Citation
from lawsite.cite.parse import get_parser
from lawsite.cite.render import render_link
from lawsite.cite.resolve import Problem, resolve
from lawsite.cite.validate import validate
from lawsite.project.figures import FIGURE_RE, RAW_AMOUNT_RE, fill_figures, render_figure
from lawsite.core.findings import Finding, Localized
from lawsite.core.l10n import as_date, page_lang
from lawsite.project.loader import Project
from lawsite.core.security import scan_markup, tool_page
from lawsite.core.text import LineIndex, mask, nfc, split_front_matter

REQUIRED = {
    "title": Localized(vi="Ví dụ: title: Cấp hộ chiếu phổ thông", en="For example: title: Getting an ordinary passport"),
    "description": Localized(vi="Một câu tóm tắt trang (hiện trong kết quả tìm kiếm).", en="One sentence summing up the page (shown in search results)."),
    "last_reviewed": Localized(vi="Ngày rà soát gần nhất, ví dụ: last_reviewed: 2026-11-22", en="The date of the last review, e.g. last_reviewed: 2026-11-22"),
}
CARD_KEYS = ["for", "where", "online", "papers", "time_limit", "fee", "result", "legal_basis"]
MAX_PAGE_BYTES = 1_000_000


@dataclass
class PageResult:
    path: str
    lang: str
    meta: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    figures: set = field(default_factory=set)
    markdown: Optional[str] = None  # rendered body (render=True)
    body_start: int = 1
    headings2: list[str] = field(default_factory=list)
    future_changes: list[Problem] = field(default_factory=list)
    source_text: str = ""  # NFC, LF text

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def provision_keys(self) -> set[str]:
        out = set()
        for c in self.citations:
            if c.document is None:
                continue
            if not c.provisions:
                out.add(c.document.number)
            for p in c.provisions:
                out.add(f"{c.document.number} {p.key()}".strip())
        return out


def decode(raw: bytes, path: str) -> tuple[Optional[str], list[Finding]]:
    findings = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        findings.append(Finding(path, 1, 1, "info", "enc_bom"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        findings.append(Finding(path, line, 1, "error", "enc_not_utf8", {"offset": e.start}))
        return None, findings
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text), findings


def _line_of_key(yaml_text: str, key: str) -> int:
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*:", yaml_text, re.M)  # [ \t]: \s would cross lines (quadratic)
    return yaml_text.count("\n", 0, m.start()) + 2 if m else 1


def check_front_matter(path: str, yaml_text: Optional[str], project: Project, today: dt.date,
                       registry_page: bool = False) -> tuple[dict, list[Finding]]:
    """The page's front matter against the schema (lawsite/project/frontmatter.py): strict YAML (no duplicate
    keys, no aliases), allowed keys only, reserved keys only on the generated pages, types, dates,
    registry numbers. Every finding names the line of the key."""
    from lawsite.project.frontmatter import schema_findings
    from lawsite.core.settings import yaml_finding

    f: list[Finding] = []
    if yaml_text is None:
        return {}, [Finding(path, 1, 1, "error", "fm_missing")]
    try:
        meta = _yload(yaml_text) if yaml_text.strip() else {}
    except (yaml.YAMLError, ValueError) as e:  # ValueError: kept for safety (impossible dates are YAML errors now)
        return {}, [yaml_finding(path, e, line_offset=1, prefix="fm")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return {}, [Finding(path, 2, 1, "error", "fm_not_mapping")]
    f += schema_findings(path, yaml_text, meta, project)
    for key, hint in REQUIRED.items():
        if key not in meta or meta[key] in (None, ""):
            f.append(Finding(path, 1, 1, "error", "fm_missing_key", {"key": key, "key_hint": hint}))
    lr = meta.get("last_reviewed")
    if lr not in (None, ""):
        parsed = as_date(lr) if isinstance(lr, (dt.date, str)) else None
        if parsed is None:
            f.append(Finding(path, _line_of_key(yaml_text, "last_reviewed"), 1, "error", "fm_bad_date", {"key": "last_reviewed", "value": str(lr)}))
        lr = parsed
        if isinstance(lr, dt.date):
            meta["last_reviewed"] = lr
            if lr > today:
                f.append(Finding(path, _line_of_key(yaml_text, "last_reviewed"), 1, "error", "fm_future_date", {"key": "last_reviewed", "value": lr.isoformat()}))
    docs = meta.get("documents", [])
    if docs in (None, ""):
        docs = []
    if isinstance(docs, str):
        docs = [docs]
    if not isinstance(docs, list):
        docs = []  # reported by the schema (fm_bad_value)
    docs = [n for n in docs if isinstance(n, str)]  # other items: reported by the schema
    for n in docs:
        if project.registry.get(n) is None:
            f.append(Finding(path, _line_of_key(yaml_text, "documents"), 1, "error", "fm_unknown_document", {"number": n}))
    meta["documents"] = docs
    if "registry" in meta and project.registry.get(str(meta["registry"])) is None:
        f.append(Finding(path, _line_of_key(yaml_text, "registry"), 1, "error", "registry_page_unknown", {"number": meta["registry"]}))
    proc = meta.get("procedure")
    if proc is not None and not isinstance(proc, dict):
        meta["procedure"] = None  # reported by the schema
    from lawsite.project.frontmatter import check_changes  # `changes:` entries (page history)
    f += check_changes(path, yaml_text, meta, today)
    return meta, f


def _suggest(key: str, keys) -> str:
    m = difflib.get_close_matches(key, list(keys), n=1)
    return f" ({m[0]}?)" if m else ""


# linear: neither part can run past the start of the next "<a" (no nested links in HTML anyway)
_HTML_A = re.compile(r"<a\b[^<>]*>(?:(?!<a\b).)*?</a\s*>", re.S | re.I)
_RESULTS_MAX = 4096


def clear_cache(project: Optional[Project] = None) -> None:
    """Forget memoised page results (benchmarks; long-running processes): those of one project, or
    of every project load_project holds."""
    from lawsite.project.loader import loaded_projects

    for p in [project] if project is not None else loaded_projects():
        p.cache("page_results").clear()


def process_page(project: Project, path: str, raw: bytes | str, *, lang: Optional[str] = None,
                 render: bool = False, date: Optional[dt.date] = None, src_uri: Optional[str] = None) -> PageResult:
    """Check (and render) one page. ``path`` is what messages show; ``src_uri`` is the docs-relative path.

    Results are memoised on (project, page, content, language, date): a build asks for the same page
    several times (its own render, the translation pair, the review list, the status page). A rendered
    result also answers a check-only request. Callers must treat results as read-only."""
    lang = lang or page_lang(path)
    src_uri = src_uri or path
    digest = hashlib.blake2b(raw if isinstance(raw, bytes) else raw.encode("utf-8"), digest_size=16).digest()
    results = project.cache("page_results")  # lives as long as the project (its data)
    base = (project.today, path, src_uri, lang, date, digest)
    hit = results.get(base + (True,)) or (None if render else results.get(base + (False,)))
    if hit is not None:
        return hit
    from lawsite.page import diskcache

    disk = diskcache.key(project, base + (render,)) if diskcache.enabled() else None
    res = diskcache.load(project, disk) if disk else None
    if res is None:
        res = _process_page(project, path, raw, lang=lang, render=render, date=date, src_uri=src_uri)
        if disk:
            diskcache.store(project, disk, res)
    if len(results) >= _RESULTS_MAX:
        results.clear()
    results[base + (render,)] = res
    return res


def _process_page(project: Project, path: str, raw: bytes | str, *, lang: str,
                  render: bool, date: Optional[dt.date], src_uri: str) -> PageResult:
    lang = lang or page_lang(path)
    src_uri = src_uri or path
    res = PageResult(path, lang)
    today = project.today
    if isinstance(raw, bytes):
        if len(raw) > MAX_PAGE_BYTES:
            res.findings.append(Finding(path, 1, 1, "error", "page_too_large", {"size": f"{len(raw) / 1e6:.1f}"}))
            return res
        text, fnd = decode(raw, path)
        res.findings += fnd
        if text is None:
            return res
    else:
        text = nfc(raw.replace("\r\n", "\n"))
    res.source_text = text
    yaml_text, body, body_line = split_front_matter(text)
    from lawsite.project.visa import expand_markers  # generated visa-exemption list and options (one line each)

    body = expand_markers(body, project, lang)
    res.body_start = body_line
    meta, fnd = check_front_matter(path, yaml_text, project, today)
    res.meta = meta
    res.findings += fnd
    if any(f.code in ("fm_yaml", "fm_not_mapping", "fm_duplicate_key", "fm_yaml_alias", "fm_yaml_date") for f in fnd):
        return res
    from lawsite.project.penalty_acts import expand_markers  # generated one-line blocks (data/penalty-acts.yaml), checked below

    body, fnd = expand_markers(project, body, lang, path, body_line, tool=tool_page(path.removeprefix("docs/"), meta))
    res.findings += fnd
    stripped = body.strip()
    if not stripped and "registry" not in meta and not meta.get("generated"):
        res.findings.append(Finding(path, body_line, 1, "error", "page_empty"))
    elif stripped and all(l.lstrip().startswith("#") or not l.strip() for l in stripped.splitlines()):
        res.findings.append(Finding(path, body_line, 1, "error", "page_heading_only"))
    idx = LineIndex(body)

    def at(offset: int) -> tuple[int, int]:
        line, col = idx.pos(offset)
        return line + body_line - 1, col

    # safety: raw HTML and dangerous URLs
    for off, what in scan_markup(body, tool=tool_page(path.removeprefix("docs/"), meta)):
        ln, col = at(off)
        res.findings.append(Finding(path, ln, col, "error", "sec_forbidden", {"what": what}))
    masked = mask(body, tags=True)
    for m in re.finditer(r"^#\s", masked, re.M):
        ln, col = at(m.start())
        res.findings.append(Finding(path, ln, col, "error", "page_h1"))
    res.headings2 = [m.group(1).strip() for m in re.finditer(r"^##\s+(.+?)\s*$", masked, re.M)]
    replacements: list[tuple[int, int, str]] = []
    # figures
    for m in FIGURE_RE.finditer(masked):
        key, part = m.group("key"), m.group("part")
        fig = project.figures.get(key)
        ln, col = at(m.start())
        res.figures.add(key)
        if fig is None:
            res.findings.append(Finding(path, ln, col, "error", "fig_unknown", {"key": key, "suggestion": _suggest(key, project.figures.items)}))
            continue
        if not fig.publishable:
            res.findings.append(Finding(path, ln, col, "error", "fig_unpublishable", {"key": key, "confidence": fig.confidence}))
            continue
        if part and not fig.kind.endswith("_range"):
            res.findings.append(Finding(path, ln, col, "error", "fig_bad_part", {"key": key, "part": part}))
            continue
        replacements.append((m.start(), m.end(), render_figure(fig, lang, part)))
    no_figs = FIGURE_RE.sub(lambda m: " " * len(m.group(0)), masked)
    for m in RAW_AMOUNT_RE.finditer(no_figs):
        ln, col = at(m.start())
        res.findings.append(Finding(path, ln, col, "error", "fig_raw_amount", {"text": m.group(0).strip()}))
    # citations
    parser = get_parser(lang, project.aliases(lang))
    cites = parser.parse(body, masked=masked)
    heading_lines = {m.start() for m in re.finditer(r"^#{1,6}\s.*$", body, re.M)}
    # link texts: Markdown "[text](" and inline HTML "<a …>text</a>" (citations there are not linked again)
    link_spans = sorted([(m.start(), m.end()) for m in re.finditer(r"\[[^\[\]\n]*\]\(", body)]
                        + [(m.start(), m.end()) for m in _HTML_A.finditer(body)])
    link_starts = [a for a, _ in link_spans]
    for c in cites:
        line_start = body.rfind("\n", 0, c.start) + 1
        c.in_heading = line_start in heading_lines
        i = bisect.bisect_right(link_starts, c.start) - 1  # spans do not overlap: only the last one can hold it
        c.in_link = i >= 0 and c.start < link_spans[i][1]
    probs = resolve(cites, project.registry, meta.get("documents", []))
    reviewed = meta.get("last_reviewed") if isinstance(meta.get("last_reviewed"), dt.date) else None
    on = date or reviewed or today
    probs += validate([c for c in cites if c.document is not None], project.registry, on=on, today=today,
                      reviewed=None if date else reviewed)
    bad = set()
    for p in probs:
        ln, col = at(p.citation.start)
        if p.severity == "error":
            bad.add(id(p.citation))
        if p.code == "cite_future_change":
            res.future_changes.append(p)
        res.findings.append(Finding(path, ln, col, p.severity, p.code, p.params))
    res.citations = list(cites)  # the card's citations are added below; the body renders only `cites`
    res.findings += __import__('lawsite.page.figcheck', fromlist=['check_page']).check_page(project, path, meta, lang, masked, cites, at, yaml_text)  # docpages: figure/provision, summaries
    # card legal basis and figures in the card
    proc = meta.get("procedure")
    if isinstance(proc, dict):
        basis = proc.get("legal_basis") or []
        if isinstance(basis, str):
            basis = [basis]
        for item in basis:
            item = nfc(str(item))
            line = _line_of_key(yaml_text or "", "legal_basis")
            cc = parser.parse(item)
            pp = resolve(cc, project.registry, meta.get("documents", []))
            pp += validate([c for c in cc if c.document is not None], project.registry, on=on, today=today)
            for p in pp:
                res.findings.append(Finding(path, line, 1, p.severity, p.code, p.params))
            res.citations += cc
        for k, v in proc.items():
            for m in FIGURE_RE.finditer(str(v)):
                res.figures.add(m.group("key"))
                if project.figures.get(m.group("key")) is None:
                    res.findings.append(Finding(path, _line_of_key(yaml_text or "", k), 1, "error", "fig_unknown", {"key": m.group("key"), "suggestion": _suggest(m.group("key"), project.figures.items)}))
    from lawsite.page.summarycheck import missing_summaries  # mends8: a cited clause of a read text has its summary

    card_line = _line_of_key(yaml_text or "", "legal_basis")
    res.findings += missing_summaries(project, path, lang, [(c, at(c.start)) for c in cites]
                                      + [(c, (card_line, 1)) for c in res.citations[len(cites):]])
    from lawsite.project.frontmatter import documents_findings  # a page citing law lists its documents

    res.findings += documents_findings(path, meta, res.citations)
    if render:
        for c in cites:
            if c.document is None or id(c) in bad or c.in_heading or c.in_link:
                continue
            replacements.append((c.start, c.end, render_link(c, lang, src_uri)))
        out = body
        for s, e, new in sorted(replacements, key=lambda r: r[0], reverse=True):
            out = out[:s] + new + out[e:]
        res.markdown = out
    return res


def render_inline(project: Project, text: str, lang: str, src_uri: str) -> str:
    """Render figures and citations inside a short text (procedure card values)."""
    text = nfc(str(text))

    text = fill_figures(text, project.figures, lang)
    parser = get_parser(lang, project.aliases(lang))
    cites = parser.parse(text)
    resolve(cites, project.registry, [])
    for c in sorted(cites, key=lambda c: c.start, reverse=True):
        if c.document is not None:
            text = text[:c.start] + render_link(c, lang, src_uri) + text[c.end:]
    return text
