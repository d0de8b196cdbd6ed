//! Outgoing tokens: URL-safe text from random bytes the app draws with
//! `crypto.getRandomValues` (the core has no randomness of its own).

use crate::core::encode;

/// Random bytes to draw for a new token; 24 bytes give 32 characters (192 bits).
pub const TOKEN_BYTES: usize = 24;

/// Shortest token not flagged as weak, in characters (the spec asks for 24+).
pub const MIN_STRONG_LEN: usize = 24;

/// Encodes bytes as unpadded base64url (`A-Z a-z 0-9 - _`).
pub fn encode(bytes: &[u8]) -> String {
    encode::base64(bytes, encode::BASE64_URL, false)
}

/// Whether a token is long enough not to be guessed.
pub fn is_strong(token: &str) -> bool {
    token.trim().chars().count() >= MIN_STRONG_LEN
}
