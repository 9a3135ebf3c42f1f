/** @odoo-module */
/* A complaint agent handles a phone complaint from receipt to closure in the
   web client (ISO 10002 7.2-7.9). Started by tests/test_ui_tour.py. */

import { registry } from "@web/core/registry";

function field(name, selector = "input") {
    return `.o_field_widget[name=${name}] ${selector}`;
}

// a selection field is a dropdown (Odoo 19): open it, choose the label
function choose(name, label) {
    return [
        { trigger: field(name, ".o_select_menu_toggler"), run: "click" },
        {
            trigger: `.o_field_selection_menu .o_select_menu_item:contains(${label})`,
            run: "click",
        },
        { content: `${name}: ${label}`, trigger: field(name, `input:value(${label})`) },
    ];
}

function many2one(name, value) {
    return [
        { content: `Type ${value}`, trigger: field(name), run: `edit ${value}` },
        {
            content: `Pick ${value}`,
            trigger: `.o-autocomplete--dropdown-item a:contains("${value}")`,
            run: "click",
        },
    ];
}

function tab(label) {
    return {
        content: `Open ${label}`,
        trigger: `a.nav-link:contains("${label}")`,
        run: "click",
    };
}

function button(name) {
    return { content: `Press ${name}`, trigger: `button[name=${name}]`, run: "click" };
}

function atStep(label) {
    return {
        content: `The complaint is at "${label}"`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains("${label}")`,
    };
}

registry.category("web_tour.tours").add("iso10002_complaint_tour", {
    steps: () => [
        { content: "New complaint", trigger: ".o-kanban-button-new", run: "click" },
        {
            content: "Title",
            trigger: field("name"),
            run: "edit Tour: wobbly desk leg",
        },
        ...many2one("partner_id", "Tour Complainant"),
        ...many2one("channel_id", "Phone"),
        ...many2one("complaint_category_id", "Defective product"),
        {
            content: "Description",
            trigger: field("description", ".odoo-editor-editable"),
            run: "editor The desk leg came loose on the first day.",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        atStep("Received"),
        {
            content: "A reference is given",
            trigger: ".oe_title h1:contains('CMP/')",
        },
        button("action_iso10002_open_log_acknowledgement"),
        {
            content: "Acknowledged by phone",
            trigger:
                ".modal .o_field_widget[name=method] input[data-value=phone]:checked",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { content: "Dialog closed", trigger: "body:not(:has(.modal))" },
        atStep("Acknowledged"),
        tab("Assessment"),
        ...choose("severity", "Medium"),
        ...choose("complexity", "Simple"),
        ...choose("impact", "Minor"),
        {
            trigger: `${field("assessment_outcome", "input[data-value='valid']")}`,
            run: "click",
        },
        button("action_iso10002_assess"),
        atStep("Assessed"),
        tab("Investigation"),
        ...many2one("investigator_id", "Tour Investigator"),
        button("action_iso10002_start_investigation"),
        atStep("Investigating"),
        tab("Investigation"),
        { trigger: field("findings", "textarea"), run: "edit Screw missing." },
        { trigger: field("root_cause", "textarea"), run: "edit Packing checklist." },
        tab("Decision"),
        { trigger: field("decision", "textarea"), run: "edit A technician fixes it." },
        { trigger: field("decision_items_addressed", "input"), run: "click" },
        { trigger: field("decision_confirmed", "input"), run: "click" },
        button("action_iso10002_record_decision"),
        atStep("Decision made"),
        button("action_iso10002_open_communicate_decision"),
        {
            content: "Told by phone, as the complaint came in",
            trigger:
                ".modal .o_field_widget[name=channel] input[data-value=phone]:checked",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { content: "Dialog closed", trigger: "body:not(:has(.modal))" },
        atStep("Decision communicated"),
        button("action_iso10002_record_response"),
        {
            content: "The complainant accepts",
            trigger:
                ".modal .o_field_widget[name=response] input[data-value='accepted']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { content: "Dialog closed", trigger: "body:not(:has(.modal))" },
        button("action_iso10002_close"),
        atStep("Closed"),
        tab("Deadlines and History"),
        {
            content: "The tab is open",
            trigger: 'a.nav-link.active:contains("Deadlines and History")',
        },
        {
            content: "The history lists every step",
            trigger:
                ".tab-pane.active div[name=stage_history_ids] .o_data_row:nth-child(7)",
        },
    ],
});
