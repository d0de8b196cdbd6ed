//! The integrations list page's rules: its state in the address (tab, search, sort, page),
//! client-side search and ordering, enable/disable as a whole-object update, summaries of
//! bulk actions, and the checks of an import preview.

use std::cmp::Ordering;

use super::encode;
use super::export::{Import, ImportEntry};
use super::field::Field;
use super::form::Form;
use super::model::{Integration, Kind};
use super::request::{self, ApiRequest, ListQuery, SortField};
use super::validate::{self, Context, Valid};

/// Which kinds the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tab {
    /// Both kinds.
    All,
    /// Incoming webhooks only.
    Incoming,
    /// Outgoing webhooks only.
    Outgoing,
}

impl Tab {
    /// The tabs in display order.
    pub const ALL: [Tab; 3] = [Tab::All, Tab::Incoming, Tab::Outgoing];

    /// Value in the address (`tab=`).
    pub fn param(self) -> &'static str {
        match self {
            Tab::All => "all",
            Tab::Incoming => "incoming",
            Tab::Outgoing => "outgoing",
        }
    }

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::All => "All",
            Tab::Incoming => "Incoming",
            Tab::Outgoing => "Outgoing",
        }
    }

    /// The kind shown, `None` for both.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Tab::All => None,
            Tab::Incoming => Some(Kind::Incoming),
            Tab::Outgoing => Some(Kind::Outgoing),
        }
    }

    /// Whether an integration of `kind` belongs on this tab.
    pub fn shows(self, kind: Kind) -> bool {
        self.kind().is_none_or(|k| k == kind)
    }
}

/// Orders the list can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sort {
    /// By name.
    Name,
    /// By creation date.
    Created,
    /// By date of the last change.
    Updated,
}

impl Sort {
    /// Value in the address (`sort=`).
    pub fn param(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Created => "created",
            Sort::Updated => "updated",
        }
    }

    /// The server's sort column.
    pub fn field(self) -> SortField {
        match self {
            Sort::Name => SortField::Name,
            Sort::Created => SortField::CreatedAt,
            Sort::Updated => SortField::UpdatedAt,
        }
    }
}

/// The orders offered, as (sort, descending, label): one select covers column and direction.
pub const ORDERS: [(Sort, bool, &str); 6] = [
    (Sort::Name, false, "Name, A to Z"),
    (Sort::Name, true, "Name, Z to A"),
    (Sort::Created, true, "Newest first"),
    (Sort::Created, false, "Oldest first"),
    (Sort::Updated, true, "Recently changed first"),
    (Sort::Updated, false, "Least recently changed first"),
];

/// Page sizes offered (the server returns at most 100).
pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];

/// Everything the list's address holds: reload and the back button restore it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListState {
    /// Kinds shown.
    pub tab: Tab,
    /// Search text as typed.
    pub search: String,
    /// Order.
    pub sort: Sort,
    /// Descending instead of ascending.
    pub descending: bool,
    /// Page number, from 1.
    pub page: u32,
    /// Rows per page, one of [`PAGE_SIZES`].
    pub size: u32,
    /// Only outgoing webhooks whose last call failed (`failing=1`), among the rows of the
    /// page: their health is read for the rows on screen only.
    pub failing: bool,
}

impl Default for ListState {
    fn default() -> Self {
        ListState {
            tab: Tab::All,
            search: String::new(),
            sort: Sort::Name,
            descending: false,
            page: 1,
            size: PAGE_SIZES[0],
            failing: false,
        }
    }
}

impl ListState {
    /// Reads the state from query parameters (`get` returns a decoded value); anything
    /// unknown or malformed falls back to the default.
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> ListState {
        let d = ListState::default();
        let tab = match get("tab").as_deref() {
            Some("incoming") => Tab::Incoming,
            Some("outgoing") => Tab::Outgoing,
            _ => Tab::All,
        };
        let sort = match get("sort").as_deref() {
            Some("created") => Sort::Created,
            Some("updated") => Sort::Updated,
            _ => Sort::Name,
        };
        let number = |key: &str| get(key).and_then(|v| v.trim().parse::<u32>().ok());
        ListState {
            tab,
            search: get("q").unwrap_or_default(),
            sort,
            descending: get("dir").as_deref() == Some("desc"),
            page: number("page").filter(|&p| p > 0).unwrap_or(d.page),
            size: number("size")
                .filter(|s| PAGE_SIZES.contains(s))
                .unwrap_or(d.size),
            failing: get("failing").as_deref() == Some("1"),
        }
    }

