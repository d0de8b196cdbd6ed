//! First milestone: info, login/logout/me, list, seed, reset, persistence, static files, CLI.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};

#[tokio::test]
async fn info_without_and_with_credentials() {
    let s = start().await;
    let r = s.get("/api/info", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["version"], "8.8");
    assert_eq!(r.json["success"], true);
    assert!(r.json.get("info").is_none());
    let r = s.get("/api/info", Some(&admin())).await;
    assert_eq!(r.json["info"]["version"], "8.8.1");
    assert_eq!(r.json["version"], "8.8.1");
    // A user without view-statistics only gets major.minor.
    let owner = s.login("owner").await;
    let r = s.get("/api/info", Some(&owner)).await;
    assert_eq!(r.json["version"], "8.8");
    assert!(r.json.get("info").is_none());
}

#[tokio::test]
async fn login_forms_me_and_logout() {
    let s = start().await;
    for body in [
        json!({ "user": "admin", "password": seed::PASSWORD }),
        json!({ "username": "admin", "password": seed::PASSWORD }),
        json!({ "user": "admin@example.com", "password": seed::PASSWORD }),
        json!({ "email": "admin@example.com", "password": seed::PASSWORD }),
        json!({ "user": "admin", "password": { "digest": hookpanel_sandbox::util::sha256_hex(seed::PASSWORD), "algorithm": "sha-256" } }),
    ] {
        let r = s.post("/api/v1/login", None, body.clone()).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
        assert_eq!(r.json["status"], "success");
        assert_eq!(r.json["success"], true);
        assert_eq!(r.json["data"]["userId"], seed::ADMIN_ID);
        assert_eq!(r.json["data"]["me"]["username"], "admin");
    }
    let a = s.login("admin").await;
    let me = s.get("/api/v1/me", Some(&a)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["_id"], seed::ADMIN_ID);
    assert_eq!(me.json["email"], "admin@example.com");
    assert_eq!(me.json["roles"], json!(["admin", "user"]));
    assert_eq!(me.json["success"], true);

    let out = s.post("/api/v1/logout", Some(&a), json!({})).await;
    assert_eq!(out.status, 200);
    assert_eq!(out.json["data"]["message"], "You've been logged out!");
    let me = s.get("/api/v1/me", Some(&a)).await;
    assert_eq!(me.status, 401);
    assert_eq!(
        me.json,
        json!({
            "success": false,
            "error": "You must be logged in to do this.",
            "status": "error",
            "message": "You must be logged in to do this."
        })
    );
}

/// Rocket.Chat's logout pulls the token it is called with from the user's tokens, personal
/// access tokens included (hookpanel therefore never calls it with one).
#[tokio::test]
async fn logout_with_a_personal_access_token_deletes_it() {
    let s = start().await;
    let pat = admin();
    assert_eq!(s.get("/api/v1/me", Some(&pat)).await.status, 200);
    let out = s.post("/api/v1/logout", Some(&pat), json!({})).await;
    assert_eq!(out.status, 200);
    assert_eq!(s.get("/api/v1/me", Some(&pat)).await.status, 401);
}

#[tokio::test]
async fn login_failures() {
    let s = start().await;
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "nobody", "password": "x" }),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json,
        json!({ "success": false, "status": "error", "error": "Unauthorized", "message": "Unauthorized" })
    );
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "admin", "password": "wrong" }),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["error"], 403);
    assert_eq!(r.json["message"], "Incorrect password");
    let r = s.post("/api/v1/login", None, json!({ "foo": 1 })).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["message"], "Unrecognized options for login request");
}

#[tokio::test]
async fn personal_access_token_and_resume() {
    let s = start().await;
    let r = s.get("/api/v1/me", Some(&admin())).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["username"], "admin");
    let a = s.login("alice").await;
    let r = s
        .post("/api/v1/login", None, json!({ "resume": a.token }))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["data"]["userId"], seed::ALICE_ID);
    assert_eq!(r.json["data"]["me"]["username"], "alice");
    let r = s
        .post("/api/v1/login", None, json!({ "resume": "nope" }))
        .await;
    assert_eq!(r.status, 401);
}

