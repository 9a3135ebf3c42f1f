# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "ISO 10002 Complaints Handling",
    "summary": "Turn the helpdesk into an ISO 10002 complaints-handling system",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "iso10002_complaints contributors",
    "website": "https://github.com/iso10002-complaints/iso10002_complaints",
    "depends": ["helpdesk_mgmt", "mail", "portal", "product", "resource", "rating"],
    "data": [
        "security/iso10002_security.xml",
        "security/ir.model.access.csv",
        "data/iso10002_complaint_category_data.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/mail_template_data.xml",
        "views/iso10002_complaint_category_views.xml",
        "views/iso10002_policy_views.xml",
        "views/iso10002_stage_history_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_channel_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/iso10002_complainant_response_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/helpdesk_ticket_team_demo.xml",
        "demo/iso10002_policy_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "iso10002_complaints/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
