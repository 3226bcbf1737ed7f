"""What a machine can check of "the citation supports the sentence" (issue 13 §1): a figure
({{ fine_… }}, a time limit, an age) used in a sentence must come from a provision the sentence cites.
Each figure in data/figures/ names its provision (`source`); a sentence that cites provisions and uses
a figure from none of them (nor from a unit containing them or contained in them) is an error with
file:line. A sentence without any citation is not judged here (uncited statements are the audit's).

Sentences: a table row is one unit (the figure and its citation sit in different cells); headings and
list items are their own units; a paragraph is split after . ! ? when the next word starts with a
capital letter or bold (so "Decree No. 282" or "e.g. the" do not end a sentence).

Also validates the clause summaries of a document page (data/summaries/<lang>/<slug>.yaml), so
`lawsite check` and the build report them with their file and line."""
from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

from lawsite.cite.model import Citation, Provision
from lawsite.project.figures import FIGURE_RE
from lawsite.core.findings import Finding
from lawsite.core.l10n import LANGS

_LIST_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|!!!|\?\?\?|<|:::|---+\s*$)")
_SENTENCE_END = re.compile(r"[.!?](?=\s+)")


def units(masked: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of a (masked) body."""
    out: list[tuple[int, int]] = []
    para: Optional[list[int]] = None  # [start, end]

    def close():
        nonlocal para
        if para is not None:
            out.extend(_sentences(masked, para[0], para[1]))
        para = None

    pos = 0
    for line in masked.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        s = line.strip()
        if not s:
            close()
            continue
        if s.startswith("|") or _BLOCK_START.match(line):
            close()
            out.append((start, end))
            continue
        if _LIST_START.match(line) or para is None:
            close()
            para = [start, end]
        else:
            para[1] = end
    close()
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, cur = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        j = m.end()
        while j < end and text[j].isspace():
            j += 1
        if j < end and (text[j].isupper() or text[j] == "*"):
            out.append((cur, m.end()))
            cur = j
    out.append((cur, end))
    return out


def _figure_source(project_id: int, key: str, source: str, project_ref) -> Optional[tuple]:
    """The provisions a figure's `source` names (memoised on the project: Project.cache)."""
    memo = project_ref.project.cache("figure_source")
    if (key, source) not in memo:
        memo[key, source] = _figure_source_uncached(key, source, project_ref.project)
    return memo[key, source]


def _figure_source_uncached(key: str, source: str, project) -> Optional[tuple]:
    from lawsite.cite.parse import get_parser
    from lawsite.cite.resolve import resolve

    lang = "en" if any(w in source for w in ("Article", "Clause", "Decree", "Law No", "Circular")) else "vi"
    cites = get_parser(lang, project.aliases(lang)).parse(source)
    resolve(cites, project.registry, [])
    cites = [c for c in cites if c.document is not None]
    if not cites:
        return None
    return tuple((c.document.number, tuple(c.provisions)) for c in cites)


class _Ref:
    def __init__(self, project):
        self.project = project

    def __hash__(self):
        return id(self.project)

    def __eq__(self, other):
        return isinstance(other, _Ref) and other.project is self.project


def supports(fig_src: tuple, cites: Iterable[Citation]) -> bool:
    for c in cites:
        if c.document is None:
            continue
        for number, provs in fig_src:
            if number != c.document.number:
                continue
            if not c.provisions or not provs:
                return True
            if any(p.overlaps(q) for p in c.provisions for q in provs):
                return True
    return False


def check_figures(project, path: str, masked: str, cites: list[Citation], at: Callable[[int], tuple[int, int]]) -> list[Finding]:
    findings: list[Finding] = []
    cites = [c for c in cites if c.document is not None]
    figs = list(FIGURE_RE.finditer(masked))
    if not figs or not cites:
        return findings
    ref = _Ref(project)
    for s, e in units(masked):
        here = [m for m in figs if s <= m.start() < e]
        if not here:
            continue
        in_sentence = [c for c in cites if s <= c.start < e]
        if not in_sentence:
            continue
        for m in here:
            fig = project.figures.get(m.group("key"))
            if fig is None:
                continue  # reported as fig_unknown
            src = _figure_source(id(project), m.group("key"), fig.source, ref)
            if src is None:
                continue  # reported by the figure-sources check
            if not supports(src, in_sentence):
                ln, col = at(m.start())
                findings.append(Finding(path, ln, col, "error", "fig_wrong_provision",
                                        {"key": m.group("key"), "source": fig.source,
                                         "cited": "; ".join(dict.fromkeys(c.text for c in in_sentence))}))
    return findings


def check_card(project, path: str, meta: dict, line_of: Callable[[str], int], parser) -> list[Finding]:
    """Procedure-card values that carry both a figure and a citation."""
    from lawsite.cite.resolve import resolve

    out: list[Finding] = []
    card = meta.get("procedure")
    if not isinstance(card, dict):
        return out
    for k, v in card.items():
        for item in (v if isinstance(v, list) else [v]):
            text = str(item or "")
            if "{{" not in text:
                continue
            cc = parser.parse(text)
            resolve(cc, project.registry, meta.get("documents", []))
            line = line_of(k)
            out += check_figures(project, path, text, cc, lambda off, line=line: (line, 1))
    return out


def check_page(project, path: str, meta: dict, lang: str, masked: str, cites: list[Citation],
               at: Callable[[int], tuple[int, int]], yaml_text: Optional[str] = None) -> list[Finding]:
    """All docpages checks of one page (called once from page.py)."""
    from lawsite.cite.parse import get_parser

    out = check_figures(project, path, masked, cites, at)
    from lawsite.page.companions import companion_problems, load_rules  # audit5: an exception cited with its rule
    out += companion_problems(load_rules(project), path, lang, masked, cites, at)
    if yaml_text is not None and isinstance(meta.get("procedure"), dict):
        def line_of(key: str) -> int:
            m = re.search(rf"^\s*{re.escape(key)}\s*:", yaml_text, re.M)
            return yaml_text.count("\n", 0, m.start()) + 2 if m else 1
        out += check_card(project, path, meta, line_of, get_parser(lang, project.aliases(lang)))
    if meta.get("registry"):
        doc = project.registry.get(str(meta["registry"]))
        if doc is not None:
            from lawsite.project.summaries import load_summaries

            sums = load_summaries(project, lang, doc)
            out += sums.findings
            out += list(summary_figure_problems(project, doc, sums).values())
            if lang != LANGS[0]:
                base = load_summaries(project, LANGS[0], doc)
                out += summary_parity_problems(project, base, sums)
    return out


def summary_parity_problems(project, base, sums) -> list[Finding]:
    """A translation of the clause summaries (audit4): the same provisions are summarised in both
    languages, and each summary uses the same figures as its source-language text, so one language
    cannot give a time limit or an amount the other leaves out (or a different one). Reported on the
    translated file, at the entry's line (or line 1 for an entry only the source language has)."""
    from lawsite.project.summaries import _rel

    if not base.items or not sums.items:
        return []  # a missing file is reported elsewhere (or the document has no summaries yet)
    out: list[Finding] = []
    shown = _rel(sums.path, project.root)
    src = _rel(base.path, project.root)
    for key in sorted(base.items.keys() - sums.items.keys()):
        out.append(Finding(shown, 1, 1, "error", "summary_bad",
                           {"detail": f"'{key}' is summarised in {src} (line {base.lines.get(key, 1)}) but not here"}))
    for key in sorted(sums.items.keys() - base.items.keys()):
        out.append(Finding(shown, sums.lines.get(key, 1), 1, "error", "summary_bad",
                           {"detail": f"'{key}' has no summary in {src}"}))
    for key in sorted(base.items.keys() & sums.items.keys()):
        a = {m.group("key") for m in FIGURE_RE.finditer(base.items[key])}
        b = {m.group("key") for m in FIGURE_RE.finditer(sums.items[key])}
        if a != b:
            diff = ", ".join(f"{{{{ {k} }}}}" for k in sorted(a ^ b))
            out.append(Finding(shown, sums.lines.get(key, 1), 1, "error", "summary_bad",
                               {"detail": f"'{key}' does not use the same figures as {src} line {base.lines.get(key, 1)} ({diff})"}))
    return out


def summary_figure_problems(project, doc, sums) -> dict[str, Finding]:
    """A figure in the summary of clause 21.2 must come from that clause (or a unit in or around it).
    Returns {summary key: finding}; the document page leaves those summaries out."""
    from lawsite.project.summaries import KEY_RE, _rel

    out: dict[str, Finding] = {}
    ref = _Ref(project)
    for key, text in sums.items.items():
        m = KEY_RE.match(key)
        here = Provision(m.group("article"), m.group("clause"))
        for f in FIGURE_RE.finditer(text):
            fig = project.figures.get(f.group("key"))
            src = _figure_source(id(project), f.group("key"), fig.source, ref) if fig else None
            if src is None:
                continue
            if not any(n == doc.number and any(here.overlaps(q) for q in provs) for n, provs in src):
                out.setdefault(key, Finding(_rel(sums.path, project.root), sums.lines.get(key, 1), 1, "error", "summary_bad",
                                            {"detail": f"'{key}': figure {{{{ {f.group('key')} }}}} comes from {fig.source}, not from this provision"}))
    return out