    /// The query string of this state, without the defaults (empty for the default state).
    pub fn query_string(&self) -> String {
        let d = ListState::default();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.tab != d.tab {
            pairs.push(("tab", self.tab.param().to_owned()));
        }
        if !self.search.trim().is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.sort != d.sort {
            pairs.push(("sort", self.sort.param().to_owned()));
        }
        if self.descending {
            pairs.push(("dir", "desc".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.size != d.size {
            pairs.push(("size", self.size.to_string()));
        }
        if self.failing {
            pairs.push(("failing", "1".to_owned()));
        }
        encode::query(&pairs)
    }

    /// This state on another page.
    pub fn at_page(&self, page: u32) -> ListState {
        ListState {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Rows skipped before this page.
    pub fn offset(&self) -> usize {
        (self.page.max(1) as usize - 1) * self.size as usize
    }

    /// The server request for this page, filters included (servers from 7.0).
    pub fn list_query(&self) -> ListQuery {
        ListQuery {
            count: self.size,
            offset: self.offset() as u32,
            sort: self.sort.field(),
            descending: self.descending,
            name: self.search.trim().to_owned(),
            kind: self.tab.kind(),
        }
    }
}

/// Pages needed for `total` rows (at least one).
pub fn page_count(total: u64, size: u32) -> u32 {
    let size = u64::from(size.max(1));
    total.div_ceil(size).clamp(1, u64::from(u32::MAX)) as u32
}

/// "Showing 26–50 of 103" for a page starting after `offset` rows with `shown` rows.
pub fn range_text(offset: usize, shown: usize, total: u64) -> String {
    match (shown, total) {
        (_, 0) => "No integrations".to_owned(),
        (0, _) => format!("None of {total} on this page"),
        (1, 1) => "Showing 1 of 1".to_owned(),
        _ => format!("Showing {}–{} of {total}", offset + 1, offset + shown),
    }
}

/// The text client-side search looks in: name, channels, target room, URLs and trigger
/// words, lower-cased, one per line.
pub fn search_text(i: &Integration) -> String {
    let c = i.common();
    let mut parts: Vec<&str> = vec![&c.name];
    parts.extend(c.channel.iter().map(String::as_str));
    if let Integration::Outgoing(o) = i {
        parts.extend(o.target_room.as_deref());
        parts.extend(o.urls.iter().map(String::as_str));
        parts.extend(o.trigger_words.iter().map(String::as_str));
    }
    parts.join("\n").to_lowercase()
}

/// The search text as compared against [`search_text`]: trimmed and lower-cased.
pub fn needle(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Ascending order of two integrations for a sort; ties fall back to the name, then the id,
/// so the order is stable. Names compare without letter case, dates as ISO text.
pub fn compare(a: &Integration, b: &Integration, sort: Sort) -> Ordering {
    let (ca, cb) = (a.common(), b.common());
    let by_name = || {
        ca.name
            .to_lowercase()
            .cmp(&cb.name.to_lowercase())
            .then_with(|| ca.id.cmp(&cb.id))
    };
    match sort {
        Sort::Name => by_name(),
        Sort::Created => ca.created_at.cmp(&cb.created_at).then_with(by_name),
        Sort::Updated => ca.updated_at.cmp(&cb.updated_at).then_with(by_name),
    }
}

/// The creation or change date for a table cell: `2024-05-01`, or empty.
pub fn short_date(iso: Option<&str>) -> &str {
    iso.map(|d| d.get(..10).unwrap_or(d)).unwrap_or("")
}

/// The update that enables or disables a stored integration: the whole object, as the
/// update endpoint needs it (spec §10.7), validated like an edit. `Err` gives the reason.
pub fn set_enabled(
    stored: &Integration,
    enabled: bool,
    ctx: &Context<'_>,
) -> Result<ApiRequest, String> {
    let mut form = Form::from_stored(stored);
    form.set_flag(Field::Enabled, enabled);
    valid_or_reason(&form, ctx).map(|v| request::save(&v))
}

/// The validated form, or its first problem as one line.
fn valid_or_reason(form: &Form, ctx: &Context<'_>) -> Result<Valid, String> {
    validate::form(form, ctx).result.map_err(|problems| {
        problems
            .first()
            .map(|p| p.summary())
            .unwrap_or_else(|| "This integration does not pass validation.".to_owned())
    })
}

/// A bulk action over the chosen rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bulk {
    /// Enable each one.
    Enable,
    /// Disable each one.
    Disable,
    /// Delete each one.
    Delete,
}

impl Bulk {
    /// The actions in display order.
    pub const ALL: [Bulk; 3] = [Bulk::Enable, Bulk::Disable, Bulk::Delete];

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Bulk::Enable => "Enable",
            Bulk::Disable => "Disable",
            Bulk::Delete => "Delete",
        }
    }

    /// Past participle for the summary ("3 disabled").
    pub fn done(self) -> &'static str {
        match self {
            Bulk::Enable => "enabled",
            Bulk::Disable => "disabled",
            Bulk::Delete => "deleted",
        }
    }

    /// The enabled state this action sets, `None` for delete.
    pub fn target_state(self) -> Option<bool> {
        match self {
            Bulk::Enable => Some(true),
            Bulk::Disable => Some(false),
            Bulk::Delete => None,
        }
    }
}

/// What happened to one row of a bulk action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// Already in the wanted state; nothing was sent.
    Unchanged,
    /// Failed, with the reason to show.
    Failed(String),
}

/// Counts "`N` integration(s)".
pub fn count_text(n: usize) -> String {
    if n == 1 {
        "1 integration".to_owned()
    } else {
        format!("{n} integrations")
    }
}

/// One sentence for a finished bulk action, e.g.
/// `"3 disabled, 1 already disabled, 1 failed: Ops — Your role does not allow this action."`.
pub fn summary(action: Bulk, results: &[(String, Outcome)]) -> String {
    summary_with(action.done(), results)
}

/// [`summary`] with any past participle, e.g. `"created"` for an import.
pub fn summary_with(done_word: &str, results: &[(String, Outcome)]) -> String {
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|(_, o)| f(o)).count();
    let done = count(|o| *o == Outcome::Done);
    let unchanged = count(|o| *o == Outcome::Unchanged);
    let mut text = format!("{done} {done_word}");
    if unchanged > 0 {
        text.push_str(&format!(", {unchanged} already {done_word}"));
    }
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(name, o)| match o {
            Outcome::Failed(reason) => Some(format!("{name} — {reason}")),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        text.push_str(&format!(
            ", {} failed: {}",
            failures.len(),
            failures.join("; ")
        ));
    }
    text
}

