"""Constants of ISO 10002 complaints handling, in one place.

The selections below are technical states the code branches on; their labels are
translated by Odoo when used in field definitions. ``missing_for_step`` is the
process rule "a complaint cannot reach a step without the data that step needs"
as a plain function, so that it can be tested without a database.
"""

import hashlib
from datetime import timedelta

from odoo.tools import SQL

# ISO 10002 clause 7 steps, in process order. Helpdesk stages map to one of them.
STEP_RECEIVED = "received"
STEP_ACKNOWLEDGED = "acknowledged"
STEP_ASSESSED = "assessed"
STEP_INVESTIGATING = "investigating"
STEP_RESPONDED = "responded"
STEP_COMMUNICATED = "communicated"
STEP_REVIEW = "review"
STEP_CLOSED = "closed"

STEPS = [
    (STEP_RECEIVED, "Received"),
    (STEP_ACKNOWLEDGED, "Acknowledged"),
    (STEP_ASSESSED, "Assessed"),
    (STEP_INVESTIGATING, "Investigating"),
    (STEP_RESPONDED, "Decision made"),
    (STEP_COMMUNICATED, "Decision communicated"),
    (STEP_REVIEW, "Review / external recourse"),
    (STEP_CLOSED, "Closed"),
]
STEP_ORDER = {step: index for index, (step, _label) in enumerate(STEPS)}

# Annex D §1: how the complaint was received.
CHANNEL_KINDS = [
    ("phone", "Telephone"),
    ("email", "E-mail"),
    ("web", "Internet / web form"),
    ("visit", "Visit in person"),
    ("letter", "Letter"),
    ("other", "Other"),
]
# Channels whose complainants get the automatic acknowledgement e-mail;
# the others get a logged acknowledgement (phone call, visit, letter).
AUTO_ACK_CHANNEL_KINDS = ("email", "web")

ACK_METHODS = [
    ("email", "E-mail"),
    ("phone", "Telephone"),
    ("visit", "In person"),
    ("letter", "Letter"),
    ("other", "Other"),
]

# a complaint may be about a product/service or the handling process itself.
SUBJECTS = [
    ("product", "Product or service"),
    ("process", "The complaints-handling process"),
]

# R-7.5 / Annex D §5. Health and safety is its own, top, level.
SEVERITY_HEALTH_SAFETY = "health_safety"
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
    ("health_safety", "Health and safety"),
]
# Helpdesk priority ("0" low .. "3" very high) that a severity sets.
SEVERITY_PRIORITY = {
    "low": "0",
    "medium": "1",
    "high": "2",
    "critical": "3",
    "health_safety": "3",
}
COMPLEXITIES = [
    ("simple", "Simple"),
    ("moderate", "Moderate"),
    ("complex", "Complex"),
]
IMPACTS = [
    ("minor", "Minor"),
    ("moderate", "Moderate"),
    ("major", "Major"),
]

OUTCOME_VALID = "valid"
OUTCOME_UNFOUNDED = "unfounded"
OUTCOME_NOT_COMPLAINT = "not_complaint"
OUTCOMES = [
    (OUTCOME_VALID, "Valid complaint"),
    (OUTCOME_UNFOUNDED, "Unfounded"),
    (OUTCOME_NOT_COMPLAINT, "Not a complaint (feedback)"),
]

COMMUNICATION_CHANNELS = [
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("phone", "Telephone"),
    ("visit", "In person"),
    ("portal", "Customer portal"),
]

# the complainant's answer to the decision.
RESPONSE_ACCEPTED = "accepted"
RESPONSE_REJECTED = "rejected"
COMPLAINANT_RESPONSES = [
    (RESPONSE_ACCEPTED, "Accepted the decision"),
    (RESPONSE_REJECTED, "Rejected the decision"),
]
REVIEW_INTERNAL = "internal_review"
REVIEW_EXTERNAL = "external_recourse"
REVIEW_TYPES = [
    (REVIEW_INTERNAL, "Internal review"),
    (REVIEW_EXTERNAL, "External recourse (ISO 10003)"),
]
REVIEW_RESULTS = [
    ("satisfied", "Complainant satisfied"),
    ("exhausted", "Options exhausted"),
]

POLICY_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("superseded", "Superseded"),
]

# Blockers that are not a missing field: codes turned into messages by the model.
BLOCK_NOT_VALID_FOR_INVESTIGATION = "not_valid_for_investigation"
BLOCK_NO_REJECTION = "no_rejection"
BLOCK_WAITING_PERIOD = "waiting_period"
BLOCK_FEEDBACK_ONLY_CLOSES = "feedback_only_closes"

