//! Row actions (enable/disable, copy URL, duplicate, delete), the one confirmation dialog of
//! the page, and the single-row operations bulk actions repeat.

use super::rows::Row;
use super::web::{self, BrowserUrls};
use super::{Acting, List};
use crate::browser;
use crate::components::ConfirmDialog;
use crate::core::export;
use crate::core::listing::{self, count_text, Bulk, Outcome};
use crate::core::model::{parse_integration_response, Integration, Kind};
use crate::core::{encode, errors::ApiError, request, webhook};
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

/// The page's mutations, shared by rows, the bulk bar and the dialog.
#[derive(Clone, Copy)]
pub struct Ops {
    /// Flips one row between enabled and disabled.
    pub toggle: Action<Row, ()>,
    /// Deletes one row (after confirmation).
    pub remove: Action<Row, ()>,
    /// Runs a bulk action over rows, one after the other.
    pub bulk: Action<(Bulk, Vec<Row>), ()>,
    /// "Disabling 2 of 4…" while a bulk action runs.
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
        let toggle = Action::new_local(move |row: &Row| {
            let row = row.clone();
            async move {
                let Some(acting) = list.acting() else { return };
                let on = !row.doc.with_untracked(|d| d.common().enabled);
                let name = row.name();
                let verb = if on { "enable" } else { "disable" };
                match set_enabled(&acting, &row, on).await {
                    Outcome::Failed(reason) => {
                        list.finish(format!("Could not {verb} {name}: {reason}"), false)
                    }
                    _ => list.announcer.announce(format!("{name} {verb}d")),
                }
            }
        });
        let remove = Action::new_local(move |row: &Row| {
            let row = row.clone();
            async move {
                let Some(acting) = list.acting() else { return };
                let name = row.name();
                match delete(&acting, &row).await {
                    Outcome::Failed(reason) => {
                        list.finish(format!("Could not delete {name}: {reason}"), false)
                    }
                    _ => {
                        list.forget(std::slice::from_ref(&row.id));
                        list.announcer.announce(format!("{name} deleted"));
                        browser::focus_id("list-title");
                    }
                }
            }
        });
        let bulk = Action::new_local(move |(action, rows): &(Bulk, Vec<Row>)| {
            let (action, rows) = (*action, rows.clone());
            async move {
                let Some(acting) = list.acting() else { return };
                let mut results = Vec::with_capacity(rows.len());
                let (mut gone, mut failed) = (Vec::new(), Vec::new());
                for (i, row) in rows.iter().enumerate() {
                    progress.set(Some(format!(
                        "{}: {} of {}…",
                        action.label(),
                        i + 1,
                        rows.len()
                    )));
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
                // Failures stay selected, to retry once their cause is fixed.
                list.selected
                    .update(|s| s.retain(|r| failed.contains(&r.id)));
                if !gone.is_empty() {
                    list.forget(&gone);
                }
                list.finish(listing::summary(action, &results), failed.is_empty());
            }
        });
        let ops = Ops {
            toggle,
            remove,
            bulk,
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
        self.ask.set(Some(ask));
        self.open.set(true);
    }
}

/// Enables or disables one row with an update of the whole object; the row then shows the
/// server's answer. Rows already in that state are left alone.
pub async fn set_enabled(acting: &Acting, row: &Row, on: bool) -> Outcome {
    let doc = row.doc.get_untracked();
    if doc.common().enabled == on {
        return Outcome::Unchanged;
    }
    let me = &acting.server;
    if let Err(reason) = me.permissions.can_edit(&doc, &me.user_id) {
        return Outcome::Failed(reason.to_owned());
    }
    let urls = BrowserUrls;
    let req = match listing::set_enabled(&doc, on, &acting.ctx(&urls)) {
        Ok(req) => req,
        Err(reason) => return Outcome::Failed(reason),
    };
    row.busy.set(true);
    let answer = acting.client.call(&req).await;
    row.busy.set(false);
    match answer {
        Ok(v) => {
            row.doc
                .set(parse_integration_response(&v).unwrap_or_else(|| {
                    let mut doc = doc;
                    match &mut doc {
                        Integration::Incoming(i) => i.common.enabled = on,
                        Integration::Outgoing(o) => o.common.enabled = on,
                    }
                    doc
                }));
            Outcome::Done
        }
        Err(e) => Outcome::Failed(e.display()),
    }
}

/// Deletes one row; one that is already gone counts as deleted.
pub async fn delete(acting: &Acting, row: &Row) -> Outcome {
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

/// The buttons of one row; a row the role may not change says why instead.
#[component]
pub fn RowActions(row: Row) -> impl IntoView {
    let list = expect_context::<List>();
    let ops = expect_context::<Ops>();
    let (id, kind, name) = (row.id.clone(), row.kind, row.name());
    let kind_path = if kind == Kind::Incoming {
        "incoming"
    } else {
        "outgoing"
    };
    let duplicate = format!(
        "/integrations/new/{kind_path}?duplicate={}",
        encode::component(&id)
    );
    let access = {
        let doc = row.doc.clone();
        move || {
            list.server.with(|s| match s {
                // The creator never changes: no need to redraw when the document does.
                Some(s) => doc.with_untracked(|d| s.permissions.can_edit(d, &s.user_id)),
                None => Err(""),
            })
        }
    };
    let may_create = move || {
        list.server.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.permissions.can_create(kind).is_ok())
        })
    };
    // Busy buttons stay focusable (a disabled button would drop the focus to the page).
    let busy = {
        let busy = row.busy.clone();
        move || busy.get().then_some("true")
    };
    let toggle_label = {
        let doc = row.doc.clone();
        move || {
            if doc.with(|d| d.common().enabled) {
                "Disable"
            } else {
                "Enable"
            }
        }
    };
    let copy = {
        let doc = row.doc.clone();
        move |_| {
            let Some(session) = list.session.0.get_untracked() else {
                return;
            };
            let (url, name) = doc.with_untracked(|d| {
                (
                    webhook::hook_url(&session.server, d.id(), d.token().unwrap_or_default()),
                    d.display_name(),
                )
            });
            leptos::task::spawn_local(async move {
                if web::copy_text(&url).await {
                    list.announcer
                        .announce(format!("Copied the webhook URL of {name}"));
                } else {
                    list.finish(
                        format!(
                            "The browser did not allow copying. The webhook URL of {name} is {url}"
                        ),
                        false,
                    );
                }
            });
        }
    };
    let has_token = row
        .doc
        .with_untracked(|d| d.token().is_some_and(|t| !t.is_empty()));
    let (row_t, row_d) = (row.clone(), row.clone());
    let hidden_name = move || view! { <span class="visually-hidden">" " {name.clone()}</span> };
    view! {
        <div class="row-actions">
            {move || match access() {
                Ok(()) => view! {
                    <button
                        type="button"
                        class="btn btn-small"
                        aria-disabled=busy.clone()
                        on:click={
                            let row = row_t.clone();
                            move |_| {
                                if !row.busy.get_untracked() {
                                    ops.toggle.dispatch(row.clone());
                                }
                            }
                        }
                    >
                        {toggle_label.clone()}
                        {hidden_name()}
                    </button>
                    {(kind == Kind::Incoming && has_token).then(|| view! {
                        <button type="button" class="btn btn-small" on:click=copy.clone()>
                            "Copy URL"
                            {hidden_name()}
                        </button>
                    })}
                    {may_create().then(|| view! {
                        <a class="btn btn-small" href=duplicate.clone()>"Duplicate" {hidden_name()}</a>
                    })}
                    <button
                        type="button"
                        class="btn btn-small btn-danger-quiet"
                        aria-disabled=busy.clone()
                        on:click={
                            let row = row_d.clone();
                            move |_| {
                                if !row.busy.get_untracked() {
                                    ops.confirm(Ask::Delete(row.clone()))
                                }
                            }
                        }
                    >
                        "Delete"
                        {hidden_name()}
                    </button>
                }
                .into_any(),
                Err(reason) => view! { <span class="hint">{reason}</span> }.into_any(),
            }}
        </div>
    }
}

