//! Export to a JSON file and import from one: a preview checks each entry against this
//! server (version, rules, the person's permissions, names already in use) before anything
//! is created, then each entry gets its own result.

use super::actions::{Ask, Ops};
use super::rows::{self, Source};
use super::web::{self, BrowserUrls};
use super::List;
use crate::browser;
use crate::core::errors::ApiError;
use crate::core::export;
use crate::core::listing::{self, check_import, count_text, ImportRow, Outcome};
use crate::core::model::{Integration, Kind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A file read for import, checked entry by entry.
#[derive(Clone, PartialEq)]
struct Preview {
    file: String,
    /// A problem with the whole file.
    error: Option<String>,
    rows: Vec<ImportRow>,
}

/// Export and import state, shared by the toolbar buttons and the import panel.
#[derive(Clone, Copy)]
pub struct Transfer {
    preview: RwSignal<Option<Preview>>,
    /// Which entries to create, by position.
    chosen: RwSignal<Vec<bool>>,
    /// What happened to each entry, by position.
    results: RwSignal<Vec<Option<Outcome>>>,
    /// Reads the existing names and checks a file's text.
    check: Action<(String, String), ()>,
    /// Creates the chosen entries.
    create: Action<(), ()>,
    /// Gathers every integration for "Export all".
    gather: Action<(), ()>,
}

/// Every integration the person may see: the loaded rows when they are all there, else
/// read from the server.
async fn everything(list: List) -> Result<Vec<Integration>, ApiError> {
    if list.local() {
        return Ok(list.load.with_untracked(|l| match l {
            Some(Some(l)) if l.source == Source::All => {
                l.rows.iter().map(|r| r.doc.get_untracked()).collect()
            }
            _ => Vec::new(),
        }));
    }
    let acting = list.acting().ok_or(ApiError::Network)?;
    rows::fetch_all(&acting.client, &acting.server.features).await
}

impl Transfer {
    /// Creates the state and provides it as context.
    pub fn provide(list: List, ops: Ops) -> Transfer {
        let preview = RwSignal::new(None::<Preview>);
        let chosen = RwSignal::new(Vec::new());
        let results = RwSignal::new(Vec::new());
        let check = Action::new_local(move |(file, text): &(String, String)| {
            let (file, text) = (file.clone(), text.clone());
            async move {
                let Some(acting) = list.acting() else { return };
                let import = export::import(&text, &mut web::new_token);
                let (rows, error) = match (&import.error, everything(list).await) {
                    (Some(e), _) => (Vec::new(), Some(e.clone())),
                    (None, Err(e)) => (
                        Vec::new(),
                        Some(format!(
                            "Could not read the integrations already here: {}",
                            e.display()
                        )),
                    ),
                    (None, Ok(existing)) => {
                        let names: Vec<&str> =
                            existing.iter().map(|i| i.common().name.as_str()).collect();
                        let urls = BrowserUrls;
                        (check_import(&import, &acting.ctx(&urls), &names), None)
                    }
                };
                chosen.set(rows.iter().map(|r| r.request.is_some()).collect());
                results.set(vec![None; rows.len()]);
                preview.set(Some(Preview { file, error, rows }));
            }
        });
        let create = Action::new_local(move |_: &()| async move {
            let Some(acting) = list.acting() else { return };
            let rows =
                preview.with_untracked(|p| p.as_ref().map(|p| p.rows.clone()).unwrap_or_default());
            let mut done = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let wanted = chosen.with_untracked(|c| c.get(i).copied().unwrap_or(false));
                let Some(req) = row.request.as_ref().filter(|_| wanted) else {
                    continue;
                };
                let outcome = match acting.client.call(req).await {
                    Ok(_) => Outcome::Done,
                    Err(e) => Outcome::Failed(e.display()),
                };
                if outcome == Outcome::Done {
                    // Created: never again from this preview.
                    chosen.update(|c| {
                        if let Some(x) = c.get_mut(i) {
                            *x = false;
                        }
                    });
                }
                results.update(|r| {
                    if let Some(x) = r.get_mut(i) {
                        *x = Some(outcome.clone());
                    }
                });
                done.push((row.label.clone(), outcome));
            }
            let ok = done.iter().all(|(_, o)| !matches!(o, Outcome::Failed(_)));
            list.finish(listing::summary_with("created", &done), ok);
            list.reload();
        });
        let gather = Action::new_local(move |_: &()| async move {
            match everything(list).await {
                Ok(all) if all.is_empty() => {
                    list.finish("There is nothing to export.".to_owned(), false)
                }
                Ok(all) => ops.confirm(Ask::Export(all)),
                Err(e) => list.finish(
                    format!("Could not read the integrations: {}", e.display()),
                    false,
                ),
            }
        });
        let t = Transfer {
            preview,
            chosen,
            results,
            check,
            create,
            gather,
        };
        provide_context(t);
        t
    }
}

/// "Export all…": every integration, not just this page.
#[component]
pub fn ExportAll() -> impl IntoView {
    let t = expect_context::<Transfer>();
    let pending = t.gather.pending();
    view! {
        <button type="button" class="btn" disabled=move || pending.get() on:click=move |_| {
            t.gather.dispatch(());
        }>
            {move || if pending.get() { "Preparing…" } else { "Export all…" }}
        </button>
    }
}

