"""Demo complaints, driven through the real lifecycle.

The scenarios are data (``demo/iso10002_complaint_scenarios.json``): each names
its complainant, channel, category and the step it stops at. The loader calls
the same actions a user would (acknowledge, assess, investigate, decide,
communicate, record the answer, close), posts the conversation in the chatter,
then spreads the timestamps over the past weeks so that history and durations
look real. Training, objectives, the audit and the review are XML records
(``demo/iso10002_monitoring_demo.xml``); here they are approved, audited and
held by the demo users.
"""

import json
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL, file_open

from . import iso10002_data as iso

SCENARIOS_FILE = "iso10002_complaints/demo/iso10002_complaint_scenarios.json"

# hours after receipt at which each event of a demo complaint happened
EVENT_HOURS = {
    iso.STEP_RECEIVED: 0,
    iso.STEP_ACKNOWLEDGED: 2,
    iso.STEP_ASSESSED: 20,
    iso.STEP_INVESTIGATING: 26,
    iso.STEP_RESPONDED: 96,
    iso.STEP_COMMUNICATED: 100,
    iso.STEP_REVIEW: 150,
    iso.STEP_CLOSED: 170,
}

ACTIONS_UP_TO = [
    iso.STEP_ACKNOWLEDGED,
    iso.STEP_ASSESSED,
    iso.STEP_INVESTIGATING,
    iso.STEP_RESPONDED,
    iso.STEP_COMMUNICATED,
    iso.STEP_REVIEW,
    iso.STEP_CLOSED,
]


# the demo company's external recourse text (res_users_demo.xml), translated
DEMO_RECOURSE = {
    "zh_CN": "<p>如果您对我们的答复不满意，可以向<strong>国家消费者申诉专员</strong>"
    "（免费，ombudsman.example.org）求助，或诉诸法院。</p>",
    "zh_TW": "<p>如果您對我們的答覆不滿意，可以向<strong>國家消費者申訴專員</strong>"
    "（免費，ombudsman.example.org）求助，或訴諸法院。</p>",
    "vi": "<p>Nếu câu trả lời của chúng tôi chưa làm bạn hài lòng, bạn có thể "
    "liên hệ <strong>Thanh tra Người tiêu dùng Quốc gia</strong> (miễn phí, "
    "ombudsman.example.org) hoặc khởi kiện ra tòa án.</p>",
}


