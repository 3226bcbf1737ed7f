"""Markdown generated from data: legal-document pages, the documents index, procedure cards,
notices. Language differences come from labels.yaml."""
from __future__ import annotations

import datetime as dt
import html
import math
import posixpath
import re
from typing import Optional



from lawsite.cite.model import Provision
from lawsite.cite.names import display_number, doc_name, point_letter, provision_text  # noqa: F401 (re-exported)
from lawsite.cite.render import anchor_id
from lawsite.cite.resolve import article_key
from lawsite.core.l10n import D, L, format_date, labels  # noqa: F401 (re-exported: generate.L, generate.D)
from lawsite.project.registry import Document, Registry


def status_label(status: str, lang: str) -> str:
    """The registry's status (written in the language of the texts) as shown in `lang` (labels.yaml)."""
    return (labels()["status_labels"].get(lang) or {}).get(status, status)


def type_label(t: str, lang: str) -> str:
    return (labels()["type_labels"].get(lang) or {}).get(t, t)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def _status_key(doc: Document, today: dt.date) -> str:
    """in_force | partly | not_yet | ended (on the build date)."""
    st = doc.status_on(today)
    if st == "chưa có hiệu lực":
        return "not_yet"
    if st == "hết hiệu lực toàn bộ":
        return "ended"
    return "partly" if st in ("hết hiệu lực một phần", "ngưng hiệu lực một phần") else "in_force"


def _doc_link(registry: Registry, number: str, page_src: str, lang: str) -> str:
    d = registry.get(number)
    if d is None:
        return number
    target = posixpath.relpath(f"van-ban/{d.slug}.md", posixpath.dirname(page_src))
    return f"[{doc_name(d, lang)}]({target})"


def status_banner(doc: Document, registry: Registry, lang: str, today: dt.date, page_src: str) -> list[str]:
    """The status on the build date as an admonition at the top of the page, with the official text
    (or where to search for it)."""
    dl = D(lang)
    fd = lambda d: format_date(d, lang)  # noqa: E731
    key = _status_key(doc, today)
    kind = {"in_force": "success", "partly": "warning", "not_yet": "warning", "ended": "danger"}[key]
    if doc.effective is None and key != "ended":
        title = dl["banner"]["unknown"]
        lines = [dl["banner_unknown"].format(status=status_label(doc.status_on(today), lang), today=fd(today))]
        kind = "warning"
    else:
        title = dl["banner"][key]
        if key == "ended":
            lines = [dl["banner_ended"].format(end=fd(doc.end))]
        elif key == "not_yet":
            lines = [dl["banner_not_yet"].format(effective=fd(doc.effective), today=fd(today))]
        elif key == "partly":
            lines = [dl["banner_partly"].format(today=fd(today))]
        else:
            lines = [dl["banner_in_force"].format(today=fd(today), effective=fd(doc.effective))]
    if doc.replaced_by and doc.replaced_by.date <= today:
        lines.append(dl["banner_replaced"].format(by=_doc_link(registry, doc.replaced_by.number, page_src, lang),
                                                  date=fd(doc.replaced_by.date)))
    off = [s for s in doc.sources if s.kind == "official"]
    if off:
        lines.append(dl["official"] + " " + ", ".join(f"<{s.url}>" for s in off))
    else:
        lines.append(dl["search_official"].format(number=doc.number))
    out = [f'!!! {kind} doc-status "{title}"', ""]
    out += ["    " + " ".join(lines[:-1]), "", "    " + lines[-1], ""] if len(lines) > 1 else ["    " + lines[0], ""]
    return out


def _points_html(art: str, clause: str, points, lang: str, fd) -> str:
    items = []
    for p in points:
        shown = point_letter(p.letter, lang)
        s = f'<span id="{anchor_id(art, clause, p.letter)}">{shown}</span>'
        if p.repealed:
            s += " (" + L(lang)["doc"]["repealed"].format(date=fd(p.repealed)) + ")"
        items.append(s)
    return ", ".join(items)


def _clause_state(c, lang: str, fd) -> str:
    lab = L(lang)["doc"]
    if c.repealed:
        return " — " + lab["repealed"].format(date=fd(c.repealed))
    if c.added:
        return " — " + lab["added"].format(date=fd(c.added), by=c.added_by or "?")
    return ""


