//! Version parsing and the one table of version-dependent behaviour (spec §6.8, §8).

use hookpanel::core::version::{Features, ServerVersion};
use serde_json::json;

/// (major, minor, patch).
type Triple = (u32, u32, u32);

#[test]
fn parses_the_shapes_servers_send() {
    let table: [(&str, Option<Triple>); 14] = [
        ("8.8", Some((8, 8, 0))),
        ("8.8.1", Some((8, 8, 1))),
        ("9.0.0-rc.3", Some((9, 0, 0))),
        ("v7.10.2", Some((7, 10, 2))),
        (" 6.3.7 ", Some((6, 3, 7))),
        ("7.0.0+build.5", Some((7, 0, 0))),
        ("8", None),
        ("", None),
        ("garbage", None),
        ("8.x", None),
        ("1.2.3.4", None),
        ("-1.2", None),
        ("99999999999.1", None),
        ("８.８", None),
    ];
    for (text, want) in table {
        let got = ServerVersion::parse(text).map(|v| (v.major, v.minor, v.patch));
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn info_prefers_the_full_version() {
    let info = json!({"version": "8.8", "info": {"version": "8.8.1"}, "success": true});
    assert_eq!(
        ServerVersion::from_info(&info),
        Some(ServerVersion::new(8, 8, 1))
    );
    let short = json!({"version": "7.4", "success": true});
    assert_eq!(
        ServerVersion::from_info(&short),
        Some(ServerVersion::new(7, 4, 0))
    );
    let bad_info = json!({"version": "6.13", "info": {"version": null}});
    assert_eq!(
        ServerVersion::from_info(&bad_info),
        Some(ServerVersion::new(6, 13, 0))
    );
    assert_eq!(ServerVersion::from_info(&json!({"version": 8})), None);
    assert_eq!(ServerVersion::from_info(&json!("8.8")), None);
    assert_eq!(Features::from_info(&json!({})).version, None);
}

fn f(major: u32, minor: u32) -> Features {
    Features::for_version(Some(ServerVersion::new(major, minor, 0)))
}

#[test]
fn feature_table_per_version() {
    // (version, update, list filters, scriptEngine, vm2, 6.3 override rule,
    //  skipTranspile, clear/replay, 403 shapes)
    let table = [
        (
            (3, 3),
            false,
            false,
            false,
            false,
            true,
            false,
            false,
            false,
        ),
        ((3, 4), true, false, false, false, true, false, false, false),
        ((6, 3), true, false, false, false, true, false, false, false),
        ((6, 4), true, false, true, true, false, false, false, false),
        ((6, 13), true, false, true, true, false, false, false, false),
        ((7, 0), true, true, true, false, false, false, false, false),
        ((8, 3), true, true, true, false, false, false, false, false),
        ((8, 4), true, true, true, false, false, true, false, false),
        ((8, 6), true, true, true, false, false, true, false, false),
        ((8, 7), true, true, true, false, false, true, true, false),
        ((8, 8), true, true, true, false, false, true, true, false),
        ((9, 0), true, true, true, false, false, false, true, true),
        ((10, 2), true, true, true, false, false, false, true, true),
    ];
    for ((ma, mi), update, filters, engine, vm2, legacy, skip, clear, forbidden) in table {
        let got = f(ma, mi);
        let at = format!("{ma}.{mi}");
        assert_eq!(got.has_update, update, "update {at}");
        assert_eq!(got.list_filters, filters, "filters {at}");
        assert_eq!(got.script_engine, engine, "scriptEngine {at}");
        assert_eq!(got.vm2_engine, vm2, "vm2 {at}");
        assert_eq!(got.override_required_on_update, legacy, "override {at}");
        assert_eq!(got.skip_transpile, skip, "skipTranspile {at}");
        assert_eq!(got.clear_and_replay, clear, "clear/replay {at}");
        assert_eq!(got.forbidden_as_403, forbidden, "403 {at}");
        assert_eq!(got.strict_scripts, forbidden, "strict {at}");
    }
}

#[test]
fn smaller_gates() {
    assert!(!f(2, 3).has_get);
    assert!(f(2, 4).has_get);
    assert!(!f(7, 5).post_as_change);
    assert!(f(7, 6).post_as_change);
    assert_eq!(f(6, 5).script_engines(), &["isolated-vm", "vm2"]);
    assert_eq!(f(8, 8).script_engines(), &["isolated-vm"]);
    assert_eq!(Features::latest(), f(8, 8));
}

#[test]
fn prerelease_acts_as_its_release() {
    let rc = Features::for_version(ServerVersion::parse("9.0.0-rc.3"));
    assert!(!rc.skip_transpile);
    assert!(rc.forbidden_as_403);
}

#[test]
fn unknown_version_is_current_but_omits_gated_keys() {
    let u = Features::for_version(None);
    assert!(u.has_update && u.list_filters && u.has_get);
    assert!(!u.script_engine, "optional scriptEngine is omitted");
    assert!(!u.skip_transpile);
    assert!(!u.override_required_on_update);
    assert!(!u.clear_and_replay, "fall back to method.call");
    assert_eq!(u.version_text(), "unknown version");
    assert_eq!(f(8, 8).version_text(), "8.8.0");
}
