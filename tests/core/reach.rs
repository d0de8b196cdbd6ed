//! Telling an unreachable server from one that refuses this page's origin (spec §7).

use hookpanel::core::reach::{from_probe, same_origin, without_probe, Reach};

#[test]
fn same_origin_compares_the_page_origin_with_the_server_base() {
    let cases = [
        ("http://127.0.0.1:3100", "http://127.0.0.1:3100", true),
        (
            "https://admin.example.com",
            "https://admin.example.com/chat",
            true,
        ),
        (
            "https://admin.example.com",
            "https://ADMIN.example.com",
            true,
        ),
        (
            "https://admin.example.com",
            "https://admin.example.com.evil.net",
            false,
        ),
        (
            "https://admin.example.com",
            "https://admin.example.com:8443",
            false,
        ),
        (
            "https://admin.example.com",
            "http://admin.example.com",
            false,
        ),
        ("http://127.0.0.1:3100", "http://127.0.0.1:31000", false),
        ("", "https://chat.example.com", false),
    ];
    for (page, server, expected) in cases {
        assert_eq!(same_origin(page, server), expected, "{page} vs {server}");
    }
}

#[test]
fn the_addresses_alone_decide_mixed_content_and_same_origin_failures() {
    let cases = [
        // https page, http server: the browser blocks it before any request.
        (
            "https://admin.example.com",
            "http://chat.example.com",
            Some(Reach::MixedContent),
        ),
        (
            "HTTPS://admin.example.com",
            "HTTP://chat.example.com",
            Some(Reach::MixedContent),
        ),
        // Loopback counts as secure, so no mixed-content block.
        ("https://admin.example.com", "http://localhost:3000", None),
        ("https://admin.example.com", "http://127.0.0.1:3000", None),
        // Same origin: CORS is never involved, so nothing answered.
        (
            "http://127.0.0.1:3100",
            "http://127.0.0.1:3100",
            Some(Reach::Unreachable),
        ),
        (
            "https://admin.example.com",
            "https://admin.example.com/chat",
            Some(Reach::Unreachable),
        ),
        // Another origin: only a probe can tell.
        ("http://127.0.0.1:3100", "http://127.0.0.1:3200", None),
        ("http://admin.example.com", "https://chat.example.com", None),
    ];
    for (page, server, expected) in cases {
        assert_eq!(without_probe(page, server), expected, "{page} → {server}");
    }
}

#[test]
fn an_answered_probe_means_cors_and_a_failed_one_means_unreachable() {
    assert_eq!(from_probe(true), Reach::CorsRefused);
    assert_eq!(from_probe(false), Reach::Unreachable);
}

#[test]
fn the_cors_fix_names_both_settings_with_this_page_origin_and_the_proxy() {
    let fixes = Reach::CorsRefused
        .fixes("https://admin.example.com")
        .join("\n");
    for needle in [
        "API_Enable_CORS",
        "API_CORS_Origin",
        "https://admin.example.com",
        "reverse proxy",
        "README",
    ] {
        assert!(fixes.contains(needle), "missing {needle:?} in {fixes}");
    }
    let unreachable = Reach::Unreachable
        .fixes("https://admin.example.com")
        .join("\n");
    assert!(
        !unreachable.contains("CORS"),
        "unreachable must not send people to CORS settings"
    );
    assert!(unreachable.contains("address"));
    assert!(Reach::MixedContent
        .fixes("x")
        .join(" ")
        .contains("https://"));
    for reach in [Reach::MixedContent, Reach::CorsRefused, Reach::Unreachable] {
        assert!(!reach.headline().is_empty());
    }
}
