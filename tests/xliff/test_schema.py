"""Every export validates against the OASIS schemas and loads in Translate Toolkit with as many units."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from .conftest import SCHEMAS, git
from .support import taiyaku

VERSIONS = {"1.2": "xliff-core-1.2-strict.xsd", "2.0": "xliff-core-2.0.xsd"}


def _schema(version: str) -> etree.XMLSchema:
    path = SCHEMAS / VERSIONS[version]
    if not path.is_file():
        pytest.skip(f"no XLIFF schemas in {SCHEMAS} (make setup unpacks them from Debian's php-symfony-translation)")
    xml_xsd = (SCHEMAS / "xml.xsd").resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    # Both import the XML namespace's schema from the web or a relative folder: point them at the local copy.
    text = text.replace("http://www.w3.org/2001/xml.xsd", xml_xsd)
    text = text.replace("informativeCopiesOf3rdPartySchemas/w3c/xml.xsd", xml_xsd)
    return etree.XMLSchema(etree.fromstring(text.encode(), base_url=SCHEMAS.resolve().as_uri() + "/"))


@pytest.fixture
def outdated(sample: Path) -> Path:
    """The sample with an outdated block, a changed title, a missing block and a missing document."""
    path = sample / "content/en/03-paying-for-deterrence.md"
    text = path.read_text(encoding="utf-8").replace("the Kishida cabinet", "the cabinet of Fumio Kishida")
    text = text.replace('title: "Paying for Deterrence"', 'title: "Paying for *Deterrence*"')
    text = text.replace("\n## ", "\nA new paragraph with a note.[^99]\n\n[^99]: A new *note*.\n\n## ", 2)
    path.write_text(text, encoding="utf-8")
    (sample / "content/en/06-afterword.md").write_text('---\ntitle: "Afterword"\n---\n\n| a | b |\n|---|---|\n| [x](y.md) | `z` |\n', encoding="utf-8")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "changes")
    return sample


@pytest.mark.parametrize("every", [False, True], ids=["needed", "all"])
@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_export_validates_against_the_oasis_schema(outdated: Path, tmp_path: Path, version: str, every: bool) -> None:
    schema = _schema(version)
    exchange = tmp_path / "out.xlf"
    args = ["--all"] if every else []
    assert taiyaku(outdated, "xliff", "export", "--lang", "ja", "--xliff-version", version, "-o", exchange, *args) == 0
    document = etree.parse(str(exchange))
    assert schema.validate(document), schema.error_log.filter_from_errors()[:5]
    units = document.xpath("//*[local-name()='trans-unit' or local-name()='unit']")
    assert len(units) > (250 if every else 3)


@pytest.mark.parametrize("fmt", ["xlf", "po"])
def test_export_loads_in_translate_toolkit_with_the_same_units(outdated: Path, tmp_path: Path, fmt: str) -> None:
    factory = pytest.importorskip("translate.storage.factory")
    from taiyaku.xliff.export import collect_units

    exchange = tmp_path / f"out.{fmt}"
    options = ["--format", "po"] if fmt == "po" else []
    assert taiyaku(outdated, "xliff", "export", "--lang", "ja", "--all", "-o", exchange, *options) == 0
    store = factory.getobject(str(exchange))
    units = [u for u in store.units if not u.isheader()]
    expected = collect_units(outdated, "ja", every=True).export
    assert len(units) == expected.count
    ids = [u.getid().split("\x04")[-1] if fmt == "xlf" else u.getcontext() for u in units]
    wanted = [u.id for d in expected.documents for u in d.units]
    assert ids == wanted
    fuzzy = [u.getcontext() for u in units if u.isfuzzy()] if fmt == "po" else []
    assert all(":b" in i or ":fm:" in i for i in ids) and (fmt != "po" or fuzzy)


def test_cncf_glossary_exports_validate_and_load(cncf_bundle: Path, tmp_path: Path) -> None:
    factory = pytest.importorskip("translate.storage.factory")
    counts = set()
    for version in ("1.2", "2.0"):
        schema = _schema(version)
        exchange = tmp_path / f"{version}.xlf"
        assert taiyaku(cncf_bundle, "xliff", "export", "--lang", "ja", "--all", "--xliff-version", version,
                       "-o", exchange) == 0
        document = etree.parse(str(exchange))
        assert schema.validate(document), schema.error_log.filter_from_errors()[:5]
        counts.add(len(document.xpath("//*[local-name()='trans-unit' or local-name()='unit']")))
    po = tmp_path / "all.po"
    assert taiyaku(cncf_bundle, "xliff", "export", "--lang", "ja", "--all", "--format", "po", "-o", po) == 0
    for path in (tmp_path / "1.2.xlf", po):
        counts.add(len([u for u in factory.getobject(str(path)).units if not u.isheader()]))
    assert len(counts) == 1 and counts.pop() > 700
