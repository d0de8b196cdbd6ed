//! Export to a JSON file and import from one: a preview checks each entry against this
//! server (version, rules, the person's permissions, names already in use) before anything
//! is created, then each entry gets its own result.

use super::actions::{Ask, Ops};
use super::rows::{self, Source};
use super::tools_code::{self, TRANSFER_NOT_LOADED};
use super::web;
use super::{Acting, List};
use crate::browser;
use crate::components::{effect, local_action, ActionOf};
use crate::core::errors::ApiError;
use crate::core::listing::{self, count_text, ImportRow, Outcome};
use crate::core::markup::{Html, Markup};
use crate::core::model::{Integration, Kind};
use crate::split::split_call;
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
    /// Reads the chosen file and the existing names, and checks each entry.
    check: ActionOf<web_sys::HtmlInputElement, ()>,
    /// Creates the chosen entries.
    create: ActionOf<(), ()>,
    /// Gathers every integration for "Export all".
    gather: ActionOf<(), ()>,
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

/// Reads an import file and checks each entry, or says why it could not.
async fn checked(list: List, acting: &Acting, text: String) -> Result<Vec<ImportRow>, String> {
    let import = split_call!(tools_code::read(text)).map_err(|_| TRANSFER_NOT_LOADED.to_owned())?;
    if let Some(error) = import.error {
        return Err(error);
    }
    let existing = everything(list).await.map_err(|e| {
        format!(
            "Could not read the integrations already here: {}",
            e.display()
        )
    })?;
    let names = existing
        .into_iter()
        .map(|i| i.common().name.clone())
        .collect();
    split_call!(tools_code::check(import, acting.server.clone(), names))
        .map_err(|_| TRANSFER_NOT_LOADED.to_owned())
}

