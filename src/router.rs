//! Client-side routing: the address bar as a signal, link clicks and back/forward turned into
//! in-app navigation, query-string state, and a leave guard for unsaved changes.
//!
//! Why not `leptos_router`: its typed route tree cost 37 KB of the 120 KB (brotli) budget for
//! nine routes (measured: 137.7 KB with it, 101.0 KB without). The names here mirror its hooks
//! (`use_navigate`, `use_location`, `use_query_map`) so pages read the same; route ids come as
//! props from [`Route`].

use crate::core::encode;
use crate::core::listing::ListState;
use crate::core::model::Kind;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// A screen of the app, parsed from the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: sends the person to the list or to sign-in.
    Home,
    /// `/sign-in`.
    SignIn,
    /// `/integrations`: the list.
    List,
    /// `/integrations/new/incoming`.
    NewIncoming,
    /// `/integrations/incoming/:id`.
    Incoming(String),
    /// `/integrations/new/outgoing`.
    NewOutgoing,
    /// `/integrations/outgoing/:id`.
    Outgoing(String),
    /// `/integrations/outgoing/:id/history`.
    History(String),
    /// `/about`.
    About,
    /// Anything else.
    NotFound,
}

impl Route {
    /// Parses a path (without query string); ids are percent-decoded by the browser already.
    pub fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Route::Home,
            ["sign-in"] => Route::SignIn,
            ["integrations"] => Route::List,
            ["integrations", "new", "incoming"] => Route::NewIncoming,
            ["integrations", "new", "outgoing"] => Route::NewOutgoing,
            ["integrations", "incoming", id] => Route::Incoming((*id).to_owned()),
            ["integrations", "outgoing", id] => Route::Outgoing((*id).to_owned()),
            ["integrations", "outgoing", id, "history"] => Route::History((*id).to_owned()),
            ["about"] => Route::About,
            _ => Route::NotFound,
        }
    }

    /// The path of this route, the inverse of [`Route::parse`]; ids are percent-encoded.
    pub(crate) fn href(&self) -> String {
        let id = |prefix: &str, id: &str, suffix: &str| {
            format!("{prefix}{}{suffix}", encode::component(id))
        };
        match self {
            Route::Home => "/".to_owned(),
            Route::SignIn => "/sign-in".to_owned(),
            Route::List => "/integrations".to_owned(),
            Route::NewIncoming => "/integrations/new/incoming".to_owned(),
            Route::Incoming(i) => id("/integrations/incoming/", i, ""),
            Route::NewOutgoing => "/integrations/new/outgoing".to_owned(),
            Route::Outgoing(i) => id("/integrations/outgoing/", i, ""),
            Route::History(i) => id("/integrations/outgoing/", i, "/history"),
            Route::About => "/about".to_owned(),
            Route::NotFound => "/not-found".to_owned(),
        }
    }

    /// The page of a new webhook of `kind`.
    pub(crate) fn new_of(kind: Kind) -> Route {
        match kind {
            Kind::Incoming => Route::NewIncoming,
            Kind::Outgoing => Route::NewOutgoing,
        }
    }

    /// The edit page of the webhook `id` of `kind`.
    pub(crate) fn edit_of(kind: Kind, id: &str) -> Route {
        match kind {
            Kind::Incoming => Route::Incoming(id.to_owned()),
            Kind::Outgoing => Route::Outgoing(id.to_owned()),
        }
    }

    /// This route's path with a query string (`key=value` pairs, encoded).
    pub(crate) fn with_query(&self, pairs: &[(&str, String)]) -> String {
        let query = encode::query(pairs);
        if query.is_empty() {
            self.href()
        } else {
            format!("{}?{query}", self.href())
        }
    }

    /// The list's address in `state`, e.g. `/integrations?tab=incoming&page=2`.
    pub(crate) fn list_href(state: &ListState) -> String {
        let query = state.query_string();
        if query.is_empty() {
            Route::List.href()
        } else {
            format!("{}?{query}", Route::List.href())
        }
    }
}

/// Query-string or route parameters, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// Parses `?a=1&b=x` (leading `?` optional) with the browser's `URLSearchParams`.
    pub fn from_search(search: &str) -> ParamsMap {
        let mut pairs = Vec::new();
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) {
            let entries = js_sys::try_iter(&params).ok().flatten();
            for entry in entries.into_iter().flatten().flatten() {
                let pair = js_sys::Array::from(&entry);
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    pairs.push((k, v));
                }
            }
        }
        ParamsMap(pairs)
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.get_str(key).map(str::to_owned)
    }

    /// The first value of `key`, borrowed.
    pub(crate) fn get_str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// How to navigate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NavigateOptions {
    /// Replace the current history entry instead of adding one.
    pub replace: bool,
    /// Stay where the page is scrolled (e.g. while typing a search); else go to the top.
    pub keep_scroll: bool,
}

impl NavigateOptions {
    /// Replaces the current entry and goes to the top (redirects, a page's new address).
    pub const REPLACE: Self = Self {
        replace: true,
        keep_scroll: false,
    };
}

/// The current address.
#[derive(Clone, Copy)]
pub struct Location {
    /// Path, e.g. `/integrations`.
    pub pathname: Memo<String>,
    /// Query string including `?`, or empty.
    pub search: Memo<String>,
}

