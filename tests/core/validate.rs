//! Client-side validation: one case per browser-checkable rule of spec §3.

use crate::support::{ctx, ctx_with, incoming_form, outgoing_form, v};
use hookpanel::core::channels::{self, ChannelEntry, ChannelKeyword};
use hookpanel::core::field::Field;
use hookpanel::core::form::{Form, IncomingForm, OutgoingForm};
use hookpanel::core::permissions::Permissions;
use hookpanel::core::validate::{self, Checked};
use hookpanel::core::version::Features;

fn own_only() -> Permissions {
    Permissions {
        manage_own_incoming: true,
        manage_own_outgoing: true,
        ..Permissions::default()
    }
}

fn check_in(f: &IncomingForm) -> Checked<validate::ValidIncoming> {
    validate::incoming(f, &ctx(Features::latest()))
}

fn check_out(f: &OutgoingForm) -> Checked<validate::ValidOutgoing> {
    validate::outgoing(f, &ctx(Features::latest()))
}

/// Asserts exactly one problem, on `field`, whose message contains `needle`.
fn only_problem<T: std::fmt::Debug>(c: &Checked<T>, field: Field, needle: &str, case: &str) {
    let problems = c.problems();
    assert_eq!(problems.len(), 1, "{case}: {problems:?}");
    assert_eq!(problems[0].field, field, "{case}");
    assert!(
        problems[0].message.contains(needle),
        "{case}: {:?} lacks {needle:?}",
        problems[0].message
    );
}

type InCase = (&'static str, fn(&mut IncomingForm), Field, &'static str);

#[test]
fn incoming_rules() {
    let cases: [InCase; 18] = [
        (
            "channel required",
            |f| f.set_text(Field::Channel, "  ".into()),
            Field::Channel,
            "Enter where messages are posted",
        ),
        (
            "empty entry",
            |f| f.set_text(Field::Channel, "#a,".into()),
            Field::Channel,
            "Remove the empty entry",
        ),
        (
            "empty middle entry",
            |f| f.set_text(Field::Channel, "#a, ,@b".into()),
            Field::Channel,
            "Remove the empty entry",
        ),
        (
            "no prefix",
            |f| f.set_text(Field::Channel, "general".into()),
            Field::Channel,
            "Start “general” with # for a room",
        ),
        (
            "bare #",
            |f| f.set_text(Field::Channel, "#".into()),
            Field::Channel,
            "Write a room name after #",
        ),
        (
            "bare @",
            |f| f.set_text(Field::Channel, "#a, @".into()),
            Field::Channel,
            "Write a username after @",
        ),
        (
            "space after #",
            |f| f.set_text(Field::Channel, "# general".into()),
            Field::Channel,
            "Remove the space after #",
        ),
        (
            "keyword",
            |f| f.set_text(Field::Channel, "all_public_channels".into()),
            Field::Channel,
            "cannot post to “all_public_channels”",
        ),
        (
            "keyword any case",
            |f| f.set_text(Field::Channel, "All_Private_Groups".into()),
            Field::Channel,
            "cannot post to",
        ),
        (
            "username required",
            |f| f.set_text(Field::PostAs, " ".into()),
            Field::PostAs,
            "Enter the username",
        ),
        (
            "username with @",
            |f| f.set_text(Field::PostAs, "@rocket.cat".into()),
            Field::PostAs,
            "without the @, for example rocket.cat",
        ),
        (
            "username two words",
            |f| f.set_text(Field::PostAs, "rocket cat".into()),
            Field::PostAs,
            "single username",
        ),
        (
            "alias too long",
            |f| f.set_text(Field::Alias, "a".repeat(61)),
            Field::Alias,
            "60 characters or fewer (it has 61)",
        ),
        (
            "alias bad char",
            |f| f.set_text(Field::Alias, "CI!".into()),
            Field::Alias,
            "remove “!”",
        ),
        (
            "avatar not a URL",
            |f| f.set_text(Field::Avatar, "logo.png".into()),
            Field::Avatar,
            "full web address",
        ),
        (
            "avatar other scheme",
            |f| f.set_text(Field::Avatar, "ftp://x.example/a.png".into()),
            Field::Avatar,
            "full web address",
        ),
        (
            "emoji without colons",
            |f| f.set_text(Field::Emoji, "ghost".into()),
            Field::Emoji,
            ":ghost:",
        ),
        (
            "emoji with space",
            |f| f.set_text(Field::Emoji, ":gh ost:".into()),
            Field::Emoji,
            "between colons",
        ),
    ];
    for (case, change, field, needle) in cases {
        let mut f = incoming_form();
        change(&mut f);
        only_problem(&check_in(&f), field, needle, case);
    }
}

