//! Incoming webhooks: the new page (also the duplicate page, `?duplicate=<id>`) and the edit
//! page, both the shared editor with the incoming form table and, beside it, how to use the
//! webhook and a test message.

mod rotate;
mod usage;

use super::editor::{self, hint, Ctx, Part, ENGINE_ROW};
use crate::components::Control;
use crate::core::field::Field;
use crate::core::model::Kind;
use leptos::prelude::*;
use rotate::Rotation;
use usage::{TestMessage, Usage};

const PARTS: [Part; 16] = [
    Part::Heading("Where messages go"),
    Part::Row(Field::Enabled, Control::Toggle, "A disabled webhook posts nothing: the server answers 503."),
    Part::Row(Field::Name, Control::Text, hint::NAME),
    Part::Channel(
        "Where messages are posted: #room for a room, @user for a direct message. Separate several with commas.",
        "Where messages are posted: #room. Separate several rooms with commas. Your role cannot post to @user.",
    ),
    Part::PostAs(hint::POST_AS),
    Part::Row(Field::OverrideDestination, Control::Toggle, "Lets a payload pick its own room with a channel or roomId key."),
    Part::Heading("How messages look"),
    Part::Row(Field::Alias, Control::Text, hint::ALIAS),
    Part::Row(Field::Avatar, Control::Text, hint::AVATAR),
    Part::Row(Field::Emoji, Control::Text, hint::EMOJI),
    Part::Preview,
    Part::Heading("Script"),
    Part::Row(Field::ScriptEnabled, Control::Toggle, "Runs the script below on each payload before it is posted."),
    ENGINE_ROW,
    Part::Row(Field::SkipTranspile, Control::Toggle, hint::SKIP_TRANSPILE),
    Part::Script("JavaScript with a Script class (process_incoming_request). Tab inserts a tab; press Esc then Tab to leave the editor."),
];

/// How to use the webhook and, once it exists, a test message and the URL rotation.
fn aside(ctx: Ctx) -> AnyView {
    let Ctx {
        state,
        saved,
        client,
        ..
    } = ctx;
    let is_new = saved.with_untracked(Option::is_none);
    view! {
        <Usage state saved=saved.into() server=client.with_value(|c| c.server().to_owned()) />
        {(!is_new).then(|| view! { <TestMessage saved=saved.into() client=client.get_value() /> })}
        {(!is_new).then(|| view! { <Rotation ctx /> })}
    }
    .into_any()
}

/// `/integrations/new/incoming`, optionally `?duplicate=<id>`.
#[component]
pub fn IncomingNewPage() -> impl IntoView {
    editor::new_page(Kind::Incoming, &PARTS, aside)
}

/// `/integrations/incoming/:id`.
#[component]
pub fn IncomingEditPage(
    /// The integration id from the address.
    id: String,
) -> impl IntoView {
    editor::edit_page(Kind::Incoming, id, &PARTS, aside)
}
