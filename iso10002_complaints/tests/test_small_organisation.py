from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AGENT, MANAGER, TOP, ComplaintCase, company_user, refund_line


@tagged("post_install", "-at_install")
class TestSmallOrganisation(ComplaintCase):
    """Annex A: the small-organisation setting configures one team, the
    simplified stage set and the defaults through the ordinary records; the
    complaint then runs through the same steps and guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls.env["res.company"].create({"name": "Corner Shop"})
        cls.owner = company_user(
            cls.env, "corner_owner", cls.small, AGENT, "Olga Owner"
        )
        cls.helper = company_user(
            cls.env, "corner_helper", cls.small, AGENT, "Hal Helper"
        )

    def _switch_on(self):
        settings = (
            self.env["res.config.settings"]
            .with_company(self.small)
            .create({"iso10002_small_organisation": True})
        )
        settings.execute()
        return self.env["helpdesk.ticket.team"].search(
            [("company_id", "=", self.small.id), ("is_iso10002", "=", True)]
        )

    def test_setting_configures_one_team_with_the_simplified_stages(self):
        """R-Annex-A: one team, every complaints agent of the company in it,
        fewer stages, a draft policy, a management representative."""
        team = self._switch_on()
        self.assertEqual(len(team), 1)
        self.assertTrue(team.iso10002_simplified)
        self.assertEqual(team.user_ids, self.owner | self.helper)
        steps = team._get_applicable_stages().mapped("iso10002_step")
        self.assertNotIn("investigating", steps)
        self.assertEqual(
            set(steps),
            {
                "received",
                "acknowledged",
                "assessed",
                "responded",
                "communicated",
                "review",
                "closed",
            },
        )
        self.assertFalse(
            team._get_applicable_stages().filtered("iso10002_sla_pause"),
            "the waiting stage is left out of the simplified set",
        )
        self.assertEqual(len(self.team._get_applicable_stages()), 9, "full set")
        policy = self.env["iso10002.policy"].search(
            [("company_id", "=", self.small.id)]
        )
        self.assertEqual(policy.state, "draft", "top management approves it")
        self.assertIn("free", policy.content)
        self.assertTrue(self.small.iso10002_management_representative_id)
        # applying again neither duplicates the team nor the policy
        self.small.iso10002_small_organisation = False
        self.assertFalse(team.iso10002_simplified, "switching off restores stages")
        self.assertEqual(len(team._get_applicable_stages()), 9)
        self.assertEqual(self._switch_on(), team)
        self.assertEqual(
            self.env["iso10002.policy"].search_count(
                [("company_id", "=", self.small.id)]
            ),
            1,
        )

    def test_kanban_columns_follow_the_simplified_set(self):
        self._switch_on()
        Stage = self.env["helpdesk.ticket.stage"]
        Ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.owner)
            .with_context(iso10002_complaints=True)
        )
        columns = Ticket._read_group_stage_ids(Stage, [])
        self.assertNotIn(self.stage["investigating"], columns)
        self.assertEqual(len(columns), 7)
        # a complaint left in a stage outside the set keeps its column
        columns = Ticket._read_group_stage_ids(self.stage["investigating"], [])
        self.assertIn(self.stage["investigating"], columns)
        # the main company's team uses every stage
        full = self.env["helpdesk.ticket"].with_context(iso10002_complaints=True)
        self.assertEqual(len(full._read_group_stage_ids(Stage, [])), 9)

    def test_status_bar_follows_the_simplified_set(self):
        """Annex A: the form's status bar of a small organisation's complaint
        offers the simplified stages only (no Investigating, no Waiting)."""
        team = self._switch_on()
        domain = self.env["helpdesk.ticket"]._fields["stage_id"].domain
        Stage = self.env["helpdesk.ticket.stage"]

        def steps(team, simplified):
            values = {
                "team_id": team.id,
                "is_complaint": True,
                "iso10002_simplified": simplified,
            }
            stages = Stage.search(safe_eval(domain, values))
            return stages.mapped("iso10002_step")

        small = steps(team, team.iso10002_simplified)
        self.assertNotIn("investigating", small)
        self.assertIn("assessed", small)
        self.assertIn("investigating", steps(self.team, self.team.iso10002_simplified))

    def test_existing_team_is_reused_and_archived_defaults_come_back(self):
        existing = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Shop complaints",
                "is_iso10002": True,
                "company_id": self.small.id,
            }
        )
        standard = self.env.ref("iso10002_complaints.sla_policy_standard")
        standard.active = False
        self.assertEqual(self._switch_on(), existing)
        self.assertTrue(standard.active)
        self.assertTrue(existing.iso10002_simplified)

    def test_complaint_runs_the_same_steps_with_fewer_columns(self):
        """R-7.6 still applies: a valid complaint needs its investigation
        recorded before the decision, without an 'Investigating' column."""
        team = self._switch_on()
        Ticket = self.env["helpdesk.ticket"].with_user(self.owner)
        complaint = Ticket.create(
            self._complaint_vals(team_id=team.id, user_id=self.owner.id)
        )
        self.assertTrue(complaint.complaint_reference.startswith("CMP/"))
        self.assertEqual(complaint.stage_id, self.stage["received"])
        self.assertFalse(complaint.iso10002_has_investigation_stage)
        self.assertTrue(
            self._new_complaint().iso10002_has_investigation_stage, "full mode"
        )
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        self.assertEqual(complaint.stage_id, self.stage["assessed"])
        with self.assertRaisesMessage(UserError, "no stage for the ISO 10002 step"):
            complaint.action_iso10002_start_investigation()
        complaint.decision = "Replace the item."
        with self.assertRaisesMessage(UserError, "Investigator"):
            complaint.action_iso10002_record_decision()
        complaint.write(
            {
                "investigator_id": self.helper.id,
                "findings": "Damaged in transit.",
                "root_cause": "Packaging too thin.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
            }
        )
        complaint.action_iso10002_record_decision()
        self.assertEqual(complaint.stage_id, self.stage["responded"])
        complaint.communication_channel = "phone"
        complaint.action_iso10002_communicate_decision()
        self._answer(complaint, "accepted")
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertEqual(
            complaint.stage_history_ids.mapped("iso10002_step"),
            ["received", "acknowledged", "assessed", "responded", "communicated"]
            + ["closed"],
        )

    def _one_person_complaint(self, person, team):
        """A complaint taken, assessed and decided by ``person`` alone, with a
        remedy above the company's approval limit."""
        self.small.iso10002_remedy_approval_limit = 50
        complaint = (
            self.env["helpdesk.ticket"]
            .with_user(person)
            .create(self._complaint_vals(team_id=team.id, user_id=person.id))
        )
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        complaint.write(
            {
                "investigator_id": person.id,
                "findings": "Stale bread sold as fresh.",
                "root_cause": "Yesterday's tray not cleared.",
                "decision": "A refund and a fresh loaf.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
                "remedy_ids": [refund_line(self.env, 80)],
            }
        )
        return complaint

    def test_annex_a_the_one_manager_completes_the_cycle_alone(self):
        """Annex A: the only complaints manager of a small organisation
        approves the remedy above the limit they proposed and verifies their
        own action; the signatures say so. A second manager brings
        segregation of duties back (R-7.7, R-8.7)."""
        team = self._switch_on()
        bea = company_user(self.env, "corner_bea", self.small, TOP, "Bea Baker")
        team.user_ids = [(4, bea.id)]
        complaint = self._one_person_complaint(bea, team)
        remedy = complaint.remedy_ids
        self.assertTrue(remedy.needs_approval)
        complaint.action_iso10002_record_decision()
        remedy.with_user(bea).action_approve()
        self.assertEqual(remedy.approved_by_id, bea)
        signature = remedy.iso10002_signature_ids
        self.assertIn("Annex A", signature.meaning)
        complaint.with_user(bea).communication_channel = "phone"
        complaint.with_user(bea).action_iso10002_communicate_decision()
        self._answer(complaint, "accepted")
        remedy.with_user(bea).action_implement()
        complaint.with_user(bea).action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        # her own corrective action, verified by herself
        action = (
            self.env["iso10002.action"]
            .with_user(bea)
            .create(
                {
                    "name": "Clear yesterday's tray",
                    "company_id": self.small.id,
                    "owner_id": bea.id,
                }
            )
        )
        action.action_implemented()
        action.write(
            {
                "effectiveness_result": "effective",
                "effectiveness_notes": "No stale bread.",
            }
        )
        action.action_close()
        self.assertEqual(action.state, "closed")
        self.assertIn("Annex A", action.iso10002_signature_ids[-1:].meaning)
        # a second complaints manager: segregation of duties holds again
        company_user(self.env, "corner_max", self.small, MANAGER, "Max Manager")
        second = self._one_person_complaint(bea, team)
        second.action_iso10002_record_decision()
        with self.assertRaisesMessage(UserError, "segregation of duties"):
            second.remedy_ids.with_user(bea).action_approve()

    def test_public_page_accepts_web_complaints_once_switched_on(self):
        Ticket = self.env["helpdesk.ticket"].sudo()
        self.assertFalse(Ticket._iso10002_public_info(self.small)["accepts_web"])
        self._switch_on()
        self.assertTrue(Ticket._iso10002_public_info(self.small)["accepts_web"])

    def test_company_created_in_small_organisation_mode(self):
        company = self.env["res.company"].create(
            {"name": "Kiosk", "iso10002_small_organisation": True}
        )
        team = self.env["helpdesk.ticket.team"].search(
            [("company_id", "=", company.id), ("is_iso10002", "=", True)]
        )
        self.assertEqual(len(team), 1)
        self.assertTrue(team.iso10002_simplified)
