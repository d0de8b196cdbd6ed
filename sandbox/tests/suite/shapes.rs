//! Every body shape of spec §1.5 (and the §1.6 order of checks), by server version.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::json;

const NOT_LOGGED_IN: &str = "You must be logged in to do this.";

#[tokio::test]
async fn schema_error_typed_vs_legacy_and_check_order() {
    let s = start().await;
    let bad = json!({ "type": "webhook-incoming" });
    // typed (8.8): schema before authentication, so no credentials still gives 400
    let r = s
        .post("/api/v1/integrations.create", None, bad.clone())
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({
            "success": false,
            "errorType": "error-invalid-params",
            "error": "must have required property 'username'\n must have required property 'username'\n must match exactly one schema in oneOf"
        })
    );
    // legacy (6.3): authentication first
    s.version("6.3.7").await;
    let r = s
        .post("/api/v1/integrations.create", None, bad.clone())
        .await;
    assert_eq!(r.status, 401);
    let r = s
        .post("/api/v1/integrations.create", Some(&admin()), bad)
        .await;
    assert_eq!(
        r.json,
        json!({
            "success": false,
            "error": "must have required property 'username'\n must have required property 'username'\n must match exactly one schema in oneOf [invalid-params]",
            "errorType": "invalid-params"
        })
    );
}

#[tokio::test]
async fn meteor_error_plain_error_and_failure_text() {
    let s = start().await;
    let a = admin();
    let r = create(&s, &a, incoming_body("x", "#nope")).await;
    assert_eq!(
        r.json,
        json!({
            "success": false,
            "error": "Invalid room [error-invalid-room]",
            "errorType": "error-invalid-room",
            "details": { "method": "addIncomingIntegration" }
        })
    );
    // Meteor.Error without reason
    let alice = s.login("alice").await;
    let r = create(
        &s,
        &alice,
        outgoing_body("x", "#general", json!(["http://x"])),
    )
    .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "[not_authorized]", "errorType": "not_authorized" })
    );
    // plain Error
    let r = s
        .get("/api/v1/integrations.get?integrationId=zzz", Some(&a))
        .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "The integration does not exists." })
    );
    // API.v1.failure('text')
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&a),
            json!({ "type": "webhook-incoming", "integrationId": "zzz" }),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "No integration found." })
    );
}

#[tokio::test]
async fn not_logged_in_by_version() {
    let s = start().await;
    let bad = Auth {
        user_id: seed::ADMIN_ID.into(),
        token: "wrong".into(),
    };
    for path in ["/api/v1/me", "/api/v1/integrations.list"] {
        let r = s.get(path, Some(&bad)).await;
        assert_eq!(r.status, 401);
        assert_eq!(
            r.json,
            json!({ "success": false, "error": NOT_LOGGED_IN, "status": "error", "message": NOT_LOGGED_IN })
        );
    }
    s.version("7.0.0").await;
    let r = s.get("/api/v1/me", None).await;
    assert_eq!(r.json["success"], false);
    assert_eq!(r.json["status"], "error");
    s.version("6.3.7").await;
    let r = s.get("/api/v1/integrations.list", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json,
        json!({ "status": "error", "message": NOT_LOGGED_IN })
    );
    s.version("9.0.0").await;
    let r = s.get("/api/v1/integrations.list", None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json, json!({ "success": false, "error": NOT_LOGGED_IN }));
}

#[tokio::test]
async fn route_permission_by_version() {
    let s = start().await;
    let alice = s.login("alice").await;
    let r = s.get(&list_path(""), Some(&alice)).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "User does not have the permissions required for this action [error-unauthorized]" })
    );
    // history needs an outgoing permission
    let r = s
        .get(
            &format!("/api/v1/integrations.history?id={}", seed::INT_DEPLOY),
            Some(&alice),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&alice),
            json!({ "type": "webhook-incoming", "integrationId": "x" }),
        )
        .await;
    assert_eq!(r.status, 403);
    s.version("6.3.7").await;
    let r = s.get(&list_path(""), Some(&alice)).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json, json!({ "success": false, "error": "unauthorized" }));
    s.version("9.0.0").await;
    let r = s.get(&list_path(""), Some(&alice)).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json,
        json!({
            "success": false,
            "error": "User does not have the permissions required for this action",
            "errorType": "error-forbidden"
        })
    );
}

#[tokio::test]
async fn too_many_requests() {
    let s = start_with(|o| o.runtime.rate_limit = true).await;
    let owner = s.login("owner").await;
    for i in 0..10 {
        let r = s.get(&list_path(""), Some(&owner)).await;
        assert_eq!(r.status, 200, "call {i}");
        assert_eq!(r.header("x-ratelimit-limit"), Some("10"));
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some((9 - i).to_string().as_str())
        );
    }
    let r = s.get(&list_path(""), Some(&owner)).await;
    assert_eq!(r.status, 429);
    let err = r.json["error"].as_str().unwrap();
    assert!(
        err.starts_with("Error, too many requests. Please slow down. You must wait "),
        "{err}"
    );
    assert!(
        err.ends_with(" seconds before trying this endpoint again. [error-too-many-requests]"),
        "{err}"
    );
    let n: u64 = err
        .trim_start_matches("Error, too many requests. Please slow down. You must wait ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&n));
    assert_eq!(
        r.json.as_object().unwrap().len(),
        2,
        "only success and error: {}",
        r.text
    );
    let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > 1_600_000_000_000, "reset is epoch milliseconds");
    // Another route has its own budget; admins are exempt.
    assert_eq!(s.get("/api/v1/me", Some(&owner)).await.status, 200);
    for _ in 0..12 {
        let r = s.get(&list_path(""), Some(&admin())).await;
        assert_eq!(r.status, 200);
        assert!(r.header("x-ratelimit-limit").is_none());
    }
}

#[tokio::test]
async fn login_is_always_limited_and_limiter_switches_off() {
    let s = start_with(|o| o.runtime.rate_limit = true).await;
    for _ in 0..10 {
        s.post(
            "/api/v1/login",
            None,
            json!({ "user": "admin", "password": "x" }),
        )
        .await;
    }
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "admin", "password": seed::PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 429);
    // /api/info has no version prefix and is not limited.
    for _ in 0..12 {
        assert_eq!(s.get("/api/info", None).await.status, 200);
    }
    s.set_config(json!({ "rateLimit": false })).await;
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "admin", "password": seed::PASSWORD }),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn internal_server_error() {
    let s = start().await;
    s.set_config(json!({ "internalErrors": ["integrations.list"] }))
        .await;
    let r = s.get(&list_path(""), Some(&admin())).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "Internal server error" })
    );
}

#[tokio::test]
async fn nine_zero_forbidden_refusals() {
    let s = start().await;
    s.version("9.0.0").await;
    let owner = s.login("owner").await;
    let body = json!({
        "type": "webhook-incoming", "integrationId": seed::INT_GITHUB, "channel": "#general",
        "scriptEnabled": false, "name": "x", "enabled": true
    });
    // error-invalid-integration is not a refusal id: still 400
    let r = update(&s, &owner, body).await;
    assert_eq!(r.status, 400);
    let alice = s.login("alice").await;
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&alice),
            json!({ "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "Unauthorized", "errorType": "error-forbidden" })
    );
}
