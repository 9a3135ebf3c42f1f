"""helpdesk_mgmt's own portal routes, made to obey the complaint rules
(R-4.7, R-7.3): complaints are shown, listed and moved only by the addon's
pages (/my/complaints...); plain tickets keep helpdesk_mgmt's pages, with the
access check done as the visitor and stage changes by POST with CSRF."""

from urllib.parse import urlencode

import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


def _to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class Iso10002HelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"], csrf=True)
    def support_ticket_close(self, **kw):
        """Close a plain ticket the visitor may read, into one of its team's
        stages open to the portal. A complaint never: it is closed by its own
        steps (R-7.9), so the visitor is sent to its page."""
        ticket = request.env["helpdesk.ticket"].browse(_to_int(kw.get("ticket_id")))
        try:
            ticket.check_access("read")
        except (AccessError, MissingError):
            return request.redirect("/my")
        if ticket.is_complaint:
            return request.redirect(f"/my/complaints/{ticket.id}")
        stage = (
            request.env["helpdesk.ticket.stage"]
            .browse(_to_int(kw.get("stage_id")))
            .exists()
        )
        closable = ticket.team_id._get_applicable_stages().filtered("close_from_portal")
        if stage in closable and not ticket.closed:
            # the visitor may read it (checked above) and the target is one of
            # the buttons they were shown; portal users cannot write tickets
            ticket.sudo().stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")

    def _get_teams(self):
        """Complaints teams take complaints through /complaints only."""
        return super()._get_teams().filtered(lambda team: not team.is_iso10002)

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        team = request.env["helpdesk.ticket.team"].sudo().browse(vals.get("team_id"))
        if team.is_iso10002:
            vals.pop("team_id")
            no_team = request.env["helpdesk.ticket.team"]
            vals["stage_id"] = no_team._get_applicable_stages()[:1].id
        return vals


class Iso10002CustomerPortalHelpdesk(CustomerPortalHelpdesk):
    def _prepare_home_portal_values(self, counters):
        """Complaints are counted once, under "My complaints"."""
        values = super()._prepare_home_portal_values(counters)
        if "ticket_count" in counters:
            Ticket = request.env["helpdesk.ticket"]
            values["ticket_count"] = (
                Ticket.search_count([("is_complaint", "=", False)])
                if Ticket.has_access("read")
                else 0
            )
        return values

    @http.route()
    def portal_my_tickets(self, *args, **kw):
        """The tickets list shows plain tickets: complaints are listed under
        "My complaints", masked as the complaint rules say."""
        request.update_context(iso10002_plain_tickets=True)
        return super().portal_my_tickets(*args, **kw)

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """A complaint opens on the complaint page, which applies the
        complaint rules (its own access check, masking, no stage buttons)."""
        ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
        if ticket.is_complaint:
            query = (
                f"?{urlencode({'access_token': access_token})}" if access_token else ""
            )
            return request.redirect(f"/my/complaints/{ticket.id}{query}")
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)
