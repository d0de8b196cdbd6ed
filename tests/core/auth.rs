//! Sign-in requests and answers (spec §6).

use hookpanel::core::auth::{
    header_safe, login, logout, parse_login, send_email_code, Credentials, SignedOut,
};
use hookpanel::core::errors::ApiError;
use hookpanel::core::request::Method;
use serde_json::json;

#[test]
fn login_sends_username_or_email_by_the_at_sign_and_never_user() {
    let cases = [
        (
            "admin",
            None,
            json!({"username": "admin", "password": "pw"}),
        ),
        (
            "  admin  ",
            None,
            json!({"username": "admin", "password": "pw"}),
        ),
        (
            "a@example.com",
            None,
            json!({"email": "a@example.com", "password": "pw"}),
        ),
        (
            "admin",
            Some("123456"),
            json!({"username": "admin", "password": "pw", "code": "123456"}),
        ),
        (
            "admin",
            Some("  "),
            json!({"username": "admin", "password": "pw"}),
        ),
    ];
    for (user, code, body) in cases {
        let req = login(user, "pw", code);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v1/login");
        assert_eq!(req.body, Some(body), "user {user:?} code {code:?}");
    }
}

#[test]
fn logout_and_email_code_requests() {
    let out = logout();
    assert_eq!(
        (out.method, out.path.as_str(), out.body),
        (Method::Post, "/api/v1/logout", None)
    );
    let code = send_email_code(" mailadmin ");
    assert_eq!(code.path, "/api/v1/users.2fa.sendEmailCode");
    assert_eq!(code.body, Some(json!({"emailOrUsername": "mailadmin"})));
}

#[test]
fn logout_ended_the_token_only_on_success_or_401() {
    let answers: [(Result<(), ApiError>, bool); 5] = [
        (Ok(()), true),
        (
            Err(ApiError::Unauthorized {
                message: "You must be logged in to do this.".into(),
                two_factor: None,
            }),
            true,
        ),
        (Err(ApiError::Network), false),
        (Err(ApiError::Timeout), false),
        (
            Err(ApiError::Server {
                status: 500,
                message: String::new(),
            }),
            false,
        ),
    ];
    for (answer, ended) in answers {
        let expected = if ended {
            SignedOut::Ended
        } else {
            SignedOut::NotConfirmed
        };
        assert_eq!(SignedOut::after_logout(&answer), expected, "{answer:?}");
    }
    assert!(SignedOut::NotConfirmed.text().contains("did not confirm"));
    assert!(SignedOut::TokenLeft
        .text()
        .contains("The session's token was left on the server"));
    assert!(SignedOut::TokenKept
        .text()
        .contains("Your personal access token still works"));
    assert!(SignedOut::Ending.text().starts_with("Signed out."));
}

#[test]
fn login_answers_are_read_defensively() {
    let ok = json!({"status": "success", "data": {"userId": "u1", "authToken": "t1", "me": {"username": "admin"}}});
    assert_eq!(
        parse_login(&ok),
        Some(Credentials {
            user_id: "u1".into(),
            auth_token: "t1".into(),
            username: Some("admin".into())
        })
    );
    let no_me = json!({"data": {"userId": "u1", "authToken": "t1"}});
    assert_eq!(parse_login(&no_me).and_then(|c| c.username), None);
    for bad in [
        json!({}),
        json!({"data": null}),
        json!({"data": {"userId": "u1"}}),
        json!({"data": {"userId": "", "authToken": "t"}}),
        // Credentials the browser could not send back (a hostile or broken server).
        json!({"data": {"userId": "u1", "authToken": "t\n1"}}),
        json!({"data": {"userId": "u 1", "authToken": "t1"}}),
        json!({"data": {"userId": "u1", "authToken": "t€"}}),
        json!([1, 2]),
        json!("x"),
    ] {
        assert_eq!(parse_login(&bad), None, "{bad}");
    }
}

#[test]
fn only_printable_ascii_without_spaces_goes_into_a_credential_header() {
    for good in [
        "aobEdbYhXfu5hkeqG",
        "9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq",
        "a-b.c~d+e/f=",
    ] {
        assert!(header_safe(good), "{good}");
    }
    for bad in [
        "",
        "with space",
        "line\nbreak",
        "tab\t",
        "caf\u{e9}",
        "\u{20ac}",
        "\u{7f}",
    ] {
        assert!(!header_safe(bad), "{bad:?}");
    }
}