fn names(r: &Resp) -> Vec<String> {
    r.json["integrations"]
        .as_array()
        .expect("integrations")
        .iter()
        .map(|i| i["name"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn list_filters_sort_pagination_total() {
    let s = start().await;
    let a = admin();
    let sort = enc(r#"{"name":1}"#);
    let r = s.get(&list_path(&format!("sort={sort}")), Some(&a)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["total"], 10);
    assert_eq!(r.json["count"], 10);
    assert_eq!(r.json["items"], 10);
    assert_eq!(r.json["offset"], 0);
    let all = names(&r);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);

    let r = s
        .get(
            &list_path(&format!("sort={sort}&count=3&offset=2")),
            Some(&a),
        )
        .await;
    assert_eq!(names(&r), all[2..5].to_vec());
    assert_eq!(r.json["total"], 10);
    assert_eq!(r.json["offset"], 2);
    assert_eq!(r.json["count"], 3);

    let desc = enc(r#"{"_createdAt":-1}"#);
    let r = s
        .get(&list_path(&format!("sort={desc}&count=1")), Some(&a))
        .await;
    assert_eq!(names(&r), vec!["Outgoing with script error"]);

    let r = s.get(&list_path("type=webhook-outgoing"), Some(&a)).await;
    assert_eq!(r.json["total"], 5);
    assert!(r.json["integrations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["type"] == "webhook-outgoing"));

    let r = s
        .get(&list_path(&format!("name={}", enc("BÜRO"))), Some(&a))
        .await;
    assert_eq!(names(&r), vec!["Büro-Ankündigungen"]);

    // The own-permission user only sees what they created.
    let owner = s.login("owner").await;
    let r = s
        .get(&list_path(&format!("sort={sort}")), Some(&owner))
        .await;
    assert_eq!(names(&r), vec!["Owner's build notices", "Owner's echo"]);
    assert_eq!(r.json["total"], 2);
}

#[tokio::test]
async fn seed_large_pages_and_caps() {
    let s = start_with(|o| o.seed_large = 1000).await;
    let a = admin();
    let r = s.get(&list_path("count=500"), Some(&a)).await;
    assert_eq!(r.json["total"], 1010);
    assert_eq!(r.json["count"], 100, "count is capped at 100");
    let r = s.get(&list_path("count=0"), Some(&a)).await;
    assert_eq!(r.json["count"], 1010, "count=0 returns everything");
    let r = s
        .get(
            &list_path(&format!(
                "name={}&type=webhook-incoming",
                enc("load test 00")
            )),
            Some(&a),
        )
        .await;
    // Load tests 0001..0099 whose index is odd are incoming (i = 0, 2, ...).
    assert_eq!(r.json["total"], 50);
}

#[tokio::test]
async fn reset_restores_seed() {
    let s = start().await;
    let a = admin();
    let r = s
        .post(
            "/api/v1/integrations.remove",
            Some(&a),
            json!({ "type": "webhook-incoming", "integrationId": seed::INT_GITHUB }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.get(&list_path(""), Some(&a)).await.json["total"], 9);
    let r = s.post("/sandbox/reset", None, json!({})).await;
    assert_eq!(r.json["success"], true);
    assert_eq!(s.get(&list_path(""), Some(&a)).await.json["total"], 10);
}

#[tokio::test]
async fn state_survives_restart() {
    let mut s = start().await;
    let a = s.login("admin").await;
    let r = s
        .post(
            "/api/v1/integrations.create",
            Some(&a),
            incoming_body("Persisted hook", "#general"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.json["integration"]["_id"].as_str().unwrap().to_string();
    s.restart().await;
    // Login tokens persist too.
    let r = s
        .get(
            &format!("/api/v1/integrations.get?integrationId={id}"),
            Some(&a),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["name"], "Persisted hook");
}

#[tokio::test]
async fn concurrent_writes_do_not_corrupt_state() {
    let mut s = start().await;
    let a = admin();
    let mut tasks = vec![];
    for i in 0..40 {
        let http = s.http.clone();
        let url = s.url.clone();
        let a = a.clone();
        tasks.push(tokio::spawn(async move {
            http.post(format!("{url}/api/v1/integrations.create"))
                .header("X-User-Id", &a.user_id)
                .header("X-Auth-Token", &a.token)
                .json(&incoming_body(&format!("Concurrent {i:02}"), "#general"))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 200);
    }
    let file = std::fs::read(s.dir.join("state.json")).unwrap();
    let parsed: Value = serde_json::from_slice(&file).expect("state file is valid JSON");
    assert_eq!(parsed["integrations"].as_array().unwrap().len(), 50);
    s.restart().await;
    let r = s
        .get(&list_path(&format!("name={}", enc("Concurrent"))), Some(&a))
        .await;
    assert_eq!(r.json["total"], 40);
}

#[tokio::test]
async fn serves_dist_with_spa_fallback() {
    let dist = temp_dir();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>hookpanel</title>",
    )
    .unwrap();
    std::fs::write(dist.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("assets/app.js"), "console.log(1)").unwrap();
    std::fs::write(dist.join("assets/style.css"), "body{}").unwrap();
    let d = dist.clone();
    let s = start_with(move |o| o.dist = Some(d)).await;
    let html = [("accept", "text/html,application/xhtml+xml")];
    let r = s.request("GET", "/", None, None, &html).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<title>hookpanel</title>"));
    let r = s.get("/app_bg.wasm", None).await;
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    let r = s.get("/assets/app.js", None).await;
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let r = s.get("/assets/style.css", None).await;
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    // Client-side routes fall back to index.html for HTML navigations only.
    let r = s
        .request("GET", "/integrations/edit/abc", None, None, &html)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("hookpanel"));
    let r = s.get("/missing.js", None).await;
    assert_eq!(r.status, 404);
    let r = s.request("GET", "/../../etc/passwd", None, None, &[]).await;
    assert_eq!(r.status, 404);
    // API, hooks and sandbox paths never fall back.
    let r = s.request("GET", "/api/v1/nope", None, None, &html).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json["success"], false);
    let r = s.request("GET", "/sandbox/nope", None, None, &html).await;
    assert_eq!(r.status, 404);
    let _ = std::fs::remove_dir_all(dist);
}

#[tokio::test]
async fn landing_page_without_dist() {
    let s = start().await;
    let r = s.get("/", None).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("hookpanel-sandbox"));
}

#[tokio::test]
async fn one_log_line_per_request() {
    let s = start().await;
    let before = s.get("/sandbox/log", None).await.json["lines"]
        .as_array()
        .unwrap()
        .len();
    s.get("/api/info?probe=1", None).await;
    let lines = s.get("/sandbox/log", None).await.json["lines"]
        .as_array()
        .unwrap()
        .clone();
    let probe: Vec<&Value> = lines
        .iter()
        .filter(|l| l.as_str().unwrap().contains("/api/info?probe=1"))
        .collect();
    assert_eq!(probe.len(), 1);
    assert!(probe[0]
        .as_str()
        .unwrap()
        .contains("GET /api/info?probe=1 200"));
    assert!(lines.len() > before);
}

#[test]
fn binary_prints_listening_line_and_help() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let exe = env!("CARGO_BIN_EXE_hookpanel-sandbox");
    let help = Command::new(exe)
        .arg("--help")
        .output()
        .expect("run --help");
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--host",
        "--port",
        "--dist",
        "--data",
        "--fresh",
        "--server-version",
        "--cors",
        "--rate-limit",
        "--seed-large",
        "--scripts-frozen",
    ] {
        assert!(text.contains(flag), "--help lists {flag}");
    }
    let dir = temp_dir();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(exe)
        .args([
            "--port",
            "0",
            "--fresh",
            "--server-version",
            "7.5.0",
            "--data",
        ])
        .arg(dir.join("state.json"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep draining stdout so the server's log lines never hit a closed pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(i) = line.find("listening on http://") {
                let _ = tx.send(line[i + "listening on ".len()..].trim().to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("listening line");
    assert!(!url.ends_with(":0"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let body: Value = rt.block_on(async {
        reqwest::get(format!("{url}/api/info"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(body["version"], "7.5");
    let _ = std::fs::remove_dir_all(dir);
}
