//! Every address the app knows maps to its screen; anything else is "not found".

use hookpanel::router::Route;

#[test]
fn paths_map_to_routes() {
    let cases = [
        ("/", Route::Home),
        ("", Route::Home),
        ("/sign-in", Route::SignIn),
        ("/integrations", Route::List),
        ("/integrations/", Route::List),
        ("/integrations/new/incoming", Route::NewIncoming),
        ("/integrations/new/outgoing", Route::NewOutgoing),
        (
            "/integrations/incoming/abc123",
            Route::Incoming("abc123".into()),
        ),
        ("/integrations/outgoing/x", Route::Outgoing("x".into())),
        (
            "/integrations/outgoing/x/history",
            Route::History("x".into()),
        ),
        ("/about", Route::About),
        ("/integrations/incoming", Route::NotFound),
        ("/integrations/new/zapier", Route::NotFound),
        ("/integrations/outgoing/x/history/more", Route::NotFound),
        ("/admin", Route::NotFound),
    ];
    for (path, route) in cases {
        assert_eq!(Route::parse(path), route, "{path}");
    }
}
