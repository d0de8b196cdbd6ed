//! The loaded rows and how they are fetched: one server page on servers that filter (7.0+),
//! or everything, in pages of 100, on older servers, whose list cannot filter or search.

use std::ops::Deref;
use std::sync::Arc;

use crate::api::Client;
use crate::core::errors::ApiError;
use crate::core::listing::{self, ListState};
use crate::core::model::{parse_list, Integration, Kind};
use crate::core::request::{self, ListQuery, MAX_PAGE};
use crate::core::version::Features;
use leptos::prelude::*;

/// One integration of the list, with its own signals so that an update changes its row in
/// place (focus stays on the button that was pressed).
pub struct RowData {
    /// `_id`.
    pub id: String,
    /// Kind (never changes).
    pub kind: Kind,
    /// Lower-cased text client-side search looks in.
    pub hay: String,
    /// The stored document, replaced after each update.
    pub doc: ArcRwSignal<Integration>,
    /// Whether a request about this row is under way.
    pub busy: ArcRwSignal<bool>,
}

/// A shared handle on a row; equal only to itself.
#[derive(Clone)]
pub struct Row(Arc<RowData>);

impl Row {
    /// A row for a stored document.
    pub fn new(doc: Integration) -> Row {
        Row(Arc::new(RowData {
            id: doc.id().to_owned(),
            kind: doc.kind(),
            hay: listing::search_text(&doc),
            doc: ArcRwSignal::new(doc),
            busy: ArcRwSignal::new(false),
        }))
    }

    /// The name to show, as the document has it now.
    pub fn name(&self) -> String {
        self.doc.with_untracked(Integration::display_name)
    }

    /// Whether the name (the first line of the search text) contains `needle`.
    pub fn name_matches(&self, needle: &str) -> bool {
        self.hay.lines().next().is_some_and(|n| n.contains(needle))
    }
}

impl Deref for Row {
    type Target = RowData;
    fn deref(&self) -> &RowData {
        &self.0
    }
}

impl PartialEq for Row {
    fn eq(&self, other: &Row) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What a load asks the server for.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// One page, filtered and sorted by the server (7.0+).
    Page(ListState),
    /// Everything, for servers that cannot filter.
    All,
}

/// The answer of one load, tagged with what it answers.
#[derive(Clone)]
pub struct Loaded {
    /// The request it answers; a different current source means a newer load is on its way.
    pub source: Source,
    /// Rows in server order.
    pub rows: Vec<Row>,
    /// Server total for the filters (all rows for [`Source::All`]).
    pub total: u64,
    /// Why it failed, if it did.
    pub error: Option<ApiError>,
}

/// Loads a source; rows whose id is in `keep` reuse that row (so a selection made on another
/// page keeps pointing at what is shown), with the fresh document.
pub async fn fetch(client: Client, features: Features, source: Source, keep: Vec<Row>) -> Loaded {
    let answer = match &source {
        Source::Page(state) => fetch_page(&client, &features, &state.list_query()).await,
        Source::All => fetch_all(&client, &features).await.map(|all| {
            let total = all.len() as u64;
            (all, total)
        }),
    };
    match answer {
        Ok((docs, total)) => Loaded {
            rows: docs
                .into_iter()
                .map(|doc| match keep.iter().find(|r| r.id == doc.id()) {
                    Some(row) => {
                        row.doc.set(doc);
                        row.clone()
                    }
                    None => Row::new(doc),
                })
                .collect(),
            source,
            total,
            error: None,
        },
        Err(e) => Loaded {
            source,
            rows: Vec::new(),
            total: 0,
            error: Some(e),
        },
    }
}

async fn fetch_page(
    client: &Client,
    features: &Features,
    q: &ListQuery,
) -> Result<(Vec<Integration>, u64), ApiError> {
    let page = parse_list(&client.call(&request::list(q, features)).await?);
    Ok((page.integrations, page.total))
}

/// Every integration the person may see, in pages of 100 (the server's largest).
pub async fn fetch_all(client: &Client, features: &Features) -> Result<Vec<Integration>, ApiError> {
    let mut all = Vec::new();
    let mut offset: u32 = 0;
    loop {
        let q = ListQuery {
            count: MAX_PAGE,
            offset,
            ..ListQuery::default()
        };
        let page = parse_list(&client.call(&request::list(&q, features)).await?);
        let received = (page.integrations.len() + page.skipped) as u32;
        all.extend(page.integrations);
        offset = offset.saturating_add(received);
        // An empty page ends it too, so a server that miscounts cannot loop forever.
        if received == 0 || u64::from(offset) >= page.total {
            return Ok(all);
        }
    }
}