#[test]
fn incoming_accepts_what_the_server_accepts() {
    let accepted: [fn(&mut IncomingForm); 8] = [
        |f| f.set_text(Field::Channel, " #general , @bob ,#random".into()),
        |f| f.set_text(Field::Channel, "#a,@b".into()),
        |f| f.set_text(Field::Alias, "Jean-Luc O'Neil_2.0".into()),
        |f| f.set_text(Field::Alias, "Zoë Ñandú 北京".into()),
        |f| f.set_text(Field::Alias, "x".repeat(60)),
        |f| f.set_text(Field::Emoji, " :+1: ".into()),
        |f| f.set_text(Field::Avatar, " http://img.example/a.png ".into()),
        |f| f.set_text(Field::Name, String::new()),
    ];
    for (n, change) in accepted.into_iter().enumerate() {
        let mut f = incoming_form();
        change(&mut f);
        let c = check_in(&f);
        assert!(c.is_ok(), "case {n}: {:?}", c.problems());
    }
}

#[test]
fn incoming_script_engine_rules() {
    let mut f = incoming_form();
    f.set_text(Field::ScriptEngine, "vm2".into());
    assert!(check_in(&f).is_ok(), "no script: engine not checked");
    f.set_text(Field::Script, "class Script {}".into());
    only_problem(
        &check_in(&f),
        Field::ScriptEngine,
        "isolated-vm",
        "vm2 on 8.8",
    );
    let c = validate::incoming(&f, &ctx(v(6, 5)));
    assert!(c.is_ok(), "vm2 is offered on 6.x");
}

#[test]
fn incoming_permission_rules() {
    let p = own_only();
    let mut f = incoming_form();
    f.set_text(Field::Channel, "#general, @bob".into());
    let c = validate::incoming(&f, &ctx_with(Features::latest(), &p));
    only_problem(&c, Field::Channel, "cannot use @user", "own-only @user");
    f.set_text(Field::Channel, "#general".into());
    let c = validate::incoming(&f, &ctx_with(Features::latest(), &p));
    assert!(c.is_ok());
    assert!(c
        .warnings_for(Field::Channel)
        .any(|w| w.message.contains("member")));
    let all = Permissions::all();
    let c = validate::incoming(&f, &ctx_with(Features::latest(), &all));
    assert_eq!(c.warnings_for(Field::Channel).count(), 0);
}

#[test]
fn incoming_warnings_are_apart_from_problems() {
    let mut f = incoming_form();
    f.set_text(Field::Name, " ".into());
    f.set_text(Field::Avatar, "https://x.example/a.png".into());
    f.set_text(Field::Emoji, ":ghost:".into());
    f.set_flag(Field::ScriptEnabled, true);
    let c = check_in(&f);
    assert!(c.is_ok());
    let fields: Vec<Field> = c.warnings.iter().map(|w| w.field).collect();
    assert_eq!(fields, vec![Field::Name, Field::Emoji, Field::Script]);
}

#[test]
fn changed_post_as_warns_on_old_servers() {
    let mut f = incoming_form();
    f.stored_username = Some("old.bot".into());
    let old = validate::incoming(&f, &ctx(v(7, 1)));
    assert!(old.is_ok());
    assert!(old
        .warnings_for(Field::PostAs)
        .any(|w| w.message.contains("7.1.0")));
    let new = validate::incoming(&f, &ctx(v(7, 6)));
    assert_eq!(new.warnings_for(Field::PostAs).count(), 0);
}

type OutCase = (&'static str, fn(&mut OutgoingForm), Field, &'static str);

