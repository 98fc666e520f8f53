"""Deadlines and resource limits: every command gives its result or refuses up front.

The promise (README "Limits"): a command either finishes — with a progress bar on a
terminal when the work is long — or refuses *before the bulk of the work* with a one-line
error (exit code 2) that names the limit and the cheaper option. It never runs past its
time limit and never ends in ``MemoryError``.

Three layers:

* **estimates** — each costly phase estimates its own time (from a cost model measured on
  the 2-core reference machine, or by timing a few of its own rows first: :func:`rows`)
  and memory, and calls :func:`require` / :func:`require_memory`, which raise
  :class:`LimitError` when the estimate does not fit in what is left of the budget;
* **the deadline** — :func:`deadline` (used by the command line around every command but
  ``rmc verify``, which has its own ``--timeout``) arms a ``SIGALRM`` timer at the budget:
  work that outruns its estimate is stopped there with :class:`DeadlineExceeded`, which
  the command line turns into a one-line error naming the phase;
* **phases** — :func:`phase` names what is being computed, for those messages.

Outside :func:`deadline` (library use) there is no time limit; memory checks still apply.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import InputError

__all__ = [
    "DEFAULT_MAX_SECONDS", "LimitError", "DeadlineExceeded", "deadline", "remaining",
    "limit", "phase", "current_phase", "last_phase", "require", "require_memory",
    "available_memory", "rows", "seconds_text", "loglog_interp", "short_int",
    "progress_enabled", "checkpoint",
]

#: the default time limit of every command (``--max-seconds``), in seconds
DEFAULT_MAX_SECONDS = 120.0

#: at most this fraction of the available memory may be planned for
MEMORY_FRACTION = 0.5


class LimitError(InputError):
    """A refusal before the work: the estimated cost exceeds a limit (exit code 2)."""


class DeadlineExceeded(BaseException):  # noqa: N818 - like KeyboardInterrupt
    """The time limit was reached during the work (raised by the ``SIGALRM`` timer).

    A ``BaseException``, so that no ``except Exception`` inside the computation can swallow
    it; the command line turns it into a one-line error, exit code 2."""


_failed_in: list[str | None] = [None]

_state: dict[str, Any] = {"end": None, "seconds": None, "phase": None, "option": None,
                          "progress": False}


def seconds_text(s: float) -> str:
    """A duration for messages: ``0.3 s``, ``45 s``, ``2.1e+04 s``."""
    if not s < 1e99:
        return "more than 1e+99 s"
    if s < 10:
        return f"{s:.2g} s"
    if s < 1e5:
        return f"{s:.0f} s"
    return f"{s:.2g} s"


def loglog_interp(table: Sequence[tuple[float, float]], x: float) -> float:
    """Interpolate a measured cost table ``((x0, y0), (x1, y1), ...)`` (increasing x) at
    ``x``, linearly in log x and log y; beyond its ends, the power law of the end pair."""
    x = max(float(x), 1e-300)
    pts = list(table)
    if x <= pts[0][0]:
        (x0, y0), (x1, y1) = pts[0], pts[1]
    elif x >= pts[-1][0]:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
    else:
        j = next(i for i in range(1, len(pts)) if pts[i][0] >= x)
        (x0, y0), (x1, y1) = pts[j - 1], pts[j]
    slope = math.log(y1 / y0) / math.log(x1 / x0)
    return y0 * math.exp(slope * (math.log(x) - math.log(x0)))


def short_int(v) -> str:
    """An integer for a message: as is up to 20 digits, else ``~1.234e+400``."""
    s = str(v)
    digits = s.lstrip("-")
    if len(digits) <= 20:
        return s
    sign = "-" if s.startswith("-") else ""
    return f"{sign}~{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"


def limit() -> float | None:
    """The time limit in force (seconds), or ``None`` outside :func:`deadline`."""
    return _state["seconds"]


def remaining() -> float:
    """Seconds left before the deadline (``inf`` when there is none)."""
    end = _state["end"]
    return math.inf if end is None else end - time.monotonic()


def current_phase() -> str | None:
    """What is being computed now (for messages), if a phase was named."""
    return _state["phase"]


def progress_enabled() -> bool:
    """Whether long phases may draw a progress bar (a terminal, no ``--json``)."""
    return bool(_state["progress"])


@contextlib.contextmanager
def phase(text: str) -> Iterator[None]:
    """Name the phase being computed (it appears in the deadline message)."""
    old = _state["phase"]
    _state["phase"] = text
    try:
        yield
    except BaseException:
        if _failed_in[0] is None:  # the innermost phase an error went through
            _failed_in[0] = text
        raise
    finally:
        _state["phase"] = old


def last_phase() -> str | None:
    """The innermost phase that the last error (deadline, memory) went through."""
    return _failed_in[0]


def _on_alarm(signum, frame):  # pragma: no cover - exercised through subprocess tests
    raise DeadlineExceeded()


@contextlib.contextmanager
def deadline(seconds: float | None, option: str = "--max-seconds",
             progress: bool = False) -> Iterator[None]:
    """Run the body under a time limit of ``seconds`` (``None``: none): estimates are held
    against it, and a ``SIGALRM`` timer stops the work at it (repeating every second, in
    case something catches the first one). ``option`` names the switch that raises it."""
    old = dict(_state)
    _failed_in[0] = None
    _state.update(option=option, progress=progress)
    import threading

    # the timer needs the main thread (signals); elsewhere the estimates still hold
    timer = (seconds is not None and math.isfinite(seconds) and hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread())
    if seconds is not None:
        _state.update(end=time.monotonic() + seconds, seconds=seconds)
    old_handler = None
    if timer:
        old_handler = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3), 1.0)
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        _state.clear()
        _state.update(old)


def checkpoint() -> None:
    """Raise :class:`DeadlineExceeded` if the deadline has passed (for loops that must not
    rely on the timer alone)."""
    if remaining() < 0:
        raise DeadlineExceeded()


#: every estimate made (``(what, seconds)``), for benchmarks/bench_limits.py
ESTIMATES: list[tuple[str, float]] = []


def require(estimate: float, what: str, cheaper: str) -> None:
    """Refuse (:class:`LimitError`) when ``estimate`` seconds do not fit in what is left
    of the time limit. ``what`` says what would take that long, ``cheaper`` the way out."""
    if len(ESTIMATES) < 10_000:
        ESTIMATES.append((what, float(estimate)))
    left = remaining()
    if estimate <= left:
        return
    total = _state["seconds"]
    option = _state["option"] or "--max-seconds"
    about = seconds_text(estimate)
    about = about if about.startswith("more") else "~" + about
    raise LimitError(f"{what} would take {about}, beyond the time limit "
                     f"of {total:g} s ({option}): {cheaper}")


def available_memory() -> int:
    """Bytes of memory available to this process (``MemAvailable``, the address-space
    limit if lower; a conservative 4 GB when neither is known)."""
    avail = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError):
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            avail = 4 * 1024**3
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            avail = min(avail, soft)
    except (ImportError, ValueError, OSError):  # pragma: no cover
        pass
    return int(avail)


def _bytes_text(b: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.0f} bytes"


def require_memory(nbytes: float, what: str, cheaper: str) -> None:
    """Refuse (:class:`LimitError`) when ``nbytes`` exceed half of the available memory."""
    cap = MEMORY_FRACTION * available_memory()
    if nbytes > cap:
        raise LimitError(f"{what} would need ~{_bytes_text(nbytes)} of memory, more than "
                         f"the {_bytes_text(cap)} available to rmc: {cheaper}")


def _bar(total: int, desc: str):
    if not progress_enabled() or total < 2:
        return None
    from tqdm import tqdm

    try:
        return tqdm(total=total, desc=desc, unit="row", file=sys.stderr, leave=False,
                    delay=1.0, dynamic_ncols=True)
    except TypeError:  # pragma: no cover - tqdm without ``delay``
        return tqdm(total=total, desc=desc, unit="row", file=sys.stderr, leave=False,
                    mininterval=1.0)


def rows(keys: Sequence, compute: Callable[[Any], Any], *, what: str, cheaper: str,
         desc: str = "rmc", extra: Sequence[tuple[float, str, str]] = (),
         digits: int = 15) -> list:
    """``[compute(key) for key in keys]``, estimated before the bulk and with progress.

    Rows at three sample positions are computed first and timed — the first, the last and
    the middle — each followed by its neighbour, whose (warm) time is the sample: the
    first of a pair pays the one-time costs (compiling, iterating g_k up to the largest
    k). The cost of the rest is the trapezoidal interpolation of the samples over the
    positions. When that, plus the ``extra`` phases planned after the rows (``(seconds,
    what, cheaper)``, e.g. a simulation), does not fit in the time left,
    :class:`LimitError` names the largest part and its cheaper option. The rows computed
    for the estimate are kept. The time to print a row (``digits`` significant digits) is
    part of its cost.
    """
    n = len(keys)
    done: dict[int, Any] = {}
    cost: dict[int, float] = {}
    order: list[int] = []
    for i in (0, 1, n - 1, n - 2, n // 2, n // 2 + 1):
        if 0 <= i < n and i not in order:
            order.append(i)
    for i in order:
        t0 = time.perf_counter()
        with phase(f"{what} ({i + 1} of {n})"):
            done[i] = compute(keys[i])
        _format(done[i], digits)
        cost[i] = time.perf_counter() - t0
        _judge(n, done, cost, what, cheaper, extra)
    if n > len(done):  # the estimate the samples gave (for benchmarks/bench_limits.py)
        warm = (cost[1] + 2 * cost[n // 2 + 1] + cost[n - 2]) / 4
        ESTIMATES.append((f"{n} {what}", sum(cost.values()) + (n - len(done)) * warm))
    bar = _bar(n - len(done), desc)
    try:
        for i in range(n):
            if i in done:
                continue
            with phase(f"{what} ({i + 1} of {n})"):
                done[i] = compute(keys[i])
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()
    return [done[i] for i in range(n)]


def _format(row, digits: int) -> None:
    """Format a row's values as the output will (only to time it)."""
    from .output import fmt

    if isinstance(row, dict):
        for v in row.values():
            fmt(v, digits)


def _judge(n, done, cost, what, cheaper, extra) -> None:
    """Refuse as soon as the rows timed so far show that the whole will not fit."""
    left = n - len(done)
    warm = [1, n - 2, n // 2 + 1]
    if left == 0:
        per_row = 0.0
    elif all(i in cost for i in warm):
        per_row = (cost[1] + 2 * cost[n // 2 + 1] + cost[n - 2]) / 4
    elif 1 in cost:
        per_row = min(cost[i] for i in warm if i in cost)  # warm rows: a rough lower bound
    else:
        return  # the first row pays one-time costs: wait for a warm one
    rest = left * per_row
    total = rest + sum(e[0] for e in extra)
    if total <= remaining():
        return
    biggest = max(extra, key=lambda e: e[0], default=None)
    if biggest is not None and biggest[0] > rest:
        others = total - biggest[0]
        what_b = biggest[1] + (f" (after ~{seconds_text(others)} of other work)"
                               if others >= 1 else "")
        require(total, what_b, biggest[2])
    rest_text = " with the rest of the work" if total - rest >= 1 else ""
    require(total, f"{n} {what} (~{seconds_text(per_row)} each){rest_text}", cheaper)
