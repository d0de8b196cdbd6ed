//! Bad requests get the real server's error shapes and never crash the sandbox.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn malformed_json_is_an_empty_body() {
    let s = start().await;
    let a = admin();
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("application/json"),
            b"{not json".to_vec(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({
            "success": false,
            "errorType": "error-invalid-params",
            "error": "must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf"
        })
    );
    let r = s
        .raw(
            "POST",
            "/api/v1/login",
            Some("application/json"),
            b"{\"user\":".to_vec(),
            None,
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["message"], "Unrecognized options for login request");
}

#[tokio::test]
async fn wrong_content_types() {
    let s = start().await;
    let a = admin();
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("text/plain"),
            b"hello".to_vec(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json["error"],
        "must be object\n must be object\n must match exactly one schema in oneOf"
    );
    let form = "type=webhook-incoming&name=x&enabled=true&username=rocket.cat&channel=%23general&scriptEnabled=false";
    // Form fields are strings: 8.6+ coerces them, older servers refuse.
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("application/x-www-form-urlencoded"),
            form.as_bytes().to_vec(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["enabled"], true);
    s.version("8.5.0").await;
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("application/x-www-form-urlencoded"),
            form.as_bytes().to_vec(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json["error"]
            .as_str()
            .unwrap()
            .contains("must be boolean"),
        "{}",
        r.text
    );
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            None,
            vec![0xff, 0xfe, 0x00, 0x01],
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("multipart/form-data; boundary=x"),
            b"--x--".to_vec(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]
        .as_str()
        .unwrap()
        .starts_with("must have required property 'type'"));
}

#[tokio::test]
async fn oversized_bodies() {
    let s = start().await;
    let big = vec![b'a'; hookpanel_sandbox::server::MAX_BODY_BYTES + 1024];
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("application/json"),
            big,
            Some(&admin()),
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "request entity too large" })
    );
    assert_eq!(s.get("/api/info", None).await.status, 200, "still serving");
}

#[tokio::test]
async fn unknown_routes_and_odd_inputs() {
    let s = start().await;
    let a = admin();
    for path in [
        "/api/v1/nope",
        "/api/v2/integrations.list",
        "/api",
        "/api/v1/method.call/",
        "/api/v1/integrations.list/extra",
    ] {
        let r = s.get(path, Some(&a)).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(
            r.json,
            json!({ "success": false, "error": "Not found" }),
            "{path}"
        );
    }
    let r = s
        .request("DELETE", "/api/v1/integrations.list", Some(&a), None, &[])
        .await;
    assert_eq!(r.status, 404);
    // Non-string JSON values where strings are expected, deep nesting, odd query strings.
    let r = s
        .get(
            "/api/v1/integrations.get?integrationId=%FF%FE&integrationId=2",
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["error"], "must be string");
    let deep = "[".repeat(5000);
    let r = s
        .raw(
            "POST",
            "/api/v1/integrations.create",
            Some("application/json"),
            deep.into_bytes(),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": 5, "password": ["x"] }),
        )
        .await;
    assert_eq!(r.status, 401);
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&a),
            json!({ "channel": 5, "text": {} }),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .post(
            "/api/v1/method.call/addIncomingIntegration",
            Some(&a),
            json!({ "message": "{nope" }),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s.get(&list_path("count=-5&offset=-3"), Some(&a)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["count"], 5);
    let r = s
        .post(
            "/sandbox/config",
            None,
            json!({ "serverVersion": "banana" }),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(s.get("/api/info", None).await.status, 200);
}

#[tokio::test]
async fn match_errors_through_the_method() {
    let s = start().await;
    let out = method_call(
        &s,
        &admin(),
        "addIncomingIntegration",
        json!([{ "type": "webhook-incoming", "name": 5 }]),
    )
    .await;
    assert_eq!(out["error"]["error"], 400);
    assert_eq!(out["error"]["reason"], "Match failed");
}
