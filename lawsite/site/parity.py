"""Bilingual integrity: a page and its translation cite the same provisions, use the same figures,
have the same procedure-card fields and the same level-2 sections; the English page uses the
glossary's terms."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Optional

from lawsite.core.findings import Finding, Localized
from lawsite.core.l10n import counterpart
from lawsite.page import diskcache
from lawsite.page.process import PageResult
from lawsite.project.loader import Project
from lawsite.core.text import mask, split_front_matter
from lawsite.core.yamlio import load as _yload

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


def _glossary_regex(project: Project):
    """One compiled alternation of every known English variant (longest first), built once per glossary."""
    rx = project.cache("glossary_rx")
    key = id(project.glossary)
    if key not in rx:
        variants = {}
        for entry in project.glossary.entries or []:
            for v in entry.get("variants_en", []) or []:
                variants.setdefault(v.lower(), (entry, v))
        if not variants:
            rx[key] = (None, {})
        else:
            alt = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
            rx[key] = (re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", re.I), variants)
    return rx[key]


def check_glossary(project: Project, en: PageResult) -> list[Finding]:
    """Kept on disk with LAWSITE_CACHE=1, keyed by the page's path and text (and the data: the glossary)."""
    if not en.source_text:
        return []
    return diskcache.memo(project, "glossary", (en.path, en.source_text), lambda: _check_glossary(project, en),
                          valid=lambda v: isinstance(v, list) and all(isinstance(f, Finding) for f in v))


def _check_glossary(project: Project, en: PageResult) -> list[Finding]:
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


@dataclass
class TranslationStatus:
    src: str
    state: str  # "current" | "outdated" | "unmarked" | "missing"
    recorded: Optional[str] = None
    actual: Optional[str] = None
    vi_reviewed: Optional[dt.date] = None


def translation_status(project: Project, vi_src: str) -> TranslationStatus:
    """Cached per (file, mtime): the build asks for it on every page and on the status page."""
    vi_src = counterpart(vi_src) if vi_src.endswith(".en.md") else vi_src
    stamps = []
    for rel in (vi_src, counterpart(vi_src)):
        try:
            st = (project.docs_dir / rel).stat()
            stamps.append((st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append(None)
    cache = project.cache("translation_status")
    key = (vi_src, tuple(stamps))
    if key not in cache:
        cache[key] = _translation_status_kept(project, vi_src)
    return cache[key]


def _translation_status_kept(project: Project, vi_src: str) -> TranslationStatus:
    """_translation_status, kept on disk with LAWSITE_CACHE=1 keyed by both files' bytes."""
    vi_src = counterpart(vi_src) if vi_src.endswith(".en.md") else vi_src
    vi_path, en_path = project.docs_dir / vi_src, project.docs_dir / counterpart(vi_src)
    vi_raw = vi_path.read_bytes() if vi_path.is_file() else None
    en_raw = en_path.read_bytes() if en_path.is_file() else None
    return diskcache.memo(project, "translation_status", (vi_src, repr(vi_raw), repr(en_raw)),
                          lambda: _translation_status(project, vi_src, vi_raw, en_raw),
                          valid=lambda v: isinstance(v, TranslationStatus))


_UNREAD = object()


def _translation_status(project: Project, vi_src: str, vi_raw=_UNREAD, en_raw=_UNREAD) -> TranslationStatus:
    """vi_src may be x.md or x.en.md (docs-relative). vi_raw/en_raw: the files' bytes, None for no file
    (read here when not given)."""
    import yaml

    from lawsite.core.text import split_front_matter

    vi_src = counterpart(vi_src) if vi_src.endswith(".en.md") else vi_src
    en_src = counterpart(vi_src)
    vi_path, en_path = project.docs_dir / vi_src, project.docs_dir / en_src
    if vi_raw is _UNREAD:
        vi_raw = vi_path.read_bytes() if vi_path.is_file() else None
    if en_raw is _UNREAD:
        en_raw = en_path.read_bytes() if en_path.is_file() else None
    # errors="replace": a page that is not UTF-8 is reported by the page check; the status must not crash
    vi_text = vi_raw.decode("utf-8", "replace") if vi_raw is not None else ""
    fm, _, _ = split_front_matter(vi_text.replace("\r\n", "\n"))
    try:
        vmeta = _yload(fm or "") or {}
    except yaml.YAMLError:
        vmeta = {}
    reviewed = vmeta.get("last_reviewed") if isinstance(vmeta, dict) and isinstance(vmeta.get("last_reviewed"), dt.date) else None
    if en_raw is None:
        return TranslationStatus(vi_src, "missing", vi_reviewed=reviewed)
    efm, _, _ = split_front_matter(en_raw.decode("utf-8", "replace").replace("\r\n", "\n"))
    try:
        emeta = _yload(efm or "") or {}
    except yaml.YAMLError:
        emeta = {}
    recorded = str(emeta.get("source_hash") or "") if isinstance(emeta, dict) else ""
    from lawsite.core.text import nfc
    actual = source_hash(nfc(vi_text.replace("\r\n", "\n")))
    if not recorded:
        return TranslationStatus(vi_src, "unmarked", None, actual, reviewed)
    return TranslationStatus(vi_src, "current" if recorded == actual else "outdated", recorded, actual, reviewed)
