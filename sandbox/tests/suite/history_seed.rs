//! `--seed-history N`: a webhook with N calls of every outcome, paged and replayable.

use crate::common::*;
use hookpanel_sandbox::history_seed::{FAILURES, INT_BUILD};
use serde_json::{json, Value};

/// The outcome the app reads from a row (same rules as `core::history_filter::Outcome`).
fn outcome(r: &Value) -> &'static str {
    let step = r["step"].as_str().unwrap_or("");
    if step.starts_with("going-to-retry-") {
        "retrying"
    } else if r["error"] == json!(true) || r.get("httpError").is_some() {
        "failed"
    } else if r["finished"] == json!(true) || r.get("httpResult").is_some() {
        "success"
    } else {
        "pending"
    }
}

async fn all_rows(s: &Sbx) -> Vec<Value> {
    let mut rows = Vec::new();
    loop {
        let r = s
            .get(
                &format!(
                    "/api/v1/integrations.history?id={INT_BUILD}&count=100&offset={}",
                    rows.len()
                ),
                Some(&admin()),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.json["total"], 300);
        let page = r.json["history"].as_array().cloned().unwrap_or_default();
        if page.is_empty() {
            return rows;
        }
        rows.extend(page);
    }
}

#[tokio::test]
async fn seed_history_gives_300_calls_of_every_outcome() {
    let s = start_with(|o| o.seed_history = 300).await;
    let rows = all_rows(&s).await;
    assert_eq!(rows.len(), 300);
    let count = |o: &str| rows.iter().filter(|r| outcome(r) == o).count();
    assert_eq!(
        (
            count("failed"),
            count("retrying"),
            count("pending"),
            count("success")
        ),
        (40, 6, 6, 248)
    );
    // Newest first, and the newest call failed (the list's "failing" filter finds it).
    assert_eq!(rows[0]["_id"], "HbCall00000000300");
    assert_eq!(outcome(&rows[0]), "failed");
    for step in FAILURES {
        let n = rows
            .iter()
            .filter(|r| r["step"] == step && outcome(r) == "failed")
            .count();
        assert_eq!(n, 8, "{step}");
    }
    let refused = rows
        .iter()
        .filter(|r| r.to_string().contains("ECONNREFUSED"))
        .count();
    assert_eq!(refused, 8);
    let room_created = rows.iter().filter(|r| r["event"] == "roomCreated").count();
    assert_eq!(room_created, 10);
    // Every row carries what replay needs.
    assert!(rows.iter().all(|r| r["data"]["message_id"].is_string()));
    // The webhook is listed with the others, and a reset keeps it.
    let r = s.post("/sandbox/reset", None, json!({})).await;
    assert_eq!(r.json["success"], true);
    assert_eq!(all_rows(&s).await.len(), 300);
}

#[tokio::test]
async fn a_seeded_failure_replays_into_a_new_row() {
    let s = start_with(|o| o.seed_history = 300).await;
    let failed = "HbCall00000000008";
    let r = s
        .post(
            "/api/v1/integrations.replayOutgoing",
            Some(&admin()),
            json!({ "integrationId": INT_BUILD, "historyId": failed }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let newest = s
        .eventually("the replayed call", || async {
            let r = s
                .get(
                    &format!("/api/v1/integrations.history?id={INT_BUILD}&count=1"),
                    Some(&admin()),
                )
                .await;
            let row = r.json["history"][0].clone();
            (row["data"]["message_id"] == "build-msg-0008" && row["finished"] == json!(true))
                .then_some(row)
        })
        .await;
    assert_ne!(newest["_id"], failed);
    assert_eq!(outcome(&newest), "success");
}

#[tokio::test]
async fn without_the_flag_there_is_no_build_notifier() {
    let s = start().await;
    let r = s
        .get(
            &format!("/api/v1/integrations.history?id={INT_BUILD}"),
            Some(&admin()),
        )
        .await;
    assert_eq!(r.json["total"], 0, "{}", r.text);
    let r = s
        .get("/api/v1/integrations.list?count=100", Some(&admin()))
        .await;
    assert!(!r.text.contains(INT_BUILD));
}
