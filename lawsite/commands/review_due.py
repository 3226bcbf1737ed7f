"""lawsite review-due [--months N] [--format text|markdown]: pages whose review is due."""
from __future__ import annotations

import sys

from lawsite.commands import lang_option, say
from lawsite.project.loader import find_root, load_project
from lawsite.site.review import DEFAULT_MONTHS, as_markdown, as_text, review_due


def _months(s: str) -> int:
    import argparse

    try:
        n = int(s)
    except ValueError:
        n = -1
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{s}' is not a number of months (1, 2, 3 …)")
    return n


def add_parser(sub):
    p = sub.add_parser("review-due", help="pages not reviewed for N months, or citing a provision changed since their review")
    p.add_argument("--months", type=_months, default=DEFAULT_MONTHS, help=f"review interval in months (default: {DEFAULT_MONTHS})")
    p.add_argument("--format", choices=["text", "markdown"], default="text", help="markdown: a checklist for a GitHub issue")
    lang_option(p, "language of the output")
    p.set_defaults(run=run)


def run(args) -> int:
    project = load_project(find_root())
    today = project.today
    items = review_due(project, args.months, today)
    if args.format == "markdown":
        print(as_markdown(items, args.lang, today=today, months=args.months))
    else:
        if items:
            print(as_text(items, args.lang))
        n = len(items)
        print(say("cmd_review_due_summary", args.lang, n=n), file=sys.stderr)
    return 0
