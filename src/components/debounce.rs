//! The app's one debounce: a call waits for a pause (in typing, say), and a newer call
//! replaces the one still waiting. Nothing runs once the owner that made it is gone.

use leptos::prelude::*;
use std::time::Duration;

/// Runs the latest of quick successive calls, after a pause of `delay`.
#[derive(Clone, Copy)]
pub struct Debounce {
    serial: StoredValue<u32>,
    waiting: StoredValue<bool>,
    delay: Duration,
}

/// Which call a debounced function runs for; later calls make it stale.
#[derive(Clone, Copy)]
pub struct Ticket {
    serial: StoredValue<u32>,
    mine: u32,
}

impl Ticket {
    /// Whether no call came after this one (false too once the owner is gone), e.g. to
    /// drop an answer that arrives after a newer question was asked.
    pub fn current(&self) -> bool {
        self.serial.try_get_value() == Some(self.mine)
    }
}

impl Debounce {
    /// A debounce waiting `delay_ms` milliseconds.
    pub fn new(delay_ms: u64) -> Debounce {
        Debounce {
            serial: StoredValue::new(0),
            waiting: StoredValue::new(false),
            delay: Duration::from_millis(delay_ms),
        }
    }

    /// Runs `run` after the pause, unless called again meanwhile.
    pub fn call(&self, run: impl FnOnce(Ticket) + 'static) {
        self.call_boxed(Box::new(run));
    }

    /// One copy of the timer code for every caller, not one per closure.
    fn call_boxed(&self, run: Box<dyn FnOnce(Ticket)>) {
        let mine = self.serial.get_value().wrapping_add(1);
        self.serial.set_value(mine);
        self.waiting.set_value(true);
        let (ticket, waiting) = (
            Ticket {
                serial: self.serial,
                mine,
            },
            self.waiting,
        );
        set_timeout(
            move || {
                if ticket.current() {
                    waiting.set_value(false);
                    run(ticket);
                }
            },
            self.delay,
        );
    }

    /// Whether a call is waiting for the pause to end.
    pub fn waiting(&self) -> bool {
        self.waiting.try_get_value().unwrap_or(false)
    }
}
