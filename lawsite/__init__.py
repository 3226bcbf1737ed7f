"""lawsite: the engine behind the bilingual exit/entry law site.

Plain Python, no MkDocs import: parse -> resolve -> validate -> render for legal citations,
the legal registry, figures, front matter and the checks that the hooks, the CLI and the tests share.
"""

__version__ = "0.1.0"
