from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase, create_outsiders

LOUISE_EMAIL = "louise.lestrange@example.org"


@tagged("post_install", "-at_install")
class TestConfidentialityMasking(ComplaintCase):
    """R-4.7, C.4, R-8.1: the complainant's personal data and the staff named
    in a complaint, masked from ``read`` for users without need-to-know, do
    not come back through search domains, ordering, grouping, aggregates,
    exports, name_search, related paths or the complainant's contact; need-to-
    know roles and plain tickets keep Odoo's behaviour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the other team comes after the web complaint (the form takes the
        # first team shown on the portal)
        create_outsiders(cls, "mask", other_team=False)
        # the known complainant sent her complaint from the web form
        public = cls.env.ref("base.public_user")
        cls.secret = (
            cls.env["helpdesk.ticket"]
            .with_user(public)
            .sudo()
            ._iso10002_create_from_web(
                cls.company,
                {
                    "mailbox": LOUISE_EMAIL,
                    "name": "Louise Lestrange",
                    "email": LOUISE_EMAIL,
                    "phone": "+33 1 23 45 67 89",
                    "title": "Rude delivery driver",
                    "description": "The driver shouted at me.",
                    "representative": "Rex Representative",
                    "contact_person": "Connie Contact",
                },
                [],
            )
            .with_env(cls.env)
        )
        cls.secret.write(
            {
                "user_id": cls.agent.id,
                "concerned_user_ids": [(6, 0, cls.named_staff.ids)],
                "concerned_department": "Deliveries",
            }
        )
        cls.louise = cls.secret.partner_id
        cls.create_other_team()
        # a complaint readable (masked) by the plain helpdesk user and by
        # its internal follower, from the same complainant
        cls.open = cls.env["helpdesk.ticket"].create(
            cls._complaint_vals(
                partner_id=cls.louise.id,
                partner_name="Louise Lestrange",
                partner_email=LOUISE_EMAIL,
                user_id=cls.agent.id,
                concerned_department="Deliveries",
            )
        )
        cls.open.message_subscribe(cls.follower.partner_id.ids)
        # people in copy of the complainant's e-mails are personal data too
        (cls.secret | cls.open).sudo().email_cc = "louise.copy@example.org"
        # and one from a contact recorded by staff (readable by everyone)
        cls.open_zed = cls.env["helpdesk.ticket"].create(
            cls._complaint_vals(
                partner_id=cls.complainant.id,
                partner_name="Zoe Zed",
                partner_email="zoe.zed@example.org",
                user_id=cls.agent.id,
            )
        )
        cls.open_zed.message_subscribe(cls.follower.partner_id.ids)
        cls.complaints = cls.secret | cls.open | cls.open_zed
        cls.pat = cls.env["res.partner"].create(
            {"name": "Pat Plain", "email": "pat@example.org", "phone": "+44 1"}
        )
        cls.plain = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer jammed",
                "description": "<p>x</p>",
                "team_id": cls.plain_team.id,
                "partner_id": cls.pat.id,
                "partner_name": "Pat Plain",
                "partner_email": "pat@example.org",
            }
        )
        cls.outsiders = {
            "agent of another team": cls.other_team_agent,
            "plain helpdesk user": cls.helpdesk_user,
            "internal follower": cls.follower,
            "named staff member": cls.named_staff,
            "user of another company": cls.foreign_manager,
        }
        cls.need_to_know = {
            "assigned agent": cls.agent,
            "complaints manager": cls.manager,
            "auditor": cls.auditor,
        }
        # (domain matching the complainant or named staff, one that does not)
        named = cls.named_staff
        cls.probes = [
            ([("partner_email", "=ilike", "l%")], [("partner_email", "=ilike", "q%")]),
            ([("email_cc", "ilike", "louise.copy")], [("email_cc", "ilike", "qq")]),
            (
                [("partner_email", "ilike", "lestrange")],
                [("partner_email", "ilike", "qq")],
            ),
            ([("partner_email", "=", LOUISE_EMAIL)], [("partner_email", "=", "q@q.q")]),
            (
                [("partner_email", "in", [LOUISE_EMAIL])],
                [("partner_email", "in", ["q"])],
            ),
            ([("partner_name", "=ilike", "lou%")], [("partner_name", "=ilike", "q%")]),
            (
                [("partner_name", "ilike", "Louise")],
                [("partner_name", "ilike", "Quentin")],
            ),
            ([("partner_id", "=", cls.louise.id)], [("partner_id", "=", cls.pat.id)]),
            (
                [("partner_id", "in", cls.louise.ids)],
                [("partner_id", "in", cls.pat.ids)],
            ),
            ([("partner_id", "ilike", "Louise")], [("partner_id", "ilike", "Quentin")]),
            (
                [("partner_id.name", "=ilike", "lou%")],
                [("partner_id.name", "=ilike", "q%")],
            ),
            (
                [("partner_id.email", "=ilike", "l%")],
                [("partner_id.email", "=ilike", "q%")],
            ),
            (
                [("partner_id.phone", "ilike", "+33")],
                [("partner_id.phone", "ilike", "+99")],
            ),
            (
                [("partner_id", "any", [("phone", "ilike", "+33")])],
                [("partner_id", "any", [("phone", "ilike", "+99")])],
            ),
            (
                [("commercial_partner_id.name", "ilike", "Louise")],
                [("commercial_partner_id.name", "ilike", "Quentin")],
            ),
            (
                [("commercial_partner_id", "=", cls.louise.id)],
                [("commercial_partner_id", "=", cls.pat.id)],
            ),
            (
                [("representative_id.name", "ilike", "Rex")],
                [("representative_id.name", "ilike", "Quentin")],
            ),
            (
                [("contact_person_id.name", "ilike", "Connie")],
                [("contact_person_id.name", "ilike", "Quentin")],
            ),
            (
                [("concerned_user_ids", "in", named.ids)],
                [("concerned_user_ids", "in", cls.follower.ids)],
            ),
            (
                [("concerned_user_ids.name", "ilike", "Nina")],
                [("concerned_user_ids.name", "ilike", "Quentin")],
            ),
            (
                [("concerned_department", "=", "Deliveries")],
                [("concerned_department", "=", "Accounts")],
            ),
        ]

    def _found(self, user, domain, **kwargs):
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        return Ticket.search(domain, **kwargs) & self.complaints

    # ------------------------------------------------------------------
    # Search domains
    # ------------------------------------------------------------------
    def test_r_4_7_search_on_personal_data_tells_outsiders_nothing(self):
        for role, user in self.outsiders.items():
            for matching, other in self.probes:
                with self.subTest(role=role, domain=matching):
                    self.assertEqual(
                        self._found(user, matching), self._found(user, other)
                    )
                    self.assertEqual(
                        self._found(user, ["!", *matching]),
                        self._found(user, ["!", *other]),
                    )
                    self.assertNotIn(self.secret, self._found(user, matching))

    def test_r_4_7_search_on_personal_data_works_with_need_to_know(self):
        for role, user in self.need_to_know.items():
            for matching, other in self.probes:
                with self.subTest(role=role, domain=matching):
                    self.assertIn(self.secret, self._found(user, matching))
                    self.assertNotIn(self.secret, self._found(user, other))
                    self.assertNotIn(self.secret, self._found(user, ["!", *matching]))

    def test_r_4_7_search_on_plain_tickets_unchanged(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_user)
        for domain in (
            [("partner_email", "=ilike", "pat@%")],
            [("partner_name", "=", "Pat Plain")],
            [("partner_id", "=", self.pat.id)],
            [("partner_id.phone", "ilike", "+44")],
            [("commercial_partner_id.name", "ilike", "Pat")],
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Ticket.search(domain), self.plain)

    def test_r_4_7_paths_from_other_models_are_masked(self):
        """A path through a complaint (here from a ticket marked as its
        duplicate) is searched with the complaint's masking."""
        dup = self.env["helpdesk.ticket"].create(
            {
                "name": "Same kettle",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "duplicate_id": self.open.id,
            }
        )
        path = [("duplicate_id.partner_email", "=ilike", "l%")]
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_user)
        self.assertIn(dup, Ticket.search([("duplicate_id", "=", self.open.id)]))
        self.assertNotIn(dup, Ticket.search(path))
        self.assertIn(dup, Ticket.with_user(self.agent).search(path))

    # ------------------------------------------------------------------
    # Order
    # ------------------------------------------------------------------
    def test_r_4_7_ordering_by_personal_data_tells_outsiders_nothing(self):
        pair = self.open | self.open_zed
        domain = [("id", "in", pair.ids)]
        for fname in ("partner_email", "partner_name", "partner_id"):
            for role, user in {
                "plain helpdesk user": self.helpdesk_user,
                "internal follower": self.follower,
            }.items():
                with self.subTest(role=role, order=fname):
                    Ticket = self.env["helpdesk.ticket"].with_user(user)
                    ascending = Ticket.search(domain, order=f"{fname} asc, id")
                    descending = Ticket.search(domain, order=f"{fname} desc, id")
                    self.assertEqual(len(ascending), 2)
                    self.assertEqual(ascending.ids, descending.ids)
            with self.subTest(role="assigned agent", order=fname):
                Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
                ascending = Ticket.search(domain, order=f"{fname} asc, id")
                descending = Ticket.search(domain, order=f"{fname} desc, id")
                self.assertEqual(ascending.ids, list(reversed(descending.ids)))
        # plain tickets still sort by their contact
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Scanner jammed",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "partner_id": self.complainant.id,
            }
        )
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_user)
        ordered = Ticket.search(
            [("id", "in", (self.plain | other).ids)], order="partner_id desc"
        )
        self.assertEqual(ordered.ids, [self.plain.id, other.id])

    # ------------------------------------------------------------------
    # Grouping and aggregates
    # ------------------------------------------------------------------
    def test_r_4_7_grouping_by_personal_data_tells_outsiders_nothing(self):
        groupbys = (
            "partner_id",
            "partner_name",
            "partner_email",
            "commercial_partner_id",
            "representative_id",
            "contact_person_id",
            "concerned_user_ids",
            "concerned_department",
        )
        domain = [("id", "in", self.complaints.ids)]
        for role, user in self.outsiders.items():
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            readable = Ticket.search_count(domain)
            for groupby in groupbys:
                with self.subTest(role=role, groupby=groupby):
                    groups = Ticket._read_group(domain, [groupby], ["__count"])
                    self.assertFalse([key for key, _count in groups if key])
                    self.assertEqual(sum(c for _k, c in groups), readable)
                    web = Ticket.web_read_group(domain, [groupby], ["__count"])
                    self.assertFalse([g for g in web["groups"] if g[groupby]])
                    # opening the empty group lists the complaints counted in it
                    self.assertEqual(
                        Ticket.search_count([*domain, (groupby, "=", False)]),
                        readable,
                    )
            with self.subTest(role=role, aggregates=True):
                [(distinct, emails, partners)] = Ticket._read_group(
                    domain,
                    [],
                    [
                        "partner_id:count_distinct",
                        "partner_email:array_agg",
                        "partner_id:recordset",
                    ],
                )
                self.assertEqual(distinct, 0)
                self.assertFalse([email for email in emails or [] if email])
                self.assertFalse(partners)
                # having on an aggregate of a protected field
                self.assertFalse(
                    Ticket._read_group(
                        domain,
                        ["stage_id"],
                        ["__count"],
                        having=[("partner_id:count_distinct", ">", 0)],
                    )
                )

    def test_r_4_7_grouping_with_need_to_know(self):
        domain = [("id", "in", self.complaints.ids)]
        for role, user in self.need_to_know.items():
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            with self.subTest(role=role):
                groups = dict(Ticket._read_group(domain, ["partner_id"], ["__count"]))
                self.assertEqual(groups[self.louise], 2)
                staff = dict(
                    Ticket._read_group(domain, ["concerned_user_ids"], ["__count"])
                )
                self.assertEqual(staff[self.named_staff], 1)
                [(emails,)] = Ticket._read_group(
                    domain, [], ["partner_email:array_agg"]
                )
                self.assertIn(LOUISE_EMAIL, emails)
        # plain tickets group by their contact for the plain helpdesk user
        Ticket = self.env["helpdesk.ticket"].with_user(self.helpdesk_user)
        groups = dict(
            Ticket._read_group(
                [("id", "=", self.plain.id)], ["partner_id"], ["__count"]
            )
        )
        self.assertEqual(groups, {self.pat: 1})

    # ------------------------------------------------------------------
    # name_search, read, export
    # ------------------------------------------------------------------
    def test_r_4_7_name_search_and_read(self):
        for role, user in self.outsiders.items():
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            with self.subTest(role=role):
                self.assertFalse(
                    {id_ for id_, _name in Ticket.name_search("Louise")}
                    & set(self.complaints.ids)
                )
                found = Ticket.name_search(
                    "", [("partner_email", "=ilike", "l%")], limit=None
                )
                self.assertFalse({id_ for id_, _n in found} & set(self.complaints.ids))
        found = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .name_search("", [("partner_email", "=ilike", "l%")])
        )
        self.assertIn(self.secret.id, [id_ for id_, _n in found])
        values = self.open.with_user(self.helpdesk_user).read(
            ["partner_id", "commercial_partner_id", "concerned_department", "email_cc"]
        )[0]
        self.assertFalse(values["partner_id"] or values["commercial_partner_id"])
        self.assertFalse(values["email_cc"])
        self.assertFalse(values["concerned_department"])

    def test_r_4_7_export_masks_paths_through_the_complainant(self):
        export = self.env.ref("base.group_allow_export")
        (self.helpdesk_user | self.agent).group_ids = [(4, export.id)]
        fields_ = ["name", "partner_id/phone", "commercial_partner_id/email"]
        rows = self.open.with_user(self.helpdesk_user).export_data(fields_)["datas"]
        self.assertEqual(rows[0][1:], ["(withheld)", "(withheld)"])
        # through another record: a plain ticket marked as its duplicate
        dup = self.env["helpdesk.ticket"].create(
            {
                "name": "Same kettle",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "duplicate_id": self.open.id,
                "partner_id": self.pat.id,
            }
        )
        rows = dup.with_user(self.helpdesk_user).export_data(
            ["partner_id/name", "duplicate_id/partner_email", "duplicate_id/name"]
        )["datas"]
        self.assertEqual(rows[0], ["Pat Plain", "(withheld)", self.open.name])
        self.open.consent_scope = "sharing"
        rows = self.open.with_user(self.agent).export_data(fields_)["datas"]
        self.assertEqual(rows[0][1:], ["+33 1 23 45 67 89", LOUISE_EMAIL])

    # ------------------------------------------------------------------
    # The contact side
    # ------------------------------------------------------------------
    def test_r_4_7_contacts_are_not_found_through_complaints(self):
        Partner = self.env["res.partner"]
        probes = [
            [("helpdesk_ticket_ids", "in", self.secret.ids)],
            [("helpdesk_ticket_ids", "=", self.open.id)],
            [("helpdesk_ticket_ids", "in", self.open_zed.ids)],
            [("helpdesk_ticket_ids", "any", [("id", "in", self.complaints.ids)])],
            [("helpdesk_ticket_ids.name", "ilike", "driver")],
            [("helpdesk_ticket_ids", "ilike", self.open_zed.number)],
            [("helpdesk_ticket_ids", "!=", False)],
        ]
        people = self.louise | self.complainant
        for role, user in self.outsiders.items():
            for domain in probes:
                with self.subTest(role=role, domain=domain):
                    self.assertFalse(Partner.with_user(user).search(domain) & people)
            with self.subTest(role=role, domain="not in"):
                # Chloe is readable by everyone: as having no ticket
                found = Partner.with_user(user).search(
                    [("helpdesk_ticket_ids", "=", False), ("id", "in", people.ids)]
                )
                self.assertNotIn(self.louise, found)
                self.assertEqual(
                    self.complainant.with_user(user).helpdesk_ticket_count, 0
                )
        for role, user in self.need_to_know.items():
            with self.subTest(role=role):
                found = Partner.with_user(user).search(
                    [("helpdesk_ticket_ids", "in", self.secret.ids)]
                )
                self.assertEqual(found, self.louise)
                self.assertEqual(self.louise.with_user(user).helpdesk_ticket_count, 2)
        # plain tickets: as in helpdesk_mgmt
        found = Partner.with_user(self.helpdesk_user).search(
            [("helpdesk_ticket_ids", "in", self.plain.ids)]
        )
        self.assertEqual(found, self.pat)
        self.assertEqual(
            self.pat.with_user(self.helpdesk_user).helpdesk_ticket_count, 1
        )

    def test_r_4_7_users_are_not_found_through_complaints(self):
        """res.users delegates helpdesk_ticket_ids to its contact: the same
        ticket search applies."""
        pia = new_test_user(
            self.env, "mask_pia", groups="base.group_portal", name="Pia Portal"
        )
        complaint = self.env["helpdesk.ticket"].create(
            self._complaint_vals(
                partner_id=pia.partner_id.id,
                user_id=self.agent.id,
                is_confidential=True,
            )
        )
        Users = self.env["res.users"].with_context(active_test=False)
        for domain in (
            [("helpdesk_ticket_ids", "in", complaint.ids)],
            [("helpdesk_ticket_ids", "=", complaint.id)],
            [("helpdesk_ticket_ids.name", "ilike", "Kettle")],
        ):
            for role, user in self.outsiders.items():
                with self.subTest(role=role, domain=domain):
                    self.assertNotIn(pia, Users.with_user(user).search(domain))
            for role, user in self.need_to_know.items():
                with self.subTest(role=role, domain=domain):
                    self.assertIn(pia, Users.with_user(user).search(domain))

    def test_r_4_7_web_complainant_contact_is_need_to_know(self):
        contacts = (
            self.secret.partner_id
            | self.secret.representative_id
            | self.secret.contact_person_id
        )
        self.assertEqual(len(contacts), 3)
        self.assertTrue(all(contacts.mapped("iso10002_complainant_contact")))
        self.assertEqual(contacts.company_id, self.company)
        for role, user in self.outsiders.items():
            Partner = self.env["res.partner"].with_user(user)
            with self.subTest(role=role):
                self.assertFalse(Partner.search([("email", "=ilike", "louise%")]))
                self.assertFalse(Partner.search([("id", "in", contacts.ids)]))
                with self.assertRaises(AccessError):
                    self.louise.with_user(user).read(["name", "email"])
                self.assertFalse(
                    {id_ for id_, _n in Partner.name_search("Lestrange")}
                    & set(contacts.ids)
                )
        for role, user in self.need_to_know.items():
            Partner = self.env["res.partner"].with_user(user)
            with self.subTest(role=role):
                self.assertEqual(Partner.search([("id", "in", contacts.ids)]), contacts)
                self.assertEqual(
                    self.louise.with_user(user).read(["email"])[0]["email"],
                    LOUISE_EMAIL,
                )
        # an agent of the team reads the contact of the complaint they may
        # read (not those of the confidential one)
        found = (
            self.env["res.partner"]
            .with_user(self.agent2)
            .search([("id", "in", contacts.ids)])
        )
        self.assertEqual(found, self.louise)

    def test_r_4_7_email_complaint_links_only_a_proven_contact(self):
        """The mail gateway's sender controls the mailbox: the complaint joins
        a contact with exactly that address, of the company or shared, not one
        typed by an anonymous web submission."""
        Ticket = self.env["helpdesk.ticket"]
        # Louise's contact was typed in the web form: not joined
        vals = Ticket._iso10002_prepare_complainant_vals(
            {
                "partner_email": f'"Louise" <{LOUISE_EMAIL.upper()}>',
                "team_id": self.team.id,
            }
        )
        self.assertNotEqual(vals["partner_id"], self.louise.id)
        made = self.env["res.partner"].browse(vals["partner_id"])
        self.assertEqual(made.email, LOUISE_EMAIL)
        self.assertEqual(made.company_id, self.company)
        self.assertTrue(made.iso10002_complainant_contact)
        # the next e-mail from the same address joins that contact
        again = Ticket._iso10002_prepare_complainant_vals(
            {"partner_email": LOUISE_EMAIL, "team_id": self.team.id}
        )
        self.assertEqual(again["partner_id"], made.id)
        # a contact recorded by staff, same address in another case: joined
        vals = Ticket._iso10002_prepare_complainant_vals(
            {"partner_email": "CHLOE@example.org", "team_id": self.team.id}
        )
        self.assertEqual(vals["partner_id"], self.complainant.id)
        # a contact of another company: not joined
        self.pat.company_id = self.foreign_manager.company_id
        vals = Ticket._iso10002_prepare_complainant_vals(
            {"partner_email": "pat@example.org", "team_id": self.team.id}
        )
        self.assertNotEqual(vals["partner_id"], self.pat.id)
        # an address that merely contains the sender's: not joined
        vals = Ticket._iso10002_prepare_complainant_vals(
            {"partner_email": "hloe@example.org", "team_id": self.team.id}
        )
        self.assertNotEqual(vals["partner_id"], self.complainant.id)
