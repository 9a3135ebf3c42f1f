from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from . import complaint_form


def public_step_text(env, step):
    """The step of a complaint in the complainant's words."""
    _ = env._
    return {
        "received": _("We have received your complaint."),
        "acknowledged": _("We have confirmed receipt and are looking into it."),
        "assessed": _("We have assessed your complaint."),
        "investigating": _("We are investigating what happened."),
        "responded": _("We have reached a decision and will send it to you."),
        "communicated": _(
            "We have sent you our decision: please tell us if you accept it."
        ),
        "review": _("Your complaint is being reviewed again."),
        "closed": _("Your complaint is closed."),
    }.get(step, "")


class Iso10002ComplaintPortal(CustomerPortal):
    def _iso_render(self, template, values, **kw):
        """Render with the page language set (the html lang attribute)."""
        lang = request.env.lang or "en_US"
        values = dict(values, html_data={"lang": lang.replace("_", "-")})
        return request.render(template, values, **kw)

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "iso10002_complaint_count" in counters:
            values["iso10002_complaint_count"] = request.env[
                "helpdesk.ticket"
            ].search_count(self._my_complaints_domain())
        return values

    def _my_complaints_domain(self):
        partner = request.env.user.partner_id
        return [
            ("is_complaint", "=", True),
            "|",
            ("partner_id", "=", partner.id),
            ("representative_id", "=", partner.id),
        ]

    # ------------------------------------------------------------------
    # Public page and form (R-4.3, Annex B)
    # ------------------------------------------------------------------
    def _public_company(self, company_id=None):
        Company = request.env["res.company"].sudo()
        company = Company.browse(company_id).exists() if company_id else None
        return company or request.env.company.sudo()

    @http.route(
        ["/complaints", "/complaints/<int:company_id>"],
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        readonly=True,
    )
    def complaints_public_page(self, company_id=None, **kw):
        company = self._public_company(company_id)
        values = request.env["helpdesk.ticket"].sudo()._iso10002_public_info(company)
        values.update(page_name="iso10002_public")
        return self._iso_render("iso10002_complaints.public_page", values)

    @http.route(
        ["/complaints/statistics", "/complaints/<int:company_id>/statistics"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def complaints_statistics(self, company_id=None, **kw):
        """Anonymised statistics of the last twelve months (8.1 e), only when
        the company publishes them."""
        company = self._public_company(company_id)
        if not company.iso10002_publish_statistics:
            raise NotFound()
        values = request.env["iso10002.public.statistics"].sudo()._compute(company)
        values.update(company=company, page_name="iso10002_statistics")
        return self._iso_render("iso10002_complaints.public_statistics", values)

    def _form_defaults(self):
        user = request.env.user
        if user._is_public():
            return {}
        partner = user.partner_id
        return {
            "name": partner.name or "",
            "street": partner.street or "",
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country_id": str(partner.country_id.id or ""),
            "phone": partner.phone or "",
            "email": partner.email or "",
        }

    def _web_client(self):
        """The client a submission token is bound to (its network address,
        hashed)."""
        return (
            request.env["helpdesk.ticket"]
            .sudo()
            ._iso10002_web_client(request.httprequest.remote_addr or "")
        )

    def _render_form(self, company, values, errors, status=200):
        Ticket = request.env["helpdesk.ticket"].sudo()
        info = Ticket._iso10002_public_info(company)
        client = self._web_client()
        token = values.get("submission_token")
        if not Ticket._iso10002_check_submission_token(token, client):
            token = Ticket._iso10002_issue_submission_token(client)
        info.update(
            page_name="iso10002_form",
            form=values,
            errors=errors,
            countries=request.env["res.country"].sudo().search([]),
            submission_token=token,
            max_file_mb=company.iso10002_attachment_max_mb,
            max_files=complaint_form.MAX_FILES,
        )
        return self._iso_render(
            "iso10002_complaints.complaint_form", info, status=status
        )

    @http.route(
        ["/complaints/new", "/complaints/<int:company_id>/new"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def complaints_form(self, company_id=None, **kw):
        company = self._public_company(company_id)
        return self._render_form(company, self._form_defaults(), {})

    @http.route(
        ["/complaints/submit", "/complaints/<int:company_id>/submit"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def complaints_submit(self, company_id=None, **post):
        """R-4.3: a rejected submission stores nothing and keeps its token, so
        that the corrected one is stored; the token is spent only by the
        complaint it created."""
        company = self._public_company(company_id)
        Ticket = request.env["helpdesk.ticket"].sudo().with_company(company)
        client = self._web_client()
        values, tainted = complaint_form.clean(post)
        token = post.get("submission_token") or ""
        if not Ticket._iso10002_check_submission_token(token, client):
            values["submission_token"] = False
            return self._render_form(
                company,
                values,
                {
                    "form": request.env._(
                        "This form has expired. Please check your details and "
                        "send it again."
                    )
                },
                status=400,
            )
        # a double submit (back button, double click) shows the first one
        done = Ticket.search([("iso10002_submission_token", "=", token)], limit=1)
        if done:
            return request.redirect(f"/complaints/thanks/{token}")
        values["submission_token"] = token
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload and upload.filename
        ]
        files = []
        contents = []
        for upload in uploads:
            data = upload.read()
            files.append((upload.filename, len(data), upload.mimetype))
            contents.append((upload.filename, data, upload.mimetype))
        errors = complaint_form.validate(
            values,
            files,
            company.iso10002_attachment_max_mb * 1024 * 1024,
            request.env._,
            tainted=tainted,
        )
        if not errors:
            values["mailbox"] = complaint_form.mailbox(values["email"])
            values["client"] = client
            limited = Ticket._iso10002_web_rate_limit_error(
                company, values["mailbox"], client
            )
            if limited:
                errors["form"] = limited
        if errors:
            return self._render_form(company, values, errors, status=400)
        user = request.env.user
        # submissions received at the same time queue here rather than fail
        # on the reference counter
        request.env["iso10002.web.submission"].sudo()._wait_for_receipts()
        try:
            with request.env.cr.savepoint():
                Ticket._iso10002_create_from_web(
                    company,
                    values,
                    contents,
                    user_partner=None if user._is_public() else user.partner_id,
                )
        except (UserError, ValidationError) as error:
            return self._render_form(
                company, values, {"form": str(error.args[0])}, status=400
            )
        # the same token sent twice at once: both show the one complaint
        return request.redirect(f"/complaints/thanks/{token}")

    @http.route(
        "/complaints/thanks/<string:token>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def complaints_thanks(self, token, **kw):
        """Only the client the token was issued to, before it expires."""
        Ticket = request.env["helpdesk.ticket"].sudo()
        if not Ticket._iso10002_check_submission_token(token, self._web_client()):
            raise NotFound()
        complaint = Ticket.search([("iso10002_submission_token", "=", token)], limit=1)
        if not complaint:
            raise NotFound()
        # the tracking link while the complaint holds what was typed; once the
        # owner of the address joined it to their contact, only they follow it
        follow_url = False
        if complaint.partner_id == complaint.iso10002_web_partner_id:
            follow_url = (
                f"/my/complaints/{complaint.id}"
                if complaint.partner_id == request.env.user.partner_id
                else complaint._iso10002_portal_url()
            )
        return self._iso_render(
            "iso10002_complaints.complaint_thanks",
            {
                "complaint": complaint,
                "follow_url": follow_url,
                "page_name": "iso10002_thanks",
            },
        )

    # ------------------------------------------------------------------
    # Proving the address: the e-mailed link joins a web complaint to the
    # existing contact
    # ------------------------------------------------------------------
    def _link_target(self, token):
        found = request.env["helpdesk.ticket"].sudo()._iso10002_from_link_token(token)
        if not found:
            raise NotFound()
        return found

    @http.route(
        "/complaints/link/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def complaints_link(self, token, **kw):
        """A page with a button: mail scanners that open links change nothing."""
        complaint, _partner = self._link_target(token)
        return self._iso_render(
            "iso10002_complaints.complaint_link",
            {"complaint": complaint, "token": token, "page_name": "iso10002_link"},
        )

    @http.route(
        "/complaints/link/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
        sitemap=False,
    )
    def complaints_link_confirm(self, token, **kw):
        complaint, partner = self._link_target(token)
        complaint._iso10002_link_to_contact(partner)
        user = request.env.user
        if not user._is_public() and user.partner_id == partner:
            return request.redirect(f"/my/complaints/{complaint.id}")
        return request.redirect(complaint._iso10002_portal_url())

    # ------------------------------------------------------------------
    # Tracking and answering the decision
    # ------------------------------------------------------------------
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(self, page=1, **kw):
        """The complainant's complaints, newest first, a page at a time."""
        Ticket = request.env["helpdesk.ticket"]
        domain = self._my_complaints_domain()
        pager = portal_pager(
            url="/my/complaints",
            total=Ticket.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Ticket.search(
            domain,
            order="received_at desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            complaints=complaints, pager=pager, page_name="iso10002_complaints"
        )
        return self._iso_render("iso10002_complaints.portal_my_complaints", values)

    def _complaint_check_access(self, ticket_id, access_token=None):
        """The complaint, sudoed, if the visitor may see it: by its access
        token, or as the complainant or their representative (record rules
        apply first: the id is never looked up with sudo alone)."""
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        ticket_sudo = ticket.sudo().exists()
        if not ticket_sudo or not ticket_sudo.is_complaint:
            raise MissingError(request.env._("This complaint does not exist."))
        if access_token:
            if ticket_sudo.access_token and consteq(
                ticket_sudo.access_token, access_token
            ):
                return ticket_sudo
            raise AccessError(request.env._("This link is not valid."))
        user = request.env.user
        if user._is_public():
            raise AccessError(request.env._("Please log in to see your complaints."))
        ticket.check_access("read")
        if user.partner_id not in (
            ticket_sudo.partner_id | ticket_sudo.representative_id
        ):
            raise AccessError(request.env._("This is not your complaint."))
        return ticket_sudo

    @http.route(
        ["/my/complaints/<int:ticket_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_complaint(self, ticket_id, access_token=None, **kw):
        try:
            complaint = self._complaint_check_access(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(complaint._iso10002_portal_values())
        values.update(
            complaint=complaint,
            access_token=access_token,
            page_name="iso10002_complaint",
            step_text=public_step_text(request.env, complaint.iso10002_step),
            answer_error=kw.get("answer_error"),
            answered=kw.get("answered"),
            token=access_token or complaint.access_token,
            # the chatter shows only what the complainant may read
            object=complaint,
        )
        return self._iso_render("iso10002_complaints.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/<int:ticket_id>/answer"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_complaint_answer(self, ticket_id, access_token=None, **post):
        try:
            complaint = self._complaint_check_access(ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/complaints/{complaint.id}"
        query = f"access_token={access_token}&" if access_token else ""
        try:
            complaint._iso10002_answer_from_portal(
                post.get("answer"),
                (post.get("reason") or "").strip(),
                post.get("review_type"),
                author=request.env.user.partner_id
                if not request.env.user._is_public()
                else complaint.partner_id,
                provider_id=post.get("provider_id"),
            )
        except UserError as error:
            return request.redirect(
                f"{url}?{query}answer_error={quote(str(error.args[0]))}#iso_answer"
            )
        return request.redirect(f"{url}?{query}answered=1")

    # ------------------------------------------------------------------
    # Satisfaction survey (R-8.3, C.5)
    # ------------------------------------------------------------------
    def _survey(self, token):
        survey = (
            request.env["iso10002.satisfaction"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        if not token or not survey:
            raise NotFound()
        return survey

    @http.route(
        "/complaints/survey/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def complaints_survey(self, token, **kw):
        survey = self._survey(token)
        if survey._is_expired():
            return self._survey_expired_page(survey)
        return self._iso_render(
            "iso10002_complaints.satisfaction_form",
            {
                "survey": survey,
                "errors": {},
                "form": {},
                "page_name": "iso10002_survey",
            },
        )

    def _survey_expired_page(self, survey):
        """An old link (R-4.7): says so, shows no form, takes no answer."""
        message = request.env._(
            "This survey link has expired. Thank you all the same: you can "
            "still write to us about your complaint."
        )
        return self._iso_render(
            "iso10002_complaints.satisfaction_form",
            {
                "survey": survey,
                "expired": True,
                "errors": {"form": message},
                "form": {},
                "page_name": "iso10002_survey",
            },
            status=410,
        )

    @http.route(
        "/complaints/survey/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def complaints_survey_submit(self, token, **post):
        survey = self._survey(token)
        errors = {}
        try:
            score = int(post.get("score") or 0)
        except ValueError:
            score = 0
        if score not in range(1, 6):
            errors["score"] = request.env._("Please choose a rating from 1 to 5.")
        comment = (post.get("comment") or "").strip()[:2000]
        if survey._is_expired():
            return self._survey_expired_page(survey)
        if errors or survey.submitted_on:
            if survey.submitted_on:
                errors["form"] = request.env._(
                    "Thank you, we already have your answer."
                )
            return self._iso_render(
                "iso10002_complaints.satisfaction_form",
                {"survey": survey, "errors": errors, "form": post},
                status=400,
            )
        survey._submit(
            score,
            comment,
            post.get("fair") if post.get("fair") in ("yes", "partly", "no") else False,
            post.get("objective")
            if post.get("objective") in ("yes", "partly", "no")
            else False,
        )
        return self._iso_render(
            "iso10002_complaints.satisfaction_thanks", {"survey": survey}
        )
