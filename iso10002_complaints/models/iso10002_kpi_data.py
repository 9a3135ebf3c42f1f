"""ISO 10002 Annex G monitoring data: KPI codes, definitions and formulas.

The figures behind the KPIs come from SQL aggregates (see
``iso10002.kpi``); the formulas that turn them into KPI values are plain
functions, tested without a database.
"""

from typing import NamedTuple

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The filters of the dashboard a KPI can honour
FILTER_COMPANY = "company"
FILTER_TEAM = "team"
FILTER_CATEGORY = "category"
FILTER_CHANNEL = "channel"
ALL_FILTERS = frozenset({FILTER_COMPANY, FILTER_TEAM, FILTER_CATEGORY, FILTER_CHANNEL})
FILTER_LABELS = {
    FILTER_TEAM: _lt("Team"),
    FILTER_CATEGORY: _lt("Category"),
    FILTER_CHANNEL: _lt("Channel"),
}

# ISO 10003 outcomes of an external referral: decided by the provider, and
# decided in the complainant's favour (fully or partly)
RECOURSE_UPHELD = ("upheld", "partly_upheld")
RECOURSE_DECIDED = (*RECOURSE_UPHELD, "not_upheld")

# "as of": which moment a value describes
AS_OF_PERIOD = "period"  # events that happened in the period
AS_OF_END = "end"  # the status of the period's complaints at the end of the period
AS_OF_NOW = "now"  # the status of the period's complaints as recorded today
AS_OF_LABELS = {
    AS_OF_PERIOD: _lt("Events in the period: a past period's value does not change."),
    AS_OF_END: _lt(
        "As at the end of the period (later reopenings and closures do not change it)."
    ),
    AS_OF_NOW: _lt(
        "As recorded today: it can still change while the period's complaints "
        "are handled."
    ),
}

# direction: "high" and "low" say which way is better; "neutral" says neither
DIRECTION_LABELS = {
    "high": _lt("Higher is better"),
    "low": _lt("Lower is better"),
    "neutral": _lt(
        "Neither: a rise can reflect that complaining became easier (G.3.3)"
    ),
}


class KpiDefinition(NamedTuple):
    """One KPI, defined once: dashboard, objectives, reviews and audits read
    it from here. ``definition`` states the formula and its population."""

    name: object
    definition: object
    unit: str
    better: str
    reference: str
    as_of: str
    filters: frozenset


def _kpi(name, definition, unit, better, reference, as_of, filters=ALL_FILTERS):
    return KpiDefinition(name, definition, unit, better, reference, as_of, filters)


