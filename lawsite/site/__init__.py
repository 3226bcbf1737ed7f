"""Layer 5, site: checks and reports across pages (parity, translations, review, impact,
page history, staff status). Imports core, project, cite and page."""
