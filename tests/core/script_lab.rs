//! The script lab's pure half: sample requests, result → message/reply mapping, error
//! positions, markdown (scripts spec §5, §6, §9).

use hookpanel::core::script_lab::*;
use hookpanel::core::version::ServerVersion;
use serde_json::{json, Value};

fn mode8() -> Mode {
    Mode::new(Some(ServerVersion::new(8, 8, 1)), "isolated-vm", false)
}

fn facts() -> Facts {
    Facts {
        id: "IID".into(),
        post_as: "hookbot".into(),
        channel: "#dev".into(),
        ..Facts::default()
    }
}

#[test]
fn modes_follow_the_server_version_and_the_form() {
    let v = |a, b, c| Some(ServerVersion::new(a, b, c));
    // (version, engine, skip transpile) → (vm2, strict, objects only, lean events)
    let cases = [
        (v(6, 3, 0), "", false, (true, false, false, false)),
        (v(6, 5, 0), "vm2", false, (true, false, false, false)),
        (
            v(6, 5, 0),
            "isolated-vm",
            false,
            (false, false, false, false),
        ),
        (v(7, 10, 0), "vm2", false, (false, false, false, true)),
        (
            v(7, 7, 0),
            "isolated-vm",
            false,
            (false, false, false, false),
        ),
        (v(8, 8, 1), "isolated-vm", false, (false, false, true, true)),
        (v(8, 8, 1), "isolated-vm", true, (false, true, true, true)),
        (v(8, 3, 0), "isolated-vm", true, (false, false, true, true)),
        (v(9, 0, 0), "isolated-vm", false, (false, true, true, true)),
        (None, "isolated-vm", false, (false, false, true, true)),
    ];
    for (version, engine, skip, (vm2, strict, objects_only, lean_events)) in cases {
        let want = Mode {
            vm2,
            strict,
            objects_only,
            lean_events,
        };
        assert_eq!(
            Mode::new(version, engine, skip),
            want,
            "{version:?} {engine} {skip}"
        );
    }
}

#[test]
fn bodies_are_parsed_as_the_router_does() {
    let m8 = mode8();
    let m7 = Mode::new(Some(ServerVersion::new(7, 10, 0)), "isolated-vm", false);
    let cases: [(&str, &str, Mode, Result<Value, ()>); 10] = [
        (
            "application/json",
            r#"{"text":"hi"}"#,
            m8,
            Ok(json!({"text": "hi"})),
        ),
        (
            "application/json; charset=utf-8",
            r#"{"a":1}"#,
            m8,
            Ok(json!({"a": 1})),
        ),
        ("application/json", "{oops", m8, Ok(json!({}))),
        ("application/json", "[1,2]", m8, Ok(json!({}))),
        ("application/json", "[1,2]", m7, Ok(json!([1, 2]))),
        (
            "application/x-www-form-urlencoded",
            "payload=%7B%22text%22%3A%22a+b%22%7D",
            m8,
            Ok(json!({"text": "a b"})),
        ),
        (
            "application/x-www-form-urlencoded",
            "payload=%7Boops",
            m8,
            Err(()),
        ),
        ("text/plain", "a=", m8, Ok(json!({"0": "a", "1": "="}))),
        ("text/plain", "", m8, Ok(json!({}))),
        (
            "application/x-www-form-urlencoded",
            r#"{"x":1}"#,
            m8,
            Ok(json!({"x": 1})),
        ),
    ];
    for (ct, body, mode, want) in cases {
        let got = body_params(ct, body, mode).map_err(|_| ());
        assert_eq!(got, want, "{ct} {body}");
    }
}

