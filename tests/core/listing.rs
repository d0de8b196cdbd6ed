//! The list page's rules: address state, search, order, enable/disable, bulk summaries and
//! import checks.

use crate::support::schema::{check_save, Op};
use crate::support::{ctx, ctx_with, stored_incoming, stored_outgoing, v};
use hookpanel::core::export;
use hookpanel::core::listing::{
    self, check_import, compare, needle, page_count, range_text, search_text, set_enabled,
    short_date, summary, Bulk, ListState, Outcome, Sort, Tab, ORDERS, PAGE_SIZES,
};
use hookpanel::core::model::{Integration, Kind};
use hookpanel::core::permissions::Permissions;
use hookpanel::core::request::{Method, SortField};
use hookpanel::core::version::ServerVersion;
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

fn state_of(query: &[(&str, &str)]) -> ListState {
    let map: HashMap<String, String> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ListState::read(&|k| map.get(k).cloned())
}

fn incoming() -> Integration {
    Integration::from_json(&stored_incoming()).unwrap()
}

fn outgoing() -> Integration {
    Integration::from_json(&stored_outgoing()).unwrap()
}

fn named(name: &str, created: &str, updated: &str) -> Integration {
    let mut doc = stored_incoming();
    doc["name"] = json!(name);
    doc["_id"] = json!(format!("id-{name}"));
    doc["_createdAt"] = json!(created);
    doc["_updatedAt"] = json!(updated);
    Integration::from_json(&doc).unwrap()
}

#[test]
fn address_state_reads_every_parameter_and_falls_back_on_bad_values() {
    let cases: &[(&[(&str, &str)], ListState)] = &[
        (&[], ListState::default()),
        (
            &[
                ("tab", "outgoing"),
                ("q", "deploy bot"),
                ("sort", "updated"),
                ("dir", "desc"),
                ("page", "3"),
                ("size", "100"),
                ("failing", "1"),
            ],
            ListState {
                tab: Tab::Outgoing,
                search: "deploy bot".into(),
                sort: Sort::Updated,
                descending: true,
                page: 3,
                size: 100,
                failing: true,
            },
        ),
        (
            &[
                ("tab", "zapier"),
                ("sort", "ts"),
                ("dir", "up"),
                ("page", "0"),
                ("size", "7"),
                ("failing", "yes"),
            ],
            ListState::default(),
        ),
        (&[("page", "-2"), ("size", "1e3")], ListState::default()),
        (
            &[("page", "99999999999"), ("tab", "incoming")],
            ListState {
                tab: Tab::Incoming,
                ..ListState::default()
            },
        ),
    ];
    for (query, want) in cases {
        assert_eq!(&state_of(query), want, "{query:?}");
    }
}

#[test]
fn address_state_round_trips_and_omits_defaults() {
    assert_eq!(ListState::default().query_string(), "");
    let s = ListState {
        tab: Tab::Incoming,
        search: "#dev & ops".into(),
        sort: Sort::Created,
        descending: true,
        page: 2,
        size: 50,
        failing: true,
    };
    assert_eq!(
        s.query_string(),
        "tab=incoming&q=%23dev%20%26%20ops&sort=created&dir=desc&page=2&size=50&failing=1"
    );
    // Blank search is not written; a paged state keeps everything else.
    let blank = ListState {
        search: "   ".into(),
        ..ListState::default()
    };
    assert_eq!(blank.query_string(), "");
    assert_eq!(s.at_page(0).page, 1);
    assert_eq!(s.at_page(5).query_string().matches("page=5").count(), 1);
}

#[test]
fn server_query_follows_the_state() {
    let s = state_of(&[
        ("tab", "outgoing"),
        ("q", "  bot "),
        ("sort", "updated"),
        ("dir", "desc"),
        ("page", "3"),
        ("size", "50"),
    ]);
    let q = s.list_query();
    assert_eq!(q.count, 50);
    assert_eq!(q.offset, 100);
    assert_eq!(q.sort, SortField::UpdatedAt);
    assert!(q.descending);
    assert_eq!(q.name, "bot");
    assert_eq!(q.kind, Some(Kind::Outgoing));
    let path = hookpanel::core::request::list(&q, &v(8, 8)).path;
    assert!(path.contains("sort=%7B%22_updatedAt%22%3A-1%7D"), "{path}");
    for (sort, field) in [
        (Sort::Name, SortField::Name),
        (Sort::Created, SortField::CreatedAt),
        (Sort::Updated, SortField::UpdatedAt),
    ] {
        assert_eq!(sort.field(), field);
    }
}

