//! Every row of the spec's §3.11 error catalogue, produced over HTTP.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

fn details_method(r: &Resp) -> &str {
    r.json["details"]["method"].as_str().unwrap_or("")
}

#[tokio::test]
async fn not_authorized_incoming_and_outgoing() {
    let s = start().await;
    let alice = s.login("alice").await;
    let r = create(&s, &alice, incoming_body("x", "#general")).await;
    assert_error(
        &r,
        400,
        Some("not_authorized"),
        "Unauthorized [not_authorized]",
    );
    assert_eq!(
        r.json["details"],
        json!({ "method": "addIncomingIntegration" })
    );
    // Outgoing create throws without a reason.
    let r = create(
        &s,
        &alice,
        outgoing_body("x", "#general", json!(["http://x"])),
    )
    .await;
    assert_error(&r, 400, Some("not_authorized"), "[not_authorized]");
    assert!(r.json.get("details").is_none());
    // 9.0: 403 error-forbidden.
    s.version("9.0.0").await;
    let r = create(&s, &alice, incoming_body("x", "#general")).await;
    assert_error(&r, 403, Some("error-forbidden"), "Unauthorized");
    let r = create(
        &s,
        &alice,
        outgoing_body("x", "#general", json!(["http://x"])),
    )
    .await;
    assert_error(&r, 403, Some("error-forbidden"), "not_authorized");
}

