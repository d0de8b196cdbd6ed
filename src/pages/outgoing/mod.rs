//! Outgoing webhooks: the new page (also the duplicate page, `?duplicate=<id>`) and the edit
//! page, both the shared editor with the outgoing form table (its fields follow the event)
//! and, beside it, a trigger tester. The call history has its own page, linked from the edit
//! page.

mod tester;

use super::editor::{self, hint, Ctx, Part, ENGINE_ROW};
use crate::components::Control;
use crate::core::field::Field;
use crate::core::model::Kind;
use leptos::prelude::*;
use tester::TriggerTester;

const PARTS: [Part; 28] = [
    Part::Heading("When it fires"),
    Part::Row(Field::Enabled, Control::Toggle, "A disabled webhook calls nothing."),
    Part::Row(Field::Name, Control::Text, hint::NAME),
    Part::Event("What happens in Rocket.Chat to make this webhook call the URLs. The fields below follow the event."),
    Part::Channel(
        "Where to listen: #room, @user for direct messages with that user, or all_public_channels, all_private_groups, all_direct_messages. Separate several with commas.",
        "Where to listen: #room or all_public_channels. Separate several with commas. Your role cannot use @user, all_private_groups or all_direct_messages.",
    ),
    Part::Row(Field::TriggerWords, Control::Text, "Only messages starting with one of these words call the URLs, for example !deploy. Separate several with commas; letter case counts. Leave empty for every message."),
    Part::Row(Field::TriggerWordAnywhere, Control::Toggle, "Also fire when a trigger word appears anywhere in the message, not only at its start."),
    Part::Row(Field::RunOnEdits, Control::Toggle, "Also fire when a message is edited, not only when it is sent."),
    Part::Row(Field::TargetRoom, Control::Text, "Where the results are posted: #room, or @user for a direct message."),
    Part::Heading("What it calls"),
    Part::Row(Field::Urls, Control::Textarea, "One web address per line; each is called with the event as JSON."),
    Part::Token("Sent with every call, so the receiving service can check that it comes from Rocket.Chat. After a change, give the new token to the service."),
    Part::Heading("How answers are posted"),
    Part::PostAs(hint::POST_AS),
    Part::Row(Field::ImpersonateUser, Control::Toggle, "Posts the answers as the person whose message triggered the call, instead of the user above."),
    Part::Row(Field::Alias, Control::Text, hint::ALIAS),
    Part::Row(Field::Avatar, Control::Text, hint::AVATAR),
    Part::Row(Field::Emoji, Control::Text, hint::EMOJI),
    Part::Preview,
    Part::Heading("Script"),
    Part::Row(Field::ScriptEnabled, Control::Toggle, "Runs the script below to shape each call and the answer posted back."),
    ENGINE_ROW,
    Part::Row(Field::SkipTranspile, Control::Toggle, hint::SKIP_TRANSPILE),
    Part::Script("JavaScript with a Script class (prepare_outgoing_request, process_outgoing_response). Tab inserts a tab; press Esc then Tab to leave the editor."),
    Part::Heading("When a call fails"),
    Part::Row(Field::RetryFailedCalls, Control::Toggle, "Calls again when the service does not answer or answers with an error (not for 500 and 410)."),
    Part::Row(Field::RetryCount, Control::Text, "How many times to call again, for example 6."),
    Part::RetryDelay("How long to wait before each new call; the first waits are shown."),
];

/// The trigger tester beside the form.
fn aside(ctx: Ctx) -> AnyView {
    view! { <TriggerTester state=ctx.state /> }.into_any()
}

/// `/integrations/new/outgoing`, optionally `?duplicate=<id>`.
#[component]
pub fn OutgoingNewPage() -> impl IntoView {
    editor::new_page(Kind::Outgoing, &PARTS, aside)
}

/// `/integrations/outgoing/:id`.
#[component]
pub fn OutgoingEditPage(
    /// The integration id from the address.
    id: String,
) -> impl IntoView {
    editor::edit_page(Kind::Outgoing, id, &PARTS, aside)
}
