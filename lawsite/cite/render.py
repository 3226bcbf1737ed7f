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

from ..registry import Document
from .model import Citation, Provision
from .names import doc_name, provision_text

ANCHOR = "dieu-{article}"


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


def html_href(doc: Document, article: str | None, page_src: str) -> str:
    """The URL of the document page (and article anchor) relative to the page served from page_src."""
    target = posixpath.relpath(f"van-ban/{doc.slug}", page_dir(page_src)) + "/"
    return target + (f"#{ANCHOR.format(article=article)}" if article else "")


def tooltip(c: Citation, lang: str) -> str:
    doc: Document = c.document
    arts = [p.article for p in c.provisions if p.article]
    first = arts[0] if arts else None
    a = doc.article(first) if first else None
    name = doc_name(doc, lang)
    if a is None:
        return f"{name}: {getattr(doc.title, lang)}"
    article = provision_text(Provision(a.number), lang)  # "Điều 21" / "Article 21", from the grammar table
    return f"{name}, {article}. {getattr(a.title, lang)}"


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
    attrs += [("href", html_href(doc, first, page_src)), ("title", title)]
    attr_text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    return f"<a {attr_text}>{html.escape(c.text, quote=False)}</a>"
