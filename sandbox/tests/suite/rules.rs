//! Business rules of spec §3: stored shape, normalisation, update semantics, permissions.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn is_iso(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 24 && s.ends_with('Z') && &s[10..11] == "T")
}

#[tokio::test]
async fn incoming_create_stored_shape() {
    let s = start().await;
    let a = s.login("admin").await;
    let body = with(
        incoming_body("Shape", " #general , @bob "),
        json!({ "alias": "", "emoji": ":ghost:", "script": "", "avatar": null }),
    );
    let r = create(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let i = &r.json["integration"];
    assert_eq!(keys(&r.json), vec!["integration", "success"]);
    let id = i["_id"].as_str().unwrap();
    assert!(
        id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "ObjectId-style id {id}"
    );
    let token = i["token"].as_str().unwrap();
    assert_eq!(token.len(), 48);
    assert!(token
        .chars()
        .all(|c| "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz".contains(c)));
    assert_eq!(i["channel"], json!(["#general", "@bob"]));
    assert_eq!(i["type"], "webhook-incoming");
    assert_eq!(i["userId"], "rocket.cat");
    assert_eq!(i["scriptEngine"], "isolated-vm");
    assert_eq!(i["skipTranspile"], false);
    assert_eq!(i["overrideDestinationChannelEnabled"], false);
    assert_eq!(
        i["_createdBy"],
        json!({ "_id": seed::ADMIN_ID, "username": "admin" })
    );
    assert!(is_iso(&i["_createdAt"]) && is_iso(&i["_updatedAt"]));
    // empty values are stripped on insert
    for k in [
        "alias",
        "script",
        "avatar",
        "_updatedBy",
        "scriptCompiled",
        "scriptError",
    ] {
        assert!(i.get(k).is_none(), "{k} should not be stored");
    }
    assert_eq!(i["emoji"], ":ghost:");
    // the same document comes back from get and list
    let g = s
        .get(
            &format!("/api/v1/integrations.get?integrationId={id}"),
            Some(&a),
        )
        .await;
    assert_eq!(&g.json["integration"], i);
}

#[tokio::test]
async fn outgoing_create_normalisation() {
    let s = start().await;
    let a = admin();
    let body = with(
        outgoing_body(
            "Norm",
            "  #dev , ,#general,",
            json!(["http://a", "  ", "http://b "]),
        ),
        json!({
            "triggerWords": ["!a", " !b", "   "],
            "retryFailedCalls": true,
            "retryCount": 0,
            "retryDelay": "POWERS-OF-TWO",
            "runOnEdits": null,
            "alias": "",
        }),
    );
    let r = create(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let i = &r.json["integration"];
    assert_eq!(
        i["channel"],
        json!(["#dev", "#general"]),
        "outgoing drops empty entries"
    );
    assert_eq!(
        i["urls"],
        json!(["http://a", "http://b "]),
        "blank URLs removed, others untouched"
    );
    assert_eq!(
        i["triggerWords"],
        json!(["!a", " !b"]),
        "blank words removed, the rest not trimmed"
    );
    assert_eq!(i["retryCount"], 4, "non-positive retryCount becomes 4");
    assert_eq!(i["retryDelay"], "powers-of-two");
    assert_eq!(
        i["runOnEdits"], false,
        "runOnEdits becomes strictly boolean"
    );
    assert!(i.get("alias").is_none());
    assert_eq!(i["event"], "sendMessage");
    assert_eq!(i["token"], "tok-123");
    // trigger words are dropped for events that do not use them; channel-less events store []
    let r = create(
        &s,
        &a,
        with(
            outgoing_body("Rooms", "#dev", json!(["http://x"])),
            json!({ "event": "roomCreated", "triggerWords": ["x"] }),
        ),
    )
    .await;
    assert_eq!(r.json["integration"]["channel"], json!([]));
    assert!(r.json["integration"].get("triggerWords").is_none());
    // retry settings are left alone when not retrying
    let r = create(
        &s,
        &a,
        with(
            outgoing_body("NoRetry", "#dev", json!(["http://x"])),
            json!({ "retryFailedCalls": false, "retryDelay": "X" }),
        ),
    )
    .await;
    assert_eq!(r.json["integration"]["retryDelay"], "X");
    assert!(r.json["integration"].get("retryCount").is_none());
    // no token is generated for outgoing integrations
    let r = create(
        &s,
        &a,
        without(
            outgoing_body("NoToken", "#dev", json!(["http://x"])),
            "token",
        ),
    )
    .await;
    assert!(r.json["integration"].get("token").is_none());
}

#[tokio::test]
async fn script_error_is_saved_not_refused() {
    let s = start().await;
    let a = admin();
    let body = with(
        incoming_body("Bad", "#general"),
        json!({ "scriptEnabled": true, "script": "class Script { x( }" }),
    );
    let r = create(&s, &a, body).await;
    assert_eq!(r.status, 200);
    let e = &r.json["integration"]["scriptError"];
    assert_eq!(e["name"], "SyntaxError");
    assert!(e["message"].as_str().unwrap().starts_with("unknown file: "));
    assert!(e["stack"].as_str().unwrap().starts_with("SyntaxError: "));
    // seeded broken integrations
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_BROKEN
            ),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["integration"]["scriptError"]["name"], "SyntaxError");
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_GITHUB
            ),
            Some(&a),
        )
        .await;
    assert!(r.json["integration"]["scriptCompiled"].is_string());
    // nullish coalescing parses (issue #37800 is not reproduced)
    let body = with(
        incoming_body("Nullish", "#general"),
        json!({ "scriptEnabled": true, "script": "const a = b ?? c;" }),
    );
    let r = create(&s, &a, body).await;
    assert!(
        r.json["integration"].get("scriptError").is_none(),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn incoming_update_semantics() {
    let s = start().await;
    let a = admin();
    let before = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_GITHUB
            ),
            Some(&a),
        )
        .await
        .json["integration"]
        .clone();
    let body = json!({
        "type": "webhook-incoming", "integrationId": seed::INT_GITHUB, "channel": "#dev, #general",
        "scriptEnabled": false, "name": "Renamed", "enabled": false, "alias": "", "token": "ignored"
    });
    let r = update(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let i = &r.json["integration"];
    assert_eq!(i["name"], "Renamed");
    assert_eq!(i["enabled"], false);
    assert_eq!(i["channel"], json!(["#dev", "#general"]));
    assert_eq!(i["alias"], "", "\"\" clears a string on update");
    assert_eq!(i["emoji"], ":octocat:", "absent fields keep their value");
    assert_eq!(
        i["token"], before["token"],
        "the incoming token never changes"
    );
    assert_eq!(i["_createdAt"], before["_createdAt"]);
    assert_eq!(
        i["_updatedBy"],
        json!({ "_id": seed::ADMIN_ID, "username": "admin" })
    );
    assert_ne!(i["_updatedAt"], before["_updatedAt"]);
    assert_eq!(i["scriptEnabled"], false);
    assert_eq!(i["script"], before["script"], "script kept when not sent");
}

