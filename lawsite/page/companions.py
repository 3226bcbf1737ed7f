"""Companion citations (audit5): a rule with an exception elsewhere must not be stated without it.

The rules are data (data/companion-citations.yaml). A *block* of a page is the text between two blank
lines: a paragraph, a whole list or a table. When a block cites one of a rule's `when` units exactly
and contains one of its `about` phrases (in the page's language), the block must also cite one of
its `also` units (or a part of one); otherwise the page gets `cite_companion_missing` (an error) at
the first such citation. Example: a sentence saying that a person under exit suspension cannot use
a passport (Law 49 Art. 26) must name the special case of Art. 37 cl. 12 in the same paragraph or
list. The rules are read and validated once, with the Project (lawsite/project/companion_rules.py:
a bad rule file stops the check and the build with file:line, like any data file).
"""
from __future__ import annotations

import bisect
import re
from typing import Callable

from lawsite.core.findings import Finding, Localized
from lawsite.project.companion_rules import RULES_FILE, Rule, Unit, fold as _fold, parse_rules  # noqa: F401 (re-exported)

_BLANK = re.compile(r"\n[ \t]*\n")


def load_rules(project) -> list[Rule]:
    """The project's rules, loaded with it (load_project); none for a Project built without them."""
    return getattr(project, "companions", None) or []


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
