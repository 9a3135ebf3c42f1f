"""Keeping people informed while a complaint is handled: the interim
response to the complainant (ISO 10002 7.7) and the progress and outcome
told to the staff named in it (C.2, 7.8)."""

from odoo import fields, models
from odoo.exceptions import UserError

from . import iso10002_data as iso

# the steps a named staff member hears about
STAFF_UPDATE_STEPS = (iso.STEP_INVESTIGATING, iso.STEP_COMMUNICATED, iso.STEP_CLOSED)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Interim response (7.7)
    # ------------------------------------------------------------------
    def action_iso10002_send_interim_response(self):
        """Tell the complainant where things stand while the complaint cannot
        be resolved yet: e-mailed when they have an address, else recorded as
        given by the agent (phone, letter); dated either way."""
        self._check_is_complaint()
        for complaint in self:
            if not (complaint.interim_response or "").strip():
                raise UserError(
                    self.env._(
                        "Write the interim response of %(ref)s first: where "
                        "things stand and when the complainant hears from you.",
                        ref=complaint.complaint_reference,
                    )
                )
            if complaint.communicated_on:
                raise UserError(
                    self.env._(
                        "The decision on %(ref)s was already communicated: an "
                        "interim response comes before it.",
                        ref=complaint.complaint_reference,
                    )
                )
        self._iso10002_write_controlled({"interim_response_on": fields.Datetime.now()})
        template = self.env.ref(
            "iso10002_complaints.mail_template_complaint_interim",
            raise_if_not_found=False,
        )
        by_mail = self.filtered(lambda c: c.partner_id.email)
        if template and by_mail:
            by_mail.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        for complaint in self - by_mail:
            complaint.message_post(
                body=self.env._(
                    "Interim response to give the complainant (no e-mail address: "
                    "by phone or letter): %(text)s",
                    text=complaint.interim_response,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Named staff kept informed (C.2, 7.8)
    # ------------------------------------------------------------------
    def _iso10002_inform_named_staff(self, old_steps):
        """Post the step a complaint reached on the accounts of the staff
        named in it (they read their account, not the complaint): the
        investigation, the decision, the closing and its outcome, a
        reopening. Without the complainant's consent to sharing, the decision
        itself is not quoted."""
        Statement = self.env["iso10002.staff.statement"].sudo()
        statements = Statement.search([("ticket_id", "in", self.ids)])
        if not statements:
            return
        by_ticket = statements.grouped("ticket_id")
        for complaint in self.sudo():
            step = complaint.iso10002_step
            old = old_steps.get(complaint.id)
            reopened = old == iso.STEP_CLOSED and step != iso.STEP_CLOSED
            if not reopened and (step == old or step not in STAFF_UPDATE_STEPS):
                continue
            body = complaint._iso10002_staff_update(step, reopened)
            for statement in by_ticket.get(complaint, Statement):
                statement.message_post(
                    body=body,
                    partner_ids=statement.user_id.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                )

    def _iso10002_staff_update(self, step, reopened):
        self.ensure_one()
        ref = self.complaint_reference
        if reopened:
            return self.env._(
                "Complaint %(ref)s was reopened: it is handled again.", ref=ref
            )
        if step == iso.STEP_INVESTIGATING:
            return self.env._(
                "The investigation of complaint %(ref)s has started.", ref=ref
            )
        if step == iso.STEP_COMMUNICATED:
            if self._iso10002_shares_personal_data():
                return self.env._(
                    "The decision on complaint %(ref)s was sent to the "
                    "complainant: %(decision)s",
                    ref=ref,
                    decision=self.decision,
                )
            return self.env._(
                "A decision on complaint %(ref)s was sent to the complainant. "
                "The complaints manager tells you what concerns you.",
                ref=ref,
            )
        outcomes = dict(
            self._fields["assessment_outcome"]._description_selection(self.env)
        )
        answers = dict(
            self._fields["complainant_response"]._description_selection(self.env)
        )
        return self.env._(
            "Complaint %(ref)s is closed. Assessment: %(outcome)s. The "
            "complainant's answer to the decision: %(answer)s.",
            ref=ref,
            outcome=outcomes.get(self.assessment_outcome, "-"),
            answer=answers.get(self.complainant_response) or self.env._("no answer"),
        )
