//! The version table of spec §8: what `--server-version` changes.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::json;

fn incoming_update(id: &str) -> serde_json::Value {
    json!({
        "type": "webhook-incoming", "integrationId": id, "channel": "#dev",
        "scriptEnabled": false, "name": "GitHub pushes", "enabled": true
    })
}

#[tokio::test]
async fn info_version_formats() {
    let s = start().await;
    for (v, short) in [
        ("6.3.7", "6.3"),
        ("7.10.2", "7.10"),
        ("8.8.1", "8.8"),
        ("9.0.0", "9.0"),
    ] {
        s.version(v).await;
        let r = s.get("/api/info", None).await;
        assert_eq!(r.json["version"], short);
        let r = s.get("/api/info", Some(&admin())).await;
        assert_eq!(r.json["info"]["version"], v);
    }
}

#[tokio::test]
async fn v6_3_update_requires_override_flag_and_rejects_script_engine() {
    let s = start().await;
    s.version("6.3.7").await;
    let a = admin();
    let r = update(&s, &a, incoming_update(seed::INT_GITHUB)).await;
    assert_eq!(r.json["errorType"], "invalid-params");
    assert!(r.json["error"]
        .as_str()
        .unwrap()
        .contains("must have required property 'overrideDestinationChannelEnabled'"));
    let r = update(
        &s,
        &a,
        with(
            incoming_update(seed::INT_GITHUB),
            json!({ "overrideDestinationChannelEnabled": false }),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = create(
        &s,
        &a,
        with(
            incoming_body("x", "#general"),
            json!({ "overrideDestinationChannelEnabled": false, "scriptEngine": "isolated-vm" }),
        ),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]
        .as_str()
        .unwrap()
        .starts_with("must NOT have additional properties"));
    // outgoing update in 6.3 requires the flag too
    let out = with(
        outgoing_body("Deploy bot", "#dev", json!(["http://x"])),
        json!({ "integrationId": seed::INT_DEPLOY }),
    );
    let r = update(&s, &a, out.clone()).await;
    assert!(
        r.json["error"]
            .as_str()
            .unwrap()
            .contains("'overrideDestinationChannelEnabled'"),
        "{}",
        r.text
    );
    let r = update(
        &s,
        &a,
        with(
            out.clone(),
            json!({ "overrideDestinationChannelEnabled": false }),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // ≥ 6.13: the outgoing update branch rejects it
    s.version("6.13.1").await;
    let r = update(
        &s,
        &a,
        with(
            out.clone(),
            json!({ "overrideDestinationChannelEnabled": false }),
        ),
    )
    .await;
    assert_eq!(r.json["errorType"], "invalid-params");
    let r = update(&s, &a, with(out, json!({ "scriptEngine": "isolated-vm" }))).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn v7_list_schema_and_filters() {
    let s = start().await;
    let a = admin();
    let r = s
        .get(
            &list_path(&format!("fields={}", enc(r#"{"name":1}"#))),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["errorType"], "error-invalid-params");
    assert_eq!(r.json["error"], "must NOT have additional properties");
    let r = s
        .get(&list_path("type=webhook-incoming&name=github"), Some(&a))
        .await;
    assert_eq!(r.json["total"], 1);
    // 6.x has neither the schema nor the filters
    s.version("6.3.7").await;
    let r = s
        .get(&list_path("type=webhook-incoming&name=github"), Some(&a))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["total"], 10);
}

#[tokio::test]
async fn v7_2_and_7_6_incoming_post_as_changes() {
    let s = start().await;
    let a = admin();
    let body = with(
        incoming_update(seed::INT_GITHUB),
        json!({ "username": "alice" }),
    );
    s.version("7.1.0").await;
    let r = update(&s, &a, body.clone()).await;
    assert_eq!(
        r.json["integration"]["username"], "rocket.cat",
        "ignored before 7.2"
    );
    s.version("7.2.0").await;
    let r = update(&s, &a, body.clone()).await;
    assert_eq!(r.json["integration"]["username"], "alice");
    assert_eq!(
        r.json["integration"]["userId"], "rocket.cat",
        "userId did not follow before 7.6"
    );
    s.version("7.6.0").await;
    let r = update(&s, &a, body).await;
    assert_eq!(r.json["integration"]["userId"], seed::ALICE_ID);
    // the post-as user gets the bot role
    let r = s.get("/api/v1/users.info?username=alice", Some(&a)).await;
    assert!(r.json["user"]["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("bot")));
}

#[tokio::test]
async fn v8_4_skip_transpile_and_v9_removal() {
    let s = start().await;
    let a = admin();
    let body = with(
        incoming_body("x", "#general"),
        json!({ "skipTranspile": true }),
    );
    s.version("8.3.0").await;
    let r = create(&s, &a, body.clone()).await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]
        .as_str()
        .unwrap()
        .starts_with("must NOT have additional properties"));
    s.version("8.4.0").await;
    let r = create(&s, &a, body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["skipTranspile"], true);
    s.version("9.0.0").await;
    let r = create(&s, &a, body).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn v8_6_coerces_body_types() {
    let s = start().await;
    let a = admin();
    let body = with(incoming_body("x", "#general"), json!({ "enabled": "true" }));
    s.version("8.5.0").await;
    let r = create(&s, &a, body.clone()).await;
    assert_eq!(r.status, 400);
    assert!(r.json["error"]
        .as_str()
        .unwrap()
        .contains("must be boolean"));
    s.version("8.6.0").await;
    let r = create(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["enabled"], true);
}

#[tokio::test]
async fn v8_7_clear_and_replay_exist() {
    let s = start().await;
    let a = admin();
    s.version("8.6.1").await;
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&a),
            json!({ "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&a),
            json!({ "integrationId": "a", "historyId": "b" }),
        )
        .await;
    assert_eq!(r.status, 404);
    s.version("8.7.0").await;
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&a),
            json!({ "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json, json!({ "success": true }));
    let r = s
        .get(
            &format!("/api/v1/integrations.history?id={}", seed::INT_DEPLOY),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["total"], 0);
}

#[tokio::test]
async fn method_call_works_before_8_7() {
    let s = start().await;
    s.version("8.0.0").await;
    let out = method_call(
        &s,
        &admin(),
        "clearIntegrationHistory",
        json!([seed::INT_DEPLOY]),
    )
    .await;
    assert_eq!(out["result"], true);
    assert_eq!(out["msg"], "result");
    assert_eq!(out["id"], "7");
    let out = method_call(
        &s,
        &s.login("alice").await,
        "clearIntegrationHistory",
        json!([seed::INT_DEPLOY]),
    )
    .await;
    assert_eq!(out["error"]["error"], "not_authorized");
    assert_eq!(out["error"]["errorType"], "Meteor.Error");
    let out = method_call(&s, &admin(), "noSuchMethod", json!([])).await;
    assert_eq!(out["error"]["error"], 404);
}

#[tokio::test]
async fn script_compile_modes() {
    let s = start().await;
    let a = admin();
    // `return` at the top level: a module (Babel) rejects it; the 8.4+/9.0 syntax check accepts it.
    let body = with(
        incoming_body("x", "#general"),
        json!({ "scriptEnabled": true, "script": "return 1" }),
    );
    let r = create(&s, &a, body.clone()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["integration"]["scriptError"]["name"], "SyntaxError");
    assert!(r.json["integration"].get("scriptCompiled").is_none());
    let r = create(&s, &a, with(body.clone(), json!({ "skipTranspile": true }))).await;
    assert!(
        r.json["integration"].get("scriptError").is_none(),
        "{}",
        r.text
    );
    assert_eq!(r.json["integration"]["scriptCompiled"], "return 1");
    s.version("9.0.0").await;
    let r = create(&s, &a, body).await;
    assert!(
        r.json["integration"].get("scriptError").is_none(),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn unknown_route_and_wrong_method_by_version() {
    let s = start().await;
    let r = s.get("/api/v1/integrations.create", Some(&admin())).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json, json!({ "success": false, "error": "Not found" }));
    s.version("6.3.7").await;
    let r = s.get("/api/v1/integrations.create", Some(&admin())).await;
    assert_eq!(r.status, 405);
    assert_eq!(
        r.json,
        json!({ "status": "error", "message": "API endpoint does not exist" })
    );
}
