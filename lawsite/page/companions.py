"""Companion citations (audit5): a rule with an exception elsewhere must not be stated without it.

The rules are data (data/companion-citations.yaml). A *block* of a page is the text between two blank
lines: a paragraph, a whole list or a table. When a block cites one of a rule's `when` units exactly
and contains one of its `about` phrases (in the page's language), the block must also cite one of
its `also` units (or a part of one); otherwise the page gets `cite_companion_missing` (an error) at
the first such citation. Example: a sentence saying that a person under exit suspension cannot use
a passport (Law 49 Art. 26) must name the special case of Art. 37 cl. 12 in the same paragraph or
list. Rule-file problems stop the check with file:line (`companion_bad`), like any data file.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from lawsite.core.findings import Finding, Localized
from lawsite.core.settings import LANGS, DataError
from lawsite.core.yamlio import YAMLError, error_position, load
from lawsite.project.audit import CITE_RE, _check_cite

RULES_FILE = "data/companion-citations.yaml"
_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Unit:
    doc: str
    article: Optional[str]
    clause: Optional[str]
    point: Optional[str]

    @classmethod
    def parse(cls, spec: str) -> "Unit":
        m = CITE_RE.match(unicodedata.normalize("NFC", spec.strip()))
        pt = m.group("pt")
        return cls(m.group("doc"), m.group("art"), m.group("cl"), "đ" if pt == "dd" else pt)

    def equals(self, doc: str, p) -> bool:
        return (doc, p.article, p.clause, p.point) == (self.doc, self.article, self.clause, self.point)

    def holds(self, doc: str, p) -> bool:
        """The cited unit is this one or a part of it."""
        if doc != self.doc:
            return False
        for mine, theirs in ((self.article, p.article), (self.clause, p.clause), (self.point, p.point)):
            if mine is None:
                return True
            if mine != theirs:
                return False
        return True

    def words(self, registry) -> Localized:
        """The unit as a citation in each language, written by the citation grammar."""
        from lawsite.cite.model import Provision
        from lawsite.cite.names import citation_text

        doc = registry.get(self.doc)
        prov = Provision(self.article, self.clause, self.point)
        return Localized(**{lang: citation_text(doc, prov, lang) for lang in LANGS})


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[Unit, ...]
    also: tuple[Unit, ...]
    also_words: Localized  # the first `also` unit as a citation, in each language
    about: dict  # lang -> tuple of casefolded NFC phrases
    exception: dict  # lang -> text


def _fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


def _problem(line: int, detail: str) -> Finding:
    return Finding(RULES_FILE, line, 1, "error", "companion_bad", {"detail": detail})


def parse_rules(text: str, registry) -> list[Rule]:
    """The rules of data/companion-citations.yaml; DataError (file:line) for a bad file."""
    try:
        data = load(text)
    except YAMLError as e:
        line, _col, problem = error_position(e)
        raise DataError([_problem(max(line, 1), problem)]) from None
    lines = text.split("\n")

    def line_of(needle: str, start: int = 0) -> int:
        return next((i + 1 for i in range(start, len(lines)) if needle in lines[i]), 1)

    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise DataError([_problem(1, "the file must hold 'rules:', a list of rules")])
    out, problems, seen = [], [], set()
    for n, r in enumerate(data["rules"], 1):
        rid = r.get("id") if isinstance(r, dict) else None
        at = line_of(f"id: {rid}") if rid else 1
        if not isinstance(r, dict) or not isinstance(rid, str) or not rid:
            problems.append(_problem(at, f"rule {n} has no id"))
            continue
        if rid in seen:
            problems.append(_problem(at, f"rule '{rid}' is written twice"))
        seen.add(rid)
        unknown = set(r) - {"id", "when", "also", "about", "exception"}
        if unknown:
            problems.append(_problem(at, f"rule '{rid}': unknown key(s) {', '.join(sorted(unknown))}"))
        units = {}
        for key in ("when", "also"):
            specs = r.get(key)
            if not isinstance(specs, list) or not specs or not all(isinstance(s, str) for s in specs):
                problems.append(_problem(at, f"rule '{rid}': '{key}' must be a list of citations such as \"37.12@49/2019/QH14\""))
                continue
            good = []
            for s in specs:
                code = _check_cite(s, registry)
                if code:
                    what = {"bad_cite": "is not written as ARTICLE[.CLAUSE[.POINT]]@NUMBER",
                            "unknown_doc": "names a document that is not in data/registry/",
                            "unknown_provision": "names a provision the registry does not have"}[code]
                    problems.append(_problem(line_of(s, at - 1), f"rule '{rid}': '{s}' {what}"))
                else:
                    good.append(Unit.parse(s))
            units[key] = tuple(good)
        texts = {}
        for key in ("about", "exception"):
            val = r.get(key)
            if not isinstance(val, dict) or set(val) != set(LANGS):
                problems.append(_problem(at, f"rule '{rid}': '{key}' must give every language ({', '.join(LANGS)})"))
                continue
            if key == "about" and not all(isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v)
                                          for v in val.values()):
                problems.append(_problem(at, f"rule '{rid}': each language of 'about' must be a list of phrases"))
                continue
            if key == "exception" and not all(isinstance(v, str) and v.strip() for v in val.values()):
                problems.append(_problem(at, f"rule '{rid}': each language of 'exception' must be a text"))
                continue
            texts[key] = val
        if len(units) == 2 and len(texts) == 2 and units["when"] and units["also"]:
            out.append(Rule(rid, units["when"], units["also"], units["also"][0].words(registry),
                            {lang: tuple(_fold(x) for x in v) for lang, v in texts["about"].items()},
                            dict(texts["exception"])))
    if problems:
        raise DataError(problems)
    return out


def load_rules(project) -> list[Rule]:
    """The project's rules, read once per Project (an absent file means no rule)."""
    memo = project.cache("companion_rules")
    if "rules" not in memo:
        f = Path(project.root) / RULES_FILE
        memo["rules"] = parse_rules(f.read_text(encoding="utf-8"), project.registry) if f.is_file() else []
    return memo["rules"]


def companion_problems(rules: list[Rule], path: str, lang: str, masked: str, cites,
                       at: Callable[[int], tuple[int, int]]) -> list[Finding]:
    """One finding per (block, rule) whose `when` citation has no `also` citation beside it."""
    if not rules:
        return []
    bounds = [0] + [m.end() for m in _BLANK.finditer(masked)] + [len(masked) + 1]
    blocks: dict[int, list] = {}
    for c in cites:
        if c.document is None or c.ignored:
            continue
        i = bisect.bisect_right(bounds, c.start) - 1  # the block whose bounds hold the citation
        blocks.setdefault(i, []).append(c)
    out = []
    for i, group in sorted(blocks.items()):
        text = _fold(masked[bounds[i]:bounds[i + 1]])
        for rule in rules:
            if not any(p in text for p in rule.about.get(lang, ())):
                continue
            first = next((c for c in group for p in c.provisions
                          if any(u.equals(c.document.number, p) for u in rule.when)), None)
            if first is None:
                continue
            if any(u.holds(c.document.number, p) for c in group for p in c.provisions for u in rule.also):
                continue
            ln, col = at(first.start)
            out.append(Finding(path, ln, col, "error", "cite_companion_missing",
                               {"cite": first.text, "also": rule.also_words,
                                "exception": Localized(**rule.exception), "rule": rule.id}))
    return out