#[tokio::test]
async fn invalid_channel_three_ways() {
    let s = start().await;
    let a = admin();
    // blank channel
    let r = create(&s, &a, incoming_body("x", "   ")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid channel [error-invalid-channel]",
    );
    assert_eq!(details_method(&r), "addIncomingIntegration");
    // not a member (own permission only; owner is not in #büro)
    let owner = s.login("owner").await;
    let r = create(&s, &owner, incoming_body("x", "#büro")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid Channel [error-invalid-channel]",
    );
    // full permission only (carol) must be a member too
    let carol = s.login("carol").await;
    let r = create(&s, &carol, incoming_body("x", "#ops")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid Channel [error-invalid-channel]",
    );
    let r = create(&s, &carol, incoming_body("x", "#dev")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // scoped keyword without the full outgoing permission
    let r = create(
        &s,
        &owner,
        outgoing_body("x", "all_private_groups", json!(["http://x"])),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid Channel [error-invalid-channel]",
    );
    assert_eq!(
        r.json["details"],
        json!({ "function": "validateOutgoing._verifyUserHasPermissionForChannels" })
    );
    // all_public_channels is fine with the own permission
    let r = create(
        &s,
        &owner,
        outgoing_body("x", "all_public_channels", json!(["http://x"])),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // outgoing sendMessage with a blank channel
    let r = create(&s, &a, outgoing_body("x", " ", json!(["http://x"]))).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid Channel [error-invalid-channel]",
    );
    assert_eq!(r.json["details"], json!({ "function": "validateOutgoing" }));
    // own-permission callers cannot target @user (issue #13103)
    let r = create(&s, &owner, incoming_body("x", "@alice")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel"),
        "Invalid Channel [error-invalid-channel]",
    );
}

#[tokio::test]
async fn channel_must_start_with_at_or_hash() {
    let s = start().await;
    let r = create(&s, &admin(), incoming_body("x", "general")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-channel-start-with-chars"),
        "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
    );
    // The server names the wrong method here.
    assert_eq!(details_method(&r), "updateIncomingIntegration");
    // Incoming keeps empty entries, so a trailing comma fails.
    let r = create(&s, &admin(), incoming_body("x", "#general,")).await;
    assert_eq!(
        r.json["errorType"],
        "error-invalid-channel-start-with-chars"
    );
    let r = create(&s, &admin(), outgoing_body("x", "dev", json!(["http://x"]))).await;
    assert_eq!(
        r.json["errorType"],
        "error-invalid-channel-start-with-chars"
    );
    assert_eq!(
        r.json["error"],
        "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]"
    );
}

#[tokio::test]
async fn invalid_room() {
    let s = start().await;
    let a = admin();
    for ch in ["#nope", "@nobody"] {
        let r = create(&s, &a, incoming_body("x", ch)).await;
        assert_error(
            &r,
            400,
            Some("error-invalid-room"),
            "Invalid room [error-invalid-room]",
        );
    }
    // Upper-case keyword passes the syntax step, then is looked up as a room.
    let r = create(
        &s,
        &a,
        outgoing_body("x", "ALL_PUBLIC_CHANNELS", json!(["http://x"])),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-room"),
        "Invalid room [error-invalid-room]",
    );
}

#[tokio::test]
async fn invalid_username_and_user() {
    let s = start().await;
    let a = admin();
    let r = create(
        &s,
        &a,
        with(incoming_body("x", "#general"), json!({ "username": "  " })),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-username"),
        "Invalid username [error-invalid-username]",
    );
    let r = create(
        &s,
        &a,
        with(
            outgoing_body("x", "#general", json!(["http://x"])),
            json!({ "username": "" }),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-username"),
        "Invalid username [error-invalid-username]",
    );
    let r = create(
        &s,
        &a,
        with(
            incoming_body("x", "#general"),
            json!({ "username": "ghost" }),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-user"),
        "Invalid user [error-invalid-user]",
    );
    let r = create(
        &s,
        &a,
        with(
            outgoing_body("x", "#general", json!(["http://x"])),
            json!({ "username": "ghost" }),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-user"),
        "Invalid user (did you delete the `rocket.cat` user?) [error-invalid-user]",
    );
}

fn incoming_update(id: &str, extra: Value) -> Value {
    with(
        json!({
            "type": "webhook-incoming",
            "integrationId": id,
            "channel": "#general",
            "scriptEnabled": false,
            "name": "updated",
            "enabled": true,
        }),
        extra,
    )
}

fn outgoing_update(id: &str, extra: Value) -> Value {
    with(
        with(
            outgoing_body("updated", "#general", json!(["http://x"])),
            json!({ "integrationId": id }),
        ),
        extra,
    )
}

#[tokio::test]
async fn invalid_post_as_user() {
    let s = start().await;
    let r = update(
        &s,
        &admin(),
        incoming_update(seed::INT_GITHUB, json!({ "username": "ghost" })),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-post-as-user"),
        "Invalid Post As User [error-invalid-post-as-user]",
    );
    assert_eq!(details_method(&r), "updateIncomingIntegration");
}

#[tokio::test]
async fn invalid_integration_everywhere() {
    let s = start().await;
    let owner = s.login("owner").await;
    // incoming update of someone else's integration
    let r = update(&s, &owner, incoming_update(seed::INT_GITHUB, json!({}))).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration"),
        "Invalid integration [error-invalid-integration]",
    );
    assert_eq!(details_method(&r), "updateIncomingIntegration");
    // incoming and outgoing delete
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&owner),
            json!({ "type": "webhook-incoming", "integrationId": seed::INT_GITHUB }),
        )
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration"),
        "Invalid integration [error-invalid-integration]",
    );
    assert_eq!(details_method(&r), "deleteIncomingIntegration");
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&owner),
            json!({ "type": "webhook-outgoing", "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration"),
        "Invalid integration [error-invalid-integration]",
    );
    assert_eq!(details_method(&r), "deleteOutgoingIntegration");
    // clearHistory and replay
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&admin()),
            json!({ "integrationId": "nope" }),
        )
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration"),
        "Invalid integration [error-invalid-integration]",
    );
    assert_eq!(details_method(&r), "clearIntegrationHistory");
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&admin()),
            json!({ "integrationId": "nope", "historyId": "x" }),
        )
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration"),
        "Invalid integration [error-invalid-integration]",
    );
    assert_eq!(details_method(&r), "replayOutgoingIntegration");
}

#[tokio::test]
async fn outgoing_update_not_found_uses_other_id() {
    let s = start().await;
    let owner = s.login("owner").await;
    let r = update(
        &s,
        &owner,
        outgoing_update(seed::INT_DEPLOY, json!({ "username": "owner" })),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("invalid_integration"),
        "[methods] updateOutgoingIntegration -> integration not found [invalid_integration]",
    );
}

