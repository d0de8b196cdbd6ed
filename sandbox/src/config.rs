//! Start-up options, the run-time configuration and the server-version switches.

use serde_json::{json, Value};
use std::fmt;
use std::path::PathBuf;

/// Options fixed at start-up (the CLI flags).
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub dist: Option<PathBuf>,
    pub data: PathBuf,
    pub fresh: bool,
    pub seed_large: usize,
    /// `--seed-history N`: a webhook with N recorded calls (see `history_seed`).
    pub seed_history: usize,
    pub runtime: RuntimeConfig,
    /// Print one log line per request on stdout.
    pub print_log: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 3100,
            dist: None,
            data: PathBuf::from("target/sandbox/state.json"),
            fresh: false,
            seed_large: 0,
            seed_history: 0,
            runtime: RuntimeConfig::default(),
            print_log: true,
        }
    }
}

/// Settings that `/sandbox/config` can change while the server runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeConfig {
    pub server_version: Version,
    pub cors: CorsSetting,
    pub rate_limit: bool,
    pub scripts_frozen: Option<Frozen>,
    /// Multiplies outgoing retry delays so tests need not wait 10 s.
    pub retry_delay_scale: f64,
    /// Endpoints (e.g. `integrations.list`) that answer as if an unhandled exception occurred.
    pub internal_errors: Vec<String>,
    /// The sandbox's own limit on one script method call (the server has none, spec §3.1).
    pub script_timeout_ms: u64,
    /// `DISABLE_INTEGRATION_SCRIPTS`: stored scripts are not run (same values as the freeze).
    pub scripts_disabled: Option<Frozen>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            server_version: Version::new(8, 8, 1),
            cors: CorsSetting::Off,
            rate_limit: true,
            scripts_frozen: None,
            retry_delay_scale: 1.0,
            internal_errors: vec![],
            script_timeout_ms: 3000,
            scripts_disabled: None,
        }
    }
}

impl RuntimeConfig {
    pub fn to_json(&self) -> Value {
        json!({
            "serverVersion": self.server_version.to_string(),
            "cors": self.cors.to_string(),
            "rateLimit": self.rate_limit,
            "scriptsFrozen": self.scripts_frozen.map(|f| f.as_str()),
            "retryDelayScale": self.retry_delay_scale,
            "internalErrors": self.internal_errors,
            "scriptTimeoutMs": self.script_timeout_ms,
            "scriptsDisabled": self.scripts_disabled.map(|f| f.as_str()),
        })
    }

    /// Applies the keys present in `patch`; unknown keys or bad values are errors.
    pub fn apply(&mut self, patch: &Value) -> Result<(), String> {
        let obj = patch.as_object().ok_or("body must be a JSON object")?;
        let mut next = self.clone();
        for (k, v) in obj {
            match k.as_str() {
                "serverVersion" => {
                    next.server_version = v
                        .as_str()
                        .and_then(Version::parse)
                        .ok_or("serverVersion must be a version string like \"8.8.1\"")?
                }
                "cors" => {
                    next.cors = CorsSetting::parse(v.as_str().ok_or("cors must be a string")?)?
                }
                "rateLimit" => {
                    next.rate_limit = match v {
                        Value::Bool(b) => *b,
                        Value::String(s) => parse_on_off(s)?,
                        _ => return Err("rateLimit must be a boolean or \"on\"/\"off\"".into()),
                    }
                }
                "scriptsFrozen" => {
                    next.scripts_frozen = match v {
                        Value::Null => None,
                        Value::String(s) => Frozen::parse(s)?,
                        _ => return Err("scriptsFrozen must be null or yes|ivm|vm2".into()),
                    }
                }
                "retryDelayScale" => {
                    next.retry_delay_scale = v
                        .as_f64()
                        .filter(|f| *f >= 0.0 && f.is_finite())
                        .ok_or("retryDelayScale must be a non-negative number")?
                }
                "internalErrors" => {
                    next.internal_errors = v
                        .as_array()
                        .filter(|a| a.iter().all(Value::is_string))
                        .ok_or("internalErrors must be an array of endpoint names")?
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                }
                "scriptsDisabled" => {
                    next.scripts_disabled = match v {
                        Value::Null => None,
                        Value::String(s) => Frozen::parse(s)?,
                        _ => return Err("scriptsDisabled must be null or yes|ivm|vm2".into()),
                    }
                }
                "scriptTimeoutMs" => {
                    next.script_timeout_ms =
                        v.as_u64().filter(|n| (10..=600_000).contains(n)).ok_or(
                            "scriptTimeoutMs must be a whole number of milliseconds, 10 to 600000",
                        )?
                }
                other => return Err(format!("unknown config key {other:?}")),
            }
        }
        *self = next;
        Ok(())
    }
}

pub fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        other => Err(format!("expected on|off, got {other:?}")),
    }
}

/// `API_Enable_CORS` + `API_CORS_Origin`.
#[derive(Debug, Clone, PartialEq)]
pub enum CorsSetting {
    Off,
    Any,
    /// Lower-cased, trimmed origins, as the server normalises the setting.
    List(Vec<String>),
}

impl CorsSetting {
    pub fn parse(s: &str) -> Result<CorsSetting, String> {
        let t = s.trim();
        if t.is_empty() || t == "off" {
            return Ok(CorsSetting::Off);
        }
        if t == "*" {
            return Ok(CorsSetting::Any);
        }
        let list: Vec<String> = t
            .split(',')
            .map(|o| o.trim().to_lowercase())
            .filter(|o| !o.is_empty())
            .collect();
        if list.is_empty() {
            return Err("cors origin list is empty".into());
        }
        Ok(CorsSetting::List(list))
    }
}

