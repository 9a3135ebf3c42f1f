/** @odoo-module */
/* What each role is offered on a complaint (ISO 10002 7.2, 7.4, 8.5).
   Started by tests/test_ui_tour.py. */

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

function absent(selector, content) {
    return { content, trigger: `.o_form_view:not(:has(${selector}))` };
}

/* An agent records a phone complaint from a caller who is not yet a
   contact, and logs the acknowledgement given on the phone. */
registry.category("web_tour.tours").add("iso10002_phone_intake_tour", {
    steps: () => [
        {
            content: "The complaints open by step",
            trigger:
                ".o_kanban_view .o_kanban_group .o_column_title:contains('Received')",
        },
        { content: "New complaint", trigger: ".o-kanban-button-new", run: "click" },
        {
            content: "A new complaint is named New, not '/ - False'",
            trigger: ".o_last_breadcrumb_item:contains('New'):not(:contains('False'))",
        },
        {
            content: "Channel and contact are required",
            trigger: `.o_field_widget[name=channel_id].o_required_modifier`,
        },
        { trigger: `.o_field_widget[name=partner_id].o_required_modifier` },
        absent(
            "button[name=action_iso10002_open_log_acknowledgement]",
            "No acknowledgement before saving",
        ),
        absent("button[name=action_iso10002_escalate]", "No escalation before saving"),
        { trigger: field("name"), run: "edit Intake: parcel left in the rain" },
        { trigger: field("channel_id"), run: "edit Phone" },
        { trigger: ".o-autocomplete--dropdown-item a:contains('Phone')", run: "click" },
        {
            content: "The caller's name",
            trigger: field("partner_name"),
            run: "edit Carla Caller",
        },
        { trigger: field("partner_phone"), run: "edit +1 555 0142" },
        {
            content: "With the caller's name, the contact is no longer required",
            trigger: ".o_field_widget[name=partner_id]:not(.o_required_modifier)",
        },
        {
            trigger: field("description", ".odoo-editor-editable"),
            run: "editor The parcel was left outside in the rain.",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        {
            content: "A reference is given",
            trigger: ".oe_title h1:contains('CMP/')",
        },
        {
            content: "The caller is now the complaint's contact",
            trigger: ".o_field_widget[name=partner_id] input:value(Carla Caller)",
        },
        {
            content: "with the phone taken on the call",
            trigger: ".o_field_widget[name=partner_phone]:contains('+1 555 0142')",
        },
        {
            content: "Log Acknowledgement",
            trigger: "button[name=action_iso10002_open_log_acknowledgement]",
            run: "click",
        },
        {
            content: "The dialog asks how; the phone channel suggests Telephone",
            trigger:
                ".modal .o_field_widget[name=method] input[data-value=phone]:checked",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { content: "Dialog closed", trigger: "body:not(:has(.modal))" },
        {
            content: "The complaint is acknowledged",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Acknowledged')",
        },
        absent(
            "button[name=action_iso10002_send_acknowledgement]",
            "No second acknowledgement is offered",
        ),
        {
            content: "The next step is offered",
            trigger: "button[name=action_iso10002_assess]",
        },
    ],
});

/* The auditor reads a complaint and is offered no action: no buttons in the
   header, no posting, activities or following in the chatter. */
registry.category("web_tour.tours").add("iso10002_auditor_reads_only_tour", {
    steps: () => [
        {
            content: "The complaint is shown",
            trigger: ".o_form_view .oe_title h1:contains('CMP/')",
        },
        {
            content: "The header offers no action",
            trigger:
                ".o_form_view .o_form_statusbar:not(:has(.o_statusbar_buttons button))",
        },
        {
            content: "The chatter shows the messages, without Send message or Log note",
            trigger:
                ".o-mail-Chatter:has(.o-mail-Message)" +
                ":not(:has(.o-mail-Chatter-sendMessage))" +
                ":not(:has(.o-mail-Chatter-logNote))" +
                ":not(:has(.o-mail-Chatter-activity))" +
                ":not(:has(.o-mail-Chatter-follow))",
        },
        {
            content: "No remedy action on the lines",
            trigger: "a.nav-link:contains('Remedies')",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=remedy_ids] .o_data_row" +
                ":not(:has(button[name=action_approve]))" +
                ":not(:has(button[name=action_cancel]))",
        },
    ],
});

/* A complaints manager approves a remedy above the limit from the
   "To Approve" inbox: the line leaves the inbox. */
registry.category("web_tour.tours").add("iso10002_manager_approves_remedy_tour", {
    steps: () => [
        {
            content: "The remedy waits, with its complaint",
            trigger:
                ".o_list_view .o_data_row:contains('Inbox: burnt toast'):contains('900')",
        },
        {
            content: "Approve it",
            trigger:
                ".o_data_row:contains('Inbox: burnt toast') button[name=action_approve]",
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Inbox: burnt toast')))",
        },
    ],
});

/* Top management approves the policy version waiting in "To Approve". */
registry.category("web_tour.tours").add("iso10002_director_approves_policy_tour", {
    steps: () => [
        {
            content: "The draft version waits",
            trigger: ".o_list_view .o_data_row:contains('Tour policy') td[name=name]",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "It is approved",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Back to the inbox",
            trigger: ".o_breadcrumb a:contains('Policies to Approve')",
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour policy')))",
        },
    ],
});

function tab(label) {
    return {
        content: `Open ${label}`,
        trigger: `a.nav-link:contains("${label}")`,
        run: "click",
    };
}

function atStep(label) {
    return {
        content: `The complaint is at "${label}"`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains("${label}")`,
    };
}

function pick(name, value, scope = "") {
    return [
        {
            content: `Type ${value}`,
            trigger: `${scope} ${field(name)}`,
            run: `edit ${value}`,
        },
        {
            content: `Pick ${value}`,
            trigger: `.o-autocomplete--dropdown-item a:contains("${value}")`,
            run: "click",
        },
    ];
}

function confirmDialog() {
    return [
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { content: "Dialog closed", trigger: "body:not(:has(.modal))" },
    ];
}

const REMEDIES = ".o_field_widget[name=remedy_ids]";

/* Annex A: the one person of a small bakery takes a phone complaint and
   carries it alone to its closure, a remedy above the approval limit
   included (she approves it herself: there is nobody else). */
registry.category("web_tour.tours").add("iso10002_bakery_cycle_tour", {
    steps: () => [
        {
            content: "The columns are the simplified steps, without Investigating",
            trigger:
                ".o_kanban_view:has(.o_column_title:contains('Received'))" +
                ":not(:has(.o_column_title:contains('Investigating')))",
        },
        { content: "New complaint", trigger: ".o-kanban-button-new", run: "click" },
        { trigger: field("name"), run: "edit Bakery: stale loaf" },
        ...pick("partner_id", "Paul Patron"),
        ...pick("channel_id", "Phone"),
        ...pick("complaint_category_id", "Defective product"),
        {
            trigger: field("description", ".odoo-editor-editable"),
            run: "editor The loaf sold this morning was stale.",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        { content: "A reference is given", trigger: ".oe_title h1:contains('CMP/')" },
        {
            content: "The status bar has no Investigating step",
            trigger:
                ".o_statusbar_status:has(button:contains('Assessed'))" +
                ":not(:has(button:contains('Investigating')))",
        },
        {
            trigger: "button[name=action_iso10002_open_log_acknowledgement]",
            run: "click",
        },
        ...confirmDialog(),
        atStep("Acknowledged"),
        tab("Assessment"),
        ...choose("severity", "Medium"),
        ...choose("complexity", "Simple"),
        ...choose("impact", "Minor"),
        {
            trigger: field("assessment_outcome", "input[data-value='valid']"),
            run: "click",
        },
        { trigger: "button[name=action_iso10002_assess]", run: "click" },
        atStep("Assessed"),
        tab("Investigation"),
        ...pick("investigator_id", "Tina Tourbaker"),
        { trigger: field("findings", "textarea"), run: "edit Yesterday's tray." },
        { trigger: field("root_cause", "textarea"), run: "edit Tray not cleared." },
        tab("Decision"),
        {
            trigger: field("decision", "textarea"),
            run: "edit A refund and a fresh loaf.",
        },
        { trigger: field("decision_items_addressed", "input"), run: "click" },
        { trigger: field("decision_confirmed", "input"), run: "click" },
        tab("Remedies"),
        {
            content: "Add a remedy",
            trigger: `${REMEDIES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        ...pick("remedy_id", "Take back and refund", `${REMEDIES} .o_data_row`),
        {
            trigger: `${REMEDIES} .o_data_row .o_field_widget[name=amount] input`,
            run: "edit 80",
        },
        { content: "Save", trigger: ".o_form_button_save", run: "click" },
        {
            content: "Above the limit, the remedy needs approval",
            trigger: `${REMEDIES} .o_data_row:contains('Needs approval')`,
        },
        { trigger: "button[name=action_iso10002_record_decision]", run: "click" },
        atStep("Decision made"),
        tab("Remedies"),
        {
            content: "She is offered the approval of her own proposal",
            trigger: `${REMEDIES} .o_data_row button[name=action_approve]`,
            run: "click",
        },
        {
            content: "Approved, by her",
            trigger:
                `${REMEDIES} .o_data_row:contains('Approved'):contains('Tina Tourbaker')` +
                ":not(:has(button[name=action_approve]))",
        },
        {
            trigger: "button[name=action_iso10002_open_communicate_decision]",
            run: "click",
        },
        {
            content: "Told by phone",
            trigger: ".modal .o_field_widget[name=channel] input[data-value=phone]",
            run: "click",
        },
        ...confirmDialog(),
        atStep("Decision communicated"),
        { trigger: "button[name=action_iso10002_record_response]", run: "click" },
        {
            content: "The customer accepts",
            trigger:
                ".modal .o_field_widget[name=response] input[data-value='accepted']",
            run: "click",
        },
        ...confirmDialog(),
        tab("Remedies"),
        {
            content: "The refund is made",
            trigger: `${REMEDIES} .o_data_row button[name=action_implement]`,
            run: "click",
        },
        {
            trigger: `${REMEDIES} .o_data_row:not(:has(button[name=action_implement]))`,
        },
        { trigger: "button[name=action_iso10002_close]", run: "click" },
        atStep("Closed"),
    ],
});
