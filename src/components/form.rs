//! The form machinery both integration editors share: [`FormState`] (values, live
//! validation, the server's refusal, unsaved changes), [`FormField`] (label, required mark,
//! hint, inline error and warnings, with the `aria-*` wiring on the control) and
//! [`ErrorSummary`] (GOV.UK style: focused, linked to each field, "Error: " in the title).
//!
//! Validation follows the core: nothing shows before the first submit; from then on every
//! keystroke re-validates, so each message goes away as its field is corrected.

use crate::browser::{self, BrowserUrls};
use crate::components::effect;
use crate::core::errors::ApiError;
use crate::core::field::Field;
use crate::core::form::Form;
use crate::core::model::Kind;
use crate::core::permissions::Permissions;
use crate::core::validate::{self, Checked, Context, Problem, Valid};
use crate::core::version::Features;
use leptos::prelude::*;
use leptos::tachys::html::attribute::Attribute;

/// Everything one form needs, shared by its field components. Cheap to copy.
#[derive(Clone, Copy)]
pub struct FormState {
    /// The values as typed.
    pub form: RwSignal<Form>,
    /// The values as last loaded or saved; unsaved changes are the difference.
    pub baseline: RwSignal<Form>,
    /// Set by the first submit: from then on problems show and follow every keystroke.
    pub submitted: RwSignal<bool>,
    /// The server's last refusal, shown beside its field until that field changes.
    pub server_error: RwSignal<Option<ApiError>>,
    /// Bumped by each failed submit so the error summary takes focus again.
    pub attempts: RwSignal<u32>,
    /// The script lab's syntax error, set by the script editor (see [`FormState::script_problem`]).
    pub script_syntax: RwSignal<Option<String>>,
    checked: Memo<Checked<Valid>>,
    touched: RwSignal<Vec<Field>>,
    hinted: StoredValue<Vec<Field>>,
}

impl FormState {
    /// A form starting from `form` (also the baseline), validated for this server and person.
    pub fn new(form: Form, features: Features, permissions: Option<Permissions>) -> FormState {
        let values = RwSignal::new(form.clone());
        let checked = Memo::new(move |_| {
            let ctx = Context {
                features,
                permissions: permissions.as_ref(),
                urls: &BrowserUrls,
            };
            values.with(|f| validate::form(f, &ctx))
        });
        FormState {
            form: values,
            baseline: RwSignal::new(form),
            submitted: RwSignal::new(false),
            server_error: RwSignal::new(None),
            attempts: RwSignal::new(0),
            script_syntax: RwSignal::new(None),
            checked,
            touched: RwSignal::new(Vec::new()),
            hinted: StoredValue::new(Vec::new()),
        }
    }

    /// The kind edited (fixed for the life of the form).
    pub fn kind(&self) -> Kind {
        self.form.with_untracked(Form::kind)
    }

    /// A text value (tracked).
    pub fn text(&self, field: Field) -> String {
        self.form.with(|f| f.text(field).to_owned())
    }

    /// Writes a text value as typed.
    pub fn set_text(&self, field: Field, value: String) {
        self.form.update(|f| f.set_text(field, value));
        self.edited(field);
    }

    /// A toggle (tracked).
    pub fn flag(&self, field: Field) -> bool {
        self.form.with(|f| f.flag(field))
    }

    /// Writes a toggle.
    pub fn set_flag(&self, field: Field, value: bool) {
        self.form.update(|f| f.set_flag(field, value));
        self.edited(field);
    }

    /// After an edit: warnings may show, and a server refusal of this field is stale.
    fn edited(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
        if self
            .server_error
            .with_untracked(|e| e.as_ref().and_then(ApiError::field) == Some(field))
        {
            self.server_error.set(None);
        }
    }

