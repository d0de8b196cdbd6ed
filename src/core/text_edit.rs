//! Text editing helpers for the inputs: browser carets count UTF-16 units while Rust strings
//! are UTF-8, and comma lists and scripts need small, exact edits.

/// The byte index of a UTF-16 offset (a browser caret), clamped to the text and rounded down
/// to a character boundary.
pub fn byte_index(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, ch) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += ch.len_utf16() as u32;
        if units > utf16 {
            return i;
        }
    }
    text.len()
}

/// The UTF-16 offset of a byte index (clamped to the text).
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    text.char_indices()
        .take_while(|(i, _)| *i < byte)
        .map(|(_, ch)| ch.len_utf16() as u32)
        .sum()
}

/// The byte range of the comma-separated entry around `caret` (a byte index), without the
/// spaces around it.
pub fn entry_at(text: &str, caret: usize) -> (usize, usize) {
    let caret = caret.min(text.len());
    let start = text
        .get(..caret)
        .and_then(|s| s.rfind(','))
        .map_or(0, |i| i + 1);
    let end = text
        .get(caret..)
        .and_then(|s| s.find(','))
        .map_or(text.len(), |i| caret + i);
    let raw = text.get(start..end).unwrap_or("");
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    (start + lead, start + lead + trimmed.len())
}

/// The entry around `caret`, trimmed.
pub fn entry_text(text: &str, caret: usize) -> &str {
    let (start, end) = entry_at(text, caret);
    text.get(start..end).unwrap_or("")
}

/// Replaces the entry around `caret` with `replacement`; entries after the first get one
/// space after their comma. Returns the new text and the caret after the replacement.
pub fn replace_entry(text: &str, caret: usize, replacement: &str) -> (String, usize) {
    let (start, end) = entry_at(text, caret);
    // Back up over the spaces before the entry so the separator is exactly ", ".
    let before = text.get(..start).unwrap_or("").trim_end();
    let after = text.get(end..).unwrap_or("");
    let mut out = String::with_capacity(text.len() + replacement.len() + 1);
    out.push_str(before);
    if !before.is_empty() {
        out.push(' ');
    }
    out.push_str(replacement);
    let caret = out.len();
    out.push_str(after);
    (out, caret)
}

/// What Enter inserts at `caret` in a script: a newline and the indentation (spaces and
/// tabs) of the line the caret is on, up to the caret.
pub fn newline_with_indent(text: &str, caret: usize) -> String {
    let head = text.get(..caret.min(text.len())).unwrap_or(text);
    let line = head.rsplit('\n').next().unwrap_or("");
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    format!("\n{indent}")
}

/// The number of lines, for a line-number gutter (an empty text has one line).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}
