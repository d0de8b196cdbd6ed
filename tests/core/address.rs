//! The sign-in page's server address and the recent-servers list.

use hookpanel::core::address::{remember_server, server_address, AddressParts, RECENT_MAX};

/// WHATWG parsing through the `url` crate, standing in for the browser's `URL`.
fn parse(text: &str) -> Option<AddressParts> {
    let u = url::Url::parse(text).ok()?;
    Some(AddressParts {
        protocol: format!("{}:", u.scheme()),
        host: u.host_str().unwrap_or("").to_owned(),
        origin: u.origin().ascii_serialization(),
        path: u.path().to_owned(),
    })
}

#[test]
fn addresses_become_base_urls() {
    let cases = [
        ("https://chat.example.com", "https://chat.example.com"),
        ("  https://chat.example.com/  ", "https://chat.example.com"),
        ("chat.example.com", "https://chat.example.com"),
        ("chat.example.com:3000", "https://chat.example.com:3000"),
        ("localhost:3000", "http://localhost:3000"),
        ("127.0.0.1:3100/", "http://127.0.0.1:3100"),
        ("HTTPS://Chat.Example.COM", "https://chat.example.com"),
        ("https://chat.example.com:443/", "https://chat.example.com"),
        ("http://chat.example.com", "http://chat.example.com"),
        // Pages pasted from the address bar: the page part goes.
        ("https://chat.example.com/home", "https://chat.example.com"),
        (
            "https://chat.example.com/channel/general?msg=1",
            "https://chat.example.com",
        ),
        (
            "https://chat.example.com/admin/integrations/edit/x",
            "https://chat.example.com",
        ),
        (
            "https://chat.example.com/api/v1/info",
            "https://chat.example.com",
        ),
        (
            "https://chat.example.com/#/home",
            "https://chat.example.com",
        ),
        (
            "https://admin.example.com/integrations/incoming/abc",
            "https://admin.example.com",
        ),
        (
            "https://admin.example.com/sign-in",
            "https://admin.example.com",
        ),
        // A server installed under a prefix keeps it.
        ("https://example.com/chat", "https://example.com/chat"),
        ("https://example.com/chat/", "https://example.com/chat"),
        ("https://example.com/chat/home", "https://example.com/chat"),
        ("https://example.com//chat//", "https://example.com/chat"),
        // A user name and password in the address never survive.
        (
            "https://alice:secret@chat.example.com/",
            "https://chat.example.com",
        ),
    ];
    for (typed, expected) in cases {
        assert_eq!(
            server_address(typed, &parse),
            Ok(expected.to_owned()),
            "{typed:?}"
        );
    }
}

#[test]
fn bad_addresses_say_what_to_enter() {
    let cases = [
        ("", "Enter the server address"),
        ("   ", "Enter the server address"),
        (
            "ftp://chat.example.com",
            "must start with https:// or http://",
        ),
        (
            "javascript://alert(1)",
            "must start with https:// or http://",
        ),
        ("file:///etc/passwd", "must start with https:// or http://"),
        ("https://", "Enter a web address like"),
        ("chat example", "Enter a web address like"),
        ("https://exa mple.com", "Enter a web address like"),
    ];
    for (typed, expected) in cases {
        let message = server_address(typed, &parse).expect_err(typed);
        assert!(message.contains(expected), "{typed:?}: {message}");
    }
}

#[test]
fn recent_servers_put_the_latest_first_without_duplicates() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(remember_server(&[], "https://a"), s(&["https://a"]));
    assert_eq!(
        remember_server(&s(&["https://b", "https://a", "https://c"]), "https://a"),
        s(&["https://a", "https://b", "https://c"])
    );
    assert_eq!(
        remember_server(&s(&["", "https://b"]), "https://a"),
        s(&["https://a", "https://b"])
    );
    let many = s(&[
        "https://1",
        "https://2",
        "https://3",
        "https://4",
        "https://5",
        "https://6",
    ]);
    let kept = remember_server(&many, "https://new");
    assert_eq!(kept.len(), RECENT_MAX);
    assert_eq!(kept[0], "https://new");
    assert_eq!(kept[RECENT_MAX - 1], "https://4");
}
