"""Demo complaints, driven through the real lifecycle.

Each scenario names the step it stops at; the loader calls the same actions a
user would (acknowledge, assess, investigate, decide, communicate, record the
answer, close), posts the conversation in the chatter, then spreads the
timestamps over the past weeks so that history and durations look real.
"""

from datetime import timedelta

from odoo import Command, api, fields, models

from . import iso10002_data as iso

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

SCENARIOS = [
    {
        "name": "Office chair base cracked after two weeks",
        "description": "The base of my new office chair cracked while sitting "
        "down. I could have been hurt.",
        "partner": "iso10002_complaints.partner_demo_lena",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        "category": 5,
        "product": "product.product_product_12",
        "severity": "health_safety",
        "complexity": "moderate",
        "impact": "major",
        "immediate_action": "Advised the customer to stop using the chair.",
        "remedy": "A safe replacement chair",
        "step": iso.STEP_INVESTIGATING,
        "days_ago": 3,
        "notes": [
            ("agent", "Called Ms Fischer: nobody was hurt. Collection booked."),
            (
                "manager",
                (
                    "Checking the batch with the supplier; other chairs "
                    "of batch 2026-07 may be affected."
                ),
            ),
        ],
    },
    {
        "name": "Large desk delivered three weeks late",
        "description": "The desk promised for 2 March arrived on 24 March. "
        "Nobody told me about the delay.",
        "partner": "base.res_partner_2",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_email",
        "category": 3,
        "product": "product.product_product_8",
        "severity": "medium",
        "complexity": "simple",
        "impact": "moderate",
        "remedy": "Refund of the delivery charge",
        "remedies": [
            ("iso10002_complaints.remedy_50", 45.0, "Delivery charge refunded"),
            ("iso10002_complaints.remedy_52", 0.0, "Apology for the delay"),
        ],
        "step": iso.STEP_CLOSED,
        "answer": iso.RESPONSE_ACCEPTED,
        "days_ago": 40,
        "findings": "The carrier lost the pallet for 12 days; our tracking did "
        "not alert the sales team.",
        "root_cause": "No alert on late consignments.",
        "decision": "We refund the delivery charge and apologise. Late "
        "consignments now alert the sales team after 48 hours.",
        "customer": ["Thank you, the refund is fine for us."],
    },
    {
        "name": "Invoice charged twice",
        "description": "Invoice INV/2026/0042 was charged twice to our card.",
        "partner": "base.res_partner_12",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_web",
        "category": 33,
        "severity": "high",
        "complexity": "simple",
        "impact": "moderate",
        "remedy": "Refund of the second charge",
        "remedies": [
            ("iso10002_complaints.remedy_39", 1349.0, "Refund of the second charge"),
        ],
        "step": iso.STEP_COMMUNICATED,
        "days_ago": 6,
        "findings": "The payment provider retried a timed-out payment.",
        "root_cause": "Retry without an idempotency key.",
        "decision": "The second charge is refunded; it will reach your card "
        "within 5 days.",
    },
    {
        "name": "Rude answer in the shop",
        "description": "The shop assistant in the city shop laughed at my "
        "question about the warranty.",
        "partner": "iso10002_complaints.partner_demo_oliver",
        "channel": "iso10002_complaints.helpdesk_ticket_channel_visit",
        "category": 6,
        "severity": "medium",
        "complexity": "moderate",
        "impact": "minor",
        "concerned": ["iso10002_complaints.user_demo_agent2"],
        "department": "City shop",
        "remedies": [("iso10002_complaints.remedy_52", 0.0, "Written apology")],
        "step": iso.STEP_REVIEW,
        "answer": iso.RESPONSE_REJECTED,
        "review_type": iso.REVIEW_INTERNAL,
        "rejection_reason": "An apology by e-mail is not enough; I want to "
        "hear from the shop manager.",
        "days_ago": 12,
        "findings": "The conversation was misunderstood on both sides.",
        "root_cause": "No script for warranty questions at the counter.",
        "decision": "We apologise; warranty questions are now answered from a "
        "written guide.",
    },
    {
        "name": "Refusal to honour the warranty on a cabinet door",
        "description": "The hinge broke after 14 months; you say the warranty "
        "does not cover hinges.",
        "partner": "iso10002_complaints.partner_demo_sofia",
        "representative": "iso10002_complaints.partner_demo_advocate",
        "channel": "iso10002_complaints.helpdesk_ticket_channel_letter",
        "category": 10,
        "product": "product.product_product_10",
        "severity": "medium",
        "complexity": "complex",
        "impact": "moderate",
        "remedy": "Repair under warranty",
        "step": iso.STEP_REVIEW,
        "answer": iso.RESPONSE_REJECTED,
        "review_type": iso.REVIEW_EXTERNAL,
        "recourse_provider": "National Consumer Ombudsman",
        "recourse_reference": "NCO-2026-1189",
        "rejection_reason": "The warranty covers all parts.",
        "days_ago": 20,
        "findings": "The warranty text excludes wear parts; hinges are listed.",
        "root_cause": "Warranty terms not shown at the time of sale.",
        "decision": "We maintain that hinges are wear parts, and offer a "
        "replacement hinge at cost.",
    },
    {
        "name": "Storage box smaller than advertised",
        "description": "The website says 60 litres, the box holds 45.",
        "partner": "iso10002_complaints.partner_demo_tran",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_web",
        "category": 14,
        "product": "product.product_product_7",
        "step": iso.STEP_ACKNOWLEDGED,
        "days_ago": 1,
    },
    {
        "name": "Waiting for a callback about my complaint for two weeks",
        "description": "I complained about a delivery two weeks ago and still "
        "have no answer.",
        "partner": "iso10002_complaints.partner_demo_wang",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_email",
        "category": 34,
        "subject": "process",
        "severity": "high",
        "complexity": "simple",
        "impact": "moderate",
        "step": iso.STEP_ASSESSED,
        "days_ago": 2,
    },
    {
        "name": "Pedal bin lid does not close",
        "description": "The lid of the pedal bin stays open.",
        "partner": "base.res_partner_4",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        "category": 5,
        "product": "product.product_product_9",
        "step": iso.STEP_RECEIVED,
        "days_ago": 0,
    },
    {
        "name": "Price increased between quote and order",
        "description": "Quoted 1,200 for the desk combination, invoiced 1,350.",
        "partner": "base.res_partner_3",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_email",
        "category": 18,
        "product": "product.product_product_3",
        "severity": "low",
        "complexity": "simple",
        "impact": "minor",
        "outcome": iso.OUTCOME_UNFOUNDED,
        "unfounded": "The quote expired on 1 March; the order was placed on 20 "
        "March at the new list price, as the quote stated.",
        "step": iso.STEP_CLOSED,
        "answer": iso.RESPONSE_ACCEPTED,
        "days_ago": 30,
    },
    {
        "name": "Suggestion: offer the desk in oak",
        "description": "Not really a complaint: I would love the large desk in oak.",
        "partner": "iso10002_complaints.partner_demo_lena",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_web",
        "category": 35,
        "severity": "low",
        "complexity": "simple",
        "impact": "minor",
        "outcome": iso.OUTCOME_NOT_COMPLAINT,
        "reclassification": "A product suggestion, passed to the product team.",
        "step": iso.STEP_CLOSED,
        "days_ago": 15,
    },
    {
        "name": "Drawer delivered damaged",
        "description": "The front of the drawer was split when unpacked.",
        "partner": "iso10002_complaints.partner_demo_sofia",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_email",
        "category": 9,
        "product": "product.product_product_27",
        "severity": "medium",
        "complexity": "simple",
        "impact": "minor",
        "remedy": "Replacement",
        "remedies": [("iso10002_complaints.remedy_38", 0.0, "Replacement drawer")],
        "step": iso.STEP_CLOSED,
        "days_ago": 45,
        "findings": "Packaging too thin for the drawer front.",
        "root_cause": "Packaging specification not updated for the new model.",
        "decision": "A replacement drawer is on its way; packaging is reinforced.",
    },
    {
        "name": "Wrong colour of office chair delivered",
        "description": "Ordered black, received grey.",
        "partner": "base.res_partner_10",
        "channel": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
        "category": 8,
        "product": "product.product_product_12",
        "severity": "low",
        "complexity": "simple",
        "impact": "minor",
        "step": iso.STEP_RESPONDED,
        "days_ago": 5,
        "findings": "Picking error in the warehouse.",
        "root_cause": "Two colours share one bin location.",
        "decision": "We exchange the chair at no cost and collect the grey one.",
    },
]

