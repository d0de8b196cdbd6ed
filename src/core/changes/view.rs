//! The review's lists as escaped markup (one `inner_html` each instead of a view tree per
//! row, which keeps the wasm small): changed fields old → new with why a change can break,
//! and the script's line diff. Both say in words what colour and strike-through show.

use super::lines::{DiffRow, LineDiff, LineOp, CONTEXT};
use super::{FieldChange, Impact};
use crate::core::markup::{Html, Markup};

/// The `<li>` rows of a change list: label, old → new, and for a breaking change why.
pub fn change_items(changes: &[FieldChange]) -> Html {
    let mut m = Markup::new();
    for c in changes {
        m.raw(if c.impact.is_breaking() {
            "<li class=\"breaking\">"
        } else {
            "<li>"
        });
        m.raw("<strong>")
            .text(c.label)
            .raw("</strong>: <span class=\"visually-hidden\">was </span><del class=\"change-old\">")
            .text(&c.old)
            .raw("</del><span aria-hidden=\"true\"> → </span><span class=\"visually-hidden\">, now </span><ins class=\"change-new\">")
            .text(&c.new)
            .raw("</ins>");
        if let Impact::Breaking(why) = c.impact {
            m.raw("<span class=\"change-why\"><strong>Can break the webhook: </strong>")
                .text(why)
                .raw("</span>");
        }
        m.raw("</li>");
    }
    m.finish()
}

/// The `<li>` rows of a script diff: each line marked added, removed or kept in words (the
/// marks and numbers are for the eye), unchanged runs beyond [`CONTEXT`] collapsed.
pub fn diff_items(diff: &LineDiff) -> Html {
    let mut m = Markup::new();
    for row in diff.rows(CONTEXT) {
        match row {
            DiffRow::Line(l) => {
                let (class, mark, said, no) = match l.op {
                    LineOp::Added => ("<li class=\"diff-add\">", "+", "Added line ", l.new_no),
                    LineOp::Removed => ("<li class=\"diff-del\">", "−", "Removed line ", l.old_no),
                    LineOp::Same => ("<li class=\"diff-same\">", " ", "Line ", l.new_no),
                };
                let no = no.unwrap_or_default();
                m.raw(class)
                    .raw("<span class=\"diff-mark\" aria-hidden=\"true\">")
                    .raw(mark)
                    .raw("</span><span class=\"diff-no\" aria-hidden=\"true\">")
                    .number(no)
                    .raw("</span><span class=\"visually-hidden\">")
                    .raw(said)
                    .number(no)
                    .raw(": </span><code>")
                    .text(&l.text)
                    .raw("</code></li>");
            }
            DiffRow::Skipped { count: 1, .. } => {
                m.raw("<li class=\"diff-skip\">1 unchanged line</li>");
            }
            DiffRow::Skipped { count, .. } => {
                m.raw("<li class=\"diff-skip\">")
                    .number(count)
                    .raw(" unchanged lines</li>");
            }
        }
    }
    m.finish()
}
