"""lawsite impact DOCUMENT-OR-PROVISION: every page citing it (both languages), grouped by provision,
with the registry's changes that affect each provision (upcoming ones marked)."""
from __future__ import annotations

import json

from lawsite.commands import lang_option
from lawsite.site.impact import impact, report_lines
from lawsite.project.loader import find_root, load_project


def add_parser(sub):
    p = sub.add_parser("impact", help="list the pages citing a document or provision, with the changes that affect them")
    p.add_argument("target", help='a document number or a citation, e.g. 49/2019/QH14 or "Điều 27 Luật số 49/2019/QH14"')
    lang_option(p, "language of the report")
    p.add_argument("--format", choices=["text", "json"], default="text", help="json: machine-readable")
    p.set_defaults(run=run)


def run(args) -> int:
    project = load_project(find_root())
    imp = impact(project, args.target)
    if args.format == "json":
        data = {
            "document": imp.doc.number,
            "provision": imp.target.key() if imp.target else None,
            "document_changes": [_change(c) for c in imp.doc_changes],
            "groups": [{"provision": g.provision.key() if g.provision else None,
                        "changes": [_change(c) for c in g.changes],
                        "uses": [{"path": u.path, "line": u.line, "lang": u.lang, "text": u.text} for u in g.uses]}
                       for g in imp.groups],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print("\n".join(report_lines(imp, args.lang)))
    return 0


def _change(c) -> dict:
    return {"kind": c.kind, "date": c.date.isoformat(), "by": c.by, "unit": c.unit.key() if c.unit else None, "upcoming": c.upcoming}
