//! `use_lab`: the lab's sample inputs, its results and Run. What a result means is decided in
//! `core::script_lab`; this only sequences the calls to the runner.

use super::runner::LabRunner;
use super::{facts, features, mode_of, Step};
use crate::components::FormState;
use crate::core::field::Field;
use crate::core::model::Kind;
use crate::core::script_lab::{self as lab, Facts, Mode, Reply};
use crate::core::version::Features;
use leptos::prelude::*;
use serde_json::{json, Value};

/// The lab of one script editor.
#[derive(Clone, Copy)]
pub(super) struct Lab {
    pub state: FormState,
    pub features: Features,
    pub template: RwSignal<usize>,
    pub headers: RwSignal<String>,
    pub body: RwSignal<String>,
    pub request: RwSignal<String>,
    pub status: RwSignal<String>,
    pub answer_type: RwSignal<String>,
    pub answer: RwSignal<String>,
    pub steps: RwSignal<Vec<Step>>,
    pub problem: RwSignal<Option<String>>,
    pub running: RwSignal<bool>,
    runner: LabRunner,
    site: StoredValue<String>,
    /// Which run is current: answers of an earlier run are dropped.
    run_id: StoredValue<u32>,
}

/// What a run needs, read once when Run is pressed.
#[derive(Clone)]
struct Input {
    run: u32,
    script: String,
    mode: Mode,
    facts: Facts,
}

impl Lab {
    pub(super) fn use_lab(state: FormState) -> Self {
        let site = use_context::<crate::session::SessionState>()
            .and_then(|s| s.get_untracked())
            .map(|s| s.server)
            .unwrap_or_default();
        let first = lab::TEMPLATES.first();
        Self {
            state,
            features: features(),
            template: RwSignal::new(0),
            headers: RwSignal::new(first.map(|t| t.headers).unwrap_or_default().to_owned()),
            body: RwSignal::new(first.map(|t| t.body).unwrap_or_default().to_owned()),
            request: RwSignal::new(String::new()),
            status: RwSignal::new("200".to_owned()),
            answer_type: RwSignal::new("application/json".to_owned()),
            answer: RwSignal::new(lab::SAMPLE_ANSWER.to_owned()),
            steps: RwSignal::new(Vec::new()),
            problem: RwSignal::new(None),
            running: RwSignal::new(false),
            runner: LabRunner::use_runner(),
            site: StoredValue::new(site),
            run_id: StoredValue::new(0),
        }
    }

    /// The outgoing request the server would send for the form as typed.
    pub(super) fn fill_request(self) {
        let mode = mode_of(self.state, self.features);
        let v = self
            .site
            .with_value(|site| lab::outgoing_request(&facts(self.state), site, mode));
        self.request
            .set(serde_json::to_string_pretty(&v).unwrap_or_default());
    }

    /// Puts sample payload `i` into the inputs.
    pub(super) fn pick(self, i: usize) {
        if let Some(t) = lab::TEMPLATES.get(i) {
            self.template.set(i);
            self.headers.set(t.headers.to_owned());
            self.body.set(t.body.to_owned());
        }
    }

    pub(super) fn run(self) {
        let script = self
            .state
            .form
            .with_untracked(|f| f.text(Field::Script).to_owned());
        self.problem.set(None);
        self.steps.set(Vec::new());
        if script.trim().is_empty() {
            self.problem.set(Some("Write a script first.".into()));
            return;
        }
        self.run_id.update_value(|n| *n += 1);
        let input = Input {
            run: self.run_id.get_value(),
            script,
            mode: mode_of(self.state, self.features),
            facts: facts(self.state),
        };
        match self.state.kind() {
            Kind::Incoming => self.run_incoming(input),
            Kind::Outgoing => self.run_outgoing(input),
        }
    }

    fn current(self, run: u32) -> bool {
        self.run_id.try_get_value() == Some(run)
    }

    fn call(
        self,
        input: &Input,
        method: &'static str,
        arg: Value,
        then: impl FnOnce(Reply) + 'static,
    ) {
        let (run, mode) = (input.run, input.mode);
        let script = input.script.clone();
        self.runner.send(
            move |id| lab::call_message(id, run, &script, mode, method, &arg),
            move |reply| {
                if self.current(run) {
                    then(reply);
                }
            },
        );
    }

    fn run_incoming(self, input: Input) {
        let headers = self.headers.get_untracked();
        let body = self.body.get_untracked();
        let request = match lab::incoming_request(&input.facts, &headers, &body, "", input.mode) {
            Ok(r) => r,
            Err(reply) => {
                self.problem.set(Some(format!(
                    "The server answers 400 {reply} before running the script: the body does not parse."
                )));
                return;
            }
        };
        self.running.set(true);
        let facts = input.facts.clone();
        let method = "process_incoming_request";
        self.call(
            &input,
            method,
            json!({ "request": request }),
            move |reply| {
                self.running.try_set(false);
                let done = Step::new(method, reply, |r| lab::incoming_outcome(r, &facts));
                self.steps.try_set(vec![done]);
            },
        );
    }

    fn run_outgoing(self, input: Input) {
        let sample = match serde_json::from_str::<Value>(&self.request.get_untracked()) {
            Ok(v) if v.is_object() => v,
            _ => {
                self.problem
                    .set(Some("The sample request is not a JSON object.".into()));
                return;
            }
        };
        let code: u16 = match self.status.get_untracked().trim().parse() {
            Ok(c) if (100..=599).contains(&c) => c,
            _ => {
                self.problem.set(Some(
                    "The answer's status must be a number from 100 to 599.".into(),
                ));
                return;
            }
        };
        let answer = (
            self.answer_type.get_untracked(),
            self.answer.get_untracked(),
        );
        self.running.set(true);
        let arg = json!({ "request": sample.clone() });
        let next = input.clone();
        self.call(&input, "prepare_outgoing_request", arg, move |reply| {
            let first = Step::new("prepare_outgoing_request", reply, |r| {
                lab::prepare_outcome(r, &sample, &next.facts)
            });
            let sent = first.outcome.call.as_ref().map(|c| c.request.clone());
            self.steps.try_set(vec![first]);
            match sent {
                Some(sent) => self.respond(&next, sent, sample, code, answer),
                None => {
                    self.running.try_set(false);
                }
            }
        });
    }

    /// The second step: `process_outgoing_response` on the sample answer.
    fn respond(
        self,
        input: &Input,
        sent: Value,
        sample: Value,
        code: u16,
        answer: (String, String),
    ) {
        let (ctype, text) = answer;
        let arg = json!({ "request": sent, "response": lab::response_arg(code, &ctype, &text) });
        let facts = input.facts.clone();
        let method = "process_outgoing_response";
        self.call(input, method, arg, move |reply| {
            self.running.try_set(false);
            let second = Step::new(method, reply, |r| {
                lab::response_outcome(r, &sample, &facts, code, &ctype, &text)
            });
            self.steps.try_update(|list| list.push(second));
        });
    }
}
