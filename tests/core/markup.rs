//! Escaping of markup built as text.

use hookpanel::core::markup::{escape, Markup};

#[test]
fn escapes_everything_that_could_open_markup_or_close_an_attribute() {
    let cases = [
        ("plain", "plain"),
        ("", ""),
        (
            "<script>alert(1)</script>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        ("a & b", "a &amp; b"),
        (r#"" onmouseover="x"#, "&quot; onmouseover=&quot;x"),
        ("it's", "it&#39;s"),
        ("Büro-Ankündigungen ✓ 🚀", "Büro-Ankündigungen ✓ 🚀"),
        ("&amp;", "&amp;amp;"),
    ];
    for (input, want) in cases {
        assert_eq!(escape(input), want, "{input}");
    }
}

#[test]
fn the_builder_escapes_values_only() {
    let mut m = Markup::new();
    m.raw("<td title=\"")
        .text("\"><b>")
        .raw("\">")
        .text("x < y")
        .raw("</td>");
    assert_eq!(
        m.finish(),
        "<td title=\"&quot;&gt;&lt;b&gt;\">x &lt; y</td>"
    );
}
