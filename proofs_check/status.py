"""What a check established, said exactly.

Statuses
--------
EXACT        symbolic identity or exact-rational/integer computation over the whole domain
PROVED       rigorous over the whole stated domain: Arb interval enclosures, or an argument
             whose every step is machine-checked (EXACT/PROVED) or a CITED textbook fact
CITED        (a *step* only) a textbook fact taken as given, named with its reference
             (``Step.reference``); nothing about it was checked by machine
CHECKED      high-precision sampling found no counterexample — not a proof
STATISTICAL  simulation agrees within a stated confidence
FAILED       a counterexample, re-verified rigorously, with its margin
UNDECIDED    none of the above (why: depth limit, time limit, ...)

Steps and the combination rule
------------------------------
A registered claim's :class:`Report` lists the ``steps`` of its argument (each a
:class:`Step` with its own status and method) and, apart from them, ``cross_checks``
(independent evidence that does not enter the status unless it refutes the claim).
A step is either checked here (EXACT, PROVED, CHECKED, STATISTICAL, ...), a textbook fact
(CITED, with ``reference``), or another registered claim (``uses`` = its id; the step's
status is that claim's status and ``cites`` carries what that claim cites).

Strength of step statuses, strongest first (:data:`STRENGTH`)::

    EXACT > PROVED > CITED > STATISTICAL > CHECKED > UNDECIDED > FAILED

The status of a claim is the weakest of its steps (:func:`combine`), with two rules:

1. a CITED step counts as PROVED: an argument that is machine-checked except for named
   textbook facts is PROVED (never EXACT) and the report lists the facts in ``cites``;
   it is printed "PROVED, citing tower property (Williams 1991, §9.7)"
   (:meth:`Report.label`). CITED is never the status of a whole claim;
2. a broken argument (a step FAILED or UNDECIDED) establishes nothing: the claim is
   UNDECIDED. Only a certified counterexample *to the claim itself* (a point where the
   statement is false) makes it FAILED; that step is named in ``counterexample``.

So: PROVED with empty ``cites`` = every step machine-checked; PROVED with ``cites`` = every
step machine-checked except the cited facts; EXACT = every step an identity or exact
arithmetic, nothing cited. A claim's ``cites`` are its own CITED steps and, transitively,
those of the claims it uses.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

__all__ = ["Status", "STRENGTH", "weakest", "combine", "Step", "Report", "collect_cites"]


class Status(str, enum.Enum):
    EXACT = "EXACT"
    PROVED = "PROVED"
    CITED = "CITED"
    CHECKED = "CHECKED"
    STATISTICAL = "STATISTICAL"
    FAILED = "FAILED"
    UNDECIDED = "UNDECIDED"

    def __str__(self) -> str:
        return self.value


#: step statuses, strongest first
STRENGTH: tuple[Status, ...] = (
    Status.EXACT, Status.PROVED, Status.CITED, Status.STATISTICAL, Status.CHECKED,
    Status.UNDECIDED, Status.FAILED,
)
_RANK = {s: len(STRENGTH) - i for i, s in enumerate(STRENGTH)}


def weakest(statuses: Iterable[Status]) -> Status:
    """The weakest of ``statuses`` in the order :data:`STRENGTH` (EXACT for none)."""
    return min(statuses, key=lambda s: _RANK[s], default=Status.EXACT)


def combine(statuses: Iterable[Status]) -> Status:
    """The status of a claim whose argument has steps of these statuses (the rule in the
    module docstring): the weakest, a CITED step counting as PROVED, a FAILED or
    UNDECIDED step leaving the claim UNDECIDED. No steps: UNDECIDED (nothing shown)."""
    statuses = list(statuses)
    if not statuses:
        return Status.UNDECIDED
    w = weakest(Status.PROVED if s is Status.CITED else s for s in statuses)
    return Status.UNDECIDED if w in (Status.FAILED, Status.UNDECIDED) else w


@dataclass
class Step:
    """One step of a claim's argument.

    name:       short label ("induction step", "tower property")
    statement:  what the step establishes
    status:     its :class:`Status` (CITED: a textbook fact taken as given)
    method:     how it was established ("SymPy identity", "Arb branch-and-bound", "cited")
    domain:     where it holds
    detail:     anything else (the certificate's account, the margin, ...)
    reference:  for CITED: the source ("Williams 1991, Probability with Martingales, §9.7")
    uses:       the id of the registered claim this step is (its status is that claim's)
    cites:      for a ``uses`` step: the facts that claim cites (transitively)
    margin, counterexample, seconds: as in :class:`Report`
    """

    name: str
    statement: str
    status: Status
    method: str
    domain: str = ""
    detail: str = ""
    reference: str = ""
    uses: str = ""
    cites: list[Step] = field(default_factory=list)
    margin: str | None = None
    counterexample: dict[str, str] | None = None
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if (self.status is Status.CITED) != bool(self.reference):
            raise ValueError(f"step {self.name!r}: a CITED step, and only a CITED step, "
                             "carries a reference")

    def citation(self) -> str:
        """``name (reference)`` — how a cited fact is printed."""
        return f"{self.name} ({self.reference})"

    def to_json(self) -> dict:
        d = asdict(self)
        d["status"] = str(self.status)
        d["cites"] = [c.to_json() for c in self.cites]
        return d


def collect_cites(steps: Iterable[Step]) -> list[Step]:
    """The cited facts behind ``steps``: CITED steps and the ``cites`` of ``uses`` steps,
    each fact once (by name), in order of first appearance."""
    out: dict[str, Step] = {}
    for st in steps:
        for c in ([st] if st.status is Status.CITED else st.cites):
            out.setdefault(c.name, Step(c.name, c.statement, Status.CITED, "cited",
                                        c.domain, reference=c.reference))
    return list(out.values())


@dataclass
class Report:
    """The outcome of checking one claim.

    claim:          the claim's id (e.g. ``"lemma2_sharp.upper"``) or the user's claim text
    statement:      the statement, short, as a person reads it
    status:         a :class:`Status` (never CITED)
    method:         how it was established (e.g. "Arb branch-and-bound, 1,204 boxes")
    domain:         the domain the status covers (e.g. "x in [0, 1], integer n in [1, 200]")
    detail:         anything else a reviewer needs (what is left, the equivalence used, ...)
    counterexample: for FAILED, the point (decimal strings); else None
    margin:         rhs - lhs at the counterexample (FAILED) or the certified minimum margin
    seconds:        wall time of the check
    reconstructed:  the statement is RESULTS.md [R] (reconstructed from the proof text)
    steps:          the steps of the argument; ``status == combine(step statuses)`` unless
                    FAILED by a certified counterexample
    cross_checks:   independent checks beside the argument (they enter the status only by
                    refuting the claim)
    cites:          the textbook facts the argument takes as given (CITED steps, also
                    those of the claims it uses)
    """

    claim: str
    statement: str
    status: Status
    method: str
    domain: str
    detail: str = ""
    counterexample: dict[str, str] | None = None
    margin: str | None = None
    seconds: float = 0.0
    reconstructed: bool = False
    steps: list[Step] = field(default_factory=list)
    cross_checks: list[Step] = field(default_factory=list)
    cites: list[Step] = field(default_factory=list)

    def label(self, references: bool = True) -> str:
        """The status as printed: ``"PROVED, citing tower property (Williams 1991, §9.7);
        bounded convergence theorem (Williams 1991, §6.2)"``, or the bare status when
        nothing is cited or nothing was established (FAILED, UNDECIDED);
        ``references=False`` gives the facts' names only."""
        if not self.cites or self.status in (Status.FAILED, Status.UNDECIDED):
            return str(self.status)
        facts = [c.citation() if references else c.name for c in self.cites]
        return f"{self.status}, citing " + ("; " if references else ", ").join(facts)

    def to_json(self) -> dict:
        d = asdict(self)
        d["status"] = str(self.status)
        d["label"] = self.label()
        for key in ("steps", "cross_checks", "cites"):
            d[key] = [s.to_json() for s in getattr(self, key)]
        return d