/// Asked before leaving the page; answers whether leaving may go ahead.
pub type LeaveGuard = Callback<(), bool>;

#[derive(Clone, Copy)]
struct RouterState {
    /// `(path, search)` as in the address bar.
    url: RwSignal<(String, String)>,
    /// The installed guard with a serial, so a late cleanup never removes a newer guard.
    guard: StoredValue<Option<(u64, LeaveGuard)>>,
}

fn read_address() -> (String, String) {
    let location = web_sys::window().map(|w| w.location());
    let get = |f: fn(&web_sys::Location) -> Result<String, JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    (
        get(web_sys::Location::pathname),
        get(web_sys::Location::search),
    )
}

impl RouterState {
    /// Whether leaving may go ahead; `None` once this router is gone (its app unmounted).
    fn may_leave(&self) -> Option<bool> {
        let guard = self.guard.try_get_value()?;
        Some(guard.is_none_or(|(_, guard)| guard.run(())))
    }

    fn go(&self, to: &str, options: NavigateOptions) {
        if self.may_leave() != Some(true) {
            return;
        }
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = if options.replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(to))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(to))
            };
        }
        self.url.try_set(read_address());
        if let Some(w) = web_sys::window().filter(|_| !options.keep_scroll) {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// Starts routing for the app: reads the address, follows back/forward, and turns clicks on
/// same-origin links into in-app navigation. Call once, at the root; the listeners go with it.
pub fn provide_router() {
    let state = RouterState {
        url: RwSignal::new(read_address()),
        guard: StoredValue::new(None),
    };
    provide_context(state);

    let on_pop = window_event_listener(leptos::ev::popstate, move |_| {
        let Some(previous) = state.url.try_get_untracked() else {
            return;
        };
        match state.may_leave() {
            Some(true) => {
                state.url.try_set(read_address());
            }
            Some(false) => {
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    // The browser already moved; put the page the person chose to stay on back.
                    let back = format!("{}{}", previous.0, previous.1);
                    let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&back));
                }
            }
            None => {}
        }
    });

    let on_click = window_event_listener(leptos::ev::click, move |ev| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(anchor) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let href = anchor.get_attribute("href").unwrap_or_default();
        let in_app = href.starts_with('/') && !href.starts_with("//");
        if !in_app || anchor.has_attribute("download") || anchor.has_attribute("target") {
            return;
        }
        ev.prevent_default();
        state.go(&href, NavigateOptions::default());
    });
    on_cleanup(move || {
        on_pop.remove();
        on_click.remove();
    });
}

fn state() -> RouterState {
    expect_context::<RouterState>()
}

/// The current address as signals.
pub fn use_location() -> Location {
    let url = state().url;
    Location {
        pathname: Memo::new(move |_| url.with(|(path, _)| path.clone())),
        search: Memo::new(move |_| url.with(|(_, search)| search.clone())),
    }
}

/// The current route.
pub(crate) fn use_route() -> Memo<Route> {
    let url = state().url;
    Memo::new(move |_| url.with(|(path, _)| Route::parse(path)))
}

/// The query string as a map.
pub fn use_query_map() -> Memo<ParamsMap> {
    let url = state().url;
    Memo::new(move |_| url.with(|(_, search)| ParamsMap::from_search(search)))
}

/// A function that navigates to an in-app address (asking the leave guard first).
pub(crate) fn use_navigate() -> impl Fn(&str, NavigateOptions) + Copy + 'static {
    let state = state();
    move |to: &str, options: NavigateOptions| state.go(to, options)
}

/// Installs a leave guard while the calling component lives (one at a time): in-app
/// navigation and back/forward ask it first. Closing the tab is `beforeunload`'s job.
pub fn use_leave_guard(guard: LeaveGuard) {
    let state = state();
    let serial = state
        .guard
        .with_value(|g| g.as_ref().map_or(0, |(n, _)| n + 1));
    state.guard.set_value(Some((serial, guard)));
    on_cleanup(move || {
        if state
            .guard
            .try_with_value(|g| matches!(g, Some((n, _)) if *n == serial))
            == Some(true)
        {
            state.guard.set_value(None);
        }
    });
}

/// `aria-current="page"` for a navigation link whose section (`route` and below) is showing.
pub(crate) fn aria_current(route: Route) -> impl Fn() -> Option<&'static str> {
    let location = use_location();
    let prefix = route.href();
    move || {
        location
            .pathname
            .with(|p| p.starts_with(&prefix))
            .then_some("page")
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn href_is_the_inverse_of_parse() {
        let routes = [
            Route::Home,
            Route::SignIn,
            Route::List,
            Route::NewIncoming,
            Route::Incoming("abc123".into()),
            Route::NewOutgoing,
            Route::Outgoing("x".into()),
            Route::History("x".into()),
            Route::About,
            Route::NotFound,
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn ids_and_queries_are_encoded() {
        assert_eq!(
            Route::Incoming("a/b".into()).href(),
            "/integrations/incoming/a%2Fb"
        );
        assert_eq!(
            Route::NewOutgoing.with_query(&[("duplicate", "a b&c".into())]),
            "/integrations/new/outgoing?duplicate=a%20b%26c"
        );
    }
}