ACTIONS_UP_TO = [
    iso.STEP_ACKNOWLEDGED,
    iso.STEP_ASSESSED,
    iso.STEP_INVESTIGATING,
    iso.STEP_RESPONDED,
    iso.STEP_COMMUNICATED,
    iso.STEP_REVIEW,
    iso.STEP_CLOSED,
]


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
        for scenario in SCENARIOS:
            self._load_scenario(scenario, team, users, now)
        self._load_improvements(users)
        self._load_monitoring(users, now)
        self._load_small_organisation()
        # a demo database has no mail server: keep the e-mails, do not send them
        self.env["mail.mail"].search([("state", "=", "outgoing")]).write(
            {"state": "cancel"}
        )

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
        complaint = complaint.sudo()
        seen = set()
        events = {iso.STEP_RECEIVED: self._new_messages(complaint, seen)}
        for step in ACTIONS_UP_TO:
            if iso.step_index(step) > iso.step_index(spec["step"]):
                break
            if not self._do_step(complaint, step, spec, users):
                continue
            events[step] = self._new_messages(complaint, seen)
        for author, body in spec.get("notes", []):
            complaint.with_user(users[author]).message_post(
                body=body, subtype_xmlid="mail.mt_note"
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
            complaint.action_iso10002_close()
        return True

    def _add_remedies(self, complaint, spec, users):
        lines = []
        for xmlid, amount, description in spec.get("remedies", []):
            lines.append(
                {
                    "ticket_id": complaint.id,
                    "remedy_id": self._ref(xmlid).id,
                    "amount": amount,
                    "description": description,
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
        """Training, objectives, an audit and a management review (6.2, 6.4,
        8.5, 8.6) over the demo period."""
        today = now.date()
        start = today - timedelta(days=60)
        director = self.env.ref("iso10002_complaints.user_demo_director")
        auditor = self.env.ref("iso10002_complaints.user_demo_auditor")
        Training = self.env["iso10002.training"]
        Training.create(
            [
                {
                    "user_id": users["agent"].id,
                    "course": "Complaints handling (ISO 10002) basics",
                    "date": today - timedelta(days=200),
                    "expiry_date": today + timedelta(days=165),
                },
                {
                    "user_id": users["manager"].id,
                    "course": "Root-cause analysis",
                    "date": today - timedelta(days=90),
                },
            ]
        )
        Objective = self.env["iso10002.objective"]
        objectives = Objective.create(
            [
                dict(vals, date_from=start, date_to=today)
                for vals in (
                    {
                        "name": "95 % acknowledged within target",
                        "kpi_code": "acknowledged_in_time_share",
                        "target": 95,
                        "direction": "high",
                    },
                    {
                        "name": "80 % resolved within the agreed time",
                        "kpi_code": "resolved_in_time_share",
                        "target": 80,
                        "direction": "high",
                    },
                    {
                        "name": "Satisfaction with handling at least 4 / 5",
                        "kpi_code": "satisfaction",
                        "target": 4,
                        "direction": "high",
                    },
                )
            ]
        )
        objectives.with_user(director).action_approve()
        audit = self.env["iso10002.audit"].create(
            {
                "name": "Internal audit of complaints handling",
                "scope": "Customer Complaints team: receipt to closure, SLA, remedies.",
                "date_from": start,
                "date_to": today,
                "planned_date": today,
                "lead_auditor_id": auditor.id,
                "team_ids": [
                    (
                        6,
                        0,
                        self.env.ref(
                            "iso10002_complaints.helpdesk_team_complaints"
                        ).ids,
                    )
                ],
            }
        )
        audit.action_start()
        audit.finding_ids.write({"result": "conforming"})
        finding = audit.finding_ids.filtered(
            lambda f: f.criterion.startswith("Share of customer-facing staff")
        )[:1]
        finding.write(
            {
                "result": "minor",
                "evidence": "One of the two complaint agents has no training record.",
            }
        )
        finding.with_user(auditor).action_create_action()
        audit.write(
            {
                "strengths": "<p>Every complaint acknowledged; clear decisions.</p>",
                "weaknesses": "<p>Training records incomplete.</p>",
                "conclusion": "<p>The process conforms; one minor nonconformity.</p>",
            }
        )
        audit.action_report()
        review = self.env["iso10002.review"].create(
            {
                "name": "Management review of complaints handling",
                "date_from": start,
                "date_to": today,
                "participant_ids": [(6, 0, (director | users["manager"]).ids)],
                "internal_changes": "<p>A second agent joined the team.</p>",
                "external_changes": "<p>New consumer-protection rules on refunds.</p>",
                "recommendations": "<p>Call back the critical complaints.</p>",
            }
        )
        review.action_assemble_inputs()
        review.action_hold()
        review.decision_ids = [
            (
                0,
                0,
                {
                    "kind": "resources",
                    "description": "Train every complaint agent before year end",
                    "owner_id": users["manager"].id,
                    "due_date": today + timedelta(days=40),
                },
            ),
            (
                0,
                0,
                {
                    "kind": "product",
                    "description": "Ask the chair supplier for a stronger base",
                    "owner_id": users["manager"].id,
                    "due_date": today + timedelta(days=30),
                },
            ),
        ]
        review.with_user(director).action_approve()

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
                "recourse_provider": spec.get("recourse_provider"),
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
        times = {
            step: min(received + timedelta(hours=hours), now)
            for step, hours in EVENT_HOURS.items()
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
        self._replay_sla(complaint, times)
        complaint.invalidate_recordset()

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
