from odoo import api, models


class ReportIso10002Complaint(models.AbstractModel):
    """The complaint dossier: the Annex D investigation form filled from the
    record, with its approval trail (who recorded, approved, signed, decided,
    communicated and closed what, and when: R-8.1)."""

    _name = "report.iso10002_complaints.report_complaint_dossier"
    _description = "Complaint Dossier"

    @api.model
    def _get_report_values(self, docids, data=None):
        complaints = self.env["helpdesk.ticket"].browse(docids)
        labels = {}
        for name in (
            "severity",
            "complexity",
            "impact",
            "assessment_outcome",
            "communication_channel",
            "complainant_response",
            "review_type",
            "subject",
        ):
            labels[name] = dict(
                complaints._fields[name]._description_selection(self.env)
            )
        docs = complaints.filtered("is_complaint")
        return dict(
            self.env["report.iso10002_complaints.layout"]._layout_values(),
            doc_ids=docids,
            doc_model="helpdesk.ticket",
            docs=docs,
            labels=labels,
            trails={
                complaint.id: self._approval_trail(complaint) for complaint in docs
            },
        )

    @api.model
    def _approval_trail(self, complaint):
        """[{when, who, what, role}] of the complaint's controlled and signed
        records, oldest first. The complainant is named as such: their
        identity is in section 2 when they agreed to sharing."""
        _ = self.env._
        complainant = _("The complainant")
        events = []

        def add(when, who, what, role=""):
            if when:
                events.append({"when": when, "who": who, "what": what, "role": role})

        add(
            complaint.received_at,
            complaint.received_by_id.name,
            _("Recorded the complaint"),
        )
        add(
            complaint.consent_date,
            complaint.consent_recorded_by_id.name or complainant,
            _("Recorded the consent to the use of personal data"),
        )
        add(
            complaint.acknowledged_at,
            complaint.acknowledged_by_id.name,
            _("Acknowledged the complaint"),
        )
        remedies = complaint.remedy_ids
        signatures = (
            self.env["iso10002.signature"]
            .sudo()
            .search(
                [
                    ("res_model", "=", remedies._name),
                    ("res_id", "in", remedies.ids),
                ]
            )
        )
        signed = signatures.grouped("res_id")
        for line in remedies:
            label = line._label()
            for signature in signed.get(line.id, []):
                add(
                    signature.signed_on,
                    signature.user_id.name,
                    _(
                        "%(meaning)s: %(remedy)s",
                        meaning=signature.meaning,
                        remedy=label,
                    ),
                    signature.role,
                )
            if line.approved_on and line.id not in signed:
                add(
                    line.approved_on,
                    line.approved_by_id.name,
                    _("Approved the remedy %(remedy)s", remedy=label),
                )
        add(
            complaint.decided_on,
            complaint.decided_by_id.name,
            _("Recorded the decision"),
        )
        add(
            complaint.communicated_on,
            complaint.communicated_by_id.name,
            _("Communicated the decision"),
        )
        for statement in complaint.sudo().staff_statement_ids:
            add(
                statement.submitted_on,
                statement.user_id.name,
                _("Gave their account as a staff member named in the complaint"),
            )
        response = dict(
            complaint._fields["complainant_response"]._description_selection(self.env)
        ).get(complaint.complainant_response)
        add(
            complaint.complainant_response_on,
            complainant,
            _("Answered the decision: %(answer)s", answer=response or "-"),
        )
        for line in remedies:
            add(
                line.accepted_on,
                complainant,
                _("Accepted the remedy %(remedy)s", remedy=line._label()),
            )
            add(
                line.implemented_on,
                line.implemented_by_id.name,
                _("Implemented the remedy %(remedy)s", remedy=line._label()),
            )
        for reopening in complaint.sudo().reopening_ids:
            add(
                reopening.reopened_on,
                reopening.reopened_by_id.name,
                _("Reopened the complaint"),
            )
        add(complaint.withdrawn_on, complainant, _("Withdrew the complaint"))
        for line in complaint.stage_history_ids.filtered(
            lambda h: h.iso10002_step == "closed"
        ):
            add(line.date_in, line.user_id.name, _("Closed the complaint"))
        return sorted(events, key=lambda event: event["when"])
