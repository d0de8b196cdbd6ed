//! Loaded history rows: page merging, webhook health, replay matching, export.

use hookpanel::core::history_filter::Outcome;
use hookpanel::core::history_ops::{
    ago, append_page, export_json, export_row, match_replays, merge_newest, progress_text,
    running_recently, without_secrets, Health, STRIP,
};
use hookpanel::core::model::HistoryEntry;
use proptest::prelude::*;
use serde_json::{json, Value};

const T0: i64 = 1_795_000_000_000;

fn iso(ms: i64) -> String {
    hookpanel::core::history_filter::format_time(ms)
}

fn row(id: &str, step: &str, at: i64, message: &str) -> HistoryEntry {
    let mut v = json!({
        "_id": id, "integration": {"_id": "out1"}, "event": "sendMessage", "step": step,
        "_createdAt": iso(at), "_updatedAt": iso(at + 500),
        "data": {"message_id": message, "token": "secret-token", "text": "hello"},
    });
    match step {
        "ok" => {
            v["step"] = json!("url-response-sent-message");
            v["finished"] = json!(true);
        }
        "fail" => {
            v["step"] = json!("too-many-retries");
            v["error"] = json!(true);
        }
        _ => {}
    }
    HistoryEntry::from_json(&v)
}

fn ids(rows: &[HistoryEntry]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn append_skips_rows_already_loaded() {
    let mut loaded = vec![row("a", "ok", T0, "m1"), row("b", "ok", T0, "m2")];
    append_page(
        &mut loaded,
        vec![row("b", "ok", T0, "m2"), row("c", "fail", T0, "m3")],
    );
    assert_eq!(ids(&loaded), ["a", "b", "c"]);
}

#[test]
fn merge_newest_replaces_known_rows_and_puts_new_ones_first() {
    let loaded = vec![
        row("b", "start-execute-trigger-url", T0, "m2"),
        row("c", "ok", T0 - 10, "m3"),
        row("d", "fail", T0 - 20, "m4"),
    ];
    let fresh = vec![row("a", "ok", T0 + 10, "m1"), row("b", "ok", T0, "m2")];
    let merged = merge_newest(&loaded, fresh);
    assert_eq!(ids(&merged), ["a", "b", "c", "d"]);
    assert_eq!(
        Outcome::of(merged.get(1).unwrap()),
        Outcome::Success,
        "b finished"
    );
}

#[test]
fn only_recent_running_calls_are_polled() {
    let now = T0 + 60_000;
    let table = [
        (vec![row("a", "start-execute-trigger-url", T0, "m")], true),
        (
            vec![row("a", "start-execute-trigger-url", T0 - 600_000, "m")],
            false,
        ),
        (vec![row("a", "fail", T0, "m")], false),
        (vec![], false),
    ];
    for (rows, want) in table {
        assert_eq!(running_recently(&rows, now), want, "{:?}", ids(&rows));
    }
}

#[test]
fn ago_in_words() {
    let table = [
        (0, "just now"),
        (59_999, "just now"),
        (-5_000, "just now"),
        (60_000, "1 minute ago"),
        (5 * 60_000 + 1, "5 minutes ago"),
        (3_600_000, "1 hour ago"),
        (3 * 3_600_000, "3 hours ago"),
        (86_400_000, "1 day ago"),
        (40 * 86_400_000, "40 days ago"),
    ];
    for (diff, want) in table {
        assert_eq!(ago(T0 + diff, T0), want, "{diff}");
    }
}

#[test]
fn health_of_a_history() {
    let rows = vec![
        row("c", "fail", T0 + 120_000, "m3"),
        row("b", "ok", T0 + 60_000, "m2"),
        row("a", "going-to-retry-1", T0, "m1"),
    ];
    let h = Health::from_rows(&rows);
    assert!(h.failing());
    assert_eq!(
        h.strip,
        [Outcome::Retrying, Outcome::Success, Outcome::Failed]
    );
    assert_eq!(h.last_text(T0 + 180_000), "Failed 1 minute ago");
    assert_eq!(
        h.strip_text(),
        "Last 3 calls: 1 succeeded, 1 failed, 1 retry scheduled."
    );

    let none = Health::from_rows(&[]);
    assert!(!none.failing());
    assert_eq!(none.last_text(T0), "No calls yet");
    assert_eq!(none.strip_text(), "");

    let one = Health::from_rows(&[row("a", "ok", T0, "m")]);
    assert!(!one.failing());
    assert_eq!(one.strip_text(), "Last call: 1 succeeded.");
}

#[test]
fn health_strip_holds_the_newest_twenty() {
    let rows: Vec<HistoryEntry> = (0..30)
        .map(|i| {
            let step = if i < 5 { "fail" } else { "ok" };
            row(&format!("r{i}"), step, T0 - i * 1000, "m")
        })
        .collect();
    let h = Health::from_rows(&rows);
    assert_eq!(h.strip.len(), STRIP);
    // Oldest first: the five newest (failed) calls end the strip.
    assert_eq!(&h.strip[15..], &[Outcome::Failed; 5]);
    assert_eq!(h.strip_text(), "Last 20 calls: 15 succeeded, 5 failed.");
}

#[test]
fn replays_are_matched_to_their_new_rows() {
    let since = T0 + 1_000_000;
    let originals = vec![row("o1", "fail", T0, "m1"), row("o2", "fail", T0 + 5, "m2")];
    let newest = vec![
        row("n2", "ok", since + 200, "m2"),
        row("n1", "ok", since + 100, "m1"),
        // Same message but from before the replays: not one of them.
        row("old", "ok", since - 1, "m1"),
        originals[0].clone(),
    ];
    assert_eq!(
        match_replays(&originals, &newest, since),
        [Some("n1".to_owned()), Some("n2".to_owned())]
    );
    // A call replayed twice: each replay gets its own row, in order.
    let twice = vec![originals[0].clone(), originals[0].clone()];
    let rows = vec![
        row("x2", "ok", since + 300, "m1"),
        row("x1", "ok", since + 100, "m1"),
    ];
    assert_eq!(
        match_replays(&twice, &rows, since),
        [Some("x1".to_owned()), Some("x2".to_owned())]
    );
    // Not recorded yet.
    assert_eq!(match_replays(&originals, &[], since), [None, None]);
}

#[test]
fn export_leaves_the_token_out() {
    let r = row("a", "fail", T0, "m1");
    let v = export_row(&r);
    assert_eq!(v["outcome"], "failed");
    assert_eq!(v["data"]["message_id"], "m1");
    assert!(v["data"].get("token").is_none());
    let nested = json!({"a": [{"token": "t", "b": 1}], "token": "t"});
    assert_eq!(without_secrets(&nested), json!({"a": [{"b": 1}]}));
    let text = export_json("out1", "outcome=failed", &[&r]);
    assert!(!text.contains("secret-token"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["count"], 1);
    assert_eq!(doc["filter"], "outcome=failed");
    assert_eq!(doc["calls"][0]["_id"], "a");
}

#[test]
fn progress_in_words() {
    assert_eq!(progress_text(125, 300), "Loaded 125 of 300 calls");
}

fn arb_rows() -> impl Strategy<Value = Vec<HistoryEntry>> {
    proptest::collection::vec((0u8..6, 0i64..100, prop::bool::ANY), 0..30).prop_map(|v| {
        v.into_iter()
            .map(|(id, t, ok)| {
                row(
                    &format!("r{id}"),
                    if ok { "ok" } else { "fail" },
                    T0 + t * 1000,
                    "m",
                )
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn appending_never_duplicates_and_keeps_what_was_loaded(a in arb_rows(), b in arb_rows()) {
        let mut loaded: Vec<HistoryEntry> = Vec::new();
        append_page(&mut loaded, a.clone());
        let first = loaded.clone();
        append_page(&mut loaded, b);
        prop_assert_eq!(&loaded[..first.len()], &first[..]);
        let mut seen = std::collections::HashSet::new();
        for r in &loaded[first.len()..] {
            prop_assert!(seen.insert(r.id.clone()));
            prop_assert!(!first.iter().any(|f| f.id == r.id));
        }
    }

    #[test]
    fn merging_keeps_every_loaded_id_once(a in arb_rows(), b in arb_rows()) {
        let mut loaded = Vec::new();
        append_page(&mut loaded, a);
        let merged = merge_newest(&loaded, b.clone());
        for r in &loaded {
            prop_assert_eq!(merged.iter().filter(|m| m.id == r.id).count(), 1);
        }
        for r in &b {
            prop_assert!(merged.iter().any(|m| m.id == r.id));
        }
    }

    #[test]
    fn the_strip_counts_add_up(rows in arb_rows()) {
        let h = Health::from_rows(&rows);
        prop_assert_eq!(h.strip.len(), rows.len().min(STRIP));
        prop_assert_eq!(h.last.is_some(), !rows.is_empty());
        prop_assert_eq!(h.strip.last().copied(), h.last.map(|(o, _)| o));
    }

    #[test]
    fn each_new_row_answers_one_replay_at_most(orig in arb_rows(), newest in arb_rows()) {
        let found = match_replays(&orig, &newest, T0);
        prop_assert_eq!(found.len(), orig.len());
        let ids: Vec<&String> = found.iter().flatten().collect();
        let unique: std::collections::HashSet<&&String> = ids.iter().collect();
        prop_assert_eq!(unique.len(), ids.len());
        for id in ids {
            prop_assert!(!orig.iter().any(|o| &o.id == id));
        }
    }
}