/// How many names the dialog lists before "and N more".
const LISTED_NAMES: usize = 20;

/// The page's one confirmation dialog: delete, bulk actions and export.
#[component]
pub fn ListDialog() -> impl IntoView {
    let list = expect_context::<List>();
    let ops = expect_context::<Ops>();
    let destroys = Memo::new(move |_| ops.ask.with(|a| a.as_ref().is_some_and(Ask::destroys)));
    let title = Signal::derive(move || {
        ops.ask
            .with(|a| a.as_ref().map(Ask::title).unwrap_or_default())
    });
    let confirm_label = Signal::derive(move || {
        ops.ask
            .with(|a| a.as_ref().map(Ask::confirm_label).unwrap_or_default())
    });
    let on_confirm = Callback::new(move |()| match ops.ask.get_untracked() {
        Some(Ask::Delete(row)) => {
            ops.remove.dispatch(row);
        }
        Some(Ask::Bulk(action, rows)) => {
            ops.bulk.dispatch((action, rows));
        }
        Some(Ask::Export(docs)) => {
            let text = export::export_text(&docs, ops.include_tokens.get_untracked());
            let file = format!("hookpanel-integrations-{}.json", web::today());
            if web::download_json(&file, &text) {
                list.announcer
                    .announce(format!("Downloaded {} as {file}", count_text(docs.len())));
            } else {
                list.finish("The browser refused the download.".to_owned(), false);
            }
        }
        None => {}
    });
    let names = move || {
        ops.ask.with(|a| {
            let names = a.as_ref().map(Ask::names).unwrap_or_default();
            let more = names.len().saturating_sub(LISTED_NAMES);
            view! {
                <ul class="name-list">
                    {names.into_iter().take(LISTED_NAMES).map(|n| view! { <li>{n}</li> }).collect_view()}
                    {(more > 0).then(|| view! { <li class="muted">{format!("and {more} more")}</li> })}
                </ul>
            }
        })
    };
    let kind_note = move || {
        ops.ask.with(|a| match a {
            Some(Ask::Export(_)) => view! {
                <label class="switch">
                    <input type="checkbox" bind:checked=ops.include_tokens />
                    "Include tokens"
                </label>
                <Show when=move || ops.include_tokens.get()>
                    <p class="alert alert-warning">
                        "Anyone holding this file can post to the incoming webhooks and pose as this server to the services the outgoing ones call. Keep it secret."
                    </p>
                </Show>
            }
            .into_any(),
            Some(a) if a.destroys() => view! {
                <p>"This cannot be undone. Outgoing webhooks lose their history too."</p>
            }
            .into_any(),
            _ => ().into_any(),
        })
    };
    view! {
        <ConfirmDialog open=ops.open title confirm_label danger=destroys on_confirm>
            {names}
            {kind_note}
        </ConfirmDialog>
    }
}
