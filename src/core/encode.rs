//! Percent-encoding as JavaScript's `encodeURIComponent` does it, for query strings and URLs.

/// Encodes every byte except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn component(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Builds `a=1&b=2` from pairs, encoding each key and value.
pub fn query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", component(k), component(v)))
        .collect::<Vec<_>>()
        .join("&")
}
