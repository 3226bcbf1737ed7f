"""How documents and provisions are named in each language (from the grammar tables)."""
from __future__ import annotations

import re

from lawsite.core.findings import Localized
from lawsite.core.l10n import format_date, languages
from lawsite.project.registry import Document
from lawsite.cite.model import Provision
from lawsite.cite.parse import load_grammar


def _spelled(s: str, table: dict | None) -> str:
    for a, b in (table or {}).items():
        s = s.replace(a, b)
    return s


def number_text(number: str, lang: str) -> str:
    """A document number as written in `lang` (grammar `number_letters`: English writes ND-CP)."""
    return _spelled(number, load_grammar(lang).get("number_letters"))


def point_letter(letter: str, lang: str) -> str:
    """A point letter as written in `lang` (grammar `point_letters`: English writes đ as dd)."""
    return (load_grammar(lang).get("point_letters") or {}).get(letter, letter)


def doc_name(doc: Document, lang: str) -> str:
    g = load_grammar(lang)
    word = g["doc_types"].get(doc.type, [doc.type])[0]
    if doc.type == "Bộ luật" and doc.short_names.get(lang):
        word = doc.short_names[lang][0]  # "Bộ luật Hình sự số …", "Penal Code No. …"
    number = number_text(doc.number, lang)
    return g["format"]["doc"].format(type=word, number=number)


def doc_names(doc: Document) -> Localized:
    """The document's name in every language; kept on the document (validate asks once per citation),
    so it lives as long as the Project whose registry holds it, never in a module table."""
    hit = doc._names
    if hit is not None and hit[0] == doc.number:
        return Localized(**hit[1])
    names = Localized(**{lang: doc_name(doc, lang) for lang in languages()})
    doc._names = (doc.number, dict(names))
    return names


def provision_text(p: Provision, lang: str) -> str:
    g = load_grammar(lang)["format"]
    parts = []
    if p.point:
        parts.append(g["point"].format(v=point_letter(p.point, lang)))
    if p.clause:
        parts.append(g["clause"].format(v=p.clause))
    if p.article:
        parts.append(g["article"].format(v=p.article))
    return g["join_units"].join(parts)


def provision_names(p: Provision) -> Localized:
    """The provision in every language, as it opens a message (capitalised: "Khoản 2 Điều 21")."""
    return Localized(**{lang: (t := provision_text(p, lang))[:1].upper() + t[1:] for lang in languages()})


def citation_text(doc: Document, p: Provision | None, lang: str) -> str:
    """A canonical citation string (render, then re-parse gives the same reference)."""
    gram = load_grammar(lang)
    g = gram["format"]
    name = doc_name(doc, lang)
    if doc.needs_date and doc.signed:
        # a year-less number ("127/NQ-CP") is ambiguous without its date
        name += f" {gram['date_words'][0]} {format_date(doc.signed, lang)}"
    if p is None or not p.article:
        return name
    return provision_text(p, lang) + g["doc_connector"] + name


def compress(numbers: list[str]) -> str:
    """['1', '2', '3', '5', '28a'] -> '1–3, 5, 28a'"""
    plain = sorted(int(n) for n in numbers if n.isdigit())
    other = [n for n in numbers if not n.isdigit()]
    runs, start, prev = [], None, None
    for n in plain:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            runs.append((start, prev))
            start = prev = n
    if start is not None:
        runs.append((start, prev))
    parts = [f"{a}–{b}" if b > a + 1 else (f"{a}, {b}" if b == a + 1 else f"{a}") for a, b in runs]
    return ", ".join(parts + other)


def display_number(doc, lang: str) -> str:
    """The number as printed, with the year for year-less numbers (389/NQ-CP -> 389/NQ-CP (2025))."""
    num = number_text(doc.number, lang)
    year = (doc.signed or doc.effective)
    if year and not re.search(r"/(19|20)\d\d/", doc.number):
        num += f" ({year.year})"
    return num
