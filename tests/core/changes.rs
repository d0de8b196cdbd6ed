//! Safe changes (issue 15): field diff with breaking rules, the script line diff, the
//! three-way merge that loses no update, and incoming token rotation.

use hookpanel::core::changes::lines::{self, DiffRow, LineOp};
use hookpanel::core::changes::merge::{self, changed_since, Merge, Side};
use hookpanel::core::changes::rotate::{self, Role};
use hookpanel::core::changes::{self, Impact};
use hookpanel::core::field::Field;
use hookpanel::core::form::Form;
use hookpanel::core::model::{Incoming, Integration};
use hookpanel::core::request::Method;
use hookpanel::core::version::{Features, ServerVersion};
use proptest::prelude::*;
use serde_json::{json, Value};

fn outgoing_doc() -> Value {
    json!({
        "_id": "out1", "type": "webhook-outgoing", "name": "Deploy bot", "enabled": true,
        "event": "sendMessage", "channel": ["#dev"], "triggerWords": ["!deploy", "!ship"],
        "urls": ["https://ci.example/hook"], "username": "rocket.cat",
        "token": "s3cr3t-token-abcdefghijklmnopWXYZ", "scriptEnabled": true,
        "script": "class Script {\n  prepare_outgoing_request({ request }) {\n    return request;\n  }\n}\n",
        "retryFailedCalls": true, "retryCount": 6, "retryDelay": "powers-of-ten",
        "triggerWordAnywhere": false, "runOnEdits": true, "impersonateUser": false,
        "alias": "Deployer",
        "_updatedAt": "2026-11-27T10:00:00.000Z",
        "_updatedBy": {"_id": "u1", "username": "admin"}
    })
}

fn incoming_doc() -> Value {
    json!({
        "_id": "inc1", "type": "webhook-incoming", "name": "CI notices", "enabled": true,
        "channel": ["#general", "@bob"], "username": "rocket.cat", "token": "OLDTOKEN",
        "scriptEnabled": false, "script": "", "scriptEngine": "isolated-vm",
        "overrideDestinationChannelEnabled": true, "alias": "CI", "emoji": ":robot:",
        "avatar": "", "skipTranspile": true,
        "_createdAt": "2026-01-01T00:00:00.000Z", "_updatedAt": "2026-01-02T00:00:00.000Z"
    })
}

fn read(v: &Value) -> Integration {
    Integration::from_json(v).expect("integration")
}

fn form(v: &Value) -> Form {
    Form::from_stored(&read(v))
}

fn with(v: &Value, changes: &[(&str, Value)]) -> Value {
    let mut v = v.clone();
    for (k, x) in changes {
        v[*k] = x.clone();
    }
    v
}

// ---------------------------------------------------------------- field changes

#[test]
fn an_unchanged_form_has_no_changes_and_needs_no_review() {
    for doc in [outgoing_doc(), incoming_doc()] {
        let f = form(&doc);
        let r = changes::review(&f, &f);
        assert!(r.is_empty());
        assert!(!r.needs_review());
        assert!(r.script.is_none());
    }
}

#[test]
fn every_breaking_field_is_classified_breaking_with_old_and_new_shown() {
    let base = form(&outgoing_doc());
    // (field, new value, expected display old, expected display new)
    let table: [(Field, &str, &str, &str); 6] = [
        (Field::Channel, "#ops", "#dev", "#ops"),
        (Field::PostAs, "deploy.bot", "rocket.cat", "deploy.bot"),
        (
            Field::Urls,
            "https://other.example/x",
            "https://ci.example/hook",
            "https://other.example/x",
        ),
        (
            Field::Event,
            "roomJoined",
            "Message sent",
            "User joined room",
        ),
        (Field::TriggerWords, "!deploy", "!deploy, !ship", "!deploy"),
        (Field::TargetRoom, "#results", "(empty)", "#results"),
    ];
    for (field, value, old, new) in table {
        let mut after = base.clone();
        after.set_text(field, value.into());
        let r = changes::review(&base, &after);
        assert_eq!(r.changes.len(), 1, "{field:?}: {:?}", r.changes);
        let c = &r.changes[0];
        assert_eq!(c.field, field);
        assert_eq!((c.old.as_str(), c.new.as_str()), (old, new), "{field:?}");
        assert!(c.impact.is_breaking(), "{field:?}");
        assert!(r.needs_review(), "{field:?}");
    }
}

