//! Escaping for markup built as text: repeated rows (the list, an import preview) are
//! rendered from small string builders, which keeps the wasm small; every value from a
//! server or a file goes through [`escape`] first.

/// Escapes text for use in element content and in double- or single-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Builds markup: literal pieces as written, values escaped.
#[derive(Default)]
pub struct Markup(String);

impl Markup {
    /// An empty builder.
    pub fn new() -> Markup {
        Markup(String::new())
    }

    /// Appends trusted markup written in the program.
    pub fn raw(&mut self, markup: &str) -> &mut Markup {
        self.0.push_str(markup);
        self
    }

    /// Appends a value, escaped.
    pub fn text(&mut self, value: &str) -> &mut Markup {
        push_escaped(&mut self.0, value);
        self
    }

    /// The markup built.
    pub fn finish(self) -> String {
        self.0
    }
}