#[test]
fn the_incoming_request_has_the_8x_shape() {
    let r = incoming_request(
        &facts(),
        "Content-Type: application/json\nX-GitHub-Event: push\nX-Multi: a\nx-multi: b",
        r#"{"text":"hi"}"#,
        "?a=1",
        mode8(),
    )
    .unwrap();
    assert_eq!(r["content"], json!({"text": "hi"}));
    assert_eq!(r["body"], r["content"]);
    assert_eq!(r["content_raw"], r#"{"text":"hi"}"#);
    assert_eq!(r["headers"]["x-github-event"], "push");
    assert_eq!(r["headers"]["x-multi"], "a, b");
    assert_eq!(r["url"]["pathname"], "/hooks/IID/sample-token");
    assert_eq!(r["url"]["search"], "?a=1");
    assert_eq!(r["url"]["query"], json!({"a": "1"}));
    assert_eq!(r["url_raw"], "http://localhost/hooks/IID/sample-token?a=1");
    assert_eq!(r["url"]["path"], r["url_raw"]);
    assert_eq!(r["url_params"]["integrationId"], "IID");
    assert_eq!(r["user"]["username"], "hookbot");
    // A form body whose payload is not JSON: the 400 the server answers before the script.
    let bad = incoming_request(
        &facts(),
        "Content-Type: application/x-www-form-urlencoded",
        "payload=%7B",
        "",
        mode8(),
    );
    assert_eq!(bad.unwrap_err()["success"], false);
}

#[test]
fn every_template_is_valid_json_with_a_content_type() {
    for t in TEMPLATES {
        let r = incoming_request(&facts(), t.headers, t.body, "", mode8()).unwrap();
        assert!(
            r["content"].as_object().is_some_and(|o| !o.is_empty()),
            "{}",
            t.label
        );
        assert!(serde_json::from_str::<Value>(t.body).is_ok(), "{}", t.label);
    }
}

#[test]
fn outgoing_requests_follow_the_event() {
    let f = Facts {
        event: "sendMessage".into(),
        channel: "#support, #other".into(),
        trigger_words: "!ticket, !t".into(),
        urls: "https://helpdesk.example.com/api\nhttps://b.example".into(),
        token: "tok123".into(),
        ..facts()
    };
    let r = outgoing_request(&f, "https://chat.example.com", mode8());
    assert_eq!(r["method"], "POST");
    assert_eq!(r["url"], "https://helpdesk.example.com/api");
    assert_eq!(r["params"], json!({}));
    assert_eq!(r["headers"]["User-Agent"], USER_AGENT);
    let d = &r["data"];
    assert_eq!(d["token"], "tok123");
    assert_eq!(d["bot"], false);
    assert_eq!(d["trigger_word"], "!ticket");
    assert_eq!(d["text"], "!ticket 4711");
    assert_eq!(d["channel_name"], "support");
    assert_eq!(d["siteUrl"], "https://chat.example.com");
    assert!(d["timestamp"]["$date"].is_string());
    for key in ["channel_id", "message_id", "user_id", "user_name"] {
        assert!(d[key].is_string(), "{key}");
    }

    // (event, mode) → the data keys besides token and bot
    let m7 = Mode::new(Some(ServerVersion::new(7, 6, 0)), "isolated-vm", false);
    let cases = [
        (
            "roomCreated",
            m7,
            vec![
                "channel_id",
                "channel_name",
                "owner",
                "room",
                "timestamp",
                "user_id",
                "user_name",
            ],
        ),
        ("roomCreated", mode8(), vec![]),
        (
            "userCreated",
            m7,
            vec!["timestamp", "user", "user_id", "user_name"],
        ),
        (
            "roomJoined",
            m7,
            vec![
                "channel_id",
                "channel_name",
                "room",
                "timestamp",
                "user",
                "user_id",
                "user_name",
            ],
        ),
        (
            "fileUploaded",
            mode8(),
            vec![
                "channel_id",
                "channel_name",
                "message",
                "message_id",
                "room",
                "text",
                "timestamp",
                "user",
                "user_id",
                "user_name",
            ],
        ),
    ];
    for (event, mode, want) in cases {
        let f = Facts {
            event: event.into(),
            ..f.clone()
        };
        let r = outgoing_request(&f, "x", mode);
        let mut keys: Vec<&str> = r["data"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.retain(|k| *k != "token" && *k != "bot");
        keys.sort_unstable();
        assert_eq!(keys, want, "{event}");
    }
}

#[test]
fn messages_are_built_as_process_webhook_message_does() {
    let with = |alias: &str, avatar: &str, emoji: &str| Facts {
        alias: alias.into(),
        avatar: avatar.into(),
        emoji: emoji.into(),
        ..facts()
    };
    // (payload, integration alias/avatar/emoji) → expected message
    let cases = [
        (
            json!({"text": "  hi  "}),
            with("", "", ":package:"),
            json!({"msg": "hi", "alias": "", "emoji": ":package:", "attachments": [], "parseUrls": true, "groupable": false, "bot": {"i": "IID"}}),
        ),
        (
            json!({"msg": "m", "username": "U", "icon_emoji": ":x:", "attachments": [{"msg": " t "}]}),
            with("CI", "https://a/x.png", ""),
            json!({"msg": "m", "alias": "U", "emoji": ":x:", "attachments": [{"text": "t"}], "parseUrls": false, "groupable": false, "bot": {"i": "IID"}}),
        ),
        (
            json!({"alias": "A", "avatar": "https://p/a.png", "emoji": ":y:", "parseUrls": false, "groupable": true, "tmid": "T1"}),
            with("CI", "", ":z:"),
            json!({"msg": "", "alias": "A", "avatar": "https://p/a.png", "attachments": [], "parseUrls": false, "groupable": true, "tmid": "T1", "bot": {"i": "IID"}}),
        ),
        (
            json!({"text": "x", "attachments": "nope"}),
            with("", "https://i/a.png", ":z:"),
            json!({"msg": "x", "alias": "", "avatar": "https://i/a.png", "attachments": [], "parseUrls": true, "groupable": false, "bot": {"i": "IID"}}),
        ),
    ];
    for (payload, f, want) in cases {
        assert_eq!(build_message(&payload, &f).0, want, "{payload}");
    }
    assert_eq!(
        build_message(&json!({"attachments": 3}), &facts()).1.len(),
        1
    );
}

fn returned(v: Value) -> Called {
    Called::Returned(Some(v))
}

fn failed(phase: Phase) -> Called {
    Called::Failed(ScriptError {
        phase,
        name: "Error".into(),
        message: "x".into(),
        stack: String::new(),
        pos: None,
    })
}

#[test]
fn incoming_results_map_to_replies_and_posts() {
    let on = Facts {
        override_destination: true,
        ..facts()
    };
    // (result, facts) → (status, reply body, targets)
    let cases: Vec<(Called, Facts, u16, Value, Vec<&str>)> = vec![
        (
            Called::Returned(None),
            facts(),
            200,
            json!({"success": true}),
            vec![],
        ),
        (
            returned(json!(false)),
            facts(),
            200,
            json!({"success": true}),
            vec![],
        ),
        (
            returned(json!(0)),
            facts(),
            200,
            json!({"success": true}),
            vec![],
        ),
        (
            Called::Missing,
            facts(),
            200,
            json!({"success": true}),
            vec![],
        ),
        (
            returned(json!({"error": "expected an alerts array"})),
            facts(),
            400,
            json!({"success": false, "error": "expected an alerts array"}),
            vec![],
        ),
        (
            returned(json!({"error": {"success": false, "message": "m"}})),
            facts(),
            400,
            json!({"success": false, "message": "m"}),
            vec![],
        ),
        (
            returned(json!({"response": {"a": 1}})),
            facts(),
            400,
            json!({"success": false, "error": "error-running-script"}),
            vec![],
        ),
        (
            returned(json!({"content": "text"})),
            facts(),
            400,
            json!({"success": false, "error": "error-running-script"}),
            vec![],
        ),
        (
            failed(Phase::Run),
            facts(),
            400,
            json!({"success": false, "error": "error-running-script"}),
            vec![],
        ),
        (
            failed(Phase::Timeout),
            facts(),
            400,
            json!({"success": false, "error": "error-running-script"}),
            vec![],
        ),
        (
            failed(Phase::Load),
            facts(),
            400,
            json!({"success": false, "error": "error-evaluating-script"}),
            vec![],
        ),
        (
            returned(json!({"content": {"text": "a", "channel": "#oncall"}})),
            facts(),
            400,
            json!({"success": false, "error": "overriding destination channel is disabled for this integration"}),
            vec![],
        ),
        (
            returned(json!({"content": {"text": "a", "channel": "#oncall"}})),
            on.clone(),
            200,
            json!({"success": true}),
            vec!["#oncall"],
        ),
        (
            returned(json!({"content": {"text": "a", "roomId": ["#a", "#b", "#a"]}})),
            on,
            200,
            json!({"success": true}),
            vec!["#a", "#b"],
        ),
        (
            returned(json!({"content": {"text": "a"}, "response": {"id": 7}})),
            facts(),
            200,
            json!({"id": 7, "success": true}),
            vec!["#dev"],
        ),
        (
            returned(json!({"content": {}})),
            facts(),
            200,
            json!({"success": true}),
            vec!["#dev"],
        ),
    ];
    for (result, f, status, body, targets) in cases {
        let o = incoming_outcome(&result, &f);
        assert_eq!(o.reply, Some((status, body)), "{result:?}");
        let got: Vec<&str> = o.posts.iter().map(|p| p.target.as_str()).collect();
        assert_eq!(got, targets, "{result:?}");
        assert!(!o.notes.is_empty() || !o.posts.is_empty(), "{result:?}");
    }
    // A new webhook without a room yet: the message is still shown, with a note.
    let none = Facts {
        channel: String::new(),
        ..facts()
    };
    let o = incoming_outcome(&returned(json!({"content": {"text": "a"}})), &none);
    assert_eq!(o.posts.len(), 1);
    assert_eq!(o.posts[0].target, "");
    assert!(o.notes.iter().any(|n| n.contains("No room")));
    // Posted as the user the result names.
    let o = incoming_outcome(
        &returned(json!({"content": {"text": "a"}, "user": {"_id": "U2", "username": "mona"}})),
        &facts(),
    );
    assert_eq!(o.posts[0].poster, "mona");
}

#[test]
fn the_alert_example_posts_what_the_spec_says() {
    // Spec §9.2 (the script's result as the server would get it).
    let result = json!({"content": {
        "alias": "Alertmanager", "emoji": ":rotating_light:", "text": "1 alert(s) firing", "channel": "#oncall",
        "attachments": [{"color": "#f5455c", "title": "HighCPU on db-1:9100", "title_link": "https://prom.example/graph?g0.expr=cpu",
          "text": "CPU above 95% for 10 minutes",
          "fields": [{"title": "Severity", "value": "critical", "short": true}, {"title": "Since", "value": "2026-05-04T10:00:00Z", "short": true}]}]
    }});
    let f = Facts {
        channel: "#alerts".into(),
        override_destination: true,
        ..facts()
    };
    let o = incoming_outcome(&returned(result), &f);
    assert_eq!(o.posts.len(), 1);
    let m = &o.posts[0].message;
    assert_eq!(o.posts[0].target, "#oncall");
    assert_eq!(m["msg"], "1 alert(s) firing");
    assert_eq!(m["alias"], "Alertmanager");
    assert_eq!(m["emoji"], ":rotating_light:");
    assert_eq!(m["parseUrls"], false);
    assert_eq!(m["groupable"], false);
    assert_eq!(m["bot"], json!({"i": "IID"}));
    let a = attachments(m);
    assert_eq!(a[0].color.as_deref(), Some("#f5455c"));
    assert_eq!(
        a[0].title_link.as_deref(),
        Some("https://prom.example/graph?g0.expr=cpu")
    );
    assert_eq!(a[0].fields[0], ("Severity".into(), "critical".into(), true));
}

#[test]
fn prepare_results_become_calls_and_messages() {
    let f = Facts {
        event: "sendMessage".into(),
        channel: "#support".into(),
        trigger_words: "!ticket".into(),
        urls: "https://helpdesk.example.com/api".into(),
        token: "tok123".into(),
        ..facts()
    };
    let request = outgoing_request(&f, "https://chat.example.com", mode8());

    // No prepare method: the default request goes out, JSON-typed because it has data.
    let o = prepare_outcome(&Called::Missing, &request, &f);
    let call = o.call.unwrap();
    assert_eq!(
        (call.method.as_str(), call.url.as_str()),
        ("POST", "https://helpdesk.example.com/api")
    );
    assert!(call
        .headers
        .contains(&("Content-Type".into(), "application/json".into())));
    assert_eq!(
        serde_json::from_str::<Value>(call.body.as_deref().unwrap()).unwrap()["token"],
        "tok123"
    );

    // Spec §9.3: rewritten request.
    let r = returned(
        json!({"url": "https://helpdesk.example.com/api/tickets/lookup", "method": "POST",
        "headers": {"User-Agent": "UA", "Authorization": "Bearer helpdesk-key", "Accept": "application/json"},
        "data": {"id": "4711", "requestedBy": "alice"}}),
    );
    let call = prepare_outcome(&r, &request, &f).call.unwrap();
    assert_eq!(call.url, "https://helpdesk.example.com/api/tickets/lookup");
    assert_eq!(
        call.body.as_deref(),
        Some(r#"{"id":"4711","requestedBy":"alice"}"#)
    );
    assert_eq!(call.request["headers"]["Content-Type"], "application/json");
    assert_eq!(
        call.request["headers"]["Authorization"],
        "Bearer helpdesk-key"
    );

    // (result) → (makes a call, posts, the target of the post)
    let cases: Vec<(Called, bool, Option<&str>)> = vec![
        (Called::Returned(None), false, None),
        (failed(Phase::Run), false, None),
        (
            returned(json!({"message": {"text": "Usage"}})),
            false,
            Some("#support"),
        ),
        (
            returned(
                json!({"message": {"text": "x", "channel": "#elsewhere"}, "url": "https://a", "method": "GET"}),
            ),
            true,
            Some("#elsewhere"),
        ),
        (
            returned(json!({"url": "https://a", "method": "POST", "data": {}})),
            false,
            None,
        ),
        (
            returned(
                json!({"url": "https://a", "method": "POST", "headers": {}, "auth": "nocolon"}),
            ),
            false,
            None,
        ),
        (returned(json!({"url": "https://a"})), false, None),
    ];
    for (result, calls, target) in cases {
        let o = prepare_outcome(&result, &request, &f);
        assert_eq!(o.call.is_some(), calls, "{result:?}");
        assert_eq!(
            o.posts.first().map(|p| p.target.as_str()),
            target,
            "{result:?}"
        );
        assert!(!o.notes.is_empty() || o.call.is_some(), "{result:?}");
    }
    let o = prepare_outcome(
        &returned(json!({"url": "https://a", "method": "GET", "headers": {}, "auth": "user:pass"})),
        &request,
        &f,
    );
    assert!(o
        .call
        .unwrap()
        .headers
        .contains(&("Authorization".into(), "Basic dXNlcjpwYXNz".into())));
}

#[test]
fn answers_are_posted_by_the_script_or_by_default() {
    let f = Facts {
        channel: "#support".into(),
        ..facts()
    };
    let request = json!({"data": {"channel_name": "support", "channel_id": "R1"}});
    let json_ct = "application/json";
    // (script result, status, content type, body) → (post text, note expected)
    let cases: Vec<(Called, u16, &str, &str, Option<&str>)> = vec![
        (
            returned(json!({"content": {"text": "Ticket #4711"}})),
            200,
            json_ct,
            "{}",
            Some("Ticket #4711"),
        ),
        (
            returned(json!(false)),
            200,
            json_ct,
            r#"{"text":"x"}"#,
            None,
        ),
        (
            Called::Missing,
            200,
            json_ct,
            r#"{"text":"from remote"}"#,
            Some("from remote"),
        ),
        (
            Called::Returned(None),
            201,
            "text/javascript",
            r#"{"attachments":[]}"#,
            Some(""),
        ),
        (
            Called::Returned(None),
            200,
            "text/plain",
            r#"{"text":"x"}"#,
            None,
        ),
        (Called::Returned(None), 200, json_ct, r#"{"other":1}"#, None),
        (Called::Returned(None), 410, json_ct, "gone", None),
        (Called::Returned(None), 500, json_ct, "boom", None),
        (Called::Returned(None), 503, json_ct, "", None),
        (
            failed(Phase::Run),
            200,
            json_ct,
            r#"{"text":"y"}"#,
            Some("y"),
        ),
    ];
    for (result, status, ct, body, want) in cases {
        let o = response_outcome(&result, &request, &f, status, ct, body);
        let got = o
            .posts
            .first()
            .map(|p| p.message["msg"].as_str().unwrap_or(""));
        assert_eq!(got, want, "{result:?} {status} {body}");
        if want.is_none() {
            assert!(!o.notes.is_empty(), "{result:?} {status}");
        } else {
            assert_eq!(o.posts[0].target, "#support");
        }
    }
    let r = response_arg(200, json_ct, "{}");
    assert_eq!(
        r,
        json!({"error": null, "status_code": 200, "content": "{}", "content_raw": "{}", "headers": {"content-type": json_ct}})
    );
}

#[test]
fn error_positions_come_back_to_the_script() {
    let p = |line, column| Some(Pos { line, column });
    let cases = [
        ("unknown file: Unexpected token (3:35)", p(3, 36)),
        ("unknown file: Missing semicolon. (1:0)", p(1, 1)),
        ("Unexpected token '}' [<isolated-vm>:46:8]", p(3, 8)),
        ("Illegal return statement [<isolated-vm>:44:2]", p(1, 1)),
        (
            "SyntaxError: x\n    at compileIntegrationScript (integration script:4:38)",
            p(4, 39),
        ),
        ("no position here", None),
        ("[<isolated-vm>:10:1]", None),
    ];
    for (message, want) in cases {
        assert_eq!(stored_error_position(message), want, "{message}");
    }
    // (wrapped line, column, wrapper lines, script lines) → script position
    let cases = [
        (5, 7, 3, 10, p(2, 7)),
        (3, 1, 3, 10, None),
        (14, 1, 3, 10, None),
        (4, 0, 3, 10, p(1, 1)),
    ];
    for (line, col, offset, lines, want) in cases {
        assert_eq!(unwrap_position(line, col, offset, lines), want);
    }
    assert_eq!(Pos { line: 3, column: 7 }.label(), "line 3, column 7");
}

#[test]
fn runner_replies_are_read_defensively() {
    let cases: Vec<(&str, Option<Reply>)> = vec![
        (r#"{"op":"ready"}"#, Some(Reply::Ready)),
        (
            r#"{"op":"check","id":2,"ok":true}"#,
            Some(Reply::Checked { id: 2, error: None }),
        ),
        (
            r#"{"op":"call","id":3,"ok":true,"value":{"a":1},"defined":true,"console":[{"level":"warn","text":"w"}]}"#,
            Some(Reply::Called {
                id: 3,
                result: Called::Returned(Some(json!({"a": 1}))),
                console: vec![LogLine {
                    level: "warn".into(),
                    text: "w".into(),
                }],
            }),
        ),
        (
            r#"{"op":"call","id":4,"ok":true}"#,
            Some(Reply::Called {
                id: 4,
                result: Called::Returned(None),
                console: vec![],
            }),
        ),
        (
            r#"{"op":"call","id":5,"ok":true,"missing":true}"#,
            Some(Reply::Called {
                id: 5,
                result: Called::Missing,
                console: vec![],
            }),
        ),
        (r#"{"op":"call","ok":true}"#, None),
        (r#"{"op":"other","id":1}"#, None),
        ("not json", None),
        ("[]", None),
    ];
    for (text, want) in cases {
        assert_eq!(parse_reply(text), want, "{text}");
    }
    let Some(Reply::Checked { error: Some(e), .. }) = parse_reply(
        r#"{"op":"check","id":1,"ok":false,"error":{"name":"SyntaxError","message":"Unexpected token '}'","line":3,"column":36}}"#,
    ) else {
        panic!("a syntax error");
    };
    assert_eq!(
        (e.name.as_str(), e.pos),
        (
            "SyntaxError",
            Some(Pos {
                line: 3,
                column: 36
            })
        )
    );
    let Some(Reply::Called {
        result: Called::Failed(e),
        ..
    }) = parse_reply(
        r#"{"op":"call","id":1,"ok":false,"phase":"timeout","error":{"name":"Timeout","message":"m","line":null}}"#,
    )
    else {
        panic!("a failure");
    };
    assert_eq!((e.phase, e.pos), (Phase::Timeout, None));
}

#[test]
fn runner_messages_carry_only_the_script_the_sample_and_the_mode() {
    let m = call_message(
        7,
        2,
        "class Script {}",
        mode8(),
        "process_incoming_request",
        &json!({"request": {}}),
    );
    let v: Value = serde_json::from_str(&m).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["arg", "engine", "id", "method", "op", "script", "session", "strict", "timeout"]
    );
    assert!(v["timeout"].as_u64().unwrap() < 3000);
    let c: Value = serde_json::from_str(&check_message(1, "x", mode8())).unwrap();
    assert_eq!(
        c,
        json!({"op": "check", "id": 1, "script": "x", "parseOnly": false})
    );
}

fn span(text: &str) -> Span {
    Span {
        text: text.into(),
        ..Span::default()
    }
}

#[test]
fn markdown_becomes_safe_spans() {
    let bold = |t: &str| Span {
        bold: true,
        ..span(t)
    };
    let italic = |t: &str| Span {
        italic: true,
        ..span(t)
    };
    let strike = |t: &str| Span {
        strike: true,
        ..span(t)
    };
    let code = |t: &str| Span {
        code: true,
        ..span(t)
    };
    let link = |t: &str, u: &str| Span {
        link: Some(u.into()),
        ..span(t)
    };
    let cases: Vec<(&str, Vec<Span>)> = vec![
        ("plain", vec![span("plain")]),
        ("", vec![]),
        ("*octocat* pushed", vec![bold("octocat"), span(" pushed")]),
        ("_a_ ~b~", vec![italic("a"), span(" "), strike("b")]),
        (
            "*bold _both_*",
            vec![
                bold("bold "),
                Span {
                    bold: true,
                    italic: true,
                    ..span("both")
                },
            ],
        ),
        (
            "to `main` now",
            vec![span("to "), code("main"), span(" now")],
        ),
        ("```\nlet x = *y*;\n```", vec![code("let x = *y*;")]),
        (
            "[acme](https://g.com/a)",
            vec![link("acme", "https://g.com/a")],
        ),
        (
            "[x](javascript:alert(1))",
            vec![span("[x](javascript:alert(1))")],
        ),
        ("<https://a.b|A>", vec![link("A", "https://a.b")]),
        ("<javascript:x|A>", vec![span("<javascript:x|A>")]),
        (
            "see https://w.example.com.",
            vec![
                span("see "),
                link("https://w.example.com", "https://w.example.com"),
                span("."),
            ],
        ),
        ("snake_case_name", vec![span("snake_case_name")]),
        ("2 * 3 * 4", vec![span("2 * 3 * 4")]),
        ("*open", vec![span("*open")]),
        ("<b>not html</b>", vec![span("<b>not html</b>")]),
        ("a\n*b*", vec![span("a\n"), bold("b")]),
        ("é *ü*", vec![span("é "), bold("ü")]),
    ];
    for (text, want) in cases {
        assert_eq!(markdown(text), want, "{text}");
    }
}

#[test]
fn links_colours_and_base64_are_checked() {
    let links = [
        ("https://a.b/c", Some("https://a.b/c")),
        (" HTTP://A.B ", Some("HTTP://A.B")),
        ("mailto:x@y.z", Some("mailto:x@y.z")),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example", None),
    ];
    for (url, want) in links {
        assert_eq!(safe_link(url).as_deref(), want, "{url}");
    }
    let colours = [
        ("#f5455c", true),
        ("#FFF", true),
        ("red", true),
        ("danger", true),
        ("#12345", false),
        ("red;background:url(x)", false),
        ("", false),
    ];
    for (c, ok) in colours {
        assert_eq!(safe_color(c).is_some(), ok, "{c}");
    }
    for (input, want) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("user:pass", "dXNlcjpwYXNz"),
    ] {
        assert_eq!(base64(input.as_bytes()), want);
    }
    assert_eq!(form_decode("a%20b+c%zz%41"), "a b c%zzA");
    assert_eq!(emoji_char(":rotating_light:"), Some("🚨"));
    assert_eq!(emoji_char(" :package: "), Some("📦"));
    assert_eq!(emoji_char(":no_such_thing:"), None);
}
