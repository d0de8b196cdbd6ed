//! Shared server state and the per-request context every API handler works with.

use crate::config::{RuntimeConfig, Version};
use crate::errors::ApiError;
use crate::model::User;
use crate::rate_limit::RateLimiter;
use crate::schema::{self, Schema};
use crate::store::Store;
use crate::util::{now_iso, sha256_hex};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

pub const MAX_LOG_LINES: usize = 1000;

pub struct App {
    pub store: Store,
    config: RwLock<RuntimeConfig>,
    /// This server's base URL (`Site_Url`).
    pub site: String,
    pub dist: Option<PathBuf>,
    pub seed_large: usize,
    pub seed_history: usize,
    pub rate: RateLimiter,
    log: Mutex<VecDeque<String>>,
    pub print_log: bool,
    pub receivers: Mutex<HashMap<String, crate::control::Receiver>>,
    pub http: reqwest::Client,
    /// Runs integration scripts (a `node` child, started on first use).
    pub scripts: crate::engine::Engine,
}

impl App {
    pub fn new(
        store: Store,
        config: RuntimeConfig,
        site: String,
        dist: Option<PathBuf>,
        seed_large: usize,
        seed_history: usize,
        print_log: bool,
    ) -> App {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        App {
            store,
            config: RwLock::new(config),
            site,
            dist,
            seed_large,
            seed_history,
            rate: RateLimiter::default(),
            log: Mutex::new(VecDeque::new()),
            print_log,
            receivers: Mutex::new(HashMap::new()),
            http,
            scripts: crate::engine::Engine::default(),
        }
    }

    pub fn config(&self) -> RuntimeConfig {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn update_config(&self, patch: &Value) -> Result<RuntimeConfig, String> {
        let mut cfg = self.config.write().unwrap_or_else(|e| e.into_inner());
        cfg.apply(patch)?;
        Ok(cfg.clone())
    }

    /// Appends a line to the in-memory log (and stdout unless quiet).
    pub fn log(&self, line: impl Into<String>) {
        let line = format!("{} {}", now_iso(), line.into());
        if self.print_log {
            // A closed stdout must not take request handling down with it.
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= MAX_LOG_LINES {
            log.pop_front();
        }
        log.push_back(line);
    }

    pub fn log_lines(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Finds the user for `X-User-Id` + `X-Auth-Token` (login token or personal access token).
    pub fn user_for_token(&self, uid: &str, token: &str) -> Option<User> {
        let hashed = sha256_hex(token);
        self.store.read(|s| {
            s.user_by_id(uid)
                .filter(|u| u.active && u.login_tokens.iter().any(|t| t.hashed == hashed))
                .cloned()
        })
    }
}

/// A parsed API request.
pub struct ApiRequest {
    pub method: Method,
    pub query: Map<String, Value>,
    pub headers: HeaderMap,
    pub body: Value,
    pub ip: IpAddr,
}

impl ApiRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn query_str(&self, key: &str) -> Option<&str> {
        self.query.get(key).and_then(Value::as_str)
    }

    pub fn body_obj(&self) -> Option<&Map<String, Value>> {
        self.body.as_object()
    }

    pub fn body_str(&self, key: &str) -> Option<&str> {
        self.body_obj()?.get(key)?.as_str()
    }
}

/// Which checks a route runs before its handler; the order depends on the version (spec §1.6).
#[derive(Default)]
pub struct Pipeline {
    pub auth: bool,
    pub rate_limited: bool,
    pub body: Option<Schema>,
    pub query: Option<Schema>,
    /// Route-level `permissionsRequired` (any of).
    pub any_permission: &'static [&'static str],
}

pub struct Ctx {
    pub app: Arc<App>,
    pub cfg: RuntimeConfig,
    pub req: ApiRequest,
    /// `/api/v1/<endpoint>`; the rate-limit key uses it.
    pub route: String,
    pub out_headers: Vec<(HeaderName, HeaderValue)>,
}

impl Ctx {
    pub fn v(&self) -> Version {
        self.cfg.server_version
    }

    /// The caller, or `NotLoggedIn`.
    pub fn authenticate(&self) -> Result<User, ApiError> {
        let uid = self.req.header("x-user-id").unwrap_or("");
        let token = self.req.header("x-auth-token").unwrap_or("");
        if uid.is_empty() || token.is_empty() {
            return Err(ApiError::NotLoggedIn);
        }
        self.app
            .user_for_token(uid, token)
            .ok_or(ApiError::NotLoggedIn)
    }

