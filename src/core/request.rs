//! Request building per server version (spec §2, §8–§10): paths, query strings and JSON
//! bodies. Save bodies come only from validated values.

use serde_json::{Map, Value};

use super::encode;
use super::field::{Field, Send};
use super::form_values::Values;
use super::model::{Integration, Kind, OutgoingEvent};
use super::validate::{trigger_words, url_lines, Valid, ValidIncoming, ValidOutgoing};
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
}

/// Create (new form) or update (edited form) request for a validated form.
pub fn save(valid: &Valid) -> ApiRequest {
    let body = match valid {
        Valid::Incoming(v) => incoming_body(v),
        Valid::Outgoing(v) => outgoing_body(v),
    };
    if valid.id().is_some() {
        ApiRequest::with_body(Method::Put, "integrations.update", body)
    } else {
        ApiRequest::with_body(Method::Post, "integrations.create", body)
    }
}

/// The key of the integration id in request bodies and queries.
pub const INTEGRATION_ID: &str = "integrationId";

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
        b.put("type", kind.api_name());
        if let Some(id) = id {
            b.put(INTEGRATION_ID, id);
        }
        b
    }

    fn put(&mut self, key: &str, value: impl Into<Value>) {
        self.map.insert(key.to_owned(), value.into());
    }

    /// Every field the kind's form shows and the server accepts, as the field table says
    /// the body carries it.
    fn fields(
        &mut self,
        kind: Kind,
        form: &impl Values,
        event: Option<&OutgoingEvent>,
        f: &Features,
    ) {
        for field in Field::ALL {
            let spec = field.spec();
            if spec.kinds.has(kind) && spec.needs.server_accepts(f) {
                self.field(field, spec.send, form, event);
            }
        }
    }

    fn field(
        &mut self,
        field: Field,
        send: Send,
        form: &impl Values,
        event: Option<&OutgoingEvent>,
    ) {
        let key = field.api_key();
        let text = form.text(field);
        match send {
            Send::Text => self.put(key, text),
            Send::Optional if self.update || !text.is_empty() => self.put(key, text),
            Send::IfSet if !text.is_empty() => self.put(key, text),
            Send::Flag => self.put(key, form.flag(field)),
            Send::Lines => self.put(key, url_lines(text)),
            Send::Words if event.is_some_and(OutgoingEvent::uses_trigger_words) => {
                self.put(key, trigger_words(text));
            }
            Send::Count => {
                if let Ok(n) = text.parse::<u32>() {
                    self.put(key, n);
                }
            }
            Send::Optional | Send::IfSet | Send::Words => {}
        }
    }
}

/// Body of `integrations.create` or `integrations.update` for an incoming webhook.
pub fn incoming_body(v: &ValidIncoming) -> Value {
    let mut b = Body::new(Kind::Incoming, v.form.id.as_deref());
    // Post-as also on update (recent servers change the user, older ones ignore it), and the
    // override flag always: every schema declares it and 6.3 updates require it.
    b.fields(Kind::Incoming, &v.form, None, &v.features);
    Value::Object(b.map)
}

/// Body of `integrations.create` or `integrations.update` for an outgoing webhook.
pub fn outgoing_body(v: &ValidOutgoing) -> Value {
    let mut b = Body::new(Kind::Outgoing, v.form.id.as_deref());
    // The token always: the server never makes one, and update refuses a missing one (#18902).
    b.fields(Kind::Outgoing, &v.form, Some(&v.form.event()), &v.features);
    // Hidden on outgoing forms: the 6.3 update schema requires it; 6.13+ rejects it.
    if b.update && v.features.override_required_on_update {
        let field = Field::OverrideDestination;
        b.put(field.api_key(), v.form.flag(field));
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
        INTEGRATION_ID.into(),
        Value::String(integration.id().to_owned()),
    );
    ApiRequest::with_body(Method::Post, "integrations.remove", Value::Object(m))
}

/// `integrations.get` for one id.
pub fn get(id: &str) -> ApiRequest {
    ApiRequest::get("integrations.get", &[(INTEGRATION_ID, id.to_owned())])
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
            SortField::Name => Field::Name.api_key(),
            SortField::CreatedAt => "_createdAt",
            SortField::CreatedBy => "_createdBy.username",
            SortField::PostAs => Field::PostAs.api_key(),
            SortField::Channel => Field::Channel.api_key(),
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
        INTEGRATION_ID.into(),
        Value::String(integration_id.to_owned()),
    );
    ApiRequest::with_body(Method::Post, "integrations.clearHistory", Value::Object(m))
}

/// `integrations.replayOutgoing` of one history row (8.7+, like [`clear_history`]).
pub fn replay(integration_id: &str, history_id: &str) -> ApiRequest {
    let mut m = Map::new();
    m.insert(
        INTEGRATION_ID.into(),
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