def _article_body(a, body: list[str], lang: str, fd, lab, dl, summaries, project, cited_clauses, cited_articles) -> None:
    """The lines under an article's heading: its history, then its cited clauses with their summary and
    the outline of the others."""
    from lawsite.project.summaries import render_summary
    facts = []
    if a.added:
        facts.append(lab["added"].format(date=fd(a.added), by=a.added_by or "?"))
    if a.repealed:
        facts.append(lab["repealed"].format(date=fd(a.repealed)))
    for ch in a.amended:
        facts.append(lab["amended"].format(date=fd(ch.date), by=ch.by))
    if a.clauses is not None and not a.clauses:
        facts.insert(0, lab["no_clauses"])
    if facts:
        body += [facts[0][:1].upper() + facts[0][1:] + ("" if len(facts) == 1 else "; " + "; ".join(facts[1:])) + ".", ""]
    if summaries is not None and not a.clauses and a.number in cited_articles:
        text = summaries.get(a.number)
        if text:
            body += [f'<p class="clause-summary" data-provision="{a.number}">{render_summary(text, project.figures, lang)}</p>', ""]
    if not a.clauses:
        return
    listed, rest = [], []
    for c in a.clauses:
        pts = f" ({dl['points']} {_points_html(a.number, c.number, c.points, lang, fd)})" if c.points else ""
        if (a.number, c.number) in cited_clauses and summaries is not None:
            text = summaries.get(a.number, c.number)
            summary = render_summary(text, project.figures, lang) if text else dl["summary_missing"]
            cls = "clause-summary" if text else "clause-summary clause-summary--missing"
            listed.append(f'- <span id="{anchor_id(a.number, c.number)}"></span>**{dl["clause"]} {c.number}**{pts}{_clause_state(c, lang, fd)}: '
                          f'<span class="{cls}" data-provision="{a.number}.{c.number}">{summary}</span>')
        else:
            rest.append(f'<span id="{anchor_id(a.number, c.number)}">{c.number}</span>{pts}{_clause_state(c, lang, fd)}')
    if listed:
        body += listed + [""]
    if rest:
        body += [(dl["other_clauses"] if listed else dl["clauses_outline"]) + " " + "; ".join(rest) + ".", ""]


# Phone text lines an article's section takes (heading, history, clauses): its placeholder height
# until it is laid out (site.css, .lawsite-article: content-visibility), so the page keeps about its
# length and a #fragment lands where it will stay.
_LINE_CHARS = 42


def _text_lines(md_lines: list[str]) -> int:
    n = 0
    for line in md_lines:
        text = html.unescape(re.sub(r"<[^>]+>|\*\*|\{[^}]*\}", "", line)).strip()
        if text:
            n += math.ceil((len(text) + 4) / _LINE_CHARS)
    return n


# the size classes site.css knows (lawsite-lines-N sets --l: N, its phone text lines); a section takes the nearest
LINE_BUCKETS = (2, 3, 4, 6, 8, 11, 16, 22, 32, 45, 64, 90, 128)


def _article_section(heading: str, body: list[str]) -> list[str]:
    """One article in its own <section> (md_in_html): the browser lays out and styles a section only
    when it comes near the screen (site.css), which on a long document is most of the page's load work;
    find-in-page, #fragments, print and screen readers see all of it. (No style attribute: the page
    sanitizer refuses them; a size class instead.)"""
    lines = _text_lines(body) + max(1, _text_lines([heading]))
    size = min(LINE_BUCKETS, key=lambda b: (abs(math.log(b / lines)), b))
    return [f'<section class="lawsite-article lawsite-lines-{size}" markdown>', "", heading, ""] + body + ["</section>", ""]


