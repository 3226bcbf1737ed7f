"""Clause summaries: short plain-language summaries written by the project, one file per language and
document, data/summaries/<lang>/<doc-slug>.yaml, keyed by provision ("21.2" = clause 2 of Article 21;
"15" = an article without clauses). A summary may use figures ({{ key }}), rendered from data/figures/.

Loaded with a schema check: each key must name an article/clause that exists in the registry, each
value must be a non-empty one-paragraph text, and every {{ key }} must be a known figure. Problems are
findings with the file and line (reported by `lawsite check` and the build through the document's page);
an invalid entry is left out of the page, never shown half-checked."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lawsite.project.figures import FIGURE_RE, Figures, fill_figures
from lawsite.core.findings import Finding
from lawsite.project.registry import Document
from lawsite.core.yamlio import load as _yload

KEY_RE = re.compile(r"^(?P<article>[0-9]+[a-z]?)(?:\.(?P<clause>[0-9]+[a-z]?))?$")
MAX_CHARS = 600  # a summary, not a copy of the clause


@dataclass
class Summaries:
    path: Path
    items: dict[str, str] = field(default_factory=dict)  # "21.2" -> text (NFC, figures not yet rendered)
    findings: list[Finding] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file

    def get(self, article: str, clause: str | None = None) -> str | None:
        return self.items.get(f"{article}.{clause}" if clause else article)


def summaries_path(root: Path, lang: str, slug: str) -> Path:
    return root / "data" / "summaries" / lang / f"{slug}.yaml"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _load(path: Path, root: Path, stamp, doc: Document, figure_keys: frozenset) -> Summaries:
    out = Summaries(path)
    shown = _rel(path, root)
    if stamp is None:
        return out

    def bad(line: int, detail: str) -> None:
        out.findings.append(Finding(shown, line, 1, "error", "summary_bad", {"detail": detail}))

    try:
        text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8").lstrip("\ufeff"))
    except UnicodeDecodeError:
        bad(1, "not UTF-8")
        return out
    try:
        data = _yload(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        bad(mark.line + 1 if mark else 1, f"YAML: {getattr(e, 'problem', e)}")
        return out
    if data is None:
        return out
    if not isinstance(data, dict):
        bad(1, "the file must map provisions to texts")
        return out
    lines = text.splitlines()

    def line_of(key: str) -> int:
        pat = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
        return next((i + 1 for i, l in enumerate(lines) if pat.match(l)), 1)

    for raw_key, value in data.items():
        key = str(raw_key)
        line = line_of(key)
        m = KEY_RE.match(key)
        if not m:
            bad(line, f"'{key}' is not a provision key (Article.Clause, e.g. \"21.2\")")
            continue
        art = doc.article(m.group("article"))
        if art is None:
            bad(line, f"'{key}': {doc.number} has no Article {m.group('article')} in data/registry/")
            continue
        if m.group("clause"):
            if not art.clauses or not any(c.number == m.group("clause") for c in art.clauses):
                bad(line, f"'{key}': Article {art.number} of {doc.number} has no clause {m.group('clause')} in data/registry/")
                continue
        elif art.clauses:
            bad(line, f"'{key}': Article {art.number} has clauses; summarise each clause (\"{art.number}.1\" …)")
            continue
        if not isinstance(value, str) or not value.strip():
            bad(line, f"'{key}': the summary must be a non-empty text")
            continue
        value = " ".join(value.split())
        if len(value) > MAX_CHARS:
            bad(line, f"'{key}': {len(value)} characters; keep a summary under {MAX_CHARS}")
            continue
        unknown = [f.group("key") for f in FIGURE_RE.finditer(value) if f.group("key") not in figure_keys]
        if unknown:
            bad(line, f"'{key}': unknown figure {{{{ {unknown[0]} }}}}")
            continue
        out.items[key] = value
        out.lines[key] = line
    return out


def load_summaries(project, lang: str, doc: Document) -> Summaries:
    """The summaries of `doc` in `lang`, read once per Project (project.cache("summaries"), keyed by the
    file's path, size and mtime: a project copied with another root reads its own files)."""
    path = summaries_path(project.root, lang, doc.slug)
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    memo = project.cache("summaries")
    key = (str(path), stamp, doc.number)
    if key not in memo:
        memo[key] = _load(path, project.root, stamp, doc, frozenset(project.figures.items))
    return memo[key]


def render_summary(text: str, figures: Figures, lang: str) -> str:
    return fill_figures(text, figures, lang)