#[test]
fn toggles_break_only_in_the_direction_that_stops_deliveries() {
    let base = form(&outgoing_doc());
    // (field, new value, breaking?)
    let table = [
        (Field::Enabled, false, true),
        (Field::RetryFailedCalls, false, true),
        (Field::RunOnEdits, false, true),
        (Field::TriggerWordAnywhere, true, false),
        (Field::ScriptEnabled, false, true),
        (Field::ImpersonateUser, true, true),
    ];
    for (field, value, breaking) in table {
        let mut after = base.clone();
        after.set_flag(field, value);
        let r = changes::review(&base, &after);
        assert_eq!(r.changes.len(), 1, "{field:?}");
        assert_eq!(r.changes[0].impact.is_breaking(), breaking, "{field:?}");
        let on_off = if value { ("Off", "On") } else { ("On", "Off") };
        assert_eq!(
            (r.changes[0].old.as_str(), r.changes[0].new.as_str()),
            on_off
        );
        // The reverse change (back to the stored value) breaks only if this one does not.
        let back = changes::review(&after, &base);
        assert_eq!(back.changes.len(), 1);
    }
    let mut off = base.clone();
    off.set_flag(Field::Enabled, false);
    let r = changes::review(&off, &base);
    assert_eq!(
        r.changes[0].impact,
        Impact::Cosmetic,
        "enabling again is safe"
    );
}

#[test]
fn cosmetic_fields_do_not_ask_for_a_review() {
    let base = form(&outgoing_doc());
    let mut after = base.clone();
    after.set_text(Field::Name, "Deploy bot v2".into());
    after.set_text(Field::Alias, "CD".into());
    after.set_text(Field::Emoji, ":rocket:".into());
    after.set_text(Field::RetryCount, "3".into());
    after.set_text(Field::RetryDelay, "powers-of-two".into());
    let r = changes::review(&base, &after);
    let fields: Vec<Field> = r.changes.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        vec![
            Field::Name,
            Field::Alias,
            Field::Emoji,
            Field::RetryCount,
            Field::RetryDelay
        ],
        "form order"
    );
    assert!(r.changes.iter().all(|c| c.impact == Impact::Cosmetic));
    assert!(!r.needs_review());
    let delay = r
        .changes
        .iter()
        .find(|c| c.field == Field::RetryDelay)
        .unwrap();
    assert_eq!(
        (delay.old.as_str(), delay.new.as_str()),
        ("Powers of ten", "Powers of two")
    );
}

#[test]
fn spacing_the_server_drops_is_not_a_change() {
    let base = form(&outgoing_doc());
    let mut after = base.clone();
    after.set_text(Field::Channel, "  #dev ,".into());
    after.set_text(Field::TriggerWords, "!deploy ,!ship, ".into());
    after.set_text(Field::Urls, "\n  https://ci.example/hook  \n\n".into());
    after.set_text(Field::PostAs, " rocket.cat ".into());
    after.set_text(Field::RetryDelay, "Powers-Of-Ten".into());
    assert_eq!(changes::changed_fields(&base, &after), Vec::<Field>::new());
    // But the name and the script are compared byte for byte.
    after.set_text(Field::Name, "Deploy bot ".into());
    assert_eq!(changes::changed_fields(&base, &after), vec![Field::Name]);
}

#[test]
fn tokens_are_masked_in_the_diff() {
    let base = form(&outgoing_doc());
    let mut after = base.clone();
    after.set_text(Field::Token, "NEWTOKEN-0123456789-abcdefgh-LAST".into());
    let r = changes::review(&base, &after);
    let c = &r.changes[0];
    assert_eq!(c.field, Field::Token);
    assert!(c.impact.is_breaking());
    assert!(!c.old.contains("s3cr3t"), "{}", c.old);
    assert!(!c.new.contains("NEWTOKEN"), "{}", c.new);
    assert_eq!(c.old, "hidden (33 characters, ending …WXYZ)");
    assert_eq!(c.new, "hidden (33 characters, ending …LAST)");
    assert_eq!(changes::mask("short"), "hidden (5 characters)");
}

