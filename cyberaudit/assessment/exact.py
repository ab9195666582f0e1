"""Exact arithmetic of the score (scoring.py): weighted ratios of Fractions and their rounding, on integers.

Both give exactly what the Fraction expressions they replace give (sum(w * c) / sum(w), and
round(x * 1000), halves to even), faster: a territory scores a thousand assessments.
"""

from __future__ import annotations

from fractions import Fraction


def ratio(items: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    """sum(w * c) / sum(w) over (weight, credit) pairs; None without pairs or weight. Equal pairs are
    summed once, times their count, on integer numerators over a common denominator."""
    if not items:
        return None
    pairs: dict[tuple[int, int, int, int], int] = {}  # keyed on integers: hashing a Fraction is slow
    for w, c in items:
        key = (w.numerator, w.denominator, c.numerator, c.denominator)
        pairs[key] = pairs.get(key, 0) + 1
    total_num, total_den, done_num, done_den = 0, 1, 0, 1
    for (wn, wd, cn, cd), n in pairs.items():
        total_num, total_den = total_num * wd + wn * n * total_den, total_den * wd
        done_num, done_den = done_num * wd * cd + wn * cn * n * done_den, done_den * wd * cd
    if total_num == 0:
        return None
    return Fraction(done_num * total_den, done_den * total_num)


def thousandths(x: Fraction) -> int:
    """round(x * 1000) (half to even, as Fraction.__round__), on integers."""
    floor, rest = divmod(x.numerator * 1000, x.denominator)
    twice = rest * 2
    return floor + 1 if twice > x.denominator or (twice == x.denominator and floor % 2) else floor


def pct(x: Fraction | None) -> float | None:
    return None if x is None else thousandths(x) / 10


def share(x: Fraction | None) -> float | None:
    return None if x is None else thousandths(x) / 1000
