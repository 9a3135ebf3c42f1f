"""Working-time arithmetic for SLA deadlines, as plain functions.

A calendar's working time is given as a sorted list of non-overlapping spans
``(start, stop)`` of naive UTC datetimes (what ``resource.calendar`` returns for
a period, leaves such as public holidays already removed). One list serves a
whole batch of complaints: planning a deadline is a walk over it, not a
database round trip per complaint.
"""

import bisect
from datetime import timedelta, timezone

import pytz

ALWAYS = "always"  # no calendar anywhere: the clock runs around the clock


def merge_spans(spans):
    """Sort and merge touching or overlapping spans."""
    merged = []
    for start, stop in sorted(spans):
        if stop <= start:
            continue
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def _first_span(spans, moment):
    """Index of the first span that ends after ``moment``."""
    stops = [stop for _start, stop in spans]
    return bisect.bisect_right(stops, moment)


def plan(spans, start, hours):
    """The moment at which ``hours`` of working time have passed since
    ``start``; None when the spans end first (the caller extends them)."""
    if spans == ALWAYS:
        return start + timedelta(hours=max(hours, 0))
    remaining = timedelta(hours=max(hours, 0))
    for span_start, span_stop in spans[_first_span(spans, start) :]:
        begin = max(span_start, start)
        available = span_stop - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    return None


def worked(spans, start, end):
    """Working hours between ``start`` and ``end``."""
    if not start or not end or end <= start:
        return 0.0
    if spans == ALWAYS:
        return (end - start).total_seconds() / 3600
    total = timedelta()
    for span_start, span_stop in spans[_first_span(spans, start) :]:
        if span_start >= end:
            break
        total += min(span_stop, end) - max(span_start, start)
    return total.total_seconds() / 3600


def deadlines(spans, clock_start, consumed, target, at_risk_share):
    """(deadline, at_risk_at) of a running clock, or None where the spans
    are too short.

    :param consumed: working hours already used before ``clock_start``
    :param target: working hours allowed
    :param at_risk_share: share of the target (0..1) after which the phase
        is at risk
    """
    deadline = plan(spans, clock_start, target - consumed)
    risk_hours = target * at_risk_share - consumed
    at_risk_at = plan(spans, clock_start, risk_hours) if risk_hours > 0 else clock_start
    return deadline, at_risk_at


def horizon(start, hours, weekly_hours):
    """A period long enough to hold ``hours`` of work from ``start`` for a
    calendar with ``weekly_hours`` a week, with margin for holidays."""
    weeks = hours / max(weekly_hours, 1.0) + 2
    return start + timedelta(weeks=weeks)


def utc_naive(moment):
    """A timezone-aware datetime as naive UTC, as Odoo stores datetimes."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def local_deadline(deadline, tz_name):
    """(local date, "YYYY-MM-DD HH:MM Zone") of a naive UTC deadline in the
    time zone ``tz_name`` (UTC when empty): what the person who must act reads."""
    zone = pytz.timezone(tz_name or "UTC")
    local = pytz.utc.localize(deadline).astimezone(zone)
    return local.date(), f"{local:%Y-%m-%d %H:%M} {zone.zone}"