# Population "P" of most KPIs: complaints (not feedback reclassified as not a
# complaint, archived ones included, R-8.1) received in the period in the
# user's time zone, of the company, team, category and channel chosen.
KPIS = {
    "received": _kpi(
        _lt("Complaints received"),
        _lt(
            "Complaints received in the period (feedback reclassified as not a "
            "complaint excluded)."
        ),
        "count",
        "neutral",
        "G.3.3",
        AS_OF_PERIOD,
    ),
    "resolved_share": _kpi(
        _lt("Share resolved"),
        _lt(
            "Complaints received in the period that were closed, and not "
            "withdrawn, at the end of the period, over those received."
        ),
        "percent",
        "high",
        "G.3.3",
        AS_OF_END,
    ),
    "withdrawn_share": _kpi(
        _lt("Withdrawn by the complainant"),
        _lt(
            "Complaints received in the period that were closed as withdrawn at "
            "the end of the period, over those received."
        ),
        "percent",
        "low",
        "7.9",
        AS_OF_END,
    ),
    "first_contact_share": _kpi(
        _lt("Share resolved at first contact"),
        _lt(
            "Complaints received in the period whose decision was communicated on "
            "the day of receipt (local time) and not rejected by the "
            "complainant, over those received."
        ),
        "percent",
        "high",
        "G.3.3",
        AS_OF_NOW,
    ),
    "misprioritised_share": _kpi(
        _lt("Inappropriately prioritised"),
        _lt(
            "Complaints received in the period whose severity was changed after "
            "the assessment, over those assessed. An approximation: a changed "
            "severity is taken as the sign of a wrong first priority."
        ),
        "percent",
        "low",
        "G.3.3",
        AS_OF_NOW,
    ),
    "acknowledged_in_time_share": _kpi(
        _lt("Acknowledged within target"),
        _lt(
            "Acknowledgements in time, over the complaints received in the period "
            "whose acknowledgement was due or done."
        ),
        "percent",
        "high",
        "G.3.3",
        AS_OF_NOW,
    ),
    "resolved_in_time_share": _kpi(
        _lt("Resolved within the agreed time"),
        _lt(
            "Complaints received in the period, closed and not withdrawn at the "
            "end of the period, whose resolution met its SLA target at that "
            "closure, over those closed and not withdrawn."
        ),
        "percent",
        "high",
        "G.3.3",
        AS_OF_END,
    ),
    "external_recourse_share": _kpi(
        _lt("Resolved through external recourse"),
        _lt(
            "Complaints received in the period, closed and not withdrawn at the "
            "end of the period, that went to external dispute resolution, over "
            "those closed and not withdrawn."
        ),
        "percent",
        "low",
        "G.3.3",
        AS_OF_END,
    ),
    "external_upheld_share": _kpi(
        _lt("External referrals upheld"),
        _lt(
            "Complaints received in the period, closed and not withdrawn at the "
            "end of the period, that went to external dispute resolution and "
            "that the provider upheld fully or partly in the complainant's "
            "favour, over those the provider decided (upheld, partly upheld or "
            "not upheld; settled, withdrawn and declined referrals are left out)."
        ),
        "percent",
        "low",
        "G.3.3",
        AS_OF_END,
    ),
    "objectivity_sample_share": _kpi(
        _lt("Handled objectively in the samples (C.5)"),
        _lt(
            "Complaints received in the period that a signed objectivity sample "
            "reviewed, judged handled objectively (every C.1 principle held), "
            "over those the samples reviewed."
        ),
        "percent",
        "high",
        "C.5",
        AS_OF_NOW,
    ),
    "recurring_share": _kpi(
        _lt("Recurring complaints"),
        _lt(
            "Complaints received in the period flagged as recurring, over those "
            "received."
        ),
        "percent",
        "low",
        "G.3.3",
        AS_OF_NOW,
    ),
    "recurring_problems": _kpi(
        _lt("Recurring problems"),
        _lt("Distinct recurring problems the complaints of the period belong to."),
        "count",
        "low",
        "G.3.3",
        AS_OF_NOW,
    ),
    "improvements": _kpi(
        _lt("Process improvements made"),
        _lt(
            "Improvement actions closed (effectiveness verified) on a day of the "
            "period; with a team, category or channel chosen, those linked to a "
            "complaint of that scope. An approximation: it counts actions, "
            "without telling process from product improvements."
        ),
        "count",
        "high",
        "G.3.3",
        AS_OF_PERIOD,
    ),
    "satisfaction": _kpi(
        _lt("Satisfaction with the handling"),
        _lt(
            "Average rating (1 to 5) of the surveys answered in the period, about "
            "complaints of the scope that are neither archived nor reclassified "
            "as feedback."
        ),
        "score",
        "high",
        "8.3",
        AS_OF_PERIOD,
    ),
    "fair_share": _kpi(
        _lt("Handled fairly (C.5)"),
        _lt(
            "Surveys answered in the period that say the complaint was handled "
            "fairly, over those that answered the question (same surveys as the "
            "satisfaction)."
        ),
        "percent",
        "high",
        "C.5",
        AS_OF_PERIOD,
    ),
    "ack_hours_median": _kpi(
        _lt("Time to acknowledge (median)"),
        _lt("Median working hours from receipt to acknowledgement."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "ack_hours_p90": _kpi(
        _lt("Time to acknowledge (90th percentile)"),
        _lt("90th percentile of the working hours from receipt to acknowledgement."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "respond_hours_median": _kpi(
        _lt("Time to respond (median)"),
        _lt("Median working hours from receipt to the decision communicated."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "respond_hours_p90": _kpi(
        _lt("Time to respond (90th percentile)"),
        _lt("90th percentile of the working hours to the decision communicated."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "resolve_hours_median": _kpi(
        _lt("Time to resolve (median)"),
        _lt("Median working hours from receipt to closure."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "resolve_hours_p90": _kpi(
        _lt("Time to resolve (90th percentile)"),
        _lt("90th percentile of the working hours from receipt to closure."),
        "hours",
        "low",
        "G.3.2",
        AS_OF_NOW,
    ),
    "remedy_cost": _kpi(
        _lt("Remedy cost"),
        _lt(
            "Amounts of the remedies of the period's complaints that were "
            "implemented, in the company currency."
        ),
        "amount",
        "low",
        "8.4",
        AS_OF_NOW,
    ),
    "staff_trained_share": _kpi(
        _lt("Customer-facing staff trained"),
        _lt(
            "Complaint agents allowed in the company (members of the team when a "
            "team is chosen) with a training record valid on the last day of the "
            "period, over those agents (G.3.2)."
        ),
        "percent",
        "high",
        "G.3.2",
        AS_OF_END,
        frozenset({FILTER_COMPANY, FILTER_TEAM}),
    ),
}
KPI_SELECTION = [(code, values[0]._source) for code, values in KPIS.items()]


def share(part, whole):
    """part / whole in percent, or None when there is nothing to divide."""
    if not whole:
        return None
    return 100.0 * part / whole


def kpi_values(figures):
    """KPI code -> value (None when undefined) from the raw aggregates.

    ``figures`` holds counts and sums named as in ``iso10002.kpi._figures``.
    """
    get = figures.get
    received = get("received", 0)
    closed = get("closed", 0)
    # numerators count within their denominator: never above 100 %
    return {
        "received": received,
        "resolved_share": share(closed, received),
        "withdrawn_share": share(get("withdrawn", 0), received),
        "first_contact_share": share(get("first_contact", 0), received),
        "misprioritised_share": share(get("misprioritised", 0), get("assessed", 0)),
        "acknowledged_in_time_share": share(get("ack_in_time", 0), get("ack_due", 0)),
        "resolved_in_time_share": share(get("resolved_in_time", 0), closed),
        "external_recourse_share": share(get("external", 0), closed),
        "objectivity_sample_share": share(
            get("sampled_objective", 0), get("sampled", 0)
        ),
        "external_upheld_share": share(
            get("external_upheld", 0), get("external_decided", 0)
        ),
        "recurring_share": share(get("recurring", 0), received),
        "recurring_problems": get("problems", 0),
        "improvements": get("improvements", 0),
        "satisfaction": get("satisfaction_avg"),
        "fair_share": share(get("fair", 0), get("fair_answered", 0)),
        "ack_hours_median": get("acknowledge_median"),
        "ack_hours_p90": get("acknowledge_p90"),
        "respond_hours_median": get("respond_median"),
        "respond_hours_p90": get("respond_p90"),
        "resolve_hours_median": get("resolve_median"),
        "resolve_hours_p90": get("resolve_p90"),
        "remedy_cost": get("remedy_cost", 0.0),
        "staff_trained_share": share(get("agents_trained", 0), get("agents", 0)),
    }


def attainment(actual, target, better):
    """(attainment in percent, status) of an objective.

    Status: "green" met, "amber" within 10 % of the target, "red" further,
    "none" when the KPI has no value for the period.
    """
    if actual is None:
        return None, "none"
    if better == "high":
        ratio = (actual / target * 100.0) if target else 100.0
        met = actual >= target
    else:
        ratio = (target / actual * 100.0) if actual else 100.0
        met = actual <= target
    if met:
        return ratio, "green"
    return ratio, "amber" if ratio >= 90.0 else "red"


def percentile(values, fraction):
    """Linear-interpolated percentile, as PostgreSQL's percentile_cont."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def unapplied_filters(code, filters):
    """The dashboard filters set in ``filters`` (codes) that KPI ``code``
    cannot honour: shown beside its value, never silently ignored."""
    return sorted(set(filters) - KPIS[code].filters)


def u_chart(counts, volumes, per=1000.0):
    """Complaint rates per ``per`` units of volume with the control limits
    of a u-chart, month by month.

    ``counts`` and ``volumes`` are lists of the same length (a volume may be
    missing: None or 0). The centre line is the total of the months with a
    volume over their total volume; each month's limits are the centre
    line plus and minus three standard errors sqrt(u / n) for its volume.
    Returns one dict per month: rate, centre, upper, lower, signal ("above",
    "below" or None), all None for a month without a volume.
    """
    known = [(c, v) for c, v in zip(counts, volumes, strict=True) if v]
    total_volume = sum(v for _c, v in known) / per
    centre = sum(c for c, _v in known) / total_volume if total_volume else None
    rows = []
    for count, volume in zip(counts, volumes, strict=True):
        if not volume or centre is None:
            rows.append(
                {
                    "rate": None,
                    "centre": centre,
                    "upper": None,
                    "lower": None,
                    "signal": None,
                }
            )
            continue
        units = volume / per
        rate = count / units
        spread = 3 * (centre / units) ** 0.5
        upper, lower = centre + spread, max(0.0, centre - spread)
        signal = "above" if rate > upper else "below" if rate < lower else None
        rows.append(
            {
                "rate": rate,
                "centre": centre,
                "upper": upper,
                "lower": lower,
                "signal": signal,
            }
        )
    return rows
