"""The audit pack: for a period, everything an external auditor asks to take
away, in one archive (ISO 10002 8.1, 8.5, Annex H): the complaint register,
the KPIs, the audits and management reviews, the corrective actions, the
training and competence records and the objectivity samples."""

import base64
import io
import re
import zipfile
from datetime import timedelta

from odoo import fields, models

from ..report import iso10002_xlsx


def _safe(name):
    return re.sub(r"[^\w.-]+", "_", name or "").strip("_") or "record"


class Iso10002AuditPackWizard(models.TransientModel):
    _name = "iso10002.audit.pack.wizard"
    _inherit = ["iso10002.period.wizard"]
    _description = "Audit Pack"

    pack_file = fields.Binary(string="Audit Pack", readonly=True, attachment=False)
    pack_name = fields.Char(readonly=True)

    def action_build(self):
        self._check_period()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, content in self._files():
                archive.writestr(path, content)
        stem = self.env._(
            "Audit pack %(company)s %(start)s %(end)s",
            company=self.company_id.name,
            start=self.date_from,
            end=self.date_to,
        )
        self.write(
            {
                "pack_file": base64.b64encode(buffer.getvalue()),
                "pack_name": f"{_safe(stem)}.zip",
            }
        )
        return iso10002_xlsx.download(self, "pack_file", "pack_name")

    # ------------------------------------------------------------------
    # What the pack holds
    # ------------------------------------------------------------------
    def _files(self):
        """(path in the archive, bytes) of every document of the pack."""
        register = self.env["iso10002.register.wizard"].create(
            {
                "company_id": self.company_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
            }
        )
        files = [
            ("01-register.pdf", self._pdf("action_report_iso10002_register", register)),
            ("01-register.xlsx", iso10002_xlsx.workbook(register._sheets())),
            ("02-kpis.xlsx", iso10002_xlsx.workbook([self._kpi_sheet()])),
        ]
        for audit in self._in_period("iso10002.audit", "planned_date"):
            files.append(
                (
                    f"03-audits/{_safe(audit.name)}-{audit.id}.pdf",
                    self._pdf("action_report_iso10002_audit", audit),
                )
            )
        for review in self._in_period("iso10002.review", "date_to"):
            files.append(
                (
                    f"04-management-reviews/{_safe(review.name)}-{review.id}.pdf",
                    self._pdf("action_report_iso10002_review", review),
                )
            )
        actions = self._action_records()
        trainings = self._training_records()
        if actions:
            files.append(
                (
                    "05-corrective-actions.pdf",
                    self._pdf("action_report_iso10002_action_status", actions),
                )
            )
        files.append(
            ("05-corrective-actions.xlsx", iso10002_xlsx.workbook([self._actions()]))
        )
        if trainings:
            files.append(
                (
                    "06-training.pdf",
                    self._pdf("action_report_iso10002_training_register", trainings),
                )
            )
        files += [
            ("06-training.xlsx", iso10002_xlsx.workbook(self._training())),
            ("07-objectivity-samples.xlsx", iso10002_xlsx.workbook(self._samples())),
        ]
        files.append(("00-contents.txt", self._contents(files).encode()))
        return files

    def _pdf(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_pdf(
            f"iso10002_complaints.{report}", records.ids
        )[0]

    def _in_period(self, model, date_field):
        return self.env[model].search(
            [
                ("company_id", "=", self.company_id.id),
                (date_field, ">=", self.date_from),
                (date_field, "<=", self.date_to),
            ]
        )

    def _title(self, what):
        return self.env._(
            "%(what)s, %(company)s, %(start)s to %(end)s",
            what=what,
            company=self.company_id.name,
            start=self.date_from,
            end=self.date_to,
        )

    def _labels(self, model, field):
        Model = self.env[model]
        return dict(Model._fields[field]._description_selection(self.env))

    def _kpi_sheet(self):
        Kpi = self.env["iso10002.kpi"]
        values = Kpi._compute(self.date_from, self.date_to, companies=self.company_id)
        rows = [
            [code, kpi.name, values.get(code), kpi.unit, kpi.definition]
            for code, kpi in Kpi._definitions().items()
        ]
        _ = self.env._
        return (
            _("KPIs"),
            self._title(_("Monitoring figures (ISO 10002 Annex G)")),
            [_("Code"), _("KPI"), _("Value"), _("Unit"), _("Definition")],
            rows,
        )

    def _action_records(self):
        """The actions open at some time in the period."""
        return self.env["iso10002.action"].search(
            [
                ("company_id", "=", self.company_id.id),
                (
                    "create_date",
                    "<",
                    fields.Datetime.to_datetime(self.date_to) + timedelta(days=1),
                ),
                "|",
                ("closed_on", "=", False),
                ("closed_on", ">=", self.date_from),
            ]
        )

    def _training_records(self):
        return self.env["iso10002.training"].search(
            [("company_id", "=", self.company_id.id), ("date", "<=", self.date_to)]
        )

    def _actions(self):
        _ = self.env._
        actions = self._action_records()
        states = self._labels("iso10002.action", "state")
        origins = self._labels("iso10002.action", "origin")
        effect = self._labels("iso10002.action", "effectiveness_result")
        return (
            _("Corrective actions"),
            self._title(_("Corrective and preventive actions")),
            [
                _("Reference"),
                _("Title"),
                _("Origin"),
                _("Status"),
                _("Owner"),
                _("Due"),
                _("Closed"),
                _("Effectiveness"),
            ],
            [
                [
                    action.reference or "",
                    action.name,
                    origins.get(action.origin, ""),
                    states.get(action.state, ""),
                    action.owner_id.name or "",
                    action.due_date,
                    action.closed_on,
                    effect.get(action.effectiveness_result, ""),
                ]
                for action in actions
            ],
        )

    def _training(self):
        _ = self.env._
        trainings = self._training_records()
        effect = self._labels("iso10002.training", "effectiveness")
        competence = self.env["iso10002.competence"].search(
            [("company_id", "=", self.company_id.id)]
        )
        states = self._labels("iso10002.competence", "state")
        return [
            (
                _("Training"),
                self._title(_("Training register (ISO 10002 6.4)")),
                [
                    _("Staff member"),
                    _("Course"),
                    _("Completed on"),
                    _("Valid until"),
                    _("Certificate"),
                    _("Effectiveness"),
                    _("Evaluated by"),
                ],
                [
                    [
                        training.user_id.name,
                        training.course,
                        training.date,
                        training.expiry_date,
                        training.certificate_name or "",
                        effect.get(training.effectiveness, ""),
                        training.evaluated_by_id.name or "",
                    ]
                    for training in trainings
                ],
            ),
            (
                _("Competence today"),
                self._title(_("Competence of the role holders")),
                [_("Staff member"), _("Requirement"), _("Status"), _("Valid until")],
                [
                    [
                        row.user_id.name,
                        row.requirement_id.name,
                        states.get(row.state, ""),
                        row.expiry_date,
                    ]
                    for row in competence
                ],
            ),
        ]

    def _samples(self):
        _ = self.env._
        samples = self.env["iso10002.objectivity.sample"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_to", ">=", self.date_from),
                ("date_from", "<=", self.date_to),
            ]
        )
        states = self._labels("iso10002.objectivity.sample", "state")
        verdicts = self._labels("iso10002.objectivity.review", "verdict")
        return [
            (
                _("Samples"),
                self._title(_("Objectivity samples (ISO 10002 C.5)")),
                [
                    _("Sample"),
                    _("Reviewer"),
                    _("Status"),
                    _("Resolved complaints"),
                    _("Left out"),
                    _("Seed"),
                    _("Objective (%)"),
                ],
                [
                    [
                        sample.name,
                        sample.reviewer_id.name,
                        states.get(sample.state, ""),
                        sample.population_count,
                        sample.excluded_count,
                        sample.seed or "",
                        sample.objective_share,
                    ]
                    for sample in samples
                ],
            ),
            (
                _("Reviews"),
                self._title(_("Complaints reviewed for objectivity")),
                [_("Sample"), _("Complaint"), _("Verdict"), _("Finding"), _("Action")],
                [
                    [
                        review.sample_id.name,
                        review.ticket_id.sudo().complaint_reference,
                        verdicts.get(review.verdict, ""),
                        review.finding or "",
                        review.action_id.reference or "",
                    ]
                    for review in samples.review_ids
                ],
            ),
        ]

    def _contents(self, files):
        lines = [
            self._title(self.env._("Audit pack")),
            self.env._(
                "Made on %(date)s by %(user)s.",
                date=fields.Datetime.now().strftime("%Y-%m-%d %H:%M UTC"),
                user=self.env.user.name,
            ),
            "",
        ]
        lines += [path for path, __ in files]
        return "\n".join(lines) + "\n"
