"""Layer 4, page: one page checked and rendered (front matter, citations, figures).
Imports core, project and cite."""
