//! Two-factor login: TOTP against the documented secret, and e-mailed codes.

use crate::common::*;
use hookpanel_sandbox::seed;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Builder, Secret};

fn current_code() -> String {
    let secret = Secret::try_from_base32(seed::ADMIN2FA_TOTP_SECRET).unwrap();
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .unwrap();
    totp.generate_current().to_string()
}

fn login_body(user: &str, code: Option<&str>) -> Value {
    let mut b = json!({ "user": user, "password": seed::PASSWORD });
    if let Some(c) = code {
        b["code"] = json!(c);
    }
    b
}

#[tokio::test]
async fn totp_required_invalid_and_valid() {
    let s = start().await;
    let r = s
        .post("/api/v1/login", None, login_body("admin2fa", None))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json,
        json!({
            "success": false, "status": "error", "error": "totp-required", "message": "TOTP Required",
            "details": { "method": "totp", "codeGenerated": false, "availableMethods": ["totp"] }
        })
    );
    let good = current_code();
    let wrong = format!(
        "{:06}",
        (good.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let r = s
        .post("/api/v1/login", None, login_body("admin2fa", Some(&wrong)))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["error"], "totp-invalid");
    assert_eq!(r.json["message"], "TOTP Invalid");
    assert_eq!(r.json["details"]["method"], "totp");
    assert_eq!(r.json["details"]["availableMethods"], json!(["totp"]));
    let r = s
        .post("/api/v1/login", None, login_body("admin2fa", Some(&good)))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["data"]["me"]["services"]["totp"]["enabled"], true);
    // The sandbox-only helper gives the same code.
    let r = s.get("/sandbox/totp/admin2fa", None).await;
    assert_eq!(r.json["code"], json!(current_code()));
    assert_eq!(s.get("/sandbox/totp/admin", None).await.status, 404);
}

fn codes_in_log(lines: &Value, user: &str) -> Vec<String> {
    lines["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .filter(|l| l.contains("[email]") && l.contains(&format!("for {user} ")))
        .filter_map(|l| l.split(": ").nth(1).map(|rest| rest[..6].to_string()))
        .collect()
}

#[tokio::test]
async fn email_codes() {
    let s = start().await;
    let r = s
        .post("/api/v1/login", None, login_body("mailadmin", None))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json["error"], "totp-required");
    assert_eq!(
        r.json["details"],
        json!({
            "method": "email", "codeGenerated": true, "emailOrUsername": "mailadmin@example.com",
            "availableMethods": ["email"]
        })
    );
    let codes = codes_in_log(&s.get("/sandbox/log", None).await.json, "mailadmin");
    assert_eq!(codes.len(), 1);
    // An unexpired code exists: no new one, but its count and expiry.
    let r = s
        .post("/api/v1/login", None, login_body("mailadmin", None))
        .await;
    assert_eq!(r.json["details"]["codeGenerated"], false);
    assert_eq!(r.json["details"]["codeCount"], 1);
    assert_eq!(
        r.json["details"]["codeExpires"].as_array().unwrap().len(),
        1
    );
    // Non-digits are stripped from e-mail codes.
    let spaced = format!("{} {}", &codes[0][..3], &codes[0][3..]);
    let r = s
        .post(
            "/api/v1/login",
            None,
            login_body("mailadmin", Some(&spaced)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A used code is gone.
    let r = s
        .post(
            "/api/v1/login",
            None,
            login_body("mailadmin", Some(&codes[0])),
        )
        .await;
    assert_eq!(r.json["error"], "totp-invalid");
    assert_eq!(r.json["details"]["method"], "email");
    // Ask for a new one explicitly.
    let r = s
        .post(
            "/api/v1/users.2fa.sendEmailCode",
            None,
            json!({ "emailOrUsername": "mailadmin" }),
        )
        .await;
    assert_eq!(r.json, json!({ "success": true }));
    let codes = codes_in_log(&s.get("/sandbox/log", None).await.json, "mailadmin");
    assert_eq!(codes.len(), 2);
    let r = s
        .post(
            "/api/v1/login",
            None,
            login_body("mailadmin", Some(&codes[1])),
        )
        .await;
    assert_eq!(r.status, 200);
    // Unknown accounts get the same answer.
    let r = s
        .post(
            "/api/v1/users.2fa.sendEmailCode",
            None,
            json!({ "emailOrUsername": "nobody@example.com" }),
        )
        .await;
    assert_eq!(r.json, json!({ "success": true }));
    let r = s
        .post("/api/v1/users.2fa.sendEmailCode", None, json!({}))
        .await;
    assert_eq!(r.json["errorType"], "error-parameter-required");
}

#[tokio::test]
async fn nine_zero_login_failures() {
    let s = start().await;
    s.version("9.0.0").await;
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "admin", "password": "x" }),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json, json!({ "success": false, "error": "unauthorized" }));
    let r = s
        .post("/api/v1/login", None, login_body("admin2fa", None))
        .await;
    assert_eq!(r.json["error"], "totp-required");
    assert_eq!(r.json["details"]["method"], "totp");
    s.version("6.3.7").await;
    let r = s
        .post(
            "/api/v1/login",
            None,
            json!({ "user": "nobody", "password": "x" }),
        )
        .await;
    assert_eq!(
        r.json,
        json!({ "status": "error", "error": "Unauthorized", "message": "Unauthorized" })
    );
    let r = s
        .post("/api/v1/login", None, login_body("admin", None))
        .await;
    assert!(
        r.json.get("success").is_none(),
        "6.x login success has no success key"
    );
    assert_eq!(r.json["status"], "success");
}
