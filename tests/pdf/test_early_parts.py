"""Papers handed to the workers while the plan goes on (``pdf/early.py``): each laid out once, taken by the run
for the part it would have submitted, the PDFs those of a build without; nothing early for what a cache holds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from helpers import snapshot
from taiyaku.pdf.early import EarlyParts
from taiyaku.pipeline import BuildOptions, build
from taiyaku.workers import Workers

pytestmark = pytest.mark.pdf


def _build(root: Path, out: Path, cache: Path | None) -> None:
    build(BuildOptions(root=root, out=out, cache=cache is not None, cache_dir=cache, format="pdf"))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """What was submitted early and what was taken back, and every part the runs laid out."""
    import taiyaku.pdf

    seen: dict[str, list] = {"early": [], "taken": [], "laid out": []}
    submit, take, run_jobs = EarlyParts.submit, EarlyParts.take, taiyaku.pdf.run_jobs

    def recording_submit(self: EarlyParts, job) -> None:  # type: ignore[no-untyped-def]
        before = set(self.submitted)
        submit(self, job)
        seen["early"].extend(sorted(set(self.submitted) - before))

    def recording_take(self: EarlyParts, part):  # type: ignore[no-untyped-def]
        found = take(self, part)
        if found is not None:
            seen["taken"].append((part.label, part.name))
        return found

    def recording_run(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        results = run_jobs(jobs, *args, **kwargs)
        seen["laid out"].extend((r.label, name) for r in results for name in r.typeset_parts)
        return results

    # Two workers, as on the 2-core machine: the minimal volume's two papers a language are enough to go early.
    monkeypatch.setattr(Workers, "size", property(lambda self: 2))
    monkeypatch.setattr(EarlyParts, "submit", recording_submit)
    monkeypatch.setattr(EarlyParts, "take", recording_take)
    monkeypatch.setattr(taiyaku.pdf, "run_jobs", recording_run)
    return seen


def test_papers_go_to_the_workers_as_their_language_is_planned_and_are_laid_out_once(
        make_root, tmp_path: Path, recorded: dict[str, list], monkeypatch: pytest.MonkeyPatch) -> None:
    volume = make_root("minimal")
    _build(volume, tmp_path / "out", tmp_path / "cache")
    papers = {(label, name) for label, name in recorded["laid out"]
              if name not in ("front", "furniture", "blank") and not name.startswith("covers:")}
    assert len(papers) >= 4 and {label for label, _ in papers} == {"minimal-en.pdf", "minimal-ja.pdf"}
    assert set(recorded["early"]) == set(recorded["taken"]) == papers
    assert max(Counter(recorded["laid out"]).values()) == 1  # none laid out twice
    assert not list((tmp_path / "out").rglob(".early-*"))

    monkeypatch.setattr(EarlyParts, "submit", lambda self, job: None)
    _build(volume, tmp_path / "late", tmp_path / "cache-late")
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "late")


def test_nothing_is_laid_out_early_that_a_cache_holds(make_root, tmp_path: Path,
                                                      recorded: dict[str, list]) -> None:
    volume = make_root("minimal")
    cache = tmp_path / "cache"
    _build(volume, tmp_path / "out", cache)
    recorded["early"].clear()
    recorded["taken"].clear()
    _build(volume, tmp_path / "again", cache)  # the volumes kept whole
    assert recorded["early"] == []
    for entry in (cache / "pdf").iterdir():  # the volumes gone, their parts kept
        (entry / "manifest.json").unlink()
    _build(volume, tmp_path / "parts", cache)
    assert recorded["early"] == []
    # One paper edited: it goes early too (queued for the prestarted worker, which the pool does not start another
    # beside: test_workers); both papers edited: the same.
    for names in (["02-two.md"], ["01-one.md", "02-two.md"]):
        recorded["early"].clear()
        recorded["taken"].clear()
        for name in names:
            source = volume / "content/en" / name
            source.write_text(source.read_text(encoding="utf-8") + "\nA closing paragraph.\n", encoding="utf-8")
        _build(volume, tmp_path / "edited", cache)
        assert sorted(recorded["early"]) == sorted(recorded["taken"]) == \
            [("minimal-en.pdf", name.split("-", 1)[1][:-3]) for name in names]