    /// Like `authenticate` but `None` instead of an error (for `/api/info`).
    pub fn optional_user(&self) -> Option<User> {
        self.authenticate().ok()
    }

    pub fn rate_limit(&mut self, user: Option<&User>) -> Result<(), ApiError> {
        if !self.cfg.rate_limit {
            return Ok(());
        }
        if let Some(u) = user {
            if self
                .app
                .store
                .read(|s| s.has_permission(u, "api-bypass-rate-limit"))
            {
                return Ok(());
            }
        }
        let key = format!(
            "{}{}|{}",
            self.route,
            self.req.method.as_str().to_lowercase(),
            self.req.ip
        );
        let outcome = self.app.rate.hit(&key);
        for (name, value) in [
            ("x-ratelimit-limit", outcome.limit.to_string()),
            ("x-ratelimit-remaining", outcome.remaining.to_string()),
            ("x-ratelimit-reset", outcome.reset_epoch_ms.to_string()),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value) {
                self.out_headers.push((HeaderName::from_static(name), v));
            }
        }
        if outcome.allowed {
            Ok(())
        } else {
            Err(ApiError::TooManyRequests {
                seconds: outcome.seconds_to_reset,
            })
        }
    }

    fn check_schemas(&mut self, p: &Pipeline) -> Result<(), ApiError> {
        let typed = self.v().typed_routes();
        if let Some(s) = &p.query {
            // Query schemas coerce in every version read (all values arrive as strings).
            let mut q = Value::Object(std::mem::take(&mut self.req.query));
            let r = schema::validate(s, &mut q, true);
            if let Value::Object(m) = q {
                self.req.query = m;
            }
            r.map_err(|message| ApiError::InvalidParams { message, typed })?;
        }
        if let Some(s) = &p.body {
            let coerce = self.v().coerce_bodies();
            schema::validate(s, &mut self.req.body, coerce)
                .map_err(|message| ApiError::InvalidParams { message, typed })?;
        }
        Ok(())
    }

    /// Runs the route's checks in the version's order and returns the caller.
    ///
    /// Typed routes (7.x+): schema → authentication → rate limit → permission.
    /// `addRoute` (6.x): authentication → rate limit → schema → permission.
    pub fn pipeline(&mut self, p: Pipeline) -> Result<Option<User>, ApiError> {
        let typed = self.v().typed_routes();
        if typed {
            self.check_schemas(&p)?;
        }
        let user = if p.auth {
            Some(self.authenticate()?)
        } else {
            self.optional_user()
        };
        if p.rate_limited {
            self.rate_limit(user.as_ref())?;
        }
        if !typed {
            self.check_schemas(&p)?;
        }
        if !p.any_permission.is_empty() {
            let ok = match &user {
                Some(u) => self.app.store.read(|s| s.has_any(u, p.any_permission)),
                None => false,
            };
            if !ok {
                return Err(ApiError::RouteForbidden);
            }
        }
        Ok(user)
    }

    /// `pipeline` for routes that require a user.
    pub fn require_user(&mut self, p: Pipeline) -> Result<User, ApiError> {
        let p = Pipeline { auth: true, ..p };
        self.pipeline(p)?.ok_or(ApiError::NotLoggedIn)
    }
}

/// Parses a query string the way `qs` does for flat keys: repeated keys become arrays.
pub fn parse_query(raw: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    for (k, v) in crate::util::parse_form(raw.unwrap_or("")) {
        let k = k.strip_suffix("[]").map(str::to_string).unwrap_or(k);
        match m.get_mut(&k) {
            Some(Value::Array(a)) => a.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                m.insert(k, Value::String(v));
            }
        }
    }
    m
}

/// The body as the router parses it: JSON when the content type says so (bad JSON → `{}`),
/// form fields for urlencoded, `{}` for multipart or an empty body, else the raw text.
pub fn parse_body(content_type: Option<&str>, bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Object(Map::new());
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("application/json") {
        return serde_json::from_slice(bytes).unwrap_or_else(|_| Value::Object(Map::new()));
    }
    if ct.contains("multipart/form-data") {
        return Value::Object(Map::new());
    }
    let text = String::from_utf8_lossy(bytes);
    if ct.contains("application/x-www-form-urlencoded") {
        let mut m = Map::new();
        for (k, v) in crate::util::parse_form(&text) {
            m.insert(k, Value::String(v));
        }
        return Value::Object(m);
    }
    Value::String(text.into_owned())
}
