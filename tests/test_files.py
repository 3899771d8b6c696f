"""write_atomic: modes, long names, symlinks, FIFOs and devices, bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from autograd.files import write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_str_as_utf8_and_bytes_as_is(tmp_path: Path) -> None:
    assert write_atomic(tmp_path / "a.txt", "ㄱ x\n") == tmp_path / "a.txt"
    assert (tmp_path / "a.txt").read_bytes() == "ㄱ x\n".encode()
    png = b"\x89PNG\r\n\x1a\n\x00\xff"
    write_atomic(tmp_path / "a.png", png)
    assert (tmp_path / "a.png").read_bytes() == png
    with pytest.raises(TypeError, match="str or bytes"):
        write_atomic(tmp_path / "b.txt", 3)  # type: ignore[arg-type]


def test_overwrite_keeps_the_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "g.svg"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert mode(target) == 0o640
    target.chmod(0o755)
    write_atomic(target, "newer")
    assert mode(target) == 0o755


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_its_mode_from_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.svg", "x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.svg") == 0o666 & ~umask


def test_a_long_name_that_the_filesystem_accepts_is_accepted(tmp_path: Path) -> None:
    name = "g" * 240 + ".svg"  # 244 characters, below NAME_MAX (255)
    (tmp_path / name).write_text("probe")  # the filesystem accepts it
    (tmp_path / name).unlink()
    write_atomic(tmp_path / name, "ok")
    assert (tmp_path / name).read_text() == "ok"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left behind


def test_a_name_too_long_for_the_filesystem_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="too long"):
        write_atomic(tmp_path / ("g" * 300), "x")
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.svg"
    real.write_text("old")
    real.chmod(0o604)
    link = tmp_path / "link.svg"
    link.symlink_to("real.svg")
    assert write_atomic(link, "new") == link
    assert link.is_symlink()
    assert os.readlink(link) == "real.svg"
    assert real.read_text() == "new"
    assert mode(real) == 0o604


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.svg"
    link.symlink_to("made.svg")
    write_atomic(link, "x")
    assert link.is_symlink()
    assert (tmp_path / "made.svg").read_text() == "x"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"pipe\.svg.*FIFO.*not a regular file"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.svg"]


def test_a_device_or_folder_is_refused(tmp_path: Path) -> None:
    if Path("/dev/null").exists():
        with pytest.raises(ValueError, match="character device"):
            write_atomic("/dev/null", "x")
    link = tmp_path / "null.svg"
    link.symlink_to("/dev/null")
    with pytest.raises(ValueError, match="character device"):
        write_atomic(link, "x")
    (tmp_path / "d.svg").mkdir()
    with pytest.raises(ValueError, match="a folder"):
        write_atomic(tmp_path / "d.svg", "x")


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "g.svg", "x")


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "g.svg"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \udc80 surrogate")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.svg"]
