//! Server versions from `/api/info` and every version-dependent behaviour in one place
//! ([`Features`]), so pages never compare versions themselves (spec §8).

use std::fmt;

use serde_json::Value;

use super::engine::ScriptEngine;

/// A Rocket.Chat version; pre-release tags (`-rc.3`) are dropped, so 9.0.0-rc.3 acts as 9.0.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion {
    /// Major number.
    pub major: u32,
    /// Minor number.
    pub minor: u32,
    /// Patch number (0 when the server sent only major.minor).
    pub patch: u32,
}

impl ServerVersion {
    /// Builds a version.
    pub const fn new(major: u32, minor: u32, patch: u32) -> ServerVersion {
        ServerVersion {
            major,
            minor,
            patch,
        }
    }

    /// Parses `"8.8"`, `"8.8.1"`, `"v9.0.0-rc.3"`, `"7.10.0+build"`; anything else is `None`.
    pub fn parse(text: &str) -> Option<ServerVersion> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let core = text.split(['-', '+', ' ']).next().unwrap_or("");
        let mut parts = core.split('.');
        let number = |p: Option<&str>| -> Option<u32> {
            let p = p?;
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        let patch = match parts.next() {
            None => 0,
            Some(p) => number(Some(p))?,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(ServerVersion::new(major, minor, patch))
    }

    /// Reads an `/api/info` answer, preferring the full `info.version`.
    pub fn from_info(info: &Value) -> Option<ServerVersion> {
        let read = |v: Option<&Value>| v.and_then(Value::as_str).and_then(ServerVersion::parse);
        read(info.get("info").and_then(|i| i.get("version"))).or_else(|| read(info.get("version")))
    }

    /// Whether this version is at least `major.minor`.
    pub fn at_least(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What the connected server supports; built once from its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// The detected version, `None` when `/api/info` gave nothing usable.
    pub version: Option<ServerVersion>,
    /// `integrations.get` exists (2.4+).
    pub has_get: bool,
    /// `integrations.update` exists (3.4+); before, changing means delete and recreate.
    pub has_update: bool,
    /// `integrations.list` filters by `name` and `type` (7.0+); else filter locally.
    pub list_filters: bool,
    /// Create/update accept `scriptEngine` (6.4+; the 6.3 schemas reject it).
    pub script_engine: bool,
    /// The `vm2` sandbox may still be chosen (6.4–6.x).
    pub vm2_engine: bool,
    /// The 6.3 schemas: update requires `overrideDestinationChannelEnabled` for both kinds.
    pub override_required_on_update: bool,
    /// Create/update accept `skipTranspile` (8.4–8.x).
    pub skip_transpile: bool,
    /// `integrations.clearHistory` and `integrations.replayOutgoing` exist (8.7+); older
    /// servers only have them as DDP methods, which this app does not use.
    pub clear_and_replay: bool,
    /// Incoming update honours a changed post-as user (about 7.6+).
    pub post_as_change: bool,
    /// 9.0 error shapes: refusals are 403 `error-forbidden`, no legacy 401 fields.
    pub forbidden_as_403: bool,
    /// 9.0+: scripts run untranspiled in strict mode.
    pub strict_scripts: bool,
}

impl Features {
    /// Features for a version; `None` assumes a current server but omits optional
    /// version-gated keys, which every schema accepts missing.
    pub fn for_version(version: Option<ServerVersion>) -> Features {
        let Some(v) = version else {
            return Features {
                version: None,
                has_get: true,
                has_update: true,
                list_filters: true,
                script_engine: false,
                vm2_engine: false,
                override_required_on_update: false,
                skip_transpile: false,
                clear_and_replay: false,
                post_as_change: true,
                forbidden_as_403: false,
                strict_scripts: false,
            };
        };
        // Versions before 6.3 are not covered by the spec; they get the 6.3 rules.
        let legacy_schema = !v.at_least(6, 4);
        Features {
            version: Some(v),
            has_get: v.at_least(2, 4),
            has_update: v.at_least(3, 4),
            list_filters: v.at_least(7, 0),
            script_engine: !legacy_schema,
            vm2_engine: !legacy_schema && !v.at_least(7, 0),
            override_required_on_update: legacy_schema,
            skip_transpile: v.at_least(8, 4) && !v.at_least(9, 0),
            clear_and_replay: v.at_least(8, 7),
            post_as_change: v.at_least(7, 6),
            forbidden_as_403: v.at_least(9, 0),
            strict_scripts: v.at_least(9, 0),
        }
    }

    /// Features of the newest version the spec pins down (8.8).
    pub fn latest() -> Features {
        Features::for_version(Some(ServerVersion::new(8, 8, 0)))
    }

    /// Features read straight from an `/api/info` answer.
    pub fn from_info(info: &Value) -> Features {
        Features::for_version(ServerVersion::from_info(info))
    }

    /// Sandboxes the script-engine select offers.
    pub fn script_engines(&self) -> &'static [ScriptEngine] {
        const BOTH: &[ScriptEngine] = &[ScriptEngine::IsolatedVm, ScriptEngine::Vm2];
        const SECURE: &[ScriptEngine] = &[ScriptEngine::IsolatedVm];
        if self.vm2_engine {
            BOTH
        } else {
            SECURE
        }
    }

    /// The version for display, e.g. `"8.8.1"` or `"unknown version"`.
    pub fn version_text(&self) -> String {
        match self.version {
            Some(v) => v.to_string(),
            None => "unknown version".to_owned(),
        }
    }
}
