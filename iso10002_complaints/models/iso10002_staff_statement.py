from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError


class Iso10002StaffStatement(models.Model):
    """Fairness to staff (ISO 10002 C.2): a staff member named in a complaint
    is informed, without the complainant's personal data unless they agreed to
    sharing, and gives their account. They see this record, not the
    complaint."""

    _name = "iso10002.staff.statement"
    _inherit = ["iso10002.complaint.record", "mail.thread"]
    _description = "Staff Member's Account"
    _order = "requested_on desc, id desc"

    user_id = fields.Many2one(
        comodel_name="res.users", string="Staff Member", required=True, readonly=True
    )
    complaint_reference = fields.Char(readonly=True)
    summary = fields.Text(
        readonly=True, help="What the complaint is about, as shared with you."
    )
    requested_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    statement = fields.Text(string="Your Account")
    submitted_on = fields.Datetime(readonly=True)
    state = fields.Selection(
        selection=[("requested", "Requested"), ("submitted", "Submitted")],
        default="requested",
        required=True,
        readonly=True,
    )

    _ticket_user_uniq = models.Constraint(
        "unique(ticket_id, user_id)",
        "A staff member gives one account per complaint.",
    )

    @api.depends("complaint_reference")
    def _compute_display_name(self):
        for statement in self:
            statement.display_name = self.env._(
                "Your account on %(ref)s", ref=statement.complaint_reference or "-"
            )

    def write(self, vals):
        handler = (
            self.env.user.has_group("iso10002_complaints.group_iso10002_agent")
            or self.env.su
        )
        if not handler and set(vals) - {"statement"}:
            raise UserError(self.env._("You can only write your account."))
        if not handler and any(s.state != "requested" for s in self):
            raise UserError(self.env._("This account was already submitted."))
        return super().write(vals)

    def _url(self):
        # empty for no record (an e-mail template previewed on no record)
        if not self:
            return ""
        self.ensure_one()
        base = self.ticket_id.get_base_url()
        action = "iso10002_complaints.iso10002_staff_statement_action"
        return f"{base}/odoo/action-{action}/{self.id}"

    def action_submit(self):
        for statement in self:
            if statement.state != "requested":
                raise UserError(self.env._("This account was already submitted."))
            if not (statement.statement or "").strip():
                raise UserError(self.env._("Write your account before submitting it."))
        self.sudo().write({"state": "submitted", "submitted_on": fields.Datetime.now()})
        for statement in self.sudo():
            # the named staff member cannot read the complaint itself: the
            # system posts their account for them, and does not make them a
            # follower of a complaint they have no need to know
            statement.ticket_id.with_user(SUPERUSER_ID).sudo().with_context(
                mail_create_nosubscribe=True
            ).message_post(
                author_id=statement.user_id.partner_id.id,
                body=self.env._(
                    "Account of %(user)s (named in the complaint): %(text)s",
                    user=statement.user_id.name,
                    text=statement.statement,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=statement.ticket_id.user_id.partner_id.ids,
            )
        return True

    @api.model
    def _request_for_complaints(self, complaints):
        """Inform the staff members newly named in ``complaints`` and ask for
        their account: one search, one create and one rendering of the
        e-mail for the whole batch."""
        if not complaints:
            return True
        existing = {
            (statement.ticket_id.id, statement.user_id.id)
            for statement in self.sudo().search([("ticket_id", "in", complaints.ids)])
        }
        vals_list = [
            {
                "ticket_id": complaint.id,
                "user_id": user.id,
                "complaint_reference": complaint.complaint_reference,
                "summary": complaint._iso10002_staff_summary(),
            }
            for complaint in complaints
            for user in complaint.concerned_user_ids
            if (complaint.id, user.id) not in existing
        ]
        if vals_list:
            statements = self.sudo().create(vals_list)
            template = self.env.ref("iso10002_complaints.mail_template_staff_statement")
            template.sudo().send_mail_batch(statements.ids)
        return True
