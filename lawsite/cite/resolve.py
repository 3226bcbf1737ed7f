"""Resolve: attach each parsed citation to a registry document and expand article ranges.

Same-document references ("Điều này", "Luật này", "this Decree", or a bare "Điều 21") resolve to
the nearest preceding citation that named a document, else to the page's declared documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..registry import Document, Registry
from ..text import norm_number
from ..findings import Localized
from .model import Citation, DocRef, Provision


def _wrong_date(doc: Document, ref: DocRef):
    """The registry's date (or year) when the stated one disagrees with it, else None."""
    if doc.signed:
        if ref.date and ref.date != doc.signed:
            return doc.signed
        if ref.year and ref.year != doc.signed.year:
            return doc.signed
        return None
    m = re.match(r"\d+(?:\.\d+)?/(\d{4})/", doc.number)  # no signing date: the year in the number
    if m:
        year = int(m.group(1))
        stated = ref.date.year if ref.date else ref.year
        if stated != year:
            return year
    return None


@dataclass
class Problem:
    citation: Citation
    code: str
    params: dict
    severity: str = "error"


def article_key(n: str) -> tuple[int, str]:
    m = re.match(r"(\d+)([a-z]?)", n)
    return (int(m.group(1)), m.group(2)) if m else (0, n)


def lookup_number(registry: Registry, number: str) -> Optional[Document]:
    # registry.get normalises the number (NFC, dashes, đ folding): remember the answers per registry
    cache = registry.__dict__.setdefault("_cite_lookup", {})
    if number not in cache:
        cache[number] = registry.get(number)
    doc = cache[number]
    if doc:
        return doc
    # "Bộ luật Hình sự số 100/2015/QH13" — number alone is enough; also tolerate "năm" forms
    return None


def suggest(registry: Registry, number: str) -> list[str]:
    key = norm_number(number)
    head = key.split("/")[0]
    out = []
    for d in registry:
        k = norm_number(d.number)
        if k.split("/")[0] == head and (len(key) > 4 and (k.startswith(key[: max(4, len(key) - 3)]) or key[:-1] in k)):
            out.append(d.number)
    return out[:3]


def resolve(citations: list[Citation], registry: Registry, page_documents: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    declared = [registry.get(n) for n in page_documents]
    declared = [d for d in declared if d]
    last_doc: Optional[Document] = None
    last_article: Optional[str] = None
    for c in citations:
        if c.problem:
            problems.append(Problem(c, "cite_" + c.problem, dict(c.problem_params)))
            continue
        doc = None
        ref = c.doc
        if ref is None:
            doc = last_doc or (declared[0] if declared else None)
            if doc is None:
                problems.append(Problem(c, "cite_no_document", {"text": c.text}))
                continue
        elif ref.kind == "self":
            same_type = [d for d in ([last_doc] if last_doc else []) + declared if d and d.type == ref.doc_type]
            doc = same_type[0] if same_type else None
            if doc is None:
                problems.append(Problem(c, "cite_no_document", {"text": c.text}))
                continue
        elif ref.kind == "alias":
            aliases = registry.__dict__.setdefault("_cite_aliases", {})
            if c.lang not in aliases:
                aliases[c.lang] = registry.by_alias(c.lang)
            doc = aliases[c.lang].get(ref.alias.lower())
            if doc is None:  # cannot happen: aliases come from the registry
                problems.append(Problem(c, "cite_unknown_document", {"number": ref.alias, "suggestion": ""}))
                continue
            if ref.number and lookup_number(registry, ref.number) is not doc:
                problems.append(Problem(c, "cite_alias_number_mismatch", {"alias": ref.alias, "doc": doc.number, "number": ref.number}))
                continue
        else:
            doc = lookup_number(registry, ref.number)
            if doc is None:
                sug = ", ".join(suggest(registry, ref.number))
                # the suggestion is worded in the reader's language (messages are shown in vi or en)
                suggestion = Localized(vi=f" Có phải {sug}?", en=f" Did you mean {sug}?") if sug else ""
                problems.append(Problem(c, "cite_unknown_document", {"number": ref.number, "suggestion": suggestion}))
                continue
            if doc.needs_date and ref.date is None and ref.year is None:
                problems.append(Problem(c, "cite_needs_date", {"number": ref.number}))
                continue
        if ref is not None and ref.kind in ("number", "alias") and (ref.date or ref.year):
            # a stated date or year ("ngày 14/8/2023", "năm 2015", "dated …") must match the registry
            wrong = _wrong_date(doc, ref)
            if wrong:
                problems.append(Problem(c, "cite_wrong_date", {"number": doc.number, "signed": wrong, "stated": ref.date or ref.year}))
                continue
        c.document = doc
        if c.self_article:
            if last_article is None or (last_doc is not doc):
                problems.append(Problem(c, "cite_self_article", {"text": c.text}))
                continue
            c.provisions = [Provision(last_article if p.article is None else p.article, p.clause, p.point) for p in c.provisions] or [Provision(last_article)]
        # expand article ranges over the registry's article list
        for r in c.ranges:
            lo, hi = article_key(r.first), article_key(r.last)
            if lo > hi:
                problems.append(Problem(c, "cite_bad_range", {"first": r.first, "last": r.last, "doc": doc.number}))
                continue
            for num in (r.first, r.last):
                c.provisions.append(Provision(num))
            for a in doc.articles:
                if lo < article_key(a.number) < hi:
                    c.provisions.append(Provision(a.number))
        c.provisions = sorted(set(c.provisions), key=lambda p: (article_key(p.article or "0"), p.clause or "", p.point or ""))
        last_doc = doc
        if c.provisions:
            last_article = c.provisions[-1].article
    return problems
