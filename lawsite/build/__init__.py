"""Layer 7, build: one language build's state and the steps around the generator (search,
Pagefind re-cut, HTML fixes, CSS pruning, feeds, deploy checks). Imports every lower layer."""
