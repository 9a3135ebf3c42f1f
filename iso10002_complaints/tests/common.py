from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user

AGENT = "iso10002_complaints.group_iso10002_agent"
MANAGER = "iso10002_complaints.group_iso10002_manager"
TOP = "iso10002_complaints.group_iso10002_top_management"
AUDITOR = "iso10002_complaints.group_iso10002_auditor"


def make_calendar(env, name, periods, days=range(5)):
    """A UTC working calendar: ``periods`` of (start hour, stop hour, period)
    on each of ``days`` (0 is Monday)."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "UTC",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"{day} {period}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": stop,
                        "day_period": period,
                    },
                )
                for day in days
                for start, stop, period in periods
            ],
        }
    )


def company_user(env, login, company, groups, name):
    """A user who works in ``company`` only."""
    return new_test_user(
        env,
        login,
        groups=groups,
        company_id=company.id,
        company_ids=[(6, 0, company.ids)],
        name=name,
    )


def create_outsiders(cls, prefix, other_team=True):
    """The internal users the confidentiality tests probe with, set on
    ``cls``: an agent of another complaints team, a plain helpdesk user, a
    staff member to be named in a complaint, a follower, and a complaints
    manager of another company. ``prefix`` keeps the logins apart."""
    env = cls.env
    cls.other_team_agent = new_test_user(
        env, f"{prefix}_other_agent", groups=AGENT, name="Olga Other"
    )
    if other_team:
        cls.create_other_team()
    cls.helpdesk_user = new_test_user(
        env,
        f"{prefix}_hd_user",
        groups="helpdesk_mgmt.group_helpdesk_user",
        name="Hal Helpdesk",
    )
    cls.named_staff = new_test_user(
        env, f"{prefix}_named", groups="base.group_user", name="Nina Named"
    )
    cls.follower = new_test_user(
        env, f"{prefix}_follower", groups="base.group_user", name="Fay Follower"
    )
    elsewhere = env["res.company"].create({"name": "Elsewhere Ltd"})
    cls.foreign_manager = new_test_user(
        env,
        f"{prefix}_foreign",
        groups=MANAGER,
        company_id=elsewhere.id,
        company_ids=[(6, 0, elsewhere.ids)],
        name="Fred Foreign",
    )


def web_complaints_team(env, agent):
    """The team that takes web complaints (first in order, ``agent`` in it)
    and an approved policy: what the public page and the form need."""
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Web Complaints",
            "is_iso10002": True,
            "sequence": 0,
            "user_ids": [(6, 0, agent.ids)],
        }
    )
    env["iso10002.policy"].create(
        {
            "content": "<p>We answer every complaint fairly.</p>",
            "change_summary": "Written for the test.",
        }
    ).action_approve()
    return team


def refund_line(env, amount):
    """A remedy line of the decision: a refund (Annex D 39) of ``amount``."""
    return (
        0,
        0,
        {"remedy_id": env.ref("iso10002_complaints.remedy_39").id, "amount": amount},
    )


def communicate_decision(complaint, investigator, decision, remedies=()):
    """Drive a phone complaint from receipt to 'decision communicated'."""
    complaint.action_iso10002_log_acknowledgement()
    complaint.write(
        {
            "severity": "low",
            "complexity": "simple",
            "impact": "minor",
            "assessment_outcome": "valid",
            # classified when assessed (Annex D)
            "complaint_category_id": complaint.complaint_category_id.id
            or complaint.env.ref("iso10002_complaints.complaint_category_05").id,
        }
    )
    complaint.action_iso10002_assess()
    complaint.investigator_id = investigator
    complaint.action_iso10002_start_investigation()
    complaint.write(
        {
            "findings": "Loose part.",
            "root_cause": "Assembly.",
            "decision": decision,
            "decision_items_addressed": True,
            "decision_confirmed": True,
            "remedy_ids": [(0, 0, {"remedy_id": remedy.id}) for remedy in remedies],
        }
    )
    complaint.action_iso10002_record_decision()
    complaint.action_iso10002_communicate_decision()
    return complaint


class ComplaintCase(TransactionCase):
    """One user per role, a complaints team and a plain helpdesk team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.write(
            {
                "email": "care@example.com",
                "phone": "+1 555 0100",
                "iso10002_response_days": 10,
                "iso10002_response_wait_days": 14,
            }
        )
        cls.agent = new_test_user(cls.env, "iso_agent", groups=AGENT, name="Ada Agent")
        cls.agent2 = new_test_user(cls.env, "iso_agent2", groups=AGENT, name="Bo Agent")
        cls.manager = new_test_user(
            cls.env, "iso_manager", groups=MANAGER, name="Mia Manager"
        )
        cls.top = new_test_user(cls.env, "iso_top", groups=TOP, name="Tom Director")
        cls.auditor = new_test_user(
            cls.env, "iso_auditor", groups=AUDITOR, name="Aude Auditor"
        )
        cls.employee = new_test_user(
            cls.env, "iso_employee", groups="base.group_user", name="Eve Employee"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Complaints Desk",
                "is_iso10002": True,
                "user_ids": [(6, 0, (cls.agent | cls.agent2 | cls.manager).ids)],
                "user_id": cls.manager.id,
                "alias_name": "complaints-test",
            }
        )
        cls.plain_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Plain Support", "user_ids": [(6, 0, cls.agent.ids)]}
        )
        cls.channel_email = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cls.channel_web = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        cls.channel_phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.channel_letter = cls.env.ref(
            "iso10002_complaints.helpdesk_ticket_channel_letter"
        )
        cls.channel_visit = cls.env.ref(
            "iso10002_complaints.helpdesk_ticket_channel_visit"
        )
        cls.complainant = cls.env["res.partner"].create(
            {"name": "Chloe Complainant", "email": "chloe@example.org", "lang": "en_US"}
        )
        cls.category = cls.env.ref("iso10002_complaints.complaint_category_05")
        cls.stage = {
            step: cls.env.ref(f"iso10002_complaints.helpdesk_ticket_stage_iso_{step}")
            for step in (
                "received",
                "acknowledged",
                "assessed",
                "investigating",
                "responded",
                "communicated",
                "review",
                "closed",
            )
        }

    @classmethod
    def create_other_team(cls):
        """A second complaints team, of the other team's agent."""
        return cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Other complaints",
                "is_iso10002": True,
                "user_ids": [(6, 0, cls.other_team_agent.ids)],
            }
        )

    @contextmanager
    def assertRaisesMessage(self, exception, regex):
        """assertRaises (which rolls back to a savepoint) plus a message check."""
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), regex)

    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _complaint_vals(cls, **overrides):
        vals = {
            "name": "Kettle stopped working after a week",
            "description": "<p>The kettle I bought on 3 March no longer heats.</p>",
            "team_id": cls.team.id,
            "partner_id": cls.complainant.id,
            "channel_id": cls.channel_phone.id,
            "complaint_category_id": cls.category.id,
        }
        vals.update(overrides)
        return vals

    def _new_complaint(self, user=None, **overrides):
        Ticket = self.env["helpdesk.ticket"]
        if user:
            Ticket = Ticket.with_user(user)
        return Ticket.create(self._complaint_vals(**overrides))

    def _assess(self, complaint, outcome="valid", **extra):
        vals = {
            "severity": "medium",
            "complexity": "simple",
            "impact": "minor",
            "assessment_outcome": outcome,
        }
        vals.update(extra)
        complaint.write(vals)
        complaint.action_iso10002_assess()

    def _to_decision_communicated(self, complaint, user=None):
        """Drive a phone complaint through the valid path up to 'communicated'."""
        if user:
            complaint = complaint.with_user(user)
        if not complaint.acknowledged_at:
            complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        complaint.investigator_id = self.agent2
        complaint.action_iso10002_start_investigation()
        complaint.write(
            {
                "findings": "Thermostat failed; batch 42 affected.",
                "root_cause": "Supplier changed the thermostat part.",
                "decision": "Replace the kettle and refund delivery costs.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
            }
        )
        complaint.action_iso10002_record_decision()
        complaint.communication_channel = "phone"
        complaint.action_iso10002_communicate_decision()
        return complaint

    def _answer(self, complaint, response, **values):
        wizard = (
            self.env["iso10002.complainant.response.wizard"]
            .with_user(complaint.env.user)
            .create(dict(ticket_id=complaint.id, response=response, **values))
        )
        wizard.action_confirm()
