//! Trigger tester (§3.7), retry schedules (§3.9), tokens, webhook URL and curl line (§5.4).

use crate::support::{incoming_form, outgoing_form};
use hookpanel::core::encode;
use hookpanel::core::field::Field;
use hookpanel::core::retry::RetryDelay;
use hookpanel::core::token;
use hookpanel::core::triggers::{self, Verdict};
use hookpanel::core::webhook;
use serde_json::json;

#[test]
fn trigger_tester_follows_the_server() {
    let mut f = outgoing_form();
    f.set_text(Field::TriggerWords, "!deploy, Hey bot".into());
    // (text, edited, anywhere, run on edits, expected)
    let cases: [(&str, bool, bool, bool, Verdict); 9] = [
        (
            "!deploy prod",
            false,
            false,
            true,
            Verdict::Fires {
                word: Some("!deploy".into()),
            },
        ),
        ("please !deploy", false, false, true, Verdict::NoMatch),
        (
            "please !deploy",
            false,
            true,
            true,
            Verdict::Fires {
                word: Some("!deploy".into()),
            },
        ),
        ("!DEPLOY prod", false, false, true, Verdict::NoMatch),
        ("hey bot", false, true, true, Verdict::NoMatch),
        (
            "Hey bot, hi",
            false,
            false,
            true,
            Verdict::Fires {
                word: Some("Hey bot".into()),
            },
        ),
        ("!deploy", true, false, false, Verdict::EditIgnored),
        (
            "!deploy",
            true,
            false,
            true,
            Verdict::Fires {
                word: Some("!deploy".into()),
            },
        ),
        (" !deploy", false, false, true, Verdict::NoMatch),
    ];
    for (text, edited, anywhere, edits, want) in cases {
        f.set_flag(Field::TriggerWordAnywhere, anywhere);
        f.set_flag(Field::RunOnEdits, edits);
        assert_eq!(triggers::test(&f, text, edited), want, "{text:?}");
    }
}

#[test]
fn trigger_tester_edge_cases() {
    let mut f = outgoing_form();
    f.set_text(Field::TriggerWords, " , ".into());
    let fires = triggers::test(&f, "anything", false);
    assert_eq!(fires, Verdict::Fires { word: None });
    assert!(fires.fires());
    assert!(fires.explain().contains("every message"));
    f.set_flag(Field::Enabled, false);
    assert_eq!(triggers::test(&f, "x", false), Verdict::Disabled);
    f.set_flag(Field::Enabled, true);
    f.set_text(Field::Event, "roomJoined".into());
    assert_eq!(triggers::test(&f, "x", false), Verdict::NotMessageEvent);
    assert!(!Verdict::NoMatch.fires());
    assert_eq!(
        Verdict::Fires {
            word: Some("!a".into())
        }
        .explain(),
        "Fires on the trigger word “!a”."
    );
    let words = vec!["".to_string(), "b".into()];
    assert_eq!(triggers::matching_word(&words, true, "abc"), Some("b"));
}

#[test]
fn retry_schedules_in_plain_words() {
    assert_eq!(RetryDelay::PowersOfTen.describe(), "0.1 s, 1 s, 10 s, …");
    assert_eq!(RetryDelay::PowersOfTwo.describe(), "2 s, 4 s, 8 s, …");
    assert_eq!(RetryDelay::IncrementsOfTwo.describe(), "2 s, 4 s, 6 s, …");
    assert_eq!(RetryDelay::PowersOfTen.delay_ms(0), 100);
    assert_eq!(RetryDelay::PowersOfTwo.delay_ms(3), 16_000);
    assert_eq!(RetryDelay::IncrementsOfTwo.delay_ms(5), 12_000);
    assert_eq!(RetryDelay::PowersOfTen.delay_ms(u32::MAX), u64::MAX);
    assert_eq!(
        RetryDelay::parse(" Powers-Of-Ten "),
        Some(RetryDelay::PowersOfTen)
    );
    assert_eq!(RetryDelay::parse("hourly"), None);
    for d in RetryDelay::ALL {
        assert_eq!(RetryDelay::parse(d.as_str()), Some(d));
        assert!(!d.label().is_empty());
    }
}

#[test]
fn tokens_are_url_safe_and_long() {
    let bytes: Vec<u8> = (0..token::TOKEN_BYTES as u8)
        .map(|b| b.wrapping_mul(37).wrapping_add(250))
        .collect();
    let t = token::encode(&bytes);
    assert_eq!(t.len(), 32);
    assert!(t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert!(token::is_strong(&t));
    // Known vectors (RFC 4648 base64url without padding).
    assert_eq!(token::encode(b""), "");
    assert_eq!(token::encode(b"f"), "Zg");
    assert_eq!(token::encode(b"fo"), "Zm8");
    assert_eq!(token::encode(b"foo"), "Zm9v");
    assert_eq!(token::encode(&[0xfb, 0xff]), "-_8");
    assert!(!token::is_strong("short"));
}

#[test]
fn incoming_webhook_url_encodes_the_token() {
    assert_eq!(
        webhook::hook_url("https://chat.example.com/ ", "abc123", "AbC/d+e="),
        "https://chat.example.com/hooks/abc123/AbC%2Fd%2Be%3D"
    );
    assert_eq!(encode::component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    assert_eq!(encode::component("-_.!~*'()"), "-_.!~*'()");
}

#[test]
fn example_payload_follows_the_form() {
    let mut f = incoming_form();
    let plain = webhook::example_payload(&f);
    assert!(plain.get("alias").is_none() && plain.get("emoji").is_none());
    assert!(plain["text"].is_string());
    assert!(plain["attachments"].is_array());
    f.set_text(Field::Alias, "CI".into());
    f.set_text(Field::Emoji, " :ghost: ".into());
    f.set_text(Field::Avatar, "https://x.example/a.png".into());
    let p = webhook::example_payload(&f);
    assert_eq!(p["alias"], json!("CI"));
    assert_eq!(p["emoji"], json!(":ghost:"));
    assert_eq!(p["avatar"], json!("https://x.example/a.png"));
}

#[test]
fn curl_line_is_safely_quoted() {
    assert_eq!(webhook::shell_quote("it's"), "'it'\\''s'");
    let payload = json!({"text": "it's $HOME `ls`"});
    let line = webhook::curl_command("https://c.example/hooks/a/b", &payload);
    assert_eq!(
        line,
        "curl -X POST -H 'Content-Type: application/json' --data '{\"text\":\"it'\\''s $HOME `ls`\"}' 'https://c.example/hooks/a/b'"
    );
}
