"""The volume.toml schema: declared once, read by one loop, documented from itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from taiyaku import config
from taiyaku.config_reference import field_docs, reference
from taiyaku.errors import Diagnostics

REPO = Path(__file__).resolve().parent.parent


def _load(tmp_path: Path, toml: str) -> tuple[config.VolumeConfig, list[str]]:
    (tmp_path / "content/en").mkdir(parents=True, exist_ok=True)
    (tmp_path / "volume.toml").write_text(toml, encoding="utf-8")
    diagnostics = Diagnostics()
    loaded = config.load_config(tmp_path, diagnostics)
    return loaded, [str(d) for d in diagnostics.items]


def test_docs_cli_lists_every_key_as_the_schema_says() -> None:
    docs = (REPO / "docs/cli.md").read_text(encoding="utf-8")
    section = docs.split("\n## volume.toml keys\n", 1)[1]
    # After the section's introduction, the generated tables, up to the end of the page.
    assert section.split("reported at once, with its line.\n\n", 1)[1] == reference()


def test_every_field_is_a_key_or_a_table_or_derived() -> None:
    derived = {"date_precision", "per_language", "given", *config.TABLES}
    for cls in (config.VolumeConfig, config.LanguageConfig, config.CheckConfig, config.ContentConfig):
        keys = config.schema(cls)
        for f in dataclasses.fields(cls):
            assert f.name in keys or (cls is config.VolumeConfig and f.name in derived), f"{cls.__name__}.{f.name}"
        docs = field_docs(cls)
        assert all(docs.get(name) for name in keys), cls.__name__  # a docstring under every key


def test_values_are_converted_and_given_keys_recorded(tmp_path: Path) -> None:
    loaded, problems = _load(tmp_path, 'date = "2026-09"\nlicense = " CC-BY-4.0 "\n[ja]\ntitle = " 巻 "\n'
                                       '[check]\ncatalogs = false\n')
    assert problems == []
    assert (loaded.date, loaded.date_precision) == (dt.date(2026, 9, 1), "month")
    assert (loaded.license, loaded.lang("ja").title, loaded.check.catalogs) == ("CC-BY-4.0", "巻", False)
    assert loaded.given == {"date", "license", "ja.title", "check.catalogs"}


def test_every_problem_of_every_table_at_once(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, 'slug = 3\npage_size = "A3"\ndate_precision = "day"\n[en]\neditors = "Ann"\n'
                                  '[check]\npin_key = "a b"\n[content]\nexclude = "x"\n')
    assert problems == [
        "volume.toml:1: config: slug: expected a string, got 3",
        "volume.toml:2: config: page_size: expected one of 6x9, A4, A5, B5, Letter, got 'A3'",
        "volume.toml:3: config: date_precision: unknown setting (known: base_url, copyright_year, cover, cover_focus, date, "
        "facing, languages, license, page_size, profile, slug, source_language)",
        "volume.toml:5: config: en.editors: expected a list of names, got 'Ann'",
        "volume.toml:7: config: check.pin_key: expected a front matter key (letters, digits, '_', '-', '.'), "
        "got 'a b'",
        "volume.toml:9: config: content.exclude: expected a list of strings, got 'x'",
    ]


def test_the_sample_volume_reads_cleanly() -> None:
    diagnostics = Diagnostics()
    loaded = config.load_config(REPO, diagnostics)
    assert diagnostics.items == []
    assert loaded.lang("ja").title == "七十五年目の同盟"
    config.warn_defaults(REPO, loaded, diagnostics)
    assert diagnostics.items == []  # the sample says its title and date
