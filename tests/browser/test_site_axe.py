"""axe-core (from the npm registry) injected into the rendered pages: zero WCAG 2.1 A/AA violations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .browsing import Tab

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGES = {
    "landing": "?choose",
    "ja-home": "ja/",
    "ja-paper": "ja/paying-for-deterrence/",
    "en-paper": "en/paying-for-deterrence/",
    "ja-paper-with-table": "ja/networked-region/",
    "ja-parallel": "ja/paying-for-deterrence/parallel/",
    "ja-contributors": "ja/contributors/",
    "en-contributors": "en/contributors/",
    "404": "404.html",
}


def describe(violations: list[dict], width: int) -> list[str]:
    """One line per rule broken: impact, how many elements, the first few, and axe's advice for the first."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:3])
        more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
        advice = " ".join(nodes[0].get("failureSummary", "").split())
        lines.append(f"{width} px: {violation['id']} ({violation['impact']}, {len(nodes)} elements: {targets}{more}): "
                     f"{violation['help']}. {advice}")
    return lines


AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_axe_violations(reader: Tab, axe_source: str, path: str) -> None:
    """axe-core at 1280 px, then at 375 px on the same page (layout-dependent rules such as contrast rerun)."""
    reader.page.set_viewport_size({"width": 1280, "height": 900})
    page = reader.open(path)
    page.add_script_tag(content=axe_source)
    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        problems += describe(page.evaluate(AXE_RUN, WCAG_21_AA)["violations"], width)
    assert not problems, f"axe-core {page.evaluate('axe.version')}, WCAG 2.1 A/AA, /{path}:\n" + "\n".join(problems)
    reader.assert_clean()
