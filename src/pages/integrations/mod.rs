//! The integrations list: the page an admin lands on. Tabs, search, order and page live in
//! the address (reload and back work); rows show health at a glance and carry their actions;
//! several can be enabled, disabled, deleted or exported at once; a file can be imported.
//!
//! Servers from 7.0 filter by kind and name and page on the server; the search also runs
//! at once over the rows already loaded (channels, URLs, trigger words, which the server
//! cannot search). Older servers cannot filter, so everything is loaded once and searched,
//! ordered and paged here.

mod actions;
mod bulk;
mod health;
mod rows;
mod table;
mod toolbar;
mod tools_code;
mod transfer;
mod web;

pub(crate) use web::download_json;

use crate::api::Client;
use crate::browser;
use crate::components::{effect, local_resource, use_announcer, Announcer, Debounce, ResourceOf};
use crate::core::errors::ApiError;
use crate::core::listing::{self, ListState};
use crate::router::{use_navigate, use_query_map, NavigateOptions, Route};
use crate::server::{use_server, ServerContext, ServerState};
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use rows::{Loaded, Row, Source};

/// How long typing must pause before the search goes to the address (and the server).
const SEARCH_DEBOUNCE_MS: u64 = 300;

/// The rows on screen and the numbers the pager shows.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct Shown {
    rows: Vec<Row>,
    /// Rows before this page.
    offset: usize,
    /// Rows in the whole (filtered) list.
    total: u64,
    /// Rows added from those loaded earlier because their channels, URLs or trigger words
    /// match (servers that search names only).
    extra: usize,
    /// The page shown (clamped to the last one when the list is searched here).
    page: u32,
    /// With the "failing" filter: the page's rows before it, and how many of them are
    /// still being checked.
    failing: Option<(usize, usize)>,
}

/// A finished bulk action or import, shown until the next one.
#[derive(Clone, PartialEq)]
pub(crate) struct Report {
    text: String,
    ok: bool,
}

/// The person, the server and a client, taken when an action starts.
pub(crate) struct Acting {
    client: Client,
    server: ServerState,
}

/// The router's navigation function.
type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

/// Everything the parts of the page share; cheap to copy.
#[derive(Clone, Copy)]
pub(crate) struct List {
    state: Memo<ListState>,
    /// The search box as typed; ahead of `state.search` while typing.
    text: RwSignal<String>,
    server: Memo<Option<ServerState>>,
    source: Memo<Option<Source>>,
    load: ResourceOf<Option<Loaded>>,
    /// The rows of the latest load without a search (servers that search names only).
    pool: RwSignal<Vec<Row>>,
    shown: Memo<Shown>,
    selected: RwSignal<Vec<Row>>,
    report: RwSignal<Option<Report>>,
    navigate: StoredValue<Navigate, LocalStorage>,
    announcer: Announcer,
    session: SessionState,
}

impl List {
    /// Goes to another list state: a new history entry, or a replaced one while typing.
    fn go(&self, state: &ListState, replace: bool) {
        let href = Route::list_href(state);
        self.navigate.try_with_value(|n| {
            n(
                &href,
                NavigateOptions {
                    replace,
                    keep_scroll: replace,
                },
            )
        });
    }

    // Actions finish after awaits, when the person may have left the page: what they read
    // of the page's signals uses the `try_` forms, which do not panic once it is gone.

    /// Whether this server searches here (it cannot filter; everything is loaded).
    fn local(&self) -> bool {
        self.source
            .try_with_untracked(|s| s == &Some(Source::All))
            .unwrap_or(false)
    }

    /// The person, server and a client, if signed in and the server state is known.
    fn acting(&self) -> Option<Acting> {
        let session = self.session.get_untracked()?;
        Some(Acting {
            client: Client::for_session(&session),
            server: self.server.try_get_untracked().flatten()?,
        })
    }

    /// Reloads the current source.
    fn reload(&self) {
        self.load.refetch();
    }

    /// Shows and announces the result of an action.
    fn finish(&self, text: String, ok: bool) {
        self.announcer.announce(text.clone());
        self.report.set(Some(Report { text, ok }));
    }

