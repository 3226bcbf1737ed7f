"""Layer 6, generate: Markdown generated from data (document pages, index, procedure cards)."""
