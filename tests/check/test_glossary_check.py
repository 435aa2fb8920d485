"""Terminology and house style in ``check``: nothing on the clean sample, seeded errors found, precisely."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from taiyaku.check import check_volume
from taiyaku.check.glossary import load_glossary, one_to_one

from .support import REPO, check_json, run_check

SAMPLE_PARTS = ("content", "images", "locales", "templates", "volume.toml", "glossary.csv")
WRONG = {  # a rendering neither the glossary's term nor a variant: term-missing
    "防衛力整備計画": "防衛計画", "国家安全保障戦略": "安保戦略文書", "反撃能力": "打撃力", "自衛隊": "防衛部隊",
    "共同開発": "共同研究", "クアッド": "四か国協力", "インド太平洋": "アジア太平洋", "対外有償軍事援助": "有償援助",
    "安全保障条約": "防衛条約", "拡大抑止": "抑止の拡大",
}
FORBIDDEN = {"在日米軍駐留経費負担": "思いやり予算", "防衛力整備計画": "防衛整備計画", "反撃能力": "敵基地攻撃能力",
             "インド太平洋": "インド・太平洋", "共同開発": "協同開発", "自衛隊": "自衛軍", "国家安全保障戦略": "国家安保戦略",
             "海上保安庁": "沿岸警備隊"}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    root.mkdir()
    for part in SAMPLE_PARTS:
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy2)(REPO / part, root / part)
    toml = root / "volume.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[check]\nglossary = "glossary.csv"\nstyle = "default"\n',
                    encoding="utf-8")
    return root


def test_the_clean_sample_has_no_findings(sample: Path) -> None:
    code, report = check_json("--root", sample)
    kinds = [p["kind"] for d in report["languages"]["ja"]["documents"] for p in d["problems"]]
    assert code == 0 and not [k for k in kinds if k.startswith(("term-", "style-"))], kinds


def _seed(root: Path) -> list[tuple[str, int, int, str]]:
    """Seed terminology and style errors, one per block; returns (path, first line, last line, expected kind)."""
    report = check_volume(root, ["ja"], history=False, catalogs=False)
    terms = {t.target: t for t in load_glossary(root, "glossary.csv", "en", ["ja"]).terms["ja"]}
    lines = {d.translation: (root / d.translation).read_text(encoding="utf-8").split("\n")
             for d in report.languages["ja"].documents}
    used: set[tuple[str, int]] = set()
    seeds: list[tuple[str, int, int, str]] = []
    wanted = {"term-missing": 10, "term-forbidden": 8, "term-changed": 2}

    def replace(path: str, block_line: int, end: int, old: str, new: str, kind: str) -> bool:
        for number in range(block_line, end + 1):
            if old in lines[path][number - 1]:
                lines[path][number - 1] = lines[path][number - 1].replace(old, new, 1)
                used.add((path, block_line))
                seeds.append((path, block_line, end, kind))
                return True
        return False

    for doc in report.languages["ja"].documents:
        for s_block, t_block in one_to_one(doc.alignment):
            if (doc.translation, t_block.line) in used:
                continue
            for target, term in terms.items():
                if not term.pattern().search(s_block.plain) or t_block.plain.count(target) != 1:
                    continue
                if any(v in t_block.plain for v in term.variants):
                    continue
                if term.keep and wanted["term-changed"]:
                    if replace(doc.translation, t_block.line, t_block.end_line, target, "北大西洋条約機構", "term-changed"):
                        wanted["term-changed"] -= 1
                        break
                for kind, table in (("term-forbidden", FORBIDDEN), ("term-missing", WRONG)):
                    if wanted[kind] and target in table and table[target] not in t_block.plain:
                        if replace(doc.translation, t_block.line, t_block.end_line, target, table[target], kind):
                            wanted[kind] -= 1
                            break
                else:
                    continue
                break
    styles = [("2022", "２０２２", "style-half-width-digits"), ("％", "%", "style-full-width-percent"),
              ("（", "(", "style-full-width-parentheses"), ("ASEAN", " ASEAN ", "style-no-space-between-scripts"),
              ("GDP", " GDP", "style-no-space-between-scripts"), ("1960年", "1960 年", "style-no-space-between-scripts")]
    for old, new, kind in styles:
        count = 0
        for doc in report.languages["ja"].documents:
            for block in (b for f in [doc.translation] for b in _blocks(report, f)):
                if count == 4 or (doc.translation, block.line) in used or block.kind == "code":
                    continue
                if old in block.plain and replace(doc.translation, block.line, block.end_line, old, new, kind):
                    count += 1
    for path, text in lines.items():
        (root / path).write_text("\n".join(text), encoding="utf-8")
    return seeds


def _blocks(report, path):  # type: ignore[no-untyped-def]
    doc = next(d for d in report.languages["ja"].documents if d.translation == path)
    return [b for _, t, pairs in doc.alignment.sections for b in ([t.heading] if t and t.heading else [])
            + [x for p in pairs for x in p.translation]]


def test_seeded_terminology_and_style_errors_are_found(sample: Path) -> None:
    seeds = _seed(sample)
    assert len(seeds) >= 30, seeds
    report = check_volume(sample, ["ja"], history=False, catalogs=False)
    findings = [p for d in report.languages["ja"].documents for p in d.problems
                if p.kind.startswith(("term-", "style-"))]

    def matches(problem, seed) -> bool:  # type: ignore[no-untyped-def]
        path, first, last, kind = seed
        return problem.path == path and first <= (problem.line or 0) <= last and problem.kind == kind

    found = [s for s in seeds if any(matches(p, s) for p in findings)]
    right = [p for p in findings if any(matches(p, s) for s in seeds)]
    recall, precision = len(found) / len(seeds), len(right) / max(1, len(findings))
    missed = [s for s in seeds if s not in found]
    wrong = [str(p) for p in findings if p not in right]
    print(f"seeded {len(seeds)}, found {len(found)}, findings {len(findings)}, right {len(right)}", Counter(s[3] for s in seeds))
    assert recall >= 0.95 and precision >= 0.90, (recall, precision, missed, wrong)
    assert all(p.severity == "warning" for p in findings)


def test_findings_are_errors_when_the_volume_says_so(sample: Path) -> None:
    (sample / "volume.toml").write_text((sample / "volume.toml").read_text(encoding="utf-8")
                                        + 'terminology = "error"\nstyle_severity = "error"\n', encoding="utf-8")
    path = sample / "content/ja/03-paying-for-deterrence.md"
    path.write_text(path.read_text(encoding="utf-8").replace("防衛力整備計画", "防衛整備計画", 1)
                    .replace("の2％に到達", "の2%に到達", 1), encoding="utf-8")
    code, out, _ = run_check("--root", sample)
    assert code == 1
    assert "warning: term-forbidden" not in out
    assert "content/ja/03-paying-for-deterrence.md:15: term-forbidden: '防衛整備計画' is a form the glossary forbids " \
           "for 'Defense Buildup Program': write '防衛力整備計画'" in out
    assert ": style-full-width-percent: write ％ after a number in Japanese text: " in out
    _, report = check_json("--root", sample, "--format", "json")
    doc = next(d for d in report["languages"]["ja"]["documents"] if d["translation"].endswith("03-paying-for-deterrence.md"))
    assert doc["status"] == "incomplete"
    assert {p["kind"] for p in doc["problems"]} >= {"term-forbidden", "style-full-width-percent"}
    html_code, html, _ = run_check("--root", sample, "--format", "html")
    assert "term-forbidden" in html and "防衛整備計画" in html


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="c1">
    <descrip type="definition">Japan's support for U.S. forces stationed in Japan</descrip>
    <langSet xml:lang="en"><tig><term>host-nation support</term></tig></langSet>
    <langSet xml:lang="ja">
      <tig><term>在日米軍駐留経費負担</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      <tig><term>駐留経費負担</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      <tig><term>思いやり予算</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    </langSet>
  </termEntry>
</body></text></martif>
"""


