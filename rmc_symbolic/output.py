"""Output of command results: aligned tables for people, one JSON object for programs.

JSON shape: ``{"command": ..., "params": {...}, "rows": [...]}`` (plus ``"notes"`` when a
command has something to say about accuracy). Numbers are decimal strings with the
requested significant digits; exact rationals are ``"num/den"`` strings.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from fractions import Fraction

import mpmath

from . import parsing  # noqa: F401  (lifts Python's 4300-digit limit on int <-> str)

__all__ = ["fmt", "Table", "emit"]

_NUMERIC = re.compile(r"^[+-]?(\d[\d.]*|\.\d+)([eE][+-]?\d+)?(/\d+)?$")


def fmt(value, digits: int = 15) -> object:
    """A value as it appears in output: mpf → decimal string with ``digits`` significant
    digits; Fraction → ``"num/den"``; int/str/bool/None unchanged."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [fmt(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: fmt(v, digits) for k, v in value.items()}
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(
            value.numerator)
    if isinstance(value, float):
        # a double carries ~16 significant digits: never print binary noise beyond them
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value == 0:
            return "0"
        return mpmath.nstr(mpmath.mpf(value), min(digits, 15), min_fixed=-4,
                           max_fixed=min(digits, 15) + 1)
    if isinstance(value, mpmath.mpf):
        if value == 0:
            return "0"
        return mpmath.nstr(value, digits, strip_zeros=False, min_fixed=-4, max_fixed=digits + 1)
    return str(value)


class Table:
    """Rows of a command's answer, with its parameters and notes."""

    def __init__(
        self,
        command: str,
        params: Mapping[str, object],
        columns: Sequence[str],
        rows: Sequence[Mapping[str, object]] | None = None,
        notes: Sequence[str] | None = None,
        digits: int = 15,
    ):
        self.command = command
        self.params = dict(params)
        self.columns = list(columns)
        self.rows = [dict(r) for r in rows or []]
        self.notes = list(notes or [])
        self.digits = digits

    def add_column(self, name: str, values: Sequence[object]) -> None:
        if len(values) != len(self.rows):
            raise ValueError("column length differs from the number of rows")
        if name not in self.columns:
            self.columns.append(name)
        for r, v in zip(self.rows, values, strict=True):
            r[name] = v

    def to_json_obj(self) -> dict:
        out = {
            "command": self.command,
            "params": {k: fmt(v, self.digits) for k, v in self.params.items()},
            "rows": [{c: fmt(r.get(c), self.digits) for c in self.columns} for r in self.rows],
        }
        if self.notes:
            out["notes"] = self.notes
        return out

    def to_text(self) -> str:
        cells = [[str(fmt(r.get(c), self.digits)) if r.get(c) is not None else "-"
                  for c in self.columns] for r in self.rows]
        widths = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in
                  enumerate(self.columns)]
        lines = []
        head = ", ".join(f"{k}={fmt(v, self.digits)}" for k, v in self.params.items())
        lines.append(f"# rmc {self.command}" + (f"  ({head})" if head else ""))
        # numbers align right, text aligns left
        right = [all(_NUMERIC.match(row[j]) or row[j] == "-" for row in cells)
                 for j in range(len(self.columns))]

        def line(values):
            return "  ".join(v.rjust(w) if r else v.ljust(w)
                             for v, w, r in zip(values, widths, right, strict=True)).rstrip()

        lines.append(line(self.columns))
        lines.append(line(["-" * w for w in widths]))
        for row in cells:
            lines.append(line(row))
        for note in self.notes:
            lines.append(f"note: {note}")
        return "\n".join(lines)


def emit(table: Table, as_json: bool, stream=None) -> None:
    """Print ``table`` as JSON (one object) or as an aligned text table."""
    stream = stream or sys.stdout
    if as_json:
        json.dump(table.to_json_obj(), stream, indent=None)
        stream.write("\n")
    else:
        stream.write(table.to_text() + "\n")