def document_page(doc: Document, registry: Registry, lang: str, today: dt.date,
                  cited_by: dict[str, list[tuple[str, str]]], page_src: str,
                  cited_units: Optional[set] = None, project=None) -> str:
    """Body of docs/van-ban/<slug>(.en).md: status banner, contents, facts, articles (with a summary at
    each cited clause), then the pages that cite it (collapsed). cited_by: provision label -> [(page
    title, md link)]; cited_units: {(article, clause, point)} cited by the site's pages."""
    lab = L(lang)["doc"]
    dl = D(lang)
    fd = lambda d: format_date(d, lang)  # noqa: E731
    title = doc.title.get(lang)
    cited_units = cited_units or set()
    cited_clauses = {(a, c) for a, c, _ in cited_units if a and c}
    cited_articles = {a for a, c, _ in cited_units if a}
    rows = [
        (lab["number"], display_number(doc, lang)),
        (lab["type"], type_label(doc.type, lang)),
        (lab["issuer"], doc.issuer.get(lang)),
    ]
    if doc.signed:
        rows.append((lab["signed"], fd(doc.signed)))
    rows.append((lab["effective"], fd(doc.effective) if doc.effective else dl["unknown_date"]))
    if doc.end:
        rows.append((lab["end"], fd(doc.end)))
    rows.append((lab["status"], f"{status_label(doc.status_on(today), lang)} ({fd(today)})"))
    extra = []
    if doc.replaced_by:
        extra.append((lab["replaced_by"], f"{_doc_link(registry, doc.replaced_by.number, page_src, lang)} ({fd(doc.replaced_by.date)})"))
    if doc.replaces:
        extra.append((lab["replaces"], ", ".join(_doc_link(registry, n, page_src, lang) for n in doc.replaces)))
    if doc.amended_by:
        items = []
        for ch in doc.amended_by:
            note = (" — " + ch.note.get(lang)) if ch.note else ""
            items.append(f"{_doc_link(registry, ch.by, page_src, lang)} ({fd(ch.date)}){note}")
        extra.append((lab["amended_by"], "<br>".join(items)))
    # the badge only where the text itself was read (VT); where it came from otherwise is on the staff page
    conf = dl["verified"] if doc.confidence == "VT" else lab["confidence_values"][doc.confidence]
    extra.append((lab["confidence"], f"**{conf}**" if doc.confidence == "VT" else conf))
    out = status_banner(doc, registry, lang, today, page_src)
    out += [f"**{_md_escape(title)}**", ""]
    # contents
    toc = [f"- [{dl['facts']}](#thong-tin)"]
    if doc.articles:
        toc.append(f"- [{dl['articles']}](#cac-dieu)")
    toc.append(f"- [{dl['cited_by']}](#trang-trich-dan)")
    out += [f"**{dl['contents']}**", ""] + toc + [""]
    out += [f"## {dl['facts']} {{ #thong-tin }}", "", f"**{lab['facts']}**", "", f"| {lab['field']} | {lab['value']} |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows + extra]
    out.append("")
    future = sorted({(c.date, c.by) for c in doc.amended_by if c.date > today})
    for d, by in future:
        out += ["!!! info \"" + L(lang)["future_title"] + "\"", "    " + lab["future"].format(date=fd(d), by=by), ""]
    # secondary sources and notes (which site, which copy) are verification records: staff status page
    summaries = None
    if project is not None and doc.confidence == "VT":
        from lawsite.project.summaries import load_summaries
        from lawsite.page.figcheck import summary_figure_problems
        summaries = load_summaries(project, lang, doc)
        wrong = summary_figure_problems(project, doc, summaries)  # reported by the check; never shown
        if wrong:
            import dataclasses
            summaries = dataclasses.replace(summaries, items={k: v for k, v in summaries.items.items() if k not in wrong})
    if doc.articles:
        out += [f"## {lab['articles']} {{ #cac-dieu }}", ""]
        out += [dl["text_read"] if doc.confidence == "VT" else dl["text_not_read"], ""]
        arts = sorted(doc.articles, key=lambda a: article_key(a.number))
        out += [dl["go_to_article"] + " " + " · ".join(f"[{a.number}](#{anchor_id(a.number)})" for a in arts), ""]
        for a in arts:
            body: list[str] = []
            _article_body(a, body, lang, fd, lab, dl, summaries, project, cited_clauses, cited_articles)
            heading = provision_text(Provision(a.number), lang)  # "Điều 21" / "Article 21" (grammar table)
            out += _article_section(f"### {heading}. {_md_escape(a.title.get(lang))} {{ #{anchor_id(a.number)} }}", body)
    elif doc.confidence != "VT":
        out += [f"## {lab['articles']} {{ #cac-dieu }}", "", dl["text_not_read"], ""]
    out += [f"## {dl['cited_by']} {{ #trang-trich-dan }}", ""]
    if cited_by:
        n = len({u for items in cited_by.values() for _, u in items})
        out += [f'??? note "{dl["cited_by_open"].format(n=n)}"', "", f"    **{lab['cited_by_caption']}**", "",
                f"    | {lab['provision']} | {lab['pages']} |", "    |---|---|"]
        for prov in sorted(cited_by, key=lambda p: (p != lab["whole"], article_key(p.split()[-1]) if p != lab["whole"] else (0, ""), p)):
            pages = sorted(set(cited_by[prov]))
            out.append(f"    | {prov} | " + "<br>".join(f"[{_md_escape(t)}]({u})" for t, u in pages) + " |")
        out.append("")
    else:
        out += [lab["not_cited"], ""]
    return "\n".join(out)


def documents_index(registry: Registry, lang: str, today: dt.date, page_src: str) -> str:
    """The documents index grouped by status on the build date: in force, not yet in force, no longer
    in force; each with its type and year, newest first."""
    lab = L(lang)["doc"]
    dl = D(lang)
    groups: dict[str, list[Document]] = {"in_force": [], "not_yet": [], "ended": []}
    for d in registry:
        k = _status_key(d, today)
        groups["in_force" if k == "partly" else k].append(d)
    out = []
    anchors = {"in_force": "con-hieu-luc", "not_yet": "chua-co-hieu-luc", "ended": "het-hieu-luc"}
    for key, docs in groups.items():
        name = dl["index_groups"][key]
        out += [f"## {name} ({len(docs)}) {{ #{anchors[key]} }}", ""]
        if not docs:
            out += [dl["index_none"], ""]
            continue
        out += [f"**{dl['index_caption'].format(group=name.lower(), today=format_date(today, lang))}**", "",
                f"| {lab['index_number']} | {dl['index_type']} | {lab['index_title']} | {dl['index_year']} |", "|---|---|---|---|"]
        docs.sort(key=lambda d: (-(d.signed or d.effective or dt.date.min).toordinal(), d.number))
        for d in docs:
            target = posixpath.relpath(f"van-ban/{d.slug}.md", posixpath.dirname(page_src))
            title = d.title.get(lang)
            st = status_label(d.status_on(today), lang) if _status_key(d, today) == "partly" else ""
            if d.effective is None:
                st = (st + "; " if st else "") + dl["index_unknown"]
            year = (d.signed or d.effective)
            out.append(f"| [{display_number(d, lang)}]({target}) | {type_label(d.type, lang)} | {_md_escape(title)}"
                       + (f" ({st})" if st else "") + f" | {year.year if year else '—'} |")
        out.append("")
    return "\n".join(out) + "\n"


# Answer first (issue 14): who, where, time limit and fee come first, then the online service as a
# button; the papers, the result and the legal basis follow.
CARD_ORDER = ["for", "where", "time_limit", "fee", "online", "papers", "result", "legal_basis"]


def procedure_card(card: dict, lang: str, render_inline) -> str:
    lab = L(lang)
    out = ['<section class="procedure-card" markdown="1" aria-labelledby="procedure-card-title">',
           "", f'<h2 id="procedure-card-title" class="procedure-card__title">{html.escape(lab["card_title"])}</h2>', ""]
    for key in CARD_ORDER:
        if key not in card or card[key] in (None, "", []):
            continue
        val = card[key]
        if key == "online" and str(val).startswith(("https://", "http://")):  # GOV.UK's "Start now" button
            url = html.escape(str(val), quote=True)
            host = html.escape(str(val).split("//", 1)[-1].split("/", 1)[0])
            out += [f'<p class="procedure-card__online"><a class="lawsite-start" '
                    f'href="{url}">{html.escape(lab["card_start"])}</a> '
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