#[test]
fn outgoing_rules() {
    let cases: [OutCase; 25] = [
        (
            "event required",
            |f| f.set_text(Field::Event, " ".into()),
            Field::Event,
            "Choose the event",
        ),
        (
            "channel required for sendMessage",
            |f| f.set_text(Field::Channel, " , ".into()),
            Field::Channel,
            "at least one channel",
        ),
        (
            "channel required for roomJoined",
            |f| {
                f.set_text(Field::Event, "roomJoined".into());
                f.set_text(Field::Channel, String::new());
            },
            Field::Channel,
            "at least one channel",
        ),
        (
            "no prefix",
            |f| f.set_text(Field::Channel, "#a, ops".into()),
            Field::Channel,
            "Start “ops” with #",
        ),
        (
            "keyword case",
            |f| f.set_text(Field::Channel, "ALL_PUBLIC_CHANNELS".into()),
            Field::Channel,
            "Write all_public_channels in lower case",
        ),
        (
            "bare #",
            |f| f.set_text(Field::Channel, "#".into()),
            Field::Channel,
            "room name after #",
        ),
        (
            "target room for userCreated",
            |f| {
                f.set_text(Field::Event, "userCreated".into());
                f.set_text(Field::TargetRoom, " ".into());
            },
            Field::TargetRoom,
            "Enter the room where the results are posted",
        ),
        (
            "urls required",
            |f| f.set_text(Field::Urls, "\n  \n".into()),
            Field::Urls,
            "at least one URL",
        ),
        (
            "url not an address",
            |f| f.set_text(Field::Urls, "bot.example.com/hook".into()),
            Field::Urls,
            "URL 1 (“bot.example.com/hook”) is not a web address",
        ),
        (
            "second url bad",
            |f| {
                f.set_text(
                    Field::Urls,
                    "https://ok.example\nftp://files.example/x".into(),
                )
            },
            Field::Urls,
            "URL 2",
        ),
        (
            "url without host",
            |f| f.set_text(Field::Urls, "mailto:ops@example.com".into()),
            Field::Urls,
            "URL 1",
        ),
        (
            "url with spaces in host",
            |f| f.set_text(Field::Urls, "https://bad host.example/".into()),
            Field::Urls,
            "URL 1",
        ),
        (
            "username required",
            |f| f.set_text(Field::PostAs, String::new()),
            Field::PostAs,
            "Enter the username",
        ),
        (
            "token required",
            |f| f.set_text(Field::Token, "   ".into()),
            Field::Token,
            "Enter a token",
        ),
        (
            "retry count zero",
            |f| f.set_text(Field::RetryCount, "0".into()),
            Field::RetryCount,
            "whole number of 1 or more",
        ),
        (
            "retry count negative",
            |f| f.set_text(Field::RetryCount, "-3".into()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry count fraction",
            |f| f.set_text(Field::RetryCount, "2.5".into()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry count word",
            |f| f.set_text(Field::RetryCount, "six".into()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry count empty",
            |f| f.set_text(Field::RetryCount, String::new()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry count plus",
            |f| f.set_text(Field::RetryCount, "+6".into()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry count huge",
            |f| f.set_text(Field::RetryCount, "99999999999".into()),
            Field::RetryCount,
            "whole number",
        ),
        (
            "retry delay",
            |f| f.set_text(Field::RetryDelay, "hourly".into()),
            Field::RetryDelay,
            "powers of ten, powers of two or increments of two",
        ),
        (
            "alias",
            |f| f.set_text(Field::Alias, "a/b".into()),
            Field::Alias,
            "remove “/”",
        ),
        (
            "emoji",
            |f| f.set_text(Field::Emoji, "::".into()),
            Field::Emoji,
            ":ghost:",
        ),
        (
            "avatar",
            |f| f.set_text(Field::Avatar, "javascript:alert(1)".into()),
            Field::Avatar,
            "full web address",
        ),
    ];
    for (case, change, field, needle) in cases {
        let mut f = outgoing_form();
        change(&mut f);
        only_problem(&check_out(&f), field, needle, case);
    }
}

#[test]
fn outgoing_normalises_lists() {
    let mut f = outgoing_form();
    f.set_text(Field::TriggerWords, " !a , ,!b ,".into());
    f.set_text(
        Field::Urls,
        "  https://a.example/x  \r\n\r\nhttps://b.example/y\n".into(),
    );
    f.set_text(Field::Channel, "#a,, #b ,".into());
    let c = check_out(&f);
    let valid = c.result.expect("valid");
    assert_eq!(valid.trigger_words(), ["!a", "!b"]);
    assert_eq!(valid.urls(), ["https://a.example/x", "https://b.example/y"]);
}

#[test]
fn outgoing_permission_rules() {
    let p = own_only();
    let latest = Features::latest();
    let mut f = outgoing_form();
    f.set_text(Field::Channel, "all_public_channels".into());
    assert!(validate::outgoing(&f, &ctx_with(latest, &p)).is_ok());
    f.set_text(Field::Channel, "#ops, all_private_groups".into());
    only_problem(
        &validate::outgoing(&f, &ctx_with(latest, &p)),
        Field::Channel,
        "You cannot use all_private_groups",
        "scoped keyword",
    );
    f.set_text(Field::Channel, "all_direct_messages".into());
    assert!(validate::outgoing(&f, &ctx_with(latest, &Permissions::all())).is_ok());
    f.set_text(Field::Channel, "@bob".into());
    only_problem(
        &validate::outgoing(&f, &ctx_with(latest, &p)),
        Field::Channel,
        "@user",
        "own-only @user",
    );
    let mut g = outgoing_form();
    g.set_text(Field::Event, "roomCreated".into());
    only_problem(
        &validate::outgoing(&g, &ctx_with(latest, &p)),
        Field::Event,
        "does not watch a channel",
        "event without channel",
    );
    assert!(validate::outgoing(&g, &ctx_with(latest, &Permissions::all())).is_ok());
}

#[test]
fn event_dependent_fields() {
    // Events without channel ignore whatever the channel field holds.
    let mut f = outgoing_form();
    f.set_text(Field::Event, "roomArchived".into());
    f.set_text(Field::Channel, "nonsense,,".into());
    f.set_text(Field::TriggerWords, String::new());
    assert!(check_out(&f).is_ok());
    // userCreated with a target room is fine; without # or @ only warns.
    f.set_text(Field::Event, "userCreated".into());
    f.set_text(Field::TargetRoom, "welcome".into());
    let c = check_out(&f);
    assert!(c.is_ok());
    assert_eq!(c.warnings_for(Field::TargetRoom).count(), 1);
    // Unknown events only warn and keep channel syntax optional.
    let mut g = outgoing_form();
    g.set_text(Field::Event, "messageEdited".into());
    g.set_text(Field::Channel, String::new());
    let c = check_out(&g);
    assert!(c.is_ok(), "{:?}", c.problems());
    assert!(c
        .warnings_for(Field::Event)
        .any(|w| w.message.contains("messageEdited")));
}

#[test]
fn outgoing_warnings() {
    let mut f = outgoing_form();
    f.set_text(Field::Urls, "http://plain.example/hook".into());
    f.set_text(Field::TriggerWords, String::new());
    f.set_text(Field::Token, "abc".into());
    let c = check_out(&f);
    assert!(c.is_ok());
    assert!(c
        .warnings_for(Field::Urls)
        .any(|w| w.message.contains("unencrypted")));
    assert!(c
        .warnings_for(Field::TriggerWords)
        .any(|w| w.message.contains("every message")));
    assert!(c
        .warnings_for(Field::Token)
        .any(|w| w.message.contains("short")));
}

#[test]
fn retry_values_are_lenient_when_not_retrying() {
    let mut f = outgoing_form();
    f.set_flag(Field::RetryFailedCalls, false);
    f.set_text(Field::RetryCount, "abc".into());
    f.set_text(Field::RetryDelay, "hourly".into());
    assert!(check_out(&f).is_ok());
    f.set_flag(Field::RetryFailedCalls, true);
    f.set_text(Field::RetryCount, " 007 ".into());
    f.set_text(Field::RetryDelay, "Powers-Of-Two".into());
    assert!(check_out(&f).is_ok());
}

#[test]
fn problems_come_in_form_order_one_per_field() {
    let mut f = outgoing_form();
    f.set_text(Field::Token, String::new());
    f.set_text(Field::Urls, "x\ny".into());
    f.set_text(Field::Channel, "a, b".into());
    f.set_text(Field::Event, String::new());
    let fields: Vec<Field> = check_out(&f).problems().iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        vec![Field::Event, Field::Channel, Field::Urls, Field::Token]
    );
    let mut f = outgoing_form();
    f.set_text(Field::Token, String::new());
    f.set_text(Field::Urls, String::new());
    f.set_text(Field::Channel, "a".into());
    let c = check_out(&f);
    let fields: Vec<Field> = c.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, vec![Field::Channel, Field::Urls, Field::Token]);
    assert!(c.problem_for(Field::Urls).is_some());
    assert_eq!(
        c.problem_for(Field::Token).map(|p| p.summary()),
        Some(format!(
            "Token: {}",
            c.problem_for(Field::Token).unwrap().message
        ))
    );
    assert!(c.problem_for(Field::PostAs).is_none());
}

#[test]
fn every_problem_message_is_a_sentence() {
    let mut f = outgoing_form();
    f.set_text(Field::Event, "userCreated".into());
    f.set_text(Field::Urls, String::new());
    f.set_text(Field::PostAs, String::new());
    f.set_text(Field::Token, String::new());
    f.set_text(Field::RetryCount, "x".into());
    f.set_text(Field::RetryDelay, "x".into());
    f.set_text(Field::Alias, "!".into());
    f.set_text(Field::Emoji, "x".into());
    f.set_text(Field::Avatar, "x".into());
    let c = check_out(&f);
    assert_eq!(c.problems().len(), 9);
    for p in c.problems() {
        assert!(p.message.ends_with('.'), "{p:?}");
        assert!(p.message.len() > 20, "{p:?}");
    }
}

#[test]
fn form_enum_dispatches() {
    let c = validate::form(&Form::Incoming(incoming_form()), &ctx(Features::latest()));
    assert_eq!(
        c.result.map(|v| v.kind()).ok(),
        Some(hookpanel::core::model::Kind::Incoming)
    );
    let mut bad = outgoing_form();
    bad.set_text(Field::Token, String::new());
    let c = validate::form(&Form::Outgoing(bad), &ctx(Features::latest()));
    assert_eq!(c.problems().len(), 1);
}

#[test]
fn channel_helpers() {
    assert_eq!(channels::split(" #a ,, @b "), vec!["#a", "", "@b"]);
    assert_eq!(channels::normalize(" #a ,, @b ,"), "#a, @b");
    assert_eq!(channels::join(&["#a".into(), "@b".into()]), "#a, @b");
    assert_eq!(
        channels::parse("#a,@b,all_direct_messages,,x"),
        vec![
            ChannelEntry::Room("a".into()),
            ChannelEntry::User("b".into()),
            ChannelEntry::Keyword(ChannelKeyword::AllDirectMessages),
            ChannelEntry::Empty,
            ChannelEntry::Invalid("x".into()),
        ]
    );
    assert_eq!(ChannelKeyword::parse("ALL_PUBLIC_CHANNELS"), None);
    assert_eq!(
        ChannelKeyword::parse_any_case("ALL_PUBLIC_CHANNELS"),
        Some(ChannelKeyword::AllPublicChannels)
    );
}

#[test]
fn field_ids_and_labels_are_stable_and_unique() {
    let mut ids: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), Field::ALL.len());
    assert_eq!(Field::Channel.id(), "field-channel");
    assert_eq!(Field::PostAs.id(), "field-post-as");
    assert_eq!(Field::PostAs.label(), "Post as");
    for f in Field::ALL {
        assert!(f.id().starts_with("field-"));
        assert_eq!(Field::from_api_key(f.api_key()), Some(f));
    }
    assert_eq!(Field::from_api_key("avatarUrl"), Some(Field::Avatar));
    assert_eq!(Field::from_api_key("nope"), None);
}