# Fields each step needs, on top of those of the steps before it.
_RECEIPT_FIELDS = (
    "complaint_reference",
    "received_at",
    "channel_id",
    "partner_id",
    "subject",
    "name",
    "description",
)
_ASSESSMENT_FIELDS = ("severity", "complexity", "impact", "assessment_outcome")
_DECISION_FIELDS = (
    "decision",
    "decided_by_id",
    "decided_on",
    # Annex E.2: every item of the complaint is addressed, the response confirmed
    "decision_items_addressed",
    "decision_confirmed",
)
_COMMUNICATION_FIELDS = (
    "communicated_on",
    "communicated_by_id",
    "communication_channel",
)


def missing_for_step(step, values, now=None, wait_days=0):
    """What a complaint lacks to stand at ``step``.

    :param step: one of the STEPS keys
    :param values: mapping field name -> value (falsy when empty)
    :param now: the current datetime (closing after the waiting period)
    :param wait_days: days to wait for the complainant's answer before a
        complaint may be closed without it (R-7.9)
    :return: (missing field names in process order, blocker codes)
    """
    order = STEP_ORDER[step]
    missing = []
    blockers = []

    def need(*names):
        missing.extend(name for name in names if not values.get(name))

    need(*_RECEIPT_FIELDS)
    if step == STEP_CLOSED and values.get("withdrawn_on"):
        # withdrawn by the complainant: an outcome of its own
        need("withdrawal_reason")
        return missing, blockers
    if order >= STEP_ORDER[STEP_ACKNOWLEDGED]:
        need("acknowledged_at")
    if order < STEP_ORDER[STEP_ASSESSED]:
        return missing, blockers

    need(*_ASSESSMENT_FIELDS)
    outcome = values.get("assessment_outcome")
    if outcome == OUTCOME_UNFOUNDED:
        need("unfounded_explanation")
    elif outcome == OUTCOME_NOT_COMPLAINT:
        need("reclassification_reason")
        # Feedback leaves the complaints process: it is kept, and only closes.
        if STEP_ASSESSED != step != STEP_CLOSED:
            blockers.append(BLOCK_FEEDBACK_ONLY_CLOSES)
        return missing, blockers

    if step == STEP_ASSESSED:
        # Annex D: a complaint is classified when it is assessed
        need("complaint_category_id")
    _investigation_needs(step, outcome, need, blockers)
    if order < STEP_ORDER[STEP_RESPONDED]:
        return missing, blockers
    need(*_DECISION_FIELDS)
    if order >= STEP_ORDER[STEP_COMMUNICATED]:
        need(*_COMMUNICATION_FIELDS)
        # R-7.7 / E: remedies above the approval limit are approved before
        # they are offered
        if values.get("unapproved_remedies"):
            blockers.append(BLOCK_REMEDIES_UNAPPROVED)
    if step == STEP_CLOSED and values.get("open_remedies"):
        # accepted remedies are implemented (or waived) before closing
        blockers.append(BLOCK_REMEDIES_OPEN)
    if step == STEP_CLOSED and values.get("proposed_remedies"):
        # after a rejection (or no answer) each remedy still on
        # offer is settled: accepted after the review, declined or withdrawn
        blockers.append(BLOCK_REMEDIES_UNANSWERED)
    if step in (STEP_REVIEW, STEP_CLOSED):
        _closing_needs(step, values, need, blockers, now, wait_days)
    return missing, blockers


def _investigation_needs(step, outcome, need, blockers):
    """R-7.6: valid complaints are investigated before they are decided."""
    order = STEP_ORDER[step]
    investigated = step == STEP_INVESTIGATING or (
        outcome == OUTCOME_VALID and order >= STEP_ORDER[STEP_RESPONDED]
    )
    if not investigated:
        return
    if outcome and outcome != OUTCOME_VALID:
        blockers.append(BLOCK_NOT_VALID_FOR_INVESTIGATION)
    need("investigator_id")
    if order >= STEP_ORDER[STEP_RESPONDED]:
        need("findings", "root_cause")


def _closing_needs(step, values, need, blockers, now, wait_days):
    """R-7.9: review after a rejection; closing on an answer or after waiting."""
    response = values.get("complainant_response")
    external = values.get("review_type") == REVIEW_EXTERNAL
    if step == STEP_REVIEW:
        if response != RESPONSE_REJECTED:
            blockers.append(BLOCK_NO_REJECTION)
        need("rejection_reason", "review_type")
        if external:
            need("recourse_provider_id")
    elif response == RESPONSE_REJECTED:
        need("rejection_reason", "review_type", "review_result")
        if external:
            need("recourse_provider_id", "recourse_referred_on", "recourse_result")
    elif response != RESPONSE_ACCEPTED and not waiting_period_over(
        values.get("communicated_on"), now, wait_days
    ):
        blockers.append(BLOCK_WAITING_PERIOD)


