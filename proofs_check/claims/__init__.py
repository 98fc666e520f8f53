"""The paper's claims, registered and checked by machine, each reported with exactly what
was established (see :mod:`proofs_check.status`).

``CLAIMS`` maps claim ids to :class:`ClaimSpec` (result id, short statement, provenance,
the expected status, the check function). Claim ids are ``RESULT.STATEMENT`` when a
result's statements are checked one by one (``lemma2_sharp.upper``, ``eq15.gurland``)
and the bare result id when one check covers the whole result (``theorem1``).

>>> from proofs_check.claims import ids_for
>>> ids_for("lemma2")
['lemma2.lower', 'lemma2.upper']

One module per section of RESULTS.md holds the checks: :mod:`.iterated` (§1),
:mod:`.bernoulli` (§2), :mod:`.poisson` (§3), :mod:`.gaussian` (§4), :mod:`.gmm` (§5).
"""

from __future__ import annotations

import copy
import time
import traceback
from collections.abc import Iterable

from rmc_symbolic.errors import InputError

from ..status import Report, Status
from ._core import REGISTRY, ClaimSpec, Ctx, Timeout

__all__ = ["CLAIMS", "ClaimSpec", "check", "check_all", "ids_for", "result_ids", "expected"]

_LOADED = False


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from . import bernoulli, gaussian, gmm, iterated, poisson  # noqa: F401
    from ._generic import register_uncovered

    register_uncovered()


class _Claims(dict):
    """``CLAIMS``: loads the check modules on first use."""

    def _ensure(self) -> None:
        if not _LOADED:
            _load()
            from rmc_symbolic import ids as _ids

            order = {rid: i for i, rid in enumerate(_ids())}
            pos = {cid: i for i, cid in enumerate(REGISTRY)}
            seq = sorted(REGISTRY, key=lambda cid: (
                order.get(REGISTRY[cid].result_id, len(order)), pos[cid]))
            super().update((cid, REGISTRY[cid]) for cid in seq)

    def __getitem__(self, key):
        self._ensure()
        return super().__getitem__(key)

    def __iter__(self):
        self._ensure()
        return super().__iter__()

    def __len__(self):
        self._ensure()
        return super().__len__()

    def __contains__(self, key):
        self._ensure()
        return super().__contains__(key)

    def keys(self):
        self._ensure()
        return super().keys()

    def values(self):
        self._ensure()
        return super().values()

    def items(self):
        self._ensure()
        return super().items()

    def get(self, key, default=None):
        self._ensure()
        return super().get(key, default)


#: claim id -> :class:`ClaimSpec`, in RESULTS.md order
CLAIMS: dict[str, ClaimSpec] = _Claims()

#: completed reports of this process (checks are deterministic; statistical ones seeded)
_CACHE: dict[str, Report] = {}


def _run(claim_id: str, deadline: float | None) -> Report:
    if claim_id in _CACHE:
        return _CACHE[claim_id]
    spec = CLAIMS[claim_id]
    ctx = Ctx(deadline=deadline, dependency=lambda cid: _run(cid, deadline))
    t0 = time.perf_counter()
    try:
        rep = spec.check_fn(ctx)
    except Timeout:
        rep = Report(
            claim=claim_id, statement=spec.text, status=Status.UNDECIDED,
            method="stopped at the time limit", domain="nothing certified",
            detail="time limit reached before the check finished",
            reconstructed=spec.reconstructed,
        )
        rep.seconds = time.perf_counter() - t0
        return rep  # not cached: a later call with more time may settle it
    except Exception as e:  # an internal error must not look like a result
        rep = Report(
            claim=claim_id, statement=spec.text, status=Status.UNDECIDED,
            method="internal error", domain="nothing certified",
            detail=f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}",
            reconstructed=spec.reconstructed,
        )
        rep.seconds = time.perf_counter() - t0
        return rep
    rep.seconds = time.perf_counter() - t0
    _CACHE[claim_id] = rep
    return rep


def check(claim_id: str, timeout: float | None = None) -> Report:
    """Check one registered claim; ``timeout`` in seconds (None: no limit).

    A check that runs out of time returns UNDECIDED ("time limit"). Reports are cached
    for the process; the returned report is a copy whose ``seconds`` is this call's time
    (near zero when cached).
    """
    if claim_id not in CLAIMS:
        raise InputError(f"unknown claim id {claim_id!r} (known: {', '.join(CLAIMS)})")
    if timeout is not None and timeout <= 0:
        raise InputError(f"timeout = {timeout} is outside the allowed range (0, inf)")
    t0 = time.perf_counter()
    deadline = None if timeout is None else time.monotonic() + timeout
    cached = claim_id in _CACHE
    rep = copy.deepcopy(_run(claim_id, deadline))
    if cached:
        rep.seconds = time.perf_counter() - t0
    return rep


