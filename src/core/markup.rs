//! Escaping for markup built as text: repeated rows (the list, an import preview) are
//! rendered from small string builders, which keeps the wasm small. The types make the
//! escaping impossible to forget: markup is an [`Html`], made only of literals written in
//! the program (`&'static str`) and of escaped text, and that is all the builder takes.

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

/// Markup safe to insert into the page: only made from literals written in the program or
/// from escaped text (never from a runtime string as it is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    /// Text, escaped.
    pub fn escape(text: &str) -> Html {
        Html(escape(text))
    }

    /// The markup as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup as an owned string, for the DOM.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<&'static str> for Html {
    fn from(markup: &'static str) -> Html {
        Html(markup.to_owned())
    }
}

impl PartialEq<&str> for Html {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
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

    /// Appends markup written in the program.
    pub fn raw(&mut self, markup: &'static str) -> &mut Markup {
        self.0.push_str(markup);
        self
    }

    /// Appends a value, escaped.
    pub fn text(&mut self, value: &str) -> &mut Markup {
        push_escaped(&mut self.0, value);
        self
    }

    /// Appends a number.
    pub fn number(&mut self, value: usize) -> &mut Markup {
        self.0.push_str(&value.to_string());
        self
    }

    /// The markup built.
    pub fn finish(self) -> Html {
        Html(self.0)
    }
}