    /// After rows were deleted: drop them here, or reload the server page so it refills.
    fn forget(&self, ids: &[String]) {
        self.selected.update(|s| s.retain(|r| !ids.contains(&r.id)));
        self.pool.update(|p| p.retain(|r| !ids.contains(&r.id)));
        if self.local() {
            self.load.update(|l| {
                if let Some(l) = l {
                    l.rows.retain(|r| !ids.contains(&r.id));
                    l.total = l.rows.len() as u64;
                }
            });
        } else {
            self.reload();
        }
    }
}

/// Lists the server's webhook integrations.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    browser::set_title("Integrations · hookpanel");
    let session = use_session();
    let server_ctx = use_server();
    let query = use_query_map();
    let state = Memo::new(move |_| query.with(|q| ListState::read(&|k| q.get(k))));
    let server = Memo::new(move |_| server_ctx.state());
    let source = Memo::new(move |_| {
        let features = server.with(|s| s.as_ref().map(|s| s.features))?;
        Some(if features.list_filters {
            // "Failing" narrows the page here; the server's query is the same without it.
            Source::Page(ListState {
                failing: false,
                ..state.get()
            })
        } else {
            Source::All
        })
    });
    let selected = RwSignal::new(Vec::<Row>::new());
    let load = local_resource(move || {
        let current = session.get();
        let features = server.with(|s| s.as_ref().map(|s| s.features));
        let source = source.get();
        let keep = selected.get_untracked();
        async move {
            let (Some(session), Some(features), Some(source)) = (current, features, source) else {
                return None;
            };
            Some(rows::fetch(Client::for_session(&session), features, source, keep).await)
        }
    });
    let text = RwSignal::new(state.get_untracked().search);
    let pool = RwSignal::new(Vec::<Row>::new());
    // Remember the rows of each load without a search: they take part in later searches.
    effect(move || {
        load.with(|l| {
            if let Some(Some(l)) = l {
                if let Source::Page(s) = &l.source {
                    if s.search.trim().is_empty() && l.error.is_none() {
                        pool.set(l.rows.clone());
                    }
                }
            }
        })
    });
    let sorted = Memo::new(move |_| sorted_rows(load, state));
    let page_shown = Memo::new(move |_| shown_rows(load, state, text, pool, sorted));
    let page_rows = Memo::new(move |_| page_shown.with(|s| s.rows.clone()));
    let healths = health::Healths::provide(session, page_rows);
    let shown = Memo::new(move |_| only_failing(page_shown.get(), state, healths));
    let navigate = use_navigate();
    let list = List {
        state,
        text,
        server,
        source,
        load,
        pool,
        shown,
        selected,
        report: RwSignal::new(None),
        navigate: StoredValue::new_local(Box::new(navigate)),
        announcer: use_announcer(),
        session,
    };
    provide_context(list);
    let ops = actions::Ops::provide(list);
    transfer::Transfer::provide(list, ops);
    sync_search(list);

    move || match server_ctx.error() {
        Some(e) => server_error(e, server_ctx).into_any(),
        None => match server.with(|s| s.as_ref().map(|s| s.permissions.can_open())) {
            Some(Err(reason)) => view! {
                <h1>"Integrations"</h1>
                <div class="alert alert-error" role="alert"><p>{reason}</p></div>
            }
            .into_any(),
            _ => view! {
                <div class="page-head">
                    <h1 id="list-title" tabindex="-1">"Integrations"</h1>
                    <toolbar::NewButtons />
                </div>
                <toolbar::Tabs />
                <health::FailingFilter />
                <toolbar::Toolbar />
                <transfer::ImportPanel />
                <bulk::ResultReport />
                <bulk::BulkBar />
                <table::Body />
                <actions::ListDialog />
            }
            .into_any(),
        },
    }
}

/// The server state could not be loaded: say why and offer to try again.
fn server_error(e: ApiError, server: ServerContext) -> impl IntoView {
    view! {
        <h1>"Integrations"</h1>
        <div class="alert alert-error" role="alert">
            <p>{e.display()}</p>
            <button type="button" class="btn" on:click=move |_| server.reload()>"Retry"</button>
        </div>
    }
}

