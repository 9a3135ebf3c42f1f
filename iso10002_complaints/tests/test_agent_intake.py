from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase, refund_line


@tagged("post_install", "-at_install")
class TestAgentIntake(ComplaintCase):
    """R-4.3, R-7.2, R-7.4, R-4.7: an agent records a complaint from a caller
    or visitor who is not yet a contact; the contact the complaint needs is
    made by the server, as a complainant contact, for complaint agents only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helpdesk_user = new_test_user(
            cls.env,
            "intake_hd_user",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Hal Helpdesk",
        )
        cls.team.user_ids = [(4, cls.helpdesk_user.id)]

    def _phone_form(self, user):
        return Form(
            self.env["helpdesk.ticket"]
            .with_user(user)
            .with_context(iso10002_complaints=True)
        )

    def test_r_4_3_agent_records_a_new_caller_by_phone(self):
        """The form takes the caller's name and phone; saving makes their
        contact, bound to the company, marked as a complainant contact."""
        # no "/ - False" while the complaint is being recorded
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        self.assertFalse(Ticket.new({}).display_name)
        self.assertEqual(Ticket.new({"name": "Wet"}).display_name, "Wet")
        with self._phone_form(self.agent) as form:
            form.name = "Delivery left in the rain"
            form.team_id = self.team
            form.channel_id = self.channel_phone
            form.partner_name = "Carl Caller"
            form.partner_phone = "+1 555 0199"
            form.description = "<p>The parcel was soaked.</p>"
        complaint = form.record
        contact = complaint.partner_id
        self.assertEqual(contact.name, "Carl Caller")
        self.assertEqual(contact.phone, "+1 555 0199")
        self.assertFalse(contact.email)
        self.assertTrue(contact.iso10002_complainant_contact)
        self.assertEqual(contact.company_id, self.company)
        self.assertEqual(complaint.iso10002_step, "received")
        self.assertTrue(complaint.complaint_reference)
        # the agent reads the contact through the complaint, the phone too
        self.assertEqual(complaint.with_user(self.agent).partner_phone, "+1 555 0199")
        # the contact is no ordinary contact: other employees do not find it
        Partner = self.env["res.partner"]
        self.assertIn(
            contact, Partner.with_user(self.agent).search([("id", "=", contact.id)])
        )
        self.assertNotIn(
            contact, Partner.with_user(self.employee).search([("id", "=", contact.id)])
        )

    def test_r_4_7_typed_address_of_a_hidden_complainant_makes_a_new_contact(self):
        """An agent does not reach another complainant's contact by typing
        their address: a contact is reused only when the agent may read it."""
        secret = self.env["helpdesk.ticket"].create(
            self._complaint_vals(
                partner_id=False,
                partner_name="Sam Secret",
                partner_email="sam.secret@example.org",
                user_id=self.agent2.id,
                is_confidential=True,
            )
        )
        hidden = secret.partner_id
        self.assertTrue(hidden.iso10002_complainant_contact)
        self.assertFalse(hidden.with_user(self.agent).has_access("read"))
        complaint = self._new_complaint(
            user=self.agent,
            partner_id=False,
            partner_name="Sam",
            partner_email="sam.secret@example.org",
        )
        self.assertNotEqual(complaint.partner_id, hidden)
        self.assertEqual(complaint.partner_id.name, "Sam")
        self.assertEqual(hidden.name, "Sam Secret")
        # an ordinary contact the agent reads is reused
        complaint = self._new_complaint(
            user=self.agent,
            partner_id=False,
            partner_name="Chloe",
            partner_email="CHLOE@example.org",
        )
        self.assertEqual(complaint.partner_id, self.complainant)

    def test_r_4_7_outsiders_do_not_make_contacts_through_intake(self):
        """A helpdesk user who is no complaint agent, or an employee, cannot
        use the intake to create a contact."""
        for user, error, message in (
            # may record complaints for existing contacts only
            (self.helpdesk_user, UserError, "Fill in: Contact"),
            (self.employee, AccessError, "not allowed"),
            (self.auditor, AccessError, "not allowed"),
        ):
            with self.subTest(user=user.login):
                with self.assertRaisesMessage(error, message):
                    self._new_complaint(
                        user=user,
                        partner_id=False,
                        partner_name="Mallory Made-Up",
                        partner_email="mallory@example.org",
                    )
                self.assertFalse(
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    .search([("name", "=", "Mallory Made-Up")])
                )

    def test_r_4_3_a_wrong_address_is_refused_with_a_way_out(self):
        with self.assertRaisesMessage(UserError, "is not an e-mail address"):
            self._new_complaint(
                user=self.agent,
                partner_id=False,
                partner_name="Wendy",
                partner_email="wendy at home",
            )

    def test_r_7_4_log_acknowledgement_asks_for_the_method(self):
        """The channel suggests the method; the agent says how it was given."""
        complaint = self._new_complaint(user=self.agent)
        action = complaint.with_user(
            self.agent
        ).action_iso10002_open_log_acknowledgement()
        self.assertEqual(action["res_model"], "iso10002.acknowledgement.wizard")
        self.assertFalse(complaint.acknowledged_at)
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        with Form(Wizard.with_context(**action["context"])) as wizard:
            self.assertEqual(wizard.method, "phone")
            wizard.method = "visit"
        wizard.record.action_confirm()
        self.assertEqual(complaint.acknowledgement_method, "visit")
        self.assertEqual(complaint.acknowledged_by_id, self.agent)
        self.assertIn("In person", complaint.message_ids[0].body)
        # a letter suggests a letter; an e-mailed acknowledgement is sent, not logged
        mailed = self._new_complaint(user=self.agent, channel_id=self.channel_letter.id)
        wizard = Wizard.with_context(default_ticket_id=mailed.id).create({})
        self.assertEqual(wizard.method, "letter")
        with self.assertRaisesMessage(UserError, "Send Acknowledgement"):
            mailed.with_user(self.agent).action_iso10002_log_acknowledgement(
                method="email"
            )

    def test_r_7_4_acknowledgement_e_mail_is_sent_once(self):
        complaint = self._new_complaint(user=self.agent)
        complaint.with_user(self.agent).action_iso10002_send_acknowledgement()
        self.assertEqual(complaint.acknowledgement_method, "email")
        with self.assertRaisesMessage(UserError, "already acknowledged"):
            complaint.with_user(self.agent).action_iso10002_send_acknowledgement()

    def test_r_8_5_auditor_is_offered_no_action(self):
        """The form's actions follow write access; the auditor, who only
        reads, is offered none and cannot escalate."""
        complaint = self._new_complaint(user=self.agent)
        as_agent = complaint.with_user(self.agent)
        as_auditor = complaint.with_user(self.auditor)
        self.assertTrue(as_agent.iso10002_can_act)
        self.assertTrue(as_agent.iso10002_can_escalate)
        self.assertFalse(as_auditor.iso10002_can_act)
        self.assertFalse(as_auditor.iso10002_can_escalate)
        self.assertTrue(
            self.env["helpdesk.ticket"].with_user(self.agent).new({}).iso10002_can_act
        )
        wizard = (
            self.env["iso10002.escalate.wizard"]
            .with_user(self.auditor)
            .create({"ticket_id": complaint.id, "reason": "Looks late"})
        )
        with self.assertRaisesMessage(UserError, "Auditors read complaints"):
            wizard.action_confirm()
        self.assertFalse(complaint.escalation_ids)

    def _responded(self, **overrides):
        """A phone complaint at 'decision made'."""
        complaint = self._new_complaint(**overrides)
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        complaint.investigator_id = self.agent2
        complaint.action_iso10002_start_investigation()
        complaint.write(
            {
                "findings": "Thermostat failed.",
                "root_cause": "Supplier part.",
                "decision": "We replace the kettle.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
            }
        )
        complaint.action_iso10002_record_decision()
        return complaint

    def _decision_mails(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Our decision")
        )

    def _communicate(self, complaint, channel=None):
        action = complaint.with_user(
            self.agent
        ).action_iso10002_open_communicate_decision()
        Wizard = self.env[action["res_model"]].with_user(self.agent)
        with Form(Wizard.with_context(**action["context"])) as form:
            suggested = form.channel
            if channel:
                form.channel = channel
        form.record.action_confirm()
        return suggested

    def test_r_7_8_communicate_decision_asks_how(self):
        """A phone complaint's decision told on the phone is recorded as such,
        without e-mailing the complainant; by e-mail it is sent."""
        complaint = self._responded()
        self.assertEqual(self._communicate(complaint), "phone")
        self.assertEqual(complaint.iso10002_step, "communicated")
        self.assertEqual(complaint.communication_channel, "phone")
        self.assertEqual(complaint.communicated_by_id, self.agent)
        self.assertFalse(self._decision_mails(complaint))
        mailed = self._responded()
        self._communicate(mailed, "email")
        self.assertEqual(mailed.communication_channel, "email")
        mail = self._decision_mails(mailed)
        self.assertEqual(len(mail), 1)
        # the complainant answers from the link in the e-mail
        self.assertIn(mailed._iso10002_portal_url(), mail.body)
        self.assertIn("accept the decision, or tell us why not", mail.body)
        # the decision reads in full: no quote that the chatter folds away
        self.assertIn("We replace the kettle.", mail.body)
        self.assertNotIn("data-o-mail-quote", mail.body)
        self.assertNotIn("<blockquote", mail.body)

    def test_r_7_8_no_decision_e_mail_without_an_address(self):
        nomail = self.env["res.partner"].create({"name": "No Mail"})
        complaint = self._responded(partner_id=nomail.id)
        with self.assertRaisesMessage(UserError, "no complainant e-mail address"):
            self._communicate(complaint, "email")
        self.assertEqual(complaint.iso10002_step, "responded")
        self.assertFalse(complaint.communication_channel)

    def test_r_7_5_form_says_what_the_next_step_needs(self):
        """R-7.5 to R-7.9: at each step the form tells what the next one
        still needs, by the rules of the step guards."""
        complaint = self._new_complaint(user=self.agent)
        self.assertEqual(complaint.iso10002_next_step_needs, "Next step: Acknowledged.")
        complaint.action_iso10002_log_acknowledgement()
        hint = complaint.iso10002_next_step_needs
        self.assertIn("Next step: Assessed.", hint)
        self.assertIn("Severity", hint)
        self.assertNotIn("Assessed By", hint, "set by Confirm Assessment itself")
        self._assess(complaint)
        self.assertIn("Next step: Investigating.", complaint.iso10002_next_step_needs)
        self.assertIn("Investigator", complaint.iso10002_next_step_needs)
        complaint.investigator_id = self.agent2
        complaint.action_iso10002_start_investigation()
        hint = complaint.iso10002_next_step_needs
        self.assertIn("Findings", hint)
        self.assertNotIn("Decided By", hint)
        complaint.write(
            {
                "findings": "Thermostat failed.",
                "root_cause": "Supplier part.",
                "decision": "We refund.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
                "remedy_ids": [refund_line(self.env, 5000)],
            }
        )
        self.assertEqual(
            complaint.iso10002_next_step_needs, "Next step: Decision made."
        )
        complaint.action_iso10002_record_decision()
        hint = complaint.iso10002_next_step_needs
        self.assertIn("Next step: Decision communicated.", hint)
        self.assertIn("need a complaints manager's approval", hint)
        complaint.remedy_ids.with_user(self.manager).action_approve()
        complaint.action_iso10002_communicate_decision()
        self.assertIn(
            "has not answered the decision", complaint.iso10002_next_step_needs
        )
        # readers are not told what to do
        self.assertFalse(complaint.with_user(self.auditor).iso10002_can_act)
