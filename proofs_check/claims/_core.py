"""The claim registry's machinery: :class:`ClaimSpec`, deadlines, status combination.

A *claim* is one statement of a registry result (``rmc_symbolic.get(id).statements``) or a
whole result, with a check function that establishes as much as it can and returns a
:class:`~proofs_check.status.Report` saying exactly what was established.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..status import Report, Status

__all__ = [
    "ClaimSpec", "Ctx", "Timeout", "REGISTRY", "claim", "weakest", "derived_status",
    "report",
]


class Timeout(Exception):
    """A check ran past its deadline (the claim is reported UNDECIDED: time limit)."""


@dataclass
class Ctx:
    """What a check function receives: the deadline (``time.monotonic()`` value or None)
    and a way to obtain the (cached) reports of the claims it builds on."""

    deadline: float | None = None
    dependency: Callable[[str], Report] | None = None

    def tick(self) -> None:
        """Raise :class:`Timeout` when the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise Timeout

    def dep(self, claim_id: str) -> Report:
        """The report of another registered claim (checked once per process)."""
        assert self.dependency is not None
        return self.dependency(claim_id)


@dataclass(frozen=True)
class ClaimSpec:
    """One registered paper claim.

    id:          the claim id (``"lemma2_sharp.upper"``, ``"theorem1"``)
    result_id:   the registry result it belongs to
    statements:  the names of the registry statements it covers (empty: the whole result)
    text:        the statement, short
    check_fn:    ``check_fn(ctx) -> Report``
    provenance:  the registry's provenance tag (A, D, R, +)
    expected:    the status this implementation establishes (asserted by the tests)
    depends:     claim ids the check builds on
    cost:        rough seconds of the check alone (for scheduling parallel runs)
    """

    id: str
    result_id: str
    statements: tuple[str, ...]
    text: str
    check_fn: Callable[[Ctx], Report] = field(repr=False)
    provenance: str
    expected: Status
    depends: tuple[str, ...] = ()
    cost: float = 0.5

    @property
    def reconstructed(self) -> bool:
        """RESULTS.md marks the statement [R] (reconstructed from the proof text)."""
        return self.provenance == "R"


#: claim id -> spec, in registration (RESULTS.md) order
REGISTRY: dict[str, ClaimSpec] = {}


def _statement_text(result_id: str, names: tuple[str, ...]) -> str:
    from rmc_symbolic import get

    r = get(result_id)
    if not names:
        return r.description
    return "; ".join(_short(r.statements[nm]) for nm in names)


def _short(rel) -> str:
    import sympy as sp

    text = sp.sstr(rel)
    return text if len(text) <= 140 else text[:137] + "..."


def claim(
    claim_id: str,
    result_id: str,
    statements: Iterable[str] = (),
    *,
    expected: Status,
    depends: Iterable[str] = (),
    text: str | None = None,
    cost: float = 0.5,
):
    """Decorator registering ``fn(ctx) -> Report`` as the check of ``claim_id``.

    The statement text is taken from the registry (the relational(s) named in
    ``statements``, or the result's description), never retyped; ``text`` overrides it
    only for claims that are not a registry relational (e.g. a sum bound's summary).
    """

    def deco(fn: Callable[[Ctx], Report]) -> Callable[[Ctx], Report]:
        from rmc_symbolic import get

        names = tuple(statements)
        r = get(result_id)
        for nm in names:
            if nm not in r.statements:
                raise KeyError(f"{result_id} has no statement {nm!r}")
        if claim_id in REGISTRY:
            raise ValueError(f"claim {claim_id!r} registered twice")
        REGISTRY[claim_id] = ClaimSpec(
            id=claim_id,
            result_id=result_id,
            statements=names,
            text=text or _statement_text(result_id, names),
            check_fn=fn,
            provenance=r.provenance,
            expected=expected,
            depends=tuple(depends),
            cost=cost,
        )
        return fn

    return deco


_RANK = {
    Status.EXACT: 5,
    Status.PROVED: 4,
    Status.STATISTICAL: 3,
    Status.CHECKED: 2,
    Status.UNDECIDED: 1,
    Status.FAILED: 0,
}


def weakest(statuses: Iterable[Status]) -> Status:
    """The weakest of ``statuses`` (EXACT > PROVED > STATISTICAL > CHECKED > UNDECIDED >
    FAILED)."""
    return min(statuses, key=lambda s: _RANK[s])


def derived_status(statuses: Iterable[Status]) -> Status:
    """The status of a conclusion derived from premises with these statuses.

    A derivation is as strong as its weakest premise; a premise that FAILED or is
    UNDECIDED leaves the conclusion UNDECIDED (a broken argument refutes nothing).
    """
    s = weakest(statuses)
    return Status.UNDECIDED if s in (Status.FAILED, Status.UNDECIDED) else s


def report(
    spec_id: str,
    status: Status,
    method: str,
    domain: str,
    detail: str = "",
    *,
    parts: list[Report] | None = None,
    margin: str | None = None,
    counterexample: dict[str, str] | None = None,
) -> Report:
    """A :class:`Report` for the registered claim ``spec_id`` (statement text and the
    reconstructed flag come from the spec)."""
    spec = REGISTRY[spec_id]
    if spec.reconstructed and "reconstructed" not in detail:
        detail = ("Reconstructed statement (RESULTS.md [R]): the paper's printed form is "
                  "lost; this is the statement recovered from the proof text. " + detail)
    return Report(
        claim=spec_id,
        statement=spec.text,
        status=status,
        method=method,
        domain=domain,
        detail=detail.strip(),
        counterexample=counterexample,
        margin=margin,
        reconstructed=spec.reconstructed,
        parts=list(parts or []),
    )


def part(
    name: str,
    statement: str,
    status: Status,
    method: str,
    domain: str,
    detail: str = "",
    *,
    margin: str | None = None,
    seconds: float = 0.0,
    counterexample: dict[str, str] | None = None,
) -> Report:
    """A sub-report (one step of a claim's argument)."""
    return Report(
        claim=name, statement=statement, status=status, method=method, domain=domain,
        detail=detail, margin=margin, seconds=seconds, counterexample=counterexample,
    )
