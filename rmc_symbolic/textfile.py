"""Reading the user's text files (``--pmf``, ``--counts``, ``--corpus``, ``--samples``)
within limits.

Every file is checked before it is read: an empty name, a missing file, a directory, a
device (``/dev/zero``, ``/dev/urandom``: endless) or a socket is a one-line error. A
regular file's reading time is estimated from its size (lines per second measured for each
kind of file) and held against the time limit (:mod:`rmc_symbolic.limits`), its memory
against what is available. A FIFO or pipe (``<(...)`` in a shell) is read without
blocking: at most as many bytes as the time limit allows to parse, and it may stay
silent for at most :data:`FIFO_WAIT` seconds (or what is left of the time limit).
Text must be UTF-8 without NUL bytes.
"""

from __future__ import annotations

import codecs
import os
import select
import stat
from collections.abc import Iterator

from .errors import InputError

__all__ = ["read_text", "iter_text", "check_file", "FIFO_WAIT", "read_seconds"]

#: seconds a FIFO may stay silent before rmc gives up on it
FIFO_WAIT = 30.0

#: cost of reading each kind of file (seconds per line, per byte) and memory per byte
#: while it is held, measured on the 2-core reference machine (benchmarks/README.md)
_PER_LINE = {"pmf": 7e-6, "counts": 3.5e-6, "samples": 0.0, "corpus": 0.0}
_PER_BYTE = {"pmf": 2e-8, "counts": 2e-8, "samples": 6e-7, "corpus": 6e-8}
_MEMORY_PER_LINE = {"pmf": 250, "counts": 120, "samples": 0, "corpus": 0}
_MEMORY_PER_BYTE = {"pmf": 4, "counts": 4, "samples": 40, "corpus": 0.5}
_CHUNK = 1 << 22


def _shown(path: str) -> str:
    return repr(path if len(path) <= 80 else path[:40] + "..." + path[-30:])


def check_file(path: str | os.PathLike, what: str) -> os.stat_result:
    """The ``stat`` of a readable file, or :class:`InputError` naming the problem."""
    p = os.fspath(path) if path is not None else ""
    if not isinstance(p, str) or not p.strip():
        raise InputError(f"{what}: the file name is empty")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"{what} file {_shown(p)} does not exist") from None
    except (OSError, ValueError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise InputError(f"{what} file {_shown(p)} cannot be read: {reason}") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(f"{what} file {_shown(p)} is a directory")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{what} file {_shown(p)} is a device, not a text file")
    if stat.S_ISSOCK(mode):
        raise InputError(f"{what} file {_shown(p)} is a socket, not a text file")
    if not os.access(p, os.R_OK):
        raise InputError(f"{what} file {_shown(p)} cannot be read: permission denied")
    return st


def _lines_per_byte(p: str) -> float:
    """Lines per byte at the start of a regular file (for the estimates)."""
    with open(p, "rb") as fh:
        head = fh.read(1 << 16)
    return (head.count(b"\n") + 1) / max(len(head), 1)


def read_seconds(nbytes: float, kind: str, lines_per_byte: float = 0.1) -> float:
    """Estimated seconds to read and parse ``nbytes`` of a ``kind`` file."""
    return nbytes * (_PER_BYTE[kind] + lines_per_byte * _PER_LINE[kind])


def _require(p: str, what: str, kind: str, nbytes: float, density: float) -> None:
    from . import limits

    mb = nbytes / 1e6
    label = f"reading {what} file {_shown(p)} ({mb:.3g} MB)"
    limits.require_memory(nbytes * (_MEMORY_PER_BYTE[kind]
                                    + density * _MEMORY_PER_LINE[kind]),
                          label, "use a smaller file")
    limits.require(read_seconds(nbytes, kind, density), label,
                   "use a smaller file or raise --max-seconds")


def _stream_budget(kind: str) -> int:
    """The most bytes worth reading from a stream: what the time limit lets rmc parse and
    what memory holds."""
    from . import limits

    per_byte = read_seconds(1, kind)
    by_time = limits.remaining() / per_byte
    by_memory = limits.MEMORY_FRACTION * limits.available_memory() / (
        _MEMORY_PER_BYTE[kind] + 0.1 * _MEMORY_PER_LINE[kind] + 1)
    return int(min(by_time, by_memory, 1 << 40))


def _iter_bytes(path, what: str, kind: str) -> Iterator[bytes]:
    """The file's bytes in chunks, after the checks of the module docstring."""
    from . import limits

    p = os.fspath(path)
    st = check_file(p, what)
    regular = stat.S_ISREG(st.st_mode) and st.st_size > 0
    if regular:
        _require(p, what, kind, st.st_size, _lines_per_byte(p))
        try:
            with open(p, "rb") as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        return
                    yield chunk
        except OSError as e:
            raise InputError(f"{what} file {_shown(p)} cannot be read: {e.strerror}") from None
    # a FIFO, a pipe, or a file whose size is not known in advance (/proc)
    budget = _stream_budget(kind)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputError(f"{what} file {_shown(p)} cannot be read: {e.strerror}") from None
    total = 0
    try:
        while True:
            try:  # a FIFO without a writer reads as empty at once
                chunk = os.read(fd, _CHUNK)
            except BlockingIOError:  # a writer, but nothing yet: wait for it
                wait = max(0.05, min(FIFO_WAIT, 0.9 * limits.remaining() - 0.2))
                ready, _, _ = select.select([fd], [], [], wait)
                if not ready:
                    raise InputError(f"{what} file {_shown(p)}: nothing arrived for "
                                     f"{wait:.3g} s") from None
                continue
            except OSError as e:
                raise InputError(f"{what} file {_shown(p)} cannot be read: "
                                 f"{e.strerror}") from None
            if not chunk:
                return
            total += len(chunk)
            if total > budget:
                raise InputError(f"{what} file {_shown(p)}: more than {budget / 1e6:.3g} MB "
                                 "arrived, more than the time limit lets rmc read: use a "
                                 "smaller file or raise --max-seconds")
            yield chunk
    finally:
        os.close(fd)


def iter_text(path, what: str, kind: str) -> Iterator[str]:
    """The file's UTF-8 text in chunks (a chunk never ends inside a character)."""
    from .limits import phase

    p = os.fspath(path) if path is not None else ""
    with phase(f"reading {what} file {_shown(p)}"):
        yield from _iter_text(path, p, what, kind)


def _iter_text(path, p: str, what: str, kind: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for chunk in _iter_bytes(path, what, kind):
        if b"\x00" in chunk:
            raise InputError(f"{what} file {_shown(p)} is binary (it contains NUL bytes)")
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as e:
            raise InputError(f"{what} file {_shown(p)} is not UTF-8 text (byte "
                             f"{offset + e.start})") from None
        offset += len(chunk)
        if text:
            yield text
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as e:
        raise InputError(f"{what} file {_shown(p)} is not UTF-8 text (byte "
                         f"{offset + e.start})") from None
    if tail:
        yield tail


def read_text(path, what: str, kind: str) -> str:
    """The whole UTF-8 text of a file, within the limits of the module docstring."""
    return "".join(iter_text(path, what, kind))
