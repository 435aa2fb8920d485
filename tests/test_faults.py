"""Faults around the build: interrupted, killed, concurrent, out of space, read-only, refused output folders,
symbolic links out of the volume. Each test proves one row of docs/reliability.md.

Interruptions are real: a build runs as a subprocess and is signalled at a chosen moment (found by polling the
process's signal mask, the staging folder and the worker processes), never after a fixed delay.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import snapshot, staging_leftovers
from taiyaku.lock import output_lock, volume_lock
from taiyaku.paths import inside, refuse_outside
from taiyaku import writer as writer_module
from taiyaku.errors import ContentError

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
MAIN = "from taiyaku.cli import main; raise SystemExit(main())"
EXCHANGE = writer_module._exchange
WAIT = 120.0
"""Upper bound for a poll to see what it waits for (a build of the minimal volume takes seconds)."""


# -- helpers -------------------------------------------------------------------------------------------------

def start(*args: object) -> subprocess.Popen[str]:
    """``taiyaku`` in a subprocess of its own session (so a test can kill its whole process group)."""
    return subprocess.Popen([sys.executable, "-c", MAIN, *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def poll(condition, process: subprocess.Popen[str], what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``condition()``; fails if the process ends first."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the build ended before {what}: {process.stderr.read() if process.stderr else ''}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"never saw {what}")
        time.sleep(0.005)


def handles_sigterm(pid: int) -> bool:
    """Whether the process has installed its SIGTERM handler (``cli.main`` does, first thing)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


def workers(pid: int) -> list[int]:
    """The typesetting worker processes of a build (spawned Python interpreters)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(proc.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Wait for the build; (exit code, stderr)."""
    _, err = process.communicate(timeout=WAIT)
    return process.returncode, err


def big_volume(root: Path, documents: int) -> Path:
    """A copy of the minimal volume with ``documents`` more paired documents, slow enough to read to be caught
    reading."""
    shutil.copytree(ROOTS / "minimal", root)
    body = "\n\n".join(f"Paragraph {i} with a footnote.[^{i}]\n\n[^{i}]: Note {i}." for i in range(20))
    for lang in ("en", "ja"):
        for i in range(documents):
            (root / "content" / lang / f"9{i:04d}.md").write_text(f"---\ntitle: Doc {i}\n---\n\n{body}\n",
                                                               encoding="utf-8")
    return root


