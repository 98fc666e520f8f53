"""Safe parsing of the user's claim strings (``rmc verify --claim``).

A claim is read with Python's own parser (:func:`ast.parse`, which only builds a syntax
tree and runs nothing) and the tree is walked here; a SymPy expression is built from the
allowed nodes only. Nothing from the string is ever evaluated as Python, and SymPy's
``sympify``/``parse_expr`` (which do evaluate code) are never called.

The claim language:

- numbers: integers, decimals (``0.01`` is exactly 1/100, ``1e-25`` is 10^-25) and
  rationals written as a division (``2501/10000``);
- the declared variables (``--var`` real, ``--int`` integer);
- ``+ - * / **``, unary ``-``/``+``, parentheses;
- relations ``<= < >= > ==``, chained (``0 <= f(x) <= 1`` means both);
- constants ``pi``, ``E``;
- functions ``exp log sqrt gamma loggamma tanh cosh sinh sin cos atan`` and the
  registry's ``g`` (``g(k)`` is g_k, eq2; its argument must be an integer expression).

Anything else — attribute access, subscripts, calls to other names, keyword arguments,
lambdas, strings, comprehensions, ``^`` — is rejected with a one-line
:class:`~rmc_symbolic.errors.InputError`.

>>> c = parse_claim("2*x/(2+x) <= log(1+x)", real=["x"])
>>> c.relations[0][1]
'<='
>>> parse_claim("().__class__ <= 1", real=["x"])
Traceback (most recent call last):
...
rmc_symbolic.errors.InputError: claim: attribute access (.) is not allowed at column 1
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

from rmc_symbolic.certified_sign import ArbConstant, constant_sign, rebuild, variables_of
from rmc_symbolic.errors import InputError
from rmc_symbolic.iterated_map import gk

__all__ = ["Claim", "Condition", "parse_claim", "decide_constant", "integer_valued",
           "FUNCTIONS", "RESERVED", "MAX_LENGTH"]

#: the functions a claim may call, by name
FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "gamma": sp.gamma,
    "loggamma": sp.loggamma, "tanh": sp.tanh, "cosh": sp.cosh, "sinh": sp.sinh,
    "sin": sp.sin, "cos": sp.cos, "atan": sp.atan, "g": gk,
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
#: names a variable may not take
RESERVED = set(FUNCTIONS) | set(CONSTANTS)

#: the longest claim string accepted
MAX_LENGTH = 2000
#: the deepest expression accepted
MAX_DEPTH = 60
#: the largest |exponent| of a decimal literal, and the most digits of an integer literal
MAX_EXP10 = 400
MAX_DIGITS = 400
#: a power of two numbers is computed only when the result stays this small (digits)
MAX_POW_DIGITS = 2000

_RELOPS = {ast.LtE: "<=", ast.Lt: "<", ast.GtE: ">=", ast.Gt: ">", ast.Eq: "=="}
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Claim:
    """A parsed claim.

    text:       the claim as the user wrote it
    relations:  ``(lhs, op, rhs)`` triples (op one of ``<= < >= > ==``); the claim is
                their conjunction (a chained comparison gives several)
    symbols:    variable name -> SymPy symbol (real: ``real=True``; integer:
                ``integer=True``)
    real, ints: the names of the real and of the integer variables
    conditions: where the claim *as written* is defined (:class:`Condition`), those not
                already decided at parse time (conditions on constants are decided here,
                exactly or by Arb: a false one is an error)
    written:    the relations as written (unevaluated SymPy trees)

    The relations' sides are rebuilt by :func:`rmc_symbolic.certified_sign.rebuild`:
    SymPy's automatic simplifications apply, but every numeric constant whose sign SymPy
    would decide numerically is an :class:`~rmc_symbolic.certified_sign.ArbConstant`.
    """

    text: str
    relations: list[tuple[sp.Expr, str, sp.Expr]]
    symbols: dict[str, sp.Symbol]
    real: list[str] = field(default_factory=list)
    ints: list[str] = field(default_factory=list)
    conditions: list = field(default_factory=list)
    written: list = field(default_factory=list)

    def relational(self, i: int) -> sp.Basic:
        """The i-th relation as an unevaluated SymPy relational."""
        lhs, op, rhs = self.relations[i]
        cls = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt, "==": sp.Eq}[op]
        return cls(lhs, rhs, evaluate=False)


def _err(msg: str, node: ast.AST | None = None) -> InputError:
    where = ""
    if node is not None and hasattr(node, "col_offset"):
        where = f" at column {node.col_offset + 1}"
    return InputError(f"claim: {msg}{where}")


_FORBIDDEN_NAMES = {
    ast.Attribute: "attribute access (.) is not allowed",
    ast.Subscript: "subscripts ([...]) are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.Starred: "starred arguments are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed (write one claim, or a chained comparison)",
    ast.NamedExpr: "assignment expressions are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}


class _Builder:
    """Builds the claim *as written*: every SymPy node with ``evaluate=False``, so that no
    automatic simplification (``sqrt(x)**2 -> x``, ``exp(log(x)) -> x``) and no numeric
    sign decision of SymPy's happens here. :func:`parse_claim` then collects the
    definedness conditions from this tree and rebuilds it with
    :func:`rmc_symbolic.certified_sign.rebuild`."""

    def __init__(self, text: str, symbols: dict[str, sp.Symbol], ints: set[str]):
        self.text = text
        self.symbols = symbols
        self.ints = ints
        self.memo: dict = {}

    def value(self, e: sp.Expr) -> sp.Expr:
        """The rebuilt (evaluated, certified-constant) form of a sub-tree."""
        try:
            return rebuild(e, memo=self.memo)
        except (ValueError, TypeError, ZeroDivisionError, ArithmeticError) as exc:
            raise _err(f"cannot evaluate {sp.sstr(e)}: {exc}") from None

    def number(self, node: ast.Constant) -> sp.Expr:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise _err(f"{v!r} is not allowed", node)
        if isinstance(v, (str, bytes)):
            raise _err("strings are not allowed", node)
        if isinstance(v, complex):
            raise _err("complex numbers are not allowed", node)
        src = ast.get_source_segment(self.text, node)
        if src is None:  # pragma: no cover - ast always has positions here
            raise _err("cannot read a number", node)
        src = src.replace("_", "")
        if isinstance(v, int):
            if len(src) > MAX_DIGITS:
                raise _err(f"integer literal with more than {MAX_DIGITS} digits", node)
            if not src.isdigit():  # 0x.., 0o.., 0b..
                raise _err(f"write integers in decimal (got {src!r})", node)
            return sp.Integer(int(src))
        if isinstance(v, float):
            m = re.fullmatch(r"(\d*\.?\d*)(?:[eE]([+-]?\d+))?", src)
            if not m:
                raise _err(f"cannot read the number {src!r}", node)
            if m.group(2) is not None and (len(m.group(2)) > 8 or
                                           abs(int(m.group(2))) > MAX_EXP10):
                raise _err(f"exponent of {src!r} is beyond 10^±{MAX_EXP10}", node)
            if len(m.group(1)) > MAX_DIGITS:
                raise _err(f"number literal with more than {MAX_DIGITS} digits", node)
            q = Fraction(src)
            return sp.Rational(q.numerator, q.denominator)
        raise _err(f"unsupported constant {type(v).__name__}", node)

    def operands(self, node: ast.BinOp, kinds: tuple) -> list[tuple[ast.AST, ast.AST]]:
        """A left-nested chain ``a + b - c + ...`` (or ``a * b / c ...``) as a flat list
        of (operator, operand), so that long sums do not count as deep nesting."""
        out = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, kinds):
            out.append((node.op, node.right))
            node = node.left
        out.append((None, node))
        return out[::-1]

    def build(self, node: ast.AST, depth: int = 0) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise _err(f"expression nested deeper than {MAX_DEPTH} levels")
        for cls, msg in _FORBIDDEN_NAMES.items():
            if isinstance(node, cls):
                raise _err(msg, node)
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id]
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            if node.id in FUNCTIONS:
                raise _err(f"{node.id} is a function: write {node.id}(...)", node)
            known = sorted(self.symbols) + sorted(CONSTANTS)
            raise _err(f"unknown name {node.id!r} (declared variables and constants: "
                       f"{', '.join(known) or 'none'}; declare variables with --var/--int)",
                       node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return _neg(self.build(node.operand, depth + 1))
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand, depth + 1)
            raise _err(f"operator {type(node.op).__name__} is not allowed", node)
        if isinstance(node, ast.BinOp):
            op = node.op
            if isinstance(op, (ast.Add, ast.Sub)):
                terms = []
                for o, operand in self.operands(node, (ast.Add, ast.Sub)):
                    t = self.build(operand, depth + 1)
                    terms.append(_neg(t) if isinstance(o, ast.Sub) else t)
                return sp.Add(*terms, evaluate=False)
            if isinstance(op, (ast.Mult, ast.Div)):
                factors = []
                for o, operand in self.operands(node, (ast.Mult, ast.Div)):
                    f = self.build(operand, depth + 1)
                    if isinstance(o, ast.Div):
                        if self.value(f) == 0:
                            raise _err("division by zero", node)
                        f = sp.Pow(f, sp.Integer(-1), evaluate=False)
                    factors.append(f)
                return sp.Mul(*factors, evaluate=False)
            if isinstance(op, ast.Pow):
                a = self.build(node.left, depth + 1)
                b = self.build(node.right, depth + 1)
                return self.power(a, b, node)
            if isinstance(op, ast.BitXor):
                raise _err("'^' is not a power here: write x**2", node)
            raise _err(f"operator {type(op).__name__} is not allowed (use + - * / **)", node)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Compare):
            raise _err("a relation may appear only at the top level", node)
        raise _err(f"{type(node).__name__} is not allowed", node)

    def power(self, a: sp.Expr, b: sp.Expr, node: ast.AST) -> sp.Expr:
        av, bv = self.value(a), self.value(b)
        if isinstance(bv, sp.Rational) and isinstance(av, sp.Rational):
            # the size of a**b in digits, before computing it (exact, no floats)
            if av != 0 and abs(av) != 1:
                digits = max(len(str(abs(av.p))), len(str(av.q)))
                if abs(bv) * digits > MAX_POW_DIGITS:
                    raise _err("number too large (a power of numbers with more than "
                               f"{MAX_POW_DIGITS} digits)", node)
            if av == 0 and bv < 0:
                raise _err("division by zero (0 to a negative power)", node)
        elif isinstance(bv, sp.Rational) and not variables_of(av) and abs(bv) > 10**6:
            raise _err("exponent too large", node)
        elif isinstance(bv, sp.Integer) and abs(bv) > 10**9:
            raise _err("exponent too large", node)
        return sp.Pow(a, b, evaluate=False)

    def call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise _err(f"calls are allowed only to {', '.join(FUNCTIONS)} (got a call to an "
                       "expression)", node)
        name = node.func.id
        if name not in FUNCTIONS:
            if name in self.symbols:
                raise _err(f"{name!r} is a variable, not a function", node)
            raise _err(f"unknown function {name!r} (allowed: {', '.join(FUNCTIONS)})", node)
        if node.keywords:
            raise _err(f"{name}() takes no keyword arguments", node)
        if len(node.args) != 1:
            raise _err(f"{name}() takes exactly one argument", node)
        if isinstance(node.args[0], ast.Starred):
            raise _err("starred arguments are not allowed", node)
        arg = self.build(node.args[0], depth + 1)
        if name == "sqrt":
            return sp.Pow(arg, sp.Rational(1, 2), evaluate=False)
        if name == "g":
            bad = [str(s) for s in variables_of(arg) if str(s) not in self.ints]
            if bad:
                raise _err(f"g(k) needs an integer argument; {', '.join(sorted(bad))} "
                           "is not an --int variable", node)
            v = self.value(arg)
            if not integer_valued(v):
                raise _err(f"g(k) is defined at integers k >= 1 only; {sp.sstr(v)} is not "
                           "an integer expression (a polynomial with integer coefficients "
                           "in --int variables)", node)
            if isinstance(v, sp.Integer) and v < 1:
                raise _err(f"g(k) needs an integer k >= 1, got {v}", node)
        try:
            return FUNCTIONS[name](arg, evaluate=False)
        except (ValueError, TypeError, ZeroDivisionError) as e:
            raise _err(f"{name}({arg}): {e}", node) from None


def _neg(t: sp.Expr) -> sp.Expr:
    """``-t`` as written (a negated number is just the negative number: exact)."""
    if isinstance(t, sp.Rational):
        return -t
    return sp.Mul(sp.Integer(-1), t, evaluate=False)


def integer_valued(e: sp.Expr) -> bool:
    """Structurally an integer at every point: an Integer, or a polynomial with integer
    coefficients in symbols declared integer (``n + 1``, ``2*n**2``; not ``n/2``)."""
    if isinstance(e, sp.Integer):
        return True
    syms = e.free_symbols
    if not syms or any(isinstance(s, ArbConstant) or not s.is_integer for s in syms):
        return False
    try:
        poly = sp.Poly(e, *sorted(syms, key=str))
    except sp.PolynomialError:
        return False
    return all(isinstance(c, sp.Integer) for c in poly.coeffs())


@dataclass(frozen=True)
class Condition:
    """Where the claim as written is defined: one condition per operation that needs one.

    kind:     "pos" (expr > 0: log, loggamma), "nonneg" (expr >= 0: sqrt, positive real
              powers), "nonzero" (a divisor, a negative integer power), "pow" (``b**y``
              with a real exponent: b >= 0 where y > 0 on the whole domain, else b > 0),
              "intpow" (``b**n``, n integer-valued: b != 0 unless n >= 0 on the domain),
              "not_pole" (gamma: expr not in {0, -1, -2, ...}), "int_ge1" (g: expr >= 1)
    expr:     the argument (the base for powers), rebuilt
    exponent: the exponent for "pow"/"intpow"
    where:    the operation as written, e.g. ``log(x)``
    """

    kind: str
    expr: sp.Expr
    exponent: sp.Expr | None = None
    where: str = ""

    def text(self) -> str:
        a = sp.sstr(self.expr)
        need = {"pos": f"{a} > 0", "nonneg": f"{a} >= 0", "nonzero": f"{a} != 0",
                "pow": f"{a} >= 0 (> 0 where the exponent is not positive)",
                "intpow": f"{a} != 0 where the exponent is negative",
                "not_pole": f"{a} not in {{0, -1, -2, ...}}",
                "int_ge1": f"an integer k >= 1 (here k = {a})"}[self.kind]
        return f"{self.where} needs {need}"


def _conditions(trees: list[sp.Expr], b: _Builder) -> list[Condition]:
    """The definedness conditions of the trees as written, innermost first."""
    out: list[Condition] = []
    seen: set = set()

    def add(c: Condition):
        key = (c.kind, c.expr, c.exponent)
        if key not in seen:
            seen.add(key)
            out.append(c)

    for tree in trees:
        for node in sp.postorder_traversal(tree):
            if isinstance(node, ArbConstant) or not node.args:
                continue
            where = sp.sstr(node)
            if len(where) > 80:
                where = where[:77] + "..."
            if isinstance(node, sp.Pow):
                base, y = b.value(node.args[0]), b.value(node.args[1])
                if isinstance(y, sp.Integer):
                    if y < 0:
                        add(Condition("nonzero", base, None, where))
                elif integer_valued(y):
                    add(Condition("intpow", base, y, where))
                elif isinstance(y, sp.Rational):  # a fixed real exponent
                    add(Condition("nonneg" if y > 0 else "pos", base, None, where))
                else:
                    add(Condition("pow", base, y, where))
            elif isinstance(node, (sp.log, sp.loggamma)):
                add(Condition("pos", b.value(node.args[0]), None, where))
            elif isinstance(node, sp.gamma):
                add(Condition("not_pole", b.value(node.args[0]), None, where))
            elif isinstance(node, gk):
                add(Condition("int_ge1", b.value(node.args[0]), None, where))
    return out


def decide_constant(c: Condition) -> str:
    """A condition on constants only, decided exactly or by Arb: "ok", "refuted" or
    "unknown" (:func:`rmc_symbolic.certified_sign.constant_sign`; no SymPy judgement)."""
    s = constant_sign(c.expr)
    if c.kind == "pos":
        return "ok" if s == 1 else ("refuted" if s in (0, -1) else "unknown")
    if c.kind == "nonneg":
        return "ok" if s in (0, 1) else ("refuted" if s == -1 else "unknown")
    if c.kind == "nonzero" or c.kind == "intpow":
        if c.kind == "intpow" and c.exponent is not None and not variables_of(c.exponent):
            if isinstance(c.exponent, sp.Integer) and c.exponent >= 0:
                return "ok"
        return "ok" if s in (1, -1) else ("refuted" if s == 0 else "unknown")
    if c.kind == "pow":
        y = constant_sign(c.exponent) if not variables_of(c.exponent) else None
        if s == 1:
            return "ok"
        if s == -1:
            return "refuted"
        if s == 0:
            return "ok" if y == 1 else ("refuted" if y in (0, -1) else "unknown")
        return "unknown"
    if c.kind == "not_pole":
        if isinstance(c.expr, sp.Rational):
            return "refuted" if (c.expr.q == 1 and c.expr <= 0) else "ok"
        if s == 1:
            return "ok"
        return _not_pole_constant(c.expr)
    if c.kind == "int_ge1":
        if isinstance(c.expr, sp.Integer):
            return "ok" if c.expr >= 1 else "refuted"
        return "unknown"
    raise ValueError(c.kind)


def _not_pole_constant(e: sp.Expr) -> str:
    """gamma(e) for a constant e: defined when an Arb ball of e lies strictly between two
    consecutive integers (or above 0)."""
    import math

    from flint import ctx

    from rmc_symbolic.arb_eval import arb_bounds, arb_lambdify

    try:
        fn = arb_lambdify(e, [])
    except NotImplementedError:
        return "unknown"
    old = ctx.prec
    try:
        for prec in (64, 256, 1024):
            ctx.prec = prec
            ball = fn()
            if not ball.is_finite():
                continue
            lo, hi = arb_bounds(ball)
            if math.floor(lo) == math.floor(hi) and lo != math.floor(lo):
                return "ok"
    finally:
        ctx.prec = old
    return "unknown"


def _check_names(names: Iterable[str], kind: str) -> list[str]:
    out = []
    for nm in names:
        if not isinstance(nm, str) or not _NAME_RE.match(nm):
            raise InputError(f"{kind}: {nm!r} is not a valid variable name")
        if nm in RESERVED:
            raise InputError(f"{kind}: {nm!r} is reserved (a function or constant name)")
        if nm.startswith("__"):
            raise InputError(f"{kind}: {nm!r} is not a valid variable name")
        out.append(nm)
    return out


def parse_claim(text: str, real: Iterable[str] = (), ints: Iterable[str] = ()) -> Claim:
    """Parse ``text`` as a claim over the real variables ``real`` and the integer
    variables ``ints``; raise :class:`InputError` (one line) on anything else.

    Nothing in ``text`` is executed: see the module docstring for the accepted language.
    """
    if not isinstance(text, str):
        raise InputError("claim: must be a string")
    if not text.strip():
        raise InputError("claim: empty claim")
    if len(text) > MAX_LENGTH:
        raise InputError(f"claim: longer than {MAX_LENGTH} characters")
    if "\n" in text.strip() or "\r" in text:
        raise InputError("claim: must be one line")
    real_l = _check_names(real, "--var")
    int_l = _check_names(ints, "--int")
    dup = set(real_l) & set(int_l)
    if dup or len(set(real_l)) != len(real_l) or len(set(int_l)) != len(int_l):
        raise InputError(f"variable declared twice: {', '.join(sorted(dup)) or 'repeated'}")
    symbols = {nm: sp.Symbol(nm, real=True) for nm in real_l}
    symbols.update({nm: sp.Symbol(nm, integer=True) for nm in int_l})
    src = text.strip()
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as e:
        col = f" at column {e.offset}" if e.offset else ""
        raise InputError(f"claim: syntax error{col}: {e.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise InputError("claim: cannot be parsed (too deeply nested?)") from None
    body = tree.body
    builder = _Builder(src, symbols, set(int_l))
    if not isinstance(body, ast.Compare):
        try:
            builder.build(body)  # a specific message for forbidden syntax, if any
        except RecursionError:
            raise InputError("claim: nested too deeply") from None
        raise InputError("claim: needs a relation (one of <=, <, >=, >, ==), e.g. "
                         "'2*x/(2+x) <= log(1+x)'")
    try:
        written = [builder.build(body.left)] + [builder.build(c) for c in body.comparators]
        sides = [builder.value(w) for w in written]
        conditions = _conditions(written, builder)
    except RecursionError:
        raise InputError("claim: nested too deeply") from None
    relations = []
    for i, op in enumerate(body.ops):
        opname = _RELOPS.get(type(op))
        if opname is None:
            raise _err(f"relation {type(op).__name__} is not allowed (use <=, <, >=, >, ==)",
                       body)
        relations.append((sides[i], opname, sides[i + 1]))
    open_conditions = []
    for c in conditions:
        if variables_of(c.expr) or (c.exponent is not None and variables_of(c.exponent)):
            open_conditions.append(c)
            continue
        verdict = decide_constant(c)
        if verdict == "refuted":
            raise InputError(f"claim: undefined: {c.text()}, which is false")
        if verdict == "unknown":
            open_conditions.append(c)
    for side in sides:
        if side.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise InputError(f"claim: {side} is undefined (division by zero or a pole)")
        if side.has(sp.I):
            raise InputError(f"claim: {side} is not real")
    return Claim(src, relations, symbols, real_l, int_l, open_conditions,
                 [(written[i], relations[i][1], written[i + 1]) for i in range(len(relations))])