#[test]
fn a_script_edit_comes_with_a_line_diff_and_breaks_when_the_script_runs() {
    let base = form(&outgoing_doc());
    let mut after = base.clone();
    let new_script = base.text(Field::Script).replace(
        "return request;",
        "request.url += '?v=2';\n    return request;",
    );
    after.set_text(Field::Script, new_script.clone());
    let r = changes::review(&base, &after);
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].old, "5 lines");
    assert_eq!(r.changes[0].new, "6 lines");
    assert!(
        r.needs_review(),
        "the script runs, so a new one can break it"
    );
    let d = r.script.as_ref().expect("script diff");
    assert_eq!((d.added(), d.removed()), (1, 0));
    assert_eq!(d.new_text(), new_script);
    // With the script off, editing it is cosmetic.
    let mut off = base.clone();
    off.set_flag(Field::ScriptEnabled, false);
    let mut off_after = off.clone();
    off_after.set_text(Field::Script, new_script);
    let r = changes::review(&off, &off_after);
    assert!(!r.needs_review());
}

#[test]
fn incoming_rules_use_the_incoming_labels() {
    let base = form(&incoming_doc());
    let mut after = base.clone();
    after.set_text(Field::Channel, "#general".into());
    after.set_flag(Field::OverrideDestination, false);
    let r = changes::review_stored(&read(&incoming_doc()), &after);
    let labels: Vec<&str> = r.changes.iter().map(|c| c.label).collect();
    assert_eq!(labels, vec!["Post to", "Override destination channel"]);
    assert!(r.changes.iter().all(|c| c.impact.is_breaking()));
    assert_eq!(r.breaking().count(), 2);
}

// ---------------------------------------------------------------- line diff

#[test]
fn line_diff_table() {
    // (old, new, expected ops as a compact string: ' ' same, '-' removed, '+' added)
    let table = [
        ("", "", ""),
        ("", "a", "+"),
        ("a", "", "-"),
        ("a\nb\nc", "a\nb\nc", "   "),
        ("a\nb\nc", "a\nc", " - "),
        ("a\nc", "a\nb\nc", " + "),
        ("a\nb\nc", "a\nB\nc", " -+ "),
        ("a\n", "a", " -"),
        ("a", "b\n", "-++"),
        ("x\na\nb\nc", "a\nb\nc\nx", "-   +"),
    ];
    for (old, new, ops) in table {
        let d = lines::diff(old, new);
        let got: String = d
            .lines
            .iter()
            .map(|l| match l.op {
                LineOp::Same => ' ',
                LineOp::Removed => '-',
                LineOp::Added => '+',
            })
            .collect();
        assert_eq!(got, ops, "{old:?} -> {new:?}");
        assert_eq!(d.old_text(), old);
        assert_eq!(d.new_text(), new);
    }
}

#[test]
fn line_numbers_follow_each_side() {
    let d = lines::diff("a\nb\nc", "a\nX\nc");
    let nums: Vec<(Option<usize>, Option<usize>)> =
        d.lines.iter().map(|l| (l.old_no, l.new_no)).collect();
    assert_eq!(
        nums,
        vec![
            (Some(1), Some(1)),
            (Some(2), None),
            (None, Some(2)),
            (Some(3), Some(3))
        ]
    );
    assert_eq!(d.summary(), "+1 −1");
}

#[test]
fn unchanged_context_is_collapsed() {
    let old: Vec<String> = (1..=20).map(|i| format!("line {i}")).collect();
    let mut new = old.clone();
    new[9] = "changed".into();
    let d = lines::diff(&old.join("\n"), &new.join("\n"));
    let rows = d.rows(lines::CONTEXT);
    // 6 hidden, 3 context, -, +, 3 context, 7 hidden.
    assert_eq!(rows.len(), 1 + 3 + 2 + 3 + 1);
    assert_eq!(
        rows[0],
        DiffRow::Skipped {
            count: 6,
            old_from: 1,
            new_from: 1
        }
    );
    assert_eq!(
        rows[9],
        DiffRow::Skipped {
            count: 7,
            old_from: 14,
            new_from: 14
        }
    );
    // A single hidden line is shown rather than collapsed.
    let d = lines::diff("a\nb\nc\nd\ne", "A\nb\nc\nd\nE");
    assert!(d.rows(1).iter().all(|r| matches!(r, DiffRow::Line(_))));
    // Nothing changed: one collapsed block.
    let d = lines::diff("a\nb\nc", "a\nb\nc");
    assert_eq!(
        d.rows(3),
        vec![DiffRow::Skipped {
            count: 3,
            old_from: 1,
            new_from: 1
        }]
    );
}

#[test]
fn a_huge_rewrite_falls_back_to_a_replacement_that_still_rebuilds_both_texts() {
    let old: String = (0..1500).map(|i| format!("old {i}\n")).collect();
    let new: String = (0..1500).map(|i| format!("new {i}\n")).collect();
    let d = lines::diff(&old, &new);
    assert_eq!(d.old_text(), old);
    assert_eq!(d.new_text(), new);
    assert_eq!(d.removed(), 1500);
    assert_eq!(d.added(), 1500);
}

