"""Layer 2, project: the data a check or build reads (registry, figures, clause summaries,
front matter schema, content audits) and the Project loader. Imports only lawsite/core."""
