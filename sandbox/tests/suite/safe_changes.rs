//! What the app's safe changes (issue 15) rely on: two admins editing one webhook leave
//! `_updatedAt`/`_updatedBy` of the last writer, and a rotated copy posts with its own token
//! while the old hook keeps working until it is disabled.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

async fn get(s: &Sbx, auth: &Auth, id: &str) -> Value {
    let r = s
        .get(
            &format!("/api/v1/integrations.get?integrationId={id}"),
            Some(auth),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["integration"].clone()
}

fn github_update(name: &str) -> Value {
    json!({
        "type": "webhook-incoming",
        "integrationId": seed::INT_GITHUB,
        "name": name,
        "enabled": true,
        "channel": "#dev",
        "scriptEnabled": false,
    })
}

#[tokio::test]
async fn the_second_admin_signs_in_and_is_recorded_as_the_last_writer() {
    let s = start().await;
    let admin = s.login("admin").await;
    let dana = s.login("dana").await;
    assert_eq!(dana.user_id, seed::DANA_ID);

    let opened = get(&s, &admin, seed::INT_GITHUB).await;
    let r = update(&s, &dana, github_update("GitHub (dana)")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after_dana = get(&s, &admin, seed::INT_GITHUB).await;
    assert_eq!(
        after_dana["_updatedBy"],
        json!({ "_id": seed::DANA_ID, "username": "dana" })
    );
    assert_ne!(
        after_dana["_updatedAt"], opened["_updatedAt"],
        "a reader that opened before sees the change by _updatedAt"
    );
    assert_eq!(after_dana["name"], "GitHub (dana)");

    // A later write by the first admin moves both stamps on again.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = update(&s, &admin, github_update("GitHub (admin)")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let after_admin = get(&s, &dana, seed::INT_GITHUB).await;
    assert_eq!(after_admin["_updatedBy"]["username"], "admin");
    assert!(
        after_admin["_updatedAt"].as_str() > after_dana["_updatedAt"].as_str(),
        "{} after {}",
        after_admin["_updatedAt"],
        after_dana["_updatedAt"]
    );
}

#[tokio::test]
async fn a_rotated_copy_posts_with_a_new_token_and_the_old_one_works_until_disabled() {
    let s = start().await;
    let admin = s.login("admin").await;
    let old = get(&s, &admin, seed::INT_GITHUB).await;
    let mut copy = incoming_body("GitHub pushes (rotated)", "#dev");
    copy["alias"] = old["alias"].clone();
    copy["emoji"] = old["emoji"].clone();
    let r = create(&s, &admin, copy).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let new = r.json["integration"].clone();
    let (new_id, new_token) = (
        new["_id"].as_str().unwrap_or_default(),
        new["token"].as_str().unwrap_or_default(),
    );
    assert!(new_token.len() >= 24, "a fresh server token: {new}");
    assert_ne!(new_token, seed::TOKEN_GITHUB);

    let post = |id: &str, token: &str| format!("/hooks/{id}/{}", enc(token));
    let r = s
        .post(&post(new_id, new_token), None, json!({ "text": "via new" }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s
        .post(
            &post(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            None,
            json!({ "text": "via old" }),
        )
        .await;
    assert_eq!(r.status, 200, "the old URL keeps working: {}", r.text);

    let mut off = github_update("GitHub pushes");
    off["enabled"] = json!(false);
    let r = update(&s, &admin, off).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s
        .post(
            &post(seed::INT_GITHUB, seed::TOKEN_GITHUB),
            None,
            json!({ "text": "via old, disabled" }),
        )
        .await;
    assert_eq!(r.status, 503, "a disabled hook: {}", r.text);
    let r = s
        .post(
            &post(new_id, new_token),
            None,
            json!({ "text": "still new" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
