"""The claim registry's machinery: :class:`ClaimSpec`, deadlines, reports built from steps.

A *claim* is one statement of a registry result (``rmc_symbolic.get(id).statements``) or a
whole result, with a check function that establishes as much as it can and returns a
:class:`~proofs_check.status.Report` saying exactly what was established.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..status import Report, Status, Step, collect_cites, combine, weakest

__all__ = [
    "ClaimSpec", "Ctx", "Timeout", "REGISTRY", "claim", "weakest", "derived_status",
    "report", "part", "uses",
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

    def use(self, claim_id: str) -> Step:
        """The step "by the registered claim ``claim_id``" (see :func:`uses`)."""
        return uses(self.dep(claim_id))


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


def derived_status(statuses: Iterable[Status]) -> Status:
    """The status of a conclusion derived from premises with these statuses
    (:func:`proofs_check.status.combine`: the weakest, CITED counting as PROVED, a FAILED or
    UNDECIDED premise leaving the conclusion UNDECIDED)."""
    return combine(statuses)


def report(
    spec_id: str,
    method: str,
    domain: str,
    detail: str = "",
    *,
    steps: list[Step],
    cross_checks: list[Step] | None = None,
    refuted_by: Step | None = None,
    margin: str | None = None,
) -> Report:
    """The :class:`Report` of the registered claim ``spec_id`` (statement text and the
    reconstructed flag come from the spec).

    The status is *computed*, never passed: :func:`~proofs_check.status.combine` of the
    steps' statuses, or FAILED when ``refuted_by`` — a step or cross-check that found a
    certified counterexample to the claim itself — is given. A claim that is not
    established (status UNDECIDED) reports "nothing certified" as its domain.
    """
    spec = REGISTRY[spec_id]
    if spec.reconstructed and "reconstructed" not in detail:
        detail = ("Reconstructed statement (RESULTS.md [R]): the paper's printed form is "
                  "lost; this is the statement recovered from the proof text. " + detail)
    cross_checks = list(cross_checks or [])
    counterexample = None
    if refuted_by is not None:
        if refuted_by.status is not Status.FAILED or not refuted_by.counterexample:
            raise ValueError("refuted_by must be a FAILED step with a counterexample")
        status = Status.FAILED
        counterexample, margin = refuted_by.counterexample, refuted_by.margin
        method, domain = refuted_by.method, refuted_by.domain
        detail = f"{refuted_by.name}: {refuted_by.detail} {detail}".strip()
    else:
        status = combine(s.status for s in steps)
        if status is Status.UNDECIDED:
            weak = [s.name for s in steps if s.status in (Status.UNDECIDED, Status.FAILED)]
            method = f"not established ({method})" if method else "not established"
            domain = "nothing certified"
            detail = (f"open steps: {', '.join(weak) or 'none given'}. " + detail).strip()
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
        steps=list(steps),
        cross_checks=cross_checks,
        cites=collect_cites(steps),
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
) -> Step:
    """One step of a claim's argument, checked here (for a cited fact use
    :func:`~._cited.cite`, for another claim :func:`uses`)."""
    return Step(name, statement, status, method, domain, detail, margin=margin,
                seconds=seconds, counterexample=counterexample)


def uses(rep: Report) -> Step:
    """The step "this argument uses the registered claim ``rep.claim``": its status is
    the claim's, and it carries the claim's cited facts."""
    return Step(rep.claim, rep.statement, rep.status, "registered claim: " + rep.method,
                rep.domain, uses=rep.claim, cites=list(rep.cites))