def ids_for(result_id: str) -> list[str]:
    """The claim ids registered for the registry result ``result_id`` (may be empty for a
    result that states nothing, e.g. a definition)."""
    from rmc_symbolic import ids as _ids

    if result_id not in _ids():
        raise InputError(f"unknown result id {result_id!r} (known: {', '.join(_ids())})")
    return [cid for cid, spec in CLAIMS.items() if spec.result_id == result_id]


def result_ids() -> list[str]:
    """The result ids that have at least one registered claim, in RESULTS.md order."""
    seen: list[str] = []
    for spec in CLAIMS.values():
        if spec.result_id not in seen:
            seen.append(spec.result_id)
    return seen


def expected(claim_id: str) -> Status:
    """The status this implementation establishes for ``claim_id`` (what the tests assert)."""
    return CLAIMS[claim_id].expected


def _expand(ids: Iterable[str] | None) -> list[str]:
    if ids is None:
        return list(CLAIMS)
    out: list[str] = []
    for i in ids:
        if i in CLAIMS:
            new = [i]
        else:
            try:
                new = ids_for(i)
            except InputError:
                raise InputError(
                    f"unknown claim or result id {i!r} (claims: {', '.join(CLAIMS)})"
                ) from None
            # a result that states nothing (a definition such as eq2) has no claims
        out.extend(c for c in new if c not in out)
    return out


def _worker(args: tuple[str, float | None, dict[str, Report]]) -> Report:
    cid, timeout, deps = args
    for d, rep in deps.items():  # reports of the claims this one builds on
        _CACHE.setdefault(d, rep)
    return check(cid, timeout=timeout)


def _closure(todo: list[str]) -> list[str]:
    """``todo`` and every claim it builds on (transitively)."""
    seen: list[str] = []

    def visit(c: str) -> None:
        if c in seen:
            return
        for d in CLAIMS[c].depends:
            visit(d)
        seen.append(c)

    for c in todo:
        visit(c)
    return seen


def _parallel(todo: list[str], jobs: int, timeout: float | None, note) -> dict[str, Report]:
    """Run ``todo`` (and what it builds on) in ``jobs`` forked workers: a claim is
    dispatched, costliest first, once the claims it builds on are done, and receives
    their reports (so nothing is checked twice)."""
    import multiprocessing
    import queue

    _ = list(CLAIMS)  # load the check modules before forking
    wanted = set(todo)
    done: dict[str, Report] = {c: _CACHE[c] for c in _closure(todo) if c in _CACHE}
    pending = [c for c in _closure(todo) if c not in done]
    results: queue.Queue = queue.Queue()
    running = 0
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        while pending or running:
            ready = [c for c in pending if all(d in done for d in CLAIMS[c].depends)]
            ready.sort(key=lambda c: -CLAIMS[c].cost)
            for c in ready:
                pending.remove(c)
                deps = {d: done[d] for d in _closure([c]) if d != c and d in done}
                pool.apply_async(_worker, ((c, timeout, deps),), callback=results.put,
                                 error_callback=results.put)
                running += 1
            item = results.get()
            running -= 1
            if isinstance(item, BaseException):  # pragma: no cover - _run catches errors
                raise item
            done[item.claim] = item
            if item.status is not Status.UNDECIDED or "time limit" not in item.detail:
                _CACHE.setdefault(item.claim, copy.deepcopy(item))
            if item.claim in wanted:
                note(item)
    return {c: copy.deepcopy(done[c]) for c in todo}


def _auto_jobs(count: int) -> int:
    import multiprocessing
    import os

    if count < 8 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def check_all(
    ids: Iterable[str] | None = None,
    progress: bool = False,
    timeout: float | None = None,
    jobs: int | None = None,
) -> list[Report]:
    """Check the claims named by ``ids`` (claim ids or result ids, in the order given;
    None: all, in RESULTS.md order). A result id with no registered claim (a definition,
    e.g. ``eq2``) contributes nothing; an id that is neither raises :class:`InputError`.
    ``progress`` prints one line per claim to stderr; ``timeout`` applies to each claim.
    ``jobs``: worker processes (None: 2 when at least 8 claims are to be checked, the
    machine has 2 cores or more and can fork; 1: in this process). Reports come back in
    order either way."""
    import sys

    todo = _expand(ids)
    jobs = _auto_jobs(len([c for c in todo if c not in _CACHE])) if jobs is None else jobs
    out: list[Report] = []

    def note(rep: Report) -> None:
        if progress:
            sys.stderr.write(f"  {rep.claim:28s} {rep.status!s:12s} {rep.seconds:7.2f} s\n")
            sys.stderr.flush()

    if jobs > 1 and len(todo) > 1:
        try:
            done = _parallel(todo, jobs, timeout, note)
            return [done[c] for c in todo]
        except (OSError, ValueError):  # pragma: no cover - no fork: run here
            pass
    for cid in todo:
        rep = check(cid, timeout=timeout)
        note(rep)
        out.append(rep)
    return out
