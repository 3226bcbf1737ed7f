"""What a deploying province must configure (data/site.yaml), and the settings the templates read:
the agency's name in the header and footer, the short site name for phones, and the switches that
show developer links (edit pencil, repository link, "Made with") only when the province wants them.

A production build (site_url a real address, not example.gov.vn or a local one) refuses to run while
the province's contacts are empty: one line naming the keys to fill in."""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urlsplit

PLACEHOLDER_HOSTS = {"", "example.gov.vn", "www.example.gov.vn", "localhost", "127.0.0.1", "0.0.0.0", "::1"}
# keys that must be filled for a public build: who publishes, and at least one way to reach them
REQUIRED = ["province.name", "province.police_name"]
ANY_CONTACT = ["province.hotline", "province.email", "province.address", "province.zalo_url"]
SWITCHES = {"show_edit_link": False, "show_repo_link": False, "show_made_with": False}


def _get(settings: dict, dotted: str):
    v = settings or {}
    for part in dotted.split("."):
        v = v.get(part) if isinstance(v, dict) else None
    return v


def _filled(v, lang: Optional[str] = None) -> bool:
    if isinstance(v, dict):
        vals = [v.get(lang)] if lang else list(v.values())
        return all(isinstance(x, str) and x.strip() for x in vals) if vals else False
    return isinstance(v, str) and bool(v.strip())


def text(settings: dict, dotted: str, lang: str) -> str:
    """A language-specific (or plain) setting as a stripped string; '' when empty."""
    v = _get(settings, dotted)
    if isinstance(v, dict):
        v = v.get(lang)
    return v.strip() if isinstance(v, str) else ""


def is_production(site_url: Optional[str], env: Optional[dict] = None) -> bool:
    """A public address, unless LAWSITE_PREVIEW=1 marks a demonstration copy (e.g. the upstream
    repository's own GitHub Pages, which has no province)."""
    import os

    if (env if env is not None else os.environ).get("LAWSITE_PREVIEW") == "1":
        return False
    host = (urlsplit(site_url or "").hostname or "").lower()
    return not (host in PLACEHOLDER_HOSTS or host.endswith(".localhost") or host.endswith(".example.gov.vn")
                or re.fullmatch(r"127(\.\d+){3}", host) is not None)


def missing_contacts(settings: dict) -> list[str]:
    """The data/site.yaml keys to fill before a public build ([] when enough is configured)."""
    out = [k for k in REQUIRED if not _filled(_get(settings, k))]
    if not any(_filled(_get(settings, k)) for k in ANY_CONTACT):
        out.append(" | ".join(ANY_CONTACT) + " (at least one)")
    return out


def province_line(site_yaml_text: str) -> int:
    m = re.search(r"^province\s*:", site_yaml_text or "", re.M)
    return site_yaml_text.count("\n", 0, m.start()) + 1 if m else 1


def production_error(settings: dict, site_url: Optional[str], site_yaml_text: str, labels: dict) -> Optional[str]:
    """The one-line refusal for a public build with empty contacts, or None."""
    if not is_production(site_url):
        return None
    keys = missing_contacts(settings)
    if not keys:
        return None
    return labels["production_missing"].format(line=province_line(site_yaml_text), site_url=site_url, keys=", ".join(keys))


def ui_settings(settings: dict, lang: str, labels: dict) -> dict:
    """What the templates show: agency names, short name, report address, developer-link switches."""
    out = {k: bool((settings or {}).get(k, default)) for k, default in SWITCHES.items()}
    out.update(
        province=text(settings, "province.name", lang),
        police=text(settings, "province.police_name", lang),
        short_name=text(settings, "short_name", lang) or labels["short_name"],
        report_url=text(settings, "report_url", lang),
    )
    return out
