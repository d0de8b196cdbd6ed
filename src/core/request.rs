//! Request building per server version (spec §2, §8–§10): paths, query strings and JSON
//! bodies. Save bodies come only from validated values.

use serde_json::{Map, Value};

use super::encode;
use super::model::{Integration, Kind};
use super::validate::{Valid, ValidIncoming, ValidOutgoing};
use super::version::Features;

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST with a JSON body.
    Post,
    /// PUT with a JSON body.
    Put,
}

impl Method {
    /// Upper-case name for `fetch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request relative to the server URL; the network layer adds the base and auth headers.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Path with query string, e.g. `/api/v1/integrations.get?integrationId=abc`.
    pub path: String,
    /// JSON body for POST/PUT.
    pub body: Option<Value>,
}

impl ApiRequest {
    fn get(endpoint: &str, query: &[(&str, String)]) -> ApiRequest {
        let mut path = format!("/api/v1/{endpoint}");
        if !query.is_empty() {
            path.push('?');
            path.push_str(&encode::query(query));
        }
        ApiRequest {
            method: Method::Get,
            path,
            body: None,
        }
    }

    fn with_body(method: Method, endpoint: &str, body: Value) -> ApiRequest {
        ApiRequest {
            method,
            path: format!("/api/v1/{endpoint}"),
            body: Some(body),
        }
    }

    /// The body serialised as JSON text (`None` for GET).
    pub fn body_text(&self) -> Option<String> {
        self.body.as_ref().map(Value::to_string)
    }
}

/// Create (new form) or update (edited form) request for a validated form.
pub fn save(valid: &Valid) -> ApiRequest {
    let (body, update) = match valid {
        Valid::Incoming(v) => (incoming_body(v), v.id.is_some()),
        Valid::Outgoing(v) => (outgoing_body(v), v.id.is_some()),
    };
    if update {
        ApiRequest::with_body(Method::Put, "integrations.update", body)
    } else {
        ApiRequest::with_body(Method::Post, "integrations.create", body)
    }
}

/// Object builder: create omits empty optional strings, update sends `""` to clear them.
struct Body {
    map: Map<String, Value>,
    update: bool,
}

impl Body {
    fn new(kind: Kind, id: Option<&str>) -> Body {
        let mut b = Body {
            map: Map::new(),
            update: id.is_some(),
        };
        b.text("type", kind.api_name());
        if let Some(id) = id {
            b.text("integrationId", id);
        }
        b
    }

    fn text(&mut self, key: &str, value: &str) {
        self.map
            .insert(key.to_owned(), Value::String(value.to_owned()));
    }

    fn optional(&mut self, key: &str, value: &str) {
        if self.update || !value.is_empty() {
            self.text(key, value);
        }
    }

    fn flag(&mut self, key: &str, value: bool) {
        self.map.insert(key.to_owned(), Value::Bool(value));
    }

    fn list(&mut self, key: &str, items: &[String]) {
        let items = items.iter().cloned().map(Value::String).collect();
        self.map.insert(key.to_owned(), Value::Array(items));
    }

    /// Script keys every kind sends, gated by version.
    fn script(&mut self, f: &Features, enabled: bool, engine: &str, script: &str, skip: bool) {
        self.flag("scriptEnabled", enabled);
        self.optional("script", script);
        if f.script_engine {
            self.text("scriptEngine", engine);
        }
        if f.skip_transpile {
            self.flag("skipTranspile", skip);
        }
    }

    fn look(&mut self, alias: &str, avatar: &str, emoji: &str) {
        self.optional("alias", alias);
        self.optional("avatar", avatar);
        self.optional("emoji", emoji);
    }
}

/// Body of `integrations.create` or `integrations.update` for an incoming webhook.
pub fn incoming_body(v: &ValidIncoming) -> Value {
    let mut b = Body::new(Kind::Incoming, v.id.as_deref());
    b.text("name", &v.name);
    b.flag("enabled", v.enabled);
    b.text("channel", &v.channel);
    // Also on update: recent servers change the post-as user, older ones ignore it.
    b.text("username", &v.username);
    b.look(&v.alias, &v.avatar, &v.emoji);
    // Declared by every schema; required on 6.3 updates.
    b.flag("overrideDestinationChannelEnabled", v.override_destination);
    b.script(
        &v.features,
        v.script_enabled,
        &v.script_engine,
        &v.script,
        v.skip_transpile,
    );
    Value::Object(b.map)
}

/// Body of `integrations.create` or `integrations.update` for an outgoing webhook.
pub fn outgoing_body(v: &ValidOutgoing) -> Value {
    let mut b = Body::new(Kind::Outgoing, v.id.as_deref());
    b.text("name", &v.name);
    b.flag("enabled", v.enabled);
    b.text("event", v.event.as_str());
    b.text("channel", &v.channel);
    b.text("username", &v.username);
    b.list("urls", &v.urls);
    // Always: the server never makes one, and update refuses a missing token (#18902).
    b.text("token", &v.token);
    if v.event.uses_trigger_words() {
        b.list("triggerWords", &v.trigger_words);
    }
    b.optional("targetRoom", &v.target_room);
    b.flag("triggerWordAnywhere", v.trigger_word_anywhere);
    b.flag("runOnEdits", v.run_on_edits);
    b.flag("impersonateUser", v.impersonate_user);
    b.flag("retryFailedCalls", v.retry_failed_calls);
    if let Some(n) = v.retry_count {
        b.map.insert("retryCount".into(), Value::from(n));
    }
    if let Some(d) = &v.retry_delay {
        b.text("retryDelay", d);
    }
    b.look(&v.alias, &v.avatar, &v.emoji);
    b.script(
        &v.features,
        v.script_enabled,
        &v.script_engine,
        &v.script,
        v.skip_transpile,
    );
    // 6.3 update schema requires it; 6.13+ rejects it on outgoing.
    if b.update && v.features.override_required_on_update {
        b.flag("overrideDestinationChannelEnabled", v.override_destination);
    }
    Value::Object(b.map)
}

