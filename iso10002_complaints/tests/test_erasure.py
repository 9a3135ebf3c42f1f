import os
import uuid
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import ComplaintCase

# the column types a person's words or contact details can be kept in
TEXT_TYPES = ("text", "character varying", "character", "jsonb", "json")


@tagged("post_install", "-at_install")
class TestErasure(ComplaintCase):
    """R-8.1, R-4.7: erasing a complainant's personal data leaves nothing of
    it in any table or file, and the statistics unchanged."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a string nobody else has: wherever it is found after the erasure,
        # personal data was kept
        cls.marker = f"zq{uuid.uuid4().hex}"
        mark = cls.marker
        person = {
            "name": f"Pat {mark}",
            "email": f"{mark}@example.org",
            "phone": f"+32 {mark}",
            "mobile": f"+32 4 {mark}",
            "street": f"{mark} street 1",
            "city": f"City {mark}",
            "vat": f"BE{mark}",
            "comment": f"<p>Known to us: {mark}</p>",
            "lang": "en_US",
        }
        # (Odoo 19's contacts have no mobile number)
        Partner = cls.env["res.partner"]
        cls.person = Partner.create({k: v for k, v in person.items() if k in Partner})
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": f"{mark}@example.org",
                    "partner_id": cls.person.id,
                    "group_ids": [(6, 0, cls.env.ref("base.group_portal").ids)],
                    "signature": f"<p>Pat {mark}</p>",
                }
            )
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": f"Sam {mark}", "email": f"sam.{mark}@example.org"}
        )
        cls.representative = cls.env["res.partner"].create(
            {"name": f"Rita {mark}", "phone": f"+32 2 {mark}"}
        )
        cls.typed = cls.env["res.partner"].create(
            {"name": f"P. {mark}", "email": f"typed.{mark}@example.org"}
        )
        cls.named = new_test_user(
            cls.env, "erasure_named", groups="base.group_user", name="Nico Named"
        )

    def _plant(self):
        """The complainant's data in every store a complaint reaches."""
        mark = self.marker
        complaint = self._new_complaint(
            user=self.agent,
            name=f"Kettle of {mark}",
            description=f"<p>I, {mark}, bought a kettle.</p>",
            partner_id=self.person.id,
            contact_person_id=self.contact.id,
            representative_id=self.representative.id,
            remedy_requested=True,
            remedy_requested_text=f"Refund to {mark}",
            product_description=f"Kettle {mark}",
            product_reference=f"SN-{mark}",
            concerned_user_ids=[(6, 0, self.named.ids)],
        )
        agent_complaint = complaint.with_user(self.agent)
        # a field the team added (a property)
        self.team.ticket_properties = [
            {"name": "caller_note", "type": "char", "string": "Caller note"},
            {"name": "rounds", "type": "integer", "string": "Rounds"},
            {
                "name": "referrer",
                "type": "many2one",
                "comodel": "res.partner",
                "string": "Referred by",
            },
            {
                "name": "desk",
                "type": "many2one",
                "comodel": "res.users",
                "string": "Front desk",
            },
        ]
        agent_complaint.properties = {
            "caller_note": f"Ask for {mark}",
            "rounds": 3,
            "referrer": self.person.id,
            "desk": self.agent.id,
        }
        # what the web form keeps for its submission limits
        complaint.sudo()._iso10002_write_raw(
            {
                "iso10002_web_mailbox": f"{mark}@example.org",
                "iso10002_web_partner_id": self.typed.id,
            }
        )
        # changes are tracked from the transaction after the creation
        self.flush_tracking()
        # a message from the complainant, with a text attachment
        complaint.sudo().message_post(
            body=f"My name is {mark}, call me on +32 {mark}",
            subject=f"About {mark}",
            author_id=self.person.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(f"{mark}.txt", f"Receipt of {mark}".encode())],
        )
        # an agent's note quoting them, with an internal note on the record
        agent_complaint.message_post(
            body=f"Caller said: '{mark} wants a refund'",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # a scanned letter (its text goes into the search index)
        letter = (
            self.env["ir.attachment"]
            .with_user(self.agent)
            .create(
                {
                    "name": "letter.txt",
                    "raw": f"Dear sirs, {mark} writes".encode(),
                    "mimetype": "text/plain",
                    "res_model": "helpdesk.ticket",
                    "res_id": complaint.id,
                }
            )
        )
        self.assertIn(mark, letter.sudo().index_content)
        # a mail waiting in the queue
        self.env["mail.mail"].sudo().create(
            {
                "subject": f"Your complaint, {mark}",
                "body_html": f"<p>Dear {mark}</p>",
                "email_to": f"{mark}@example.org",
                "recipient_ids": [(4, self.person.id)],
                "model": "helpdesk.ticket",
                "res_id": complaint.id,
            }
        )
        # a planned call
        agent_complaint.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=f"Call {mark}",
            note=f"<p>Number of {mark}</p>",
            user_id=self.agent.id,
        )
        # the named staff member's account quoting them
        statement = complaint.sudo().staff_statement_ids
        statement.with_user(self.named).write({"statement": f"{mark} was rude"})
        statement.with_user(self.named).action_submit()
        # an escalation quoting them
        self.env["iso10002.escalate.wizard"].with_user(self.agent).create(
            {"ticket_id": complaint.id, "reason": f"{mark} threatens to sue"}
        ).action_confirm()
        # a remedy described with their name, then the steps, with findings
        # and a decision naming them
        agent_complaint.remedy_ids = [
            (
                0,
                0,
                {
                    "remedy_id": self.env.ref("iso10002_complaints.remedy_36").id,
                    "description": f"Refund for {mark}",
                    "amount": 25.0,
                },
            )
        ]
        self._to_decision_communicated(agent_complaint)
        complaint.sudo()._iso10002_write_raw(
            {
                "findings": f"{mark} used it as told.",
                "decision": f"Refund {mark}.",
                "impact_notes": f"{mark} lost a day.",
            }
        )
        # a tracked field changed to a value holding the data, then closed
        agent_complaint.withdrawal_reason = f"{mark} got a new kettle"
        self.flush_tracking()
        agent_complaint.action_iso10002_withdraw()
        # reopened (the reopening keeps the decision), withdrawn again
        self.env["iso10002.reopen.wizard"].with_user(self.manager).create(
            {"ticket_id": complaint.id, "reason": f"{mark} called again"}
        ).action_confirm()
        agent_complaint.action_iso10002_withdraw()
        # their answer to the satisfaction survey and its rating
        survey = (
            self.env["iso10002.satisfaction"]
            .sudo()
            .create({"ticket_id": complaint.id, "sent_on": fields.Datetime.now()})
        )
        survey._submit(4, f"Thanks, {mark}", "yes", "yes")
        self.flush_tracking()
        return complaint

    def _hits(self):
        """Every table and column (text, json, binary) that holds the marker."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema()
               AND t.table_type = 'BASE TABLE'
               AND c.data_type IN %s
            """,
            [(*TEXT_TYPES, "bytea")],
        )
        hits = []
        for table, column, data_type in cr.fetchall():
            if data_type == "bytea":
                condition = SQL(
                    "position(convert_to(%s, 'UTF8') in %s) > 0",
                    self.marker,
                    SQL.identifier(column),
                )
            else:
                condition = SQL(
                    "%s::text ILIKE %s", SQL.identifier(column), f"%{self.marker}%"
                )
            cr.execute(
                SQL(
                    "SELECT count(*) FROM %s WHERE %s",
                    SQL.identifier(table),
                    condition,
                )
            )
            count = cr.fetchone()[0]
            if count:
                hits.append(f"{table}.{column} ({count})")
        return hits

    def _files_with_marker(self):
        Attachment = self.env["ir.attachment"]
        root = Attachment._filestore()
        found = []
        needle = self.marker.encode()
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        found.append(os.path.relpath(path, root))
        return found

    def _dossier(self, complaint):
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(
                "iso10002_complaints.report_complaint_dossier", complaint.ids
            )
        )
        return html.decode()

    def _kpis(self):
        today = fields.Date.today()
        return self.env["iso10002.kpi"]._compute(
            today.replace(day=1), today, companies=self.company
        )

    def _erase(self):
        wizard = (
            self.env["iso10002.erasure.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.person.id, "confirm": True})
        )
        wizard.action_erase()
        self.flush_tracking()

    # ------------------------------------------------------------------
    def test_r_8_1_erasure_leaves_no_personal_data_anywhere(self):
        """R-8.1, R-4.7: after the erasure the complainant's data is in no
        column of any table and in no file of the file store."""
        complaint = self._plant()
        planted = self._hits()
        # the fixture reaches the stores the erasure must clean
        for store in (
            "res_partner.name",
            "res_users.login",
            "helpdesk_ticket.name",
            "helpdesk_ticket.findings",
            "mail_message.body",
            "mail_message.email_from",
            "mail_tracking_value.new_value_text",
            "ir_attachment.index_content",
            "rating_rating.feedback",
            "mail_mail.body_html",
            "iso10002_satisfaction.comment",
            "iso10002_staff_statement.statement",
            "mail_activity.note",
            "iso10002_reopening.previous_decision",
            "iso10002_escalation.reason",
            "iso10002_escalate_wizard.reason",
            "helpdesk_ticket.iso10002_web_mailbox",
            "helpdesk_ticket.properties",
        ):
            self.assertTrue(
                any(hit.startswith(f"{store} ") for hit in planted),
                f"{store} not planted: {planted}",
            )
        self.assertTrue(self._files_with_marker(), "the attachments are in files")
        self.assertIn(self.marker, self._dossier(complaint))
        self._erase()
        self.assertEqual(self._hits(), [])
        self.assertNotIn(self.marker, self._dossier(complaint))
        # what the post-commit collection (Odoo's file-store garbage
        # collector) does once the erasure is committed
        self.env["ir.attachment"]._gc_file_store_unsafe()
        self.assertEqual(self._files_with_marker(), [])
        self.assertTrue(complaint.pseudonymised_on)
        # erasing again changes nothing and mails no one
        mails = self.env["mail.mail"].sudo().search_count([])
        self._erase()
        self.assertEqual(self._hits(), [])
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)

    def test_r_8_1_erasure_keeps_the_statistics(self):
        """R-8.1, R-8.4: counts, categories, dates, SLA results, remedies
        and the KPI figures are the same before and after the erasure."""
        complaint = self._plant()
        before = self._kpis()
        kept_fields = [
            "complaint_reference",
            "complaint_category_id",
            "received_at",
            "acknowledged_at",
            "closed_date",
            "withdrawn_on",
            "severity",
            "assessment_outcome",
            "team_id",
            "channel_id",
        ]
        kept = complaint.read(kept_fields)
        sla = complaint.sla_line_ids.mapped(lambda line: (line.phase, line.state))
        remedies = complaint.remedy_ids.mapped(lambda r: (r.remedy_id, r.amount))
        score = complaint.satisfaction_ids.score
        self._erase()
        self.env.invalidate_all()
        self.assertEqual(self._kpis(), before)
        self.assertEqual(complaint.read(kept_fields), kept)
        self.assertEqual(
            complaint.sla_line_ids.mapped(lambda line: (line.phase, line.state)), sla
        )
        self.assertEqual(
            complaint.remedy_ids.mapped(lambda r: (r.remedy_id, r.amount)), remedies
        )
        self.assertEqual(complaint.satisfaction_ids.score, score)
        # (Odoo 19 gives the relational values of properties as records)
        self.assertEqual(
            dict(complaint.properties),
            {
                "caller_note": "[erased on request]",
                "rounds": 3,
                "referrer": self.env["res.partner"],
                "desk": self.agent,
            },
        )
        self.assertEqual(complaint.satisfaction_ids.rating_id.rating, 4.0)
        self.assertEqual(
            complaint.name,
            f"Complaint {complaint.complaint_reference}",
        )
        self.assertFalse(self.person.active)
        self.assertEqual(self.person.name, f"Erased complainant {self.person.id}")
        self.assertFalse(self.portal_user.active)
        self.assertEqual(self.portal_user.login, f"erased-{self.portal_user.id}")
        self.assertFalse(complaint.contact_person_id)
        # the people no longer follow it; their messages show the pseudonym
        people = self.person | self.representative | self.contact | self.typed
        self.assertFalse(complaint.message_partner_ids & people)
        theirs = complaint.message_ids.filtered(lambda m: m.author_id == self.person)
        self.assertTrue(theirs)
        self.assertEqual(
            set(theirs.mapped("author_id.display_name")),
            {f"Erased complainant {self.person.id}"},
        )
        self.assertEqual(
            set((people - self.person).mapped("active")), {False}, "all erased"
        )

    def test_r_8_1_retention_job_erases_the_same(self):
        """R-8.1: the retention job erases what the wizard erases, once the
        retention period after closure is over."""
        self.company.iso10002_retention_days = 30
        complaint = self._plant()
        self.env["helpdesk.ticket"]._cron_iso10002_retention()
        self.flush_tracking()
        self.assertFalse(complaint.pseudonymised_on, "closed today: kept")
        self.assertTrue(self._hits())
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.env["helpdesk.ticket"]._cron_iso10002_retention()
            self.flush_tracking()
        self.assertTrue(complaint.pseudonymised_on)
        self.assertEqual(self._hits(), [])

    def test_r_8_1_a_person_keeps_their_contact_while_a_complaint_needs_it(self):
        """R-8.1: the retention job erases an old complaint at once, the
        person's contact when none of their complaints keeps data."""
        self.company.iso10002_retention_days = 30
        old = self._new_complaint(partner_id=self.person.id)
        old.withdrawal_reason = "No longer needed."
        old.action_iso10002_withdraw()
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            current = self._new_complaint(partner_id=self.person.id)
            letter = self.env["mail.mail"].create(
                {
                    "subject": "We received your complaint",
                    "body_html": "<p>Dear Pat</p>",
                    "recipient_ids": [(4, self.person.id)],
                    "model": "helpdesk.ticket",
                    "res_id": current.id,
                }
            )
            self.env["helpdesk.ticket"]._cron_iso10002_retention()
        self.assertTrue(old.pseudonymised_on)
        self.assertFalse(current.pseudonymised_on)
        self.assertEqual(letter.state, "outgoing", "the current complaint's mail")
        self.assertEqual(letter.recipient_ids, self.person)
        self.assertEqual(self.person.name, f"Pat {self.marker}")
        self.assertTrue(self.portal_user.active)

    def test_r_8_1_employees_and_internal_users_are_never_erased(self):
        """R-8.1, R-4.7: an employee's complaint is erased, their user and
        contact (they work here) are not; only portal accounts are."""
        employee = self.named
        complaint = self._new_complaint(
            partner_id=employee.partner_id.id, name="Canteen kettle"
        )
        wizard = (
            self.env["iso10002.erasure.wizard"]
            .with_user(self.manager)
            .create({"partner_id": employee.partner_id.id, "confirm": True})
        )
        wizard.action_erase()
        self.assertTrue(complaint.pseudonymised_on)
        self.assertEqual(complaint.name, f"Complaint {complaint.complaint_reference}")
        self.assertTrue(employee.active)
        self.assertEqual(employee.login, "erasure_named")
        self.assertEqual(employee.partner_id.name, "Nico Named")
        self.assertTrue(employee.partner_id.active)
