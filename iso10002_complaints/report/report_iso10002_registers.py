"""The registers an auditor takes away, printed from the records they list
(ISO 10002 8.1): the corrective-action status report (8.7) and the training
register with the competence of the role holders (6.4, G.3.2). Each company
of the selection gets its own document."""

from odoo import api, fields, models
from odoo.tools.misc import format_date


def _by_company(records):
    return [
        (company, records.filtered(lambda r, c=company: r.company_id == c))
        for company in records.company_id.sorted("name")
    ]


def _printed(env):
    return env._(
        "Printed on %(date)s by %(user)s.",
        date=format_date(env, fields.Date.context_today(env.user)),
        user=env.user.name,
    )


def _labels(model, field):
    return dict(model._fields[field]._description_selection(model.env))


class ReportIso10002ActionStatus(models.AbstractModel):
    _name = "report.iso10002_complaints.report_action_status"
    _description = "Corrective-Action Status Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        Action = self.env["iso10002.action"]
        actions = Action.browse(docids).sorted(
            lambda a: (a.state != "open", a.due_date or fields.Date.today(), a.id)
        )
        states = _labels(Action, "state")
        sections = []
        for company, records in _by_company(actions):
            counts = {state: 0 for state in states}
            for action in records:
                counts[action.state] += 1
            sections.append(
                {
                    "company": company,
                    "actions": records,
                    "counts": [(states[s], n) for s, n in counts.items()],
                    "overdue": len(records.filtered("is_overdue")),
                    "unverified": len(
                        records.filtered(
                            lambda a: (
                                a.state == "implemented" and not a.effectiveness_result
                            )
                        )
                    ),
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "iso10002.action",
            "docs": actions,
            "sections": sections,
            "states": states,
            "origins": _labels(Action, "origin"),
            "types": _labels(Action, "action_type"),
            "results": _labels(Action, "effectiveness_result"),
            "printed": _printed(self.env),
            "title": self.env._("Corrective and preventive actions: status"),
        }


class ReportIso10002TrainingRegister(models.AbstractModel):
    _name = "report.iso10002_complaints.report_training_register"
    _description = "Training Register Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        Training = self.env["iso10002.training"]
        trainings = Training.browse(docids)
        Competence = self.env["iso10002.competence"]
        sections = []
        for company, records in _by_company(trainings):
            competence = Competence.search(
                [("company_id", "=", company.id)], order="state, user_id"
            )
            sections.append(
                {
                    "company": company,
                    "trainings": records.sorted(lambda t: (t.user_id.name, t.date)),
                    "competence": competence,
                    "missing": self.env._(
                        "%(missing)s of %(holders)s role holders are not trained "
                        "or their training has expired.",
                        missing=len(competence.filtered(lambda c: c.state != "valid")),
                        holders=len(competence),
                    ),
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "iso10002.training",
            "docs": trainings,
            "sections": sections,
            "effectiveness": _labels(Training, "effectiveness"),
            "competence_states": _labels(Competence, "state"),
            "printed": _printed(self.env),
            "title": self.env._("Training register (ISO 10002 6.4)"),
        }
