"""Safety triage at receipt (ISO 10002 4.4, 7.5): a complaint whose category
or words signal a risk to health or safety is handled under the urgent policy
from the moment it is received, not after its assessment, and the people
responsible are alerted at once."""

import re

from odoo import api, fields, models
from odoo.tools import html2plaintext

from . import iso10002_data as iso

DEFAULT_SAFETY_KEYWORDS = (
    "injury, injured, hurt, burn, burnt, fire, smoke, electric shock, "
    "allergic, allergy, poison, poisoning, hospital, unsafe, dangerous, choking"
)


def safety_hits(text, keywords):
    """The keywords of ``keywords`` (comma-separated) found in ``text``: whole
    words for alphabetic scripts, anywhere for scripts written without spaces
    (Chinese)."""
    text = (text or "").lower()
    hits = []
    for keyword in (keywords or "").split(","):
        keyword = keyword.strip().lower()
        if not keyword:
            continue
        if keyword.isascii():
            found = re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text)
        else:
            found = keyword in text
        if found:
            hits.append(keyword)
    return hits


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    iso10002_safety_flag = fields.Char(
        string="Health and Safety Triage",
        readonly=True,
        copy=False,
        help="Why the complaint was handled as a health and safety case from "
        "its receipt (its category, or words of its description).",
    )

    @api.model
    def _iso10002_triage_safety(self, vals, company):
        """At receipt, in ``vals``: the health and safety severity (so its SLA
        policy) when the category or the words signal it and no severity was
        given."""
        if vals.get("severity"):
            return vals
        category = self.env["iso10002.complaint.category"].browse(
            vals.get("complaint_category_id")
        )
        reason = False
        if category.signals_safety:
            reason = self.env._("category %(name)s", name=category.name)
        else:
            text = "\n".join(
                (vals.get("name") or "", html2plaintext(vals.get("description") or ""))
            )
            hits = safety_hits(text, company.iso10002_safety_keywords)
            if hits:
                reason = self.env._("words: %(words)s", words=", ".join(hits))
        if reason:
            vals["severity"] = iso.SEVERITY_HEALTH_SAFETY
            vals["iso10002_safety_flag"] = reason
        return vals

    def _iso10002_alert_safety(self):
        """Tell the management representative (or the team leader) at once."""
        alerted = self.filtered("iso10002_safety_flag")
        if not alerted:
            return
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        for complaint in alerted:
            body = self.env._(
                "Handled as health and safety from its receipt (%(reason)s): the "
                "urgent deadlines apply. Check it now.",
                reason=complaint.iso10002_safety_flag,
            )
            complaint.message_post(body=body, subtype_xmlid="mail.mt_note")
            user = (
                complaint.company_id.iso10002_management_representative_id
                or complaint.team_id.user_id
                or complaint.user_id
            )
            if user:
                complaint.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=fields.Date.context_today(complaint),
                    summary=self.env._("Health and safety complaint received"),
                    note=body,
                )
