//! The rest-typings request schemas of spec §2, selected by server version.

use crate::config::Version;
use crate::schema::*;

fn common_script_fields(
    v: &Version,
    props: &mut Vec<(&'static str, Schema)>,
    engine_nullable: bool,
) {
    if !v.schema_63() {
        props.push((
            "scriptEngine",
            if engine_nullable {
                string_null()
            } else {
                string()
            },
        ));
    }
    if v.skip_transpile() {
        props.push(("skipTranspile", boolean_null()));
    }
}

fn outgoing_props(v: &Version) -> Vec<(&'static str, Schema)> {
    vec![
        ("type", pattern("webhook-outgoing")),
        ("username", string()),
        ("channel", string()),
        ("event", string()),
        ("scriptEnabled", boolean()),
        ("name", string()),
        ("enabled", boolean()),
        ("targetRoom", string_null()),
        ("urls", string_array_null()),
        ("triggerWords", string_array_null()),
        ("triggerWordAnywhere", boolean_null()),
        ("token", string_null()),
        ("script", string_null()),
        ("runOnEdits", boolean_null()),
        ("retryFailedCalls", boolean_null()),
        ("retryCount", number_null()),
        ("retryDelay", string_null()),
        ("impersonateUser", boolean_null()),
        ("alias", string_null()),
        ("avatar", string_null()),
        ("emoji", string_null()),
    ]
    .into_iter()
    .chain({
        let mut extra = vec![];
        common_script_fields(v, &mut extra, true);
        extra
    })
    .collect()
}

const OUTGOING_REQUIRED: [&str; 7] = [
    "type",
    "username",
    "channel",
    "event",
    "scriptEnabled",
    "name",
    "enabled",
];

// The property order of the published schemas (every release read lists them in this order;
// a release lacking a property just skips it). AJV checks properties in this order, so with
// two bad properties the error names the first of this list.
const CREATE_IN_ORDER: &[&str] = &[
    "type",
    "username",
    "channel",
    "scriptEnabled",
    "skipTranspile",
    "overrideDestinationChannelEnabled",
    "script",
    "name",
    "enabled",
    "alias",
    "avatar",
    "emoji",
    "scriptEngine",
];
const CREATE_OUT_ORDER: &[&str] = &[
    "type",
    "username",
    "channel",
    "event",
    "targetRoom",
    "urls",
    "triggerWords",
    "triggerWordAnywhere",
    "token",
    "scriptEnabled",
    "skipTranspile",
    "script",
    "runOnEdits",
    "retryFailedCalls",
    "retryCount",
    "retryDelay",
    "impersonateUser",
    "name",
    "enabled",
    "alias",
    "avatar",
    "emoji",
    "scriptEngine",
];
const UPDATE_IN_ORDER: &[&str] = &[
    "type",
    "integrationId",
    "channel",
    "scriptEnabled",
    "skipTranspile",
    "scriptEngine",
    "overrideDestinationChannelEnabled",
    "script",
    "name",
    "enabled",
    "alias",
    "avatar",
    "emoji",
];
const UPDATE_OUT_ORDER: &[&str] = &[
    "type",
    "integrationId",
    "target_url",
    "username",
    "channel",
    "event",
    "targetRoom",
    "urls",
    "triggerWords",
    "triggerWordAnywhere",
    "token",
    "scriptEnabled",
    "skipTranspile",
    "scriptEngine",
    "overrideDestinationChannelEnabled",
    "script",
    "runOnEdits",
    "retryFailedCalls",
    "retryCount",
    "retryDelay",
    "impersonateUser",
    "name",
    "enabled",
    "alias",
    "avatar",
    "emoji",
];

fn ordered(mut props: Vec<(&'static str, Schema)>, order: &[&str]) -> Vec<(&'static str, Schema)> {
    props.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
    props
}

/// `IntegrationsCreateProps`.
pub fn create(v: &Version) -> Schema {
    let mut incoming = vec![
        ("type", pattern("webhook-incoming")),
        ("username", string()),
        ("channel", string()),
        ("scriptEnabled", boolean()),
        ("name", string()),
        ("enabled", boolean()),
        (
            "overrideDestinationChannelEnabled",
            if v.at_least(7, 0) {
                boolean_null()
            } else {
                boolean()
            },
        ),
        ("script", string_null()),
        ("alias", string_null()),
        ("avatar", string_null()),
        ("emoji", string_null()),
    ];
    common_script_fields(v, &mut incoming, true);
    Schema::OneOf(vec![
        Schema::Object {
            props: ordered(incoming, CREATE_IN_ORDER),
            required: vec![
                "type",
                "username",
                "channel",
                "scriptEnabled",
                "name",
                "enabled",
            ],
            additional: false,
        },
        Schema::Object {
            props: ordered(outgoing_props(v), CREATE_OUT_ORDER),
            required: OUTGOING_REQUIRED.to_vec(),
            additional: false,
        },
    ])
}

/// `IntegrationsUpdateProps`.
pub fn update(v: &Version) -> Schema {
    let mut incoming = vec![
        ("type", pattern("webhook-incoming")),
        ("integrationId", string()),
        ("channel", string()),
        ("scriptEnabled", boolean()),
        ("name", string()),
        ("enabled", boolean()),
    ];
    let mut incoming_required = vec![
        "integrationId",
        "type",
        "channel",
        "scriptEnabled",
        "name",
        "enabled",
    ];
    incoming.push((
        "overrideDestinationChannelEnabled",
        if v.schema_63() {
            boolean()
        } else {
            boolean_null()
        },
    ));
    let mut out_props = vec![
        ("integrationId", string_null()),
        ("target_url", string_null()),
    ];
    out_props.extend(outgoing_props(v));
    let mut outgoing_required = OUTGOING_REQUIRED.to_vec();
    if v.schema_63() {
        // 6.3.x requires the flag on both branches (listed after scriptEnabled).
        let after = |r: &mut Vec<&'static str>| {
            let at = r
                .iter()
                .position(|k| *k == "scriptEnabled")
                .map_or(r.len(), |i| i + 1);
            r.insert(at, "overrideDestinationChannelEnabled");
        };
        after(&mut incoming_required);
        after(&mut outgoing_required);
        out_props.push(("overrideDestinationChannelEnabled", boolean()));
    }
    if !v.schema_63() {
        incoming.push(("scriptEngine", string()));
    }
    incoming.extend([
        ("script", string_null()),
        ("alias", string_null()),
        ("avatar", string_null()),
        ("emoji", string_null()),
    ]);
    if v.skip_transpile() {
        incoming.push(("skipTranspile", boolean_null()));
    }
    // The outgoing branch declares `scriptEngine` as a non-nullable string on update.
    for (name, schema) in out_props.iter_mut() {
        if *name == "scriptEngine" {
            *schema = string();
        }
    }
    Schema::OneOf(vec![
        Schema::Object {
            props: ordered(incoming, UPDATE_IN_ORDER),
            required: incoming_required,
            additional: true,
        },
        Schema::Object {
            props: ordered(out_props, UPDATE_OUT_ORDER),
            required: outgoing_required,
            additional: false,
        },
    ])
}

/// `IntegrationsRemoveProps`: three branches, no `additionalProperties` rule.
pub fn remove() -> Schema {
    let branch = |ty: &'static str, key: &'static str| Schema::Object {
        props: vec![("type", pattern(ty)), (key, string())],
        required: vec!["type", key],
        additional: true,
    };
    Schema::OneOf(vec![
        branch("webhook-incoming", "integrationId"),
        branch("webhook-outgoing", "target_url"),
        branch("webhook-outgoing", "integrationId"),
    ])
}

/// `IntegrationsGetProps`: extra keys allowed.
pub fn get() -> Schema {
    Schema::Object {
        props: vec![("integrationId", string()), ("createdBy", string())],
        required: vec!["integrationId"],
        additional: true,
    }
}

/// `IntegrationsListProps` (7.0+).
pub fn list() -> Schema {
    Schema::Object {
        props: vec![
            ("count", Schema::NumOrStr),
            ("offset", Schema::NumOrStr),
            ("sort", string()),
            ("name", string()),
            ("type", string()),
            ("query", string()),
        ],
        required: vec![],
        additional: false,
    }
}

/// `IntegrationsHistoryProps`.
pub fn history() -> Schema {
    Schema::Object {
        props: vec![
            ("id", string_min1()),
            ("offset", number()),
            ("count", number()),
            ("sort", string()),
            ("query", string()),
        ],
        required: vec!["id"],
        additional: false,
    }
}

pub fn clear_history() -> Schema {
    Schema::Object {
        props: vec![("integrationId", string_min1())],
        required: vec!["integrationId"],
        additional: false,
    }
}

pub fn replay() -> Schema {
    Schema::Object {
        props: vec![
            ("integrationId", string_min1()),
            ("historyId", string_min1()),
        ],
        required: vec!["integrationId", "historyId"],
        additional: false,
    }
}
