//! The script editor: monospace, a line-number gutter, Tab inserts a tab (Esc then Tab
//! leaves), Enter keeps the line's indentation, and the server's compile result below.
//! The script lab adds a syntax check as you type (marked in the gutter) and "Try the script".

use super::script_lab::{self, ScriptLab};
use crate::browser;
use crate::components::FormState;
use crate::core::field::Field;
use crate::core::script_lab::ScriptError;
use crate::core::text_edit;
use leptos::html::{Pre, Textarea};
use leptos::prelude::*;

/// What the server said when it last compiled the saved script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileResult {
    /// Nothing to say (no script, or not saved yet).
    None,
    /// It compiled.
    Compiled,
    /// It did not: `"Name: message"`.
    Failed(String),
    /// Saved but neither compiled nor refused (e.g. scripts frozen on the server).
    Unknown,
}

/// The script field's control; put it in a `FormField` with `Control::Custom`.
#[component]
pub fn ScriptEditor(
    state: FormState,
    #[prop(into)] result: Signal<CompileResult>,
) -> impl IntoView {
    let field = Field::Script;
    let area = NodeRef::<Textarea>::new();
    let gutter = NodeRef::<Pre>::new();
    let syntax = script_lab::syntax_check(state);
    let on_keydown = use_code_keys(state, area);
    let sync_scroll = move |_| {
        if let (Some(a), Some(g)) = (area.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(a.scroll_top());
        }
    };
    // The field's own hints, then the syntax error and the compile result when shown.
    let described_by = move || {
        let notes = [
            state.described_by(field),
            syntax
                .with(Option::is_some)
                .then(|| "script-syntax".to_owned()),
            (result.get() != CompileResult::None).then(|| "script-result".to_owned()),
        ];
        let ids: Vec<String> = notes.into_iter().flatten().collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="editor">
            <pre class="editor-gutter" aria-hidden="true" node_ref=gutter>{move || gutter_lines(state, syntax)}</pre>
            <textarea
                id=field.id()
                class="editor-text"
                node_ref=area
                rows="12"
                wrap="off"
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                prop:value=move || state.text(field)
                aria-invalid=move || state.invalid(field)
                aria-describedby=described_by
                on:input=move |ev| state.set_text(field, event_target_value(&ev))
                on:keydown=on_keydown
                on:scroll=sync_scroll
            ></textarea>
        </div>
        <SyntaxNote state syntax />
        <CompileNote result />
        <ScriptLab state />
    }
}

/// Tab inserts a tab (Esc then Tab moves focus on, as in other code editors); Enter keeps the
/// line's indentation.
fn use_code_keys(
    state: FormState,
    area: NodeRef<Textarea>,
) -> impl Fn(leptos::ev::KeyboardEvent) + Copy {
    let escaped = StoredValue::new(false);
    let insert = move |text: &str| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        if !browser::insert_text(text) {
            // No execCommand: edit the value directly (the browser's undo loses this step).
            let start = el.selection_start().ok().flatten().unwrap_or(0);
            let end = el.selection_end().ok().flatten().unwrap_or(start);
            let _ = el.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
            state.set_text(Field::Script, el.value());
        }
    };
    move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let plain = !(ev.ctrl_key() || ev.alt_key() || ev.meta_key());
        let was_escaped = escaped.get_value();
        escaped.set_value(key == "Escape");
        if key == "Tab" && plain && !ev.shift_key() && !was_escaped {
            ev.prevent_default();
            insert("\t");
        } else if key == "Enter" && plain && !ev.is_composing() {
            let Some(el) = area.get_untracked() else {
                return;
            };
            ev.prevent_default();
            let value = el.value();
            let caret = el.selection_start().ok().flatten().unwrap_or(0);
            let caret = text_edit::byte_index(&value, caret);
            insert(&text_edit::newline_with_indent(&value, caret));
        }
    }
}

/// Line numbers, with the line of the syntax error marked.
fn gutter_lines(state: FormState, syntax: RwSignal<Option<ScriptError>>) -> AnyView {
    let n = state
        .form
        .with(|f| text_edit::line_count(f.text(Field::Script)));
    let bad = syntax.with(|e| e.as_ref().and_then(|e| e.pos).map(|p| p.line as usize));
    let join = |from: usize, to: usize| {
        (from..=to)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    match bad.filter(|b| *b <= n) {
        Some(b) => view! {
            {join(1, b - 1)}
            {(b > 1).then_some("\n")}
            <mark class="gutter-error" title="Syntax error">{b.to_string()}</mark>
            {(b < n).then_some("\n")}
            {join(b + 1, n)}
        }
        .into_any(),
        None => join(1, n).into_any(),
    }
}

/// The syntax error as typed: blocks saving only while the script is on.
#[component]
fn SyntaxNote(state: FormState, syntax: RwSignal<Option<ScriptError>>) -> impl IntoView {
    move || {
        syntax.get().map(|e| {
            let (class, note) = if state.flag(Field::ScriptEnabled) {
                ("field-error lab-syntax", "")
            } else {
                (
                    "field-warning lab-syntax",
                    " (the script is off, so this does not block saving)",
                )
            };
            view! { <p class=class id="script-syntax">{script_lab::syntax_text(&e)}{note}</p> }
        })
    }
}

/// What the server said when it last compiled the saved script.
#[component]
fn CompileNote(result: Signal<CompileResult>) -> impl IntoView {
    move || {
        match result.get() {
        CompileResult::None => None,
        CompileResult::Compiled => Some(view! {
            <p class="script-result ok" id="script-result">"✓ The saved script compiled."</p>
        }.into_any()),
        CompileResult::Failed(message) => Some(view! {
            <p class="script-result failed" id="script-result">
                <strong>"The saved script did not compile: "</strong>
                <code>{message}</code>
                " The webhook runs without it until it is fixed and saved."
            </p>
        }.into_any()),
        CompileResult::Unknown => Some(view! {
            <p class="script-result" id="script-result">
                "The server kept the script without compiling it (scripts may be frozen on this server)."
            </p>
        }.into_any()),
    }
    }
}
