//! What a run shows, as escaped markup text.

use super::Step;
use crate::core::markup::{Html, Markup};
use crate::core::script_lab::{self as lab, Post, ScriptError};
use serde_json::Value;

// One `inner_html` instead of a view tree per message keeps the lab small in wasm; every
// value goes through `Markup`, which escapes it.

fn error_markup(m: &mut Markup, e: &ScriptError) {
    let name = if e.name.is_empty() { "Error" } else { &e.name };
    m.raw("<div class=\"lab-error\" role=\"alert\"><p><strong>")
        .text(name);
    if let Some(p) = e.pos {
        m.text(" at ").text(&p.label());
    }
    m.raw(": </strong>").text(&e.message).raw("</p>");
    if !e.stack.is_empty() {
        m.raw("<pre class=\"code\">").text(&e.stack).raw("</pre>");
    }
    m.raw("</div>");
}

/// The steps of a run.
pub(super) fn steps_markup(steps: &[Step]) -> Html {
    let mut m = Markup::new();
    for s in steps {
        m.raw("<section class=\"lab-step\" data-method=\"")
            .text(s.method);
        m.raw("\"><h3><code>").text(s.method).raw("</code></h3>");
        if let Some(e) = &s.error {
            error_markup(&mut m, e);
        }
        if let Some(r) = &s.returned {
            m.raw("<details><summary>Returned</summary><pre class=\"code\">")
                .text(r)
                .raw("</pre></details>");
        }
        if let Some((code, body)) = &s.outcome.reply {
            m.raw("<p>Reply: <code>")
                .text(&format!("HTTP {code} {body}"))
                .raw("</code></p>");
        }
        for n in &s.outcome.notes {
            m.raw("<p class=\"muted\">").text(n).raw("</p>");
        }
        for p in &s.outcome.posts {
            post_markup(&mut m, p);
        }
        if let Some(c) = &s.outcome.call {
            m.raw("<h4>HTTP request it would send</h4><pre class=\"code lab-http\">");
            m.text(&c.method).text(" ").text(&c.url).text("\n");
            for (k, v) in &c.headers {
                m.text(k).text(": ").text(v).text("\n");
            }
            if let Some(b) = &c.body {
                m.text("\n").text(b);
            }
            m.raw("</pre>");
        }
        if !s.console.is_empty() {
            m.raw("<h4>Console</h4><pre class=\"code lab-console\">");
            for l in &s.console {
                m.text("[")
                    .text(&l.level)
                    .text("] ")
                    .text(&l.text)
                    .text("\n");
            }
            m.raw("</pre>");
        }
        m.raw("</section>");
    }
    m.finish()
}

fn text_markup(m: &mut Markup, text: &str) {
    for s in lab::markdown(text) {
        let class = format!(
            "{}{}{}",
            if s.bold { "md-b " } else { "" },
            if s.italic { "md-i " } else { "" },
            if s.strike { "md-s" } else { "" }
        );
        let (open, close) = match (&s.link, s.code) {
            (_, true) => ("<code class=\"", "</code>"),
            (Some(_), false) => (
                "<a target=\"_blank\" rel=\"noopener noreferrer nofollow\" class=\"",
                "</a>",
            ),
            (None, false) => ("<span class=\"", "</span>"),
        };
        m.raw(open).text(&class).raw("\"");
        if let (Some(href), false) = (&s.link, s.code) {
            m.raw(" href=\"").text(href).raw("\"");
        }
        m.raw(">").text(&s.text).raw(close);
    }
}

/// A message rendered like Rocket.Chat shows it, with the exact object below.
fn post_markup(m: &mut Markup, p: &Post) {
    let msg = &p.message;
    let get = |k: &str| msg.get(k).and_then(Value::as_str).unwrap_or("");
    let (alias, emoji, avatar) = (get("alias"), get("emoji"), get("avatar"));
    let who = if alias.is_empty() {
        p.poster.as_str()
    } else {
        alias
    };
    let target = if p.target.is_empty() {
        "(no room yet)"
    } else {
        &p.target
    };
    m.raw("<div class=\"lab-post\"><p class=\"muted\">Posted to <strong>")
        .text(target);
    m.raw("</strong> as ")
        .text(&p.poster)
        .raw("</p><div class=\"rc-message\">");
    match lab::safe_link(avatar) {
        Some(src) => {
            m.raw("<img class=\"avatar\" alt=\"\" width=\"36\" height=\"36\" src=\"")
                .text(&src)
                .raw("\">");
        }
        None if !emoji.is_empty() => {
            m.raw("<span class=\"avatar avatar-emoji\" title=\"")
                .text(emoji)
                .raw("\">");
            m.text(lab::emoji_char(emoji).unwrap_or("☺")).raw("</span>");
        }
        None => {
            let letter: String = who
                .chars()
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            m.raw("<span class=\"avatar avatar-letter\" aria-hidden=\"true\">")
                .text(&letter)
                .raw("</span>");
        }
    }
    m.raw("<div class=\"rc-body\"><div><strong>").text(who);
    m.raw("</strong> <span class=\"badge\">Bot</span></div><div class=\"rc-text\">");
    text_markup(m, get("msg"));
    m.raw("</div>");
    for a in lab::attachments(msg) {
        m.raw("<div class=\"rc-attachment\"");
        if let Some(c) = &a.color {
            m.raw(" style=\"border-left-color:").text(c).raw("\"");
        }
        m.raw(">");
        if let Some(x) = &a.author {
            m.raw("<div class=\"muted\">").text(x).raw("</div>");
        }
        if let Some(t) = &a.title {
            m.raw("<div class=\"rc-title\">");
            match &a.title_link {
                Some(href) => {
                    m.raw("<a target=\"_blank\" rel=\"noopener noreferrer nofollow\" href=\"")
                        .text(href)
                        .raw("\">");
                    m.text(t).raw("</a>");
                }
                None => {
                    m.text(t);
                }
            }
            m.raw("</div>");
        }
        if let Some(t) = &a.text {
            m.raw("<div class=\"rc-text\">");
            text_markup(m, t);
            m.raw("</div>");
        }
        m.raw("<div class=\"rc-fields\">");
        for (t, v, short) in &a.fields {
            m.raw(if *short {
                "<div class=\"rc-field short\"><strong>"
            } else {
                "<div class=\"rc-field\"><strong>"
            });
            m.text(t).raw("</strong><div>");
            text_markup(m, v);
            m.raw("</div></div>");
        }
        m.raw("</div>");
        if let Some(src) = &a.image_url {
            m.raw("<img class=\"rc-image\" alt=\"\" src=\"")
                .text(src)
                .raw("\">");
        }
        m.raw("</div>");
    }
    m.raw("</div></div><details><summary>Message object</summary><pre class=\"code lab-message-json\">");
    m.text(&serde_json::to_string_pretty(msg).unwrap_or_default());
    m.raw("</pre></details></div>");
}
