//! Component tests of the script lab's form wiring, in headless Chromium: a syntax error the
//! lab found blocks the save while the script is enabled. Scripts themselves run in the
//! end-to-end specs (script-lab*.spec.mjs), where `/lab/runner.html` is served.
#![cfg(target_arch = "wasm32")]

use hookpanel::components::FormState;
use hookpanel::core::form::{Form, IncomingForm};
use hookpanel::core::version::Features;
use hookpanel::core::Field;
use leptos::prelude::{Owner, Set};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_syntax_error_blocks_the_save_while_the_script_is_enabled() {
    Owner::new().with(|| {
        let form = Form::Incoming(IncomingForm::new());
        let state = FormState::new(form, Features::latest(), None);
        state.set_text(Field::Name, "Lab".into());
        state.set_text(Field::Channel, "#general".into());
        state.set_text(Field::PostAs, "rocket.cat".into());
        state.set_flag(Field::ScriptEnabled, true);
        state.set_text(Field::Script, "class Script {".into());
        assert!(
            state.submit().is_some(),
            "valid apart from the lab: {:?}",
            state.problems()
        );

        // The lab found a syntax error: the save is refused and the summary names it.
        let finding = "Syntax error at line 1, column 15: Unexpected end of input";
        state.script_syntax.set(Some(finding.into()));
        assert!(state.submit().is_none());
        let problems = state.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, Field::Script);
        assert_eq!(problems[0].message, finding);

        // Scripts off: the script editor shows it as a warning; saving is allowed.
        state.set_flag(Field::ScriptEnabled, false);
        assert!(state.submit().is_some());
        assert!(state.problems().is_empty());
    });
}