def test_a_tbx_glossary_and_the_command_line_option(sample: Path, tmp_path: Path) -> None:
    tbx = tmp_path / "terms.tbx"
    tbx.write_text(TBX, encoding="utf-8")
    terms = load_glossary(sample, str(tbx), "en", ["ja"]).terms["ja"]
    assert [(t.source, t.target, t.variants, t.forbidden) for t in terms] == [
        ("host-nation support", "在日米軍駐留経費負担", ("駐留経費負担",), ("思いやり予算",))]
    path = sample / "content/ja/00-about.md"
    path.write_text(path.read_text(encoding="utf-8").replace("在日米軍駐留経費負担", "思いやり予算"), encoding="utf-8")
    code, out, _ = run_check("--root", sample, "--glossary", tbx)
    assert code == 0
    assert "content/ja/00-about.md:15: warning: term-forbidden: '思いやり予算' is a form the glossary forbids for " \
           "'host-nation support': write '在日米軍駐留経費負担' (Japan's support for U.S. forces stationed in Japan)" in out


def test_one_source_block_translated_two_ways(sample: Path) -> None:
    for name, translation in (("a", "同盟は七十五年を迎えた。"), ("b", "同盟は75年目を迎えた。")):
        (sample / f"content/en/9{name}.md").write_text('---\ntitle: "X"\n---\n\nThe alliance turns seventy-five.\n',
                                                       encoding="utf-8")
        (sample / f"content/ja/9{name}.md").write_text(f'---\ntitle: "X"\n---\n\n{translation}\n', encoding="utf-8")
    code, out, _ = run_check("--root", sample)
    assert "content/ja/9b.md:5: warning: term-inconsistent: the same source block (source line 5) is translated " \
           "differently at content/ja/9a.md:5" in out


