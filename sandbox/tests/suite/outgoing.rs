//! The outgoing runner: matching, the HTTP call, retries, history, replay, clear.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

async fn post(s: &Sbx, auth: &Auth, channel: &str, text: &str) -> Resp {
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(auth),
            json!({ "channel": channel, "text": text }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

async fn calls(s: &Sbx, name: &str) -> Vec<Value> {
    s.get(&format!("/sandbox/receiver/{name}"), None).await.json["calls"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn wait_calls(s: &Sbx, name: &str, n: usize) -> Vec<Value> {
    s.eventually(&format!("{n} call(s) to {name}"), || async {
        let c = calls(s, name).await;
        (c.len() >= n).then_some(c)
    })
    .await
}

async fn history(s: &Sbx, id: &str) -> Value {
    s.get(
        &format!("/api/v1/integrations.history?id={id}"),
        Some(&admin()),
    )
    .await
    .json
}

async fn wait_step(s: &Sbx, id: &str, step: &str) -> Value {
    s.eventually(&format!("history step {step}"), || async {
        let h = history(s, id).await;
        h["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["step"] == step)
            .cloned()
    })
    .await
}

async fn receiver_url(s: &Sbx, name: &str) -> String {
    format!("{}/sandbox/receiver/{name}", s.url)
}

#[tokio::test]
async fn message_triggers_call_history_and_answer() {
    let s = start().await;
    let alice = s.login("alice").await;
    let sent = post(&s, &alice, "#dev", "!deploy web").await;
    let c = wait_calls(&s, "deploy", 1).await;
    let body = &c[0]["body"];
    assert_eq!(body["token"], "nMTjo6fLuRuYQcWMh-secret");
    assert_eq!(body["channel_id"], seed::ROOM_DEV);
    assert_eq!(body["channel_name"], "dev");
    assert_eq!(body["user_id"], seed::ALICE_ID);
    assert_eq!(body["user_name"], "alice");
    assert_eq!(body["text"], "!deploy web");
    assert_eq!(body["trigger_word"], "!deploy");
    assert_eq!(body["bot"], false);
    assert_eq!(body["message_id"], sent.json["message"]["_id"]);
    assert_eq!(body["siteUrl"], json!(s.url));
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    assert!(c[0]["headers"]["user-agent"]
        .as_str()
        .unwrap()
        .contains("Chrome/41"));
    assert!(c[0]["headers"]["content-type"]
        .as_str()
        .unwrap()
        .contains("application/json"));
    let row = wait_step(&s, seed::INT_DEPLOY, "url-response-sent-message").await;
    assert_eq!(row["type"], "outgoing-webhook");
    assert_eq!(row["event"], "sendMessage");
    assert_eq!(row["finished"], true);
    assert_eq!(row["ranPrepareScript"], false);
    assert_eq!(row["triggerWord"], "!deploy");
    assert_eq!(row["url"], json!(receiver_url(&s, "deploy").await));
    assert_eq!(row["integration"]["_id"], seed::INT_DEPLOY);
    assert_eq!(row["data"]["text"], "!deploy web");
    assert_eq!(row["httpCallData"]["user_name"], "alice");
    // httpResult is JSON.stringify of the response text.
    let answer = json!({ "text": "deploy received: !deploy web" }).to_string();
    assert_eq!(
        row["httpResult"],
        json!(serde_json::to_string(&answer).unwrap())
    );
    // The answer is posted back into the room as the integration's user.
    let msgs = s.get("/sandbox/messages?room=dev", None).await.json;
    let last = msgs["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["msg"], "deploy received: !deploy web");
    assert_eq!(last["u"]["username"], "rocket.cat");
    assert_eq!(last["alias"], "Deployer");
    assert_eq!(last["emoji"], ":rocket:");
    assert_eq!(last["bot"]["i"], seed::INT_DEPLOY);
    // …and it does not trigger the same integration again.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(calls(&s, "deploy").await.len(), 1);
    // History is newest first with totals.
    let h = history(&s, seed::INT_DEPLOY).await;
    assert_eq!(h["total"], 3);
    assert_eq!(h["history"][0]["step"], "url-response-sent-message");
}

#[tokio::test]
async fn matching_rules() {
    let s = start().await;
    let alice = s.login("alice").await;
    let owner = s.login("owner").await;
    // prefix only, case-sensitive, right channel
    post(&s, &alice, "#dev", "please !deploy").await;
    post(&s, &alice, "#dev", "!DEPLOY now").await;
    post(&s, &alice, "#general", "!deploy elsewhere").await;
    // anywhere
    post(&s, &owner, "#general", "well hello there").await;
    wait_calls(&s, "owner-echo", 1).await;
    // the disabled all_public_channels integration never fires
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(calls(&s, "deploy").await.is_empty());
    assert!(calls(&s, "archive").await.is_empty());
    // an enabled all_public_channels hook without trigger words fires for any public message
    let a = admin();
    let r = create(
        &s,
        &a,
        without(
            outgoing_body(
                "All",
                "all_public_channels",
                json!([receiver_url(&s, "all").await]),
            ),
            "triggerWords",
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    post(&s, &alice, "#büro", "Grüße").await;
    let c = wait_calls(&s, "all", 1).await;
    assert_eq!(c[0]["body"]["channel_name"], "büro");
    assert!(c[0]["body"].get("trigger_word").is_none());
    // direct messages
    let r = create(
        &s,
        &a,
        outgoing_body("DMs", "@bob", json!([receiver_url(&s, "dm").await])),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    post(&s, &alice, "@bob", "psst").await;
    let c = wait_calls(&s, "dm", 1).await;
    assert_eq!(c[0]["body"]["text"], "psst");
    assert!(
        c[0]["body"].get("channel_name").is_none(),
        "DMs have no name"
    );
    assert_eq!(
        c[0]["body"]["channel_id"],
        json!(format!("{}{}", seed::ALICE_ID, seed::BOB_ID))
    );
}

#[tokio::test]
async fn run_on_edits() {
    let s = start().await;
    let alice = s.login("alice").await;
    let a = admin();
    let r = create(
        &s,
        &a,
        with(
            outgoing_body(
                "No edits",
                "#general",
                json!([receiver_url(&s, "noedit").await]),
            ),
            json!({ "runOnEdits": false, "triggerWords": ["!x"] }),
        ),
    )
    .await;
    assert_eq!(r.json["integration"]["runOnEdits"], false);
    let sent = post(&s, &alice, "#dev", "draft").await;
    let mid = sent.json["message"]["_id"].as_str().unwrap().to_string();
    let r = s
        .post(
            "/api/v1/chat.update",
            Some(&alice),
            json!({ "roomId": seed::ROOM_DEV, "msgId": mid, "text": "!deploy edited" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let c = wait_calls(&s, "deploy", 1).await;
    assert_eq!(c[0]["body"]["isEdited"], true);
    assert_eq!(c[0]["body"]["text"], "!deploy edited");
    let sent = post(&s, &alice, "#general", "plain").await;
    let mid = sent.json["message"]["_id"].as_str().unwrap().to_string();
    s.post(
        "/api/v1/chat.update",
        Some(&alice),
        json!({ "roomId": seed::ROOM_GENERAL, "msgId": mid, "text": "!x" }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(calls(&s, "noedit").await.is_empty());
}

async fn outgoing_with(s: &Sbx, name: &str, extra: Value) -> String {
    let url = receiver_url(s, name).await;
    let body = with(
        outgoing_body(name, "#general", json!([url])),
        with(json!({ "triggerWords": [format!("!{name}")] }), extra),
    );
    let r = create(s, &admin(), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["integration"]["_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn retries_until_too_many() {
    let s = start().await;
    let id = outgoing_with(
        &s,
        "flaky",
        json!({ "retryFailedCalls": true, "retryCount": 2, "retryDelay": "Powers-Of-Two" }),
    )
    .await;
    s.post(
        "/sandbox/receiver/flaky/config",
        None,
        json!({ "status": 503 }),
    )
    .await;
    post(&s, &admin(), "#general", "!flaky go").await;
    let row = wait_step(&s, &id, "too-many-retries").await;
    assert_eq!(row["error"], true);
    assert_eq!(
        calls(&s, "flaky").await.len(),
        3,
        "first try plus two retries"
    );
    let h = history(&s, &id).await;
    assert_eq!(h["total"], 1, "retries update the same row");
}

#[tokio::test]
async fn retry_succeeds_after_failures() {
    let s = start().await;
    // Slow enough to observe the first retry step: 2 s × 0.1.
    s.set_config(json!({ "retryDelayScale": 0.1 })).await;
    let id = outgoing_with(
        &s,
        "later",
        json!({ "retryFailedCalls": true, "retryCount": 5, "retryDelay": "powers-of-two" }),
    )
    .await;
    s.post(
        "/sandbox/receiver/later/config",
        None,
        json!({ "status": 502 }),
    )
    .await;
    post(&s, &admin(), "#general", "!later").await;
    wait_step(&s, &id, "going-to-retry-1").await;
    s.post(
        "/sandbox/receiver/later/config",
        None,
        json!({ "status": 200, "text": "finally" }),
    )
    .await;
    let row = wait_step(&s, &id, "url-response-sent-message").await;
    assert_eq!(row["finished"], true);
    let msgs = s.get("/sandbox/messages?room=general", None).await.json;
    assert_eq!(
        msgs["messages"].as_array().unwrap().last().unwrap()["msg"],
        "finally"
    );
}

#[tokio::test]
async fn status_500_410_and_no_retry() {
    let s = start().await;
    let a = admin();
    let id500 = outgoing_with(&s, "five", json!({ "retryFailedCalls": true })).await;
    s.post(
        "/sandbox/receiver/five/config",
        None,
        json!({ "status": 500 }),
    )
    .await;
    post(&s, &a, "#general", "!five").await;
    wait_step(&s, &id500, "after-process-http-status-500").await;
    assert_eq!(calls(&s, "five").await.len(), 1, "500 is not retried");

    let id410 = outgoing_with(&s, "gone", json!({})).await;
    s.post(
        "/sandbox/receiver/gone/config",
        None,
        json!({ "status": 410 }),
    )
    .await;
    post(&s, &a, "#general", "!gone").await;
    wait_step(&s, &id410, "after-process-http-status-410").await;
    let r = s
        .get(
            &format!("/api/v1/integrations.get?integrationId={id410}"),
            Some(&a),
        )
        .await;
    assert_eq!(
        r.json["integration"]["enabled"], false,
        "410 disables the integration"
    );

    let idnr = outgoing_with(&s, "once", json!({ "retryFailedCalls": false })).await;
    s.post(
        "/sandbox/receiver/once/config",
        None,
        json!({ "status": 404 }),
    )
    .await;
    post(&s, &a, "#general", "!once").await;
    wait_step(&s, &idnr, "failed-and-not-configured-to-retry").await;

    // An unknown retryDelay is accepted at save time and fails at run time.
    let idbad = outgoing_with(
        &s,
        "odd",
        json!({ "retryFailedCalls": true, "retryDelay": "sometimes" }),
    )
    .await;
    s.post(
        "/sandbox/receiver/odd/config",
        None,
        json!({ "status": 503 }),
    )
    .await;
    post(&s, &a, "#general", "!odd").await;
    let row = wait_step(&s, &idbad, "failed-and-retry-delay-is-invalid").await;
    assert!(row["errorStack"].as_str().unwrap().contains("retryDelay"));

    // A refused connection is an HTTP error too.
    let url = "http://127.0.0.1:9/nothing-listens-here";
    let r = create(
        &s,
        &a,
        with(
            outgoing_body("down", "#general", json!([url])),
            json!({ "triggerWords": ["!down"], "retryFailedCalls": false }),
        ),
    )
    .await;
    let iddown = r.json["integration"]["_id"].as_str().unwrap().to_string();
    post(&s, &a, "#general", "!down").await;
    let row = wait_step(&s, &iddown, "failed-and-not-configured-to-retry").await;
    assert!(row["httpError"]["message"].as_str().is_some());
}

#[tokio::test]
async fn replay_and_clear_history() {
    let s = start().await;
    let a = admin();
    let alice = s.login("alice").await;
    post(&s, &alice, "#dev", "!deploy api").await;
    wait_calls(&s, "deploy", 1).await;
    let hid = s
        .eventually("the new history row", || async {
            let h = history(&s, seed::INT_DEPLOY).await;
            h["history"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| {
                    r["data"]["text"] == "!deploy api" && r["step"] == "url-response-sent-message"
                })
                .map(|r| r["_id"].as_str().unwrap().to_string())
        })
        .await;
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&a),
            json!({ "integrationId": seed::INT_DEPLOY, "historyId": hid }),
        )
        .await;
    assert_eq!(r.json, json!({ "success": true }));
    let c = wait_calls(&s, "deploy", 2).await;
    assert_eq!(c[1]["body"]["text"], "!deploy api");
    s.eventually("a second history row", || async {
        (history(&s, seed::INT_DEPLOY).await["total"] == 4).then_some(())
    })
    .await;
    // Seeded rows can be replayed too (their message exists).
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&a),
            json!({ "integrationId": seed::INT_DEPLOY, "historyId": "HsT9pQm2vWc4xYz7A" }),
        )
        .await;
    assert_eq!(r.status, 200);
    wait_calls(&s, "deploy", 3).await;
    // Own-permission users only reach their own integrations.
    let owner = s.login("owner").await;
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&owner),
            json!({ "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-invalid-integration");
    let r = s
        .get(
            &format!("/api/v1/integrations.history?id={}", seed::INT_DEPLOY),
            Some(&owner),
        )
        .await;
    assert_eq!(r.json["total"], 0, "own-permission history filter");
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&owner),
            json!({ "integrationId": seed::INT_OWNER_OUT }),
        )
        .await;
    assert_eq!(r.json, json!({ "success": true }));
    let r = s
        .post(
            "/api/v1/integrations.clearHistory",
            Some(&a),
            json!({ "integrationId": seed::INT_DEPLOY }),
        )
        .await;
    assert_eq!(r.json, json!({ "success": true }));
    assert_eq!(history(&s, seed::INT_DEPLOY).await["total"], 0);
    // Replaying an incoming integration is refused by the trigger handler.
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&a),
            json!({ "integrationId": seed::INT_GITHUB, "historyId": "x" }),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-invalid-integration-history");
}

#[tokio::test]
async fn history_pagination_and_schema() {
    let s = start().await;
    let a = admin();
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.history?id={}&count=1&offset=1",
                seed::INT_DEPLOY
            ),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["total"], 2);
    assert_eq!(r.json["count"], 1);
    assert_eq!(
        r.json["history"][0]["_id"], "HsT9pQm2vWc4xYz7A",
        "default sort is _updatedAt descending"
    );
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.history?id={}&count=abc",
                seed::INT_DEPLOY
            ),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-invalid-params");
    assert_eq!(r.json["error"], "must be number");
    let r = s
        .get(
            &format!(
                "/api/v1/integrations.history?id={}&fields=x",
                seed::INT_DEPLOY
            ),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["error"], "must NOT have additional properties");
    let r = s.get("/api/v1/integrations.history", Some(&a)).await;
    assert_eq!(r.json["error"], "must have required property 'id'");
    // deleting the integration removes its history
    s.post(
        "/api/v1/integrations.remove",
        Some(&a),
        json!({ "type": "webhook-outgoing", "integrationId": seed::INT_DEPLOY }),
    )
    .await;
    let r = s
        .get(
            &format!("/api/v1/integrations.history?id={}", seed::INT_DEPLOY),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["total"], 0);
}
