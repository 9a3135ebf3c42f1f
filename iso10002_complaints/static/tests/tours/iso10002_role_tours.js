/** @odoo-module */
/* What each role is offered on a complaint (ISO 10002 7.2, 7.4, 8.5).
   Started by tests/test_ui_tour.py. */

import { registry } from "@web/core/registry";

function field(name, selector = "input") {
    return `.o_field_widget[name=${name}] ${selector}`;
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