def waiting_period_over(communicated_on, now, wait_days):
    """True when the complainant had ``wait_days`` to answer the decision."""
    if not communicated_on or now is None:
        return False
    return communicated_on + timedelta(days=wait_days or 0) <= now


def step_index(step):
    """Position of a step in the process (-1 for no step)."""
    return STEP_ORDER.get(step, -1)


# ---------------------------------------------------------------------------
# SLA (ISO 10002 4.4, 7.1, 7.3; G.3.2 "time to respond")
# ---------------------------------------------------------------------------
PHASE_ACKNOWLEDGE = "acknowledge"
PHASE_ASSESS = "assess"
PHASE_RESPOND = "respond"
PHASE_RESOLVE = "resolve"
PHASES = [
    (PHASE_ACKNOWLEDGE, "Acknowledge"),
    (PHASE_ASSESS, "Assess"),
    (PHASE_RESPOND, "Respond (decision communicated)"),
    (PHASE_RESOLVE, "Resolve (closed)"),
]
# the ISO step whose reaching completes each phase
PHASE_STEP = {
    PHASE_ACKNOWLEDGE: STEP_ACKNOWLEDGED,
    PHASE_ASSESS: STEP_ASSESSED,
    PHASE_RESPOND: STEP_COMMUNICATED,
    PHASE_RESOLVE: STEP_CLOSED,
}
# phases whose deadline is promised to the complainant: progress updates
PROGRESS_PHASES = (PHASE_RESPOND, PHASE_RESOLVE)

# stored, event-driven states of a phase clock
SLA_RUNNING = "running"
SLA_PAUSED = "paused"
SLA_MET = "met"
SLA_MET_LATE = "met_late"
SLA_CANCELLED = "cancelled"
SLA_STATES = [
    (SLA_RUNNING, "Running"),
    (SLA_PAUSED, "Paused"),
    (SLA_MET, "Met"),
    (SLA_MET_LATE, "Met late"),
    (SLA_CANCELLED, "Not applicable"),
]
# statuses shown to users: the stored state, refined by "now" for running clocks
SLA_ON_TRACK = "on_track"
SLA_AT_RISK = "at_risk"
SLA_BREACHED = "breached"
SLA_STATUSES = [
    (SLA_ON_TRACK, "On track"),
    (SLA_AT_RISK, "At risk"),
    (SLA_BREACHED, "Breached"),
    (SLA_PAUSED, "Paused"),
    (SLA_MET, "Met"),
    (SLA_MET_LATE, "Met late"),
    (SLA_CANCELLED, "Not applicable"),
]
# worst first: the complaint shows the worst status of its phases
SLA_STATUS_RANK = {
    SLA_BREACHED: 0,
    SLA_AT_RISK: 1,
    SLA_ON_TRACK: 2,
    SLA_PAUSED: 3,
    SLA_MET_LATE: 4,
    SLA_MET: 5,
    SLA_CANCELLED: 6,
}

# escalation levels reached by a phase clock (stored on the line)
ESCALATION_NONE = 0
ESCALATION_AT_RISK = 1
ESCALATION_BREACHED = 2
ESCALATION_KINDS = [
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("significant", "Significant complaint"),
    ("manual", "Escalated by an employee"),
]


def sla_status(state, deadline, at_risk_at, now):
    """The status of a phase clock at ``now`` (plain function, R-4.4)."""
    if state != SLA_RUNNING:
        return state
    if deadline and now >= deadline:
        return SLA_BREACHED
    if at_risk_at and now >= at_risk_at:
        return SLA_AT_RISK
    return SLA_ON_TRACK