def lock_holder(lock_path: Path, code: str) -> subprocess.Popen[str]:
    """A process that holds a lock (``code`` takes it) until its stdin closes; returns once it holds it."""
    process = subprocess.Popen([sys.executable, "-c", f"import sys\nfrom pathlib import Path\n{code}\n"
                                "print('held', flush=True)\nsys.stdin.read()"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# -- 1. interruption ---------------------------------------------------------------------------------------

SIGNALS = [pytest.param(signal.SIGINT, 130, "error: interrupted", id="SIGINT"),
           pytest.param(signal.SIGTERM, 143, "error: terminated", id="SIGTERM")]


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code", "line"), SIGNALS)
def test_signal_while_reading_keeps_previous_output(signum, code, line, previous_output, tmp_path: Path) -> None:
    out, before = previous_output
    root = big_volume(tmp_path / "big", 150)
    build = start("build", "--root", root, "--out", out, "--format", "html")
    poll(lambda: handles_sigterm(build.pid), build, "the SIGTERM handler")
    os.kill(build.pid, signum)
    assert finish(build) == (code, line + "\n")
    assert snapshot(out) == before
    assert staging_leftovers(out) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["big", "out"]  # no lock file either


@pytest.mark.pdf
@pytest.mark.parametrize(("signum", "code", "line"), SIGNALS)
def test_signal_while_typesetting_ends_workers_and_keeps_previous_output(signum, code, line, make_root,
                                                                          previous_output) -> None:
    out, before = previous_output
    build = start("build", "--root", make_root("minimal"), "--out", out, "--no-cache")
    poll(lambda: staging_leftovers(out) != [], build, "the staging folder")
    poll(lambda: len(workers(build.pid)) == 2, build, "two typesetting workers")
    pids = workers(build.pid)
    os.kill(build.pid, signum)
    assert finish(build) == (code, line + "\n")
    assert [pid for pid in pids if alive(pid)] == []
    assert snapshot(out) == before
    assert staging_leftovers(out) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["minimal", "out"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_the_swap_puts_the_previous_output_back(signum, make_root, run, previous_output,
                                                             monkeypatch) -> None:
    """The signal arrives between two sections' swaps: the handler is held back and the first swap undone."""
    out, before = previous_output
    swap = writer_module._swap
    calls: list[Path] = []

    def swap_then_signal(staged: Path, target: Path, existed: bool) -> None:
        swap(staged, target, existed)
        calls.append(target)
        if len(calls) == 1:
            os.kill(os.getpid(), signum)

    monkeypatch.setattr(writer_module, "_swap", swap_then_signal)
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err.splitlines()[-1]) == ((130, "error: interrupted") if signum == signal.SIGINT
                                            else (143, "error: terminated"))
    assert calls[0] == out / "html"
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_interrupt_while_writing_keeps_previous_output(make_root, run, previous_output, monkeypatch) -> None:
    out, before = previous_output
    write = writer_module.OutputWriter.write
    count = []

    def write_then_interrupt(self, rel_path: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
        count.append(rel_path)
        if len(count) == 5:
            raise KeyboardInterrupt
        write(self, rel_path, data)

    monkeypatch.setattr(writer_module.OutputWriter, "write", write_then_interrupt)
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (130, "error: interrupted\n")
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


@pytest.mark.pdf
def test_killed_build_leaves_previous_output_and_the_next_build_cleans_up(make_root, run, previous_output) -> None:
    """``kill -9`` of the whole process group mid-typesetting: nothing runs to clean up, the output is intact,
    and the next build removes the staging folder and says so."""
    out, before = previous_output
    root = make_root("minimal")
    build = start("build", "--root", root, "--out", out, "--no-cache")
    poll(lambda: staging_leftovers(out) != [], build, "the staging folder")
    poll(lambda: len(workers(build.pid)) == 2, build, "two typesetting workers")
    os.killpg(build.pid, signal.SIGKILL)
    build.communicate(timeout=WAIT)
    assert build.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    stale = staging_leftovers(out)
    assert len(stale) == 1
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert (code, err.splitlines()[0]) == (0, f"removed 1 staging folder left by an interrupted build: {stale[0]}")
    assert staging_leftovers(out) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["minimal", "out"]


@pytest.mark.pdf
def test_workers_end_with_a_build_killed_alone(make_root, previous_output) -> None:
    """``kill -9`` of the build process only (the OOM killer's way): its workers end too, so nobody reading the
    build's output waits forever on pipes the workers would hold; no scratch folder is left outside the
    staging folder the next build removes."""
    out, before = previous_output
    build = start("build", "--root", make_root("minimal"), "--out", out, "--no-cache")
    poll(lambda: len(workers(build.pid)) == 2, build, "two typesetting workers")
    pids = workers(build.pid)
    os.kill(build.pid, signal.SIGKILL)
    try:
        build.communicate(timeout=WAIT)  # returns only once every holder of its stderr pipe has ended
    except subprocess.TimeoutExpired:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        pytest.fail("the workers outlived the killed build, holding its stderr open")
    deadline = time.monotonic() + WAIT
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if alive(pid)]
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".parts-")] == []


