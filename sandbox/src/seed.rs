//! The initial data set: accounts, rooms, integrations, history (documented in the README).

use crate::model::*;
use crate::script::{self, Compiled, Mode};
use crate::util::{iso_from_ms, ms_from_iso, object_id, sha256_hex};
use serde_json::{json, Value};

pub const PASSWORD: &str = "hookpanel-demo";
pub const ADMIN_ID: &str = "9ZWavJhzHXNEXeSz6";
pub const ADMIN2FA_ID: &str = "QWLxzgcP5AmqhJAcM";
pub const MAILADMIN_ID: &str = "hpf6mmRJ4WhgFZ5hy";
pub const OWNER_ID: &str = "aJMF7KAGkziPT5WkL";
pub const ALICE_ID: &str = "eEN7XwGenHvKntvjS";
pub const BOB_ID: &str = "yWbxvySDB6PpfySWJ";
pub const CAROL_ID: &str = "rPtFDSdJDoGShfByj";
/// A second plain admin, so tests can have two admins edit the same webhook.
pub const DANA_ID: &str = "Dn4XbQ7wKcRt2mYsE";
pub const ROCKET_CAT_ID: &str = "rocket.cat";
/// Personal access token of `admin` (use with `X-User-Id: ADMIN_ID`).
pub const ADMIN_PAT: &str = "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5";
/// Base32 TOTP secret of `admin2fa` (SHA-1, 6 digits, 30 s).
pub const ADMIN2FA_TOTP_SECRET: &str = "HOOKPANELSANDBOXTOTPSECRETKEY234";

pub const ROOM_GENERAL: &str = "GENERAL";
pub const ROOM_DEV: &str = "vZjNb7RTfwE5zTKPY";
pub const ROOM_BUERO: &str = "MZk9x2s4KbA477cZx";
pub const ROOM_OPS: &str = "fm7FkoZRdmQReABkS";

pub const INT_GITHUB: &str = "3gb9faFQesm2NNexs";
pub const INT_MONITORING: &str = "dEa79GpBTnypLePi8";
pub const INT_BROKEN: &str = "geRrtiwN5xBYDQw84";
pub const INT_OWNER_IN: &str = "pfG8Co9DSfLhkdMGR";
pub const INT_BUERO: &str = "82cccf424311ccc92bd5a7b6";
pub const INT_DEPLOY: &str = "nMTjo6fLuRuYQcWMh";
pub const INT_OWNER_OUT: &str = "ogFbYmKyZmuNhNuj6";
pub const INT_WELCOME: &str = "5812c3f64da5ae1b4b9cb501";
pub const INT_ARCHIVE: &str = "r3zYrniTGtadqDS3s";
pub const INT_BROKEN_OUT: &str = "5saJMozMEisqM7wbN";

pub const TOKEN_GITHUB: &str = "toRTGiR9do22sfT99KbNjj45TJ7yFwNJuhDzzSLQQg8pcLuD";
pub const TOKEN_MONITORING: &str = "dwWv8XHShxBFzLHHHb5iobeuAd6xAYfBA8NNzkaKgqQWHiN5";
pub const TOKEN_BROKEN: &str = "YHEL4K8cNtbGXyjFCDoKSktifS7TTRckTkMviDKNaZk8rz5G";
pub const TOKEN_OWNER_IN: &str = "u38NEQNk69PGWN67SNv7MPg5sNkGpSYc3hr9ZMEYEK8CoSyP";
pub const TOKEN_BUERO: &str = "uacvzASduDF9BRdPpuWjxDRW9aj65R7Ff7HQQ4roLnAbYTej";

pub const INTEGRATION_PERMISSIONS: [&str; 4] = [
    "manage-incoming-integrations",
    "manage-own-incoming-integrations",
    "manage-outgoing-integrations",
    "manage-own-outgoing-integrations",
];

const SEED_DATE: &str = "2024-01-02T09:00:00.000Z";

const GOOD_SCRIPT: &str = r#"class Script {
  process_incoming_request({ request }) {
    const push = request.content;
    if (Object.keys(push).length === 0) {
      return { error: 'body-empty' };
    }
    // Anything but a GitHub push is posted as sent.
    if (request.headers['x-github-event'] !== 'push' && !push.pusher) {
      return { content: push };
    }
    return {
      content: {
        text: `${push.pusher ? push.pusher.name : 'Someone'} pushed to ${push.repository ? push.repository.full_name : 'a repository'}`,
      },
    };
  }
}
"#;

