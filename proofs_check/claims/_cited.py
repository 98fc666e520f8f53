"""The textbook facts the claims take as given (status CITED), each named once with its
statement and reference. A claim that uses one is reported "PROVED, citing <name>
(<reference>)" (see :mod:`proofs_check.status`); nothing here is checked by machine.

>>> cite("tower property", "E[e^(-s N_(k+1))] = E[E[e^(-s N_(k+1)) | N_k]]").status
<Status.CITED: 'CITED'>
"""

from __future__ import annotations

from dataclasses import dataclass

from ..status import Status, Step

__all__ = ["Fact", "FACTS", "SOURCES", "cite"]


@dataclass(frozen=True)
class Fact:
    """A textbook fact: its general statement and where it is proved (``reference``:
    "<source>, <section>", the source a key of :data:`SOURCES`)."""

    statement: str
    reference: str


#: the short names used in references -> the full source
SOURCES: dict[str, str] = {
    "Williams 1991": "D. Williams, Probability with Martingales, Cambridge University Press, "
                     "1991",
    "Grinstead & Snell 1997": "C. M. Grinstead and J. L. Snell, Introduction to Probability, "
                              "2nd ed., American Mathematical Society, 1997",
    "Casella & Berger 2002": "G. Casella and R. L. Berger, Statistical Inference, 2nd ed., "
                             "Duxbury, 2002",
    "Johnson, Kotz & Balakrishnan 1997": "N. L. Johnson, S. Kotz and N. Balakrishnan, "
                                         "Discrete Multivariate Distributions, Wiley, 1997",
    "Kingman 1993": "J. F. C. Kingman, Poisson Processes, Oxford University Press, 1993",
    "Rudin 1976": "W. Rudin, Principles of Mathematical Analysis, 3rd ed., McGraw-Hill, 1976",
    "Artin 1964": "E. Artin, The Gamma Function, Holt, Rinehart and Winston, 1964",
    "DLMF": "NIST Digital Library of Mathematical Functions, https://dlmf.nist.gov",
}
_WILLIAMS = "Williams 1991"

#: name -> fact; the names are what reports print after "citing"
FACTS: dict[str, Fact] = {
    "tower property": Fact(
        "E[E[X | G]] = E[X] for integrable X (iterated conditioning)",
        f"{_WILLIAMS}, §9.7"),
    "bounded convergence theorem": Fact(
        "X_k -> X almost surely and |X_k| <= K imply E[X_k] -> E[X]",
        f"{_WILLIAMS}, §6.2"),
    "Markov's inequality": Fact(
        "Pr(X >= c) <= E[X]/c for X >= 0, c > 0", f"{_WILLIAMS}, §6.4"),
    "linearity of expectation": Fact(
        "E[sum_i X_i] = sum_i E[X_i] for finitely many integrable X_i", f"{_WILLIAMS}, Ch. 6"),
    "monotonicity of expectation": Fact(
        "X <= Y almost surely implies E[X] <= E[Y]", f"{_WILLIAMS}, Ch. 6"),
    "absorption of finite chains": Fact(
        "in a finite Markov chain from every state of which an absorbing state can be "
        "reached, the chain is absorbed with probability 1",
        "Grinstead & Snell 1997, Thm 11.3"),
    "distribution of the sample variance": Fact(
        "for n i.i.d. N(mu, sigma^2) draws, (n-1) S^2/sigma^2 ~ chi^2_(n-1), independent "
        "of the sample mean", "Casella & Berger 2002, Thm 5.3.1"),
    "multinomial marginals": Fact(
        "each count of a Multinomial(n; p_1..p_m) vector is Binomial(n, p_i)",
        "Johnson, Kotz & Balakrishnan 1997, Ch. 35"),
    "colouring theorem": Fact(
        "the counts of the m symbols in a Poisson(N) number of i.i.d. draws from p_1..p_m "
        "are independent Poisson(N p_i)", "Kingman 1993, §5.1"),
    "intermediate value theorem": Fact(
        "a continuous real function on an interval takes every value between two of its "
        "values", "Rudin 1976, Thm 4.23"),
    "trigamma series": Fact(
        "psi'(z) = sum_(j>=0) 1/(z+j)^2 for z > 0, so trigamma(z) > 0 there",
        "DLMF 5.15.1"),
    "log-convexity of Gamma": Fact(
        "log Gamma is convex on (0, oo) (its second derivative is trigamma > 0)",
        "Artin 1964, Ch. 1; DLMF 5.15.1"),
}


def cite(name: str, used_for: str, domain: str = "", detail: str = "") -> Step:
    """A CITED step: the fact ``name`` of :data:`FACTS`, used for ``used_for`` (the
    instance of the fact this argument needs)."""
    fact = FACTS[name]
    text = f"{used_for} [{fact.statement}]" if used_for else fact.statement
    return Step(name, text, Status.CITED, "cited (textbook fact, not machine-checked)",
                domain, detail, reference=fact.reference)