fn text_from(lines: Vec<u8>) -> String {
    lines
        .into_iter()
        .map(|b| ["a", "b", "c", "", "d\r"][usize::from(b % 5)])
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #[test]
    fn line_diff_rebuilds_both_texts_and_is_minimal_on_equal_texts(
        a in proptest::collection::vec(any::<u8>(), 0..40),
        b in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let (old, new) = (text_from(a), text_from(b));
        let d = lines::diff(&old, &new);
        prop_assert_eq!(d.old_text(), old.clone());
        prop_assert_eq!(d.new_text(), new.clone());
        // Kept lines never exceed either side, and equal texts have no edits.
        let same = d.lines.iter().filter(|l| l.op == LineOp::Same).count();
        prop_assert_eq!(same + d.removed(), if old.is_empty() { 0 } else { old.split('\n').count() });
        prop_assert_eq!(same + d.added(), if new.is_empty() { 0 } else { new.split('\n').count() });
        let self_diff = lines::diff(&old, &old);
        prop_assert!(self_diff.is_unchanged());
        // Collapsing never loses a change.
        let shown = d.rows(2).iter().filter(|r| matches!(r, DiffRow::Line(l) if l.op != LineOp::Same)).count();
        prop_assert_eq!(shown, d.added() + d.removed());
    }

    #[test]
    fn line_diff_on_arbitrary_text_rebuilds_it(old in ".{0,200}", new in ".{0,200}") {
        let d = lines::diff(&old, &new);
        prop_assert_eq!(d.old_text(), old);
        prop_assert_eq!(d.new_text(), new);
    }
}

// ---------------------------------------------------------------- merge

#[test]
fn theirs_unchanged_means_not_stale_and_mine_is_saved_as_is() {
    let base = read(&outgoing_doc());
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Name, "Renamed".into());
    let m = Merge::new(&base, &mine, &base);
    assert!(!m.stale);
    assert!(m.other.is_none());
    assert!(!m.needs_attention());
    assert_eq!(m.mine_only, vec![Field::Name]);
    assert_eq!(m.resolve(&[]).unwrap(), mine);
}

#[test]
fn fields_only_they_changed_are_taken_and_mine_are_kept() {
    let base_doc = outgoing_doc();
    let theirs_doc = with(
        &base_doc,
        &[
            ("urls", json!(["https://new.example/hook"])),
            ("alias", json!("Their alias")),
            ("_updatedAt", json!("2026-11-28T09:00:00.000Z")),
            ("_updatedBy", json!({"_id": "u2", "username": "alice"})),
        ],
    );
    let (base, theirs) = (read(&base_doc), read(&theirs_doc));
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Name, "My name".into());
    mine.set_flag(Field::RunOnEdits, false);
    let m = Merge::new(&base, &mine, &theirs);
    assert!(m.stale);
    assert!(m.needs_attention());
    let other = m.other.clone().unwrap();
    assert_eq!(other.by.as_deref(), Some("alice"));
    assert_eq!(other.at.as_deref(), Some("2026-11-28T09:00:00.000Z"));
    assert_eq!(
        other.sentence(),
        "Changed by alice at 2026-11-28T09:00:00.000Z."
    );
    assert!(m.conflicts.is_empty());
    let theirs_fields: Vec<Field> = m.theirs_only.iter().map(|c| c.field).collect();
    assert_eq!(theirs_fields, vec![Field::Urls, Field::Alias]);
    assert!(m.theirs_only[0].impact.is_breaking());
    assert_eq!(m.mine_only, vec![Field::Name, Field::RunOnEdits]);
    let merged = m.resolve(&[]).unwrap();
    assert_eq!(merged.text(Field::Urls), "https://new.example/hook");
    assert_eq!(merged.text(Field::Alias), "Their alias");
    assert_eq!(merged.text(Field::Name), "My name");
    assert!(!merged.flag(Field::RunOnEdits));
    assert_eq!(merged.id(), Some("out1"));
}