class Iso10002Demo(models.AbstractModel):
    _name = "iso10002.demo"
    _description = "ISO 10002 Demo Data Loader"

    @api.model
    def _load_demo_complaints(self):
        team = self.env.ref("iso10002_complaints.helpdesk_team_complaints")
        agent = self.env.ref("iso10002_complaints.user_demo_agent")
        manager = self.env.ref("iso10002_complaints.user_demo_manager")
        users = {"agent": agent, "manager": manager}
        now = fields.Datetime.now()
        with file_open(SCENARIOS_FILE) as scenarios:
            for scenario in json.load(scenarios):
                self._load_scenario(scenario, team, users, now)
        self._load_improvements(users)
        self._load_monitoring(users, now)
        self._load_small_organisation()
        self._load_translations()
        # a demo database has no mail server: keep the e-mails, do not send them
        self.env["mail.mail"].search([("state", "=", "outgoing")]).write(
            {"state": "cancel"}
        )

    def _load_translations(self):
        """The demo company's recourse text is a value of base's company
        record: its translations are not in this addon's catalogues. They are
        stored whether or not the languages are installed yet, as Odoo keeps
        every translation of a field (update_field_translations refuses
        languages not installed)."""
        company = self.env.ref("base.main_company")
        company.flush_recordset(["iso10002_external_recourse"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET iso10002_external_recourse = "
                "iso10002_external_recourse || %s::jsonb WHERE id = %s",
                json.dumps(DEMO_RECOURSE),
                company.id,
            )
        )
        company.invalidate_recordset(["iso10002_external_recourse"])

    @api.model
    def _approve_demo_policy(self):
        """Policy version 1, approved by the demo director (top management)."""
        director = self.env.ref("iso10002_complaints.user_demo_director")
        self.env.ref("iso10002_complaints.policy_demo_v1").with_user(
            director
        ).action_approve()

    def _ref(self, xmlid):
        return self.env.ref(xmlid, raise_if_not_found=False)

    def _load_scenario(self, spec, team, users, now):
        received = now - timedelta(days=spec["days_ago"], hours=3)
        partner = self._ref(spec["partner"])
        product = self._ref(spec.get("product", "")) if spec.get("product") else None
        category = self.env["iso10002.complaint.category"].search(
            [("code", "=", str(spec["category"]))], limit=1
        )
        agent = users["agent"]
        vals = {
            "name": spec["name"],
            "description": f"<p>{spec['description']}</p>",
            "team_id": team.id,
            "user_id": agent.id,
            "partner_id": partner.id,
            "channel_id": self._ref(spec["channel"]).id,
            "complaint_category_id": category.id,
            "subject": spec.get("subject", "product"),
            "product_id": product.id if product else False,
            "problem_date": (received - timedelta(days=2)).date(),
            "remedy_requested": bool(spec.get("remedy")),
            "remedy_requested_text": spec.get("remedy"),
            "immediate_action": spec.get("immediate_action"),
            "concerned_department": spec.get("department"),
            "representative_id": self._ref(spec["representative"]).id
            if spec.get("representative")
            else False,
            "concerned_user_ids": [
                (6, 0, [self._ref(xmlid).id for xmlid in spec.get("concerned", [])])
            ],
        }
        complaint = self.env["helpdesk.ticket"].with_user(agent).create(vals)
        # consent to use the complainant's data for the handling, recorded at
        # intake on the channel it came by (4.7)
        self.env["iso10002.consent.wizard"].with_user(agent).with_context(
            default_ticket_id=complaint.id
        ).create(
            {
                "evidence": "Agreed at intake that the details given may be used to "
                "handle this complaint."
            }
        ).action_confirm()
        complaint = complaint.sudo()
        seen = set()
        events = {iso.STEP_RECEIVED: self._new_messages(complaint, seen)}
        for step in ACTIONS_UP_TO:
            if iso.step_index(step) > iso.step_index(spec["step"]):
                break
            if not self._do_step(complaint, step, spec, users):
                continue
            events[step] = self._new_messages(complaint, seen)
        for note in spec.get("notes", []):
            complaint.with_user(users[note["author"]]).message_post(
                body=note["body"], subtype_xmlid="mail.mt_note"
            )
        for body in spec.get("customer", []):
            complaint.message_post(
                body=body,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self._spread_timestamps(complaint, received, events, now)
        return complaint

    def _do_step(self, complaint, step, spec, users):
        """Perform ``step`` like a user would; False when it does not apply."""
        outcome = spec.get("outcome", iso.OUTCOME_VALID)
        if step == iso.STEP_ACKNOWLEDGED:
            if complaint.acknowledged_at:
                return True
            complaint.action_iso10002_log_acknowledgement()
        elif step == iso.STEP_ASSESSED:
            complaint.write(
                {
                    "severity": spec["severity"],
                    "complexity": spec["complexity"],
                    "impact": spec["impact"],
                    "assessment_outcome": outcome,
                    "unfounded_explanation": spec.get("unfounded"),
                    "reclassification_reason": spec.get("reclassification"),
                    "immediate_action_needed": spec["severity"] == "health_safety",
                    "immediate_action_possible": True,
                    "compensation_possible": bool(spec.get("remedy")),
                }
            )
            complaint.with_user(users["agent"]).action_iso10002_assess()
            if outcome == iso.OUTCOME_NOT_COMPLAINT:
                return True
        elif outcome == iso.OUTCOME_NOT_COMPLAINT:
            return False
        elif step == iso.STEP_INVESTIGATING:
            if outcome != iso.OUTCOME_VALID:
                return False
            complaint.investigator_id = users["manager"]
            complaint.action_iso10002_start_investigation()
        elif step == iso.STEP_RESPONDED:
            self._add_remedies(complaint, spec, users)
            complaint.write(
                {
                    "findings": spec.get("findings"),
                    "root_cause": spec.get("root_cause"),
                    "decision": spec.get("decision"),
                    "decision_items_addressed": True,
                    "decision_confirmed": True,
                    "decider_authority": "Complaints manager",
                }
            )
            complaint.with_user(users["manager"]).action_iso10002_record_decision()
        elif step == iso.STEP_COMMUNICATED:
            complaint.with_user(users["agent"]).action_iso10002_communicate_decision()
        elif step == iso.STEP_REVIEW:
            if spec.get("answer") != iso.RESPONSE_REJECTED:
                return False
            self._answer(complaint, spec)
        elif step == iso.STEP_CLOSED:
            if spec.get("answer") == iso.RESPONSE_ACCEPTED:
                self._answer(complaint, spec)
                complaint.remedy_ids.filtered(
                    lambda r: r.state == iso.REMEDY_ACCEPTED
                ).action_implement()
            elif spec.get("answer") is None:
                # closed after the waiting period without an answer
                complaint.communicated_on = fields.Datetime.now() - timedelta(
                    days=complaint.company_id.iso10002_response_wait_days + 1
                )
                # the offer lapsed with the waiting period
                complaint.remedy_ids.filtered(
                    lambda r: r.state == iso.REMEDY_PROPOSED
                ).action_cancel()
            complaint.action_iso10002_close()
        return True

    def _add_remedies(self, complaint, spec, users):
        lines = []
        for remedy in spec.get("remedies", []):
            lines.append(
                {
                    "ticket_id": complaint.id,
                    "remedy_id": self._ref(remedy["remedy"]).id,
                    "amount": remedy["amount"],
                    "description": remedy["description"],
                    "responsible_id": users["agent"].id,
                }
            )
        remedies = self.env["iso10002.complaint.remedy"].create(lines)
        to_approve = remedies.filtered("needs_approval")
        if to_approve:
            to_approve.with_user(users["manager"])._do_approve()

    def _load_improvements(self, users):
        """A recurring problem (office chairs) with its corrective action."""
        chairs = self.env["helpdesk.ticket"].search(
            [
                (
                    "team_id",
                    "=",
                    self.env.ref("iso10002_complaints.helpdesk_team_complaints").id,
                ),
                ("product_id", "=", self._ref("product.product_product_12").id),
            ]
        )
        if len(chairs) < 2:
            return
        result = chairs[0].with_user(users["manager"]).action_iso10002_group_problem()
        problem = self.env["iso10002.problem"].browse(result["res_id"])
        problem.description = (
            "Office chairs of batch 2026-07: cracked bases, wrong colours."
        )
        action = problem.with_user(users["manager"]).action_create_corrective_action()
        self.env["iso10002.action"].browse(action["res_id"]).write(
            {
                "owner_id": users["manager"].id,
                "due_date": fields.Date.today() + timedelta(days=14),
                "root_cause": "Supplier changed the base casting without notice.",
            }
        )

    def _load_monitoring(self, users, now):
        """The demo objectives approved by the director, the audit carried
        out by the auditor, the review held and approved (6.2, 8.5, 8.6)."""
        today = now.date()
        director = self.env.ref("iso10002_complaints.user_demo_director")
        auditor = self.env.ref("iso10002_complaints.user_demo_auditor")
        objectives = self.env["iso10002.objective"].browse(
            self.env.ref(f"iso10002_complaints.objective_demo_{name}").id
            for name in ("acknowledged", "resolved", "satisfaction")
        )
        objectives.with_user(director).action_approve()
        # the agent's training evaluated by the complaints manager (G.3.2)
        self.env.ref("iso10002_complaints.training_demo_agent").with_user(
            self.env.ref("iso10002_complaints.user_demo_manager")
        ).write(
            {
                "effectiveness": "effective",
                "effectiveness_notes": "Five complaints handled after the course "
                "reviewed: every step recorded on time.",
            }
        )
        self._load_objectivity_sample(auditor, today)
        self._load_audit(auditor)
        review = self.env.ref("iso10002_complaints.review_demo")
        review.action_assemble_inputs()
        review.action_hold()
        review.decision_ids = [
            Command.create(
                {
                    "kind": "resources",
                    "description": "Train every complaint agent before year end",
                    "owner_id": users["manager"].id,
                    "due_date": today + timedelta(days=40),
                }
            ),
            Command.create(
                {
                    "kind": "product",
                    "description": "Ask the chair supplier for a stronger base",
                    "owner_id": users["manager"].id,
                    "due_date": today + timedelta(days=30),
                }
            ),
        ]
        review.with_user(director).action_approve()

    def _load_objectivity_sample(self, auditor, today):
        """C.5: the plan's sample of the last two months, reviewed by the
        auditor: one concern (with its corrective action), the rest objective."""
        plan = self.env.ref("iso10002_complaints.sampling_plan_demo")
        sample = plan._draw(today - timedelta(days=60), today).with_user(auditor)
        principles = {
            "impartial": True,
            "issue_focused": True,
            "confidential": True,
            "equitable": True,
        }
        for index, review in enumerate(sample.review_ids):
            if index == 0:
                review.write(
                    dict(
                        principles,
                        equitable=False,
                        verdict="concerns",
                        finding="The remedy was smaller than for two similar "
                        "complaints of the same month.",
                    )
                )
                review.action_create_action()
            else:
                review.write(dict(principles, verdict="objective"))
        sample.conclusion = (
            "Handling was impartial and confidential; remedies for similar "
            "complaints should be aligned."
        )
        sample.action_mark_reviewed()

    def _load_small_organisation(self):
        """Corner Bakery (demo) runs Annex A's small-organisation mode: one
        complaint just received, one handled to its closing by the one agent."""
        company = self._ref("iso10002_complaints.company_demo_bakery")
        baker = self._ref("iso10002_complaints.user_demo_baker")
        if not company or not baker:
            return
        team = self.env["helpdesk.ticket.team"].search(
            [("company_id", "=", company.id), ("is_iso10002", "=", True)], limit=1
        )
        Ticket = self.env["helpdesk.ticket"].with_user(baker).with_company(company)
        common = {
            "team_id": team.id,
            "user_id": baker.id,
            "channel_id": self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_phone"
            ).id,
        }
        category = self.env["iso10002.complaint.category"].search
        new = Ticket.create(
            dict(
                common,
                name="Bread sold as fresh was stale",
                description="<p>The loaf I bought this morning was stale.</p>",
                partner_id=self._ref("iso10002_complaints.partner_demo_oliver").id,
                complaint_category_id=category([("code", "=", "5")], limit=1).id,
            )
        )
        new.action_iso10002_log_acknowledgement()
        cake = Ticket.create(
            dict(
                common,
                name="Birthday cake order forgotten",
                description="<p>I ordered a cake for Saturday; it was not ready.</p>",
                partner_id=self._ref("iso10002_complaints.partner_demo_sofia").id,
                complaint_category_id=category([("code", "=", "32")], limit=1).id,
                remedy_requested=True,
                remedy_requested_text="A refund of the deposit.",
            )
        )
        cake.action_iso10002_log_acknowledgement()
        cake.write(
            {
                "severity": "medium",
                "complexity": "simple",
                "impact": "moderate",
                "assessment_outcome": "valid",
            }
        )
        cake.action_iso10002_assess()
        cake.write(
            {
                "investigator_id": baker.id,
                "findings": "The order was taken by phone and not written down.",
                "root_cause": "Phone orders had no order book.",
                "decision": "Refund the deposit and offer a cake of choice.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
                "remedy_ids": [
                    Command.create(
                        {"remedy_id": self.env.ref("iso10002_complaints.remedy_52").id}
                    )
                ],
            }
        )
        cake.action_iso10002_record_decision()
        cake.communication_channel = "phone"
        cake.action_iso10002_communicate_decision()
        self._answer(cake.sudo(), {"answer": "accepted"})
        cake.remedy_ids.action_implement()
        cake.action_iso10002_close()

    def _answer(self, complaint, spec):
        wizard = self.env["iso10002.complainant.response.wizard"].create(
            {
                "ticket_id": complaint.id,
                "response": spec["answer"],
                "rejection_reason": spec.get("rejection_reason"),
                "review_type": spec.get("review_type"),
                "recourse_provider_id": spec.get("recourse_provider")
                and self.env.ref(spec["recourse_provider"]).id,
                "recourse_reference": spec.get("recourse_reference"),
            }
        )
        wizard.action_confirm()

    def _new_messages(self, complaint, seen):
        """Messages created since the last call (tracking included)."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        messages = self.env["mail.message"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )
        fresh = messages.filtered(lambda m: m.id not in seen)
        seen.update(fresh.ids)
        return fresh

    def _spread_timestamps(self, complaint, received, events, now):
        """Move the complaint's dates back in time, step by step."""
        hours_after = self.env.context.get("iso10002_demo_hours") or EVENT_HOURS
        times = {
            step: min(received + timedelta(hours=hours), now)
            for step, hours in hours_after.items()
        }
        values = {"received_at": times[iso.STEP_RECEIVED]}
        date_fields = {
            "acknowledged_at": iso.STEP_ACKNOWLEDGED,
            "decided_on": iso.STEP_RESPONDED,
            "communicated_on": iso.STEP_COMMUNICATED,
            "complainant_response_on": iso.STEP_REVIEW
            if complaint.complainant_response == iso.RESPONSE_REJECTED
            else iso.STEP_CLOSED,
        }
        for fname, step in date_fields.items():
            if complaint[fname]:
                values[fname] = times[step]
        if complaint.closed_date:
            values["closed_date"] = times[iso.STEP_CLOSED]
        values["expected_response_date"] = (
            times[iso.STEP_RECEIVED]
            + timedelta(days=complaint.company_id.iso10002_response_days)
        ).date()
        complaint.with_context(tracking_disable=True).write(values)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [times[iso.STEP_RECEIVED], complaint.id],
        )
        history = complaint.stage_history_ids.sorted("id")
        for line, next_line in zip(history, list(history[1:]) + [None], strict=True):
            date_in = times.get(line.iso10002_step, now)
            date_out = times.get(next_line.iso10002_step) if next_line else False
            line.write(
                {
                    "date_in": date_in,
                    "date_out": date_out,
                    "duration_hours": (date_out - date_in).total_seconds() / 3600
                    if date_out
                    else 0.0,
                }
            )
        for step, messages in events.items():
            messages.write({"date": times[step]})
        self._spread_remedy_timestamps(complaint, times)
        self._replay_sla(complaint, times)
        complaint.invalidate_recordset()

    def _spread_remedy_timestamps(self, complaint, times):
        """The remedies approved with the decision, accepted with the
        complainant's answer, implemented at the closing; their approval
        signatures dated with the approval."""
        remedy_times = {
            "approved_on": times[iso.STEP_RESPONDED],
            "accepted_on": complaint.complainant_response_on,
            "implemented_on": times[iso.STEP_CLOSED],
        }
        for line in complaint.remedy_ids:
            line.write(
                {
                    name: when
                    for name, when in remedy_times.items()
                    if line[name] and when
                }
            )
        signatures = self.env["iso10002.signature"].search(
            [
                ("res_model", "=", "iso10002.complaint.remedy"),
                ("res_id", "in", complaint.remedy_ids.ids),
            ]
        )
        signatures.write({"signed_on": remedy_times["approved_on"]})

    def _replay_sla(self, complaint, times):
        """Restart the SLA clocks from the moved receipt and reach each phase
        when its step was reached, so the demo shows met, late and breached."""
        complaint.sla_line_ids.sudo().unlink()
        Line = self.env["iso10002.sla.line"]
        lines = Line._start_for(complaint)
        reached_index = max(
            iso.step_index(step)
            for step in complaint.stage_history_ids.mapped("iso10002_step")
        )
        moments = {}
        for line in lines:
            step = iso.PHASE_STEP[line.phase]
            if complaint.is_feedback and line.phase in iso.PROGRESS_PHASES:
                continue
            if iso.step_index(step) <= reached_index:
                moments[line] = times[step]
        lines.filtered(lambda line: line in moments)._reach(moments)
        if complaint.is_feedback:
            lines.filtered(lambda line: line not in moments)._cancel()