/// "Import…": a file input behind a button-like label (the input keeps the focus ring).
#[component]
pub fn ImportButton() -> impl IntoView {
    let t = expect_context::<Transfer>();
    let choose = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let read = web::read_chosen_file(&input).await;
            // Choosing the same file again must read it again.
            input.set_value("");
            match read {
                Some(file) => {
                    t.check.dispatch(file);
                }
                None => {
                    t.chosen.set(Vec::new());
                    t.preview.set(Some(Preview {
                        file: "the chosen file".to_owned(),
                        error: Some("The browser could not read this file.".to_owned()),
                        rows: Vec::new(),
                    }));
                }
            }
        });
    };
    view! {
        <span class="file-button">
            <input
                id="import-file"
                type="file"
                class="visually-hidden"
                accept=".json,application/json"
                on:change=choose
            />
            <label for="import-file" class="btn">
                {move || if t.check.pending().get() { "Checking…" } else { "Import…" }}
            </label>
        </span>
    }
}

/// The preview of an import: each entry with what it is, where it goes and whether it can
/// be created here; then a result per entry.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let t = expect_context::<Transfer>();
    let count = move || {
        t.preview.with(|p| {
            t.chosen.with(|c| {
                p.as_ref().map_or(0, |p| {
                    p.rows
                        .iter()
                        .zip(c)
                        .filter(|(r, on)| **on && r.request.is_some())
                        .count()
                })
            })
        })
    };
    let creating = t.create.pending();
    // Each new preview takes the focus, so keyboard and screen reader users land on it.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move || {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let close = move |_| {
        t.preview.set(None);
        browser::focus_id("import-file");
    };
    move || {
        let p = t.preview.get()?;
        let ready = p.rows.iter().filter(|r| r.request.is_some()).count();
        let blocked = p.rows.len() - ready;
        let taken = p.rows.iter().filter(|r| r.exists).count();
        let facts = format!(
            "{} in the file: {ready} can be created, {blocked} cannot, {taken} with a name already in use.",
            count_text(p.rows.len())
        );
        let rows = p
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| entry_row(t, i, r))
            .collect_view();
        Some(view! {
            <section class="card import-panel" aria-labelledby="import-title">
                <h2 id="import-title" tabindex="-1" node_ref=heading>"Import from " {p.file}</h2>
                {p.error.map(|e| view! { <div class="alert alert-error" role="alert"><p>{e}</p></div> })}
                {(ready + blocked > 0).then(|| view! {
                    <p>{facts}</p>
                    <div class="table-wrap">
                        <table class="data">
                            <caption class="visually-hidden">"Integrations in the file"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Create"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col">"Target"</th>
                                    <th scope="col">"Check"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                })}
                <div class="form-actions">
                    {(ready + blocked > 0).then(|| view! {
                        <button
                            type="button"
                            class="btn btn-primary"
                            disabled=move || count() == 0 || creating.get()
                            on:click=move |_| {
                                t.create.dispatch(());
                            }
                        >
                            {move || if creating.get() {
                                "Creating…".to_owned()
                            } else {
                                format!("Create {}", count_text(count()))
                            }}
                        </button>
                    })}
                    <button type="button" class="btn" on:click=close>"Close"</button>
                </div>
            </section>
        })
    }
}

/// One entry of the preview.
fn entry_row(t: Transfer, i: usize, r: ImportRow) -> impl IntoView {
    let can = r.request.is_some();
    let kind = match r.kind {
        Some(Kind::Incoming) => "Incoming",
        Some(Kind::Outgoing) => "Outgoing",
        None => "—",
    };
    let on = move || t.chosen.with(|c| c.get(i).copied().unwrap_or(false));
    let result = move || {
        t.results.with(|r| match r.get(i) {
            Some(Some(Outcome::Failed(reason))) => {
                Some(view! { <p class="error-text">"Failed: " {reason.clone()}</p> }.into_any())
            }
            Some(Some(_)) => {
                Some(view! { <p><span class="badge badge-on">"Created"</span></p> }.into_any())
            }
            _ => None,
        })
    };
    let created = move || {
        t.results
            .with(|r| matches!(r.get(i), Some(Some(Outcome::Done))))
    };
    let problems = r
        .problems
        .into_iter()
        .map(|p| view! { <li class="error-text">{p}</li> })
        .collect_view();
    let notes = r
        .notes
        .into_iter()
        .map(|n| view! { <li class="muted">{n}</li> })
        .collect_view();
    let label = r.label;
    view! {
        <tr>
            <td class="cell-select">
                <input
                    type="checkbox"
                    aria-label=format!("Create {label}")
                    disabled=move || !can || created()
                    prop:checked=on
                    on:change=move |ev| {
                        let value = event_target_checked(&ev);
                        t.chosen.update(|c| {
                            if let Some(x) = c.get_mut(i) {
                                *x = value;
                            }
                        });
                    }
                />
            </td>
            <th scope="row" data-label="Name">
                {label.clone()}
                {r.exists.then(|| view! { " " <span class="badge badge-warn">"Name in use"</span> })}
            </th>
            <td data-label="Kind">{kind}</td>
            <td data-label="Target" class="cell-target">{r.target}</td>
            <td data-label="Check">
                {can.then(|| view! { <p><span class="badge">"Ready"</span></p> })}
                <ul class="plain-list">{problems}{notes}</ul>
                {result}
            </td>
        </tr>
    }
}
