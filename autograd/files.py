"""Writing files safely: :func:`write_atomic` (a temporary file, then a rename).

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> write_atomic(os.path.join(folder, "note.txt"), "hello\\n").read_text()
'hello\\n'
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["write_atomic"]

_KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}
_PREFIX_CHARS = 24  # of the target's name in the temporary name: far below NAME_MAX


def _kind(mode: int) -> str:
    for test, name in _KINDS.items():
        if test(mode):
            return name
    return "not a regular file"


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` (str as UTF-8, or bytes) to ``path`` through a temporary file and a rename.

    * A failure leaves any earlier file at ``path`` untouched (and no temporary file).
    * Overwriting keeps the existing file's permission bits; a new file gets the usual
      mode from the umask (``0o666 & ~umask``), as :func:`open` would give it.
    * A symlink is followed: the file it points to is replaced and the link stays.
    * A path that exists but is not a regular file (a folder, FIFO, device, socket) is
      refused with a ValueError naming it; nothing is opened or read.
    * The parent folder must exist (FileNotFoundError naming it otherwise).

    Returns ``path`` as given (a :class:`~pathlib.Path`).
    """
    given = Path(path)
    if not isinstance(data, str | bytes):
        raise TypeError(f"write_atomic: data must be str or bytes, got {type(data).__name__}")
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    target = Path(os.path.realpath(given))  # through symlinks: write the file they name
    parent = target.parent
    if not parent.is_dir():
        raise FileNotFoundError(
            f"cannot write {str(given)!r}: folder {str(parent)!r} does not exist"
        )
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise ValueError(
            f"cannot write {str(given)!r}: it is {_kind(existing.st_mode)}, not a regular file"
        )
    fd, tmp = _create_temp(parent, target.name)
    try:
        with os.fdopen(fd, "wb") as f:
            if existing is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(existing.st_mode))
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(parent)
    return given


def _create_temp(parent: Path, name: str) -> tuple[int, str]:
    """A new, empty, exclusively created file next to the target; its mode follows the umask.

    The name is ``.<up to 24 characters of name>.<16 hex>.tmp``, so it stays far below
    NAME_MAX (255 bytes) whatever the length of the target's own name.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(parent, f".{name[:_PREFIX_CHARS]}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp  # the kernel applies the umask
        except FileExistsError:  # pragma: no cover - 64 random bits
            continue
    raise FileExistsError(f"cannot create a temporary file in {str(parent)!r}")  # pragma: no cover


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
