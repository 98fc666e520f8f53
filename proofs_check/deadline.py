"""Hard deadlines for work that cannot be interrupted (SymPy's ``simplify``/``solve``,
long calls into C).

Python cannot stop a running SymPy call from the outside, so such work runs in a forked
child process that is killed when its time is up: :func:`run_killable` returns the
child's value or says that time ran out. :func:`run_isolated` runs a whole check that way
and reports, when it has to kill it, the *phase* the child had announced last with
:func:`phase` (e.g. "symbolic", "enclosure", "sampling"). The child also runs under a
memory limit (:data:`MEMORY_LIMIT` bytes beyond what the parent already uses), so that
runaway work ends as a report, not as a MemoryError in the caller.

The parent pays one ``fork`` per call (a few milliseconds, copy-on-write; see
``benchmarks/README.md``). Where ``fork`` is not available (not POSIX) the work runs
in-process, without the hard limit.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["phase", "current_phase", "run_killable", "run_isolated", "Outcome",
           "can_fork", "MEMORY_LIMIT"]

#: bytes of address space a child may use beyond the parent's size at the fork
MEMORY_LIMIT = 4 * 2**30

_SINK: int | None = None  # the pipe to the parent, in a child
_PHASE = ""


def can_fork() -> bool:
    """Whether work can run in a killable child process (POSIX ``fork``)."""
    return hasattr(os, "fork") and os.environ.get("RMC_NO_FORK", "") in ("", "0")


def phase(name: str) -> None:
    """Announce the phase the current work is in (sent to the parent when in a child)."""
    global _PHASE
    _PHASE = name
    if _SINK is not None:
        _send(_SINK, ("phase", name))


def current_phase() -> str:
    return _PHASE


def _send(fd: int, msg) -> None:
    data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    data = struct.pack("!Q", len(data)) + data
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _vm_size() -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    size = _vm_size()
    if size is None:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = size + MEMORY_LIMIT
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        if soft == resource.RLIM_INFINITY or soft > want:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):  # pragma: no cover - the limit is a safety net only
        pass


@dataclass
class Outcome:
    """What became of work run in a child.

    kind:  "ok" (``value`` is the result), "raised" (``value`` is the exception, re-created
           in the parent), "timeout" (killed at the deadline), "memory" (MemoryError in
           the child), "died" (the child ended without a result; ``value`` says how)
    phase: the last phase the child announced
    seconds: wall time
    """

    kind: str
    value: object = None
    phase: str = ""
    seconds: float = 0.0


def run_isolated(fn: Callable, args: tuple = (), timeout: float = 60.0) -> Outcome:
    """Run ``fn(*args)`` in a forked child and wait at most ``timeout`` seconds; the child is
    killed (SIGKILL) when the time is up. The result and any exception are pickled back
    (an exception that cannot be pickled comes back as a RuntimeError with its text)."""
    t0 = time.monotonic()
    if not can_fork():
        try:
            return Outcome("ok", fn(*args), _PHASE, time.monotonic() - t0)
        except MemoryError:
            return Outcome("memory", None, _PHASE, time.monotonic() - t0)
        except Exception as e:  # noqa: BLE001 - handed to the caller like the child's
            return Outcome("raised", e, _PHASE, time.monotonic() - t0)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        global _SINK
        code = 0
        try:
            os.close(r)
            _SINK = w
            _limit_memory()
            try:
                val = fn(*args)
                msg = ("ok", val)
            except MemoryError:
                msg = ("memory", None)
            except BaseException as e:  # noqa: BLE001 - reported to the parent
                msg = ("raised", e)
            try:
                _send(w, msg)
            except Exception as e:  # noqa: BLE001 - unpicklable result or exception
                _send(w, ("raised", RuntimeError(f"{type(e).__name__}: {e}; "
                                                 f"result {msg[0]}: {msg[1]!r:.300}")))
        except BaseException:  # noqa: BLE001 - the child must end here, whatever happened
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    buf = b""
    last_phase = _PHASE
    result = None
    deadline = t0 + max(0.0, timeout)
    eof = False
    try:
        while not eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([r], [], [], remaining)
            if not ready:
                break
            chunk = os.read(r, 1 << 16)
            if not chunk:
                eof = True
            buf += chunk
            while len(buf) >= 8:
                (n,) = struct.unpack("!Q", buf[:8])
                if len(buf) < 8 + n:
                    break
                msg = pickle.loads(buf[8:8 + n])
                buf = buf[8 + n:]
                if msg[0] == "phase":
                    last_phase = msg[1]
                else:
                    result = msg
    finally:
        os.close(r)
        if not eof or result is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - t0
    if result is not None:
        return Outcome(result[0], result[1], last_phase, seconds)
    if not eof:
        return Outcome("timeout", None, last_phase, seconds)
    how = (f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
           else f"exit status {os.WEXITSTATUS(status)}")
    return Outcome("died", how, last_phase, seconds)


def run_killable(fn: Callable, args: tuple = (), timeout: float = 10.0):
    """``("ok", value)`` when ``fn(*args)`` returned within ``timeout`` seconds (run in a
    forked child), else ``("timeout", None)``, ``("error", message)`` when it raised, or
    ``("memory", None)``."""
    out = run_isolated(fn, args, timeout)
    if out.kind == "ok":
        return ("ok", out.value)
    if out.kind == "raised":
        return ("error", f"{type(out.value).__name__}: {out.value}")
    if out.kind == "died":
        return ("error", f"the worker process died ({out.value})")
    return (out.kind, None)
