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


def _worker(args: tuple[str, float | None]) -> Report:
    cid, timeout = args
    return check(cid, timeout=timeout)


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
        import multiprocessing

        _ = list(CLAIMS)  # load the check modules before forking
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for rep in pool.imap(_worker, [(c, timeout) for c in todo], chunksize=1):
                    if rep.status is not Status.UNDECIDED or "time limit" not in rep.detail:
                        _CACHE.setdefault(rep.claim, copy.deepcopy(rep))
                    note(rep)
                    out.append(rep)
            return out
        except (OSError, ValueError):  # pragma: no cover - no fork: run here
            out = []
    for cid in todo:
        rep = check(cid, timeout=timeout)
        note(rep)
        out.append(rep)
    return out
