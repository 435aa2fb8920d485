"""Noise a coordinator met on Helm's Hugo site, each pattern as a small volume: what must not be reported, and
what still must."""

from __future__ import annotations

from pathlib import Path

from .support import check_json, run_check


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, int | None, str]]:
    code, report = check_json("--root", root)
    return [(p["kind"], p["translation_line"], p["message"]) for d in report["languages"]["ja"]["documents"]
            for p in d["problems"]]


def test_a_shortcode_over_two_lines_is_one_unit(tmp_path: Path) -> None:
    en = ('---\ntitle: Charts\n---\n\nSee [the guide]({{< ref "using_helm.md"\n>}}) for more.\n\n'
          '{{< figure src="chart.png"\n>}}\n\nThe end of the page.\n')
    ja = ('---\ntitle: チャート\n---\n\n詳しくは[ガイド]({{< ref "using_helm.md" >}})を参照。\n\n'
          '{{< figure src="chart.png" >}}\n\nページの終わり。\n')
    root = write(tmp_path, {"content/en/charts.md": en, "content/ja/charts.md": ja})
    assert problems(root) == []


def test_identifier_headings_are_not_untranslated(tmp_path: Path) -> None:
    en = ("---\ntitle: Charts\n---\n\n## Chart.yaml\n\nThe chart's file.\n\n## Go SDK\n\nThe SDK for Go.\n\n"
          "## Kube Config (KUBECONFIG)\n\nWhere the cluster is.\n\n## Install the chart\n\nRun it.\n\n"
          "## The `requirements.yaml` file\n\nOld.\n")
    ja = ("---\ntitle: チャート\n---\n\n## Chart.yaml\n\nチャートのファイル。\n\n## Go SDK\n\nGo 用の SDK。\n\n"
          "## Kube Config (KUBECONFIG)\n\nクラスターの場所。\n\n## Install the chart\n\n実行する。\n\n"
          "## `requirements.yaml` ファイル\n\n古い。\n")
    root = write(tmp_path, {"content/en/charts.md": en, "content/ja/charts.md": ja})
    found = [(kind, line) for kind, line, _ in problems(root)]
    # "Go" alone is one word, never a heading's prose; "Kube Config" is a name only the volume can know; the
    # English heading is reported.
    assert found == [("untranslated-block", 13), ("untranslated-block", 17)]
    write(root, {"volume.toml": '[check]\nidentifiers = ["Kube Config"]\n'})
    assert [(kind, line) for kind, line, _ in problems(root)] == [("untranslated-block", 17)]
