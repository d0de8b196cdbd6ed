//! Test harness: starts the sandbox in-process on port 0 and talks to it over real HTTP.

#![allow(dead_code)]

use hookpanel_sandbox::{seed, Options, Server};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use hookpanel_sandbox::seed::{ADMIN_ID, ADMIN_PAT};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub fn temp_dir() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "hookpanel-sandbox-tests/{}-{}-{n}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[derive(Clone, Debug)]
pub struct Auth {
    pub user_id: String,
    pub token: String,
}

pub struct Sbx {
    pub server: Option<Server>,
    pub url: String,
    pub http: reqwest::Client,
    pub dir: PathBuf,
    pub opts: Options,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn options(dir: &std::path::Path) -> Options {
    let mut o = Options {
        port: 0,
        data: dir.join("state.json"),
        fresh: true,
        print_log: false,
        ..Options::default()
    };
    // Most tests call many times; the rate-limit tests switch it on.
    o.runtime.rate_limit = false;
    o.runtime.retry_delay_scale = 0.001;
    o
}

pub async fn start() -> Sbx {
    start_with(|_| {}).await
}

pub async fn start_with(f: impl FnOnce(&mut Options)) -> Sbx {
    let dir = temp_dir();
    let mut opts = options(&dir);
    f(&mut opts);
    let server = hookpanel_sandbox::start(opts.clone())
        .await
        .expect("start sandbox");
    Sbx {
        url: server.url.clone(),
        server: Some(server),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client"),
        dir,
        opts,
    }
}

pub fn admin() -> Auth {
    Auth {
        user_id: ADMIN_ID.into(),
        token: ADMIN_PAT.into(),
    }
}

impl Sbx {
    /// Stops and starts again on the same state file (not fresh).
    pub async fn restart(&mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
        let mut opts = self.opts.clone();
        opts.fresh = false;
        let server = hookpanel_sandbox::start(opts).await.expect("restart");
        self.url = server.url.clone();
        self.server = Some(server);
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        auth: Option<&Auth>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.http.request(method, format!("{}{}", self.url, path));
        if let Some(a) = auth {
            rb = rb
                .header("X-User-Id", &a.user_id)
                .header("X-Auth-Token", &a.token);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            text,
            json,
        }
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        auth: Option<&Auth>,
    ) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self
            .http
            .request(method, format!("{}{}", self.url, path))
            .body(body);
        if let Some(ct) = content_type {
            rb = rb.header("content-type", ct);
        }
        if let Some(a) = auth {
            rb = rb
                .header("X-User-Id", &a.user_id)
                .header("X-Auth-Token", &a.token);
        }
        let r = rb.send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            text,
            json,
        }
    }

    pub async fn get(&self, path: &str, auth: Option<&Auth>) -> Resp {
        self.request("GET", path, auth, None, &[]).await
    }

    pub async fn post(&self, path: &str, auth: Option<&Auth>, body: Value) -> Resp {
        self.request("POST", path, auth, Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, auth: Option<&Auth>, body: Value) -> Resp {
        self.request("PUT", path, auth, Some(body), &[]).await
    }

    pub async fn login(&self, user: &str) -> Auth {
        let r = self
            .post(
                "/api/v1/login",
                None,
                json!({ "user": user, "password": seed::PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 200, "login {user}: {}", r.text);
        Auth {
            user_id: r.json["data"]["userId"].as_str().expect("userId").into(),
            token: r.json["data"]["authToken"]
                .as_str()
                .expect("authToken")
                .into(),
        }
    }

    pub async fn set_config(&self, patch: Value) {
        let r = self.post("/sandbox/config", None, patch).await;
        assert_eq!(r.status, 200, "config: {}", r.text);
    }

    pub async fn version(&self, v: &str) {
        self.set_config(json!({ "serverVersion": v })).await;
    }

    /// Polls `f` until it returns `Some` (outgoing calls run in the background).
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut f: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        for _ in 0..200 {
            if let Some(v) = f().await {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("timed out waiting for {what}");
    }
}

impl Drop for Sbx {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A minimal valid incoming create body.
pub fn incoming_body(name: &str, channel: &str) -> Value {
    json!({
        "type": "webhook-incoming",
        "name": name,
        "enabled": true,
        "username": "rocket.cat",
        "channel": channel,
        "scriptEnabled": false,
    })
}

/// A minimal valid outgoing create body.
pub fn outgoing_body(name: &str, channel: &str, urls: Value) -> Value {
    json!({
        "type": "webhook-outgoing",
        "name": name,
        "enabled": true,
        "event": "sendMessage",
        "username": "rocket.cat",
        "channel": channel,
        "urls": urls,
        "token": "tok-123",
        "scriptEnabled": false,
    })
}

pub fn list_path(params: &str) -> String {
    format!("/api/v1/integrations.list?{params}")
}

pub fn enc(s: &str) -> String {
    hookpanel_sandbox::util::percent_encode(s)
}

/// Asserts status and the exact `{success:false, error, errorType?}` (details checked separately).
pub fn assert_error(r: &Resp, status: u16, error_type: Option<&str>, error: &str) {
    assert_eq!(r.status, status, "status of {}", r.text);
    assert_eq!(r.json["success"], json!(false), "{}", r.text);
    assert_eq!(r.json["error"], json!(error), "error of {}", r.text);
    match error_type {
        Some(t) => assert_eq!(r.json["errorType"], json!(t), "errorType of {}", r.text),
        None => assert!(
            r.json.get("errorType").is_none(),
            "no errorType expected in {}",
            r.text
        ),
    }
}

pub async fn create(s: &Sbx, auth: &Auth, body: Value) -> Resp {
    s.post("/api/v1/integrations.create", Some(auth), body)
        .await
}

pub async fn update(s: &Sbx, auth: &Auth, body: Value) -> Resp {
    s.put("/api/v1/integrations.update", Some(auth), body).await
}

/// Merges `extra` into a JSON object.
pub fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

pub fn without(mut base: Value, key: &str) -> Value {
    if let Some(b) = base.as_object_mut() {
        b.remove(key);
    }
    base
}

/// A DDP call through `method.call` (reaches the methods without the AJV schema).
pub async fn method_call(s: &Sbx, auth: &Auth, method: &str, params: Value) -> Value {
    let message =
        json!({ "msg": "method", "id": "7", "method": method, "params": params }).to_string();
    let r = s
        .post(
            &format!("/api/v1/method.call/{method}"),
            Some(auth),
            json!({ "message": message }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["success"], true);
    serde_json::from_str(r.json["message"].as_str().expect("message")).expect("ddp json")
}
