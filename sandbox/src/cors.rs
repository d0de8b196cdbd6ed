//! CORS for `/api` (spec §7, `API_Enable_CORS` / `API_CORS_Origin`) and for `/hooks`.

use crate::config::{CorsEra, CorsSetting, RuntimeConfig};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};

pub const ALLOW_METHODS: &str = "GET, POST, PUT, DELETE, HEAD, PATCH";
pub const ALLOW_HEADERS: &str =
    "Origin, X-Requested-With, Content-Type, Accept, X-User-Id, X-Auth-Token, x-visitor-token, Authorization";
pub const DISABLED_TEXT: &str =
    "CORS not enabled. Go to \"Admin > General > REST Api\" to enable it.";
/// What Restivus' `enableCors` adds to every 6.x response.
const RESTIVUS_ALLOW_HEADERS: &str = "Origin, X-Requested-With, Content-Type, Accept";

pub type Headers = Vec<(HeaderName, HeaderValue)>;

pub enum Preflight {
    /// Status, text body, headers.
    Answer(StatusCode, String, Headers),
}

fn hv(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn allow(origin: &str, vary: bool) -> Headers {
    let mut h = vec![
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, hv(origin)),
        (header::ACCESS_CONTROL_ALLOW_METHODS, hv(ALLOW_METHODS)),
        (header::ACCESS_CONTROL_ALLOW_HEADERS, hv(ALLOW_HEADERS)),
    ];
    if vary {
        h.push((header::VARY, hv("Origin")));
    }
    h
}

fn origin_of(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
}

/// Answers an `OPTIONS` request under `/api`.
pub fn api_preflight(cfg: &RuntimeConfig, headers: &HeaderMap) -> Preflight {
    let origin = origin_of(headers);
    let restivus = cfg.server_version.restivus();
    match &cfg.cors {
        CorsSetting::Off => {
            Preflight::Answer(StatusCode::METHOD_NOT_ALLOWED, DISABLED_TEXT.into(), vec![])
        }
        CorsSetting::Any => Preflight::Answer(StatusCode::OK, String::new(), allow("*", false)),
        CorsSetting::List(list) => match origin.filter(|o| list.iter().any(|l| l == o)) {
            Some(o) => Preflight::Answer(StatusCode::OK, String::new(), allow(o, true)),
            // 6.x answered 200 without CORS headers; 7.x+ refuse with 403.
            None if restivus => Preflight::Answer(StatusCode::OK, String::new(), vec![]),
            None => Preflight::Answer(StatusCode::FORBIDDEN, "Invalid origin".into(), vec![]),
        },
    }
}

/// A 7.0–7.5 server refuses any request from an unlisted origin.
#[derive(Debug)]
pub struct InvalidOrigin;

/// Headers for a normal `/api` response, or the 403 refusal.
pub fn api_response_headers(
    cfg: &RuntimeConfig,
    headers: &HeaderMap,
) -> Result<Headers, InvalidOrigin> {
    let origin = origin_of(headers);
    match cfg.server_version.cors_era() {
        CorsEra::Restivus => Ok(vec![
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, hv("*")),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                hv(RESTIVUS_ALLOW_HEADERS),
            ),
        ]),
        _ if cfg.cors == CorsSetting::Off => Ok(vec![]),
        CorsEra::EarlyExpress => match (origin, &cfg.cors) {
            (None, _) => Ok(vec![]),
            (Some(_), CorsSetting::Any) => Ok(allow("*", false)),
            (Some(o), CorsSetting::List(list)) if list.iter().any(|l| l == o) => Ok(allow(o, true)),
            _ => Err(InvalidOrigin),
        },
        CorsEra::Regression => Ok(vec![]),
        CorsEra::Fixed => Ok(allow("*", true)),
    }
}

/// `/hooks` runs with `enableCors: true` whatever the REST settings say.
pub fn hooks_headers() -> Headers {
    allow("*", false)
}

/// `/sandbox` control endpoints are open to any origin (tests and tools call them).
pub fn sandbox_headers() -> Headers {
    vec![
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, hv("*")),
        (
            header::ACCESS_CONTROL_ALLOW_METHODS,
            hv("GET, POST, DELETE"),
        ),
        (header::ACCESS_CONTROL_ALLOW_HEADERS, hv("Content-Type")),
    ]
}
