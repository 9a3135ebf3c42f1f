/** @odoo-module */
/* The complainant's side in a real browser: complain without an account,
   answer the decision on the portal, rate the handling (ISO 10002 4.3, 7.9,
   8.3). Started by tests/test_portal_tour.py. */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("iso10002_public_complaint_tour", {
    steps: () => [
        {
            content: "From the public page, go to the form",
            trigger: "a[href='/complaints/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {trigger: "#iso_name", run: "edit Tess Tourist"},
        {trigger: "#iso_email", run: "edit tess.tourist@example.org"},
        {trigger: "#iso_title", run: "edit Table leg snapped"},
        {
            trigger: "#iso_description",
            run: "edit The table leg snapped when I put a plate on it.",
        },
        {trigger: "#iso_remedy_yes", run: "click"},
        {trigger: "#iso_remedy_text", run: "edit A new table"},
        {content: "Agree to the use of my data", trigger: "#iso_consent", run: "click"},
        {
            content: "Send",
            trigger: "button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmation shows the reference",
            trigger: ".o_iso10002_reference:contains('CMP/')",
        },
    ],
});

registry.category("web_tour.tours").add("iso10002_portal_answer_tour", {
    steps: () => [
        {
            content: "Open my complaint",
            trigger: "a:contains('CMP/')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Where it stands",
            trigger: ".o_iso10002_step:contains('please tell us if you accept it')",
        },
        {trigger: "#iso_answer_accept", run: "click"},
        {
            trigger: "button:contains('Send my answer')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded",
            trigger: ".alert-success:contains('your answer is recorded')",
        },
    ],
});

registry.category("web_tour.tours").add("iso10002_survey_tour", {
    steps: () => [
        {trigger: "#iso_score_5", run: "click"},
        {trigger: "#iso_fair_yes", run: "click"},
        {trigger: "#iso_objective_yes", run: "click"},
        {trigger: "#iso_comment", run: "edit Friendly and fast."},
        {trigger: "button:contains('Send')", run: "click", expectUnloadPage: true},
        {trigger: "h1:contains('Thank you for telling us')"},
    ],
});