def test_a_glossary_without_its_header_is_a_volume_problem(sample: Path) -> None:
    (sample / "glossary.csv").write_text("host-nation support,在日米軍駐留経費負担\n", encoding="utf-8")
    code, out, _ = run_check("--root", sample)
    assert code == 1
    assert "glossary.csv:1: glossary: the header row has no 'en' column (expected en,ja,variants,forbidden,note)" in out


def test_markers_and_front_matter_silence_findings(sample: Path) -> None:
    path = sample / "content/ja/03-paying-for-deterrence.md"
    text = path.read_text(encoding="utf-8").replace("防衛力整備計画は2023", "防衛整備計画は2023", 1)
    text = text.replace("2022年12月16日、岸田内閣は", "<!-- taiyaku: ignore term -->\n2022年12月16日、岸田内閣は", 1)
    path.write_text(text.replace("の2％に到達", "の2%に到達", 1), encoding="utf-8")
    _, report = check_json("--root", sample)
    doc = next(d for d in report["languages"]["ja"]["documents"] if d["translation"] == "content/ja/" + path.name)
    assert [p["kind"] for p in doc["problems"]] == ["style-full-width-percent"] and doc["silenced"] == 1
    path.write_text(path.read_text(encoding="utf-8").replace("order: 3\n", "order: 3\ncheck:\n  ignore: [style]\n"),
                    encoding="utf-8")
    _, report = check_json("--root", sample)
    doc = next(d for d in report["languages"]["ja"]["documents"] if d["translation"] == "content/ja/" + path.name)
    assert doc["problems"] == [] and doc["silenced"] == 2


def test_a_column_per_language_with_its_own_variants(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text(
        "en,ja,ko,variants,variants:ko,forbidden:ko,note\n"
        "alliance,同盟,동맹,同盟関係,동맹국,연합,\n"
        "NATO,NATO,나토,,,,\n", encoding="utf-8")
    glossary = load_glossary(tmp_path, "terms.csv", "en", ["ja", "ko"])
    assert [(t.target, t.variants, t.forbidden) for t in glossary.terms["ja"]] == [
        ("同盟", ("同盟関係",), ()), ("NATO", (), ())]
    assert [(t.target, t.variants, t.forbidden, t.keep) for t in glossary.terms["ko"]] == [
        ("동맹", ("동맹국",), ("연합",), False), ("나토", (), (), False)]
    assert glossary.problems == []
