//! Safe changes in the editor (issue 15): the review of an edit (every changed field old →
//! new, breaking ones said in words, the script's line diff) and the conflict dialog shown
//! when someone else saved meanwhile. The rules are in `core::changes`.

use super::save::Pending;
use crate::browser;
use crate::components::{effect, FormState};
use crate::components::{ConfirmDialog, Modal};
use crate::core::changes::lines::LineDiff;
use crate::core::changes::merge::{OtherChange, Side};
use crate::core::changes::{self, view, FieldChange};
use crate::core::field::Field;
use leptos::prelude::*;

/// Changed fields as a list: label, old → new, and for a breaking change why, in words.
#[component]
pub(super) fn ChangeList(changes: Vec<FieldChange>) -> impl IntoView {
    view! { <ul class="change-list" inner_html=view::change_items(&changes).into_string()></ul> }
}

/// The script's line diff as a list: each line marked added, removed or kept in words.
#[component]
pub(super) fn ScriptDiff(diff: LineDiff) -> impl IntoView {
    view! {
        <h3 id="script-diff-title">"Script: " {diff.summary()}</h3>
        <ol class="diff" aria-labelledby="script-diff-title" inner_html=view::diff_items(&diff).into_string()></ol>
    }
}

/// The review of what the form changes against the stored copy, as a dialog whose confirm
/// saves. Its body is built while it is open only (the script diff is not free).
#[component]
pub(super) fn ReviewDialog(
    open: RwSignal<bool>,
    state: FormState,
    on_save: Callback<()>,
) -> impl IntoView {
    let body = move || {
        open.get().then(|| {
            let review = state
                .baseline
                .with_untracked(|b| state.form.with_untracked(|f| changes::review(b, f)));
            let breaking = review.breaking().count();
            let warning = match breaking {
                0 => None,
                1 => Some("1 change can break this webhook. Check it before saving.".to_owned()),
                n => Some(format!(
                    "{n} changes can break this webhook. Check them before saving."
                )),
            };
            let empty = review
                .is_empty()
                .then(|| view! { <p>"Nothing has changed."</p> });
            view! {
                {warning.map(|w| view! { <p class="alert alert-warning">{w}</p> })}
                {empty}
                <ChangeList changes=review.changes />
                {review.script.map(|diff| view! { <ScriptDiff diff /> })}
            }
        })
    };
    view! {
        <ConfirmDialog
            open
            id="review-title"
            class="dialog-wide"
            title="Review changes"
            confirm_label="Save changes"
            on_confirm=on_save
        >
            {body}
        </ConfirmDialog>
    }
}

/// Who saved meanwhile and when, with the time in the person's own format.
fn other_sentence(other: Option<&OtherChange>) -> String {
    let other = other.cloned().unwrap_or_default();
    OtherChange {
        by: other.by,
        at: other.at.as_deref().map(browser::local_date),
    }
    .sentence()
}

/// What the conflict dialog can do.
#[derive(Clone, Copy)]
pub(super) struct Resolve {
    /// Save the merged result with these choices.
    pub save: Callback<Vec<(Field, Side)>>,
    /// Take the stored copy as the new base, keeping my changes unsaved.
    pub reload: Callback<()>,
}

/// Someone else saved since the form opened: their change, mine, the fields both changed
/// with a choice each, then save the merge or reload keeping my draft. Nothing is written
/// before a choice.
#[component]
pub(super) fn ConflictDialog(
    open: RwSignal<bool>,
    pending: RwSignal<Option<Pending>>,
    resolve: Resolve,
) -> impl IntoView {
    let choices: RwSignal<Vec<(Field, Side)>> = RwSignal::new(Vec::new());
    let missing: RwSignal<Vec<&'static str>> = RwSignal::new(Vec::new());
    effect(move || {
        if open.get() {
            choices.set(Vec::new());
            missing.set(Vec::new());
        }
    });
    // One handler for every radio of the body (built as markup): name and value say which.
    let choose = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some((index, side)) = view::parse_choice(&input.name(), &input.value()) else {
            return;
        };
        let field = pending.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| p.merge.conflicts.get(index))
                .map(|c| c.field)
        });
        if let Some(field) = field {
            choices.update(|c| {
                c.retain(|(f, _)| *f != field);
                c.push((field, side));
            });
        }
    };
    let on_save = move |_| {
        let Some(p) = pending.get_untracked() else {
            return;
        };
        let picked = choices.get_untracked();
        match p.merge.resolve(&picked) {
            Ok(_) => {
                open.set(false);
                resolve.save.run(picked);
            }
            Err(fields) => missing.set(
                p.merge
                    .conflicts
                    .iter()
                    .filter(|c| fields.contains(&c.field))
                    .map(|c| c.label)
                    .collect(),
            ),
        }
    };
    let on_reload = move |_| {
        open.set(false);
        resolve.reload.run(());
    };
    let body = move || {
        pending.with(|p| {
            p.as_ref()
                .map(|p| view::conflict_body(&p.merge, &other_sentence(p.merge.other.as_ref())))
                .unwrap_or_default()
                .into_string()
        })
    };
    view! {
        <Modal open title_id="conflict-title" class="dialog-wide">
            <h2 id="conflict-title">"Someone else saved this webhook"</h2>
            <div class="dialog-body" inner_html=body on:change=choose></div>
            {move || {
                let m = missing.get();
                (!m.is_empty()).then(|| view! {
                    <p class="field-error" role="alert">{format!("Choose yours or theirs for: {}.", m.join(", "))}</p>
                })
            }}
            <div class="form-actions">
                <button type="button" class="btn btn-primary" on:click=on_save>"Save merged result"</button>
                <button type="button" class="btn" on:click=on_reload>"Reload, keep my draft"</button>
                <button type="button" class="btn" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
    }
}
