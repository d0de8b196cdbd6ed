//! The persisted state: users, roles, rooms, integrations, history, messages.
//!
//! Users, rooms and roles are typed; integrations, history rows and messages are kept
//! as JSON documents because their stored shape *is* the API contract (spec §5).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub type Doc = Map<String, Value>;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    pub rooms: Vec<Room>,
    pub subscriptions: Vec<Subscription>,
    pub integrations: Vec<Doc>,
    pub history: Vec<Doc>,
    pub messages: Vec<Doc>,
    /// Base URL the seed used for receiver URLs (informational).
    #[serde(default)]
    pub seeded_for: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Email {
    pub address: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginToken {
    /// SHA-256 hex of the token; the clear token is never stored.
    pub hashed: String,
    pub when: String,
    /// Set for personal access tokens.
    #[serde(default)]
    pub pat_name: Option<String>,
    #[serde(default)]
    pub bypass_two_factor: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmailCode {
    pub code: String,
    pub expires_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub name: String,
    pub emails: Vec<Email>,
    pub roles: Vec<String>,
    pub active: bool,
    /// `user` or `bot`.
    pub kind: String,
    /// SHA-256 hex of the password (what Meteor's client sends as digest).
    pub password_sha256: Option<String>,
    pub totp_secret: Option<String>,
    pub email2fa: bool,
    pub login_tokens: Vec<LoginToken>,
    pub email_codes: Vec<EmailCode>,
    pub created_at: String,
}

impl User {
    pub fn email(&self) -> Option<&str> {
        self.emails.first().map(|e| e.address.as_str())
    }

    pub fn avatar_url(&self, site: &str) -> String {
        format!(
            "{site}/avatar/{}",
            crate::util::percent_encode(&self.username)
        )
    }

    /// `{_id, username}` as stored in `_createdBy` / `_updatedBy`.
    pub fn stamp(&self) -> Value {
        json!({ "_id": self.id, "username": self.username })
    }

    /// The user document as `/api/v1/me` and `data.me` flatten it.
    pub fn me_json(&self, site: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("_id".into(), json!(self.id));
        m.insert(
            "services".into(),
            json!({
                "password": { "exists": self.password_sha256.is_some() },
                "totp": { "enabled": self.totp_secret.is_some() },
                "email2fa": { "enabled": self.email2fa },
            }),
        );
        m.insert("username".into(), json!(self.username));
        m.insert(
            "emails".into(),
            serde_json::to_value(&self.emails).unwrap_or(Value::Null),
        );
        m.insert("status".into(), json!("online"));
        m.insert("statusConnection".into(), json!("online"));
        m.insert("utcOffset".into(), json!(0));
        m.insert("active".into(), json!(self.active));
        m.insert("name".into(), json!(self.name));
        m.insert("roles".into(), json!(self.roles));
        m.insert("type".into(), json!(self.kind));
        m.insert("_updatedAt".into(), json!(self.created_at));
        m.insert("language".into(), json!("en"));
        m.insert("settings".into(), json!({ "preferences": {} }));
        m.insert("avatarUrl".into(), json!(self.avatar_url(site)));
        if let Some(e) = self.emails.iter().find(|e| e.verified) {
            m.insert("email".into(), json!(e.address));
        }
        m
    }

    /// Public fields, as `users.info` answers them.
    pub fn info_json(&self, with_roles: bool) -> Value {
        let mut m = Map::new();
        m.insert("_id".into(), json!(self.id));
        m.insert("type".into(), json!(self.kind));
        m.insert("status".into(), json!("online"));
        m.insert("active".into(), json!(self.active));
        m.insert("name".into(), json!(self.name));
        m.insert("utcOffset".into(), json!(0));
        m.insert("username".into(), json!(self.username));
        if with_roles {
            m.insert("roles".into(), json!(self.roles));
            m.insert(
                "emails".into(),
                serde_json::to_value(&self.emails).unwrap_or(Value::Null),
            );
        }
        Value::Object(m)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Role {
    pub id: String,
    pub description: String,
    pub protected: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Permission {
    pub id: String,
    pub roles: Vec<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Room {
    pub id: String,
    /// `None` for direct messages.
    pub name: Option<String>,
    pub fname: Option<String>,
    /// `c` public, `p` private, `d` direct.
    pub t: String,
    pub created_at: String,
    pub updated_at: String,
    /// Members of a DM (usernames / ids), empty otherwise.
    pub usernames: Vec<String>,
    pub uids: Vec<String>,
    pub msgs: u64,
    pub default: bool,
    pub topic: Option<String>,
}

impl Room {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("_id".into(), json!(self.id));
        if let Some(n) = &self.name {
            m.insert("name".into(), json!(n));
        }
        if let Some(f) = &self.fname {
            m.insert("fname".into(), json!(f));
        }
        m.insert("t".into(), json!(self.t));
        if self.t == "d" {
            m.insert("usernames".into(), json!(self.usernames));
            m.insert("uids".into(), json!(self.uids));
        }
        m.insert("msgs".into(), json!(self.msgs));
        m.insert("default".into(), json!(self.default));
        m.insert("ro".into(), json!(false));
        m.insert("sysMes".into(), json!(true));
        if let Some(t) = &self.topic {
            m.insert("topic".into(), json!(t));
        }
        m.insert("ts".into(), json!(self.created_at));
        m.insert("_updatedAt".into(), json!(self.updated_at));
        Value::Object(m)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subscription {
    pub rid: String,
    pub uid: String,
}

impl State {
    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_id_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    pub fn user_by_username(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        let want = email.to_lowercase();
        self.users
            .iter()
            .find(|u| u.emails.iter().any(|e| e.address.to_lowercase() == want))
    }

    /// `{$or: [{_id: x}, {username: x}]}`.
    pub fn user_by_id_or_username(&self, x: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == x || u.username == x)
    }

    pub fn room_by_id(&self, id: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    /// `{$or: [{_id: x}, {name: x}]}`.
    pub fn room_by_id_or_name(&self, x: &str) -> Option<&Room> {
        self.rooms
            .iter()
            .find(|r| r.id == x || r.name.as_deref() == Some(x))
    }

    pub fn is_member(&self, rid: &str, uid: &str) -> bool {
        self.subscriptions
            .iter()
            .any(|s| s.rid == rid && s.uid == uid)
    }

    pub fn has_permission(&self, user: &User, perm: &str) -> bool {
        self.permissions
            .iter()
            .find(|p| p.id == perm)
            .is_some_and(|p| p.roles.iter().any(|r| user.roles.contains(r)))
    }

    pub fn has_any(&self, user: &User, perms: &[&str]) -> bool {
        perms.iter().any(|p| self.has_permission(user, p))
    }

    pub fn has_all(&self, user: &User, perms: &[&str]) -> bool {
        perms.iter().all(|p| self.has_permission(user, p))
    }

    pub fn integration(&self, id: &str) -> Option<&Doc> {
        self.integrations
            .iter()
            .find(|d| d.get("_id").and_then(Value::as_str) == Some(id))
    }

    pub fn integration_mut(&mut self, id: &str) -> Option<&mut Doc> {
        self.integrations
            .iter_mut()
            .find(|d| d.get("_id").and_then(Value::as_str) == Some(id))
    }

    pub fn add_role(&mut self, uid: &str, role: &str) {
        if let Some(u) = self.user_by_id_mut(uid) {
            if !u.roles.iter().any(|r| r == role) {
                u.roles.push(role.to_string());
            }
        }
    }

    pub fn subscribe(&mut self, rid: &str, uid: &str) {
        if !self.is_member(rid, uid) {
            self.subscriptions.push(Subscription {
                rid: rid.into(),
                uid: uid.into(),
            });
        }
    }

    /// The direct-message room of two users, created on first use (id = sorted ids joined).
    pub fn direct_room(&mut self, a: &User, b: &User) -> String {
        let mut ids = [a.id.clone(), b.id.clone()];
        ids.sort();
        let rid = if ids[0] == ids[1] {
            ids[0].clone()
        } else {
            format!("{}{}", ids[0], ids[1])
        };
        if self.room_by_id(&rid).is_none() {
            let now = crate::util::now_iso();
            let mut usernames = vec![a.username.clone(), b.username.clone()];
            usernames.dedup();
            let mut uids = vec![a.id.clone(), b.id.clone()];
            uids.dedup();
            self.rooms.push(Room {
                id: rid.clone(),
                name: None,
                fname: None,
                t: "d".into(),
                created_at: now.clone(),
                updated_at: now,
                usernames,
                uids: uids.clone(),
                msgs: 0,
                default: false,
                topic: None,
            });
            for uid in uids {
                self.subscribe(&rid, &uid);
            }
        }
        rid
    }
}
