"""Site search index (Pagefind), built once per build from the finished site directory.

No MkDocs import: `hooks/search.py` calls `mark_page()` on every rendered page and `index_site()`
once both languages are written.

Vietnamese folding. Pagefind >= 1.5 folds combining marks (NFD minus marks) but not đ/Đ, which have
no Unicode decomposition, so "dang ky" does not find "Đăng ký". The copy of each page that we hand to
Pagefind (the served HTML is untouched) spells đ/Đ as d/D + U+0335 (combining short stroke
overlay): Pagefind then archives the folded form "dang" at the very position of the real word, so
excerpts and highlights point at the real text. The browser (search.js) turns "d\u0335" back into
"đ" before showing titles and excerpts, and spells đ in the query the same way (Pagefind folds
both to d; the exact form still ranks first). Both sides also put Vietnamese tone marks in one
place ("hoà" -> "hòa", "thuỷ" -> "thủy", "khoẻ" -> "khỏe") and normalise to NFC.
"""
from __future__ import annotations

import functools
import gzip
import html as htmlmod
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lawsite.build.pagefind_chunks import SIGNATURE, ChunkFormatError, rechunk_bundle, recompress_wasm
from lawsite.core import diskmemo

BUNDLE_DIR = "pagefind"
BODY_ATTR = "data-pagefind-body"
# Never indexed even inside the article: permalink anchors, procedure card, page footer meta,
# disclaimer, the edit button, and the hidden folding helpers of other tools.
EXCLUDE_SELECTORS = [".headerlink", ".procedure-card", ".lawsite-page-meta", ".lawsite-disclaimer",
                     ".md-content__button", ".md-source-file", "[data-pagefind-ignore]"]
STROKE = "\u0335"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# new-style placement (tone on the second vowel of an open "oa", "oe", "uy" syllable) -> old style,
# the placement used in Vietnamese legal texts ("Cộng hòa", "thủy", "khỏe"). "qu" + y keeps "quý".
_TONE_MOVES = [
    re.compile(r"([oO])([aAeE])([" + _TONES + r"])(?![^\W\d_]|[\u0300-\u036f])"),
    re.compile(r"(?<![qQ])([uU])([yY])([" + _TONES + r"])(?![^\W\d_]|[\u0300-\u036f])"),
]
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_HTML_LANG = re.compile(r"<html[^>]*\slang=\"([^\"]+)\"", re.I)
MIN_SHARE = 0.5  # indexing fewer than this share of the built pages means something is broken


class SearchIndexError(Exception):
    """The search index could not be built (message: one readable line)."""


def _nfc(*parts: str) -> str:
    return unicodedata.normalize("NFC", "".join(parts))


# the same moves as _TONE_MOVES, table-driven on NFC text: "oà" -> "òa", "uỷ" -> "ủy" (one pass)
_MOVES = {f + _nfc(v, t): _nfc(f, t) + v for f in "oO" for v in "aAeE" for t in _TONES}
_MOVES_UY = {f + _nfc(v, t): _nfc(f, t) + v for f in "uU" for v in "yY" for t in _TONES}
_A_E = "".join(_nfc(v, t) for v in "aAeE" for t in _TONES)
_Y = "".join(_nfc(v, t) for v in "yY" for t in _TONES)
# one character class for the candidate pair (fast scan); the word-end and "qu" tests run in code
_TONE_RX = re.compile(f"[oOuU][{_A_E}{_Y}]")
_ALL_MOVES = {**_MOVES, **_MOVES_UY}


def _move(m: re.Match) -> str:
    pair, s, i, j = m.group(0), m.string, m.start(), m.end()
    new = _ALL_MOVES.get(pair)
    if new is None or (pair[0] in "uU" and i and s[i - 1] in "qQ"):
        return pair
    if j < len(s) and (s[j].isalpha() or "\u0300" <= s[j] <= "\u036f"):  # not at the end of the syllable
        return pair
    return new


def normalize_tones(text: str) -> str:
    """NFC text with Vietnamese tone marks in one (old-style) position."""
    return _TONE_RX.sub(_move, unicodedata.normalize("NFC", text))


# Index-only cuts: the "pages citing this document" lists on legal-document pages are navigation
# (hundreds of words repeated from other pages' titles) and would double the Vietnamese index.
# Likewise the clause/point outline under each article heading ("12 khoản: 1; 2 (điểm a–g); …").
# The point letters after a clause ("(điểm a, b, c)", each an anchor) and the outline paragraphs made
# only of clause anchors ("Các khoản: 1; 2; 3.") are navigation too: as words they are single letters
# and digits, which Pagefind falls back to for any unknown word ("qqqq" would find the pages with "q").
_NOT_INDEXED = re.compile(r'<h2 id="trang-trich-dan".*?(?=<h2 |</article>)'
                          r'|(?<=</h3>)\s*<p>\d+ (?:khoản|clauses?):[^<]*</p>'
                          r'|(?<=</h3>)\s*<p>(?:không chia khoản|no clauses)[^<]*</p>'
                          r'| ?\([^()<]{1,20} (?:<span id="dieu-[^"]*-diem-[^"]*">[^<]*</span>(?: \([^()]*\))?(?:, )?)+\)'
                          r'|<p>[^<]{0,40}(?:<span id="dieu-[^"]*-khoan-[^"]*">[^<]*</span>[^<]*)+</p>', re.S)


# Pagefind records every element with an id as an "anchor" in the page's fragment, but builds sub-results
# from headings only (pagefind.js: calculate_sub_results keeps /h\d/ elements): the ids of clauses and points
# on a legal-document page (thousands on the Penal Code) are bytes every reader downloads and nothing uses.
# The indexed copy drops them; the served page keeps them (links to a clause still work).
_NON_HEADING_ID = re.compile(r'(<(?![hH][1-6][\s>])[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?)\sid="[^"]*"')


# each alternative of _NOT_INDEXED with a literal it cannot match without: a page lacking the literal is
# matched with the other alternatives only (the same matches: an alternative that matches nowhere changes
# nothing), most pages with none at all
_NOT_INDEXED_NEEDS = ('<h2 id="trang-trich-dan"', "</h3>", "</h3>", '<span id="dieu-', '<span id="dieu-')


