"""Citation engine: parse -> resolve -> validate -> render.

    from lawsite.cite import parse, resolve, validate, render

No MkDocs import anywhere in this package: the hooks, the CLI and the tests all call it.
"""
from lawsite.cite.model import Citation, DocRef, Provision  # noqa: F401
from lawsite.cite.parse import Parser, get_parser  # noqa: F401
