//! Shared helpers of the native core tests: a `url`-crate URL parser, validation contexts,
//! fixtures, and the request schemas of rest-typings (8.8.1 and the §8 version variants).
#![allow(dead_code)]

pub mod schema;

use hookpanel::core::field::Field;
use hookpanel::core::form::{IncomingForm, OutgoingForm};
use hookpanel::core::permissions::Permissions;
use hookpanel::core::urls::{ParsedUrl, UrlParser};
use hookpanel::core::validate::{self, Context, ValidIncoming, ValidOutgoing};
use hookpanel::core::version::{Features, ServerVersion};
use serde_json::{json, Value};

/// WHATWG parsing through the `url` crate, standing in for the browser's `URL`.
pub struct UrlCrate;

impl UrlParser for UrlCrate {
    fn parse(&self, text: &str) -> Option<ParsedUrl> {
        let u = url::Url::parse(text).ok()?;
        Some(ParsedUrl {
            // The browser's `protocol` keeps the colon; the core must accept both.
            scheme: format!("{}:", u.scheme()),
            host: u.host_str().unwrap_or("").to_owned(),
        })
    }
}

/// Shared parser instance.
pub static URLS: UrlCrate = UrlCrate;

/// Features of `major.minor`.
pub fn v(major: u32, minor: u32) -> Features {
    Features::for_version(Some(ServerVersion::new(major, minor, 0)))
}

/// A context with the given features and no permission knowledge.
pub fn ctx(features: Features) -> Context<'static> {
    Context {
        features,
        permissions: None,
        urls: &URLS,
    }
}

/// A context with permissions.
pub fn ctx_with(features: Features, permissions: &Permissions) -> Context<'_> {
    Context {
        features,
        permissions: Some(permissions),
        urls: &URLS,
    }
}

/// A complete, valid new incoming form.
pub fn incoming_form() -> IncomingForm {
    let mut f = IncomingForm::new();
    f.set_text(Field::Name, "CI notices".into());
    f.set_text(Field::Channel, "#general".into());
    f.set_text(Field::PostAs, "rocket.cat".into());
    f
}

/// A complete, valid new outgoing form.
pub fn outgoing_form() -> OutgoingForm {
    let mut f = OutgoingForm::new("tok_0123456789abcdefghijklmnopq".into());
    f.set_text(Field::Name, "Deploy bot".into());
    f.set_text(Field::Channel, "#ops".into());
    f.set_text(Field::TriggerWords, "!deploy".into());
    f.set_text(Field::Urls, "https://bot.example.com/hook".into());
    f.set_text(Field::PostAs, "rocket.cat".into());
    f
}

/// Validates an incoming form that must pass.
pub fn valid_incoming(form: &IncomingForm, features: Features) -> ValidIncoming {
    match validate::incoming(form, &ctx(features)).result {
        Ok(v) => v,
        Err(p) => panic!("expected valid incoming form, got {p:?}"),
    }
}

/// Validates an outgoing form that must pass.
pub fn valid_outgoing(form: &OutgoingForm, features: Features) -> ValidOutgoing {
    match validate::outgoing(form, &ctx(features)).result {
        Ok(v) => v,
        Err(p) => panic!("expected valid outgoing form, got {p:?}"),
    }
}

/// A stored incoming document as an 8.x server returns it.
pub fn stored_incoming() -> Value {
    json!({
        "_id": "66a1f0c2e4b0a1b2c3d4e5f6",
        "type": "webhook-incoming",
        "name": "CI notices",
        "enabled": false,
        "username": "rocket.cat",
        "userId": "rocket.cat",
        "channel": ["#general", "@bob"],
        "token": "AbCdEf/Gh+Ij=",
        "scriptEnabled": false,
        "script": "class Script {\r\n\tprocess_incoming_request({ request }) {\r\n\t\treturn { content: { text: 'héllo ✓ 🚀' } };\r\n\t}\r\n}\n",
        "scriptEngine": "isolated-vm",
        "skipTranspile": false,
        "overrideDestinationChannelEnabled": false,
        "alias": "CI",
        "avatar": "https://example.com/ci.png",
        "emoji": "",
        "_createdAt": "2024-05-01T10:00:00.000Z",
        "_createdBy": {"_id": "u1", "username": "alice"},
        "_updatedAt": "2024-05-02T10:00:00.000Z"
    })
}

/// A stored outgoing document with every toggle `false` and a tricky script.
pub fn stored_outgoing() -> Value {
    json!({
        "_id": "aB3dE5fG7hJ9kL1mN",
        "type": "webhook-outgoing",
        "name": "Deploy bot",
        "enabled": false,
        "event": "sendMessage",
        "username": "rocket.cat",
        "userId": "rocket.cat",
        "channel": ["#ops", "all_public_channels"],
        "urls": ["https://bot.example.com/hook", "http://legacy.example.com/x"],
        "triggerWords": ["!deploy", "!rollback"],
        "triggerWordAnywhere": false,
        "token": "s3cr3t-t0ken-0123456789abcdef",
        "runOnEdits": false,
        "retryFailedCalls": false,
        "retryCount": 6,
        "retryDelay": "powers-of-two",
        "impersonateUser": false,
        "targetRoom": "",
        "alias": "",
        "avatar": "",
        "emoji": ":rocket:",
        "scriptEnabled": false,
        "script": "\tconst s = 'naïve — ✓';\r\n\t// tab\tand CRLF\r\n",
        "scriptEngine": "isolated-vm",
        "skipTranspile": false,
        "scriptCompiled": "x",
        "_createdAt": "2024-05-01T10:00:00.000Z",
        "_createdBy": {"_id": "u2", "username": "bob"},
        "_updatedAt": "2024-05-02T10:00:00.000Z",
        "_updatedBy": {"_id": "u1", "username": "alice"}
    })
}
