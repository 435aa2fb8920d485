"""The loop on an outdated translation: export what changed, translate it, import it, the pin advances."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from lxml import etree

from taiyaku.check import check_volume

from .conftest import git
from .support import taiyaku

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
EN = "content/en/03-paying-for-deterrence.md"
JA = "content/ja/03-paying-for-deterrence.md"


def _edit_source(root: Path) -> None:
    path = root / EN
    text = path.read_text(encoding="utf-8")
    text = text.replace("On 16 December 2022 the Kishida cabinet adopted three documents at once",
                        "On 16 December 2022 the cabinet of Fumio Kishida adopted three documents together")
    text = text.replace('title: "Paying for Deterrence"', 'title: "Paying for Deterrence, 2022–2027"')
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-qam", "Paper 3: the cabinet named, the period in the title")


def _units(exchange: Path) -> list[etree._Element]:
    return etree.parse(str(exchange)).findall(".//x:trans-unit", NS)


def test_export_holds_the_outdated_blocks_with_their_old_source(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    units = {u.get("resname"): u for u in _units(exchange)}
    assert set(units) == {"front matter: title", "Paying for Deterrence, 2022–2027 > A Decision in December"}
    block = units["Paying for Deterrence, 2022–2027 > A Decision in December"]
    target = block.find("x:target", NS)
    assert target.get("state") == "needs-review-translation"
    assert target.text.startswith("2022年12月16日、岸田内閣は")  # the current translation, to start from
    alt = block.find("x:alt-trans", NS)
    assert alt.get("alttranstype") == "previous-version"
    assert alt.find("x:source", NS).text.startswith("On 16 December 2022 the Kishida cabinet adopted three")
    notes = [n.text for n in block.findall("x:note", NS)]
    assert any("{+cabinet of Fumio+} Kishida [-cabinet-]" in n and "[-at once:-] {+together:+}" in n
               for n in notes), notes
    assert re.fullmatch(r"03-paying-for-deterrence\.md:b2:[0-9a-f]{8}", block.get("id"))


def _translate(exchange: Path, done: set[str]) -> None:
    tree = etree.parse(str(exchange))
    for unit in tree.findall(".//x:trans-unit", NS):
        target = unit.find("x:target", NS)
        if unit.get("resname") not in done:
            continue
        if unit.get("resname") == "front matter: title":
            target.text = "抑止を賄う（2022〜2027年）"
        else:
            target.text = target.text.replace("岸田内閣は", "岸田文雄内閣は").replace("同時に", "一度に")
        target.set("state", "translated")
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")


def test_import_writes_the_blocks_and_advances_the_pin(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    _translate(exchange, {"front matter: title", "Paying for Deterrence, 2022–2027 > A Decision in December"})
    before = (sample / JA).read_text(encoding="utf-8").split("\n")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    after = (sample / JA).read_text(encoding="utf-8").split("\n")
    # The title's line and the paragraph's line replaced, the pin added before the closing ---: nothing else.
    diff = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"
            and not line.startswith(("+++", "---"))]
    assert [line[:40] for line in diff] == [
        '-title: "抑止を賄う"', '+title: "抑止を賄う（2022〜2027年）"',
        f"+source_commit: {git(sample, 'rev-parse', 'HEAD').strip()}"[:40],
        "-2022年12月16日、岸田内閣は新たな国家安全保障戦略、国家防衛戦略、防衛力",
        "+2022年12月16日、岸田文雄内閣は新たな国家安全保障戦略、国家防衛戦略、防",
    ]
    report = check_volume(sample, ["ja"])
    docs = {d.translation: d for d in report.languages["ja"].documents}
    assert docs[JA].status == "complete", [str(p) for p in docs[JA].problems]
    assert docs[JA].source_commit == git(sample, "rev-parse", "HEAD").strip()


def test_pin_stays_while_a_block_is_left_outdated(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    _translate(exchange, {"front matter: title"})
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    text = (sample / JA).read_text(encoding="utf-8")
    assert 'title: "抑止を賄う（2022〜2027年）"' in text and "source_commit" not in text
    docs = {d.translation: d for d in check_volume(sample, ["ja"]).languages["ja"].documents}
    assert docs[JA].status == "outdated"


def test_a_missing_block_is_inserted_after_its_neighbour_and_a_missing_document_created(sample: Path,
                                                                                       tmp_path: Path) -> None:
    path = sample / EN
    text = path.read_text(encoding="utf-8")
    text = text.replace("\n## ", "\nA paragraph added to the source, with a [link](https://example.org/) and *emphasis*.\n\n## ", 1)
    path.write_text(text, encoding="utf-8")
    (sample / "content/en/06-afterword.md").write_text('---\ntitle: "Afterword"\n---\n\nThe last word, in two lines\nof one paragraph.\n\n- an item\n- another\n', encoding="utf-8")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "a paragraph and an afterword")
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    tree = etree.parse(str(exchange))
    replies = {"A paragraph added": ["追加した段落（", "リンク", "）と", "強調", "。"],
               "Afterword": ["あとがき"], "The last word": ["最後の言葉。\n二行で。"], "an item": ["項目"],
               "another": ["もう一つ"]}
    for unit in tree.findall(".//x:trans-unit", NS):
        source = unit.find("x:source", NS)
        key = next(k for k in replies if ("".join(source.itertext())).startswith(k))
        target = etree.SubElement(unit, f"{{{NS['x']}}}target", state="translated")
        unit.insert(1, target)
        parts = replies[key]
        tags = list(source)
        target.text = parts[0]
        for tag, tail in zip(tags, parts[1:]):
            copy = etree.SubElement(target, tag.tag, dict(tag.attrib))
            copy.text = tag.text
            copy.tail = tail
    tree.write(str(exchange), xml_declaration=True, encoding="UTF-8")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    new = (sample / "content/ja/06-afterword.md").read_text(encoding="utf-8")
    assert new == '---\ntitle: "あとがき"\n---\n\n最後の言葉。\n二行で。\n\n- 項目\n- もう一つ\n'
    ja = (sample / JA).read_text(encoding="utf-8")
    assert "\n追加した段落（[リンク](https://example.org/)）と*強調*。\n\n## " in ja
    docs = {d.translation: d for d in check_volume(sample, ["ja"]).languages["ja"].documents}
    assert not [p for p in docs[JA].problems if p.kind in ("block-missing", "untranslated-block")]


def test_the_loop_through_po_and_xliff_20(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    for version in ("po", "2.0"):
        exchange = tmp_path / f"out.{'po' if version == 'po' else 'xlf'}"
        options = ["--format", "po"] if version == "po" else ["--xliff-version", "2.0"]
        assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange, *options) == 0
        text = exchange.read_text(encoding="utf-8")
        if version == "po":
            assert '#| msgid "On 16 December 2022 the Kishida cabinet adopted' in text
            assert text.count("#, fuzzy") == 2
            text = text.replace("#, fuzzy\n", "").replace("岸田内閣は", "岸田文雄内閣は")
            text = text.replace('msgstr "抑止を賄う"', 'msgstr "抑止を賄う（2022〜2027年）"')
            text = text.replace("3文書を同時に", "3文書を*一度に*")  # new emphasis: a tag the source has not
            exchange.write_text(text, encoding="utf-8")
            assert taiyaku(sample, "xliff", "import", exchange) == 1  # that unit is refused, its file left
            text = text.replace("3文書を*一度に*", "3文書を一度に")
        else:
            assert 'category="previous-source"' in text and 'subState="taiyaku:needs-review-translation"' in text
            text = text.replace('state="initial"', 'state="translated"')
            text = text.replace('subState="taiyaku:needs-review-translation"', "")
            text = text.replace("岸田内閣は", "岸田文雄内閣は").replace("3文書を同時に", "3文書を一度に")
            text = text.replace(">抑止を賄う<", ">抑止を賄う（2022〜2027年）<")
        exchange.write_text(text, encoding="utf-8")
        assert taiyaku(sample, "xliff", "import", exchange) == 0
        docs = {d.translation: d for d in check_volume(sample, ["ja"]).languages["ja"].documents}
        assert docs[JA].status == "complete", [str(p) for p in docs[JA].problems]
        ja = (sample / JA).read_text(encoding="utf-8")
        assert "岸田文雄内閣は" in ja and "3文書を一度に" in ja and 'title: "抑止を賄う（2022〜2027年）"' in ja
        git(sample, "checkout", "--", JA)


def test_an_outdated_translation_approved_as_it_stands_is_pinned(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    exchange.write_text(exchange.read_text(encoding="utf-8").replace('state="needs-review-translation"',
                                                                      'state="translated"'), encoding="utf-8")
    before = (sample / JA).read_text(encoding="utf-8")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    after = (sample / JA).read_text(encoding="utf-8")
    assert after.replace(f"source_commit: {git(sample, 'rev-parse', 'HEAD').strip()}\n", "") == before


def test_front_matter_values_carry_their_old_source_one_by_one(sample: Path, tmp_path: Path) -> None:
    path = sample / EN
    text = path.read_text(encoding="utf-8").replace('title: "Paying for Deterrence"', 'title: "Paying for Defense"')
    text = text.replace("Yuki Miyasaka studies defense budgeting", "Yuki Miyasaka studies defense spending")
    path.write_text(text, encoding="utf-8")
    git(sample, "commit", "-qam", "Paper 3: title and bio")
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    units = {u.get("resname"): u for u in _units(exchange)}
    # The author's name and affiliation did not change: only the bio is outdated.
    assert set(units) == {"front matter: title", "front matter: authors.0.bio"}
    title = units["front matter: title"]
    assert title.find("x:alt-trans/x:source", NS).text == "Paying for Deterrence"
    assert [n.text for n in title.findall("x:note", NS)][-1] == \
        "source changed since the translation: Paying for [-Deterrence-] {+Defense+}"
    bio = units["front matter: authors.0.bio"]
    assert "[-budgeting,-] {+spending,+}" in bio.findall("x:note", NS)[-1].text


def test_a_block_moved_by_a_source_edit_after_the_export_still_imports(sample: Path, tmp_path: Path) -> None:
    _edit_source(sample)
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    _translate(exchange, {"front matter: title", "Paying for Deterrence, 2022–2027 > A Decision in December"})
    # Meanwhile a paragraph is added above the exported one, in both languages: its block number changes.
    for path, text in ((EN, "A new first paragraph of the paper.\n\n"), (JA, "論文の新しい最初の段落。\n\n")):
        full = (sample / path).read_text(encoding="utf-8")
        (sample / path).write_text(full.replace("\n## ", "\n" + text + "## ", 1), encoding="utf-8")
    git(sample, "commit", "-qam", "a paragraph above")
    assert taiyaku(sample, "xliff", "import", exchange) == 0
    assert "岸田文雄内閣は" in (sample / JA).read_text(encoding="utf-8")


def test_a_value_and_a_block_left_in_english_are_exported(sample: Path, tmp_path: Path) -> None:
    ja = (sample / JA).read_text(encoding="utf-8")
    en = (sample / EN).read_text(encoding="utf-8")
    english_subtitle = next(line for line in en.split("\n") if line.startswith("subtitle:"))
    english_paragraph = next(line for line in en.split("\n") if line.startswith("On 16 December 2022"))
    ja = "\n".join(english_subtitle if line.startswith("subtitle:") else
                   english_paragraph if line.startswith("2022年12月16日") else line for line in ja.split("\n"))
    (sample / JA).write_text(ja, encoding="utf-8")
    git(sample, "commit", "-qam", "left in English")
    exchange = tmp_path / "out.xlf"
    assert taiyaku(sample, "xliff", "export", "--lang", "ja", "-o", exchange) == 0
    units = {u.get("resname"): u.find("x:target", NS).get("state") for u in _units(exchange)}
    assert units == {"front matter: subtitle": "needs-translation",
                     "Paying for Deterrence > A Decision in December": "needs-translation"}
