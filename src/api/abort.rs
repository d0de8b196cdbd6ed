//! The requests of one page: each page provides a [`PageRequests`], and leaving the page
//! aborts every request it sent that is still out. An aborted call never resolves, so the
//! page that is gone neither updates nor shows an error.

use leptos::prelude::*;
use web_sys::{AbortController, AbortSignal};

/// The abort controller of the page showing; in context, below the page's owner.
#[derive(Clone, Copy)]
pub(crate) struct PageRequests(StoredValue<Option<AbortController>, LocalStorage>);

impl PageRequests {
    /// Provides the scope for the page being built; its requests are aborted on cleanup.
    pub(crate) fn provide() {
        let scope = PageRequests(StoredValue::new_local(AbortController::new().ok()));
        provide_context(scope);
        on_cleanup(move || {
            scope
                .0
                .try_with_value(|c| c.as_ref().map(AbortController::abort));
        });
    }

    /// The page's signal; `None` once the page is gone.
    pub(super) fn signal(&self) -> Option<AbortSignal> {
        self.0
            .try_with_value(|c| c.as_ref().map(AbortController::signal))
            .flatten()
    }
}

/// The signal one request is sent with: aborted by its timeout or by the page leaving.
pub(super) struct Deadline {
    timeout: AbortSignal,
    page: Option<AbortSignal>,
    signal: AbortSignal,
}

impl Deadline {
    /// A deadline of `ms` for a request of `page`; `None` when that page is gone already.
    pub(super) fn new(page: Option<PageRequests>, ms: u32) -> Option<Deadline> {
        let timeout = AbortSignal::timeout_with_u32(ms);
        let page = match page {
            Some(scope) => Some(scope.signal().filter(|s| !s.aborted())?),
            None => None,
        };
        let signal = match &page {
            Some(p) => AbortSignal::any(&js_sys::Array::of2(&timeout, p)),
            None => timeout.clone(),
        };
        Some(Deadline {
            timeout,
            page,
            signal,
        })
    }

    /// The signal to hand to the request.
    pub(super) fn signal(&self) -> &AbortSignal {
        &self.signal
    }

    /// Whether the page that sent the request is gone.
    pub(super) fn left(&self) -> bool {
        self.page.as_ref().is_some_and(AbortSignal::aborted)
    }

    /// Whether the request ran out of time.
    pub(super) fn timed_out(&self) -> bool {
        self.timeout.aborted()
    }
}

/// What a call of a page that is gone resolves to: nothing, ever (the task is dropped).
pub(super) async fn never<T>() -> T {
    futures::future::pending().await
}
