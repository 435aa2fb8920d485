"""``taiyaku completion bash|zsh``: a script made by shtab from the parser, that completes commands and options."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from taiyaku.cli import main


def _script(shell: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["completion", shell]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("completion") / "taiyaku.bash"
    path.write_text(_script("bash"), encoding="utf-8")
    return path


def _complete(script: Path, *words: str, cwd: Path | None = None) -> list[str]:
    """What bash offers after ``taiyaku <words>`` (the last word is the one being completed)."""
    program = (
        f"source {script}\n"
        f"COMP_WORDS=(taiyaku {' '.join(repr(w) for w in words)}); COMP_CWORD={len(words)}\n"
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()\n'
        "_shtab_taiyaku\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True, cwd=cwd)
    return sorted(line for line in done.stdout.splitlines() if line)


def test_the_bash_script_is_valid_bash(bash_script: Path) -> None:
    assert subprocess.run(["bash", "-n", bash_script], capture_output=True, text=True).returncode == 0


def test_commands_are_completed(bash_script: Path) -> None:
    assert _complete(bash_script, "") == ["build", "check", "clean", "completion", "i18n", "import", "new", "serve",
                                          "xliff"]
    assert _complete(bash_script, "c") == ["check", "clean", "completion"]
    assert _complete(bash_script, "i18n", "") == ["compile", "extract", "init", "update"]


def test_options_and_their_choices_are_completed(bash_script: Path) -> None:
    assert _complete(bash_script, "build", "--f") == ["--format"]
    assert _complete(bash_script, "build", "--format", "") == ["all", "epub", "facing", "html", "pdf"]
    assert _complete(bash_script, "check", "--format", "") == ["html", "json", "text"]
    assert _complete(bash_script, "serve", "--p") == ["--pdf", "--port"]
    assert _complete(bash_script, "completion", "") == ["bash", "zsh"]
    assert _complete(bash_script, "import", "--a") == ["--accept-changes"]


def test_global_options_before_the_command(bash_script: Path) -> None:
    assert _complete(bash_script, "--root", ".", "se") == ["serve"]


def test_folder_options_complete_folders(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "volume").mkdir()
    (tmp_path / "volume.toml").write_text("", encoding="utf-8")
    # The folder, not the file beside it.
    assert _complete(bash_script, "build", "--out", "vol", cwd=tmp_path) == ["volume"]


def test_the_zsh_script_names_every_command() -> None:
    script = _script("zsh")
    assert script.startswith("#compdef taiyaku")
    for command in ("build", "check", "clean", "completion", "i18n", "import", "new", "serve", "xliff"):
        assert f"    {command}:'" in script, command
    if shutil.which("zsh"):
        assert subprocess.run(["zsh", "-n"], input=script, text=True).returncode == 0


def test_an_unknown_shell_is_a_usage_error(run) -> None:
    code, err = run("completion", "fish")
    assert (code, err) == (2, "taiyaku completion: error: argument shell: invalid choice: 'fish' (choose from "
                              "'bash', 'zsh') (see `taiyaku completion --help`)\n")
