//! The URL-parser seam: the app parses with the browser's `URL`, native tests with the
//! `url` crate, so no URL parser is shipped in the wasm.

/// The parts of a parsed URL that validation needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUrl {
    /// Scheme, e.g. `https` (a trailing `:` and letter case are tolerated).
    pub scheme: String,
    /// Host name, empty when the URL has none.
    pub host: String,
}

/// Parses an absolute URL the way a WHATWG URL parser does; `None` when it fails.
pub trait UrlParser {
    /// Parses `text` as an absolute URL.
    fn parse(&self, text: &str) -> Option<ParsedUrl>;
}

/// Whether a parsed URL may be called: scheme http or https and a host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebAddress {
    /// `https://…` with a host.
    Secure,
    /// `http://…` with a host: works, but in clear text.
    Plain,
    /// Does not parse, other scheme, or no host.
    Invalid,
}

/// Checks one trimmed URL with the given parser.
pub fn check(parser: &dyn UrlParser, text: &str) -> WebAddress {
    let Some(parsed) = parser.parse(text) else {
        return WebAddress::Invalid;
    };
    if parsed.host.is_empty() {
        return WebAddress::Invalid;
    }
    let scheme = parsed.scheme.trim_end_matches(':').to_ascii_lowercase();
    match scheme.as_str() {
        "https" => WebAddress::Secure,
        "http" => WebAddress::Plain,
        _ => WebAddress::Invalid,
    }
}
