"""lawsite check [PATH ...]: one line per problem, PATH:LINE:COL: error|warning: message."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lawsite.commands import lang_option, say
from lawsite.project.loader import find_root, load_project
from lawsite.site.sitecheck import check_site, collect


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a date YYYY-MM-DD")


def add_parser(sub):
    p = sub.add_parser("check", help="check citations, figures, front matter and translations (no site build)")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: docs/)")
    p.add_argument("--date", type=_date, help="check citations as of this date instead of each page's last_reviewed")
    p.add_argument("--format", choices=["text", "github"], default="text", help="github: GitHub Actions annotations")
    lang_option(p, "language of the messages")
    p.add_argument("--quiet-info", action="store_true", help="do not print info lines")
    p.set_defaults(run=run)


def run(args) -> int:
    root = find_root()
    project = load_project(root)
    paths = args.paths or [root / "docs"]
    try:
        files = collect(paths, root)
    except FileNotFoundError as e:
        print(f"lawsite check: {e}: no such file or folder", file=sys.stderr)
        return 2
    whole = not args.paths
    rep = check_site(project, files, date=args.date, whole_site=whole)
    errors = warnings = 0
    for f in rep.all_findings:
        if f.severity == "info" and args.quiet_info:
            continue
        print(f.format(args.lang, args.format))
        errors += f.severity == "error"
        warnings += f.severity == "warning"
    if args.format == "text":
        print(say("cmd_check_summary", args.lang, files=len(files), errors=errors, warnings=warnings), file=sys.stderr)
    return 1 if errors else 0
