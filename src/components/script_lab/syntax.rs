//! The syntax check as the person types, run by the editor's runner.

use super::runner::LabRunner;
use super::{features, mode_of};
use crate::components::FormState;
use crate::core::field::Field;
use crate::core::script_lab::{self as lab, Reply, ScriptError};
use leptos::prelude::*;
use std::time::Duration;

/// Checks the script's syntax a moment after each change (not on load: the runner starts on
/// first use). The error goes to the returned signal and to the form's summary.
pub fn syntax_check(state: FormState) -> RwSignal<Option<ScriptError>> {
    let error = RwSignal::new(None::<ScriptError>);
    let runner = LabRunner::use_runner();
    let features = features();
    let latest = StoredValue::new(0u32);
    let check = move |mine: u32| {
        if latest.try_get_value() != Some(mine) {
            return;
        }
        let script = state
            .form
            .with_untracked(|f| f.text(Field::Script).to_owned());
        if script.trim().is_empty() {
            error.set(None);
            state.script_syntax.set(None);
            return;
        }
        let mode = mode_of(state, features);
        runner.send(
            |id| lab::check_message(id, &script, mode),
            move |reply| {
                if latest.try_get_value() != Some(mine) {
                    return;
                }
                if let Reply::Checked { error: found, .. } = reply {
                    let summary = found.as_ref().map(syntax_text);
                    error.try_set(found);
                    state.script_syntax.try_set(summary);
                }
            },
        );
    };
    Effect::new(move |previous: Option<String>| {
        let script = state.text(Field::Script);
        // On mount only when an earlier editor left a finding (so it is shown, or cleared).
        let changed = match &previous {
            Some(p) => *p != script,
            None => state.script_syntax.with_untracked(Option::is_some),
        };
        if changed {
            latest.update_value(|n| *n += 1);
            let mine = latest.get_value();
            set_timeout(move || check(mine), Duration::from_millis(400));
        }
        script
    });
    error
}

/// "Syntax error at line 3, column 7: Unexpected token '}'".
pub fn syntax_text(e: &ScriptError) -> String {
    match e.pos {
        Some(p) => format!("Syntax error at {}: {}", p.label(), e.message),
        None => format!("Syntax error: {}", e.message),
    }
}
