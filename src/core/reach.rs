//! Why a request got no answer at all (spec §7). A browser never says why `fetch` failed, so
//! the app decides what it can from the two addresses, and otherwise probes the server with
//! a request that needs no CORS permission: if that one is answered, the server is up and
//! the browser refused the real call because the server does not allow this page's origin.

/// What stands between the page and the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The page came over https and the server is http: browsers block such calls.
    MixedContent,
    /// The server answers, but does not allow this page's origin to use its API.
    CorsRefused,
    /// Nothing answers at this address (wrong address, server down, or no network).
    Unreachable,
}

/// Whether `server` (a base URL) is on the page's own origin, where CORS never applies.
pub fn same_origin(page_origin: &str, server: &str) -> bool {
    let (page, server) = (
        page_origin.to_ascii_lowercase(),
        server.to_ascii_lowercase(),
    );
    !page.is_empty()
        && server
            .strip_prefix(page.trim_end_matches('/'))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Hosts a browser treats as secure even over http, so no mixed-content block applies.
fn is_loopback(server: &str) -> bool {
    let host = server.split("://").nth(1).unwrap_or("");
    ["localhost", "127.", "[::1]"]
        .iter()
        .any(|l| host.starts_with(l))
}

/// The diagnosis that needs no probe; `None` when only a probe can tell.
pub fn without_probe(page_origin: &str, server: &str) -> Option<Reach> {
    let server_lower = server.to_ascii_lowercase();
    if page_origin.to_ascii_lowercase().starts_with("https:")
        && server_lower.starts_with("http:")
        && !is_loopback(&server_lower)
    {
        return Some(Reach::MixedContent);
    }
    same_origin(page_origin, server).then_some(Reach::Unreachable)
}

/// The diagnosis after the probe: answered means the server is up, so CORS refused the call.
pub fn from_probe(answered: bool) -> Reach {
    if answered {
        Reach::CorsRefused
    } else {
        Reach::Unreachable
    }
}

impl Reach {
    /// One sentence: what is wrong.
    pub fn headline(self) -> &'static str {
        match self {
            Reach::MixedContent => "This page was loaded over https, so your browser blocks calls to a server address starting with http://.",
            Reach::CorsRefused => "The server answers, but does not allow this page to use its API (CORS), so your browser blocked the request.",
            Reach::Unreachable => "Nothing answered at this address.",
        }
    }

    /// What to change, in order of preference; `page_origin` is this page's origin, the
    /// value the server must allow.
    pub fn fixes(self, page_origin: &str) -> Vec<String> {
        match self {
            Reach::MixedContent => vec![
                "Use the server's https:// address.".to_owned(),
                "Or open hookpanel itself over http://.".to_owned(),
            ],
            Reach::CorsRefused => vec![
                format!("In Rocket.Chat, under Administration → Workspace → Settings → General → REST API, turn on Enable CORS (API_Enable_CORS) and add {page_origin} to CORS Origin (API_CORS_Origin)."),
                "Or serve hookpanel and Rocket.Chat on one address through a reverse proxy, which needs no CORS: see “Using it with a real Rocket.Chat” in hookpanel's README.".to_owned(),
                "Already set? A proxy may drop or double the Access-Control-Allow-Origin header, and Rocket.Chat 7.6 leaves it out; the reverse proxy avoids both.".to_owned(),
            ],
            Reach::Unreachable => vec![
                "Check the address: https or http, the host name and the port.".to_owned(),
                "Check that the server is running and that this computer can reach it (network, VPN, firewall).".to_owned(),
            ],
        }
    }
}
