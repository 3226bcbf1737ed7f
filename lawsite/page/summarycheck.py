"""A cited provision of a document whose full text was read must have its clause summary (mends8).

The document page (`van-ban/<slug>/`) shows a short summary beside every provision a page cites, in
the page's language, from data/summaries/<lang>/<slug>.yaml. For a document with `confidence: VT`
(its text was read for this project; the others have no summaries at all), a page citing a clause
(or a point of it, or an article without clauses) whose summary is missing from that file gets
`cite_clause_no_summary`, an error at the citation's file:line naming the document, the provision
and the file to edit. One finding per page and provision (at its first citation). Provisions the
registry does not hold, or has repealed, are reported by the citation checks, not here. A project
without a data/summaries/ folder (the tests' small projects) writes no summaries, so asks for none."""
from __future__ import annotations

from typing import Iterable, Optional

from lawsite.cite.model import Citation, Provision
from lawsite.core.findings import Finding


def summary_key(doc, p: Provision) -> Optional[str]:
    """The key of data/summaries/ that a citation of `p` needs: "21.2" for a clause or a point of it,
    "15" for an article without clauses; None when no summary is expected (an article with clauses
    cited whole, a unit the registry does not have or has repealed)."""
    if not p.article:
        return None
    art = doc.article(p.article)
    if art is None or art.clauses is None:
        return None
    if p.clause:
        clause = next((c for c in art.clauses if c.number == p.clause), None)
        if clause is None or clause.repealed is not None or art.repealed is not None:
            return None
        return f"{art.number}.{clause.number}"
    if art.clauses == [] and art.repealed is None:
        return art.number
    return None


def missing_summaries(project, path: str, lang: str, cites: Iterable[tuple[Citation, tuple[int, int]]]) -> list[Finding]:
    """cites: (citation, (line, col)) in page order. The findings of the cited provisions of VT
    documents that have no summary in the page's language."""
    from lawsite.cite.names import doc_names, provision_text
    from lawsite.core.findings import Localized
    from lawsite.project.summaries import _rel, load_summaries, summaries_path

    out: list[Finding] = []
    if not (project.root / "data" / "summaries").is_dir():
        return out
    seen: set = set()
    for c, (line, col) in cites:
        doc = c.document
        if doc is None or c.ignored or doc.confidence != "VT":
            continue
        for p in c.provisions:
            key = summary_key(doc, p)
            if key is None or (doc.number, key) in seen:
                continue
            seen.add((doc.number, key))
            if key in load_summaries(project, lang, doc).items:
                continue
            art, _, clause = key.partition(".")
            unit = Provision(art, clause or None)
            out.append(Finding(path, line, col, "error", "cite_clause_no_summary",
                               {"cite": c.text, "doc": doc_names(doc), "key": key,
                                "provision": Localized(vi=provision_text(unit, "vi"), en=provision_text(unit, "en")),
                                "file": _rel(summaries_path(project.root, lang, doc.slug), project.root)}))
    return out