#[test]
fn conflicts_need_a_choice_per_field() {
    let base_doc = outgoing_doc();
    let theirs_doc = with(
        &base_doc,
        &[
            ("channel", json!(["#ops"])),
            ("name", json!("Their name")),
            ("_updatedAt", json!("2026-11-28T09:00:00.000Z")),
            ("_updatedBy", Value::Null),
        ],
    );
    let (base, theirs) = (read(&base_doc), read(&theirs_doc));
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Channel, "#qa".into());
    mine.set_text(Field::Name, "Their name".into()); // same change on both sides: no conflict
    let m = Merge::new(&base, &mine, &theirs);
    assert!(m.stale);
    assert_eq!(m.other.as_ref().unwrap().by, None, "no _updatedBy sent");
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(c.field, Field::Channel);
    assert_eq!(
        (c.base.as_str(), c.mine.as_str(), c.theirs.as_str()),
        ("#dev", "#qa", "#ops")
    );
    assert_eq!(m.resolve(&[]), Err(vec![Field::Channel]));
    let mine_wins = m.resolve(&[(Field::Channel, Side::Mine)]).unwrap();
    assert_eq!(mine_wins.text(Field::Channel), "#qa");
    let theirs_win = m.resolve(&[(Field::Channel, Side::Theirs)]).unwrap();
    assert_eq!(theirs_win.text(Field::Channel), "#ops");
    assert_eq!(m.resolve_all(Side::Mine), mine_wins);
    assert_eq!(mine_wins.text(Field::Name), "Their name");
}

#[test]
fn a_copy_saved_again_without_field_changes_needs_no_attention() {
    let base = read(&outgoing_doc());
    let theirs = read(&with(
        &outgoing_doc(),
        &[
            ("_updatedAt", json!("2026-11-28T09:00:00.000Z")),
            ("scriptCompiled", json!("x")),
        ],
    ));
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Alias, "Mine".into());
    let m = Merge::new(&base, &mine, &theirs);
    assert!(m.stale);
    assert!(!m.needs_attention());
    assert_eq!(m.resolve(&[]).unwrap(), mine);
}

#[test]
fn staleness_uses_updated_at_or_the_whole_object() {
    let base = read(&outgoing_doc());
    let touched = read(&with(
        &outgoing_doc(),
        &[("_updatedAt", json!("2026-11-28T00:00:00Z"))],
    ));
    assert!(changed_since(&base, &touched), "a newer _updatedAt");
    // Without _updatedAt (old servers, odd documents) any stored difference counts.
    let mut plain = outgoing_doc();
    plain.as_object_mut().unwrap().remove("_updatedAt");
    let plain_base = read(&plain);
    assert!(!changed_since(&plain_base, &plain_base));
    let other = read(&with(&plain, &[("scriptCompiled", json!("compiled"))]));
    assert!(changed_since(&plain_base, &other));
}

/// What a save does after its read of the stored copy, per case: write, or show the merge.
#[test]
fn check_at_save_writes_unless_a_field_changed_meanwhile() {
    let base_doc = outgoing_doc();
    let stamp = ("_updatedAt", json!("2026-11-28T09:00:00.000Z"));
    // (case, stored copy read at save, whether the save must stop)
    let table: [(&str, Value, bool); 5] = [
        ("untouched", base_doc.clone(), false),
        (
            "saved again, same fields",
            with(&base_doc, std::slice::from_ref(&stamp)),
            false,
        ),
        (
            "they changed another field",
            with(&base_doc, &[stamp.clone(), ("emoji", json!(":x:"))]),
            true,
        ),
        (
            "they changed my field too",
            with(&base_doc, &[stamp.clone(), ("alias", json!("Theirs"))]),
            true,
        ),
        // Without a new stamp nothing counts as changed (the server's word is trusted).
        (
            "field changed, same stamp",
            with(&base_doc, &[("emoji", json!(":x:"))]),
            false,
        ),
    ];
    let base = read(&base_doc);
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Alias, "Mine".into());
    for (case, theirs, stops) in table {
        let found = merge::check(&base, &mine, &read(&theirs));
        assert_eq!(found.is_some(), stops, "{case}");
        if let Some(m) = found {
            assert!(m.stale && m.needs_attention(), "{case}");
        }
    }
}

