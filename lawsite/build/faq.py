"""schema.org FAQPage JSON-LD from a rendered Q&A page: each <h3> is a question, the content up
to the next heading is its answer."""
from __future__ import annotations

import json
import re
from html import unescape

_H = re.compile(r"<h([23])[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    html = re.sub(r'<a class="headerlink".*?</a>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ", html))).strip()


def faq_jsonld(html: str, lang: str) -> str | None:
    items = []
    heads = list(_H.finditer(html))
    for i, m in enumerate(heads):
        if m.group(1) != "3":
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(html)
        q, a = _text(m.group(2)), _text(html[m.end():end])
        if q and a:
            items.append({"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}})
    if not items:
        return None
    data = {"@context": "https://schema.org", "@type": "FAQPage", "inLanguage": lang, "mainEntity": items}
    # safe inside <script>: no "</" sequence can close the element
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
