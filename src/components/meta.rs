//! "Created by … on …, last changed by … on …": who touched an integration, and when.

use crate::browser;
use crate::core::model::{Common, UserRef};
use leptos::prelude::*;

/// The creation and last-change line of a stored integration (parts the server did not
/// record are left out).
#[component]
pub fn ChangeMeta(common: Common) -> impl IntoView {
    let part = |verb: &'static str, who: Option<UserRef>, when: Option<String>| {
        let who = who.map(|u| u.username).filter(|u| !u.is_empty());
        if who.is_none() && when.is_none() {
            return None;
        }
        Some(view! {
            <span class="meta-part">
                {verb}
                {who.map(|u| view! { " by " <strong>{u}</strong> })}
                {when.map(|w| {
                    let shown = browser::local_date(&w);
                    view! { " on " <time datetime=w>{shown}</time> }
                })}
            </span>
        })
    };
    let created = part("Created", common.created_by, common.created_at);
    // A never-updated document's `_updatedAt` is its creation: only show real changes.
    let changed = if common.updated_by.is_some() {
        part("Last changed", common.updated_by, common.updated_at)
    } else {
        None
    };
    view! { <p class="meta muted">{created}{changed}</p> }
}
