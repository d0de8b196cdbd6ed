//! Look-ups used before saving, and messages read back through the REST API.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::json;

#[tokio::test]
async fn rooms_info() {
    let s = start().await;
    let a = admin();
    let r = s
        .get(
            &format!("/api/v1/rooms.info?roomName={}", enc("büro")),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["room"]["_id"], seed::ROOM_BUERO);
    assert_eq!(r.json["room"]["fname"], "Büro");
    assert_eq!(r.json["room"]["t"], "c");
    let r = s
        .get(
            &format!("/api/v1/rooms.info?roomId={}", seed::ROOM_OPS),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["room"]["t"], "p");
    let owner = s.login("owner").await;
    let r = s.get("/api/v1/rooms.info?roomName=ops", Some(&owner)).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "not-allowed", "errorType": "Not Allowed" })
    );
    let r = s.get("/api/v1/rooms.info?roomName=nope", Some(&a)).await;
    assert_eq!(r.status, 400);
    let r = s.get("/api/v1/rooms.info", Some(&a)).await;
    assert_eq!(r.json["errorType"], "error-roomid-param-not-provided");
}

#[tokio::test]
async fn users_info() {
    let s = start().await;
    let a = admin();
    let r = s.get("/api/v1/users.info?username=bob", Some(&a)).await;
    assert_eq!(r.json["user"]["_id"], seed::BOB_ID);
    assert_eq!(r.json["user"]["username"], "bob");
    let r = s
        .get(
            &format!("/api/v1/users.info?userId={}", seed::OWNER_ID),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["user"]["roles"], json!(["user", "webhook-owner"]));
    let r = s.get("/api/v1/users.info?username=ghost", Some(&a)).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "User not found." })
    );
    let r = s.get("/api/v1/users.info", Some(&a)).await;
    assert_eq!(r.json["errorType"], "error-user-param-not-provided");
}

#[tokio::test]
async fn autocomplete() {
    let s = start().await;
    let a = admin();
    let sel = enc(r#"{"name":"B"}"#);
    let r = s
        .get(
            &format!("/api/v1/rooms.autocomplete.channelAndPrivate?selector={sel}"),
            Some(&a),
        )
        .await;
    assert_eq!(
        r.json["items"],
        json!([{ "_id": seed::ROOM_BUERO, "fname": "Büro", "name": "büro", "t": "c" }])
    );
    let owner = s.login("owner").await;
    let r = s
        .get(
            &format!("/api/v1/rooms.autocomplete.channelAndPrivate?selector={sel}"),
            Some(&owner),
        )
        .await;
    assert_eq!(r.json["items"], json!([]), "only rooms the caller is in");
    let sel = enc(r#"{"name":""}"#);
    let r = s
        .get(
            &format!("/api/v1/rooms.autocomplete.channelAndPrivate?selector={sel}"),
            Some(&a),
        )
        .await;
    assert_eq!(r.json["items"].as_array().unwrap().len(), 4);
    let r = s
        .get("/api/v1/rooms.autocomplete.channelAndPrivate", Some(&a))
        .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "The 'selector' param is required" })
    );
    let sel = enc(r#"{"term":"AD"}"#);
    let r = s
        .get(
            &format!("/api/v1/users.autocomplete?selector={sel}"),
            Some(&a),
        )
        .await;
    let names: Vec<&str> = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["admin", "admin2fa", "mailadmin"]);
}

#[tokio::test]
async fn permissions_list_all() {
    let s = start().await;
    let r = s.get("/api/v1/permissions.listAll", Some(&admin())).await;
    assert_eq!(r.json["remove"], json!([]));
    let update = r.json["update"].as_array().unwrap();
    let own_in = update
        .iter()
        .find(|p| p["_id"] == "manage-own-incoming-integrations")
        .unwrap();
    assert_eq!(own_in["roles"], json!(["admin", "webhook-owner"]));
    assert!(update.iter().any(|p| p["_id"] == "view-statistics"));
    let r = s
        .get(
            &format!(
                "/api/v1/permissions.listAll?updatedSince={}",
                enc("2030-01-01T00:00:00.000Z")
            ),
            Some(&admin()),
        )
        .await;
    assert_eq!(r.json["update"], json!([]));
    let r = s
        .get(
            "/api/v1/permissions.listAll?updatedSince=yesterday",
            Some(&admin()),
        )
        .await;
    assert_eq!(r.json["errorType"], "error-updatedSince-param-invalid");
}

#[tokio::test]
async fn channel_and_group_messages() {
    let s = start().await;
    let alice = s.login("alice").await;
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&alice),
            json!({ "roomId": seed::ROOM_GENERAL, "text": "one" }),
        )
        .await;
    assert_eq!(r.json["channel"], seed::ROOM_GENERAL);
    assert_eq!(r.json["message"]["msg"], "one");
    let r = s
        .get(
            "/api/v1/channels.messages?roomName=general&count=1",
            Some(&alice),
        )
        .await;
    assert_eq!(r.json["messages"][0]["msg"], "one", "newest first");
    // private room: members only
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&alice),
            json!({ "channel": "#ops", "text": "hi" }),
        )
        .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-not-allowed" })
    );
    let r = s
        .get("/api/v1/groups.messages?roomName=ops", Some(&alice))
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .get("/api/v1/groups.messages?roomName=ops", Some(&admin()))
        .await;
    assert_eq!(r.status, 200);
    // posting to a public room joins it
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&alice),
            json!({ "channel": "#büro", "text": "Hallo" }),
        )
        .await;
    assert_eq!(r.status, 200);
    let sel = enc(r#"{"name":"b"}"#);
    let r = s
        .get(
            &format!("/api/v1/rooms.autocomplete.channelAndPrivate?selector={sel}"),
            Some(&alice),
        )
        .await;
    assert_eq!(r.json["items"][0]["name"], "büro");
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&alice),
            json!({ "channel": "#nowhere", "text": "x" }),
        )
        .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "[invalid-channel]", "errorType": "invalid-channel" })
    );
}