def test_build_killed_between_the_two_renames_of_a_swap_is_repaired(make_root, run, previous_output) -> None:
    """Where the system cannot exchange two folders in one step, a swap is two renames; a build killed between
    them left the previous ``html/`` in its staging folder, and the next build puts it back first."""
    out, before = previous_output
    stage = out.parent / ".out.taiyaku-dead1234"
    stage.mkdir()
    os.replace(out / "html", stage / ".old-html")
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 0, err
    assert err.splitlines()[:2] == [
        f"restored {out / 'html'} from an interrupted build's staging folder",
        "removed 1 staging folder left by an interrupted build: .out.taiyaku-dead1234"]
    assert snapshot(out) == before


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_swap_is_all_or_none(exchange: bool, tmp_path: Path, monkeypatch) -> None:
    """The second section's swap fails (here: EXDEV): the first is put back, the error names the folder."""
    out = tmp_path / "out"
    for section in ("html", "pdf"):
        (out / section).mkdir(parents=True)
        (out / section / "index.html" if section == "html" else out / section / "old.pdf").write_text("previous")
    before = snapshot(out)
    if not exchange:
        monkeypatch.setattr(writer_module, "_exchange", lambda a, b: False)
    replace = os.replace

    def failing_replace(src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(src).name == "pdf" and ".out.taiyaku-" in str(src) and Path(dst) == out / "pdf":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        replace(src, dst)

    writer = writer_module.OutputWriter(out, ["html", "pdf"])
    writer.write("html/index.html", b"new")
    writer.write("pdf/new.pdf", b"%PDF new")
    if exchange:
        def failing_exchange(a: Path, b: Path) -> bool:
            if b.name == "pdf":
                raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
            return EXCHANGE(a, b)

        monkeypatch.setattr(writer_module, "_exchange", failing_exchange)
    else:
        monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(writer_module.OutputError) as raised:
        writer.commit()
    monkeypatch.undo()
    writer.abort()
    assert str(raised.value) == (f"{out}: output: cannot swap the new output in: Invalid cross-device link; the "
                                 "previous output is untouched")
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_previous_section_that_cannot_be_moved_back_is_kept(tmp_path: Path, monkeypatch) -> None:
    """Both renames of a swap fail: the previous section stays in the staging folder, which is kept and named."""
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("previous")
    monkeypatch.setattr(writer_module, "_exchange", lambda a, b: False)
    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    monkeypatch.setattr(logging.getLogger("taiyaku.writer"), "handlers", [handler])
    replace = os.replace

    def failing_replace(src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(dst) == out / "html":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(src, dst)

    writer = writer_module.OutputWriter(out, ["html"])
    writer.write("html/index.html", b"new")
    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(writer_module.OutputError):
        writer.commit()
    writer.abort()
    monkeypatch.undo()
    kept = writer.stage / ".old-html"
    assert messages == [f"{out / 'html'}: the previous output is kept in {kept} (cannot move it back: "
                        "Input/output error)"]
    assert (kept / "index.html").read_text() == "previous"
    # The next build puts it back before anything else.
    writer_module.OutputWriter(out, ["html"]).abort()
    assert (out / "html" / "index.html").read_text() == "previous"
    assert staging_leftovers(out) == []


def test_swap_without_exchange(make_root, run, previous_output, monkeypatch) -> None:
    """Where the system cannot exchange two folders in one step, two renames do, with the same result."""
    out, before = previous_output
    monkeypatch.setattr(writer_module, "_exchange", lambda a, b: False)
    (out / "html" / "stale.html").write_text("from an older build")
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 0, err
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


@pytest.mark.pdf
def test_killed_worker_fails_the_build_cleanly(make_root, previous_output) -> None:
    out, before = previous_output
    build = start("build", "--root", make_root("minimal"), "--out", out, "--no-cache")
    poll(lambda: len(workers(build.pid)) == 2, build, "two typesetting workers")
    os.kill(workers(build.pid)[0], signal.SIGKILL)
    code, err = finish(build)
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("error: ")
    assert "worker" in err
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


# -- 2. concurrency ----------------------------------------------------------------------------------------

def test_second_build_of_the_same_output_is_refused(make_root, run, previous_output) -> None:
    out, before = previous_output
    lock = out.parent / ".out.taiyaku.lock"
    holder = lock_holder(lock, f"from taiyaku.lock import output_lock\nlock = output_lock(Path({str(out)!r}))\n"
                               "lock.acquire()")
    try:
        code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
        assert (code, err) == (1, f"error: {lock}: output: another build of this volume is running "
                                  f"(pid {holder.pid})\n")
        assert snapshot(out) == before
        assert staging_leftovers(out) == []
    finally:
        holder.communicate("")
    # The holder ended without releasing (as a killed build does): its file is left, its lock died with it.
    assert lock.exists()
    assert run("build", "--root", out.parent / "minimal", "--out", out, "--format", "html")[0] == 0
    assert not lock.exists()


def test_stale_lock_of_a_dead_build_is_taken_over(make_root, run, previous_output) -> None:
    out, _ = previous_output
    lock = out.parent / ".out.taiyaku.lock"
    lock.write_text(f"{dead_pid()}\n")
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {out}\n")
    assert not lock.exists()


def test_lock_records_its_pid_and_is_taken_again_after_release(tmp_path: Path) -> None:
    lock = output_lock(tmp_path / "out")
    lock.acquire()
    assert (tmp_path / ".out.taiyaku.lock").read_text() == f"{os.getpid()}\n"
    lock.release()
    assert list(tmp_path.iterdir()) == []
    with output_lock(tmp_path / "out"):
        pass


@pytest.mark.slow
def test_two_builds_at_once_never_mix_their_outputs(make_root, tmp_path: Path) -> None:
    """Two different volumes built into one folder at the same moment: the output is one of them, whole."""
    first = make_root("minimal")
    second = tmp_path / "second"
    shutil.copytree(first, second)
    for doc in (second / "content").rglob("*.md"):
        doc.write_text(doc.read_text(encoding="utf-8") + "\nA paragraph only the second volume has.\n",
                       encoding="utf-8")
    expected = []
    for root in (first, second):
        alone = tmp_path / f"alone-{root.name}"
        assert finish(start("build", "--root", root, "--out", alone, "--format", "html"))[0] == 0
        expected.append(snapshot(alone))
    assert expected[0] != expected[1]
    out = tmp_path / "shared"
    for _ in range(2):
        builds = [start("build", "--root", root, "--out", out, "--format", "html") for root in (first, second)]
        for build in builds:
            code, err = finish(build)
            assert code == 0 or err.endswith("another build of this volume is running "
                                             f"(pid {[b.pid for b in builds if b is not build][0]})\n"), err
        assert snapshot(out) in expected
        assert staging_leftovers(out) == []


def test_two_pins_at_once_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "vol"
    shutil.copytree(ROOTS / "minimal", root)
    holder = lock_holder(root / ".taiyaku.lock", "from taiyaku.lock import volume_lock\n"
                                                 f"lock = volume_lock(Path({str(root)!r}))\nlock.acquire()")
    try:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        code, err = finish(start("check", "--root", root, "--pin", "content/ja/01-one.md"))
        assert (code, err) == (1, f"error: {root / '.taiyaku.lock'}: content: another check --pin of this volume "
                                  f"is running (pid {holder.pid})\n")
    finally:
        holder.communicate("")


def test_volume_lock_is_refused_while_held(tmp_path: Path) -> None:
    with volume_lock(tmp_path, "check --pin of this volume"):
        with pytest.raises(ContentError) as raised:
            volume_lock(tmp_path, "check --pin of this volume").acquire()
    assert str(raised.value) == (f"{tmp_path / '.taiyaku.lock'}: content: another check --pin of this volume is "
                                 f"running (pid {os.getpid()})")


# -- 3. resources and refused output folders --------------------------------------------------------------

@pytest.mark.parametrize(("given", "message"), [
    (".", "--out . is the volume folder: the build replaces html/ and pdf/ in it; give it a folder of its own "
          "(default: build/)"),
    ("..", "--out .. contains the volume folder: the build replaces html/ and pdf/ in it; give it a folder of its "
           "own (default: build/)"),
    ("content", "--out content is inside the volume's content/ folder: the output would be read as input next "
                "time; give it a folder of its own (default: build/)"),
    ("content/en/out", "--out content/en/out is inside the volume's content/ folder: the output would be read as "
                       "input next time; give it a folder of its own (default: build/)"),
    ("templates/out", "--out templates/out is inside the volume's templates/ folder: the output would be read as "
                      "input next time; give it a folder of its own (default: build/)"),
])
def test_out_that_would_destroy_the_volume_is_refused(given, message, make_root, run, monkeypatch) -> None:
    root = make_root("minimal")
    before = snapshot(root.parent)
    monkeypatch.chdir(root)
    code, err = run("build", "--root", ".", "--out", given, "--format", "html")
    assert (code, err) == (1, f"error: {given}: output: {message}\n")
    assert snapshot(root.parent) == before
    assert [p.name for p in root.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("section", "make", "message"), [
    ("html", lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")),
     "html/ holds files taiyaku did not make; the build would replace the whole folder: move it away or choose "
     "another --out"),
    ("html", lambda p: p.write_text("mine"),
     "html is not a folder taiyaku made (a file or a link); the build would replace it: move it away or choose "
     "another --out"),
    ("pdf", lambda p: (p.mkdir(), (p / "thesis.docx").write_text("mine")),
     "pdf/ holds files taiyaku did not make; the build would replace the whole folder: move it away or choose "
     "another --out"),
])
def test_out_holding_someone_elses_files_is_refused(section, make, message, make_root, run, tmp_path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    make(out / section)
    before = snapshot(out)
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "all" if section == "pdf"
                    else "html")
    assert (code, err) == (1, f"error: {out / section}: output: {message}\n")
    assert snapshot(out) == before


def test_missing_output_parents_are_created(make_root, run, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (0, f"built 14 files into {out}\n")


def test_output_parent_that_is_a_file(make_root, run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "out"
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (1, f"error: {tmp_path / 'file'}: output: a file, not a folder: the output folder "
                              "cannot be made under it\n")


def test_disk_full_while_writing(make_root, run, previous_output, monkeypatch) -> None:
    """ENOSPC injected into the writer's file writes (the same path a full disk takes)."""
    out, before = previous_output
    write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if ".out.taiyaku-" in str(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 1
    assert err.startswith(f"error: {out}/html/")
    assert err.endswith(": output: cannot write: No space left on device; the previous output is untouched\n")
    assert err.count("\n") == 1
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 32 MB tmpfs mounted at ``<tmp_path>/disk`` (tests run as root in CI; skipped where mount is refused)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_real_disk_full(small_disk: Path, make_root, run, previous_output) -> None:
    """A real full file system: the previous output fits, the new one does not."""
    src, before = previous_output
    out = small_disk / "out"
    shutil.copytree(src, out)
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as f:  # take every block left
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert code == 1
    assert err.startswith(f"error: {out}/html/")
    assert err.endswith(": output: cannot write: No space left on device; the previous output is untouched\n")
    assert snapshot(out) == before
    assert staging_leftovers(out) == []


def test_read_only_output_parent(small_disk: Path, make_root, run, previous_output) -> None:
    src, before = previous_output
    out = small_disk / "out"
    shutil.copytree(src, out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, err = run("build", "--root", make_root("minimal"), "--out", out, "--format", "html")
    assert (code, err) == (1, f"error: {small_disk}: output: cannot create the lock file .out.taiyaku.lock here: "
                              "Read-only file system\n")
    assert snapshot(out) == before


# -- 4. escapes ----------------------------------------------------------------------------------------------

def test_inside_follows_links(tmp_path: Path) -> None:
    root = tmp_path / "vol"
    (root / "content").mkdir(parents=True)
    (tmp_path / "secret.md").write_text("")
    (root / "content" / "link.md").symlink_to(tmp_path / "secret.md")
    (root / "content" / "here.md").write_text("")
    (root / "content" / "loop.md").symlink_to(root / "content" / "loop.md")
    assert inside(root, root / "content" / "here.md")
    assert not inside(root, root / "content" / "link.md")
    assert not inside(root, root / "content" / "loop.md")
    with pytest.raises(ContentError) as raised:
        refuse_outside(root, root / "content" / "link.md")
    assert str(raised.value) == (f"content/link.md: content: a symbolic link to {tmp_path / 'secret.md'}, outside "
                                 "the volume: taiyaku reads only files inside the volume folder")


def test_content_symlink_out_of_the_volume_is_refused(make_root, run, tmp_path: Path) -> None:
    root = make_root("minimal")
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\n\nPRIVATE KEY\n")
    (root / "content" / "en" / "03-secret.md").symlink_to(tmp_path / "secret.md")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 1
    assert err.splitlines()[0] == (f"content/en/03-secret.md: content: a symbolic link to {tmp_path / 'secret.md'}, "
                                   "outside the volume: taiyaku reads only files inside the volume folder")
    assert not out.exists()


def test_template_symlink_out_of_the_volume_is_refused(make_root, run, tmp_path: Path) -> None:
    from taiyaku.theme import THEME_ROOT

    root = make_root("minimal")
    (tmp_path / "base.html").write_text((THEME_ROOT / "templates" / "base.html").read_text() + "<!-- SECRET -->")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").symlink_to(tmp_path / "base.html")
    out = tmp_path / "out"
    code, err = run("build", "--root", root, "--out", out, "--format", "html")
    assert code == 1, [p for p in snapshot(out) if b"SECRET" in snapshot(out)[p]]
    assert f"templates/base.html: template: a symbolic link to {tmp_path / 'base.html'}, outside the volume" in err


def test_catalog_symlink_out_of_the_volume_is_refused(make_root, run, tmp_path: Path) -> None:
    from taiyaku.theme import THEME_ROOT

    root = make_root("minimal")
    catalog = THEME_ROOT / "locales" / "ja" / "LC_MESSAGES" / "messages.po"
    (tmp_path / "messages.po").write_text(catalog.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "locales" / "ja" / "LC_MESSAGES").mkdir(parents=True)
    (root / "locales" / "ja" / "LC_MESSAGES" / "messages.po").symlink_to(tmp_path / "messages.po")
    code, err = run("build", "--root", root, "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert (f"locales/ja/LC_MESSAGES/messages.po: catalog: a symbolic link to {tmp_path / 'messages.po'}, outside "
            "the volume") in err
