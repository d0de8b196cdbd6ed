//! The runner of one script editor: `/lab/runner.html` in a hidden iframe with
//! `sandbox="allow-scripts"` (an opaque origin: none of the app's storage, cookies, session or
//! DOM), made on the first message and removed with the editor. It gets only JSON text (the
//! script, the sample, the mode) and answers by id.

use crate::core::script_lab::{self as lab, Called, Phase, Reply, ScriptError};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

type Waiter = Box<dyn FnOnce(Reply)>;
type Listener = Closure<dyn FnMut(web_sys::MessageEvent)>;

/// The iframe, its message listener and the calls waiting for an answer.
struct Runner {
    frame: web_sys::HtmlIFrameElement,
    listener: Listener,
    ready: bool,
    queue: Vec<String>,
    next: u32,
    waiting: Vec<(u32, Waiter)>,
}

/// The editor's runner, shared through context by its syntax check and its lab.
#[derive(Clone, Copy)]
pub(super) struct LabRunner(StoredValue<Option<Runner>, LocalStorage>);

impl LabRunner {
    /// The runner of the editor being built: the first part that asks makes it (empty until
    /// the first message) and it goes away with the editor.
    pub(super) fn use_runner() -> Self {
        if let Some(runner) = use_context::<Self>() {
            return runner;
        }
        let runner = Self(StoredValue::new_local(None));
        provide_context(runner);
        on_cleanup(move || runner.close());
        runner
    }

    /// Sends a message built for its id; `then` gets the answer (a failure if the runner
    /// page never starts).
    pub(super) fn send(self, make: impl FnOnce(u32) -> String, then: impl FnOnce(Reply) + 'static) {
        let fresh = self.0.try_update_value(|slot| {
            if slot.is_none() {
                *slot = self.create();
            }
            let r = slot.as_mut()?;
            r.next += 1;
            r.waiting.push((r.next, Box::new(then)));
            let text = make(r.next);
            if r.ready {
                post(&r.frame, &text);
            } else {
                r.queue.push(text);
            }
            Some(!r.ready)
        });
        if fresh.flatten() == Some(true) {
            set_timeout(
                move || {
                    let stuck = self
                        .0
                        .try_with_value(|r| r.as_ref().is_some_and(|r| !r.ready));
                    if stuck == Some(true) {
                        self.fail_waiting(
                            "The script lab could not start: /lab/runner.html did not load.",
                        );
                    }
                },
                Duration::from_secs(8),
            );
        }
    }

    /// Makes the hidden iframe and its message listener.
    fn create(self) -> Option<Runner> {
        let window = web_sys::window()?;
        let doc = window.document()?;
        let frame: web_sys::HtmlIFrameElement =
            doc.create_element("iframe").ok()?.dyn_into().ok()?;
        for (name, value) in [
            ("sandbox", "allow-scripts"),
            ("src", "/lab/runner.html"),
            ("class", "lab-frame"),
            ("title", "Script lab runner"),
            ("aria-hidden", "true"),
            ("tabindex", "-1"),
        ] {
            frame.set_attribute(name, value).ok()?;
        }
        let listener = Listener::new(move |ev| self.on_message(ev));
        window
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .ok()?;
        doc.body()?.append_child(&frame).ok()?;
        Some(Runner {
            frame,
            listener,
            ready: false,
            queue: Vec::new(),
            next: 0,
            waiting: Vec::new(),
        })
    }

    /// Messages from the runner only (its window is the source); anything else is ignored.
    fn on_message(self, ev: web_sys::MessageEvent) {
        let from_runner = self.0.try_with_value(|r| {
            let window = r.as_ref().and_then(|r| r.frame.content_window());
            matches!((window, ev.source()), (Some(w), Some(s)) if js_sys::Object::is(&w, &s))
        });
        let Some(reply) = ev
            .data()
            .as_string()
            .filter(|_| from_runner == Some(true))
            .and_then(|t| lab::parse_reply(&t))
        else {
            return;
        };
        let id = match &reply {
            Reply::Ready => {
                self.0.try_update_value(|r| {
                    if let Some(r) = r.as_mut() {
                        r.ready = true;
                        for text in r.queue.drain(..) {
                            post(&r.frame, &text);
                        }
                    }
                });
                return;
            }
            Reply::Checked { id, .. } | Reply::Called { id, .. } => *id,
        };
        // Taken out before it runs: the waiter may send the next message.
        let waiter = self.0.try_update_value(|r| {
            let r = r.as_mut()?;
            let at = r.waiting.iter().position(|(w, _)| *w == id)?;
            Some(r.waiting.swap_remove(at).1)
        });
        if let Some(waiter) = waiter.flatten() {
            waiter(reply);
        }
    }

    /// A failure for every waiting call, when the runner page never answered.
    fn fail_waiting(self, message: &str) {
        let waiting = self
            .0
            .try_update_value(|r| r.as_mut().map(|r| std::mem::take(&mut r.waiting)));
        for (id, waiter) in waiting.flatten().unwrap_or_default() {
            waiter(Reply::Called {
                id,
                result: Called::Failed(ScriptError {
                    phase: Phase::Load,
                    name: "Error".into(),
                    message: message.into(),
                    stack: String::new(),
                    pos: None,
                }),
                console: Vec::new(),
            });
        }
    }

    /// Removes the iframe and its listener (the editor is gone).
    fn close(self) {
        let Some(Some(runner)) = self.0.try_update_value(Option::take) else {
            return;
        };
        runner.frame.remove();
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "message",
                runner.listener.as_ref().unchecked_ref(),
            );
        }
    }
}

fn post(frame: &web_sys::HtmlIFrameElement, text: &str) {
    if let Some(w) = frame.content_window() {
        // The runner's origin is opaque, so "*" is the only target; the text holds no secret.
        let _ = w.post_message(&JsValue::from_str(text), "*");
    }
}