#[test]
fn my_kept_changes_are_listed_old_to_new_without_the_conflicts() {
    let base_doc = outgoing_doc();
    let theirs_doc = with(
        &base_doc,
        &[
            ("_updatedAt", json!("2026-11-28T09:00:00.000Z")),
            ("alias", json!("Theirs")),
        ],
    );
    let base = read(&base_doc);
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Alias, "Mine".into());
    mine.set_text(Field::Name, "My name".into());
    mine.set_flag(Field::Enabled, false);
    let m = merge::check(&base, &mine, &read(&theirs_doc)).unwrap();
    assert_eq!(m.conflicts.len(), 1, "the alias");
    let changes = m.mine_changes();
    let kept: Vec<(Field, &str, &str, bool)> = changes
        .iter()
        .map(|c| {
            (
                c.field,
                c.old.as_str(),
                c.new.as_str(),
                c.impact.is_breaking(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        vec![
            (Field::Enabled, "On", "Off", true),
            (Field::Name, "Deploy bot", "My name", false),
        ]
    );
}

fn arb_doc() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just(outgoing_doc()), Just(incoming_doc())],
        any::<bool>(),
        prop::sample::select(vec!["a", "Deploy", " x "]),
        prop::sample::select(vec!["#dev", "#dev, #ops", "#qa"]),
        prop::sample::select(vec!["https://a.example", "https://b.example"]),
        any::<bool>(),
        prop::sample::select(vec!["", "x", "y\nz"]),
    )
        .prop_map(|(doc, enabled, name, channel, url, retry, script)| {
            let channel: Vec<&str> = channel.split(", ").collect();
            with(
                &doc,
                &[
                    ("enabled", json!(enabled)),
                    ("name", json!(name)),
                    ("channel", json!(channel)),
                    ("urls", json!([url])),
                    ("retryFailedCalls", json!(retry)),
                    ("script", json!(script)),
                ],
            )
        })
}

fn edit(form: &Form, seed: &[(u8, u8)]) -> Form {
    let mut f = form.clone();
    for &(which, v) in seed {
        let field = Field::ALL[usize::from(which) % Field::ALL.len()];
        if f.is_flag(field) {
            f.set_flag(field, v % 2 == 0);
        } else if f.is_text(field) {
            f.set_text(field, ["", "#z", "q", " w "][usize::from(v % 4)].into());
        }
    }
    f
}

proptest! {
    #[test]
    fn merge_with_theirs_equal_to_base_yields_mine(
        doc in arb_doc(),
        seed in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..8),
    ) {
        let base = read(&doc);
        let mine = edit(&Form::from_stored(&base), &seed);
        let m = Merge::new(&base, &mine, &base);
        prop_assert!(!m.stale);
        prop_assert!(m.conflicts.is_empty());
        prop_assert!(m.theirs_only.is_empty());
        prop_assert_eq!(m.resolve(&[]).unwrap(), mine);
    }

    #[test]
    fn merge_keeps_every_side_and_resolves_every_conflict(
        doc in arb_doc(),
        mine_seed in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..8),
        theirs_seed in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..8),
        pick_mine in any::<bool>(),
    ) {
        let base = Form::from_stored(&read(&doc));
        let mine = edit(&base, &mine_seed);
        let theirs = edit(&base, &theirs_seed);
        let m = Merge::of_forms(&base, &mine, &theirs);
        let side = if pick_mine { Side::Mine } else { Side::Theirs };
        let merged = m.resolve_all(side);
        let value_diff = |a: &Form, b: &Form| changes::changed_fields(a, b);
        // My changes are all kept, theirs all taken, and conflicts follow the choice.
        for f in value_diff(&base, &mine) {
            let conflict = m.conflicts.iter().any(|c| c.field == f);
            if !conflict || pick_mine {
                prop_assert!(!value_diff(&mine, &merged).contains(&f), "{:?} lost", f);
            }
        }
        for f in value_diff(&base, &theirs) {
            let conflict = m.conflicts.iter().any(|c| c.field == f);
            if !conflict || !pick_mine {
                prop_assert!(!value_diff(&theirs, &merged).contains(&f), "{:?} lost", f);
            }
        }
        // Merging with myself as "theirs" has no conflicts.
        prop_assert!(Merge::of_forms(&base, &mine, &mine).conflicts.is_empty());
    }
}

// ---------------------------------------------------------------- rotation

fn incoming(v: &Value) -> Incoming {
    match read(v) {
        Integration::Incoming(i) => i,
        Integration::Outgoing(_) => panic!("kind"),
    }
}

