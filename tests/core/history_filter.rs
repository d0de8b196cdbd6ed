//! History that finds the failures: outcomes of outgoing call rows, filters, counts and the
//! filter in the page address.

use std::collections::BTreeSet;

use hookpanel::core::history_filter::{
    counts, events, format_time, parse_time, row_time, HistoryFilter, Outcome,
};
use hookpanel::core::model::HistoryEntry;
use proptest::prelude::*;
use serde_json::{json, Value};

fn row(v: Value) -> HistoryEntry {
    HistoryEntry::from_json(&v)
}

fn base(id: &str, extra: Value) -> Value {
    let mut v = json!({
        "_id": id, "type": "outgoing-webhook", "integration": {"_id": "out1"},
        "event": "sendMessage", "_createdAt": "2026-11-28T08:00:00.000Z",
        "_updatedAt": "2026-11-28T08:00:01.000Z", "ranPrepareScript": true, "finished": false,
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

#[test]
fn outcome_of_each_kind_of_row() {
    let table = [
        (
            json!({"step": "url-response-sent-message", "finished": true}),
            Outcome::Success,
        ),
        (
            json!({"step": "after-process-send-message", "finished": true}),
            Outcome::Success,
        ),
        (
            json!({"step": "after-prepare-no-opts", "finished": true}),
            Outcome::Success,
        ),
        // A 2xx answer some servers never mark finished.
        (
            json!({"step": "after-http-call", "httpResult": "\"ok\""}),
            Outcome::Success,
        ),
        (
            json!({"step": "going-to-retry-2", "error": true}),
            Outcome::Retrying,
        ),
        (
            json!({"step": "too-many-retries", "error": true}),
            Outcome::Failed,
        ),
        (json!({"step": "too-many-retries"}), Outcome::Failed),
        (
            json!({"step": "failed-and-not-configured-to-retry", "error": true}),
            Outcome::Failed,
        ),
        (
            json!({"step": "failed-and-retry-delay-is-invalid"}),
            Outcome::Failed,
        ),
        (
            json!({"step": "after-process-http-status-500", "error": true}),
            Outcome::Failed,
        ),
        (
            json!({"step": "after-process-http-status-410"}),
            Outcome::Failed,
        ),
        (
            json!({"step": "after-http-call", "httpError": {"message": "ECONNREFUSED"}}),
            Outcome::Failed,
        ),
        (
            json!({"step": "execute-script-error-running-prepare_outgoing_request", "error": true, "errorStack": "x"}),
            Outcome::Failed,
        ),
        (
            json!({"step": "after-prepare-send-message-failed"}),
            Outcome::Failed,
        ),
        (
            json!({"step": "url-response-error", "error": "invalid-channel", "finished": true}),
            Outcome::Failed,
        ),
        (
            json!({"step": "start-execute-trigger-url"}),
            Outcome::Pending,
        ),
        (
            json!({"step": "pre-http-call", "url": "https://x"}),
            Outcome::Pending,
        ),
        (json!({}), Outcome::Pending),
    ];
    for (extra, want) in table {
        let r = row(base("h", extra.clone()));
        assert_eq!(Outcome::of(&r), want, "{extra}");
    }
    // Odd rows never panic.
    for odd in [
        json!(null),
        json!([1]),
        json!({"step": 5, "error": {"x": 1}, "finished": "yes"}),
    ] {
        let _ = Outcome::of(&row(odd));
    }
}

fn sample() -> Vec<HistoryEntry> {
    vec![
        row(base(
            "ok",
            json!({
                "step": "url-response-sent-message", "finished": true, "url": "https://ci.example/Deploy",
                "httpCallData": {"text": "!deploy web-frontend", "user_name": "alice"},
                "httpResult": "\"{\\\"text\\\":\\\"Deploying web-frontend…\\\"}\"",
            }),
        )),
        row(base(
            "fail",
            json!({
                "step": "too-many-retries", "error": true, "url": "https://ci.example/deploy",
                "_createdAt": "2026-11-28T09:30:00.000Z",
                "httpResult": "\"Service temporarily unavailable\"",
            }),
        )),
        row(base(
            "retry",
            json!({
                "step": "going-to-retry-1", "error": true, "event": "roomJoined",
                "_createdAt": "2026-11-27T23:59:59.999Z", "url": "https://other.example",
            }),
        )),
        row(base(
            "run",
            json!({"step": "pre-http-call", "_createdAt": {"$date": 1_795_824_000_000_i64}}),
        )),
        row(base(
            "nodate",
            json!({"step": "start-execute-trigger-url", "_createdAt": null, "_updatedAt": null}),
        )),
    ]
}

fn ids(rows: Vec<&HistoryEntry>) -> Vec<&str> {
    rows.into_iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn filters_by_outcome_event_time_and_search() {
    let rows = sample();
    let mut f = HistoryFilter::default();
    assert!(f.is_empty());
    assert_eq!(f.apply(&rows).len(), rows.len());

    f.toggle(Outcome::Failed);
    f.toggle(Outcome::Retrying);
    assert_eq!(ids(f.apply(&rows)), vec!["fail", "retry"]);
    f.toggle(Outcome::Retrying);
    assert_eq!(ids(f.apply(&rows)), vec!["fail"]);

    let f = HistoryFilter {
        event: Some("roomJoined".into()),
        ..HistoryFilter::default()
    };
    assert_eq!(ids(f.apply(&rows)), vec!["retry"]);

    let f = HistoryFilter {
        from: parse_time("2026-11-28T08:00:00Z"),
        to: parse_time("2026-11-28T09:00:00Z"),
        ..HistoryFilter::default()
    };
    // Rows without a date drop out of a time range; the EJSON date (2026-11-28T00:00Z) too.
    assert_eq!(ids(f.apply(&rows)), vec!["ok"]);
    let f = HistoryFilter {
        from: parse_time("2026-11-28"),
        ..HistoryFilter::default()
    };
    assert_eq!(ids(f.apply(&rows)), vec!["ok", "fail", "run"]);

    // Search: URL (any case), data sent, the answer (decoded once), keys too.
    let search = |q: &str| {
        ids(HistoryFilter {
            search: q.into(),
            ..HistoryFilter::default()
        }
        .apply(&rows))
    };
    assert_eq!(search("CI.EXAMPLE/deploy"), vec!["ok", "fail"]);
    assert_eq!(search("web-FRONTEND"), vec!["ok"]);
    assert_eq!(search("deploying web-frontend…"), vec!["ok"]);
    assert_eq!(search("\"text\":\"Deploying"), vec!["ok"]);
    assert_eq!(search("temporarily"), vec!["fail"]);
    assert_eq!(search("user_name"), vec!["ok"]);
    assert_eq!(search("   "), vec!["ok", "fail", "retry", "run", "nodate"]);
    assert_eq!(search("nowhere"), Vec::<&str>::new());
}

#[test]
fn counts_per_outcome_follow_the_other_filters() {
    let rows = sample();
    let all = counts(&rows);
    assert_eq!(
        (all.success, all.failed, all.retrying, all.pending),
        (1, 1, 1, 2)
    );
    assert_eq!(all.total(), rows.len());
    // Chip counts ignore the outcome selection itself but follow the search.
    let mut f = HistoryFilter {
        search: "example".into(),
        ..HistoryFilter::default()
    };
    f.toggle(Outcome::Success);
    let c = f.counts(&rows);
    assert_eq!((c.success, c.failed, c.retrying, c.pending), (1, 1, 1, 0));
    assert_eq!(c.get(Outcome::Failed), 1);
    assert_eq!(
        events(&rows),
        vec!["roomJoined".to_owned(), "sendMessage".to_owned()]
    );
}

#[test]
fn query_string_table() {
    let mut f = HistoryFilter::default();
    assert_eq!(f.query_string(), "");
    f.toggle(Outcome::Retrying);
    f.toggle(Outcome::Failed);
    f.search = "a&b=c d".into();
    f.from = parse_time("2026-11-28T08:00:00Z");
    f.to = parse_time("2026-11-28T08:00:00.5Z");
    assert_eq!(
        f.query_string(),
        "outcome=failed%2Cretrying&from=2026-11-28T08%3A00%3A00Z&to=2026-11-28T08%3A00%3A00.500Z&q=a%26b%3Dc%20d"
    );
    assert_eq!(
        HistoryFilter::from_query(&format!("?{}", f.query_string())),
        f
    );
    // Unknown outcomes, bad dates and extra keys are ignored; `+` reads as a space.
    let g = HistoryFilter::from_query("outcome=failed,bogus&from=yesterday&tab=x&q=a+b%zz");
    assert_eq!(g.outcomes, BTreeSet::from([Outcome::Failed]));
    assert_eq!(g.from, None);
    assert_eq!(g.search, "a b%zz");
}

#[test]
fn times_read_as_servers_and_date_inputs_write_them() {
    let t = |s: &str| parse_time(s);
    assert_eq!(t("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(t("1970-01-01"), Some(0));
    assert_eq!(
        t("2026-11-28T08:00:00.000Z"),
        Some(1_795_824_000_000 + 8 * 3_600_000)
    );
    assert_eq!(t("2026-11-28T10:00+02:00"), t("2026-11-28T08:00Z"));
    assert_eq!(
        t("2026-11-28T08:00:00.1234Z"),
        t("2026-11-28T08:00:00.123Z")
    );
    assert_eq!(t("1795852800000"), Some(1_795_852_800_000));
    assert_eq!(t("2024-02-29"), Some(19_782 * 86_400_000));
    for bad in [
        "",
        "2023-02-29",
        "2026-13-01",
        "2026-11-28T25:00Z",
        "2026-11-28T08:00+99:00",
        "28/11/2026",
        "2026-11-28Tfoo",
        "２０２６-11-28",
    ] {
        assert_eq!(t(bad), None, "{bad}");
    }
    assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
    assert_eq!(format_time(-1), "1969-12-31T23:59:59.999Z");
    assert_eq!(row_time(&sample()[3]), Some(1_795_824_000_000));
    assert_eq!(row_time(&sample()[4]), None);
}

fn arb_row() -> impl Strategy<Value = HistoryEntry> {
    (
        prop::sample::select(vec![
            "url-response-sent-message",
            "going-to-retry-1",
            "too-many-retries",
            "pre-http-call",
            "after-http-call",
            "",
            "weird-step",
        ]),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(".{0,20}"),
        prop::option::of(".{0,20}"),
        prop::sample::select(vec!["sendMessage", "roomJoined", ""]),
        prop::option::of(0i64..4_000_000_000_000),
    )
        .prop_map(|(step, finished, error, url, result, event, at)| {
            row(json!({
                "_id": "x", "step": step, "finished": finished, "error": error, "url": url,
                "httpResult": result, "event": event,
                "_createdAt": at.map(format_time), "httpCallData": {"text": "Hello Wörld"},
            }))
        })
}

fn arb_filter() -> impl Strategy<Value = HistoryFilter> {
    (
        proptest::collection::btree_set(prop::sample::select(Outcome::ALL.to_vec()), 0..=4),
        prop::option::of(".{0,12}"),
        prop::option::of(-62_135_596_800_000i64..253_402_300_799_999),
        prop::option::of(-62_135_596_800_000i64..253_402_300_799_999),
        ".{0,16}",
    )
        .prop_map(|(outcomes, event, from, to, search)| HistoryFilter {
            outcomes,
            event,
            from,
            to,
            search,
        })
}

proptest! {
    #[test]
    fn every_outcome_selected_and_no_other_filter_keeps_all_rows(
        rows in proptest::collection::vec(arb_row(), 0..20),
    ) {
        let f = HistoryFilter { outcomes: Outcome::ALL.into_iter().collect(), ..HistoryFilter::default() };
        prop_assert_eq!(f.apply(&rows).len(), rows.len());
        prop_assert_eq!(HistoryFilter::default().apply(&rows).len(), rows.len());
    }

    #[test]
    fn counts_sum_to_the_rows_and_match_the_outcome_filters(
        rows in proptest::collection::vec(arb_row(), 0..20),
        filter in arb_filter(),
    ) {
        prop_assert_eq!(counts(&rows).total(), rows.len());
        // Each chip's count is what selecting only that outcome shows.
        let c = filter.counts(&rows);
        for o in Outcome::ALL {
            let only = HistoryFilter { outcomes: BTreeSet::from([o]), ..filter.clone() };
            prop_assert_eq!(c.get(o), only.apply(&rows).len());
        }
        // Filtering never adds rows, and a narrower outcome set keeps a subset.
        prop_assert!(filter.apply(&rows).len() <= c.total());
    }

    #[test]
    fn search_is_case_insensitive(rows in proptest::collection::vec(arb_row(), 0..10), q in "[a-zA-Zö]{1,4}") {
        let lower = HistoryFilter { search: q.to_lowercase(), ..HistoryFilter::default() };
        let upper = HistoryFilter { search: q.to_uppercase(), ..HistoryFilter::default() };
        prop_assert_eq!(lower.apply(&rows).len(), upper.apply(&rows).len());
    }

    #[test]
    fn query_string_round_trips(filter in arb_filter()) {
        let q = filter.query_string();
        prop_assert_eq!(HistoryFilter::from_query(&q), filter.clone());
        prop_assert_eq!(HistoryFilter::from_query(&format!("?{q}")), filter);
    }

    #[test]
    fn time_format_round_trips(ms in -62_135_596_800_000i64..253_402_300_799_999) {
        prop_assert_eq!(parse_time(&format_time(ms)), Some(ms));
    }

    #[test]
    fn parsing_any_text_never_panics(text in ".{0,40}") {
        let _ = parse_time(&text);
        let _ = HistoryFilter::from_query(&text);
    }
}
