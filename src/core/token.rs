//! Outgoing tokens: URL-safe text from random bytes the app draws with
//! `crypto.getRandomValues` (the core has no randomness of its own).

/// Random bytes to draw for a new token; 24 bytes give 32 characters (192 bits).
pub const TOKEN_BYTES: usize = 24;

/// Shortest token not flagged as weak, in characters (the spec asks for 24+).
pub const MIN_STRONG_LEN: usize = 24;

/// Encodes bytes as unpadded base64url (`A-Z a-z 0-9 - _`).
pub fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        // chunk.len() + 1 output characters carry the chunk's bits.
        for i in 0..=chunk.len() {
            let six = (n >> (18 - 6 * i)) & 63;
            out.extend(ALPHABET.get(six as usize).map(|&c| char::from(c)));
        }
    }
    out
}

/// Whether a token is long enough not to be guessed.
pub fn is_strong(token: &str) -> bool {
    token.trim().chars().count() >= MIN_STRONG_LEN
}