#[test]
fn the_rotated_copy_keeps_every_setting_but_the_token() {
    let stored = incoming(&with(
        &incoming_doc(),
        &[("script", json!("class Script {}"))],
    ));
    let features = Features::for_version(Some(ServerVersion::new(8, 5, 0)));
    let req = rotate::copy_request(&stored, &features);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/api/v1/integrations.create");
    let body = req.body.unwrap();
    assert_eq!(
        body,
        json!({
            "type": "webhook-incoming", "name": "CI notices (rotated)", "enabled": true,
            "channel": "#general, @bob", "username": "rocket.cat", "alias": "CI",
            "emoji": ":robot:", "script": "class Script {}", "scriptEnabled": false,
            "scriptEngine": "isolated-vm", "overrideDestinationChannelEnabled": true,
            "skipTranspile": true
        })
    );
    assert!(!body.to_string().contains("OLDTOKEN"));
    // A 6.3 server rejects scriptEngine; an 8.0 one skipTranspile.
    let old = rotate::copy_body(
        &stored,
        &Features::for_version(Some(ServerVersion::new(6, 3, 0))),
    );
    assert!(old.get("scriptEngine").is_none());
    assert!(old.get("skipTranspile").is_none());
}

#[test]
fn rotating_twice_does_not_stack_suffixes() {
    assert_eq!(rotate::rotated_name("CI"), "CI (rotated)");
    assert_eq!(rotate::rotated_name("CI (rotated)"), "CI (rotated)");
    assert_eq!(rotate::original_name("CI (rotated)"), "CI");
    assert_eq!(rotate::original_name("CI"), "CI");
}

#[test]
fn the_list_pairs_old_and_new_until_the_old_one_is_disabled_or_deleted() {
    let old = incoming_doc();
    let new = with(
        &old,
        &[
            ("_id", json!("inc2")),
            ("name", json!("CI notices (rotated)")),
            ("token", json!("NEWTOKEN")),
            ("_createdAt", json!("2026-02-01T00:00:00.000Z")),
        ],
    );
    let unrelated = with(
        &old,
        &[("_id", json!("inc3")), ("name", json!("Other (rotated)"))],
    );
    let outgoing = outgoing_doc();
    let list: Vec<Integration> = [&old, &new, &unrelated, &outgoing]
        .iter()
        .map(|v| read(v))
        .collect();
    let pairs = rotate::pairs(&list);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!(
        (pairs[0].old_id.as_str(), pairs[0].new_id.as_str()),
        ("inc1", "inc2")
    );
    assert_eq!(rotate::role(&pairs, "inc1"), Some(Role::Old));
    assert_eq!(rotate::role(&pairs, "inc2"), Some(Role::New));
    assert_eq!(rotate::role(&pairs, "inc3"), None);

    let disabled = with(&old, &[("enabled", json!(false))]);
    let list: Vec<Integration> = [&disabled, &new].iter().map(|v| read(v)).collect();
    assert!(rotate::pairs(&list).is_empty(), "old one disabled");
    let list = vec![read(&new)];
    assert!(rotate::pairs(&list).is_empty(), "old one deleted");
    // A copy with other rooms is not this hook's rotation.
    let moved = with(&new, &[("channel", json!(["#elsewhere"]))]);
    let list: Vec<Integration> = [&old, &moved].iter().map(|v| read(v)).collect();
    assert!(rotate::pairs(&list).is_empty());
    // A "copy" created before the original is not its rotation.
    let earlier = with(&new, &[("_createdAt", json!("2025-01-01T00:00:00.000Z"))]);
    let list: Vec<Integration> = [&old, &earlier].iter().map(|v| read(v)).collect();
    assert!(rotate::pairs(&list).is_empty());
}

// ---------------------------------------------------------------- review markup

#[test]
fn change_items_say_old_new_and_why_in_words_with_values_escaped() {
    let base = form(&outgoing_doc());
    let mut after = base.clone();
    after.set_text(Field::Name, "<b>Bot</b> & co".into());
    after.set_text(Field::Urls, "https://x.example/?a=1&b=\"2\"".into());
    let html = changes::view::change_items(&changes::changes(&base, &after));
    let text = html.as_str();
    // (what must appear, why)
    let table: [(&str, &str); 6] = [
        (
            "<li><strong>Name</strong>: ",
            "a cosmetic row is not marked",
        ),
        (
            "<ins class=\"change-new\">&lt;b&gt;Bot&lt;/b&gt; &amp; co</ins>",
            "the new value escaped",
        ),
        (
            "<span class=\"visually-hidden\">was </span><del class=\"change-old\">Deploy bot</del>",
            "old said in words",
        ),
        (
            "<li class=\"breaking\"><strong>URLs</strong>",
            "a breaking row is marked",
        ),
        (
            "https://x.example/?a=1&amp;b=&quot;2&quot;",
            "attribute characters escaped",
        ),
        (
            "<strong>Can break the webhook: </strong>Other addresses will be called.",
            "why, in words",
        ),
    ];
    for (want, why) in table {
        assert!(text.contains(want), "{why}: {want} in {text}");
    }
    assert_eq!(text.matches("<li").count(), 2);
    assert_eq!(
        text.matches("change-why").count(),
        1,
        "only the breaking row says why"
    );
    assert!(!text.contains("<b>"), "no markup from values");
}