impl fmt::Display for CorsSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorsSetting::Off => f.write_str("off"),
            CorsSetting::Any => f.write_str("*"),
            CorsSetting::List(l) => f.write_str(&l.join(",")),
        }
    }
}

/// `FREEZE_INTEGRATION_SCRIPTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frozen {
    /// `yes`/`true`: every non-blank script is refused.
    All,
    /// `ivm`: isolated-vm scripts are refused.
    IsolatedVm,
    /// `vm2`: vm2 scripts are refused.
    Vm2,
}

impl Frozen {
    pub fn parse(s: &str) -> Result<Option<Frozen>, String> {
        match s {
            "" | "no" | "off" | "false" => Ok(None),
            "yes" | "true" => Ok(Some(Frozen::All)),
            "ivm" => Ok(Some(Frozen::IsolatedVm)),
            "vm2" => Ok(Some(Frozen::Vm2)),
            other => Err(format!("expected yes|ivm|vm2, got {other:?}")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Frozen::All => "yes",
            Frozen::IsolatedVm => "ivm",
            Frozen::Vm2 => "vm2",
        }
    }
}

/// The Rocket.Chat version the sandbox claims; every version-dependent behaviour asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// How normal (non-preflight) API responses carry CORS headers, by era (spec §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorsEra {
    /// 6.x Restivus: `Access-Control-Allow-Origin: *` on every response, whatever the settings.
    Restivus,
    /// 7.0–7.5 Express middleware: allow-origin for any request with `Origin`, 403 for unlisted ones.
    EarlyExpress,
    /// 7.6.x: allow-origin missing on normal responses (issue #36054).
    Regression,
    /// 7.7+ (after PR #36085) and 8.x: allow-origin `*` on normal responses when enabled.
    Fixed,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }

    pub fn parse(s: &str) -> Option<Version> {
        let mut parts = s.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| {
            // Tolerate pre-release suffixes such as `9.0.0-rc.3`.
            p.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
        })?;
        Some(Version::new(major, minor, patch))
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    pub fn major_minor(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    /// 6.x: Restivus API — legacy `addRoute` order, 401 without `success`, 403 `unauthorized`.
    pub fn restivus(&self) -> bool {
        !self.at_least(7, 0)
    }

    /// 7.x+: typed routes — schema errors are `error-invalid-params` and come before auth.
    pub fn typed_routes(&self) -> bool {
        self.at_least(7, 0)
    }

    /// `shouldBreakInVersion('9.0.0')`.
    pub fn breaking(&self) -> bool {
        self.at_least(9, 0)
    }

    /// 6.3.x schemas: no `scriptEngine`, update requires `overrideDestinationChannelEnabled`.
    pub fn schema_63(&self) -> bool {
        !self.at_least(6, 4)
    }

    pub fn stores_script_engine(&self) -> bool {
        self.at_least(6, 4)
    }

    /// `skipTranspile` is declared by the 8.4–8.x schemas (not assumed for 9.0).
    pub fn skip_transpile(&self) -> bool {
        self.at_least(8, 4) && !self.breaking()
    }

    /// 8.6+: body schemas use the shared AJV instance with `coerceTypes: true`.
    pub fn coerce_bodies(&self) -> bool {
        self.at_least(8, 6)
    }

    pub fn clear_and_replay(&self) -> bool {
        self.at_least(8, 7)
    }

    /// 7.0+: `integrations.list` has a schema and the `name`/`type` filters.
    pub fn list_filters(&self) -> bool {
        self.at_least(7, 0)
    }

    /// Incoming update honours `username` from about 7.2 (PR #34085).
    pub fn incoming_update_username(&self) -> bool {
        self.at_least(7, 2)
    }

    /// …and also moves `userId` from about 7.6 (PR #35795).
    pub fn incoming_update_user_id(&self) -> bool {
        self.at_least(7, 6)
    }

    /// 9.0 removed Babel: scripts are only syntax-checked.
    pub fn transpiles_scripts(&self) -> bool {
        !self.breaking()
    }

    pub fn cors_era(&self) -> CorsEra {
        if self.restivus() {
            CorsEra::Restivus
        } else if !self.at_least(7, 6) {
            CorsEra::EarlyExpress
        } else if !self.at_least(7, 7) {
            CorsEra::Regression
        } else {
            CorsEra::Fixed
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(Version::parse("8.8.1"), Some(Version::new(8, 8, 1)));
        assert_eq!(Version::parse("9.0.0-rc.3"), Some(Version::new(9, 0, 0)));
        assert_eq!(Version::parse("6.3"), Some(Version::new(6, 3, 0)));
        assert_eq!(Version::parse("x"), None);
        assert!(Version::new(6, 3, 7).schema_63());
        assert_eq!(Version::new(7, 6, 1).cors_era(), CorsEra::Regression);
    }

    #[test]
    fn cors_setting() {
        assert_eq!(CorsSetting::parse("off"), Ok(CorsSetting::Off));
        assert_eq!(
            CorsSetting::parse(" HTTP://A.example , http://b"),
            Ok(CorsSetting::List(vec![
                "http://a.example".into(),
                "http://b".into()
            ]))
        );
    }
}