#[test]
fn every_offered_order_survives_the_address() {
    for (sort, descending, label) in ORDERS {
        let s = ListState {
            sort,
            descending,
            ..ListState::default()
        };
        let map: HashMap<String, String> = s
            .query_string()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let back = ListState::read(&|k| map.get(k).cloned());
        assert_eq!((back.sort, back.descending), (sort, descending), "{label}");
    }
    for size in PAGE_SIZES {
        assert!(size <= hookpanel::core::request::MAX_PAGE);
    }
}

#[test]
fn tabs_show_their_kind() {
    let cases = [
        (Tab::All, Kind::Incoming, true),
        (Tab::All, Kind::Outgoing, true),
        (Tab::Incoming, Kind::Incoming, true),
        (Tab::Incoming, Kind::Outgoing, false),
        (Tab::Outgoing, Kind::Incoming, false),
        (Tab::Outgoing, Kind::Outgoing, true),
    ];
    for (tab, kind, shown) in cases {
        assert_eq!(tab.shows(kind), shown, "{tab:?} {kind:?}");
    }
}

#[test]
fn paging_texts() {
    let cases = [
        (0, 25, 1),
        (1, 25, 1),
        (25, 25, 1),
        (26, 25, 2),
        (1010, 100, 11),
        (5, 0, 5),
    ];
    for (total, size, pages) in cases {
        assert_eq!(page_count(total, size), pages, "{total}/{size}");
    }
    assert_eq!(range_text(0, 0, 0), "No integrations");
    assert_eq!(range_text(0, 1, 1), "Showing 1 of 1");
    assert_eq!(range_text(25, 25, 103), "Showing 26–50 of 103");
    assert_eq!(range_text(100, 3, 103), "Showing 101–103 of 103");
    assert_eq!(range_text(200, 0, 103), "None of 103 on this page");
}

#[test]
fn search_covers_name_channels_urls_trigger_words_and_target_room() {
    let out = outgoing();
    let text = search_text(&out);
    let cases = [
        ("deploy", true),
        ("DEPLOY BOT", true),
        ("#ops", true),
        ("all_public", true),
        ("bot.example.com/hook", true),
        ("legacy.example", true),
        ("!rollback", true),
        ("rocket.cat", false),
        ("s3cr3t", false),
        ("powers", false),
    ];
    for (q, hit) in cases {
        assert_eq!(text.contains(&needle(q)), hit, "{q}");
    }
    let inc = search_text(&incoming());
    assert!(inc.contains(&needle(" @Bob ")));
    assert!(!inc.contains(&needle("AbCdEf")), "tokens are not searched");
    let mut welcome = stored_outgoing();
    welcome["event"] = json!("userCreated");
    welcome["channel"] = json!([]);
    welcome["targetRoom"] = json!("#welcome");
    let welcome = Integration::from_json(&welcome).unwrap();
    assert!(search_text(&welcome).contains("#welcome"));
    assert_eq!(needle("  MiXeD "), "mixed");
}

#[test]
fn order_by_name_dates_and_stable_ties() {
    let a = named(
        "alpha",
        "2024-01-02T00:00:00.000Z",
        "2024-03-01T00:00:00.000Z",
    );
    let b = named(
        "Beta",
        "2024-01-01T00:00:00.000Z",
        "2024-02-01T00:00:00.000Z",
    );
    let b2 = named(
        "beta",
        "2024-01-01T00:00:00.000Z",
        "2024-02-01T00:00:00.000Z",
    );
    let cases = [
        (&a, &b, Sort::Name, Ordering::Less),
        (&b, &a, Sort::Created, Ordering::Less),
        (&b, &a, Sort::Updated, Ordering::Less),
        (&a, &b, Sort::Updated, Ordering::Greater),
        // Same name without letter case and same dates: the id decides, never Equal.
        (&b, &b2, Sort::Name, Ordering::Less),
        (&b, &b2, Sort::Created, Ordering::Less),
        (&a, &a, Sort::Name, Ordering::Equal),
    ];
    for (x, y, sort, want) in cases {
        assert_eq!(
            compare(x, y, sort),
            want,
            "{} vs {} by {sort:?}",
            x.common().name,
            y.common().name
        );
    }
    // A document without dates sorts first instead of failing.
    let mut bare = stored_incoming();
    bare.as_object_mut().unwrap().remove("_createdAt");
    let bare = Integration::from_json(&bare).unwrap();
    assert_eq!(compare(&bare, &a, Sort::Created), Ordering::Less);
}

