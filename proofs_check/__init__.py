"""proofs_check: machine checks of the paper's claims, and of the user's own, each reported
with exactly what it established (see :mod:`proofs_check.status`).

``verify(claim, vars=..., ints=..., timeout=...) -> Report`` checks a user's claim (see
:mod:`proofs_check.verify`; the function shadows the submodule's name here, reach the module
as ``sys.modules["proofs_check.verify"]``).
"""

from .status import Report, Status
from .verify import verify

__all__ = ["Report", "Status", "verify"]
