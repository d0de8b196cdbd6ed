//! The incoming webhook receiver `/hooks/:id/:token`.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

fn hook(id: &str, token: &str) -> String {
    format!("/hooks/{id}/{}", enc(token))
}

async fn last_message(s: &Sbx, room: &str) -> Value {
    let r = s
        .get(&format!("/sandbox/messages?room={}", enc(room)), None)
        .await;
    r.json["messages"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn posts_into_the_room_with_integration_defaults() {
    let s = start().await;
    let r = s
        .post(
            &hook(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            None,
            json!({ "text": "build green" }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json, json!({ "success": true }));
    let m = last_message(&s, "dev").await;
    assert_eq!(m["msg"], "build green");
    assert_eq!(m["alias"], "GitHub");
    assert_eq!(m["emoji"], ":octocat:");
    assert_eq!(m["u"]["username"], "rocket.cat");
    assert_eq!(m["bot"]["i"], seed::INT_GITHUB);
    // readable through the REST API too
    let r = s
        .get(
            "/api/v1/channels.messages?roomName=dev&count=1",
            Some(&admin()),
        )
        .await;
    assert_eq!(r.json["messages"][0]["msg"], "build green");
    assert!(r.json["total"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn body_overrides_alias_avatar_and_attachments() {
    let s = start().await;
    let body = json!({
        "text": "deploy done",
        "alias": "CI",
        "avatar": "https://example.com/ci.png",
        "attachments": [{ "title": "Build 42", "msg": " all good ", "color": "#00ff00" }]
    });
    let r = s
        .post(&hook(seed::INT_GITHUB, seed::TOKEN_GITHUB), None, body)
        .await;
    assert_eq!(r.status, 200);
    let m = last_message(&s, "dev").await;
    assert_eq!(m["alias"], "CI");
    assert_eq!(m["avatar"], "https://example.com/ci.png");
    assert!(
        m.get("emoji").is_none(),
        "avatar wins over the integration's emoji"
    );
    assert_eq!(m["attachments"][0]["title"], "Build 42");
    assert_eq!(m["attachments"][0]["text"], "all good");
}

#[tokio::test]
async fn refusals() {
    let s = start().await;
    let r = s
        .post(
            &hook(seed::INT_MONITORING, seed::TOKEN_MONITORING),
            None,
            json!({ "text": "x" }),
        )
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(r.text, "Service Unavailable");
    let r = s
        .post(
            &hook(seed::INT_GITHUB, "wrong"),
            None,
            json!({ "text": "x" }),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "Invalid integration id or token provided." })
    );
    let r = s
        .post(
            &hook(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            None,
            json!({ "text": "x", "channel": "#general" }),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "overriding destination channel is disabled for this integration" })
    );
    let r = s
        .post(
            &hook(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            None,
            json!({ "text": "x", "roomId": "GENERAL" }),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .post(&hook(seed::INT_GITHUB, seed::TOKEN_GITHUB), None, json!({}))
        .await;
    assert_eq!(r.json, json!({ "success": false, "error": "body-empty" }));
    let r = s
        .post("/hooks/only-one-segment", None, json!({ "text": "x" }))
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn override_multiple_targets_and_forms() {
    let s = start().await;
    // Büro-Ankündigungen targets #büro and @bob and allows overriding.
    let r = s
        .post(
            &hook(seed::INT_BUERO, seed::TOKEN_BUERO),
            None,
            json!({ "text": "Kaffee ist da" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(last_message(&s, "büro").await["msg"], "Kaffee ist da");
    let dm = s
        .get("/api/v1/users.info?username=bob", Some(&admin()))
        .await;
    assert_eq!(dm.status, 200);
    let r = s
        .post(
            &hook(seed::INT_BUERO, seed::TOKEN_BUERO),
            None,
            json!({ "text": "override", "channel": "#general" }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(last_message(&s, "general").await["msg"], "override");
    // Slack-style form post with a JSON `payload`
    let r = s
        .raw(
            "POST",
            &hook(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            Some("application/x-www-form-urlencoded"),
            format!("payload={}", enc(r#"{"text":"from a form"}"#)).into_bytes(),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(last_message(&s, "dev").await["msg"], "from a form");
    // legacy three-segment URL
    let r = s
        .post(
            &format!(
                "/hooks/{}/rocket.cat/{}",
                seed::INT_GITHUB,
                seed::TOKEN_GITHUB
            ),
            None,
            json!({ "text": "legacy" }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(last_message(&s, "dev").await["msg"], "legacy");
    // GET with query parameters
    let r = s
        .get(
            &format!(
                "{}?text=via%20get",
                hook(seed::INT_GITHUB, seed::TOKEN_GITHUB)
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(last_message(&s, "dev").await["msg"], "via get");
}

#[tokio::test]
async fn new_integration_url_works_and_triggers_outgoing() {
    let s = start().await;
    let a = admin();
    let r = create(&s, &a, incoming_body("Fresh", "#dev")).await;
    let id = r.json["integration"]["_id"].as_str().unwrap().to_string();
    let token = r.json["integration"]["token"].as_str().unwrap().to_string();
    let r = s
        .post(
            &hook(&id, &token),
            None,
            json!({ "text": "!deploy from a hook" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // incoming messages run outgoing integrations like any other message
    let calls = s
        .eventually("deploy call", || async {
            let c = s.get("/sandbox/receiver/deploy", None).await.json["calls"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            (!c.is_empty()).then_some(c)
        })
        .await;
    assert_eq!(calls[0]["body"]["text"], "!deploy from a hook");
    assert_eq!(calls[0]["body"]["bot"]["i"], json!(id));
}

#[tokio::test]
async fn alias_is_always_set_and_any_attachments_array_turns_url_previews_off() {
    // scripts spec §5.4: alias "" when neither the payload nor the integration has one;
    // parseUrls defaults to true only when `attachments` is absent, even `[]` turns it off.
    let s = start().await;
    let a = admin();
    let r = create(&s, &a, incoming_body("No alias", "#dev")).await;
    let id = r.json["integration"]["_id"].as_str().unwrap().to_string();
    let token = r.json["integration"]["token"].as_str().unwrap().to_string();
    for (body, parse_urls) in [
        (json!({ "text": "plain" }), true),
        (json!({ "text": "empty list", "attachments": [] }), false),
        (
            json!({ "text": "one", "attachments": [{ "title": "t" }] }),
            false,
        ),
        (
            json!({ "text": "asked", "attachments": [], "parseUrls": true }),
            true,
        ),
    ] {
        let r = s.post(&hook(&id, &token), None, body.clone()).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let m = last_message(&s, "dev").await;
        assert_eq!(m["msg"], body["text"]);
        assert_eq!(m["alias"], "", "{body}");
        assert_eq!(m["parseUrls"], parse_urls, "{body}");
    }
}