#[test]
fn short_dates() {
    assert_eq!(short_date(Some("2024-05-01T10:00:00.000Z")), "2024-05-01");
    assert_eq!(short_date(Some("2024")), "2024");
    assert_eq!(short_date(Some("")), "");
    assert_eq!(short_date(None), "");
    // A multi-byte character at the cut does not panic.
    assert_eq!(short_date(Some("2024-05-0é1")), "2024-05-0é1");
}

fn body(req: &hookpanel::core::request::ApiRequest) -> &Value {
    req.body.as_ref().unwrap()
}

#[test]
fn enable_and_disable_send_the_whole_object_per_version() {
    for version in [(6, 3), (6, 13), (7, 0), (8, 4), (8, 8), (9, 0)] {
        let f = v(version.0, version.1);
        let sv = Some(ServerVersion::new(version.0, version.1, 0));
        for stored in [incoming(), outgoing()] {
            for enabled in [true, false] {
                let req = set_enabled(&stored, enabled, &ctx(f)).unwrap();
                assert_eq!(req.method, Method::Put);
                assert_eq!(req.path, "/api/v1/integrations.update");
                let b = body(&req);
                assert_eq!(b["enabled"], json!(enabled));
                assert_eq!(b["integrationId"], json!(stored.id()));
                assert_eq!(b["type"], json!(stored.kind().api_name()));
                // The rest of the object goes along unchanged.
                assert_eq!(b["name"], json!(stored.common().name));
                assert_eq!(b["channel"], json!(stored.channel_text()));
                assert_eq!(b["script"], json!(stored.common().script.clone().unwrap()));
                check_save(stored.kind(), Op::Update, b, sv)
                    .unwrap_or_else(|e| panic!("{version:?} {:?}: {e}", stored.kind()));
            }
        }
    }
    let out = set_enabled(&outgoing(), true, &ctx(v(8, 8))).unwrap();
    assert_eq!(body(&out)["token"], json!("s3cr3t-t0ken-0123456789abcdef"));
    assert_eq!(
        body(&out)["urls"],
        json!([
            "https://bot.example.com/hook",
            "http://legacy.example.com/x"
        ])
    );
}

#[test]
fn enable_refuses_what_validation_refuses() {
    // A stored document the server would refuse now (no post-as user).
    let mut broken = stored_incoming();
    broken["username"] = json!("");
    let broken = Integration::from_json(&broken).unwrap();
    let reason = set_enabled(&broken, true, &ctx(v(8, 8))).unwrap_err();
    assert!(reason.starts_with("Post as:"), "{reason}");
    // Full-permission-only users cannot target @users (the server refuses them too).
    let carol = Permissions {
        manage_incoming: true,
        manage_outgoing: true,
        ..Permissions::default()
    };
    let refused = set_enabled(&incoming(), false, &ctx_with(v(8, 8), &carol)).unwrap_err();
    assert!(refused.contains("@user"), "{refused}");
}