    /// The inline error of a field: the server's refusal, else (after a submit) the live
    /// validation problem.
    pub fn error(&self, field: Field) -> Option<String> {
        let kind = self.kind();
        let server = self.server_error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.display_in(kind))
        });
        server.or_else(|| {
            if self.submitted.get() {
                self.checked
                    .with(|c| c.problem_for(field).map(|p| p.message.clone()))
            } else {
                None
            }
        })
    }

    /// Non-blocking remarks on a field, once it was edited or the form submitted.
    pub fn warnings(&self, field: Field) -> Vec<String> {
        if !self.submitted.get() && !self.touched.with(|t| t.contains(&field)) {
            return Vec::new();
        }
        self.checked
            .with(|c| c.warnings_for(field).map(|w| w.message.clone()).collect())
    }

    /// Every problem for the error summary, in form order: the server's refusal of a field,
    /// else its validation problem (after a submit).
    pub fn problems(&self) -> Vec<Problem> {
        let submitted = self.submitted.get();
        let kind = self.kind();
        let server = self.server_error.with(|e| {
            e.as_ref()
                .and_then(|e| Some((e.field()?, e.display_in(kind))))
        });
        self.checked.with(|c| {
            Field::ALL
                .iter()
                .filter_map(|&field| match &server {
                    Some((f, message)) if *f == field => Some(Problem {
                        field,
                        kind,
                        message: message.clone(),
                    }),
                    _ if submitted => c
                        .problem_for(field)
                        .cloned()
                        .or_else(|| self.script_problem(field)),
                    _ => None,
                })
                .collect()
        })
    }

    /// The script lab's syntax error as a problem of the script field while the script is
    /// enabled: it blocks the save. While disabled the script editor shows it as a warning.
    fn script_problem(&self, field: Field) -> Option<Problem> {
        if field != Field::Script || !self.form.with(|f| f.flag(Field::ScriptEnabled)) {
            return None;
        }
        let message = self.script_syntax.get()?;
        Some(Problem {
            field,
            kind: self.kind(),
            message,
        })
    }

    /// A server refusal that concerns no single field.
    pub fn general_error(&self) -> Option<String> {
        self.server_error.with(|e| {
            e.as_ref()
                .filter(|e| e.field().is_none())
                .map(ApiError::display)
        })
    }

    /// Submit: shows problems from now on; the valid value when there are none.
    pub fn submit(&self) -> Option<Valid> {
        self.submitted.set(true);
        self.server_error.set(None);
        let valid = self
            .checked
            .with_untracked(|c| c.result.clone().ok())
            .filter(|_| untrack(|| self.script_problem(Field::Script).is_none()));
        if valid.is_none() {
            self.attempts.update(|n| *n += 1);
        }
        valid
    }

    /// The server refused the save: keep every value, show the refusal.
    pub fn refused(&self, error: ApiError) {
        self.server_error.set(Some(error));
        self.attempts.update(|n| *n += 1);
    }

    /// The server saved (or loaded) `form`: it becomes the values and the baseline.
    pub fn reset(&self, form: Form) {
        self.baseline.set(form.clone());
        self.form.set(form);
        self.submitted.set(false);
        self.server_error.set(None);
        self.touched.set(Vec::new());
    }

    /// Whether the values differ from the baseline (tracked).
    pub fn dirty(&self) -> bool {
        self.form.with(|f| self.baseline.with(|b| f != b))
    }

    /// `aria-describedby` of a field's control: hint, error and warnings that are shown.
    pub fn described_by(&self, field: Field) -> Option<String> {
        let id = field.id();
        let mut ids = Vec::new();
        if self.hinted.with_value(|h| h.contains(&field)) {
            ids.push(format!("{id}-hint"));
        }
        if self.error(field).is_some() {
            ids.push(format!("{id}-error"));
        }
        if !self.warnings(field).is_empty() {
            ids.push(format!("{id}-warning"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    /// `aria-invalid` of a field's control.
    pub fn invalid(&self, field: Field) -> Option<&'static str> {
        self.error(field).map(|_| "true")
    }

    /// `aria-required` of a field's control.
    pub fn required(&self, field: Field) -> Option<&'static str> {
        self.form.with(|f| f.requires(field)).then_some("true")
    }
}

/// The control a [`FormField`] renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Control {
    /// One-line text.
    #[default]
    Text,
    /// Several lines of text.
    Textarea,
    /// A checkbox shown as a switch, its label beside it.
    Toggle,
    /// A choice among `(value, label)` pairs.
    Select(&'static [(&'static str, &'static str)]),
    /// The children are the control (they wire `aria-*` through [`FormState`]).
    Custom,
}

/// One field: label (with the required mark), hint, inline error, the control, warnings.
#[component]
pub fn FormField(
    state: FormState,
    field: Field,
    /// Help shown under the label.
    #[prop(optional)]
    hint: &'static str,
    #[prop(optional)] control: Control,
    /// The control for [`Control::Custom`], or extra content after a standard control.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let id = field.id();
    if !hint.is_empty() {
        state.hinted.update_value(|h| h.push(field));
    }
    let label = field.label_in(state.kind());
    let hint_view = (!hint.is_empty()).then(|| {
        view! { <span class="hint" id=format!("{id}-hint")>{hint}</span> }
    });
    let described = move || state.described_by(field);
    let warnings = move || {
        let list = state.warnings(field);
        (!list.is_empty()).then(|| {
            view! {
                <span class="field-warning" id=format!("{id}-warning")>
                    {list.join(" ")}
                </span>
            }
        })
    };

    if control == Control::Toggle {
        return view! {
            <div class="field field-toggle">
                <label class="switch">
                    <input
                        type="checkbox"
                        role="switch"
                        id=id
                        prop:checked=move || state.flag(field)
                        aria-describedby=described
                        on:change=move |ev| state.set_flag(field, event_target_checked(&ev))
                    />
                    <span class="label">{label}</span>
                </label>
                {hint_view}
                {children.map(|c| c())}
            </div>
        }
        .into_any();
    }

    let custom = control == Control::Custom;
    let control_view = match control {
        Control::Textarea => view! {
            <textarea {..wiring(state, field)} {..typing(state, field)} class="textarea" rows="4"></textarea>
        }
        .into_any(),
        Control::Select(options) => select_control(
            state,
            field,
            options
                .iter()
                .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
                .collect(),
        ),
        Control::Custom => ().into_any(),
        _ => view! {
            <input {..wiring(state, field)} {..typing(state, field)} class="input" type="text" />
        }
        .into_any(),
    };
    // Custom controls come first (where the standard control goes); other children follow it.
    let (custom, extra) = match children.map(|c| c()) {
        Some(v) if custom => (Some(v), None),
        other => (None, other),
    };

    view! {
        <div class="field" class:has-error=move || state.error(field).is_some()>
            <label for=id>
                {label}
                {move || {
                    state
                        .form
                        .with(|f| f.requires(field))
                        .then(|| view! { <span class="required-mark" aria-hidden="true">"*"</span> })
                }}
            </label>
            {hint_view}
            {move || {
                state
                    .error(field)
                    .map(|message| {
                        view! {
                            <span class="field-error" id=format!("{id}-error")>
                                <span class="visually-hidden">"Error: "</span>
                                {message}
                            </span>
                        }
                    })
            }}
            {control_view}
            {custom}
            {extra}
            {warnings}
        </div>
    }
    .into_any()
}

/// The id and `aria-*` state every text control of a field carries, spread onto it.
fn wiring(state: FormState, field: Field) -> impl Attribute {
    view! {
        <{..}
            id=field.id()
            aria-invalid=move || state.invalid(field)
            aria-required=move || state.required(field)
            aria-describedby=move || state.described_by(field)
        />
    }
}

/// The value of a text control and its edits, spread onto it.
fn typing(state: FormState, field: Field) -> impl Attribute {
    view! {
        <{..}
            prop:value=move || state.text(field)
            on:input=move |ev| state.set_text(field, event_target_value(&ev))
        />
    }
}

/// A select of `(value, label)` pairs wired to `field` like the other controls; for
/// [`Control::Select`] and for choices built at run time (inside a [`Control::Custom`]).
pub fn select_control(state: FormState, field: Field, options: Vec<(String, String)>) -> AnyView {
    view! {
        <select
            {..wiring(state, field)}
            class="select"
            prop:value=move || state.text(field)
            on:change=move |ev| state.set_text(field, event_target_value(&ev))
        >
            {options
                .into_iter()
                .map(|(value, label)| view! { <option value=value>{label}</option> })
                .collect_view()}
        </select>
    }
    .into_any()
}

/// "* required", once per form, above the fields.
#[component]
pub fn RequiredLegend() -> impl IntoView {
    view! {
        <p class="form-legend">
            <span class="required-mark" aria-hidden="true">"*"</span>
            " required"
        </p>
    }
}

/// The error summary at the top of a form: "There is a problem", one link per problem to
/// its field, server refusals without a field as plain items. It takes focus after each
/// failed submit and prefixes the document title with "Error: " while it shows.
#[component]
pub fn ErrorSummary(
    state: FormState,
    /// The page's title without the prefix.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    let problems = Memo::new(move |_| state.problems());
    let general = Memo::new(move |_| state.general_error());
    let shown = move || problems.with(|p| !p.is_empty()) || general.with(Option::is_some);

    effect(move || {
        let t = title.get();
        if shown() {
            browser::set_title(&format!("Error: {t}"));
        } else {
            browser::set_title(&t);
        }
    });
    Effect::new(move |previous: Option<u32>| {
        let n = state.attempts.get();
        if previous.is_some_and(|p| p != n) {
            // After the summary has rendered.
            request_animation_frame(|| browser::focus_id("error-summary"));
        }
        n
    });

    move || {
        shown().then(|| {
            view! {
                <div class="error-summary" id="error-summary" role="group" tabindex="-1" aria-labelledby="error-summary-title">
                    <div role="alert">
                        <h2 id="error-summary-title">"There is a problem"</h2>
                        <ul>
                            {move || general.get().map(|text| view! { <li>{text}</li> })}
                            {move || {
                                problems
                                    .get()
                                    .into_iter()
                                    .map(|p| {
                                        let id = p.field.id();
                                        view! {
                                            <li>
                                                <a
                                                    href=format!("#{id}")
                                                    on:click=move |ev| {
                                                        ev.prevent_default();
                                                        browser::focus_id(id);
                                                    }
                                                >
                                                    {p.summary()}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                    </div>
                </div>
            }
        })
    }
}
