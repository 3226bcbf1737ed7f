"""A province's deployment (lawsite/build/deploy.py, hooks/ui.py): a public build refuses to run with the
province's contacts empty, in one line naming the keys; developer links stay off unless
data/site.yaml turns them on; the help page is never a dead end."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project, mkdocs_build
from helpers import FILLED
from lawsite.build.deploy import is_production, missing_contacts, production_error, ui_settings
from lawsite.generate.blocks import L

ROOT = Path(__file__).resolve().parents[1]
EMPTY = {"province": {"name": {"vi": "", "en": ""}, "police_name": {"vi": "", "en": ""}, "hotline": "", "email": "",
                      "address": {"vi": "", "en": ""}, "zalo_url": ""}}


@pytest.mark.parametrize("url,prod", [("https://example.gov.vn/", False), ("http://127.0.0.1:8000/", False),
                                      ("http://localhost:8000/", False), ("", False), (None, False),
                                      ("https://xuatnhapcanh.langson.gov.vn/", True), ("https://law.example.org/", True)])
def test_what_counts_as_a_public_build(url, prod):
    assert is_production(url, {}) is prod
    assert is_production(url, {"LAWSITE_PREVIEW": "1"}) is False


def test_missing_keys_are_named():
    keys = missing_contacts(EMPTY)
    assert keys[:2] == ["province.name", "province.police_name"] and "province.hotline" in keys[2]
    assert missing_contacts(FILLED) == []
    half = {"province": {**FILLED["province"], "police_name": {"vi": "Công an tỉnh", "en": ""}}}
    assert missing_contacts(half) == ["province.police_name"], "both languages must be filled"


def test_error_is_one_line_with_file_and_line():
    text = (ROOT / "data/site.yaml").read_text("utf-8")
    msg = production_error(EMPTY, "https://xnc.langson.gov.vn/", text, L("vi")["ui"])
    assert msg and "\n" not in msg and msg.startswith("data/site.yaml:") and "province.police_name" in msg
    assert production_error(EMPTY, "https://example.gov.vn/", text, L("vi")["ui"]) is None
    assert production_error(FILLED, "https://xnc.langson.gov.vn/", text, L("en")["ui"]) is None


def test_switches_default_off():
    ui = ui_settings(EMPTY, "vi", L("vi")["ui"])
    assert not ui["show_edit_link"] and not ui["show_repo_link"] and not ui["show_made_with"]
    assert ui["short_name"] == L("vi")["ui"]["short_name"] and ui["police"] == ""
    on = ui_settings({**FILLED, "show_repo_link": True}, "en", L("en")["ui"])
    assert on["show_repo_link"] and on["police"] == "Lang Son Provincial Police"


@pytest.mark.slow
def test_public_build_with_empty_contacts_refuses(tmp_path):
    src = copy_project(tmp_path / "src")
    proc = mkdocs_build(src, tmp_path / "out", env_extra={"SITE_URL": "https://xnc.langson.gov.vn/", "LAWSITE_LANG": "en"})
    assert proc.returncode != 0
    lines = [l for l in proc.stderr.splitlines() if "site.yaml" in l]
    assert lines and "province.name" in lines[0] and "fill in" in lines[0], proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("changed-data-build")
def test_configured_province_is_named_and_dev_links_follow_switches(changed_data_build):
    """The session's build of a copy with the province filled in (helpers.fill_province) and SITE_URL set;
    the same build carries a future amendment (test_generated_pages), which touches no page read here."""
    proc, out = changed_data_build
    assert proc.returncode == 0, proc.stderr[-3000:]
    home = (out / "index.html").read_text("utf-8")
    assert "Công an tỉnh Lạng Sơn" in home.split("</header>")[0], "the agency is not named in the header"
    assert "Công an tỉnh Lạng Sơn" in home.split('class="md-footer')[-1], "the agency is not named in the footer"
    assert "Made with" in home and 'class="md-source"' in home
    assert 'href="https://github.com/example/lawsite/edit/main/docs/index.md"' in home, "show_edit_link: true brings the pencil back"
    help_page = (out / "ho-tro/index.html").read_text("utf-8")
    assert "tel:0123" in help_page