#[test]
fn bulk_summaries() {
    let ok = |n: &str| (n.to_owned(), Outcome::Done);
    type Case = (Bulk, Vec<(String, Outcome)>, &'static str);
    let cases: Vec<Case> = vec![
        (Bulk::Disable, vec![ok("A"), ok("B"), ok("C")], "3 disabled"),
        (
            Bulk::Disable,
            vec![
                ok("A"),
                ok("B"),
                ok("C"),
                ("Ops".into(), Outcome::Failed("Not a member.".into())),
            ],
            "3 disabled, 1 failed: Ops — Not a member.",
        ),
        (
            Bulk::Enable,
            vec![
                ok("A"),
                ("B".into(), Outcome::Unchanged),
                ("C".into(), Outcome::Failed("x".into())),
                ("D".into(), Outcome::Failed("y".into())),
            ],
            "1 enabled, 1 already enabled, 2 failed: C — x; D — y",
        ),
        (
            Bulk::Delete,
            vec![("A".into(), Outcome::Failed("Gone.".into()))],
            "0 deleted, 1 failed: A — Gone.",
        ),
        (Bulk::Delete, vec![], "0 deleted"),
    ];
    for (action, results, want) in cases {
        assert_eq!(summary(action, &results), want);
    }
    assert_eq!(listing::count_text(1), "1 integration");
    assert_eq!(listing::count_text(3), "3 integrations");
    let states: Vec<_> = Bulk::ALL.iter().map(|b| b.target_state()).collect();
    assert_eq!(states, vec![Some(true), Some(false), None]);
}

#[test]
fn import_preview_checks_each_entry_against_this_server() {
    let list = vec![incoming(), outgoing()];
    let text = export::export_text(&list, false);
    let mut broken: Value = serde_json::from_str(&text).unwrap();
    let entries = broken["integrations"].as_array_mut().unwrap();
    let mut no_user = entries[0].clone();
    no_user["username"] = json!("");
    no_user["name"] = json!("No user");
    entries.push(no_user);
    entries.push(json!({"type": "webhook-zapier", "name": "Zap"}));
    let mut vm2 = entries[0].clone();
    vm2["name"] = json!("Old sandbox");
    vm2["scriptEngine"] = json!("vm2");
    vm2["scriptEnabled"] = json!(true);
    entries.push(vm2);
    let text = broken.to_string();

    let mut n = 0;
    let import = export::import(&text, &mut || {
        n += 1;
        format!("fresh-token-{n:020}")
    });
    let rows = check_import(&import, &ctx(v(8, 8)), &["ci NOTICES", "Other"]);
    assert_eq!(rows.len(), 5);

    let ci = &rows[0];
    assert_eq!((ci.number, ci.label.as_str()), (1, "CI notices"));
    assert_eq!(ci.kind, Some(Kind::Incoming));
    assert_eq!(ci.target, "#general, @bob");
    assert!(ci.exists, "names compare without letter case");
    assert!(ci.problems.is_empty(), "{:?}", ci.problems);
    let req = ci.request.as_ref().unwrap();
    assert_eq!(
        (req.method, req.path.as_str()),
        (Method::Post, "/api/v1/integrations.create")
    );
    check_save(
        Kind::Incoming,
        Op::Create,
        body(req),
        Some(ServerVersion::new(8, 8, 0)),
    )
    .unwrap();

    let bot = &rows[1];
    assert!(!bot.exists);
    assert_eq!(
        bot.target,
        "Message sent in #ops, all_public_channels → https://bot.example.com/hook, http://legacy.example.com/x"
    );
    let b = body(bot.request.as_ref().unwrap());
    assert_eq!(b["token"], json!("fresh-token-00000000000000000001"));
    assert!(bot.notes.iter().any(|n| n.contains("new random token")));
    check_save(
        Kind::Outgoing,
        Op::Create,
        b,
        Some(ServerVersion::new(8, 8, 0)),
    )
    .unwrap();

    assert!(rows[2].request.is_none());
    assert!(
        rows[2].problems[0].starts_with("Post as:"),
        "{:?}",
        rows[2].problems
    );
    assert_eq!(rows[3].kind, None);
    assert!(rows[3].problems[0].contains("webhook-zapier"));
    assert!(rows[3].request.is_none());
    // vm2 is gone from 7.0 on, and still offered on 6.13.
    assert!(rows[4].request.is_none(), "vm2 on 8.8");
    let old = check_import(&import, &ctx(v(6, 13)), &[]);
    assert!(old[4].request.is_some(), "{:?}", old[4].problems);
    assert!(!old[0].exists);
}

#[test]
fn import_preview_applies_the_person_s_permissions() {
    let import = export::import(
        &export::export_text(&[incoming(), outgoing()], true),
        &mut || "unused".into(),
    );
    let incoming_only = Permissions {
        manage_incoming: true,
        manage_own_incoming: true,
        ..Permissions::default()
    };
    let rows = check_import(&import, &ctx_with(v(8, 8), &incoming_only), &[]);
    assert!(rows[0].request.is_some(), "{:?}", rows[0].problems);
    assert_eq!(
        rows[1].problems,
        vec!["Your role cannot create outgoing webhooks.".to_owned()]
    );
    assert!(rows[1].request.is_none());
    // The exported token is kept when it was exported.
    let all = check_import(&import, &ctx_with(v(8, 8), &Permissions::all()), &[]);
    assert_eq!(
        body(all[1].request.as_ref().unwrap())["token"],
        json!("s3cr3t-t0ken-0123456789abcdef")
    );
}