#[tokio::test]
async fn outgoing_event_rules() {
    let s = start().await;
    let a = admin();
    let base = outgoing_body("x", "#general", json!(["http://x"]));
    let r = create(&s, &a, with(base.clone(), json!({ "event": "nope" }))).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-event-type"),
        "Invalid event type [error-invalid-event-type]",
    );
    let r = create(
        &s,
        &a,
        with(
            base.clone(),
            json!({ "event": "userCreated", "channel": "" }),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-targetRoom"),
        "Invalid Target Room [error-invalid-targetRoom]",
    );
    for urls in [json!([]), json!(["  "]), Value::Null] {
        let r = create(&s, &a, with(base.clone(), json!({ "urls": urls }))).await;
        assert_error(
            &r,
            400,
            Some("error-invalid-urls"),
            "Invalid URLs [error-invalid-urls]",
        );
    }
    let r = create(&s, &a, without(base.clone(), "urls")).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-urls"),
        "Invalid URLs [error-invalid-urls]",
    );
    let owner = s.login("owner").await;
    let r = create(
        &s,
        &owner,
        with(
            base.clone(),
            json!({ "event": "roomCreated", "channel": "", "username": "owner" }),
        ),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-permissions"),
        "Invalid permission for required Integration creation. [error-invalid-permissions]",
    );
}

#[tokio::test]
async fn invalid_trigger_words_through_the_method() {
    // The REST schema rejects a non-array first; the method itself checks on update.
    let s = start().await;
    let a = admin();
    let body = outgoing_update(
        seed::INT_DEPLOY,
        json!({ "triggerWords": "!deploy", "channel": "#dev" }),
    );
    let r = update(&s, &a, body.clone()).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-params"),
        "must match pattern \"webhook-incoming\"\n must be array\n must match exactly one schema in oneOf",
    );
    let out = method_call(
        &s,
        &a,
        "updateOutgoingIntegration",
        json!([seed::INT_DEPLOY, body]),
    )
    .await;
    assert_eq!(out["error"]["error"], "error-invalid-triggerWords");
    assert_eq!(
        out["error"]["message"],
        "Invalid triggerWords [error-invalid-triggerWords]"
    );
}

#[tokio::test]
async fn outgoing_update_without_token() {
    let s = start().await;
    let body = without(
        outgoing_update(seed::INT_DEPLOY, json!({ "channel": "#dev" })),
        "token",
    );
    let r = update(&s, &admin(), body).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-token"),
        "Invalid token [error-invalid-token]",
    );
}

#[tokio::test]
async fn replay_with_unknown_history() {
    let s = start().await;
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&admin()),
            json!({ "integrationId": seed::INT_DEPLOY, "historyId": "nope" }),
        )
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-integration-history"),
        "Invalid Integration History [error-invalid-integration-history]",
    );
    assert_eq!(details_method(&r), "replayOutgoingIntegration");
}

