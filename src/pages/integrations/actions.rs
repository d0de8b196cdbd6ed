//! Changing rows: enable, disable and delete, for one row or many (one runner for both),
//! and the page's one confirmation dialog (delete, bulk actions, export).

use super::rows::Row;
use super::tools_code::{self, SWITCH_NOT_LOADED, TRANSFER_NOT_LOADED};
use super::web;
use super::{Acting, List};
use crate::browser;
use crate::components::{local_action, ActionOf, ConfirmDialog};
use crate::core::listing::{self, count_text, Bulk, Outcome};
use crate::core::markup::{Html, Markup};
use crate::core::model::{parse_integration_response, Integration};
use crate::core::{errors::ApiError, request};
use crate::split::split_call;
use leptos::prelude::*;

/// What the confirmation dialog asks about.
#[derive(Clone)]
pub enum Ask {
    /// Delete one integration.
    Delete(Row),
    /// Enable, disable or delete the chosen rows.
    Bulk(Bulk, Vec<Row>),
    /// Download these integrations as a file.
    Export(Vec<Integration>),
}

impl Ask {
    fn names(&self) -> Vec<String> {
        match self {
            Ask::Delete(row) => vec![row.name()],
            Ask::Bulk(_, rows) => rows.iter().map(Row::name).collect(),
            Ask::Export(docs) => docs.iter().map(Integration::display_name).collect(),
        }
    }

    fn title(&self) -> String {
        match self {
            Ask::Delete(row) => format!("Delete “{}”?", row.name()),
            Ask::Bulk(b, rows) => format!("{} {}?", b.label(), count_text(rows.len())),
            Ask::Export(docs) => format!("Export {}?", count_text(docs.len())),
        }
    }

    fn confirm_label(&self) -> String {
        match self {
            Ask::Delete(_) => "Delete".to_owned(),
            Ask::Bulk(b, rows) => format!("{} {}", b.label(), count_text(rows.len())),
            Ask::Export(_) => "Download".to_owned(),
        }
    }

    fn destroys(&self) -> bool {
        matches!(self, Ask::Delete(_) | Ask::Bulk(Bulk::Delete, _))
    }
}

/// The page's mutations and its dialog, shared by rows, the bulk bar and the toolbar.
#[derive(Clone, Copy)]
pub struct Ops {
    /// Enables, disables or deletes rows, one after the other.
    pub run: ActionOf<(Bulk, Vec<Row>), ()>,
    /// "Disable: 2 of 4…" while a bulk action runs.
    pub progress: RwSignal<Option<String>>,
    /// The question of the dialog, if one was asked.
    pub ask: RwSignal<Option<Ask>>,
    /// Whether the dialog is open.
    pub open: RwSignal<bool>,
    /// Whether an export includes tokens.
    pub include_tokens: RwSignal<bool>,
}

impl Ops {
    /// Creates the mutations and provides them as context.
    pub fn provide(list: List) -> Ops {
        let progress = RwSignal::new(None);
        let run = local_action(move |(action, rows): &(Bulk, Vec<Row>)| {
            let (action, rows) = (*action, rows.clone());
            async move {
                let Some(acting) = list.acting() else { return };
                if action.target_state().is_some() && !tools_code::load().await {
                    list.finish(SWITCH_NOT_LOADED.to_owned(), false);
                    return;
                }
                let many = rows.len() > 1;
                let mut results = Vec::with_capacity(rows.len());
                let (mut gone, mut failed) = (Vec::new(), Vec::new());
                for (i, row) in rows.iter().enumerate() {
                    if many {
                        let step = format!("{}: {} of {}…", action.label(), i + 1, rows.len());
                        progress.set(Some(step));
                    }
                    let outcome = match action.target_state() {
                        Some(on) => set_enabled(&acting, row, on).await,
                        None => delete(&acting, row).await,
                    };
                    match &outcome {
                        Outcome::Failed(_) => failed.push(row.id.clone()),
                        _ if action == Bulk::Delete => gone.push(row.id.clone()),
                        _ => {}
                    }
                    results.push((row.name(), outcome));
                }
                progress.set(None);
                if !gone.is_empty() {
                    list.forget(&gone);
                }
                match (many, results.pop()) {
                    (false, Some((name, Outcome::Failed(reason)))) => list.finish(
                        format!(
                            "Could not {} {name}: {reason}",
                            action.label().to_lowercase()
                        ),
                        false,
                    ),
                    (false, Some((name, _))) => {
                        list.announcer.announce(format!("{name} {}", action.done()));
                        if action == Bulk::Delete {
                            browser::focus_id("list-title");
                        }
                    }
                    (_, last) => {
                        results.extend(last);
                        // Failures stay selected, to retry once their cause is fixed.
                        list.selected
                            .update(|s| s.retain(|r| failed.contains(&r.id)));
                        list.finish(listing::summary(action, &results), failed.is_empty());
                    }
                }
            }
        });
        let ops = Ops {
            run,
            progress,
            ask: RwSignal::new(None),
            open: RwSignal::new(false),
            include_tokens: RwSignal::new(false),
        };
        provide_context(ops);
        ops
    }

    /// Opens the dialog about `ask`.
    pub fn confirm(&self, ask: Ask) {
        if matches!(
            ask,
            Ask::Export(_) | Ask::Bulk(Bulk::Enable | Bulk::Disable, _)
        ) {
            tools_code::preload();
        }
        self.ask.set(Some(ask));
        self.open.set(true);
    }
}