/// Keeps the search box and the address in step: typing writes the address after a pause
/// (replacing the entry, so Back skips keystrokes); Back and Forward write the box.
fn sync_search(list: List) {
    let pause = Debounce::new(SEARCH_DEBOUNCE_MS);
    effect(move || {
        let typed = list.text.get();
        if typed == list.state.with_untracked(|s| s.search.clone()) {
            return;
        }
        pause.call(move |_| {
            let (Some(search), Some(state)) = (
                list.text.try_get_untracked(),
                list.state.try_get_untracked(),
            ) else {
                return;
            };
            list.go(
                &ListState {
                    search,
                    page: 1,
                    ..state
                },
                true,
            );
        });
    });
    effect(move || {
        let search = list.state.with(|s| s.search.clone());
        if !pause.waiting() && list.text.get_untracked() != search {
            list.text.set(search);
        }
    });
}

/// With the "failing" filter, keeps the rows whose last call is known to have failed.
fn only_failing(page: Shown, state: Memo<ListState>, healths: health::Healths) -> Shown {
    if !state.with(|s| s.failing) {
        return page;
    }
    let known: Vec<Option<bool>> = page
        .rows
        .iter()
        .map(|r| {
            if r.kind == crate::core::model::Kind::Outgoing {
                healths.failing(&r.id)
            } else {
                Some(false)
            }
        })
        .collect();
    let checking = known.iter().filter(|k| k.is_none()).count();
    let before = page.rows.len();
    let rows = page
        .rows
        .into_iter()
        .zip(known)
        .filter(|(_, k)| *k == Some(true))
        .map(|(r, _)| r)
        .collect();
    Shown {
        rows,
        failing: Some((before, checking)),
        ..page
    }
}

/// Every loaded row in the chosen order (servers that cannot sort come here whole).
fn sorted_rows(load: ResourceOf<Option<Loaded>>, state: Memo<ListState>) -> Vec<Row> {
    let (sort, descending) = state.with(|s| (s.sort, s.descending));
    load.with(|l| match l {
        Some(Some(l)) if l.source == Source::All => {
            let mut rows = l.rows.clone();
            rows.sort_by(|a, b| {
                a.doc.with_untracked(|x| {
                    b.doc.with_untracked(|y| {
                        let o = listing::compare(x, y, sort);
                        if descending {
                            o.reverse()
                        } else {
                            o
                        }
                    })
                })
            });
            rows
        }
        _ => Vec::new(),
    })
}

/// The rows of this page after the search as typed: client-side over everything on servers
/// that cannot filter; otherwise the server's page, narrowed at once while typing, plus
/// loaded rows that match by channel, URL or trigger word.
fn shown_rows(
    load: ResourceOf<Option<Loaded>>,
    state: Memo<ListState>,
    text: RwSignal<String>,
    pool: RwSignal<Vec<Row>>,
    sorted: Memo<Vec<Row>>,
) -> Shown {
    let needle = text.with(|t| listing::needle(t));
    let matches = |r: &Row| needle.is_empty() || r.hay.contains(&needle);
    state.with(|s| {
        // While typing the address still holds the old search: show the first page.
        let page = if text.with(|t| t.trim() != s.search.trim()) {
            1
        } else {
            s.page
        };
        load.with(|l| match l {
            Some(Some(l)) if l.source == Source::All => sorted.with(|all| {
                let hits: Vec<&Row> = all
                    .iter()
                    .filter(|r| s.tab.shows(r.kind) && matches(r))
                    .collect();
                let total = hits.len() as u64;
                let page = page.min(listing::page_count(total, s.size));
                let offset = s.at_page(page).offset();
                Shown {
                    rows: hits
                        .into_iter()
                        .skip(offset)
                        .take(s.size as usize)
                        .cloned()
                        .collect(),
                    offset,
                    total,
                    extra: 0,
                    page,
                    failing: None,
                }
            }),
            Some(Some(l)) => {
                let mut rows: Vec<Row> = l.rows.iter().filter(|r| matches(r)).cloned().collect();
                let mut extra = 0;
                if !needle.is_empty() && page == 1 {
                    pool.with(|p| {
                        for r in p {
                            let other_field = !r.name_matches(&needle) && matches(r);
                            if other_field
                                && s.tab.shows(r.kind)
                                && !rows.iter().any(|x| x.id == r.id)
                            {
                                rows.push(r.clone());
                                extra += 1;
                            }
                        }
                    });
                }
                Shown {
                    rows,
                    offset: s.at_page(page).offset(),
                    total: l.total + extra as u64,
                    extra,
                    page,
                    failing: None,
                }
            }
            _ => Shown::default(),
        })
    })
}
