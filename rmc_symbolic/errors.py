"""The one exception type for bad user input.

Every check of user input raises :class:`InputError`; the command line turns it into a
one-line message on stderr and exit code 2 (no traceback).
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: the message names the parameter and its allowed range."""
