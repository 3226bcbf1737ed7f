"""Render: each citation becomes a link to the document's page on this site, anchored at the article,
with the article title (in the page's language) as hover/focus text and machine-readable attributes
(document, article, clause, point).

The link is written as inline HTML, not as a Markdown link with an attribute list: Python-Markdown
passes inline HTML through untouched, which keeps the build fast on citation-dense pages. Its URL is
computed here for directory URLs (`use_directory_urls: true`): a page `a/b.md` is served at `a/b/`,
`a/index.md` at `a/`, and each language has its own tree, so the relative path is the same in both."""
from __future__ import annotations

import html
import posixpath

from lawsite.project.registry import Document
from lawsite.cite.model import Citation, Provision
from lawsite.cite.names import doc_name, provision_text

ANCHOR = "dieu-{article}"


def anchor_id(article: str, clause: str | None = None, point: str | None = None) -> str:
    """The id of a unit on its document page, the same in both languages: dieu-21, dieu-21-khoan-2,
    dieu-21-khoan-2-diem-dd (đ written dd)."""
    out = ANCHOR.format(article=article)
    if clause:
        out += f"-khoan-{clause}"
        if point:
            out += "-diem-" + ("dd" if point == "đ" else point)
    return out


def citation_anchor(provisions: list[Provision]) -> str | None:
    """The most precise anchor for a citation: the unit all its provisions share (one provision: itself;
    points a and b of clause 2: the clause), else the first provision's article."""
    ps = [p for p in provisions if p.article]
    if not ps:
        return None
    first = ps[0]
    if all(p.article == first.article for p in ps):
        if all(p.clause == first.clause for p in ps) and first.clause:
            if all(p.point == first.point for p in ps):
                return anchor_id(first.article, first.clause, first.point)
            return anchor_id(first.article, first.clause)
    return anchor_id(first.article)


def page_dir(page_src: str) -> str:
    """The served folder of a docs-relative source: 'a/b.md' -> 'a/b', 'a/index.en.md' -> 'a'."""
    stem = page_src[:-3] if page_src.endswith(".md") else page_src
    if stem.endswith(".en") or stem.endswith(".vi"):
        stem = stem[:-3]
    if stem == "index":
        return "."
    if stem.endswith("/index"):
        return stem[: -len("/index")]
    return stem


def html_href(doc: Document, article: str | None, page_src: str, anchor: str | None = None) -> str:
    """The URL of the document page (and unit anchor) relative to the page served from page_src."""
    target = posixpath.relpath(f"van-ban/{doc.slug}", page_dir(page_src)) + "/"
    anchor = anchor or (ANCHOR.format(article=article) if article else None)
    return target + (f"#{anchor}" if anchor else "")


def tooltip(c: Citation, lang: str) -> str:
    doc: Document = c.document
    arts = [p.article for p in c.provisions if p.article]
    first = arts[0] if arts else None
    a = doc.article(first) if first else None
    name = doc_name(doc, lang)
    if a is None:
        return f"{name}: {doc.title.get(lang)}"
    article = provision_text(Provision(a.number), lang)  # "Điều 21" / "Article 21", from the grammar table
    return f"{name}, {article}. {a.title.get(lang)}"


def render_link(c: Citation, lang: str, page_src: str) -> str:
    doc: Document = c.document
    arts = sorted({p.article for p in c.provisions if p.article})
    first = c.provisions[0].article if c.provisions else None
    title = tooltip(c, lang)
    attrs = [("class", "cite"), ("data-doc", doc.number)]
    if len(arts) == 1:
        attrs.append(("data-article", arts[0]))
        ps = c.provisions
        if len(ps) == 1 and ps[0].clause:
            attrs.append(("data-clause", ps[0].clause))
            if ps[0].point:
                attrs.append(("data-point", ps[0].point))
    elif arts:
        attrs.append(("data-articles", " ".join(arts)))
    attrs += [("href", html_href(doc, first, page_src, citation_anchor(c.provisions))), ("title", title)]
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    return f"<a {attr_text}>{html.escape(c.text, quote=False)}</a>"
