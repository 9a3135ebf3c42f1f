"""The demo's internal audit, carried out by the demo auditor (ISO 10002
8.5): the clauses of its scope assessed on a sample of complaints and on the
records, judged against the approved objectives; the others not assessed."""

from markupsafe import Markup

from odoo import Command, models


class Iso10002Demo(models.AbstractModel):
    _inherit = "iso10002.demo"

    # what the demo auditor examined, per clause in the audit's scope
    AUDIT_EVIDENCE = {
        "R-7.2": "Each complaint examined has its reference, receipt time, channel "
        "and the person who recorded it.",
        "R-7.3": "The stage history of each complaint examined shows every step "
        "with its date and who moved it.",
        "R-7.4": "Each complaint examined was acknowledged with a reference and "
        "the date of the answer.",
        "R-7.5": "Severity, complexity and impact are recorded before the "
        "investigation in each complaint examined.",
        "R-7.6": "Findings and root cause are recorded by an investigator who "
        "was not involved.",
        "R-7.7": "Remedies are recorded with their amount; those above the "
        "limit carry the manager's approval.",
        "R-7.8": "The decision and how it was communicated are recorded, with "
        "the complainant's answer.",
        "R-8.1": "The dossiers of the complaints examined are complete and "
        "their signed records unchanged.",
    }
    # clauses judged against the approved objective of their KPI
    AUDIT_OBJECTIVES = {
        "R-4.4": "acknowledged_in_time_share",
        "R-7.9": "resolved_in_time_share",
        "R-8.3": "satisfaction",
    }

    def _load_audit(self, auditor):
        """The internal audit of the demo complaints team, carried out by the
        auditor: the clauses of its scope assessed on the evidence of a sample
        of complaints and of the records, judged against the approved
        objectives; the clauses outside its scope not assessed."""
        audit = self.env.ref("iso10002_complaints.audit_demo").with_user(auditor)
        audit.action_start()
        sample = self.env["helpdesk.ticket"].search(
            audit._scope_domain() + [("communicated_on", "!=", False)],
            order="complaint_reference",
            limit=5,
        )
        values = audit._kpis()
        objectives = {
            objective.kpi_code: objective
            for objective in self.env["iso10002.objective"].search(
                [("company_id", "=", audit.company_id.id), ("approved_on", "!=", False)]
            )
        }
        Kpi = self.env["iso10002.kpi"]
        definitions = Kpi._definitions()
        currency = audit.company_id.currency_id
        for finding in audit.finding_ids:
            code = finding.clause_id.code
            vals = {"result": "not_assessed"}
            if code in self.AUDIT_EVIDENCE:
                vals = {
                    "result": "conforming",
                    "evidence": self.AUDIT_EVIDENCE[code],
                    "ticket_ids": [Command.set(sample.ids)],
                }
            elif code in self.AUDIT_OBJECTIVES:
                kpi_code = self.AUDIT_OBJECTIVES[code]
                objective = objectives[kpi_code]
                value = values.get(kpi_code)
                unit = definitions[kpi_code].unit
                met = value is not None and (
                    value >= objective.target
                    if objective.direction == "high"
                    else value <= objective.target
                )
                vals = {
                    "result": "conforming" if met else "observation",
                    "evidence": f"{definitions[kpi_code].name}: "
                    f"{Kpi._format_value(value, unit, currency)} against the "
                    "approved objective of "
                    f"{Kpi._format_value(objective.target, unit, currency)}; "
                    "checked on the complaints examined.",
                    "ticket_ids": [Command.set(sample.ids)],
                }
            elif code == "R-6.4":
                trained = values.get("staff_trained_share")
                vals = {
                    "result": "minor" if (trained or 0.0) < 100.0 else "conforming",
                    "evidence": "Training records: "
                    f"{Kpi._format_value(trained, 'percent')} of the "
                    "customer-facing staff hold a valid training record.",
                }
            elif code == "C.5":
                vals = {
                    "result": "observation",
                    "evidence": "Read the objectivity sample of the period and its "
                    "review: one remedy smaller than for similar complaints; "
                    "its corrective action is open.",
                }
            finding.write(vals)
        assessed = audit.finding_ids.filtered(lambda f: f.result != "not_assessed")
        weak = assessed.filtered(lambda f: f.result != "conforming")
        conforming = assessed.filtered(lambda f: f.result == "conforming")
        observations = weak.filtered(lambda f: f.result == "observation")
        minor = weak.filtered(lambda f: f.result == "minor")
        audit.write(
            {
                "strengths": Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li>%s</li>") % f.criterion for f in conforming
                ),
                "weaknesses": Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li>%s: %s</li>") % (f.criterion, f.evidence) for f in weak
                ),
                "conclusion": Markup("<p>%s</p>")
                % (
                    f"{len(assessed)} of {len(audit.finding_ids)} criteria assessed "
                    f"on a sample of {len(sample)} complaints: the process conforms, "
                    f"with {len(observations)} observations and {len(minor)} minor "
                    "nonconformity. The other criteria are outside this audit's "
                    "scope and planned in the audit programme."
                ),
            }
        )
        audit.action_report()
        manager = self.env.ref("iso10002_complaints.user_demo_manager")
        for finding in weak.filtered(lambda f: f.result == "minor"):
            # the auditor raises the finding; the manager owns its action
            finding.with_user(manager).action_create_action()
