//! Percent-encoding as JavaScript's `encodeURIComponent` does it, for query strings and URLs.

/// Encodes every byte except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 15] {
                out.extend(HEX.get(usize::from(nibble)).map(|&h| char::from(h)));
            }
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