/// One entry of an import preview, checked against this server.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    /// Position in the file, from 1.
    pub number: usize,
    /// Name to list it under.
    pub label: String,
    /// Kind, when the entry could be read.
    pub kind: Option<Kind>,
    /// What it posts to or watches, in short.
    pub target: String,
    /// Why it cannot be created here (empty when it can).
    pub problems: Vec<String>,
    /// Remarks that do not block (new token, name already used, warnings).
    pub notes: Vec<String>,
    /// Whether an integration of this name already exists on the server.
    pub exists: bool,
    /// The create request, when there is no problem.
    pub request: Option<ApiRequest>,
}

/// Checks every entry of an import against this server's version and rules (`ctx`) and
/// the names that already exist there (compared without letter case).
pub fn check_import(import: &Import, ctx: &Context<'_>, existing: &[&str]) -> Vec<ImportRow> {
    let taken: Vec<String> = existing.iter().map(|n| needle(n)).collect();
    import
        .entries
        .iter()
        .map(|e| check_entry(e, ctx, &taken))
        .collect()
}

fn check_entry(entry: &ImportEntry, ctx: &Context<'_>, taken: &[String]) -> ImportRow {
    let mut row = ImportRow {
        number: entry.number,
        label: entry.label.clone(),
        kind: None,
        target: String::new(),
        problems: Vec::new(),
        notes: entry.notes.clone(),
        exists: false,
        request: None,
    };
    let form = match &entry.outcome {
        Ok(form) => form,
        Err(reason) => {
            row.problems.push(reason.clone());
            return row;
        }
    };
    let kind = form.kind();
    row.kind = Some(kind);
    let (name, target) = match form {
        Form::Incoming(f) => (f.text(Field::Name), f.text(Field::Channel).to_owned()),
        Form::Outgoing(f) => {
            let room = f.text(Field::TargetRoom).trim();
            let watched = if room.is_empty() {
                f.text(Field::Channel).trim()
            } else {
                room
            };
            let urls = f
                .text(Field::Urls)
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(", ");
            let event = f.event();
            let mut t = event.label().to_owned();
            if !watched.is_empty() {
                t.push_str(" in ");
                t.push_str(watched);
            }
            t.push_str(" → ");
            t.push_str(&urls);
            (f.text(Field::Name), t)
        }
    };
    row.target = target;
    let key = needle(name);
    if !key.is_empty() && taken.contains(&key) {
        row.exists = true;
        row.notes.push(
            "An integration with this name already exists here; importing creates a second one."
                .to_owned(),
        );
    }
    if let Some(Err(reason)) = ctx.permissions.map(|p| p.can_create(kind)) {
        row.problems.push(reason.to_owned());
        return row;
    }
    let checked = validate::form(form, ctx);
    row.notes
        .extend(checked.warnings.iter().map(|w| w.message.clone()));
    match checked.result {
        Ok(valid) => row.request = Some(request::save(&valid)),
        Err(problems) => row.problems.extend(problems.iter().map(|p| p.summary())),
    }
    row
}
