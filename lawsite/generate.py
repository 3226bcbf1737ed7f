"""Markdown generated from data: legal-document pages, the documents index, procedure cards,
notices. Language differences come from labels.yaml."""
from __future__ import annotations

import datetime as dt
import functools
import html
from importlib import resources

import yaml

from .yamlio import load as _yload

from .cite.model import Provision
from .cite.names import doc_name, provision_text
from .cite.resolve import article_key
from .l10n import format_date
from .registry import Document, Registry


@functools.lru_cache(maxsize=None)
def labels() -> dict:
    return _yload(resources.files("lawsite").joinpath("labels.yaml").read_text("utf-8"))


def L(lang: str) -> dict:
    return labels()[lang]


def status_label(status: str, lang: str) -> str:
    return status if lang == "vi" else labels()["status_en"].get(status, status)


def type_label(t: str, lang: str) -> str:
    return t if lang == "vi" else labels()["type_en"].get(t, t)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def document_page(doc: Document, registry: Registry, lang: str, today: dt.date,
                  cited_by: dict[str, list[tuple[str, str]]], page_src: str) -> str:
    """Body of docs/van-ban/<slug>(.en).md. cited_by: provision label -> [(page title, md link)]."""
    lab = L(lang)["doc"]
    fd = lambda d: format_date(d, lang)  # noqa: E731
    title = doc.title.vi if lang == "vi" else doc.title.en
    rows = [
        (lab["number"], doc.number if lang == "vi" else doc.number.replace("Đ", "D")),
        (lab["type"], type_label(doc.type, lang)),
        (lab["issuer"], doc.issuer.vi if lang == "vi" else doc.issuer.en),
    ]
    if doc.signed:
        rows.append((lab["signed"], fd(doc.signed)))
    rows.append((lab["effective"], fd(doc.effective)))
    if doc.end:
        rows.append((lab["end"], fd(doc.end)))
    rows.append((lab["status"], f"**{status_label(doc.status_on(today), lang)}** ({fd(today)})"))
    extra = []
    def link_to(number: str) -> str:
        d = registry.get(number)
        if d is None:
            return number
        import posixpath
        target = posixpath.relpath(f"van-ban/{d.slug}.md", posixpath.dirname(page_src))
        return f"[{doc_name(d, lang)}]({target})"
    if doc.replaced_by:
        extra.append((lab["replaced_by"], f"{link_to(doc.replaced_by.number)} ({fd(doc.replaced_by.date)})"))
    if doc.replaces:
        extra.append((lab["replaces"], ", ".join(link_to(n) for n in doc.replaces)))
    if doc.amended_by:
        items = []
        for ch in doc.amended_by:
            note = (" — " + (ch.note.vi if lang == "vi" else ch.note.en)) if ch.note else ""
            items.append(f"{link_to(ch.by)} ({fd(ch.date)}){note}")
        extra.append((lab["amended_by"], "<br>".join(items)))
    extra.append((lab["confidence"], lab["confidence_values"][doc.confidence] + (f" — {_md_escape(doc.verified_source)}" if doc.verified_source else "")))
    out = [f"**{_md_escape(title)}**", "", f"**{lab['facts']}**", "", f"| {lab['field']} | {lab['value']} |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows + extra]
    out.append("")
    if doc.notes:
        out += [f"!!! note \"{lab['notes']}\"", "    " + (doc.notes.vi if lang == "vi" else doc.notes.en), ""]
    future = sorted({(c.date, c.by) for c in doc.amended_by if c.date > today})
    for d, by in future:
        out += ["!!! info \"" + L(lang)["future_title"] + "\"", "    " + lab["future"].format(date=fd(d), by=by), ""]
    off = [s for s in doc.sources if s.kind == "official"]
    sec = [s for s in doc.sources if s.kind == "secondary"]
    if off:
        out += [f"## {lab['sources']} {{ #van-ban-chinh-thuc }}", ""] + [f"- <{s.url}>" + (f" — {s.label}" if s.label else "") for s in off] + [""]
    if sec:
        out += [f"## {lab['secondary']} {{ #nguon-khac }}", ""] + [f"- <{s.url}>" + (f" — {s.label}" if s.label else "") for s in sec] + [""]
    out += [f"## {lab['cited_by']} {{ #trang-trich-dan }}", ""]
    if cited_by:
        out += [f"**{lab['cited_by_caption']}**", "", f"| {lab['provision']} | {lab['pages']} |", "|---|---|"]
        for prov in sorted(cited_by, key=lambda p: (p != lab["whole"], article_key(p.split()[-1]) if p != lab["whole"] else (0, ""), p)):
            pages = sorted(set(cited_by[prov]))
            out.append(f"| {prov} | " + "<br>".join(f"[{_md_escape(t)}]({u})" for t, u in pages) + " |")
        out.append("")
    else:
        out += [lab["not_cited"], ""]
    if doc.articles:
        out += [f"## {lab['articles']} {{ #cac-dieu }}", ""]
        for a in sorted(doc.articles, key=lambda a: article_key(a.number)):
            heading = provision_text(Provision(a.number), lang)  # "Điều 21" / "Article 21" (grammar table)
            out.append(f"### {heading}. {_md_escape(getattr(a.title, lang))} {{ #dieu-{a.number} }}")
            out.append("")
            facts = []
            if a.clauses is not None:
                if not a.clauses:
                    facts.append(lab["no_clauses"])
                else:
                    parts = []
                    for c in a.clauses:
                        s = c.number
                        if c.points:
                            pts = [("dd" if p.letter == "đ" and lang == "en" else p.letter) for p in c.points]
                            s += f" ({lab['points']} {pts[0]}–{pts[-1]})" if len(pts) > 2 else f" ({lab['points']} {', '.join(pts)})"
                        if c.repealed:
                            s += " — " + lab["repealed"].format(date=fd(c.repealed))
                        elif c.added:
                            s += " — " + lab["added"].format(date=fd(c.added), by=c.added_by or "?")
                        parts.append(s)
                    facts.append(f"{len(a.clauses)} {lab['clauses']}: " + "; ".join(parts))
            if a.added:
                facts.append(lab["added"].format(date=fd(a.added), by=a.added_by or "?"))
            if a.repealed:
                facts.append(lab["repealed"].format(date=fd(a.repealed)))
            for ch in a.amended:
                facts.append(lab["amended"].format(date=fd(ch.date), by=ch.by))
            if facts:
                out += ["; ".join(facts[:1]) + ("" if len(facts) == 1 else ". " + "; ".join(facts[1:])) + ".", ""]
    return "\n".join(out)


def documents_index(registry: Registry, lang: str, today: dt.date, page_src: str) -> str:
    lab = L(lang)["doc"]
    import posixpath
    rows = [f"**{lab['index_caption']}**", "", f"| {lab['index_number']} | {lab['index_title']} | {lab['index_status']} |", "|---|---|---|"]
    for d in sorted(registry, key=lambda d: (d.end is not None, d.type, -d.effective.toordinal())):
        target = posixpath.relpath(f"van-ban/{d.slug}.md", posixpath.dirname(page_src))
        title = d.title.vi if lang == "vi" else d.title.en
        num = d.number if lang == "vi" else d.number.replace("Đ", "D")
        rows.append(f"| [{num}]({target}) | {_md_escape(title)} | {status_label(d.status_on(today), lang)} |")
    return "\n".join(rows) + "\n"


# Answer first (issue 14): who, where, time limit and fee come first, then the online service as a
# button; the papers, the result and the legal basis follow.
CARD_ORDER = ["for", "where", "time_limit", "fee", "online", "papers", "result", "legal_basis"]


def procedure_card(card: dict, lang: str, render_inline) -> str:
    lab = L(lang)
    out = [f'<section class="procedure-card" markdown="1" aria-labelledby="procedure-card-title">',
           "", f'<h2 id="procedure-card-title" class="procedure-card__title">{html.escape(lab["card_title"])}</h2>', ""]
    for key in CARD_ORDER:
        if key not in card or card[key] in (None, "", []):
            continue
        val = card[key]
        if key == "online" and str(val).startswith(("https://", "http://")):  # GOV.UK's "Start now" button
            url = html.escape(str(val), quote=True)
            host = html.escape(str(val).split("//", 1)[-1].split("/", 1)[0])
            out += [f'<p class="procedure-card__online"><a class="md-button md-button--primary lawsite-start" '
                    f'href="{url}" rel="noopener">{html.escape(lab["card_start"])}</a> '
                    f'<span class="procedure-card__host">{html.escape(lab["card"]["online"])}: {host}</span></p>', ""]
            continue
        out.append(lab["card"][key])
        if key == "online":  # not a web address: shown as text
            val = html.escape(str(val))
        if isinstance(val, list):
            out.append(":   " + render_inline(str(val[0])) if len(val) == 1 else ":   " + "\n\n    ".join(f"- {render_inline(str(v))}" for v in val))
        else:
            out.append(":   " + render_inline(str(val)))
        out.append("")
    out += ["</section>", ""]
    return "\n".join(out)
