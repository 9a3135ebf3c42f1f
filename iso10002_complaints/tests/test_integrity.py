"""Records an auditor can trust (R-8.1, R-5.2, R-6.2, R-7.7, R-7.9, R-8.5,
R-8.6, R-8.7): controlled fields change only through their actions, whatever
the door (write, create, import, any context), issued records are frozen, and
approvals are signed by someone other than the proposer."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase, communicate_decision

# every context key an RPC caller might try to pass the guard with
FORGED_CONTEXTS = (
    {},
    {"iso10002_policy_transition": True},
    {"install_mode": True, "tracking_disable": True},
    {"iso10002_system": True, "active_test": False},
)


@tagged("post_install", "-at_install")
class TestIntegrity(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.roles = {
            "agent": cls.agent,
            "manager": cls.manager,
            "top management": cls.top,
            "auditor": cls.auditor,
            "employee": cls.employee,
        }
        cls.complaint = cls.env["helpdesk.ticket"].create(cls._complaint_vals())
        cls.policy = cls.env["iso10002.policy"].create(
            {
                "content": "<p>We welcome complaints.</p>",
                "change_summary": "Adopted by the new board.",
            }
        )
        cls.objective = cls.env["iso10002.objective"].create(
            {
                "name": "Acknowledge in time",
                "kpi_code": "acknowledged_in_time_share",
                "target": 95,
                "date_from": today - timedelta(days=30),
                "date_to": today,
            }
        )
        cls.review = cls.env["iso10002.review"].create(
            {
                "name": "Review",
                "date_from": today - timedelta(days=30),
                "date_to": today,
                "participant_ids": [(6, 0, (cls.top | cls.manager).ids)],
                "conclusion": "<p>Suitable, adequate and effective.</p>",
            }
        )
        cls.audit = cls.env["iso10002.audit"].create(
            {
                "name": "Audit",
                "scope": "Everything",
                "date_from": today - timedelta(days=30),
                "date_to": today,
                "planned_date": today,
                "lead_auditor_id": cls.auditor.id,
            }
        )
        cls.action = cls.env["iso10002.action"].create(
            {"name": "Fix the kettles", "owner_id": cls.agent.id}
        )
        cls.remedy = cls.env["iso10002.complaint.remedy"].create(
            {
                "ticket_id": cls.complaint.id,
                "remedy_id": cls.env.ref("iso10002_complaints.remedy_50").id,
                "amount": 5000,
            }
        )
        cls.systemic = cls.env["iso10002.systemic.remedy"].create(
            {
                "name": "Free repair for everyone",
                "remedy_id": cls.env.ref("iso10002_complaints.remedy_50").id,
                "ticket_ids": [(6, 0, cls.complaint.ids)],
            }
        )
        cls.systemic.action_add_complainants()
        cls.sample = (
            cls.env["iso10002.objectivity.sample"]
            .sudo()
            .create(
                {
                    "date_from": today - timedelta(days=30),
                    "date_to": today,
                    "reviewer_id": cls.auditor.id,
                }
            )
        )
        cls.sample_review = (
            cls.env["iso10002.objectivity.review"]
            .sudo()
            .create({"sample_id": cls.sample.id, "ticket_id": cls.complaint.id})
        )
        # a value of the right type for each controlled field
        user, now = cls.top.id, fields.Datetime.now()
        cls.forged = {
            cls.complaint: {
                "complaint_reference": "FORGED-1",
                "number": "FORGED-1",
                "received_at": now - timedelta(days=3),
                "received_by_id": user,
                "acknowledged_at": now,
                "acknowledged_by_id": user,
                "acknowledgement_method": "phone",
                "assessed_by_id": user,
                "severity_changed_after_assessment": True,
                "decided_by_id": user,
                "decided_on": now,
                "communicated_on": now,
                "communicated_by_id": user,
                "complainant_response": "accepted",
                "complainant_response_on": now,
                "closed_without_response": True,
                "recurrence_detected": True,
                "pseudonymised_on": now,
                "iso10002_last_update_at": now,
                "iso10002_submission_token": "forged-token",
                "consent_date": now,
                "iso10002_typed_contact": {"phone": "+1 000"},
                "iso10002_safety_flag": "Forged triage",
                "interim_response_on": now,
                "consent_scope": "sharing",
                "consent_channel": "phone",
                "consent_recorded_by_id": user,
                "consent_evidence": "Forged consent",
                "reopened_on": now,
                "reopen_count": 3,
                "withdrawn_on": now,
            },
            cls.policy: {
                "state": "approved",
                "version": 7,
                "approved_by_id": user,
                "approved_on": today,
                "superseded_on": today,
            },
            cls.objective: {"approved_by_id": user, "approved_on": today},
            cls.review: {
                "state": "approved",
                "approved_by_id": user,
                "approved_on": today,
                "survey_count": 99,
                "survey_average": 5.0,
                "survey_fair_answered": True,
                "actions_open": 0,
                "trend_html": "<p>forged trend</p>",
                "pareto_html": "<p>forged categories</p>",
                "u_chart_html": "<p>forged rates</p>",
            },
            cls.audit: {"state": "reported", "policy_id": cls.policy.id},
            cls.action: {
                "state": "closed",
                "reference": "FORGED",
                "closed_on": today,
                "implemented_on": today,
                "effectiveness_verified_by_id": user,
                "effectiveness_verified_on": today,
            },
            cls.systemic: {"state": "done"},
            cls.audit.finding_ids[:1]: {
                "action_id": cls.action.id,
                "records_summary": "forged: every objective met",
            },
            cls.env["iso10002.review.decision"].create(
                {
                    "review_id": cls.review.copy({"name": "Other review"}).id,
                    "kind": "process",
                    "description": "Call back",
                    "owner_id": cls.manager.id,
                    "due_date": today,
                }
            ): {"action_id": cls.action.id},
            cls.systemic.line_ids: {"state": "done", "date_done": today},
            cls.sample: {
                "state": "reviewed",
                "seed": "forged",
                "population_count": 1,
                "excluded_count": 0,
                "drawn_on": now,
                "reviewed_on": now,
            },
            cls.sample_review: {
                "sample_id": cls.sample.copy().id,
                "ticket_id": cls.env["helpdesk.ticket"]
                .create(cls._complaint_vals(name="Another kettle"))
                .id,
                "action_id": cls.action.id,
            },
            cls.remedy: {
                "state": "implemented",
                "approved_by_id": user,
                "approved_on": now,
                "accepted_on": now,
                "implemented_on": now,
                "implemented_by_id": user,
            },
        }

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record[name] for name in names}

    def test_controlled_fields_refused_through_every_door(self):
        """Every role x every controlled model x every controlled field x
        write, create and import, with any context: refused, nothing moves."""
        for record, values in self.forged.items():
            self.assertEqual(
                set(values),
                set(record._iso10002_controlled_fields)
                - {"sla_policy_id", "previous_review_id", "kpi_line_ids", "audit_ids"}
                - {"actions_overdue", "actions_closed", "survey_fair_share"}
                - {"systemic_remedy_id"},
                f"{record._name}: the matrix must try every controlled field",
            )
            before = self._snapshot(record, values)
            for role, user in self.roles.items():
                for context in FORGED_CONTEXTS:
                    as_user = record.with_user(user).with_context(**context)
                    for name, value in values.items():
                        with (
                            self.subTest(model=record._name, role=role, field=name),
                            self.assertRaises(UserError),  # AccessError is one
                        ):
                            as_user.write({name: value})
            self.assertEqual(self._snapshot(record, values), before)

    def test_matrix_covers_every_controlled_model(self):
        """A model that declares controlled fields is tried by the matrix."""
        controlled = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract
            and not model._transient
            and getattr(model, "_iso10002_controlled_fields", None)
        }
        tried = {record._name for record in self.forged}
        self.assertEqual(controlled - tried, set())

    def test_controlled_fields_refused_at_create_and_import(self):
        """A new record cannot be born approved, closed or referenced."""
        cases = {
            "iso10002.policy": (
                {"content": "<p>x</p>"},
                {"state": "approved", "approved_by_id": self.top.id},
            ),
            "iso10002.action": ({"name": "x"}, {"state": "closed"}),
            "iso10002.objective": (
                {
                    "name": "x",
                    "kpi_code": "received",
                    "target": 1,
                    "date_from": fields.Date.today(),
                    "date_to": fields.Date.today(),
                },
                {"approved_by_id": self.top.id},
            ),
            "helpdesk.ticket": (
                self._complaint_vals(),
                {"complaint_reference": "FORGED-2", "decided_by_id": self.top.id},
            ),
        }
        for model, (base, forged) in cases.items():
            Model = self.env[model].with_user(self.manager)
            count = Model.sudo().search_count([])
            for name, value in forged.items():
                with (
                    self.subTest(model=model, field=name),
                    self.assertRaises(AccessError),
                ):
                    Model.create(dict(base, **{name: value}))
                # an import (load) goes through the same create: nothing lands
                plain = {k: v for k, v in base.items() if not k.endswith("_id")}
                columns = [*plain, name]
                row = [str(plain[k]) for k in plain] + [str(value)]
                if name.endswith("_id"):
                    columns[-1] = f"{name}/.id"
                result = Model.load(columns, [row])
                self.assertFalse(result["ids"], f"{model}.{name} imported")
                if model != "helpdesk.ticket":  # its import needs its team
                    self.assertIn("own actions", result["messages"][0]["message"])
            self.assertEqual(Model.sudo().search_count([]), count)
        # the defaults are not forged values: a plain new record is fine
        self.env["iso10002.action"].with_user(self.manager).create(
            {"name": "allowed", "state": "open"}
        )

    def test_received_at_may_be_earlier_never_future(self):
        """R-7.2: a letter received yesterday is recorded as such; a receipt in
        the future or a receipt moved later is refused."""
        yesterday = fields.Datetime.now() - timedelta(days=1)
        letter = self._new_complaint(user=self.agent, received_at=yesterday)
        self.assertEqual(letter.received_at, yesterday)
        self.assertEqual(letter.received_by_id, self.agent)
        with self.assertRaises(UserError):
            self._new_complaint(
                user=self.agent,
                received_at=fields.Datetime.now() + timedelta(days=1),
            )
        with self.assertRaises(AccessError):
            letter.with_user(self.manager).write({"received_at": yesterday})

    def test_actions_sign_with_the_acting_user(self):
        """The action path succeeds and records who, when (signature)."""
        complaint = self._new_complaint(user=self.agent).with_user(self.agent)
        complaint.action_iso10002_log_acknowledgement()
        self.assertEqual(complaint.acknowledged_by_id, self.agent)
        self.policy.with_user(self.top).action_approve()
        self.assertEqual(
            (self.policy.state, self.policy.approved_by_id), ("approved", self.top)
        )
        self.objective.with_user(self.top).action_approve()
        self.assertEqual(self.objective.approved_by_id, self.top)
        with self.assertRaises(UserError):
            self.objective.with_user(self.manager).action_approve()

    def test_issued_records_are_frozen(self):
        """An approved policy or objective, a reported audit, a closed action
        and an approved review keep their content, even for their approver."""
        self.policy.with_user(self.top).action_approve()
        with self.assertRaises(UserError):
            self.policy.with_user(self.top).write({"content": "<p>changed</p>"})
        with self.assertRaises(UserError):
            self.policy.with_user(self.top).update_field_translations(
                "content", {"fr_FR": "<p>changé</p>"}
            )
        self.objective.with_user(self.top).action_approve()
        with self.assertRaises(UserError):
            self.objective.with_user(self.manager).write({"target": 10})
        self.assertEqual(self.objective.target, 95)

        audit = self.audit.with_user(self.auditor)
        audit.action_start()
        findings = audit.finding_ids
        with self.assertRaisesMessage(UserError, "rests on evidence"):
            findings.write({"result": "conforming"})
        findings.write({"result": "conforming", "evidence": "Sampled ten complaints."})
        audit.action_report()
        with self.assertRaises(UserError):
            findings[0].write({"result": "major"})
        with self.assertRaises(UserError):
            findings[0].unlink()
        with self.assertRaises(UserError):
            audit.write({"conclusion": "<p>rewritten</p>"})
        self.assertEqual(findings[0].result, "conforming")

    def test_action_verified_by_someone_else(self):
        """R-8.7: the owner cannot verify his own action; closing signs it."""
        action = self.action.with_user(self.agent)
        action.action_implemented()
        action.write({"effectiveness_result": "effective", "effectiveness_notes": "ok"})
        with self.assertRaises(UserError):
            action.action_close()  # an agent, and the owner
        owner_manager = self.env["iso10002.action"].create(
            {"name": "mine", "owner_id": self.manager.id}
        )
        owner_manager.with_user(self.manager).action_implemented()
        owner_manager.write(
            {"effectiveness_result": "effective", "effectiveness_notes": "ok"}
        )
        with self.assertRaisesMessage(UserError, "another complaints manager"):
            owner_manager.with_user(self.manager).action_close()
        self.action.with_user(self.manager).action_close()
        self.assertEqual(self.action.state, "closed")
        self.assertEqual(self.action.effectiveness_verified_by_id, self.manager)
        with self.assertRaises(UserError):
            self.action.with_user(self.manager).write({"description": "rewritten"})

    def test_remedy_approved_by_another_manager(self):
        """R-7.7: the manager who proposed a remedy does not approve it."""
        proposed = self.env["iso10002.complaint.remedy"].with_user(self.manager)
        own = proposed.create(
            {
                "ticket_id": self.complaint.id,
                "remedy_id": self.env.ref("iso10002_complaints.remedy_50").id,
                "amount": 4000,
            }
        )
        self.assertTrue(own.needs_approval)
        with self.assertRaisesMessage(UserError, "segregation of duties"):
            own.action_approve()
        own.with_user(self.top).action_approve()
        self.assertEqual(own.approved_by_id, self.top)

    def test_review_needs_top_management_and_a_decision(self):
        """R-8.6: held with top management present, approved by a member of
        top management who took part, with at least one decision; then frozen."""
        review = self.review.with_user(self.manager)
        review.participant_ids = self.manager
        review.action_assemble_inputs()
        with self.assertRaisesMessage(UserError, "top management"):
            review.action_hold()
        review.participant_ids = self.manager | self.top
        review.action_hold()
        with self.assertRaisesMessage(UserError, "decisions"):
            review.with_user(self.top).action_approve()
        self.env["iso10002.review.decision"].create(
            {"review_id": review.id, "kind": "no_change", "description": "Suitable"}
        )
        with self.assertRaises(AccessError):
            review.kpi_line_ids[:1].write({"value": 100})
        review.with_user(self.top).action_approve()
        self.assertEqual(review.approved_by_id, self.top)
        self.assertFalse(review.decision_ids.action_id, "no action for no change")
        with self.assertRaises(UserError):
            review.write({"recommendations": "<p>rewritten</p>"})
        with self.assertRaises(UserError):
            self.env["iso10002.review.decision"].create(
                {"review_id": review.id, "kind": "no_change", "description": "late"}
            )

    def test_complaint_actions_still_work_for_agents(self):
        """The controlled path: an agent takes a complaint to its decision."""
        complaint = self._new_complaint(user=self.agent)
        communicate_decision(complaint.with_user(self.agent), self.agent2, "Refund")
        self.assertEqual(complaint.decided_by_id, self.agent)
        self.assertEqual(complaint.communicated_by_id, self.agent)

    def test_references_are_gap_free(self):
        """R-7.2: a create refused after its reference was drawn gives the
        number back; the register check finds a gap when one exists."""
        gaps_before = set(self.company._iso10002_reference_gaps())
        first = self._new_complaint(user=self.agent)
        with self.assertRaisesMessage(UserError, "cannot investigate"):
            self._new_complaint(
                user=self.agent,
                concerned_user_ids=[(6, 0, self.agent2.ids)],
                investigator_id=self.agent2.id,
            )
        second = self._new_complaint(user=self.agent)
        prefix, number = first.complaint_reference.rsplit("/", 1)
        self.assertEqual(
            second.complaint_reference, f"{prefix}/{int(number) + 1:0{len(number)}d}"
        )
        self.assertNotIn(
            second.complaint_reference, self.company._iso10002_reference_gaps()
        )
        # a number lost on purpose (the superuser rewrites one) is reported
        lost = second.complaint_reference
        second.sudo().complaint_reference = (
            f"{prefix}/{int(number) + 2:0{len(number)}d}"
        )
        self.assertEqual(
            set(self.company._iso10002_reference_gaps()) - gaps_before, {lost}
        )
        check = self.company.with_user(self.manager).action_iso10002_check_register()
        self.assertEqual(check["params"]["type"], "warning")

    def test_complaint_chatter_cannot_be_edited_or_deleted(self):
        """R-8.1: a note stays as written, through the chatter's edit and
        delete and through the ORM; plain tickets keep Odoo's behaviour."""
        complaint = self._new_complaint(user=self.agent).with_user(self.agent)
        note = complaint.message_post(body="Called: no answer.", message_type="comment")
        admin = self.env.ref("base.user_admin")
        for user in (self.agent, self.manager, admin):
            with self.subTest(user=user.login):
                with self.assertRaisesMessage(UserError, "kept as they were written"):
                    complaint.with_user(user)._message_update_content(note, body="")
                with self.assertRaisesMessage(UserError, "kept as they were written"):
                    note.with_user(user).write({"body": "Called: all fine."})
                with self.assertRaisesMessage(UserError, "kept as they were written"):
                    note.with_user(user).unlink()
        self.assertIn("no answer", note.body)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Printer", "description": "x", "team_id": self.plain_team.id}
        )
        plain_note = plain.with_user(self.agent).message_post(
            body="typo", message_type="comment"
        )
        plain.with_user(self.agent)._message_update_content(plain_note, body="fixed")
        self.assertIn("fixed", plain_note.body)

    def test_controlled_fields_leave_a_history(self):
        """R-8.1: each controlled change is in the record's history: which
        field, old and new value, who and when."""
        complaint = self._new_complaint(user=self.agent).with_user(self.agent)
        # as in a later request: Odoo does not track records created in the
        # same transaction
        self.flush_tracking()
        complaint.action_iso10002_log_acknowledgement()
        self.objective.with_user(self.top).action_approve()
        self.flush_tracking()
        for record, field, author, new in (
            (complaint, "acknowledged_by_id", self.agent, self.agent.name),
            (self.objective, "approved_by_id", self.top, self.top.name),
        ):
            values = record.sudo().message_ids.tracking_value_ids.filtered(
                lambda v, field=field: v.field_id.name == field
            )
            with self.subTest(model=record._name, field=field):
                self.assertEqual(len(values), 1)
                self.assertEqual(values.mail_message_id.author_id, author.partner_id)
                self.assertTrue(values.mail_message_id.date)
                self.assertEqual(values.new_value_char, new)

    def test_approvals_are_signed(self):
        """R-8.1: each approval and verification leaves a signature: who,
        when, in which role and what it means; nobody edits one; the review
        and audit PDFs print them."""
        self.policy.with_user(self.top).action_approve()
        self.objective.with_user(self.top).action_approve()
        self.action.with_user(self.agent).action_implemented()
        self.action.write(
            {"effectiveness_result": "effective", "effectiveness_notes": "ok"}
        )
        self.action.with_user(self.manager).action_close()
        self.remedy.with_user(self.manager).action_approve()
        for record, user, role, meaning in (
            (self.policy, self.top, "Top management", "Approved the complaints"),
            (self.objective, self.top, "Top management", "Approved the objective"),
            (self.action, self.manager, "Complaints manager", "Verified effective"),
            (self.remedy, self.manager, "Complaints manager", "above the approval"),
        ):
            signature = record.with_user(self.auditor).iso10002_signature_ids
            with self.subTest(model=record._name):
                self.assertEqual(len(signature), 1)
                self.assertEqual(signature.user_id, user)
                self.assertEqual(signature.role, role)
                self.assertIn(meaning, signature.meaning)
                self.assertTrue(signature.signed_on)
        signature = self.policy.iso10002_signature_ids
        for user in (self.top, self.auditor):
            with self.assertRaises(AccessError):
                signature.with_user(user).write({"meaning": "forged"})
            with self.assertRaises(AccessError):
                signature.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["iso10002.signature"].with_user(user).create(
                    {
                        "res_model": "iso10002.policy",
                        "res_id": self.policy.id,
                        "company_id": self.company.id,
                        "user_id": self.top.id,
                        "role": "Top management",
                        "meaning": "forged",
                        "signed_on": fields.Datetime.now(),
                    }
                )
        review = self.review.with_user(self.manager)
        review.action_assemble_inputs()
        review.action_hold()
        self.env["iso10002.review.decision"].create(
            {"review_id": review.id, "kind": "no_change", "description": "Suitable"}
        )
        review.with_user(self.top).action_approve()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "iso10002_complaints.action_report_iso10002_review", review.ids
            )[0]
            .decode()
        )
        self.assertIn("Approved the management review", html)
        self.assertIn(self.top.name, html)
