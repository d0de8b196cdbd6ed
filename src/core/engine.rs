//! The script sandboxes (`scriptEngine`), read tolerantly: an engine a newer server
//! stores is kept as it is so an unchanged save sends it back.

const ISOLATED_VM: &str = "isolated-vm";
const VM2: &str = "vm2";

/// A script sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ScriptEngine {
    /// `isolated-vm`: the secure sandbox, the default since 6.4.
    IsolatedVm,
    /// `vm2`: the compatible sandbox (6.4–6.x only).
    Vm2,
    /// Any other name, kept as it is.
    Other(String),
}

impl ScriptEngine {
    /// The sandbox of new integrations and of servers that take no choice.
    pub const DEFAULT: ScriptEngine = ScriptEngine::IsolatedVm;

    /// Every sandbox hookpanel knows, as `(value, label)` for a select, secure first.
    pub const CHOICES: [(&'static str, &'static str); 2] = [
        (ISOLATED_VM, "Secure sandbox (isolated-vm)"),
        (VM2, "Compatible sandbox (vm2)"),
    ];

    /// Reads a stored name; unknown names become [`ScriptEngine::Other`].
    pub fn parse(name: &str) -> ScriptEngine {
        match name {
            ISOLATED_VM => ScriptEngine::IsolatedVm,
            VM2 => ScriptEngine::Vm2,
            other => ScriptEngine::Other(other.to_owned()),
        }
    }

    /// The server's name.
    pub fn as_str(&self) -> &str {
        match self {
            ScriptEngine::IsolatedVm => ISOLATED_VM,
            ScriptEngine::Vm2 => VM2,
            ScriptEngine::Other(name) => name,
        }
    }
}

/// Compares with a server name, so tests and pages can write `engine == "vm2"`.
impl PartialEq<&str> for ScriptEngine {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
