"""What a check established, said exactly.

EXACT        symbolic identity or exact-rational/integer computation over the whole domain
PROVED       rigorous (Arb interval) enclosures cover the whole stated domain
CHECKED      high-precision sampling found no counterexample — not a proof
STATISTICAL  simulation agrees within a stated confidence
FAILED       a counterexample, re-verified rigorously, with its margin
UNDECIDED    none of the above (why: depth limit, time limit, ...)
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field


class Status(str, enum.Enum):
    EXACT = "EXACT"
    PROVED = "PROVED"
    CHECKED = "CHECKED"
    STATISTICAL = "STATISTICAL"
    FAILED = "FAILED"
    UNDECIDED = "UNDECIDED"

    def __str__(self) -> str:
        return self.value


@dataclass
class Report:
    """The outcome of checking one claim.

    claim:          the claim's id (e.g. ``"lemma2_sharp.upper"``) or the user's claim text
    statement:      the statement, short, as a person reads it
    status:         a :class:`Status`
    method:         how it was established (e.g. "Arb branch-and-bound, 1,204 boxes")
    domain:         the domain the status covers (e.g. "x in [0, 1], integer n in [1, 200]")
    detail:         anything else a reviewer needs (what is left, the equivalence used, ...)
    counterexample: for FAILED, the point (decimal strings); else None
    margin:         rhs - lhs at the counterexample (FAILED) or the certified minimum margin
    seconds:        wall time of the check
    reconstructed:  the statement is RESULTS.md [R] (reconstructed from the proof text)
    parts:          sub-reports, for claims checked piece by piece
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
    parts: list[Report] = field(default_factory=list)

    def to_json(self) -> dict:
        d = asdict(self)
        d["status"] = str(self.status)
        d["parts"] = [p.to_json() for p in self.parts]
        return d
