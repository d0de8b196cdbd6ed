//! The CORS table of spec §7, for preflights and normal responses, per version.

use crate::common::*;
use serde_json::json;

const METHODS: &str = "GET, POST, PUT, DELETE, HEAD, PATCH";
const HEADERS: &str =
    "Origin, X-Requested-With, Content-Type, Accept, X-User-Id, X-Auth-Token, x-visitor-token, Authorization";

async fn preflight(s: &Sbx, origin: &str) -> Resp {
    s.request(
        "OPTIONS",
        "/api/v1/integrations.list",
        None,
        None,
        &[
            ("Origin", origin),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "x-user-id,x-auth-token"),
        ],
    )
    .await
}

fn never_sent(r: &Resp) {
    for h in [
        "access-control-allow-credentials",
        "access-control-expose-headers",
        "access-control-max-age",
    ] {
        assert!(r.header(h).is_none(), "{h} must not be sent");
    }
}

#[tokio::test]
async fn disabled_by_default() {
    let s = start().await;
    let r = preflight(&s, "http://localhost:8080").await;
    assert_eq!(r.status, 405);
    assert_eq!(
        r.text,
        "CORS not enabled. Go to \"Admin > General > REST Api\" to enable it."
    );
    assert!(r.header("access-control-allow-origin").is_none());
    let r = s
        .request(
            "GET",
            "/api/info",
            None,
            None,
            &[("Origin", "http://localhost:8080")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn wildcard() {
    let s = start_with(|o| o.runtime.cors = hookpanel_sandbox::CorsSetting::Any).await;
    let r = preflight(&s, "http://localhost:8080").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some(METHODS));
    assert_eq!(r.header("access-control-allow-headers"), Some(HEADERS));
    never_sent(&r);
}

#[tokio::test]
async fn origin_list() {
    let s = start().await;
    s.set_config(json!({ "cors": " HTTP://App.Example:8080 , http://localhost:8080" }))
        .await;
    let r = preflight(&s, "http://app.example:8080").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://app.example:8080")
    );
    assert_eq!(r.header("vary"), Some("Origin"));
    assert_eq!(r.header("access-control-allow-methods"), Some(METHODS));
    assert_eq!(r.header("access-control-allow-headers"), Some(HEADERS));
    never_sent(&r);
    // The request origin is compared as sent.
    let r = preflight(&s, "HTTP://APP.EXAMPLE:8080").await;
    assert_eq!(r.status, 403);
    let r = preflight(&s, "http://evil.example").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.text, "Invalid origin");
    // 6.x answered 200 without CORS headers
    s.version("6.3.7").await;
    let r = preflight(&s, "http://evil.example").await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn normal_responses_by_era() {
    let s = start().await;
    let origin = [("Origin", "http://localhost:8080")];
    let evil = [("Origin", "http://evil.example")];
    // 6.x Restivus: `*` on every response, whatever the settings
    s.set_config(json!({ "serverVersion": "6.3.7", "cors": "off" }))
        .await;
    let r = s.request("GET", "/api/info", None, None, &origin).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // 7.0–7.5: listed origin echoed, unlisted refused for any request
    s.set_config(json!({ "serverVersion": "7.5.0", "cors": "http://localhost:8080" }))
        .await;
    let r = s.request("GET", "/api/info", None, None, &origin).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    let r = s.request("GET", "/api/info", None, None, &evil).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.text, "Invalid origin");
    // 7.6.x: the regression — no allow-origin on normal responses
    s.set_config(json!({ "serverVersion": "7.6.1" })).await;
    let r = s.request("GET", "/api/info", None, None, &origin).await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
    // 7.7+ / 8.x: `*` once enabled
    s.set_config(json!({ "serverVersion": "8.8.1" })).await;
    let r = s.request("GET", "/api/info", None, None, &origin).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    s.set_config(json!({ "cors": "off" })).await;
    let r = s.request("GET", "/api/info", None, None, &origin).await;
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn hooks_have_their_own_cors() {
    let s = start().await;
    let r = s
        .request(
            "OPTIONS",
            &format!(
                "/hooks/{}/{}",
                hookpanel_sandbox::seed::INT_GITHUB,
                hookpanel_sandbox::seed::TOKEN_GITHUB
            ),
            None,
            None,
            &[
                ("Origin", "http://localhost:8080"),
                ("Access-Control-Request-Method", "POST"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = s
        .request(
            "POST",
            &format!(
                "/hooks/{}/{}",
                hookpanel_sandbox::seed::INT_GITHUB,
                hookpanel_sandbox::seed::TOKEN_GITHUB
            ),
            None,
            Some(json!({ "text": "hi" })),
            &[("Origin", "http://localhost:8080")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}
