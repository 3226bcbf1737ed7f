"""Render: each citation becomes a Markdown link to the document's page on this site, anchored at
the article, with the article title (in the page's language) as hover/focus text and
machine-readable attributes (document, article, clause, point)."""
from __future__ import annotations

import html
import posixpath

from ..registry import Document
from .model import Citation
from .names import doc_name

ANCHOR = "dieu-{article}"


def doc_page(doc: Document) -> str:
    return f"van-ban/{doc.slug}.md"


def href(doc: Document, article: str | None, page_src: str) -> str:
    """A relative Markdown link from page_src (docs-relative) to the document page."""
    target = posixpath.relpath(doc_page(doc), posixpath.dirname(page_src) or ".")
    return target + (f"#{ANCHOR.format(article=article)}" if article else "")


def tooltip(c: Citation, lang: str) -> str:
    doc: Document = c.document
    arts = [p.article for p in c.provisions if p.article]
    first = arts[0] if arts else None
    a = doc.article(first) if first else None
    name = doc_name(doc, lang)
    if a is None:
        return f"{name}: {doc.title.vi if lang == 'vi' else doc.title.en}"
    word = "Điều" if lang == "vi" else "Article"
    return f"{name}, {word} {a.number}. {a.title.vi if lang == 'vi' else a.title.en}"


def render_link(c: Citation, lang: str, page_src: str) -> str:
    doc: Document = c.document
    arts = sorted({p.article for p in c.provisions if p.article})
    first = c.provisions[0].article if c.provisions else None
    url = href(doc, first, page_src)
    title = tooltip(c, lang).replace('"', "'")
    text = c.text.replace("[", "\\[").replace("]", "\\]")
    attrs = [".cite", f'data-doc="{html.escape(doc.number)}"']
    if len(arts) == 1:
        attrs.append(f'data-article="{arts[0]}"')
        ps = c.provisions
        if len(ps) == 1 and ps[0].clause:
            attrs.append(f'data-clause="{ps[0].clause}"')
            if ps[0].point:
                attrs.append(f'data-point="{ps[0].point}"')
    elif arts:
        attrs.append(f'data-articles="{" ".join(arts)}"')
    return f'[{text}]({url} "{title}"){{ {" ".join(attrs)} }}'