@functools.lru_cache(maxsize=32)
def _not_indexed(present: tuple[bool, ...]) -> re.Pattern | None:
    alts = _split_alternatives(_NOT_INDEXED.pattern)
    if len(alts) != len(present):  # the table no longer fits the regex: the whole regex, always
        return _NOT_INDEXED
    alts = [a for a, keep in zip(alts, present) if keep]
    return re.compile("|".join(alts), _NOT_INDEXED.flags) if alts else None


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (| outside groups and classes)."""
    out, depth, cls, cur, i = [], 0, False, "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur += pattern[i:i + 2]
            i += 2
            continue
        if cls:
            cls = c != "]"
        elif c == "[":
            j = i + 1
            j += pattern[j:j + 1] == "^"
            j += pattern[j:j + 1] == "]"  # a leading ] is a member, not the end
            cur += pattern[i:j]
            i, cls = j, True
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    return out + [cur]


def fold_for_index(html_text: str) -> str:
    """The copy of a page given to Pagefind: tone marks in one place, đ/Đ spelled d/D + U+0335, ids only
    on headings."""
    rx = _not_indexed(tuple(lit in html_text for lit in _NOT_INDEXED_NEEDS))
    if rx is not None:
        html_text = rx.sub("", html_text)
    html_text = _NON_HEADING_ID.sub(r"\1", html_text)
    return normalize_tones(html_text).replace("đ", "d" + STROKE).replace("Đ", "D" + STROKE)


def excluded_by_front_matter(meta: dict) -> bool:
    """`search: {exclude: true}` in a page's front matter (Material's key) keeps it out of the index."""
    opts = meta.get("search")
    return isinstance(opts, dict) and opts.get("exclude") is True


EXPIRED_WEIGHT = 0.3  # a document no longer in force ranks below current pages on the same subject


def mark_page(html_text: str, *, fallback: bool, section: str = "", excluded: bool = False, expired: str = "") -> str:
    """Mark the article of a rendered page as the searchable body (not on fallback pages, nor on
    pages excluded in their front matter such as the staff status page).

    `section` (the page's top-level site section) is stored as Pagefind metadata for the results.
    `expired` (the status label of a legal document no longer in force, in the page's language) is
    stored as metadata `status`, shown in its result, and the page's words are weighted down."""
    if fallback or excluded or BODY_ATTR in html_text:
        return html_text
    extra = f' {BODY_ATTR}'
    meta = [f"section:{section.replace(',', ' ')}"] if section else []
    if expired:
        meta.append(f"status:{expired.replace(',', ' ')}")
        extra += f' data-pagefind-weight="{EXPIRED_WEIGHT}"'
    if meta:
        extra += f' data-pagefind-meta="{htmlmod.escape(", ".join(meta), quote=True)}"'
    return _ARTICLE.sub(lambda m: m.group(0) + extra, html_text, count=1)


# --- readers' words (data/search/<lang>.yaml) --------------------------------------------------------

def bare(text: str) -> str:
    """Lower case without any mark, đ as d: how a reader's phrase is compared (the same as search.js)."""
    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


class SearchData(os.PathLike):
    """The data/ folder of one build, with the tables of data/search/ parsed once for every loader of this
    module (index_site and write_search_words call five): pass it where a loader takes `data_dir`.
    `memo` is owned by the build (its Project.cache): file -> (its bytes, the parsed YAML); an entry is
    used only for the same bytes, so an edited table is parsed again."""

    def __init__(self, path: str | Path, memo: dict, glossary: list[dict] | None = None):
        self.path = Path(path)
        self.memo = memo
        self.glossary = glossary  # search6: the build's Project.glossary.entries (else data/glossary.yaml is read)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


def _search_tables(data_dir: str | Path):
    """(file, parsed YAML) of each data/search/<lang>.yaml, in name order; a YAML syntax error raises
    SearchIndexError naming the file (the loader's message has the line). A SearchData parses each file
    once per build (the callers only read the tables)."""
    from lawsite.core.yamlio import load as yload

    memo = data_dir.memo if isinstance(data_dir, SearchData) else None
    for f in sorted(Path(data_dir, "search").glob("*.yaml")):
        raw = f.read_bytes()
        hit = memo.get(str(f)) if memo is not None else None
        if hit is not None and hit[0] == raw:
            yield f, hit[1]
            continue
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
        try:
            data = yload(text)
        except Exception as e:
            raise SearchIndexError(f"{f}: {e}") from None
        if memo is not None:
            memo[str(f)] = (raw, data)
        yield f, data


def load_search_words(data_dir: str | Path) -> dict[str, list]:
    """{lang: [[reader words without marks], replacement], ...]} from data/search/<lang>.yaml, longest
    phrase first. Raises SearchIndexError naming the file (and the entry) on a malformed table."""
    out: dict[str, list] = {}
    for f, data in _search_tables(data_dir):
        rules = data.get("rewrite") if isinstance(data, dict) else None
        if not isinstance(rules, list):
            raise SearchIndexError(f"{f}: expected a list 'rewrite:' of {{reader: [...], legal: ...}} entries")
        seen: dict[tuple, tuple[str, str]] = {}
        entries = [(f"entry {i} of 'rewrite'", r, "") for i, r in enumerate(rules, 1)]
        for name, intent in _intents(f, data).items():
            entries += [(f"intents: '{name}': entry {i} of 'rewrite'", r, name) for i, r in enumerate(intent["rewrite"], 1)]
        for where, r, intent in entries:
            ok = (isinstance(r, dict) and set(r) == {"reader", "legal"} and isinstance(r["legal"], str)
                  and isinstance(r["reader"], list) and r["reader"] and all(isinstance(x, str) and x.strip() for x in r["reader"]))
            if not ok:
                raise SearchIndexError(f"{f}: {where}: needs 'reader' (a list of phrases) and 'legal' (a phrase or \"\")")
            for phrase in r["reader"]:
                key = tuple(bare(_nfc(phrase)).split())
                if key in seen and seen[key] != (r["legal"], intent):
                    raise SearchIndexError(f"{f}: {where}: '{phrase}' is already rewritten to '{seen[key][0]}'")
                seen[key] = (r["legal"], intent)
        # [reader words, replacement] or, for a phrase of an intent, [reader words, replacement, intent]
        out[f.stem] = sorted(([list(k), _nfc(v)] + ([i] if i else []) for k, (v, i) in seen.items()),
                             key=lambda kv: (-len(kv[0]), kv[0]))
    return out


def _intents(f: Path, data) -> dict:
    """The `intents:` mapping of a data/search/<lang>.yaml file ({} when absent): name -> {pages: [page paths],
    rewrite: [{reader: [...], legal: ...}, ...]}. Raises SearchIndexError naming the file and the intent."""
    intents = data.get("intents") if isinstance(data, dict) else None
    if intents is None:
        return {}
    if not (isinstance(intents, dict) and all(isinstance(k, str) and re.fullmatch(r"[a-z_]+", k) for k in intents)):
        raise SearchIndexError(f"{f}: 'intents:' must map a name (penalty, crime) to {{pages: [...], rewrite: [...]}}")
    for name, r in intents.items():
        pages = r.get("pages") if isinstance(r, dict) else None
        weight = r.get("weight", 2) if isinstance(r, dict) else None
        if not (isinstance(r, dict) and {"pages", "rewrite"} <= set(r) <= {"pages", "rewrite", "weight", "titles"}
                and isinstance(r["rewrite"], list) and r["rewrite"]
                and isinstance(pages, list) and pages and all(isinstance(x, str) and x.strip() for x in pages)):
            raise SearchIndexError(f"{f}: intents: '{name}': needs 'pages' (a list of page paths, vi-pham/bang-muc-phat) "
                                   "and 'rewrite' (a list of {reader: [...], legal: ...}), and may have 'weight' and 'titles'")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 1 <= weight <= 10:
            raise SearchIndexError(f"{f}: intents: '{name}': 'weight' must be a number from 1 to 10 (how much its pages are lifted)")
        if not isinstance(r.get("titles", False), bool):
            raise SearchIndexError(f"{f}: intents: '{name}': 'titles' must be true or false (also lift the page whose title starts with the query's words)")
    return intents


def load_intent_weights(data_dir: str | Path) -> dict[str, dict[str, float]]:
    """{lang: {intent: weight}}: how much search.js lifts the pages of each intent (default 2)."""
    out: dict[str, dict[str, float]] = {}
    for f, data in _search_tables(data_dir):
        out[f.stem] = {name: r.get("weight", 2) for name, r in sorted(_intents(f, data).items())}
    return out


def load_page_intents(data_dir: str | Path | None) -> dict[str, dict[str, list[str]]]:
    """{lang: {built page path: [intent names]}} from `intents:` in data/search/<lang>.yaml: the pages that answer
    a kind of question ("... bị phạt thế nào", "fine for ...": the penalty pages). search.js lifts them when the
    query holds one of the intent's phrases. Raises SearchIndexError naming the file."""
    out: dict[str, dict[str, list[str]]] = {}
    if data_dir is None:
        return out
    for f, data in _search_tables(data_dir):
        prefix = "" if f.stem == "vi" else f.stem + "/"
        table = out.setdefault(f.stem, {})
        for name, r in sorted(_intents(f, data).items()):
            for key in r["pages"]:
                rel = (prefix + key.strip("/") + "/index.html") if key.strip("/") else prefix + "index.html"
                table.setdefault(rel, []).append(name)
    return out


def load_document_words(data_dir: str | Path, key: str = "documents") -> dict[str, list[list[str]]]:
    """{lang: [[bare words of a phrase], ...]} from `documents:` (or `articles:`) in data/search/<lang>.yaml: the
    words that say a query names a legal document ("nghị định", "decree"; "điều" before a number).
    Raises SearchIndexError naming the file."""
    out: dict[str, list[list[str]]] = {}
    for f, data in _search_tables(data_dir):
        words = data.get(key, []) if isinstance(data, dict) else []
        if not (isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words)):
            raise SearchIndexError(f"{f}: '{key}:' must be a list of words or phrases (nghị định, decree)")
        phrases = {tuple(re.findall(r"[^\W_]+", bare(_nfc(w)))) for w in words} - {()}
        out[f.stem] = [list(k) for k in sorted(phrases)]
    return out


def glossary_entries(data_dir) -> list[dict]:
    """The glossary's entries: the build's (SearchData.glossary, loaded once with the Project), else data/glossary.yaml."""
    if isinstance(data_dir, SearchData) and data_dir.glossary is not None:
        return data_dir.glossary
    from lawsite.core.settings import load_glossary

    f = Path(data_dir) / "glossary.yaml"
    return load_glossary(f, str(f))


def _glossary_pairs(data_dir, src: str, lang: str) -> list[tuple[str, str]]:
    """(term in `src`, term in `lang`) of each data/glossary.yaml entry that has both languages ("hộ chiếu",
    "passport"); a bracketed gloss is left out of the target ("chip passport (electronic passport)")."""
    out = []
    for e in glossary_entries(data_dir):
        a, b = e.get(src), e.get(lang)
        if isinstance(a, str) and isinstance(b, str) and a.strip() and b.strip():
            out.append((a, re.sub(r"\s*\([^)]*\)", "", b).strip()))
    return out


def load_translations(data_dir: str | Path) -> dict[str, dict[str, dict]]:
    """{lang: {source lang: {"rules": the source language's rewrite rules, "terms": [[bare source words],
    term in lang], ...]}}} for each data/search/<lang>.yaml with `translate:` (source language -> extra
    {reader: [...], legal: ...} entries besides the glossary's pairs). search.js downloads it only when a query
    holds words none of the site's titles, headings or phrases use: readers typing Vietnamese words without
    marks on the English site ("tam tru", "nghi dinh 282"). The source's own rules drop its fillers and turn
    its colloquial words into the legal ones first, then its terms become this site's. Longest first.
    Raises SearchIndexError naming the file."""
    rules = load_search_words(data_dir)
    out: dict[str, dict[str, dict]] = {}
    for f, data in _search_tables(data_dir):
        table = data.get("translate") if isinstance(data, dict) else None
        if table is None:
            continue
        if not (isinstance(table, dict) and all(isinstance(k, str) and isinstance(v, list) for k, v in table.items())):
            raise SearchIndexError(f"{f}: 'translate:' must map a language (vi) to a list of {{reader: [...], legal: ...}} entries")
        for src, extra in sorted(table.items()):
            if src not in rules or src == f.stem:
                raise SearchIndexError(f"{f}: translate: '{src}' is not another language of data/search/ ({', '.join(sorted(rules))})")
            terms: dict[tuple, str] = {}
            for a, b in _glossary_pairs(data_dir, src, f.stem):
                if "," not in a:  # ("cơ quan, tổ chức, cá nhân mời, bảo lãnh" is a description, not a term readers type)
                    terms.setdefault(tuple(re.findall(r"[^\W_]+", bare(_nfc(a)))), _nfc(b))
            for i, r in enumerate(extra, 1):
                ok = (isinstance(r, dict) and set(r) == {"reader", "legal"} and isinstance(r["legal"], str) and r["legal"].strip()
                      and isinstance(r["reader"], list) and r["reader"] and all(isinstance(x, str) and x.strip() for x in r["reader"]))
                if not ok:
                    raise SearchIndexError(f"{f}: translate: '{src}': entry {i} needs 'reader' (a list of phrases) and 'legal' (a phrase)")
                for phrase in r["reader"]:
                    terms[tuple(re.findall(r"[^\W_]+", bare(_nfc(phrase))))] = _nfc(r["legal"])
            terms.pop((), None)
            out.setdefault(f.stem, {})[src] = {
                "rules": rules[src],
                "terms": sorted(([list(k), v] for k, v in terms.items()), key=lambda kv: (-len(kv[0]), kv[0]))}
    return out


# --- search6: "what this page answers" (lawsite-answers.<lang>.json, fetched only for a long query) ----------

ANSWER_FIELDS = {"title": 3.0, "keywords": 2.0, "question": 2.0, "h2": 1.5, "h3": 1.0, "desc": 1.0}


def load_answer_tables(data_dir: str | Path) -> dict[str, dict]:
    """{lang: {"min": words, "stem": [[suffix, replacement], ...], "concepts": {name: [[bare words], ...]}}} from
    `answers:` in data/search/<lang>.yaml: a query of at least `min` content words (a situation told in a sentence)
    is also scored against what each page answers; `stem` strips word endings (first match, the stem keeping 3
    letters or more); `concepts` are groups of everyday and legal words that mean the same thing for matching
    ("ran out" ~ "expired" ~ "overstay"). Raises SearchIndexError naming the file."""
    out: dict[str, dict] = {}
    for f, data in _search_tables(data_dir):
        a = data.get("answers") if isinstance(data, dict) else None
        if a is None:
            continue
        if not (isinstance(a, dict) and set(a) <= {"min_words", "stem", "concepts"}):
            raise SearchIndexError(f"{f}: 'answers:' must be a mapping with min_words, stem and concepts")
        n = a.get("min_words", 4)
        if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 20:
            raise SearchIndexError(f"{f}: answers: 'min_words' must be a whole number from 2 to 20")
        stems = []
        for r in a.get("stem", []) or []:
            if not (isinstance(r, str) and "=" in r and r.split("=", 1)[0].strip()):
                raise SearchIndexError(f"{f}: answers: stem: '{r}' must be 'ending=replacement' (ies=y, ing=)")
            x, y = r.split("=", 1)
            stems.append([bare(x.strip()), bare(y.strip())])
        concepts = a.get("concepts", {}) or {}
        if not (isinstance(concepts, dict) and all(isinstance(k, str) and re.fullmatch(r"[a-z_]+", k) for k in concepts)):
            raise SearchIndexError(f"{f}: answers: 'concepts' must map a name (expiry) to a list of words or phrases")
        table = {}
        for name, phrases in sorted(concepts.items()):
            if not (isinstance(phrases, list) and phrases and all(isinstance(x, str) and x.strip() for x in phrases)):
                raise SearchIndexError(f"{f}: answers: concepts: '{name}' needs a list of words or phrases")
            keys = {tuple(stem_word(w, stems) for w in re.findall(r"[^\W_]+", bare(_nfc(x)))) for x in phrases} - {()}
            table[name] = [list(k) for k in sorted(keys, key=lambda k: (-len(k), k))]
        # the glossary's term in this language and its variants ("laissez-passer", "travel permit", "border pass"): one idea
        for i, e in enumerate(glossary_entries(data_dir)):
            forms = [e.get(f.stem)] + list(e.get(f"variants_{f.stem}") or [])
            keys = {tuple(stem_word(w, stems) for w in re.findall(r"[^\W_]+", bare(_nfc(re.sub(r"\s*\([^)]*\)", "", x)))))
                    for x in forms if isinstance(x, str)} - {()}
            if len(keys) > 1:
                table[f"g{i}"] = [list(k) for k in sorted(keys, key=lambda k: (-len(k), k))]
        out[f.stem] = {"min": n, "stem": stems, "concepts": table}
    return out


def stem_word(w: str, stems: list) -> str:
    """The first rule whose ending `w` has, if what is left keeps 3 letters (the same as search.js's)."""
    if w.isdigit():
        return w
    for x, y in stems:
        if w.endswith(x) and len(w) - len(x) + len(y) >= 3:
            return w[: len(w) - len(x)] + y
    return w


def answer_terms(text: str, table: dict, fillers: set) -> list[str]:
    """The terms of one text for the answers index (search.js makes the same of a query): its bare words, stemmed,
    fillers out, each pair of neighbouring words ("a b") and the concepts its words hold ("~expiry")."""
    raw = re.findall(r"[^\W_]+", bare(_nfc(text)))
    ws = [stem_word(w, table["stem"]) for w in raw]
    out = []
    for i in range(len(ws)):
        for name, phrases in table["concepts"].items():
            if any(ws[i:i + len(k)] == k for k in phrases):
                out.append("~" + name)
    ws = [w for w, r in zip(ws, raw) if r not in fillers]
    out += ws + [a + " " + b for a, b in zip(ws, ws[1:])]
    return out


def answer_index(bundle: Path, keywords: dict, tables: dict, fillers: dict) -> dict[str, dict]:
    """{lang: {"p": [[page id, url, title, section, description], ...], "t": {term: [page number, weight, ...]},
    "len": [weighted length of each page]}}: for each page, what it answers (its title, readers' phrases, the
    questions of its headings, its headings, its description) as weighted terms (answer_terms). Legal-document
    pages are left out (they hold every word)."""
    out: dict[str, dict] = {}
    for frag in sorted((bundle / "fragment").glob("*.pf_fragment")):
        lang = frag.stem.split("_", 1)[0]
        if lang not in tables:
            continue
        raw = gzip.decompress(frag.read_bytes())
        data = json.loads(raw[len(SIGNATURE):] if raw.startswith(SIGNATURE) else raw)
        url = data.get("url", "")
        if "/van-ban/" in url and url.rstrip("/").rsplit("/", 1)[-1] != "van-ban":
            continue
        meta = data.get("meta", {})
        rel = (url.strip("/") + "/index.html") if url.strip("/") else "index.html"
        html_file = bundle.parent / rel
        desc = ""
        if html_file.is_file():
            m = _DESCRIPTION.search(html_file.read_text("utf-8"))
            desc = htmlmod.unescape(m.group(1)) if m else ""
        texts = [("title", meta.get("title", "")), ("desc", desc)]
        texts += [("keywords", k) for k in (keywords or {}).get(lang, {}).get(rel, [])]
        for a in data.get("anchors", []):
            t = htmlmod.unescape(a.get("text", "")).strip()
            texts.append(("question" if t.endswith("?") else a.get("element") if a.get("element") == "h2" else "h3", t))
        tf: dict[str, float] = {}
        for fld, t in texts:
            for term in answer_terms(unfold(t), tables[lang], fillers.get(lang, set())):
                tf[term] = tf.get(term, 0) + ANSWER_FIELDS[fld]
        idx = out.setdefault(lang, {"p": [], "t": {}, "len": []})
        n = len(idx["p"])
        idx["p"].append([frag.stem, url, unfold(meta.get("title", "")), unfold(meta.get("section", "")), desc])
        idx["len"].append(round(sum(tf.values()), 1))
        for term, w in tf.items():
            idx["t"].setdefault(term, []).extend([n, round(w, 1)])
    for idx in out.values():
        idx["t"] = dict(sorted(idx["t"].items()))
    return out


def write_answer_index(bundle: Path, data_dir: str | Path | None, keywords: dict | None) -> None:
    if data_dir is None:
        return
    tables = load_answer_tables(data_dir)
    if not tables:
        return
    fillers = {lang: {r[0][0] for r in rules if len(r[0]) == 1 and not r[1]} for lang, rules in load_search_words(data_dir).items()}
    for lang, idx in answer_index(bundle, keywords or {}, tables, fillers).items():
        idx["stem"] = tables[lang]["stem"]
        idx["concepts"] = tables[lang]["concepts"]
        (bundle / f"lawsite-answers.{lang}.json").write_text(
            json.dumps(idx, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")


def pack_rules(rules: list) -> list:
    """[["bi phat", "phạt", "penalty"], ...]: each rule's words as one space-joined string (the file is part of every
    first query: about 300 bytes compressed fewer than lists of words). search.js splits them again."""
    return [[" ".join(r[0])] + list(r[1:]) for r in rules]


SCRIPT = Path("assets") / "javascripts" / "search.js"
# search7: the parts only some queries need (typos, long queries), loaded by search.js on demand
SCRIPTS = (SCRIPT, SCRIPT.with_name("search-more.js"))


def compact_script(text: str) -> str:
    """search.js without its comment lines and indentation: the script is part of every first query (about
    3.5 KB compressed less). Only whole lines go: a line holding code keeps everything, so a "//" or "/*" in a
    string or a regular expression is never touched; a block comment must start its line."""
    out, in_block = [], False
    for line in text.split("\n"):
        st = line.strip()
        if in_block:
            if "*/" in st:
                in_block = False
                if st.split("*/", 1)[1].strip():
                    out.append(st.split("*/", 1)[1].strip())
            continue
        if st.startswith("/*"):
            rest = st.split("*/", 1)[1].strip() if "*/" in st[2:] else None
            if rest is None:
                in_block = True
            elif rest:
                out.append(rest)
            continue
        if st and not st.startswith("//"):
            out.append(st)
    return "\n".join(out) + "\n"


def write_search_words(site_dir: str | Path, data_dir: str | Path) -> None:
    """pagefind/lawsite-words.<lang>.json, read by search.js with the index, and lawsite-translate.<lang>.json,
    read only for a query in another language (sorted keys: reproducible); and the built search.js and
    search-more.js compacted (compact_script)."""
    out = Path(site_dir) / BUNDLE_DIR
    for script in (Path(site_dir) / s for s in SCRIPTS):
        if script.is_file():
            script.write_text(compact_script(script.read_text("utf-8")), "utf-8")
    translations = load_translations(data_dir)
    for lang, table in translations.items():
        packed = {src: {"rules": pack_rules(t["rules"]), "terms": pack_rules(t["terms"])} for src, t in table.items()}
        (out / f"lawsite-translate.{lang}.json").write_text(
            json.dumps(packed, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
    docs, arts = load_document_words(data_dir), load_document_words(data_dir, "articles")
    units = load_document_words(data_dir, "units")  # words after a number that make it a quantity (10 ngày)
    weights = load_intent_weights(data_dir)
    titled = {f.stem: sorted(n for n, r in _intents(f, data).items() if r.get("titles")) for f, data in _search_tables(data_dir)}
    answers = load_answer_tables(data_dir)  # search6: a query of this many content words also gets the answers index
    for lang, rules in load_search_words(data_dir).items():
        (out / f"lawsite-words.{lang}.json").write_text(
            json.dumps({"rules": pack_rules(rules), "documents": docs.get(lang, []), "articles": [a[0] for a in arts.get(lang, [])],
                        "units": [u[0] for u in units.get(lang, [])], "weights": weights.get(lang, {}),
                        "translate": sorted(translations.get(lang, {})), "titles": titled.get(lang, [])}
                       | ({"answers": answers[lang]["min"]} if lang in answers else {}),
                       ensure_ascii=False, sort_keys=True,
                       separators=(",", ":")), "utf-8")


@dataclass
class IndexReport:
    built: dict[str, int] = field(default_factory=dict)      # html pages per <html lang>
    marked: dict[str, int] = field(default_factory=dict)     # pages with data-pagefind-body
    indexed: dict[str, int] = field(default_factory=dict)    # page_count per language (pagefind-entry.json)
    seconds: float = 0.0
    bundle_bytes: int = 0
    log: str = ""  # Pagefind's own output
    chunks: dict[str, tuple[int, int]] = field(default_factory=dict)  # word-index chunks before/after re-cut
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        langs = ", ".join(f"{lang}: {self.indexed.get(lang, 0)} indexed of {self.built.get(lang, 0)} built "
                          f"({self.built.get(lang, 0) - self.marked.get(lang, 0)} not marked: fallbacks, staff pages)"
                          for lang in sorted(self.built))
        cut = ", ".join(f"{lang} {a} -> {b}" for lang, (a, b) in sorted(self.chunks.items()))
        return (f"search index: {langs}; {self.bundle_bytes / 1024:.0f} KiB in {self.seconds:.1f} s"
                + (f"; word-index chunks {cut}" if cut else ""))


def _pages(site: Path):
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel.startswith(BUNDLE_DIR + "/") or p.name == "404.html" or p.name.startswith("."):
            continue
        yield rel, p


def load_page_keywords(data_dir: str | Path | None) -> dict[str, dict[str, list[str]]]:
    """{lang: {built page path ("visa/mien-thi-thuc/index.html" or "en/..."): [readers' phrases]}} from the
    `pages:` table of data/search/<lang>.yaml (page path without the language prefix -> phrases)."""
    out: dict[str, dict[str, list[str]]] = {}
    if data_dir is None:
        return out
    for f, data in _search_tables(data_dir):
        pages = data.get("pages", {}) if isinstance(data, dict) else {}
        if pages is None:
            continue
        if not isinstance(pages, dict):
            raise SearchIndexError(f"{f}: 'pages:' must map a page path (visa/mien-thi-thuc) to a list of readers' phrases")
        prefix = "" if f.stem == "vi" else f.stem + "/"
        table = out.setdefault(f.stem, {})
        for key, phrases in pages.items():
            if not (isinstance(key, str) and isinstance(phrases, list) and phrases
                    and all(isinstance(x, str) and x.strip() and "," not in x for x in phrases)):
                raise SearchIndexError(f"{f}: pages: '{key}': needs a list of phrases (without commas)")
            rel = prefix + key.strip("/") + "/index.html"
            table[rel] = [_nfc(x.strip()) for x in phrases]
    return out


def load_nationality_pages(data_dir: str | Path | None) -> dict[str, dict[str, list[str]]]:
    """search7: {lang: {page (index.html path): [country names]}}: the pages listed under `nationalities:` in
    data/search/<lang>.yaml answer for any nationality (the visa tool), so every country name of
    data/visa-exemptions.yaml (`countries:`, in that language) is searchable on them (a country added to the data is
    found with no search edit). The names go only into the indexed copy, never into the first query's page table."""
    out: dict[str, dict[str, list[str]]] = {}
    if data_dir is None:
        return out
    names: dict | None = None
    for f, data in _search_tables(data_dir):
        pages = data.get("nationalities") if isinstance(data, dict) else None
        if pages is None:
            continue
        if not (isinstance(pages, list) and all(isinstance(x, str) and x.strip() for x in pages)):
            raise SearchIndexError(f"{f}: 'nationalities:' must be a list of page paths (cong-cu/thi-thuc)")
        if names is None:
            names = _country_names(data_dir)
        prefix = "" if f.stem == "vi" else f.stem + "/"
        got = sorted({_nfc(n[f.stem]) for n in names.values() if isinstance(n, dict) and isinstance(n.get(f.stem), str)})
        out[f.stem] = {prefix + x.strip("/") + "/index.html": got for x in pages}
    return out


def _country_names(data_dir) -> dict:
    """`countries:` of data/visa-exemptions.yaml ({} without the file), parsed once per build (SearchData.memo)."""
    from lawsite.core.yamlio import load as yload

    f = Path(data_dir) / "visa-exemptions.yaml"
    if not f.is_file():
        return {}
    raw = f.read_bytes()
    memo = data_dir.memo if isinstance(data_dir, SearchData) else None
    hit = memo.get(str(f)) if memo is not None else None
    if hit is not None and hit[0] == raw:
        data = hit[1]
    else:
        try:
            data = yload(raw.decode("utf-8"))
        except Exception as e:
            raise SearchIndexError(f"{f}: {e}") from None
        if memo is not None:
            memo[str(f)] = (raw, data)
    c = data.get("countries") if isinstance(data, dict) else None
    return c if isinstance(c, dict) else {}


# search7: a paragraph that is only a short label and five or more short in-page links ("Đến điều: 1 · 2 · … · 71", a
# legal document's jump list) is navigation, not text: left out of the index (and of the fragment every result downloads)
_JUMP_LIST = re.compile(r'<p>(?=[^<]{0,40}(?:<a href="#[\w-]+">[^<]{1,8}</a>[\s\u00b7]*){5,}</p>)')


def skip_jump_lists(html_text: str) -> str:
    """The indexed copy with in-page jump lists marked data-pagefind-ignore (the site keeps them as they are)."""
    return _JUMP_LIST.sub('<p data-pagefind-ignore>', html_text)


_ARTICLE_OPEN = re.compile(r'(<article class="md-content__inner md-typeset"[^>]*>)')


def add_keywords(html_text: str, phrases: list[str]) -> str:
    """The indexed copy with the page's readers' phrases as Pagefind metadata `keywords` (searchable,
    weighted in search.js's ranking options, never shown)."""
    if not phrases:
        return html_text
    value = htmlmod.escape(" ".join(phrases), quote=True)
    return _ARTICLE_OPEN.sub(lambda m: m.group(1) + f'<span data-pagefind-meta="keywords:{value}"></span>', html_text, count=1)


def index_site(site_dir: str | Path, data_dir: str | Path | None = None) -> IndexReport:
    """Index `site_dir` into `site_dir/pagefind/` (one index per <html lang>). Raises SearchIndexError.
    `data_dir` (the project's data/): readers' phrases per page from data/search/<lang>.yaml `pages:`."""
    site = Path(site_dir)
    if not site.is_dir():
        raise SearchIndexError(f"{site}: the built site does not exist")
    keywords = load_page_keywords(data_dir)
    intents = load_page_intents(data_dir)
    countries = load_nationality_pages(data_dir)  # search7: searchable on the page, not in lawsite-pages
    missing = sorted((rel, lang) for lang, t in countries.items() for rel in t if not (site / rel).is_file())
    if missing:
        rel, lang = missing[0]
        raise SearchIndexError(f"{Path(data_dir, 'search', lang + '.yaml')}: nationalities: '{rel}' is not a page of the site")
    wanted = {rel: lang for lang, t in keywords.items() for rel in t}
    missing = sorted((rel, lang) for lang, t in intents.items() for rel in t if not (site / rel).is_file())
    if missing:  # an intent naming a page the site does not have: a mistake in the data
        rel, lang = missing[0]
        raise SearchIndexError(f"{Path(data_dir, 'search', lang + '.yaml')}: intents: '{rel}' is not a page of the site "
                               f"({len(missing)} such)")
    report = IndexReport()
    t0 = time.monotonic()
    docs = []
    for rel, p in _pages(site):
        text = p.read_text("utf-8")
        m = _HTML_LANG.search(text)
        lang = (m.group(1) if m else "unknown").split("-")[0].lower()
        report.built[lang] = report.built.get(lang, 0) + 1
        if BODY_ATTR in text:
            report.marked[lang] = report.marked.get(lang, 0) + 1
            words = keywords.get(lang, {}).get(rel, [])
            wanted.pop(rel, None)
            docs.append((rel, lang, skip_jump_lists(add_keywords(text, words + countries.get(lang, {}).get(rel, [])))))  # folded by _bundle, only when Pagefind runs
    if not docs:
        raise SearchIndexError(f"{site}: 0 pages marked for search ({sum(report.built.values())} built); "
                               "is hooks/search.py in mkdocs.yml? The site must not ship without search")
    # a page built but not searchable (an untranslated page shown in the other language) keeps its phrases
    # for when it is translated; only a page the site does not have at all is a mistake in the data
    wanted = {rel: lang for rel, lang in wanted.items() if not (site / rel).is_file()}
    if wanted:
        rel = sorted(wanted)[0]
        raise SearchIndexError(f"{Path(data_dir, 'search', wanted[rel] + '.yaml')}: pages: '{rel}' is not a searchable page of the site "
                               f"({len(wanted)} such)")
    out = site / BUNDLE_DIR
    if out.exists():
        shutil.rmtree(out)
    report.log, report.chunks, why = _bundle(docs, out)
    if why is not None:
        report.warnings.append(f"{out}: Pagefind's word index kept as written, not re-cut into small chunks "
                               f"({why}); the first search will download more. Is Pagefind still 1.5.x?")
    entry = out / "pagefind-entry.json"
    if entry.is_file():
        write_page_info(site, out, keywords, intents)
        write_answer_index(out, data_dir, keywords)
    if not entry.is_file():
        raise SearchIndexError(f"{entry}: Pagefind wrote no index")
    data = json.loads(entry.read_text("utf-8"))
    # Pagefind writes the language map in a varying order: rewrite it sorted, so builds are byte-identical
    entry.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), "utf-8")
    langs = data.get("languages", {})
    report.indexed = {lang: int(v.get("page_count", 0)) for lang, v in langs.items()}
    report.seconds = time.monotonic() - t0
    report.bundle_bytes = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    for lang, built in report.built.items():
        got, want = report.indexed.get(lang, 0), report.marked.get(lang, 0)
        if got != want or got < MIN_SHARE * built:
            raise SearchIndexError(f"{entry}: language '{lang}': {got} pages indexed, {want} marked for search, "
                                   f"{built} built; the site must not ship without search")
    return report


def _bundle(docs: list[tuple[str, str, str]], out: Path) -> tuple[str, dict, str | None]:
    """Pagefind run on the folded copies (fold_for_index) of `docs` (path, language, page text), its word
    index re-cut, into `out`: (Pagefind's output, the re-cut's chunk counts, why the word index was not
    re-cut or None). With LAWSITE_CACHE=1 the bundle's files are kept on disk keyed by every page (path
    and text before folding: the fold is engine code, in the key), the engine and Pagefind's version
    (lawsite.core.diskmemo): an unchanged site is neither folded nor indexed again."""
    parts = [(rel, text) for rel, _lang, text in docs]
    libs = ("pagefind", "pagefind_bin")
    k = diskmemo.key("pagefind-unfolded", parts, libs) if diskmemo.enabled() else None
    hit = diskmemo.load("pagefind", k) if k else None
    if (isinstance(hit, tuple) and len(hit) == 4 and isinstance(hit[3], dict)
            and all(isinstance(a, str) and isinstance(b, bytes) for a, b in hit[3].items())):
        for rel, data in sorted(hit[3].items()):
            dest = out / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        return hit[0], hit[1], hit[2]
    with tempfile.TemporaryDirectory(prefix="lawsite-search-") as tmp:
        for rel, text in parts:  # the folded copies Pagefind reads; the site keeps the real text
            dest = Path(tmp) / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(fold_for_index(text), "utf-8")
        log = _run_pagefind(Path(tmp), out)
    why = None
    chunks: dict = {}
    try:
        chunks = rechunk_bundle(out)
    except (ChunkFormatError, OSError, ValueError, KeyError) as e:
        why = str(e)
    recompress_wasm(out)  # search7: the WebAssembly, the largest part of a first query, about 3 KB smaller
    if k:
        files = {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}
        diskmemo.store("pagefind", k, (log, chunks, why, files))
    return log, chunks, why


_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
MAX_HEADINGS = 12  # h2 headings per page kept for the re-ranking (the first ones: a page's main subjects)


def _words_text(text: str) -> str:
    """Lower case NFC text with đ restored (fragments hold the folded d + U+0335 spelling)."""
    text = unfold(htmlmod.unescape(text))
    return normalize_tones(text).lower()


def unfold(text: str) -> str:
    return text.replace("d" + STROKE, "đ").replace("D" + STROKE, "Đ")


def page_info(site: Path, bundle: Path, keywords: dict | None = None, intents: dict | None = None) -> dict[str, dict]:
    """{language: {Pagefind page id: [title, description, [h2 headings], kind, [readers' phrases](, [intents])]}} read
    from the bundle's fragments and the built pages. search.js re-ranks Pagefind's results with it without downloading
    any fragment: a query's words found together (in order) in a page's title, description or main
    headings (and its headings that are questions) lift the page. kind: "doc" for a legal-document page, "" otherwise. intents (only on the pages that
    have some, from `load_page_intents`): the kinds of question the page answers."""
    out: dict[str, dict] = {}
    for frag in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(frag.read_bytes())
        data = json.loads(raw[len(SIGNATURE):] if raw.startswith(SIGNATURE) else raw)
        lang = frag.stem.split("_", 1)[0]
        url = data.get("url", "")
        html_file = site / url.strip("/") / "index.html" if url.strip("/") else site / "index.html"
        desc = ""
        if html_file.is_file():
            m = _DESCRIPTION.search(html_file.read_text("utf-8"))
            desc = m.group(1) if m else ""
        heads = [a.get("text", "") for a in data.get("anchors", []) if a.get("element") == "h2"][:MAX_HEADINGS]
        # questions asked in the page's own headings (a Q&A page's h3s) are how readers ask: they count like headings
        heads += [t for a in data.get("anchors", []) if a.get("element") == "h3" and (t := a.get("text", "").strip()).endswith("?")]
        kind = "doc" if "/van-ban/" in url and url.rstrip("/").rsplit("/", 1)[-1] != "van-ban" else ""
        rel = (url.strip("/") + "/index.html") if url.strip("/") else "index.html"
        phrases = [_words_text(k) for k in (keywords or {}).get(lang, {}).get(rel, [])]
        out.setdefault(lang, {})[frag.stem] = [_words_text(data.get("meta", {}).get("title", "")), _words_text(desc),
                                               [_words_text(h) for h in heads], kind, phrases]
        served = (intents or {}).get(lang, {}).get(rel)
        if served:
            out[lang][frag.stem].append(served)
    return out


_WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f\u0335][^\W_]*)*")
PAIR_MIN = 2  # a word pair seen fewer times than this in the indexed text counts as unknown (a likely typo)
PAIR_STRONG = 10  # ... and is corrected only to a pair seen at least this often ("ho chiu" -> "ho chieu", not "hanh lao" -> "hanh la")


def vocabulary(bundle: Path) -> dict[str, dict]:
    """{language: {"w": [words, most frequent first], "p": {word: "next words"}}}: every word of the indexed
    text (fragments' content, titles, readers' phrases) lower case without marks, and the word pairs seen at
    least PAIR_MIN times ("p") and PAIR_STRONG times ("s"). search.js downloads it only when a query finds (almost) nothing or holds a pair the
    site never uses, to correct a typo ("pasport", "ho chiu") to the nearest word or pair of the index."""
    words: dict[str, dict[str, int]] = {}
    pairs: dict[str, dict[tuple[str, str], int]] = {}
    bares: dict[str, str] = {}  # bare() of each distinct word once (most words recur thousands of times)
    for frag in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(frag.read_bytes())
        data = json.loads(raw[len(SIGNATURE):] if raw.startswith(SIGNATURE) else raw)
        lang = frag.stem.split("_", 1)[0]
        meta = data.get("meta", {})
        wc, pc = words.setdefault(lang, {}), pairs.setdefault(lang, {})
        for text in (data.get("content", ""), meta.get("title", ""), meta.get("keywords", "")):
            ws = [bares.get(w) or bares.setdefault(w, bare(w)) for w in _WORD.findall(unfold(htmlmod.unescape(text)))]
            for w in ws:
                if not w.isdigit():
                    wc[w] = wc.get(w, 0) + 1
            for a, b in zip(ws, ws[1:]):
                if not (a.isdigit() or b.isdigit()):
                    pc[a, b] = pc.get((a, b), 0) + 1
    out = {}
    for lang, wc in words.items():
        nexts: dict[str, list[str]] = {}
        strong: dict[str, list[str]] = {}
        for (a, b), n in sorted(pairs[lang].items()):
            if n >= PAIR_MIN:
                nexts.setdefault(a, []).append(b)
            if n >= PAIR_STRONG:
                strong.setdefault(a, []).append(b)
        out[lang] = {"w": sorted(wc, key=lambda w: (-wc[w], w)), "p": {a: " ".join(bs) for a, bs in nexts.items()},
                     "s": {a: " ".join(bs) for a, bs in strong.items()}}
    return out


def write_page_info(site: Path, bundle: Path, keywords: dict | None = None, intents: dict | None = None) -> None:
    """pagefind/lawsite-pages.<lang>.json (sorted keys: reproducible), loaded by search.js with the index."""
    for lang, pages in page_info(site, bundle, keywords, intents).items():
        (bundle / f"lawsite-pages.{lang}.json").write_text(
            json.dumps(pages, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
    frags = [(f.name, f.read_bytes()) for f in sorted((bundle / "fragment").glob("*.pf_fragment"))]  # all vocabulary reads
    for lang, vocab in diskmemo.memo("vocabulary", frags, lambda: vocabulary(bundle), valid=lambda v: isinstance(v, dict)).items():
        (bundle / f"lawsite-vocab.{lang}.json").write_text(
            json.dumps(vocab, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")


def _run_pagefind(src: Path, out: Path) -> str:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(src), "--output-path", str(out),
           "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"{out}: could not run Pagefind ({e}); install it with pip install 'pagefind[bin]'") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[-1]
        raise SearchIndexError(f"{out}: Pagefind failed (exit {proc.returncode}): {last}")
    return proc.stdout


def expired_label(config_file: str | Path, meta: dict, lang: str, project=None) -> str:
    """The status label of a generated legal-document page whose document is no longer in force on the
    build date (in the page's language), else "". `project`: the build's (else loaded for config_file's folder)."""
    number = meta.get("registry")
    if not number:
        return ""
    from lawsite.generate.blocks import status_label
    from lawsite.project.loader import build_date, load_project

    doc = (project or load_project(Path(config_file).parent)).registry.get(number)
    if doc is None:
        return ""
    status = doc.status_on(build_date())
    return status_label(status, lang) if status == "hết hiệu lực toàn bộ" else ""
