"""The declared symbols of the paper, with their assumptions.

User-facing parameter names (command line, ``evaluate``) map to these symbols through
:data:`PARAMS`.
"""

from __future__ import annotations

import sympy as sp

n = sp.Symbol("n", integer=True, positive=True)  #: samples per generation
k = sp.Symbol("k", integer=True, positive=True)  #: generation index
j = sp.Symbol("j", integer=True, positive=True)  #: summation / eigenvalue index
i = sp.Symbol("i", integer=True, nonnegative=True)  #: summation index
m = sp.Symbol("m", integer=True, positive=True)  #: alphabet size / chi-squared degrees of freedom
x = sp.Symbol("x", nonnegative=True)  #: a probability (Bernoulli) or a real argument
s = sp.Symbol("s", nonnegative=True)  #: transform variable / moment order
t = sp.Symbol("t", real=True)  #: characteristic-function argument
p0 = sp.Symbol("p_0", nonnegative=True)  #: initial Bernoulli parameter
lambda0 = sp.Symbol("lambda_0", positive=True)  #: initial Poisson rate
sigma0 = sp.Symbol("sigma_0", positive=True)  #: initial standard deviation
mu0 = sp.Symbol("mu_0", nonnegative=True)  #: initial mixture mean
eps = sp.Symbol("varepsilon", positive=True)  #: collapse threshold
p = sp.IndexedBase("p", nonnegative=True)  #: a pmf p_{0,i}

#: user-facing parameter name -> symbol
PARAMS: dict[str, sp.Symbol] = {
    "n": n,
    "k": k,
    "j": j,
    "m": m,
    "x": x,
    "s": s,
    "t": t,
    "p0": p0,
    "lambda0": lambda0,
    "sigma0": sigma0,
    "mu0": mu0,
    "eps": eps,
}

#: symbol -> user-facing name
NAMES: dict[sp.Symbol, str] = {v: k_ for k_, v in PARAMS.items()}
