"""Calendar arithmetic for the date resolver: pure functions on ``datetime.date``.

A resolved value is a pair ``(date string, precision)``: ``("2025-01-03", "day")``,
``("2024-11", "month")`` or ``("2024", "year")``. Nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

Value = tuple[str, str]

#: How a relative expression leans when its year or week is not written:
#: ``past`` (on or before publication), ``future`` (after it) or ``nearest``.
#: ``present`` is what the tense reader says for a present-tense verb; resolvers
#: treat it as ``nearest``.
PAST, FUTURE, NEAREST, PRESENT = "past", "future", "nearest", "present"
#: ``nearest`` leaning to the past (see :func:`day_near`).
RECENT = "recent"
#: How far ahead a ``recent`` day may still be.
RECENT_FUTURE_DAYS = 60


def day(d: date) -> Value:
    return d.isoformat(), "day"


def month(year: int, mon: int) -> Value:
    return f"{year:04d}-{mon:02d}", "month"


def year(y: int) -> Value:
    return f"{y:04d}", "year"


def valid_day(y: int, m: int, d: int) -> date | None:
    """``date(y, m, d)`` or ``None`` when no such day exists."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shift_month(y: int, m: int, delta: int) -> tuple[int, int]:
    """The month ``delta`` months after (or before, when negative) ``y-m``."""
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def weekday_near(pub: date, weekday: int, lean: str, *, strict: bool = False) -> date:
    """The ``weekday`` (0 = Monday) nearest ``pub`` on the side ``lean`` says.

    ``past``: the most recent one on or before ``pub`` (strictly before when
    ``strict``); ``future``: the next one on or after ``pub`` (strictly after when
    ``strict``); ``nearest``: whichever of the two (past non-strict, future
    strict) is closer, the past one on a tie.
    """
    if lean == NEAREST:
        before = weekday_near(pub, weekday, PAST)
        after = weekday_near(pub, weekday, FUTURE, strict=True)
        return before if (pub - before) <= (after - pub) else after
    if lean == FUTURE:
        ahead = (weekday - pub.weekday()) % 7
        if ahead == 0 and strict:
            ahead = 7
        return pub + timedelta(days=ahead)
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strict:
        back = 7
    return pub - timedelta(days=back)


def month_near(pub: date, mon: int, lean: str, *, strict: bool = False) -> tuple[int, int]:
    """The year-month of month ``mon`` nearest ``pub`` on the side ``lean`` says.

    ``past``: the most recent on or before publication's month (strictly before
    when ``strict``, as in "last November"); ``future``: the next on or after it
    (strictly after when ``strict``, "next November"); ``nearest``: the closer
    of the two, the past one on a tie.
    """
    if lean == NEAREST:
        py, pm = month_near(pub, mon, PAST)
        fy, fm = month_near(pub, mon, FUTURE, strict=True)
        back = (pub.year - py) * 12 + pub.month - pm
        ahead = (fy - pub.year) * 12 + fm - pub.month
        return (py, pm) if back <= ahead else (fy, fm)
    if lean == FUTURE:
        y = pub.year if (mon > pub.month or (mon == pub.month and not strict)) else pub.year + 1
        return y, mon
    y = pub.year if (mon < pub.month or (mon == pub.month and not strict)) else pub.year - 1
    return y, mon


def day_near(pub: date, mon: int, dom: int, lean: str) -> date | None:
    """Month ``mon``, day ``dom`` in the year that fits ``pub`` and ``lean``.

    ``past``: the latest on or before the publication date; ``future``: the first
    on or after it; ``nearest``: the closer of the two; ``recent``: the past one
    unless the future one is less than half as far and at most 60 days ahead
    (news mostly reports what happened: "Dec. 12" in a January story is last
    December, "January 1" in a September story is this January, "April 2" in a
    March story is next month). ``None`` when the day does not exist (February 30).
    """
    candidates = [c for c in (valid_day(pub.year + k, mon, dom) for k in (-1, 0, 1)) if c]
    before = max((c for c in candidates if c <= pub), default=None)
    after = min((c for c in candidates if c > pub), default=None)
    if lean == PAST:
        return before
    if lean == FUTURE:
        return pub if pub in candidates else after
    if before is None or after is None:
        return before or after
    ahead, back = (after - pub).days, (pub - before).days
    if lean == RECENT:
        return after if 2 * ahead < back and ahead <= RECENT_FUTURE_DAYS else before
    return after if ahead < back else before


def week_value(any_day: date) -> Value:
    """A Monday–Sunday week as a value: the month holding its Thursday (most of its days).

    The contract has no week precision; a week is reported at month precision,
    in the month where four or more of its seven days fall (the ISO 8601 rule).
    """
    monday = any_day - timedelta(days=any_day.weekday())
    thursday = monday + timedelta(days=3)
    return month(thursday.year, thursday.month)


def weekend_value(saturday: date) -> Value:
    """A weekend as a value: the month of its Saturday, month precision."""
    return month(saturday.year, saturday.month)
