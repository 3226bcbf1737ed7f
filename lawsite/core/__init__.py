"""Layer 1, core: text, YAML, localisation, findings, errors, data-file settings, the markup allow-list.
Imports nothing else of lawsite."""