const BROKEN_SCRIPT: &str = r#"class Script {
  process_incoming_request({ request }) {
    return { content: { text: request.content.text };
  }
}
"#;

const BROKEN_OUTGOING_SCRIPT: &str = r#"class Script {
  prepare_outgoing_request({ request }) {
    return request
  }
  process_outgoing_response({ request, response } {
    return { content: { text: response.content.text } };
  }
}
"#;

fn user(id: &str, username: &str, name: &str, email: Option<&str>, roles: &[&str]) -> User {
    User {
        id: id.into(),
        username: username.into(),
        name: name.into(),
        emails: email
            .map(|e| {
                vec![Email {
                    address: e.into(),
                    verified: true,
                }]
            })
            .unwrap_or_default(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        active: true,
        kind: "user".into(),
        password_sha256: Some(sha256_hex(PASSWORD)),
        totp_secret: None,
        email2fa: false,
        login_tokens: vec![],
        email_codes: vec![],
        created_at: SEED_DATE.into(),
    }
}

fn room(id: &str, name: &str, fname: &str, t: &str, topic: Option<&str>) -> Room {
    Room {
        id: id.into(),
        name: Some(name.into()),
        fname: Some(fname.into()),
        t: t.into(),
        created_at: SEED_DATE.into(),
        updated_at: SEED_DATE.into(),
        usernames: vec![],
        uids: vec![],
        msgs: 0,
        default: id == ROOM_GENERAL,
        topic: topic.map(Into::into),
    }
}

fn roles_and_permissions() -> (Vec<Role>, Vec<Permission>) {
    let roles = [
        ("admin", "Administrator", true),
        ("user", "Regular user", true),
        ("bot", "Bot", true),
        ("app", "App", true),
        (
            "webhook-owner",
            "May manage only the webhooks they created",
            false,
        ),
        (
            "integration-manager",
            "Full integration rights without the own-permissions",
            false,
        ),
    ]
    .iter()
    .map(|(id, d, p)| Role {
        id: id.to_string(),
        description: d.to_string(),
        protected: *p,
    })
    .collect();
    let perms: &[(&str, &[&str])] = &[
        (
            "manage-incoming-integrations",
            &["admin", "integration-manager"],
        ),
        (
            "manage-own-incoming-integrations",
            &["admin", "webhook-owner"],
        ),
        (
            "manage-outgoing-integrations",
            &["admin", "integration-manager"],
        ),
        (
            "manage-own-outgoing-integrations",
            &["admin", "webhook-owner"],
        ),
        ("view-statistics", &["admin"]),
        ("get-server-info", &["admin"]),
        ("api-bypass-rate-limit", &["admin", "bot", "app"]),
        ("create-personal-access-tokens", &["admin"]),
        ("view-full-other-user-info", &["admin"]),
        ("view-room-administration", &["admin"]),
        ("view-user-administration", &["admin"]),
        ("message-impersonate", &["bot", "app"]),
        ("view-c-room", &["admin", "user", "bot", "app"]),
        ("view-p-room", &["admin", "user", "bot"]),
        ("view-d-room", &["admin", "user", "bot"]),
        ("view-outside-room", &["admin", "user", "bot", "app"]),
        ("create-c", &["admin", "user", "bot"]),
        ("create-p", &["admin", "user", "bot"]),
    ];
    let perms = perms
        .iter()
        .map(|(id, roles)| Permission {
            id: id.to_string(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            updated_at: SEED_DATE.into(),
        })
        .collect();
    (roles, perms)
}

fn compiled(source: &str) -> Result<String, Value> {
    match script::compile(source, Mode::Transpile) {
        Compiled::Ok(s) => Ok(s),
        Compiled::Err(e) => Err(e),
    }
}

/// Stored incoming document, field order as `addIncomingIntegration` writes it.
#[allow(clippy::too_many_arguments)]
fn incoming(
    id: &str,
    name: &str,
    creator: &User,
    post_as: &User,
    channels: &[&str],
    token: &str,
    created: &str,
    extra: Value,
) -> Doc {
    let mut d = Doc::new();
    d.insert("_id".into(), json!(id));
    d.insert("type".into(), json!("webhook-incoming"));
    d.insert("username".into(), json!(post_as.username));
    d.insert("scriptEnabled".into(), json!(false));
    d.insert("name".into(), json!(name));
    d.insert("enabled".into(), json!(true));
    if let Value::Object(m) = extra {
        for (k, v) in m {
            d.insert(k, v);
        }
    }
    d.insert("scriptEngine".into(), json!("isolated-vm"));
    d.insert("skipTranspile".into(), json!(false));
    d.insert("channel".into(), json!(channels));
    if !d.contains_key("overrideDestinationChannelEnabled") {
        d.insert("overrideDestinationChannelEnabled".into(), json!(false));
    }
    d.insert("token".into(), json!(token));
    d.insert("userId".into(), json!(post_as.id));
    d.insert("_createdAt".into(), json!(created));
    d.insert("_createdBy".into(), creator.stamp());
    apply_script(&mut d);
    d.insert("_updatedAt".into(), json!(created));
    d
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn outgoing(
    id: &str,
    name: &str,
    creator: &User,
    post_as: &User,
    event: &str,
    channels: &[&str],
    urls: &[String],
    created: &str,
    extra: Value,
) -> Doc {
    let mut d = Doc::new();
    d.insert("_id".into(), json!(id));
    d.insert("type".into(), json!("webhook-outgoing"));
    d.insert("username".into(), json!(post_as.username));
    d.insert("event".into(), json!(event));
    d.insert("scriptEnabled".into(), json!(false));
    d.insert("name".into(), json!(name));
    d.insert("enabled".into(), json!(true));
    d.insert("urls".into(), json!(urls));
    d.insert("token".into(), json!(format!("{id}-secret")));
    d.insert("impersonateUser".into(), json!(false));
    d.insert("retryFailedCalls".into(), json!(true));
    d.insert("retryCount".into(), json!(6));
    d.insert("retryDelay".into(), json!("powers-of-ten"));
    if event == "sendMessage" {
        d.insert("triggerWordAnywhere".into(), json!(false));
        d.insert("runOnEdits".into(), json!(true));
    }
    if let Value::Object(m) = extra {
        for (k, v) in m {
            d.insert(k, v);
        }
    }
    d.insert("scriptEngine".into(), json!("isolated-vm"));
    d.insert("skipTranspile".into(), json!(false));
    d.insert("channel".into(), json!(channels));
    d.insert("userId".into(), json!(post_as.id));
    d.insert("_createdAt".into(), json!(created));
    d.insert("_createdBy".into(), creator.stamp());
    apply_script(&mut d);
    d.insert("_updatedAt".into(), json!(created));
    d
}

fn apply_script(d: &mut Doc) {
    let enabled = d.get("scriptEnabled") == Some(&json!(true));
    let source = d.get("script").and_then(Value::as_str).unwrap_or("");
    if enabled && !source.trim().is_empty() {
        match compiled(source) {
            Ok(c) => {
                d.insert("scriptCompiled".into(), json!(c));
            }
            Err(e) => {
                d.insert("scriptError".into(), e);
            }
        }
    }
}

fn message(id: &str, rid: &str, u: &User, text: &str, ts: &str, extra: Value) -> Doc {
    let mut m = Doc::new();
    m.insert("_id".into(), json!(id));
    m.insert("rid".into(), json!(rid));
    m.insert("msg".into(), json!(text));
    m.insert("ts".into(), json!(ts));
    m.insert(
        "u".into(),
        json!({ "_id": u.id, "username": u.username, "name": u.name }),
    );
    if let Value::Object(x) = extra {
        for (k, v) in x {
            m.insert(k, v);
        }
    }
    m.insert("_updatedAt".into(), json!(ts));
    m
}

/// Builds the initial state. `site` is this server's base URL (receiver URLs point at it).
pub fn initial_state(site: &str, large: usize) -> State {
    let (roles, permissions) = roles_and_permissions();
    let mut admin = user(
        ADMIN_ID,
        "admin",
        "Ada Admin",
        Some("admin@example.com"),
        &["admin", "user"],
    );
    admin.login_tokens.push(LoginToken {
        hashed: sha256_hex(ADMIN_PAT),
        when: SEED_DATE.into(),
        pat_name: Some("hookpanel-sandbox".into()),
        bypass_two_factor: true,
    });
    let mut admin2fa = user(
        ADMIN2FA_ID,
        "admin2fa",
        "Tom Totp",
        Some("admin2fa@example.com"),
        &["admin", "user"],
    );
    admin2fa.totp_secret = Some(ADMIN2FA_TOTP_SECRET.into());
    let mut mailadmin = user(
        MAILADMIN_ID,
        "mailadmin",
        "Mia Mail",
        Some("mailadmin@example.com"),
        &["admin", "user"],
    );
    mailadmin.email2fa = true;
    let owner = user(
        OWNER_ID,
        "owner",
        "Otto Owner",
        Some("owner@example.com"),
        &["user", "webhook-owner"],
    );
    let mut cat = user(ROCKET_CAT_ID, "rocket.cat", "Rocket.Cat", None, &["bot"]);
    cat.kind = "bot".into();
    cat.password_sha256 = None;
    let alice = user(
        ALICE_ID,
        "alice",
        "Alice Example",
        Some("alice@example.com"),
        &["user"],
    );
    let bob = user(
        BOB_ID,
        "bob",
        "Bob Example",
        Some("bob@example.com"),
        &["user"],
    );
    let dana = user(
        DANA_ID,
        "dana",
        "Dana Second",
        Some("dana@example.com"),
        &["admin", "user"],
    );
    let carol = user(
        CAROL_ID,
        "carol",
        "Carol Manager",
        Some("carol@example.com"),
        &["user", "integration-manager"],
    );

    let rooms = vec![
        room(ROOM_GENERAL, "general", "general", "c", Some("Everyone")),
        room(ROOM_DEV, "dev", "dev", "c", Some("Development")),
        room(ROOM_BUERO, "büro", "Büro", "c", Some("Büro und Verwaltung")),
        room(ROOM_OPS, "ops", "ops", "p", Some("Operations (private)")),
    ];
    let everyone = [
        ADMIN_ID,
        ADMIN2FA_ID,
        MAILADMIN_ID,
        OWNER_ID,
        ROCKET_CAT_ID,
        ALICE_ID,
        BOB_ID,
        CAROL_ID,
        DANA_ID,
    ];
    let mut subscriptions = vec![];
    let mut sub = |rid: &str, uids: &[&str]| {
        for uid in uids {
            subscriptions.push(Subscription {
                rid: rid.into(),
                uid: uid.to_string(),
            });
        }
    };
    sub(ROOM_GENERAL, &everyone);
    sub(
        ROOM_DEV,
        &[ADMIN_ID, OWNER_ID, ALICE_ID, ROCKET_CAT_ID, CAROL_ID],
    );
    sub(ROOM_BUERO, &[ADMIN_ID, BOB_ID, ROCKET_CAT_ID]);
    sub(ROOM_OPS, &[ADMIN_ID, BOB_ID, ROCKET_CAT_ID, MAILADMIN_ID]);

    let receiver = |name: &str| format!("{site}/sandbox/receiver/{name}");
    let integrations = vec![
        incoming(
            INT_GITHUB,
            "GitHub pushes",
            &admin,
            &cat,
            &["#dev"],
            TOKEN_GITHUB,
            "2024-01-10T10:00:00.000Z",
            json!({
                "alias": "GitHub",
                "emoji": ":octocat:",
                "scriptEnabled": true,
                "script": GOOD_SCRIPT,
            }),
        ),
        incoming(
            INT_MONITORING,
            "Monitoring alerts",
            &admin,
            &cat,
            &["#ops"],
            TOKEN_MONITORING,
            "2024-02-05T08:30:00.000Z",
            json!({
                "enabled": false,
                "alias": "Monitoring",
                "avatar": "https://example.com/monitoring.png",
            }),
        ),
        incoming(
            INT_BROKEN,
            "Broken script",
            &admin,
            &cat,
            &["#general"],
            TOKEN_BROKEN,
            "2024-03-01T12:00:00.000Z",
            json!({ "scriptEnabled": true, "script": BROKEN_SCRIPT }),
        ),
        incoming(
            INT_OWNER_IN,
            "Owner's build notices",
            &owner,
            &owner,
            &["#general"],
            TOKEN_OWNER_IN,
            "2024-03-15T15:45:00.000Z",
            json!({ "alias": "CI", "emoji": ":construction_worker:" }),
        ),
        incoming(
            INT_BUERO,
            "Büro-Ankündigungen",
            &admin,
            &cat,
            &["#büro", "@bob"],
            TOKEN_BUERO,
            "2024-04-02T07:15:00.000Z",
            json!({ "alias": "Büro", "overrideDestinationChannelEnabled": true }),
        ),
        outgoing(
            INT_DEPLOY,
            "Deploy bot",
            &admin,
            &cat,
            "sendMessage",
            &["#dev"],
            &[receiver("deploy")],
            "2024-01-20T11:00:00.000Z",
            json!({ "triggerWords": ["!deploy"], "alias": "Deployer", "emoji": ":rocket:" }),
        ),
        outgoing(
            INT_OWNER_OUT,
            "Owner's echo",
            &owner,
            &owner,
            "sendMessage",
            &["#general"],
            &[receiver("owner-echo")],
            "2024-03-20T09:10:00.000Z",
            json!({
                "triggerWords": ["hello"],
                "triggerWordAnywhere": true,
                "retryFailedCalls": false,
            }),
        ),
        outgoing(
            INT_WELCOME,
            "Welcome new users",
            &admin,
            &cat,
            "userCreated",
            &[],
            &[receiver("welcome")],
            "2024-04-10T13:20:00.000Z",
            json!({ "targetRoom": "#general" }),
        ),
        outgoing(
            INT_ARCHIVE,
            "Public archive (disabled)",
            &admin,
            &cat,
            "sendMessage",
            &["all_public_channels"],
            &[receiver("archive")],
            "2024-05-01T16:00:00.000Z",
            json!({ "enabled": false }),
        ),
        outgoing(
            INT_BROKEN_OUT,
            "Outgoing with script error",
            &admin,
            &cat,
            "sendMessage",
            &["#general"],
            &[receiver("broken")],
            "2024-05-12T10:05:00.000Z",
            json!({
                "triggerWords": ["!broken"],
                "scriptEnabled": true,
                "script": BROKEN_OUTGOING_SCRIPT,
            }),
        ),
    ];

    let m1 = message(
        "qHaXvN3ceKdZ7yW5s",
        ROOM_GENERAL,
        &admin,
        "Welcome to the hookpanel sandbox!",
        "2024-06-01T08:00:00.000Z",
        json!({}),
    );
    let m2 = message(
        "cxkzhzD5LvuYNfu8C",
        ROOM_DEV,
        &alice,
        "!deploy web-frontend",
        "2024-06-01T09:00:00.000Z",
        json!({}),
    );
    let m3 = message(
        "3AHi5PafKr39uhZfA",
        ROOM_DEV,
        &cat,
        "Deploying web-frontend…",
        "2024-06-01T09:00:01.000Z",
        json!({ "alias": "Deployer", "emoji": ":rocket:", "bot": { "i": INT_DEPLOY }, "groupable": false }),
    );
    let m4 = message(
        "vayreiwWb9Nf4h4bk",
        ROOM_DEV,
        &alice,
        "!deploy api",
        "2024-06-02T14:30:00.000Z",
        json!({}),
    );
    let messages = vec![m1, m2.clone(), m3, m4.clone()];

    let deploy = integrations
        .iter()
        .find(|d| d.get("_id") == Some(&json!(INT_DEPLOY)))
        .cloned()
        .unwrap_or_default();
    let history = vec![
        history_row(
            "HsT9pQm2vWc4xYz7A",
            &deploy,
            &m2,
            &alice,
            "dev",
            &receiver("deploy"),
            json!({
                "step": "url-response-sent-message",
                "httpResult": "\"{\\\"text\\\":\\\"Deploying web-frontend…\\\"}\"",
                "finished": true,
            }),
        ),
        history_row(
            "HsTb3Rn8kLm5QwE2d",
            &deploy,
            &m4,
            &alice,
            "dev",
            &receiver("deploy"),
            json!({
                "step": "too-many-retries",
                "httpResult": "\"Service temporarily unavailable\"",
                "error": true,
                "finished": false,
            }),
        ),
    ];

    let mut state = State {
        users: vec![
            admin, admin2fa, mailadmin, owner, cat, alice, bob, carol, dana,
        ],
        roles,
        permissions,
        rooms,
        subscriptions,
        integrations,
        history,
        messages,
        seeded_for: site.to_string(),
    };
    for rid in [ROOM_GENERAL, ROOM_DEV] {
        let n = state
            .messages
            .iter()
            .filter(|m| m.get("rid") == Some(&json!(rid)))
            .count() as u64;
        if let Some(r) = state.rooms.iter_mut().find(|r| r.id == rid) {
            r.msgs = n;
        }
    }
    add_large(&mut state, site, large);
    state
}

#[allow(clippy::too_many_arguments)]
fn history_row(
    id: &str,
    integration: &Doc,
    msg: &Doc,
    user: &User,
    room_name: &str,
    url: &str,
    extra: Value,
) -> Doc {
    let ts = msg.get("ts").cloned().unwrap_or(Value::Null);
    let data = json!({
        "token": integration.get("token"),
        "bot": false,
        "trigger_word": "!deploy",
        "channel_id": msg.get("rid"),
        "channel_name": room_name,
        "message_id": msg.get("_id"),
        "timestamp": ts,
        "user_id": user.id,
        "user_name": user.username,
        "text": msg.get("msg"),
        "siteUrl": url.split("/sandbox/").next().unwrap_or(""),
    });
    let created = ts.as_str().and_then(ms_from_iso).unwrap_or(0) + 150;
    let mut h = Doc::new();
    h.insert("_id".into(), json!(id));
    h.insert("type".into(), json!("outgoing-webhook"));
    h.insert("step".into(), json!("start-execute-trigger-url"));
    h.insert("integration".into(), Value::Object(integration.clone()));
    h.insert("event".into(), json!("sendMessage"));
    h.insert("_createdAt".into(), json!(iso_from_ms(created)));
    h.insert("data".into(), data.clone());
    h.insert("triggerWord".into(), json!("!deploy"));
    h.insert("ranPrepareScript".into(), json!(false));
    h.insert("finished".into(), json!(false));
    h.insert("url".into(), json!(url));
    h.insert("httpCallData".into(), data);
    if let Value::Object(x) = extra {
        for (k, v) in x {
            h.insert(k, v);
        }
    }
    h.insert("_updatedAt".into(), json!(iso_from_ms(created + 850)));
    h
}

pub const LOAD_TEST_PREFIX: &str = "Load test ";

/// `--seed-large N`: makes sure N extra integrations of both kinds exist (list tests).
pub fn add_large(state: &mut State, site: &str, n: usize) {
    let have = state
        .integrations
        .iter()
        .filter(|d| {
            d.get("name")
                .and_then(Value::as_str)
                .is_some_and(|x| x.starts_with(LOAD_TEST_PREFIX))
        })
        .count();
    if n <= have {
        return;
    }
    let admin = state.user_by_id(ADMIN_ID).cloned();
    let owner = state.user_by_id(OWNER_ID).cloned();
    let cat = state.user_by_id(ROCKET_CAT_ID).cloned();
    let (Some(admin), Some(owner), Some(cat)) = (admin, owner, cat) else {
        return;
    };
    let base = ms_from_iso("2023-01-01T00:00:00.000Z").unwrap_or(0);
    for i in have..n {
        let created = iso_from_ms(base + (i as u64) * 60_000);
        let creator = if i % 3 == 2 { &owner } else { &admin };
        let name = format!("{LOAD_TEST_PREFIX}{:04}", i + 1);
        let doc = if i % 2 == 0 {
            incoming(
                &object_id(),
                &name,
                creator,
                &cat,
                &["#general"],
                &crate::util::random_id(48),
                &created,
                json!({ "enabled": i % 5 != 4 }),
            )
        } else {
            outgoing(
                &object_id(),
                &name,
                creator,
                &cat,
                "sendMessage",
                &["#general"],
                &[format!("{site}/sandbox/receiver/load")],
                &created,
                json!({ "enabled": i % 5 != 4, "triggerWords": [format!("!load{}", i + 1)] }),
            )
        };
        state.integrations.push(doc);
    }
}