/// `integrations.remove` with the stored type and id only.
pub fn remove(integration: &Integration) -> ApiRequest {
    let mut m = Map::new();
    m.insert(
        "type".into(),
        Value::String(integration.kind().api_name().to_owned()),
    );
    m.insert(
        "integrationId".into(),
        Value::String(integration.id().to_owned()),
    );
    ApiRequest::with_body(Method::Post, "integrations.remove", Value::Object(m))
}

/// `integrations.get` for one id.
pub fn get(id: &str) -> ApiRequest {
    ApiRequest::get("integrations.get", &[("integrationId", id.to_owned())])
}

/// Columns the list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortField {
    /// Name.
    Name,
    /// Creation date.
    CreatedAt,
    /// Creator's username.
    CreatedBy,
    /// Post-as username.
    PostAs,
    /// Channels.
    Channel,
    /// Date of the last change.
    UpdatedAt,
}

impl SortField {
    /// The document key sorted on.
    pub fn key(self) -> &'static str {
        match self {
            SortField::Name => "name",
            SortField::CreatedAt => "_createdAt",
            SortField::CreatedBy => "_createdBy.username",
            SortField::PostAs => "username",
            SortField::Channel => "channel",
            SortField::UpdatedAt => "_updatedAt",
        }
    }
}

/// Largest page the server returns.
pub const MAX_PAGE: u32 = 100;

/// What the list page asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size (1–100).
    pub count: u32,
    /// Items to skip.
    pub offset: u32,
    /// Sort column.
    pub sort: SortField,
    /// Descending instead of ascending.
    pub descending: bool,
    /// Name filter (substring, case-insensitive).
    pub name: String,
    /// Kind filter.
    pub kind: Option<Kind>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            count: 25,
            offset: 0,
            sort: SortField::Name,
            descending: false,
            name: String::new(),
            kind: None,
        }
    }
}

impl ListQuery {
    /// Whether the page must filter by name and kind itself (servers before 7.0).
    pub fn filters_locally(&self, f: &Features) -> bool {
        !f.list_filters && (!self.name.trim().is_empty() || self.kind.is_some())
    }
}

/// `integrations.list` with an explicit sort (the server default sorts on nothing).
pub fn list(q: &ListQuery, f: &Features) -> ApiRequest {
    let sort = format!(
        "{{\"{}\":{}}}",
        q.sort.key(),
        if q.descending { -1 } else { 1 }
    );
    let mut pairs = vec![
        ("count", q.count.clamp(1, MAX_PAGE).to_string()),
        ("offset", q.offset.to_string()),
        ("sort", sort),
    ];
    if f.list_filters {
        if !q.name.trim().is_empty() {
            pairs.push(("name", q.name.trim().to_owned()));
        }
        if let Some(k) = q.kind {
            pairs.push(("type", k.api_name().to_owned()));
        }
    }
    ApiRequest::get("integrations.list", &pairs)
}

/// `integrations.history` of an outgoing webhook, newest first.
pub fn history(id: &str, offset: u32, count: u32) -> ApiRequest {
    ApiRequest::get(
        "integrations.history",
        &[
            ("id", id.to_owned()),
            ("offset", offset.to_string()),
            ("count", count.clamp(1, MAX_PAGE).to_string()),
            ("sort", "{\"_updatedAt\":-1}".to_owned()),
        ],
    )
}

/// `integrations.clearHistory` (8.7+; pages offer it only when
/// [`Features::clear_and_replay`] is set).
pub fn clear_history(integration_id: &str) -> ApiRequest {
    let mut m = Map::new();
    m.insert(
        "integrationId".into(),
        Value::String(integration_id.to_owned()),
    );
    ApiRequest::with_body(Method::Post, "integrations.clearHistory", Value::Object(m))
}

/// `integrations.replayOutgoing` of one history row (8.7+, like [`clear_history`]).
pub fn replay(integration_id: &str, history_id: &str) -> ApiRequest {
    let mut m = Map::new();
    m.insert(
        "integrationId".into(),
        Value::String(integration_id.to_owned()),
    );
    m.insert("historyId".into(), Value::String(history_id.to_owned()));
    ApiRequest::with_body(
        Method::Post,
        "integrations.replayOutgoing",
        Value::Object(m),
    )
}

/// `GET /api/info` (no `v1`): the server version.
pub fn server_info() -> ApiRequest {
    ApiRequest {
        method: Method::Get,
        path: "/api/info".to_owned(),
        body: None,
    }
}

/// `GET /api/v1/me`: the caller's id and roles.
pub fn me() -> ApiRequest {
    ApiRequest::get("me", &[])
}

/// `GET /api/v1/permissions.listAll`: which roles hold which permission.
pub fn permissions_list_all() -> ApiRequest {
    ApiRequest::get("permissions.listAll", &[])
}
