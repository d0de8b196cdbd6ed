//! The server address a person types on the sign-in page, made into the base URL the API
//! calls use, and the short list of recent servers kept for the next sign-in.

/// What the address check needs from a parsed URL (the browser's `URL` in the app).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressParts {
    /// Scheme with or without its colon, e.g. `https:`.
    pub protocol: String,
    /// Host name, empty when there is none.
    pub host: String,
    /// `scheme://host[:port]`, as `URL.origin` gives it (no user name, no default port).
    pub origin: String,
    /// The path, e.g. `/chat/home`.
    pub path: String,
}

/// First path segments that belong to a page of Rocket.Chat (or of hookpanel) rather than to
/// the prefix a server is installed under: the address is cut before them.
const PAGE_SEGMENTS: [&str; 18] = [
    "home",
    "admin",
    "channel",
    "group",
    "direct",
    "api",
    "hooks",
    "account",
    "directory",
    "login",
    "live",
    "omnichannel",
    "marketplace",
    "reset-password",
    "sign-in",
    "integrations",
    "about",
    "_oauth",
];

/// How many recent servers are remembered.
pub const RECENT_MAX: usize = 5;

/// Turns what was typed into a server base URL: `https://` is assumed when no scheme is
/// given (`http://` for `localhost`); the query, fragment, user name and a page path pasted from the browser's address
/// bar are dropped; a prefix the server is installed under (`/chat`) is kept. `Err` is the
/// message to show beside the field.
pub fn server_address(
    text: &str,
    parse: &dyn Fn(&str) -> Option<AddressParts>,
) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter the server address, for example https://chat.example.com");
    }
    let full;
    let text = if text.contains("://") {
        text
    } else {
        // A local development server rarely has TLS.
        let local = ["localhost", "127.", "[::1]"];
        let scheme = if local.iter().any(|l| text.starts_with(l)) {
            "http"
        } else {
            "https"
        };
        full = format!("{scheme}://{text}");
        &full
    };
    let invalid = "Enter a web address like https://chat.example.com";
    let parts = parse(text).ok_or(invalid)?;
    match parts
        .protocol
        .trim_end_matches(':')
        .to_ascii_lowercase()
        .as_str()
    {
        "http" | "https" => {}
        _ => return Err("The address must start with https:// or http://"),
    }
    if parts.host.is_empty() || !parts.origin.contains("://") {
        return Err(invalid);
    }
    let mut base = parts.origin.trim_end_matches('/').to_owned();
    let prefix = parts
        .path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| !PAGE_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()));
    for segment in prefix {
        base.push('/');
        base.push_str(segment);
    }
    Ok(base)
}

/// The recent-servers list after signing in to `server`: it moves to the front, duplicates
/// go, and at most [`RECENT_MAX`] remain.
pub fn remember_server(recent: &[String], server: &str) -> Vec<String> {
    let mut list = vec![server.to_owned()];
    list.extend(
        recent
            .iter()
            .filter(|s| !s.is_empty() && s.as_str() != server)
            .take(RECENT_MAX - 1)
            .cloned(),
    );
    list
}
