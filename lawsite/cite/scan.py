"""Scan: the citation engine on a legal text that is not a page of the site (`lawsite scan`).

Structure-aware reading (issue 12 §2):

- an article heading ("Điều 21. …", "Article 21. …") is not a citation: it sets the current article;
  a line starting "1." sets the clause, "a)" the point;
- "Điều này / khoản này / điểm này" are the enclosing units; "Luật này / Nghị định này …" the text's
  own document; a reference that names no document belongs to the enclosing document (never to the
  last document named);
- in an article that amends another document ("Sửa đổi, bổ sung một số điều của Nghị định số X"),
  bare references belong to the amended document; in a quoted text introduced by a line ending
  "như sau:", "Điều này" and "Nghị định này" are the quoted document's own (the document that line
  names, else the enclosing one), and a quoted heading sets the quoted article;
- a footnote ("[3] Khoản này được sửa đổi …") speaks of the unit where its marker stands.

Severities (§1): an error only when the registry holds the structure of the document on that date
and the cited unit does not exist (or the citation is malformed); a document or structure the
registry does not hold is info; status notes (not yet / no longer in force) are warnings.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Optional

from lawsite.core.findings import Finding
from lawsite.project.registry import Document, Registry
from lawsite.core.text import mask, nfc
from lawsite.cite.model import SELF, Citation, Provision
from lawsite.cite.names import doc_names
from lawsite.cite.parse import _LOOK_RE, LOOKALIKE, get_parser, load_grammar
from lawsite.cite.resolve import Problem, expand_ranges, full_form, lookup_ref, unself
from lawsite.cite.validate import _check_provision

# codes that say the cited unit does not exist (or the citation is malformed): errors in scan
ERROR_CODES = {"cite_unknown_article", "cite_no_clauses", "cite_unknown_clause", "cite_no_points",
               "cite_unknown_point", "cite_bad_range", "cite_bad_point_letter", "cite_suspicious_char",
               "cite_bad_date"}
WARNING_CODES = {"cite_not_yet_in_force", "cite_expired", "cite_article_not_yet", "cite_article_repealed",
                 "cite_clause_not_yet", "cite_clause_repealed", "cite_point_not_yet", "cite_point_repealed",
                 "cite_uncertain_title"}


@dataclass
class Reference:
    """One reference found by scan, in the format of `lawsite scan --format jsonl`."""

    line: int
    col: int
    end_line: int
    text: str
    document: Optional[str]
    in_registry: bool
    provisions: list[str]
    findings: list[dict] = field(default_factory=list)
    citation: Optional[Citation] = None

    def as_json(self) -> dict:
        return {"line": self.line, "col": self.col, "end_line": self.end_line, "text": self.text,
                "document": self.document, "in_registry": self.in_registry, "provisions": self.provisions,
                "findings": self.findings}


@dataclass
class _Target:
    """A document a reference may belong to: a registry document, or one named as written."""

    doc: Optional[Document] = None
    written: Optional[str] = None

    @property
    def name(self) -> Optional[str]:
        return self.doc.number if self.doc else self.written


@dataclass
class _Quote:
    target: _Target
    article: Optional[str] = None
    clause: Optional[str] = None
    point: Optional[str] = None


def prov_text(p: Provision) -> str:
    s = p.article or "?"
    if p.clause:
        s += "." + p.clause
    if p.point:
        s += "." + p.point
    return s


class Scanner:
    """Reads one language's legal texts; built once per (language, document names)."""

    def __init__(self, lang: str, registry: Registry, aliases):
        self.lang = lang
        self.registry = registry
        self.parser = get_parser(lang, aliases)
        st = load_grammar(lang)["structure"]
        self.heading = re.compile(st["heading"])
        self.clause = re.compile(st["clause"])
        self.point = re.compile(st["point"])
        self.footnote = re.compile(st["footnote"])
        self.amending = re.compile(st["amending"])
        self.quote_intro = re.compile(st["quote_intro"])
        self.marker = re.compile(r"\[(\d{1,3})\]")
        # "at Point b Clause 1" with no article, in an article amending "Clause 1 Article 19 of Decree …"
        self.orphans = bool(load_grammar(lang).get("amending_units_without_article"))
        self.quote_end = re.compile(r"[”\"][.;,:]*[”\"]?[.;,]*\s*$")

    # ------------------------------------------------------------------------------------------
    def scan(self, text: str, *, document: Optional[str], on: dt.date, msg_lang: Optional[str] = None) -> list[Reference]:
        text = nfc(text)
        if text.startswith("\ufeff"):
            text = text[1:]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        msg_lang = msg_lang or self.lang
        own = _Target()
        if document:
            d = self.registry.get(document)
            own = _Target(d, None if d else document)
        masked = list(mask(text))
        # structure is read with look-alike letters mapped ("Ðiều 317." with U+00D0 is still a heading)
        lines = _LOOK_RE.sub(lambda m: LOOKALIKE[m.group()], text).split("\n")
        starts = []
        acc = 0
        for ln in lines:
            starts.append(acc)
            acc += len(ln) + 1
        # blank the "Điều 21." prefix of headings: a heading is not a citation
        for i, ln in enumerate(lines):
            m = self.heading.match(ln)
            if m:
                a = starts[i] + m.start(0)
                for k in range(a, starts[i] + m.end(0)):
                    masked[k] = " "
        masked_text = "".join(masked)
        cites = self.parser.parse(text, masked=masked_text, titles=True, self_docs=True, learn=True,
                                  orphans=self.orphans)
        by_line: dict[int, list[Citation]] = {}
        import bisect
        for c in cites:
            i = bisect.bisect_right(starts, c.start) - 1
            by_line.setdefault(i, []).append(c)
        out: list[Reference] = []
        article = clause = point = None
        amend: Optional[_Target] = None
        amend_article: Optional[str] = None  # the article an amending heading names ("… Clause 1 Article 19 of Decree …")
        quote: Optional[_Quote] = None
        pending_quote: Optional[_Quote] = None
        footnotes: dict[str, tuple] = {}
        in_notes = False
        for i, ln in enumerate(lines):
            s = ln.lstrip()
            opens = s[:1] in ("“", '"')
            if quote is None and opens and pending_quote is not None:
                quote = pending_quote
            if quote is None and pending_quote is not None and s and not opens:
                pending_quote = None
            fn = self.footnote.match(ln)
            if fn and (in_notes or fn.group(1) == "1") and quote is None:
                in_notes = True
                article, clause, point = footnotes.get(fn.group(1), (None, None, None))
                amend = None
            h = self.heading.match(ln)
            unit = quote if quote is not None else None
            if h:
                if unit is not None:
                    unit.article, unit.clause, unit.point = h.group("n"), None, None
                else:
                    article, clause, point = h.group("n"), None, None
                    rest = ln[h.end():].strip()
                    amend = _Target() if self.amending.match(rest) else None  # filled from the heading's citations
                    amend_article = None
                    in_notes = False if not fn else in_notes
            else:
                mc = self.clause.match(ln)
                mp = self.point.match(ln) if not mc else None
                if unit is not None:
                    if mc:
                        unit.clause, unit.point = mc.group("n"), None
                    elif mp:
                        unit.point = mp.group("n")
                elif not in_notes:
                    if mc:
                        clause, point = mc.group("n"), None
                    elif mp:
                        point = mp.group("n")
            # references of this line
            intro = None
            for c in by_line.get(i, []):
                if c.no_article:
                    # a clause with no article: only where the amending heading names the article, else not a reference
                    if quote is not None or amend is None or not amend.name or not amend_article or h:
                        continue
                    ref, _ = self._reference(c, text, starts, i, amend, own, (amend_article, None, None), on, msg_lang)
                    if ref is not None:
                        out.append(ref)
                    continue
                if quote is not None:
                    enclosing, self_doc = quote.target, quote.target
                    ctx = (quote.article, quote.clause, quote.point)
                else:
                    enclosing = amend if (amend is not None and amend.name) else own
                    self_doc = own
                    ctx = (article, clause, point)
                ref, target = self._reference(c, text, starts, i, enclosing, self_doc, ctx, on, msg_lang)
                if ref is None:
                    continue
                out.append(ref)
                if h and amend is not None and not amend.name and c.doc is not None and c.doc.kind != "self" and quote is None:
                    amend.doc, amend.written = target.doc, target.written
                    arts = {p.article for p in c.provisions}
                    amend_article = arts.pop() if len(arts) == 1 else None
                if intro is None and c.doc is not None and c.doc.kind != "self":
                    intro = (target, c)
            # a line ending "như sau:" introduces a quoted text
            if self.quote_intro.search(ln) and quote is None:
                tgt = intro[0] if intro else (amend if (amend is not None and amend.name) else own)
                q = _Quote(tgt)
                cs = by_line.get(i, [])
                if cs and cs[-1].provisions:
                    p = cs[-1].provisions[0]
                    q.article, q.clause, q.point = p.article, p.clause, p.point
                elif not intro:
                    q.article, q.clause, q.point = article, clause, point
                pending_quote = q
            elif h and quote is None and amend is not None and amend.name:
                # "Điều 67. Sửa đổi, bổ sung Điều 34 của Nghị định số …": the quoted article follows
                cs = by_line.get(i, [])
                q = _Quote(amend)
                if cs and cs[0].provisions:
                    q.article = cs[0].provisions[0].article
                pending_quote = q
            # footnote markers: the unit where they stand
            if not in_notes:
                for m in self.marker.finditer(ln):
                    footnotes[m.group(1)] = (article, clause, point) if quote is None else (article, clause, point)
            if quote is not None and self.quote_end.search(ln):
                quote = None
                pending_quote = None
        return out

    # ------------------------------------------------------------------------------------------
    def _reference(self, c: Citation, text: str, starts: list[int], i: int, enclosing: _Target, self_doc: _Target,
                   ctx: tuple, on: dt.date, msg_lang: str):
        probs: list[Problem] = []
        if c.problem:
            probs.append(Problem(c, "cite_" + c.problem, dict(c.problem_params)))
        ref = c.doc
        target = _Target()
        if ref is None:
            target = enclosing
            if not target.name:
                probs.append(Problem(c, "cite_no_document", {"text": c.text}, "info"))
        elif ref.kind == "self":
            target = self_doc
            if not target.name:
                probs.append(Problem(c, "cite_no_document", {"text": c.text}, "info"))
        else:
            doc, prob = lookup_ref(c, ref, self.registry)
            if doc is None and prob is None:
                return None, target  # a short form naming nothing in the registry: not a citation
            if prob:
                probs.append(prob)
            target = _Target(doc, None if doc else (c.unknown or ref.text))
            if doc is not None and ref.kind == "short":
                probs.append(Problem(c, "cite_short_form", {"text": ref.text, "doc": full_form(doc)}, "info"))
        if any(SELF in (p.article, p.clause, p.point) for p in c.provisions):
            if not unself(c, *ctx):
                probs.append(Problem(c, "cite_no_context", {"text": c.text}, "info"))
        doc = target.doc
        expand_ranges(c, doc, probs)
        if doc is not None:
            day = on
            names = doc_names(doc)
            if doc.effective is None:  # unknown effective date: said, not guessed
                probs.append(Problem(c, "cite_effective_unknown", {"doc": names}, "info"))
            elif day < doc.effective:
                probs.append(Problem(c, "cite_not_yet_in_force", {"doc": names, "effective": doc.effective, "date": day}))
            elif doc.end is not None and day >= doc.end:
                probs.append(Problem(c, "cite_expired", {"doc": names, "end": doc.end, "successor_text": "", "historical_example": ""}))
            for p in c.provisions:
                if p.article:
                    probs.extend(_check_provision(c, doc, p, day))
        findings = []
        for p in probs:
            if p.code in ERROR_CODES:
                sev = "error"
            elif p.code in WARNING_CODES:
                sev = "warning"
            else:
                sev = "info"
            f = Finding("", 0, 0, sev, p.code, p.params)
            findings.append({"severity": sev, "code": p.code, "message": f.message(msg_lang, hint=False)})
        line = i + 1
        col = c.start - starts[i] + 1
        end_line = line + text.count("\n", c.start, max(c.start, c.end - 1))
        r = Reference(line, col, end_line, c.text, target.name, doc is not None,
                      [prov_text(p) for p in c.provisions], findings, c)
        return r, target


def scan_text(project, text: str, *, lang: str, document: Optional[str], on: dt.date, msg_lang: Optional[str] = None) -> list[Reference]:
    """Every reference in ``text`` (a legal text, letter or article), resolved and checked as of ``on``."""
    cache = project.__dict__.setdefault("_scanners", {})
    if lang not in cache:
        cache[lang] = Scanner(lang, project.registry, project.aliases(lang))
    return cache[lang].scan(text, document=document, on=on, msg_lang=msg_lang)
