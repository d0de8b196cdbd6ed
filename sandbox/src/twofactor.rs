//! Two-factor checks for login: TOTP (RFC 6238 via totp-rs) and e-mailed codes (spec §6.2).

use crate::app::App;
use crate::model::{EmailCode, User};
use crate::util::{iso_from_ms, now_ms, random_digits};
use serde_json::{json, Value};
use totp_rs::{Algorithm, Builder, Secret};

/// `Accounts_TwoFactorAuthentication_By_Email_Code_Expiration` default.
pub const EMAIL_CODE_TTL_MS: u64 = 3_600_000;

fn totp_for(secret_b32: &str) -> Option<totp_rs::Totp> {
    let bytes = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(bytes)
        .build()
        .ok()
}

/// The current code of a TOTP secret (used by `/sandbox/totp/:user`).
pub fn current_totp(secret_b32: &str) -> Option<(String, u64)> {
    let t = totp_for(secret_b32)?;
    Some((t.generate_current().to_string(), t.ttl()))
}

pub fn totp_valid(secret_b32: &str, code: &str) -> bool {
    totp_for(secret_b32).is_some_and(|t| t.check_current(code.trim()).is_some())
}

/// The two-factor method used at login, if any: TOTP wins over e-mail.
pub fn method(user: &User) -> Option<&'static str> {
    if user.totp_secret.is_some() {
        Some("totp")
    } else if user.email2fa {
        Some("email")
    } else {
        None
    }
}

pub fn available_methods(user: &User) -> Vec<&'static str> {
    let mut m = vec![];
    if user.totp_secret.is_some() {
        m.push("totp");
    }
    if user.email2fa {
        m.push("email");
    }
    m
}

/// Generates a code, stores it, and "e-mails" it (writes it to the sandbox log).
pub fn send_email_code(app: &App, uid: &str) {
    let code = random_digits(6);
    let expires = now_ms() + EMAIL_CODE_TTL_MS;
    let target = app.store.write(|s| {
        let u = s.user_by_id_mut(uid)?;
        u.email_codes.push(EmailCode {
            code: code.clone(),
            expires_ms: expires,
        });
        Some((u.username.clone(), u.email().unwrap_or("").to_string()))
    });
    if let Some((username, email)) = target {
        app.log(format!(
            "[email] two-factor code for {username} <{email}>: {code} (expires {})",
            iso_from_ms(expires)
        ));
    }
}

/// `details` of a `totp-required` answer; for e-mail this may send a new code.
pub fn required_details(app: &App, user: &User) -> Value {
    let available = available_methods(user);
    match method(user) {
        Some("email") => {
            let now = now_ms();
            let live: Vec<&EmailCode> = user
                .email_codes
                .iter()
                .filter(|c| c.expires_ms > now)
                .collect();
            let email_or_username = user.email().unwrap_or(&user.username).to_string();
            if live.is_empty() {
                send_email_code(app, &user.id);
                json!({
                    "method": "email",
                    "codeGenerated": true,
                    "emailOrUsername": email_or_username,
                    "availableMethods": available,
                })
            } else {
                json!({
                    "method": "email",
                    "codeGenerated": false,
                    "codeCount": live.len(),
                    "codeExpires": live.iter().map(|c| iso_from_ms(c.expires_ms)).collect::<Vec<_>>(),
                    "emailOrUsername": email_or_username,
                    "availableMethods": available,
                })
            }
        }
        _ => json!({ "method": "totp", "codeGenerated": false, "availableMethods": available }),
    }
}

pub fn invalid_details(user: &User) -> Value {
    json!({ "method": method(user).unwrap_or("totp"), "availableMethods": available_methods(user) })
}

/// Checks a code; a matching e-mail code is consumed.
pub fn verify(app: &App, user: &User, code: &str) -> bool {
    match method(user) {
        Some("totp") => user
            .totp_secret
            .as_deref()
            .is_some_and(|s| totp_valid(s, code)),
        Some("email") => {
            // The e-mail check strips everything but digits.
            let digits: String = code.chars().filter(char::is_ascii_digit).collect();
            let now = now_ms();
            app.store.write(|s| {
                let Some(u) = s.user_by_id_mut(&user.id) else {
                    return false;
                };
                u.email_codes.retain(|c| c.expires_ms > now);
                match u.email_codes.iter().position(|c| c.code == digits) {
                    Some(i) => {
                        u.email_codes.remove(i);
                        true
                    }
                    None => false,
                }
            })
        }
        _ => true,
    }
}
