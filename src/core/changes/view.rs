//! The review's lists as escaped markup (one `inner_html` each instead of a view tree per
//! row, which keeps the wasm small): changed fields old → new with why a change can break,
//! and the script's line diff. Both say in words what colour and strike-through show.

use super::lines::{DiffRow, LineDiff, LineOp, CONTEXT};
use super::merge::{Merge, Side};
use super::{FieldChange, Impact};
use crate::core::markup::{Html, Markup};

/// The `<li>` rows of a change list: label, old → new, and for a breaking change why.
pub fn change_items(changes: &[FieldChange]) -> Html {
    let mut m = Markup::new();
    push_change_items(&mut m, changes);
    m.finish()
}

fn push_change_items(m: &mut Markup, changes: &[FieldChange]) {
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
}

/// The body of the conflict dialog: who saved meanwhile (`sentence`), their changes and mine
/// (both kept), and for each field both changed a group of two radios named
/// `conflict-<index>` with the values `mine` and `theirs` (see [`parse_choice`]).
pub fn conflict_body(merge: &Merge, sentence: &str) -> Html {
    let mut m = Markup::new();
    m.raw("<p>")
        .text(sentence)
        .raw(" Nothing of yours has been saved yet.</p>");
    let mine = merge.mine_changes();
    for (title, list) in [
        ("<h3>Their changes (kept)</h3>", &merge.theirs_only),
        ("<h3>Your changes (kept)</h3>", &mine),
    ] {
        if !list.is_empty() {
            m.raw(title).raw("<ul class=\"change-list\">");
            push_change_items(&mut m, list);
            m.raw("</ul>");
        }
    }
    if !merge.conflicts.is_empty() {
        m.raw("<h3>Changed by both: choose one</h3>");
    }
    for (i, c) in merge.conflicts.iter().enumerate() {
        m.raw("<fieldset class=\"conflict\"><legend>")
            .text(c.label)
            .raw(" (was ")
            .text(&c.base)
            .raw(")</legend>");
        for (value, said, shown) in [
            ("mine", " Yours: ", &c.mine),
            ("theirs", " Theirs: ", &c.theirs),
        ] {
            m.raw("<label class=\"choice\"><input type=\"radio\" name=\"conflict-")
                .number(i)
                .raw("\" value=\"")
                .raw(value)
                .raw("\">")
                .raw(said)
                .raw("<strong>")
                .text(shown)
                .raw("</strong></label>");
        }
        m.raw("</fieldset>");
    }
    m.finish()
}

/// The conflict and side a radio of [`conflict_body`] stands for, from its name and value.
pub fn parse_choice(name: &str, value: &str) -> Option<(usize, Side)> {
    let index = name.strip_prefix("conflict-")?.parse().ok()?;
    let side = match value {
        "mine" => Side::Mine,
        "theirs" => Side::Theirs,
        _ => return None,
    };
    Some((index, side))
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