#[tokio::test]
async fn script_freeze_codes() {
    let s = start().await;
    let a = admin();
    let scripted = with(
        incoming_body("x", "#general"),
        json!({ "scriptEnabled": true, "script": "class Script {}" }),
    );
    let upd = incoming_update(
        seed::INT_GITHUB,
        json!({ "scriptEnabled": true, "script": "class Script { x() {} }" }),
    );
    for (mode, code, engine) in [
        ("yes", "integration-scripts-disabled", "isolated-vm"),
        (
            "ivm",
            "integration-scripts-isolated-vm-disabled",
            "isolated-vm",
        ),
        ("vm2", "integration-scripts-vm2-disabled", "vm2"),
    ] {
        s.set_config(json!({ "scriptsFrozen": mode })).await;
        let body = with(scripted.clone(), json!({ "scriptEngine": engine }));
        // create: a plain Error (no errorType)
        let r = create(&s, &a, body).await;
        assert_error(&r, 400, None, code);
        // update: rethrown as Meteor.Error(code)
        let r = update(&s, &a, with(upd.clone(), json!({ "scriptEngine": engine }))).await;
        assert_error(&r, 400, Some(code), &format!("[{code}]"));
    }
    // A frozen server leaves scripts alone on update when the script did not change.
    s.set_config(json!({ "scriptsFrozen": "yes" })).await;
    let r = update(
        &s,
        &a,
        incoming_update(
            seed::INT_MONITORING,
            json!({ "channel": "#ops", "name": "renamed" }),
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["name"], "renamed");
}

#[tokio::test]
async fn route_handler_messages() {
    let s = start().await;
    let a = admin();
    // pattern is unanchored, so this passes the schema and fails the handler
    let r = create(
        &s,
        &a,
        with(
            incoming_body("x", "#general"),
            json!({ "type": "xwebhook-incomingx" }),
        ),
    )
    .await;
    assert_error(&r, 400, None, "Invalid integration type.");
    let r = update(&s, &a, incoming_update("nope", json!({}))).await;
    assert_error(&r, 400, None, "No integration found.");
    let r = update(
        &s,
        &a,
        with(
            outgoing_update("nope", json!({})),
            json!({ "target_url": "http://unknown" }),
        ),
    )
    .await;
    assert_error(&r, 400, None, "No integration found.");
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&a),
            json!({ "type": "webhook-outgoing", "integrationId": "" }),
        )
        .await;
    assert_error(
        &r,
        400,
        None,
        "An integrationId or target_url needs to be provided.",
    );
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&a),
            json!({ "type": "webhook-incoming", "integrationId": "nope" }),
        )
        .await;
    assert_error(&r, 400, None, "No integration found.");
    let r = s
        .get("/api/v1/integrations.get?integrationId=nope", Some(&a))
        .await;
    assert_error(&r, 400, None, "The integration does not exists.");
    let owner = s.login("owner").await;
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_GITHUB
            ),
            Some(&owner),
        )
        .await;
    assert_error(&r, 400, None, "not-authorized");
    let r = s
        .get("/api/v1/integrations.history?id=%20%20", Some(&a))
        .await;
    assert_error(&r, 400, None, "Invalid integration id.");
    // 9.0 moves not-authorized to 403
    s.version("9.0.0").await;
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.get?integrationId={}",
                seed::INT_GITHUB
            ),
            Some(&owner),
        )
        .await;
    assert_error(&r, 403, Some("error-forbidden"), "not-authorized");
}

#[tokio::test]
async fn schema_errors_both_spellings() {
    let s = start().await;
    let a = admin();
    let body = without(incoming_body("x", "#general"), "channel");
    let r = create(&s, &a, body.clone()).await;
    assert_error(
        &r,
        400,
        Some("error-invalid-params"),
        "must have required property 'channel'\n must have required property 'channel'\n must match exactly one schema in oneOf",
    );
    s.version("6.3.7").await;
    let r = create(
        &s,
        &a,
        with(body, json!({ "overrideDestinationChannelEnabled": false })),
    )
    .await;
    assert_error(
        &r,
        400,
        Some("invalid-params"),
        "must have required property 'channel'\n must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]",
    );
}

#[tokio::test]
async fn json_query_parameters() {
    let s = start().await;
    let a = admin();
    let r = s
        .get(&list_path(&format!("sort={}", enc("{name:1}"))), Some(&a))
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-sort"),
        "Invalid sort parameter provided: \"{name:1}\" [error-invalid-sort]",
    );
    let r = s
        .get(
            &list_path(&format!("sort={}", enc(r#"{"name":2}"#))),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-invalid-sort");
    let r = s
        .get(&list_path(&format!("query={}", enc("{bad"))), Some(&a))
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-query"),
        "Invalid query parameter provided: \"{bad\" [error-invalid-query]",
    );
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.history?id={}&sort={}",
                seed::INT_DEPLOY,
                enc("[")
            ),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-invalid-sort");
    // `fields` only reaches the parser where no schema forbids it (6.x list).
    s.version("6.3.7").await;
    let r = s
        .get(&list_path(&format!("fields={}", enc("{oops"))), Some(&a))
        .await;
    assert_error(
        &r,
        400,
        Some("error-invalid-fields"),
        "Invalid fields parameter provided: \"{oops\" [error-invalid-fields]",
    );
    let r = s
        .get(
            &list_path(&format!("fields={}", enc(r#"{"name":1}"#))),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 200);
    let first = &r.json["integrations"][0];
    assert!(
        first.get("name").is_some() && first.get("_id").is_some() && first.get("token").is_none()
    );
}
