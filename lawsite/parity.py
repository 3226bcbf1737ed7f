"""Bilingual integrity: a page and its translation cite the same provisions, use the same figures,
have the same procedure-card fields and the same level-2 sections; the English page uses the
glossary's terms."""
from __future__ import annotations

import hashlib
import re

from .findings import Finding, Localized
from .page import PageResult
from .project import Project
from .text import mask, split_front_matter

LANG_NAMES = {"vi": Localized(vi="tiếng Việt", en="Vietnamese"), "en": Localized(vi="tiếng Anh", en="English")}


def source_hash(vi_text: str) -> str:
    """A short hash of the Vietnamese source body (front matter excluded, whitespace-normalised)."""
    _, body, _ = split_front_matter(vi_text)
    norm = "\n".join(l.rstrip() for l in body.strip().splitlines())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def check_pair(vi: PageResult, en: PageResult) -> list[Finding]:
    out: list[Finding] = []
    a, b = vi.provision_keys(), en.provision_keys()
    if a - b:
        out.append(Finding(en.path, 1, 1, "error", "parity_citations", {"has": LANG_NAMES["vi"], "lacks": LANG_NAMES["en"], "items": ", ".join(sorted(a - b))}))
    if b - a:
        out.append(Finding(en.path, 1, 1, "error", "parity_citations", {"has": LANG_NAMES["en"], "lacks": LANG_NAMES["vi"], "items": ", ".join(sorted(b - a))}))
    if vi.figures - en.figures:
        out.append(Finding(en.path, 1, 1, "error", "parity_figures", {"has": LANG_NAMES["vi"], "lacks": LANG_NAMES["en"], "items": ", ".join(sorted(vi.figures - en.figures))}))
    if en.figures - vi.figures:
        out.append(Finding(en.path, 1, 1, "error", "parity_figures", {"has": LANG_NAMES["en"], "lacks": LANG_NAMES["vi"], "items": ", ".join(sorted(en.figures - vi.figures))}))
    ca = set((vi.meta.get("procedure") or {}).keys()) if isinstance(vi.meta.get("procedure"), dict) else set()
    cb = set((en.meta.get("procedure") or {}).keys()) if isinstance(en.meta.get("procedure"), dict) else set()
    if ca != cb:
        out.append(Finding(en.path, 1, 1, "error", "parity_card", {"items": ", ".join(sorted(ca ^ cb))}))
    if len(vi.headings2) != len(en.headings2):
        out.append(Finding(en.path, 1, 1, "warning", "parity_headings", {"vi": len(vi.headings2), "en": len(en.headings2)}))
    return out


_GLOSSARY_RX: dict = {}


def _glossary_regex(project: Project):
    """One compiled alternation of every known English variant (longest first), built once per glossary."""
    key = id(project.glossary)
    if key not in _GLOSSARY_RX:
        variants = {}
        for entry in project.glossary.entries or []:
            for v in entry.get("variants_en", []) or []:
                variants.setdefault(v.lower(), (entry, v))
        if not variants:
            _GLOSSARY_RX[key] = (None, {})
        else:
            alt = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
            _GLOSSARY_RX[key] = (re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", re.I), variants)
    return _GLOSSARY_RX[key]


def check_glossary(project: Project, en: PageResult) -> list[Finding]:
    out = []
    rx, variants = _glossary_regex(project)
    if rx is None or not en.source_text:
        return out
    _, body, start = split_front_matter(en.source_text)
    masked = mask(body)
    for m in rx.finditer(masked):
        entry, variant = variants[m.group(0).lower()]
        line = masked.count("\n", 0, m.start()) + start
        out.append(Finding(en.path, line, m.start() - masked.rfind("\n", 0, m.start()), "warning", "glossary_variant",
                           {"variant": variant, "term": entry.get("en"), "vi": entry.get("vi")}))
    return out