#[tokio::test]
async fn incoming_update_checks_channel_before_permission_and_half_applies() {
    let s = start().await;
    let alice = s.login("alice").await;
    // the channel rule runs before the permission check
    let r = update(
        &s,
        &alice,
        json!({
            "type": "webhook-incoming", "integrationId": seed::INT_GITHUB, "channel": "dev",
            "scriptEnabled": false, "name": "x", "enabled": true
        }),
    )
    .await;
    assert_eq!(
        r.json["errorType"],
        "error-invalid-channel-start-with-chars"
    );
    let r = update(
        &s,
        &alice,
        json!({
            "type": "webhook-incoming", "integrationId": seed::INT_GITHUB, "channel": "#dev",
            "scriptEnabled": false, "name": "x", "enabled": true
        }),
    )
    .await;
    assert_eq!(r.json["errorType"], "not_authorized");
    assert_eq!(r.json["details"]["method"], "updateIncomingIntegration");
    // the compile result is written before the room check fails
    let a = admin();
    let r = update(
        &s,
        &a,
        json!({
            "type": "webhook-incoming", "integrationId": seed::INT_GITHUB, "channel": "#nope",
            "scriptEnabled": true, "script": "class {", "name": "x", "enabled": true
        }),
    )
    .await;
    assert_eq!(r.json["errorType"], "error-invalid-room");
    let g = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_GITHUB
            ),
            Some(&a),
        )
        .await;
    let i = &g.json["integration"];
    assert_eq!(
        i["scriptError"]["name"], "SyntaxError",
        "half-applied update"
    );
    assert!(i.get("scriptCompiled").is_none());
    assert_eq!(i["name"], "GitHub pushes", "the rest was not applied");
}