#[test]
fn diff_items_mark_each_line_in_words_and_collapse_long_unchanged_runs() {
    let old: String = (1..=12).map(|n| format!("line {n}\n")).collect();
    let new = old.replace("line 6\n", "line <6>\n");
    let html = changes::view::diff_items(&lines::diff(&old, &new));
    let text = html.as_str();
    for (want, why) in [
        (
            "Removed line 6: </span><code>line 6</code>",
            "the removed line, numbered in the old text",
        ),
        (
            "Added line 6: </span><code>line &lt;6&gt;</code>",
            "the added line, escaped",
        ),
        (
            "<li class=\"diff-skip\">2 unchanged lines</li>",
            "the run before the context collapsed",
        ),
        (
            "Line 3: </span><code>line 3</code>",
            "context kept before the change",
        ),
        (
            "Line 9: </span><code>line 9</code>",
            "context kept after the change",
        ),
    ] {
        assert!(text.contains(want), "{why}: {want} in {text}");
    }
    assert!(!text.contains("<code>line 2</code>"), "outside the context");
    let unchanged = changes::view::diff_items(&lines::diff("same\n", "same\n"));
    assert!(!unchanged.as_str().contains("diff-add") && !unchanged.as_str().contains("diff-del"));
}

#[test]
fn the_conflict_body_lists_both_sides_and_a_named_radio_pair_per_conflict() {
    let base_doc = outgoing_doc();
    let theirs_doc = with(
        &base_doc,
        &[
            ("_updatedAt", json!("2026-11-28T09:00:00.000Z")),
            ("alias", json!("Their <alias>")),
            ("emoji", json!(":x:")),
        ],
    );
    let base = read(&base_doc);
    let mut mine = Form::from_stored(&base);
    mine.set_text(Field::Alias, "Mine & only mine".into());
    mine.set_text(Field::Name, "My name".into());
    let m = merge::check(&base, &mine, &read(&theirs_doc)).unwrap();
    let html = changes::view::conflict_body(&m, "Changed by <dana>.");
    let text = html.as_str();
    for (want, why) in [
        ("<p>Changed by &lt;dana&gt;. Nothing of yours has been saved yet.</p>", "who, escaped"),
        ("<h3>Their changes (kept)</h3><ul class=\"change-list\"><li><strong>Emoji</strong>", "theirs"),
        ("<h3>Your changes (kept)</h3><ul class=\"change-list\"><li><strong>Name</strong>", "mine"),
        ("<legend>Alias (was Deployer)</legend>", "the conflict with its value before"),
        ("<input type=\"radio\" name=\"conflict-0\" value=\"mine\"> Yours: <strong>Mine &amp; only mine</strong>", "my side"),
        ("<input type=\"radio\" name=\"conflict-0\" value=\"theirs\"> Theirs: <strong>Their &lt;alias&gt;</strong>", "their side"),
    ] {
        assert!(text.contains(want), "{why}: {want} in {text}");
    }
    assert_eq!(text.matches("<fieldset").count(), 1);
    // Without a conflict there is nothing to choose.
    let no_conflict = with(&theirs_doc, &[("alias", json!("Deployer"))]);
    let m = merge::check(&base, &mine, &read(&no_conflict)).unwrap();
    let text = changes::view::conflict_body(&m, "x").into_string();
    assert!(
        !text.contains("choose one") && !text.contains("radio"),
        "{text}"
    );
}

#[test]
fn a_radio_name_and_value_give_back_the_conflict_and_side() {
    use changes::view::parse_choice;
    type Choice = Option<(usize, Side)>;
    let table: [(&str, &str, Choice); 6] = [
        ("conflict-0", "mine", Some((0, Side::Mine))),
        ("conflict-12", "theirs", Some((12, Side::Theirs))),
        ("conflict-x", "mine", None),
        ("conflict-1", "both", None),
        ("other-1", "mine", None),
        ("conflict--1", "mine", None),
    ];
    for (name, value, want) in table {
        assert_eq!(parse_choice(name, value), want, "{name}={value}");
    }
}