# ---------------------------------------------------------------------------
# Remedies (Annex E, Annex D §6) and corrective actions (8.7)
# ---------------------------------------------------------------------------
REMEDY_KINDS = [
    ("refund", "Refund"),
    ("replacement", "Replacement"),
    ("repair", "Repair / rework"),
    ("substitution", "Substitution"),
    ("technical_assistance", "Technical assistance"),
    ("information", "Information"),
    ("referral", "Referral"),
    ("financial_assistance", "Financial assistance"),
    ("other_assistance", "Other assistance"),
    ("compensation", "Compensation"),
    ("apology", "Apology"),
    ("gift", "Gift or token"),
    ("change_acknowledgement", "Acknowledgement of a change made"),
]
REMEDY_PROPOSED = "proposed"
REMEDY_ACCEPTED = "accepted"
REMEDY_IMPLEMENTED = "implemented"
REMEDY_DECLINED = "declined"
REMEDY_CANCELLED = "cancelled"
REMEDY_WAIVED = "waived"
REMEDY_STATES = [
    (REMEDY_PROPOSED, "Proposed"),
    (REMEDY_ACCEPTED, "Accepted by the complainant"),
    (REMEDY_IMPLEMENTED, "Implemented"),
    (REMEDY_DECLINED, "Declined by the complainant"),
    (REMEDY_CANCELLED, "Cancelled"),
    (REMEDY_WAIVED, "Waived"),
]
# allowed transitions of a remedy line: state -> states it may go to
REMEDY_TRANSITIONS = {
    REMEDY_PROPOSED: {REMEDY_ACCEPTED, REMEDY_DECLINED, REMEDY_CANCELLED},
    REMEDY_ACCEPTED: {REMEDY_IMPLEMENTED, REMEDY_WAIVED, REMEDY_CANCELLED},
    REMEDY_IMPLEMENTED: set(),
    REMEDY_DECLINED: set(),
    REMEDY_CANCELLED: set(),
    REMEDY_WAIVED: set(),
}

SYSTEMIC_STATES = [
    ("draft", "Draft"),
    ("rolling_out", "Rolling out"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
ROLLOUT_STATES = [
    ("pending", "To offer"),
    ("offered", "Offered"),
    ("done", "Provided"),
    ("declined", "Declined"),
]

ACTION_ORIGINS = [
    ("complaint", "Complaint"),
    ("recurring_problem", "Recurring problem"),
    ("audit_finding", "Audit finding"),
    ("management_review", "Management review"),
    ("objectivity_sample", "Objectivity sample"),
]
ACTION_TYPES = [
    ("correction", "Correction"),
    ("corrective", "Corrective action"),
    ("preventive", "Preventive action"),
    ("improvement", "Improvement"),
]
ACTION_STATES = [
    ("open", "Open"),
    ("implemented", "Implemented"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
EFFECTIVENESS_RESULTS = [
    ("effective", "Effective"),
    ("not_effective", "Not effective"),
]

BLOCK_REMEDIES_UNAPPROVED = "remedies_unapproved"
BLOCK_REMEDIES_OPEN = "remedies_open"
BLOCK_REMEDIES_UNANSWERED = "remedies_unanswered"


def remedy_transition_allowed(current, target):
    """Whether a remedy line may go from ``current`` to ``target``."""
    return target in REMEDY_TRANSITIONS.get(current, set())


def in_window(first, second, window_days):
    """Whether two dates are at most ``window_days`` apart (R-8.2)."""
    return abs((first - second).days) <= window_days


def boolean_search(operator, value):
    """Whether a search on a computed boolean field asks for the records
    where it is true (True) or false (False), or None when it is no boolean
    search. Odoo 18 passes ``('=', True)`` or ``('!=', False)``; Odoo 19
    normalises them to ``('in', [True])`` or ``('not in', [True])``."""
    if operator in ("=", "!=") and isinstance(value, bool):
        return (operator == "=") == value
    if (
        operator in ("in", "not in")
        and isinstance(value, (list, tuple))
        and len(set(value)) == 1
        and isinstance(value[0], bool)
    ):
        return (operator == "in") == value[0]
    return None


def execute_prepared(cr, query, *args):
    """Run ``query`` as a prepared statement of the database session: its
    plan is made once per connection instead of on every call (the
    recurrence check, run for each complaint created, takes longer to plan
    than to run). ``query`` is an ``SQL`` without parameters of its own; its
    arguments are ``$1``, ``$2``... given as ``args``; its plan must not
    depend on their values (the session keeps generic plans of its prepared
    statements: Odoo prepares none of its own). The statement is named after
    its text, so that a changed query (an upgrade) is prepared anew; the
    session is asked once per cursor whether it has it already (connections
    are pooled; a prepared statement survives a rollback)."""
    assert not query.params and "%" not in query.code, "arguments as $n only"
    name = "iso10002_" + hashlib.sha256(query.code.encode()).hexdigest()[:24]
    prepared = cr.cache.setdefault("iso10002_prepared", set())
    if name not in prepared:
        cr.execute(
            """SELECT set_config('plan_cache_mode', 'force_generic_plan', false),
                      EXISTS(SELECT FROM pg_prepared_statements WHERE name = %s)""",
            [name],
        )
        if not cr.fetchone()[1]:
            cr.execute(SQL("PREPARE %s AS %s", SQL.identifier(name), query))
        prepared.add(name)
    cr.execute(
        SQL(
            "EXECUTE %s(%s)",
            SQL.identifier(name),
            SQL(", ").join(SQL("%s", arg) for arg in args),
        )
    )