#[tokio::test]
async fn outgoing_update_by_target_url_and_partial_fields() {
    let s = start().await;
    let a = admin();
    let url = format!("{}/sandbox/receiver/deploy", s.url);
    let body = json!({
        "type": "webhook-outgoing", "target_url": url, "name": "Deploy bot v2", "enabled": true,
        "event": "sendMessage", "username": "rocket.cat", "channel": "#dev", "scriptEnabled": false,
        "urls": [url.clone(), "http://second"], "token": "new-token"
    });
    let r = update(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let i = &r.json["integration"];
    assert_eq!(i["_id"], seed::INT_DEPLOY);
    assert_eq!(i["name"], "Deploy bot v2");
    assert_eq!(i["token"], "new-token");
    assert_eq!(
        i["triggerWords"],
        json!(["!deploy"]),
        "absent fields are not unset"
    );
    assert_eq!(i["alias"], "Deployer");
    assert_eq!(i["_updatedBy"]["username"], "admin");
    // remove by target_url; both keys at once fail oneOf
    let r = s
        .post("/api/v1/integrations.remove", Some(&a), json!({ "type": "webhook-outgoing", "target_url": "http://second", "integrationId": seed::INT_DEPLOY }))
        .await;
    assert_eq!(
        r.json["error"],
        "must match pattern \"webhook-incoming\"\n must match exactly one schema in oneOf"
    );
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&a),
            json!({ "type": "webhook-outgoing", "target_url": "http://second" }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json["integration"]["name"], "Deploy bot v2",
        "answers the document as it was"
    );
}

#[tokio::test]
async fn wrong_type_update_runs_the_other_method() {
    // The stored type is never compared with the body type (spec §2.2).
    let s = start().await;
    let a = admin();
    let body = json!({
        "type": "webhook-outgoing", "integrationId": seed::INT_GITHUB, "name": "GitHub pushes", "enabled": true,
        "event": "sendMessage", "username": "rocket.cat", "channel": "#dev", "scriptEnabled": false,
        "urls": ["http://x"], "token": "overwritten"
    });
    let r = update(&s, &a, body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["type"], "webhook-incoming");
    assert_eq!(
        r.json["integration"]["token"], "overwritten",
        "its webhook URL changed"
    );
}

#[tokio::test]
async fn own_permission_scope() {
    let s = start().await;
    let owner = s.login("owner").await;
    let r = create(
        &s,
        &owner,
        with(
            incoming_body("Mine", "#dev"),
            json!({ "username": "owner" }),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["integration"]["_id"].as_str().unwrap().to_string();
    let r = s
        .get(
            &format!("/api/v1/integrations.get?integrationId={id}"),
            Some(&owner),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={id}&createdBy={}",
                seed::ADMIN_ID
            ),
            Some(&owner),
        )
        .await;
    assert_eq!(r.json["error"], "The integration does not exists.");
    let r = update(
        &s,
        &owner,
        json!({
            "type": "webhook-incoming", "integrationId": id, "channel": "#general",
            "scriptEnabled": false, "name": "Mine 2", "enabled": true
        }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s.get(&list_path(""), Some(&owner)).await;
    assert_eq!(r.json["total"], 3);
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&owner),
            json!({ "type": "webhook-incoming", "integrationId": id }),
        )
        .await;
    assert_eq!(r.status, 200);
    // carol (full permissions only) sees everything but must be a member to target rooms
    let carol = s.login("carol").await;
    assert_eq!(s.get(&list_path(""), Some(&carol)).await.json["total"], 10);
}

#[tokio::test]
async fn list_query_parameter() {
    let s = start().await;
    let q = enc(r#"{"name":{"$regex":"^deploy","$options":"i"},"$where":"evil"}"#);
    let r = s
        .get(&list_path(&format!("query={q}")), Some(&admin()))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["total"], 1);
    assert_eq!(r.json["integrations"][0]["_id"], seed::INT_DEPLOY);
}
