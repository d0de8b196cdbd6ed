//! Error bodies exactly as Rocket.Chat renders them (spec §1.5), per server version.

use crate::config::Version;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

/// Refusal ids that 9.0 answers with 403 `error-forbidden` (release note of PR #43214).
const FORBIDDEN_IN_9: [&str; 5] = [
    "not_authorized",
    "not-authorized",
    "error-not-allowed",
    "not-allowed",
    "no-permission",
];

pub const NOT_LOGGED_IN: &str = "You must be logged in to do this.";
pub const NO_PERMISSION: &str = "User does not have the permissions required for this action";

#[derive(Debug, Clone)]
pub enum ApiError {
    /// AJV failure. `typed`: `error-invalid-params` (typed route) vs `invalid-params` (addRoute).
    InvalidParams {
        message: String,
        typed: bool,
    },
    /// `Meteor.Error(id, reason, details)` thrown by a method.
    Meteor {
        id: String,
        reason: Option<String>,
        details: Option<Value>,
    },
    /// A plain `Error` or `API.v1.failure('text')`: `{success:false, error}`.
    Plain(String),
    /// No or bad credentials.
    NotLoggedIn,
    /// Route-level `permissionsRequired` failure.
    RouteForbidden,
    TooManyRequests {
        seconds: u64,
    },
    /// Unhandled exception: 500 `Internal server error`.
    Internal,
    /// A fully specified body (login failures, hooks answers, …).
    Custom(StatusCode, Value),
    Text(StatusCode, String),
}

impl ApiError {
    pub fn meteor(id: &str, reason: &str) -> ApiError {
        ApiError::Meteor {
            id: id.into(),
            reason: Some(reason.into()),
            details: None,
        }
    }

    /// `Meteor.Error(id, reason, {method})`.
    pub fn method(id: &str, reason: &str, method: &str) -> ApiError {
        ApiError::Meteor {
            id: id.into(),
            reason: Some(reason.into()),
            details: Some(json!({ "method": method })),
        }
    }

    pub fn with_details(id: &str, reason: &str, details: Value) -> ApiError {
        ApiError::Meteor {
            id: id.into(),
            reason: Some(reason.into()),
            details: Some(details),
        }
    }

    /// `Meteor.Error(id)` without reason: `error` is `"[id]"`.
    pub fn bare(id: &str) -> ApiError {
        ApiError::Meteor {
            id: id.into(),
            reason: None,
            details: None,
        }
    }

    pub fn plain(msg: impl Into<String>) -> ApiError {
        ApiError::Plain(msg.into())
    }

    /// The error id (`errorType`), for callers that branch on it.
    pub fn id(&self) -> Option<&str> {
        match self {
            ApiError::Meteor { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The Meteor-style message `"reason [id]"`.
    pub fn message(&self) -> String {
        match self {
            ApiError::Meteor { id, reason, .. } => match reason {
                Some(r) => format!("{r} [{id}]"),
                None => format!("[{id}]"),
            },
            ApiError::Plain(m) => m.clone(),
            ApiError::InvalidParams { message, .. } => message.clone(),
            other => format!("{other:?}"),
        }
    }

    pub fn render(&self, v: &Version) -> (StatusCode, Body) {
        match self {
            ApiError::InvalidParams { message, typed } => {
                let body = if *typed {
                    json!({ "success": false, "errorType": "error-invalid-params", "error": message })
                } else {
                    json!({
                        "success": false,
                        "error": format!("{message} [invalid-params]"),
                        "errorType": "invalid-params",
                    })
                };
                (StatusCode::BAD_REQUEST, Body::Json(body))
            }
            ApiError::Meteor {
                id,
                reason,
                details,
            } => {
                if v.breaking() && FORBIDDEN_IN_9.contains(&id.as_str()) {
                    return forbidden_9(reason.as_deref().unwrap_or(id));
                }
                let mut m = Map::new();
                m.insert("success".into(), json!(false));
                m.insert("error".into(), json!(self.message()));
                m.insert("errorType".into(), json!(id));
                if let Some(d) = details {
                    m.insert("details".into(), d.clone());
                }
                (StatusCode::BAD_REQUEST, Body::Json(Value::Object(m)))
            }
            ApiError::Plain(msg) => {
                if v.breaking() && FORBIDDEN_IN_9.contains(&msg.as_str()) {
                    return forbidden_9(msg);
                }
                (
                    StatusCode::BAD_REQUEST,
                    Body::Json(json!({ "success": false, "error": msg })),
                )
            }
            ApiError::NotLoggedIn => {
                let body = if v.restivus() {
                    json!({ "status": "error", "message": NOT_LOGGED_IN })
                } else if v.breaking() {
                    json!({ "success": false, "error": NOT_LOGGED_IN })
                } else {
                    json!({
                        "success": false,
                        "error": NOT_LOGGED_IN,
                        "status": "error",
                        "message": NOT_LOGGED_IN,
                    })
                };
                (StatusCode::UNAUTHORIZED, Body::Json(body))
            }
            ApiError::RouteForbidden => {
                let body = if v.restivus() {
                    json!({ "success": false, "error": "unauthorized" })
                } else if v.breaking() {
                    json!({ "success": false, "error": NO_PERMISSION, "errorType": "error-forbidden" })
                } else {
                    json!({
                        "success": false,
                        "error": format!("{NO_PERMISSION} [error-unauthorized]"),
                    })
                };
                (StatusCode::FORBIDDEN, Body::Json(body))
            }
            ApiError::TooManyRequests { seconds } => (
                StatusCode::TOO_MANY_REQUESTS,
                Body::Json(json!({
                    "success": false,
                    "error": format!(
                        "Error, too many requests. Please slow down. You must wait {seconds} seconds before trying this endpoint again. [error-too-many-requests]"
                    ),
                })),
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Body::Json(json!({ "success": false, "error": "Internal server error" })),
            ),
            ApiError::Custom(status, body) => (*status, Body::Json(body.clone())),
            ApiError::Text(status, text) => (*status, Body::Text(text.clone())),
        }
    }
}

fn forbidden_9(message: &str) -> (StatusCode, Body) {
    (
        StatusCode::FORBIDDEN,
        Body::Json(json!({ "success": false, "error": message, "errorType": "error-forbidden" })),
    )
}

/// A response body before headers are attached.
#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    Text(String),
}

/// What an endpoint handler produces on success.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Body,
}

impl Reply {
    /// `API.v1.success(obj)`: the object plus `success: true`, HTTP 200.
    pub fn success(mut obj: Map<String, Value>) -> Reply {
        obj.insert("success".into(), json!(true));
        Reply {
            status: StatusCode::OK,
            body: Body::Json(Value::Object(obj)),
        }
    }

    pub fn success_value(v: Value) -> Reply {
        match v {
            Value::Object(m) => Reply::success(m),
            _ => Reply::success(Map::new()),
        }
    }

    pub fn json(status: StatusCode, v: Value) -> Reply {
        Reply {
            status,
            body: Body::Json(v),
        }
    }
}

pub type ApiResult = Result<Reply, ApiError>;
