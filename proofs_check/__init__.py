"""proofs_check: machine checks of the paper's claims, and of the user's own, each reported
with exactly what it established (see :mod:`proofs_check.status`)."""

from .status import Report, Status

__all__ = ["Report", "Status"]