impl Transfer {
    /// Creates the state and provides it as context.
    pub fn provide(list: List, ops: Ops) -> Transfer {
        let preview = RwSignal::new(None::<Preview>);
        let chosen = RwSignal::new(Vec::new());
        let results = RwSignal::new(Vec::new());
        let check = local_action(move |input: &web_sys::HtmlInputElement| {
            let input = input.clone();
            async move {
                let Some(acting) = list.acting() else { return };
                let read = web::read_chosen_file(&input).await;
                // Choosing the same file again must read it again.
                input.set_value("");
                let Some((file, text)) = read else {
                    chosen.set(Vec::new());
                    preview.set(Some(Preview {
                        file: "the chosen file".to_owned(),
                        error: Some("The browser could not read this file.".to_owned()),
                        rows: Vec::new(),
                    }));
                    return;
                };
                let (rows, error) = match checked(list, &acting, text).await {
                    Ok(rows) => (rows, None),
                    Err(error) => (Vec::new(), Some(error)),
                };
                chosen.set(rows.iter().map(|r| r.request.is_some()).collect());
                results.set(vec![None; rows.len()]);
                preview.set(Some(Preview { file, error, rows }));
            }
        });
        let create = local_action(move |_: &()| async move {
            let Some(acting) = list.acting() else { return };
            let rows =
                preview.with_untracked(|p| p.as_ref().map(|p| p.rows.clone()).unwrap_or_default());
            let wanted = chosen.get_untracked();
            let mut done = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let wanted = wanted.get(i).copied().unwrap_or(false);
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
        let gather = local_action(move |_: &()| async move {
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
    .into_any()
}

/// "Import…": a file input behind a button-like label (the input keeps the focus ring).
#[component]
pub fn ImportButton() -> impl IntoView {
    let t = expect_context::<Transfer>();
    let choose = move |ev: leptos::ev::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            t.check.dispatch(input);
        }
    };
    view! {
        <span class="file-button">
            <input
                id="import-file"
                type="file"
                class="visually-hidden"
                accept=".json,application/json"
                on:click=|_| tools_code::preload()
                on:change=choose
            />
            <label for="import-file" class="btn">
                {move || if t.check.pending().get() { "Checking…" } else { "Import…" }}
            </label>
        </span>
    }
    .into_any()
}

impl Transfer {
    /// How many entries are chosen that can be created.
    fn chosen_count(&self) -> usize {
        self.preview.with(|p| {
            self.chosen.with(|c| {
                p.as_ref().map_or(0, |p| {
                    p.rows
                        .iter()
                        .zip(c)
                        .filter(|(r, on)| **on && r.request.is_some())
                        .count()
                })
            })
        })
    }

    /// "3 integrations in the file: 2 can be created, …".
    fn summary(&self) -> Option<String> {
        self.preview.with(|p| {
            let p = p.as_ref()?;
            let ready = p.rows.iter().filter(|r| r.request.is_some()).count();
            let taken = p.rows.iter().filter(|r| r.exists).count();
            Some(format!(
                "{} in the file: {ready} can be created, {} cannot, {taken} with a name already in use.",
                count_text(p.rows.len()),
                p.rows.len() - ready
            ))
        })
    }
}

/// Each new preview takes the focus, so keyboard and screen reader users land on it.
/// (After the redraw that unhides it: a later task, not a microtask.)
fn focus_each_preview(t: Transfer) {
    effect(move || {
        if t.preview
            .with(|p| p.as_ref().map(|p| p.file.len()))
            .is_some()
        {
            set_timeout(
                || browser::focus_id("import-title"),
                std::time::Duration::ZERO,
            );
        }
    });
}

/// Draws the preview's rows into `body` whenever they, the choices or the results change.
fn draw_entries(t: Transfer, body: NodeRef<leptos::html::Tbody>) {
    effect(move || {
        let html = t.preview.with(|p| {
            t.chosen.with(|c| {
                t.results
                    .with(|r| p.as_ref().map(|p| entries_html(&p.rows, c, r)))
            })
        });
        if let (Some(el), Some(html)) = (body.get(), html) {
            web::replace_keeping_focus(&el, &html);
        }
    });
}

/// The preview of an import: each entry with what it is, where it goes and whether it can
/// be created here; then a result per entry.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let t = expect_context::<Transfer>();
    let count = move || t.chosen_count();
    let creating = t.create.pending();
    focus_each_preview(t);
    let body = NodeRef::<leptos::html::Tbody>::new();
    draw_entries(t, body);
    let pick = move |ev: leptos::ev::Event| {
        let Some((_, i, control)) = web::event_key(&ev) else {
            return;
        };
        let on = web::is_checked(&control);
        if let Ok(i) = i.parse::<usize>() {
            t.chosen.update(|c| {
                if let Some(x) = c.get_mut(i) {
                    *x = on;
                }
            });
        }
    };
    let close = move |_| {
        t.preview.set(None);
        browser::focus_id("import-file");
    };
    let summary = move || t.summary();
    let has_rows = move || {
        t.preview
            .with(|p| p.as_ref().is_some_and(|p| !p.rows.is_empty()))
    };
    let error = move || t.preview.with(|p| p.as_ref().and_then(|p| p.error.clone()));
    view! {
        <section class="card import-panel" aria-labelledby="import-title" hidden=move || t.preview.with(Option::is_none)>
            <h2 id="import-title" tabindex="-1">
                "Import from " {move || t.preview.with(|p| p.as_ref().map(|p| p.file.clone()))}
            </h2>
            <div class="alert alert-error" role="alert" hidden=move || error().is_none()>
                <p>{error}</p>
            </div>
            <div hidden=move || !has_rows()>
                <p>{summary}</p>
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
                        <tbody node_ref=body on:change=pick></tbody>
                    </table>
                </div>
            </div>
            <div class="form-actions">
                <button
                    type="button"
                    class="btn btn-primary"
                    hidden=move || !has_rows()
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
                <button type="button" class="btn" on:click=close>"Close"</button>
            </div>
        </section>
    }
    .into_any()
}

/// The preview's rows: a box to choose it (when it can be created and was not yet), name,
/// kind, target, and the problems, notes and result of each entry.
fn entries_html(rows: &[ImportRow], chosen: &[bool], results: &[Option<Outcome>]) -> Html {
    let mut m = Markup::new();
    for (i, r) in rows.iter().enumerate() {
        let result = results.get(i).and_then(Option::as_ref);
        let open = r.request.is_some() && !matches!(result, Some(Outcome::Done));
        m.raw("<tr data-id=\"")
            .number(i)
            .raw("\"><td class=\"cell-select\"><input type=\"checkbox\" data-key=\"c")
            .number(i)
            .raw("\" aria-label=\"Create ")
            .text(&r.label)
            .raw("\"")
            .raw(if chosen.get(i).copied().unwrap_or(false) {
                " checked"
            } else {
                ""
            })
            .raw(if open { "" } else { " disabled" })
            .raw("></td><th scope=\"row\">")
            .text(&r.label);
        if r.exists {
            m.raw(" <span class=\"badge badge-warn\">Name in use</span>");
        }
        m.raw("</th><td data-label=\"Kind\">")
            .raw(match r.kind {
                Some(Kind::Incoming) => "Incoming",
                Some(Kind::Outgoing) => "Outgoing",
                None => "—",
            })
            .raw("</td><td data-label=\"Target\" class=\"cell-target\">")
            .text(&r.target)
            .raw("</td><td data-label=\"Check\">");
        match result {
            Some(Outcome::Failed(reason)) => {
                m.raw("<p class=\"error-text\">Failed: ")
                    .text(reason)
                    .raw("</p>");
            }
            Some(_) => {
                m.raw("<p><span class=\"badge badge-on\">Created</span></p>");
            }
            None if r.request.is_some() => {
                m.raw("<p><span class=\"badge\">Ready</span></p>");
            }
            None => {}
        }
        m.raw("<ul class=\"plain-list\">");
        for (class, text) in r
            .problems
            .iter()
            .map(|p| ("error-text", p))
            .chain(r.notes.iter().map(|n| ("muted", n)))
        {
            m.raw("<li class=\"")
                .raw(class)
                .raw("\">")
                .text(text)
                .raw("</li>");
        }
        m.raw("</ul></td></tr>");
    }
    m.finish()
}