/// Enables or disables one row with an update of the whole object; the row then shows the
/// server's answer. Rows already in that state are left alone.
async fn set_enabled(acting: &Acting, row: &Row, on: bool) -> Outcome {
    let doc = row.doc.get_untracked();
    if doc.common().enabled == on {
        return Outcome::Unchanged;
    }
    let me = &acting.server;
    if let Err(reason) = me.permissions.can_edit(&doc, &me.user_id) {
        return Outcome::Failed(reason.to_owned());
    }
    let req = match split_call!(tools_code::switch_request(doc.clone(), on, me.clone())) {
        Ok(Ok(req)) => req,
        Ok(Err(reason)) => return Outcome::Failed(reason),
        Err(_) => return Outcome::Failed(SWITCH_NOT_LOADED.to_owned()),
    };
    row.busy.set(true);
    let answer = acting.client.call(&req).await;
    row.busy.set(false);
    match answer {
        Ok(v) => {
            row.doc
                .set(parse_integration_response(&v).unwrap_or_else(|| {
                    let mut doc = doc;
                    doc.set_enabled(on);
                    doc
                }));
            Outcome::Done
        }
        Err(e) => Outcome::Failed(e.display()),
    }
}

/// Deletes one row; one that is already gone counts as deleted.
async fn delete(acting: &Acting, row: &Row) -> Outcome {
    let doc = row.doc.get_untracked();
    let me = &acting.server;
    if let Err(reason) = me.permissions.can_delete(&doc, &me.user_id) {
        return Outcome::Failed(reason.to_owned());
    }
    row.busy.set(true);
    let answer = acting.client.call(&request::remove(&doc)).await;
    row.busy.set(false);
    match answer {
        Ok(_) | Err(ApiError::NotFound { .. }) => Outcome::Done,
        Err(e) => Outcome::Failed(e.display()),
    }
}

/// How many names the dialog lists before "and N more".
const LISTED_NAMES: usize = 20;

/// The names a question is about, as list items.
fn names_html(ask: Option<&Ask>) -> Html {
    let names = ask.map(Ask::names).unwrap_or_default();
    let mut m = Markup::new();
    for name in names.iter().take(LISTED_NAMES) {
        m.raw("<li>").text(name).raw("</li>");
    }
    if names.len() > LISTED_NAMES {
        m.raw("<li class=\"muted\">and ")
            .number(names.len() - LISTED_NAMES)
            .raw(" more</li>");
    }
    m.finish()
}

/// Writes the export file and hands it to the browser as a download.
async fn download(list: List, docs: Vec<Integration>, include_tokens: bool) {
    let count = count_text(docs.len());
    let Ok(text) = split_call!(tools_code::text(docs, include_tokens)) else {
        list.finish(TRANSFER_NOT_LOADED.to_owned(), false);
        return;
    };
    let file = format!("hookpanel-integrations-{}.json", web::today());
    if web::download_json(&file, &text) {
        list.announcer
            .announce(format!("Downloaded {count} as {file}"));
    } else {
        list.finish("The browser refused the download.".to_owned(), false);
    }
}

/// The page's one confirmation dialog: delete, bulk actions and export.
#[component]
pub fn ListDialog() -> impl IntoView {
    let list = expect_context::<List>();
    let ops = expect_context::<Ops>();
    let ask = ops.ask;
    let destroys = Memo::new(move |_| ask.with(|a| a.as_ref().is_some_and(Ask::destroys)));
    let export = Memo::new(move |_| ask.with(|a| matches!(a, Some(Ask::Export(_)))));
    let title =
        Signal::derive(move || ask.with(|a| a.as_ref().map(Ask::title).unwrap_or_default()));
    let confirm_label = Signal::derive(move || {
        ask.with(|a| a.as_ref().map(Ask::confirm_label).unwrap_or_default())
    });
    let on_confirm = Callback::new(move |()| match ask.get_untracked() {
        Some(Ask::Delete(row)) => {
            ops.run.dispatch((Bulk::Delete, vec![row]));
        }
        Some(Ask::Bulk(action, rows)) => {
            ops.run.dispatch((action, rows));
        }
        Some(Ask::Export(docs)) => {
            leptos::task::spawn_local(download(list, docs, ops.include_tokens.get_untracked()));
        }
        None => {}
    });
    let warning = move || {
        if export.get() {
            ops.include_tokens.get().then_some(
                "Anyone holding this file can post to the incoming webhooks and pose as this server to the services the outgoing ones call. Keep it secret.",
            )
        } else {
            destroys
                .get()
                .then_some("This cannot be undone. Outgoing webhooks lose their history too.")
        }
    };
    view! {
        <ConfirmDialog open=ops.open title confirm_label danger=destroys on_confirm>
            // Scrolls when long: focusable so the keyboard can scroll it too (WCAG 2.1.1).
            <ul class="name-list" tabindex="0" aria-label="Integrations" inner_html=move || ask.with(|a| names_html(a.as_ref()).into_string())></ul>
            <label class="switch" hidden=move || !export.get()>
                <input type="checkbox" bind:checked=ops.include_tokens />
                "Include tokens"
            </label>
            <p class="alert alert-warning" hidden=move || warning().is_none()>{warning}</p>
        </ConfirmDialog>
    }
    .into_any()
}
