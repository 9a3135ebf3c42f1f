"""ISO 10002 Annex G monitoring data: KPI codes, definitions and formulas.

The figures behind the KPIs come from SQL aggregates (see
``iso10002.kpi``); the formulas that turn them into KPI values are plain
functions, tested without a database.
"""

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# code: (name, definition, unit, better): better is "high" or "low"
KPIS = {
    "received": (
        _lt("Complaints received"),
        _lt(
            "Complaints received in the period (feedback reclassified as not a "
            "complaint excluded)."
        ),
        "count",
        "low",
    ),
    "resolved_share": (
        _lt("Share resolved"),
        _lt(
            "Complaints received in the period and closed (withdrawn ones "
            "excepted), over those received."
        ),
        "percent",
        "high",
    ),
    "withdrawn_share": (
        _lt("Withdrawn by the complainant"),
        _lt(
            "Complaints received in the period that the complainant withdrew, "
            "over those received."
        ),
        "percent",
        "low",
    ),
    "first_contact_share": (
        _lt("Share resolved at first contact"),
        _lt(
            "Complaints received in the period whose decision was communicated on "
            "the day of receipt, over those received."
        ),
        "percent",
        "high",
    ),
    "misprioritised_share": (
        _lt("Inappropriately prioritised"),
        _lt(
            "Complaints received in the period whose severity was changed after "
            "the assessment, over those assessed."
        ),
        "percent",
        "low",
    ),
    "acknowledged_in_time_share": (
        _lt("Acknowledged within target"),
        _lt(
            "Acknowledgements in time, over the complaints received in the period "
            "whose acknowledgement was due or done."
        ),
        "percent",
        "high",
    ),
    "resolved_in_time_share": (
        _lt("Resolved within the agreed time"),
        _lt(
            "Closed complaints whose resolution met its SLA target, over the "
            "complaints received in the period and closed."
        ),
        "percent",
        "high",
    ),
    "external_recourse_share": (
        _lt("Resolved through external recourse"),
        _lt(
            "Closed complaints that went to external dispute resolution, over the "
            "closed complaints received in the period."
        ),
        "percent",
        "low",
    ),
    "recurring_share": (
        _lt("Recurring complaints"),
        _lt(
            "Complaints received in the period flagged as recurring, over those "
            "received."
        ),
        "percent",
        "low",
    ),
    "recurring_problems": (
        _lt("Recurring problems"),
        _lt("Distinct recurring problems the complaints of the period belong to."),
        "count",
        "low",
    ),
    "improvements": (
        _lt("Process improvements made"),
        _lt("Improvement actions closed (effectiveness verified) in the period."),
        "count",
        "high",
    ),
    "satisfaction": (
        _lt("Satisfaction with the handling"),
        _lt("Average rating (1 to 5) of the surveys answered in the period."),
        "score",
        "high",
    ),
    "fair_share": (
        _lt("Handled fairly (C.5)"),
        _lt(
            "Surveys answered in the period that say the complaint was handled "
            "fairly, over the surveys answered."
        ),
        "percent",
        "high",
    ),
    "ack_hours_median": (
        _lt("Time to acknowledge (median)"),
        _lt("Median working hours from receipt to acknowledgement."),
        "hours",
        "low",
    ),
    "ack_hours_p90": (
        _lt("Time to acknowledge (90th percentile)"),
        _lt("90th percentile of the working hours from receipt to acknowledgement."),
        "hours",
        "low",
    ),
    "respond_hours_median": (
        _lt("Time to respond (median)"),
        _lt("Median working hours from receipt to the decision communicated."),
        "hours",
        "low",
    ),
    "respond_hours_p90": (
        _lt("Time to respond (90th percentile)"),
        _lt("90th percentile of the working hours to the decision communicated."),
        "hours",
        "low",
    ),
    "resolve_hours_median": (
        _lt("Time to resolve (median)"),
        _lt("Median working hours from receipt to closure."),
        "hours",
        "low",
    ),
    "resolve_hours_p90": (
        _lt("Time to resolve (90th percentile)"),
        _lt("90th percentile of the working hours from receipt to closure."),
        "hours",
        "low",
    ),
    "remedy_cost": (
        _lt("Remedy cost"),
        _lt(
            "Amounts of the remedies of the period's complaints that were "
            "implemented, in the company currency."
        ),
        "amount",
        "low",
    ),
    "staff_trained_share": (
        _lt("Customer-facing staff trained"),
        _lt(
            "Complaint agents with a training record valid at the end of the "
            "period, over all complaint agents (G.3.2)."
        ),
        "percent",
        "high",
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
    return {
        "received": received,
        "resolved_share": share(closed, received),
        "withdrawn_share": share(get("withdrawn", 0), received),
        "first_contact_share": share(get("first_contact", 0), received),
        "misprioritised_share": share(get("misprioritised", 0), get("assessed", 0)),
        "acknowledged_in_time_share": share(get("ack_in_time", 0), get("ack_due", 0)),
        "resolved_in_time_share": share(get("resolved_in_time", 0), closed),
        "external_recourse_share": share(get("external", 0), closed),
        "recurring_share": share(get("recurring", 0), received),
        "recurring_problems": get("problems", 0),
        "improvements": get("improvements", 0),
        "satisfaction": get("satisfaction_avg"),
        "fair_share": share(get("fair", 0), get("surveys", 0)),
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
