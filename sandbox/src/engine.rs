//! Runs integration scripts in a real V8: one long-lived `node` child (started on first use)
//! running `js/runner.mjs`, spoken to in JSON lines over stdin/stdout. See SCRIPTS.md.
//!
//! The child gives every integration its own worker thread (heap-limited isolate) and a fresh
//! `node:vm` context holding only the globals the claimed server version gives scripts. This
//! side adds a last-resort deadline: a child that stops answering is killed and restarted.

use crate::config::{Frozen, RuntimeConfig, Version};
use crate::model::Doc;
use crate::util::sha256_hex;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::oneshot;

const RUNNER: &str = include_str!("../js/runner.mjs");
/// The wrapper run (top-level code + constructor) limit of isolated-vm and vm2 (scripts spec §3.1, §3.2).
pub const LOAD_TIMEOUT_MS: u64 = 3000;
/// isolated-vm's `memoryLimit` (MB).
const MEMORY_MB: u64 = 8;

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Value>>>>;

struct Proc {
    child: Child,
    stdin: ChildStdin,
    alive: Arc<AtomicBool>,
    pending: Pending,
}

/// The script engine of one sandbox. Dropping it kills the child (`kill_on_drop`); a sandbox
/// process that exits closes the child's stdin, which ends the child too.
#[derive(Default)]
pub struct Engine {
    proc: tokio::sync::Mutex<Option<Proc>>,
    next: AtomicU64,
    /// Overrides `HOOKPANEL_NODE` / `node` (embedding, tests).
    node: Mutex<Option<String>>,
}

/// Which sandbox the server would run a script in (scripts spec §1, §3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flavor {
    /// isolated-vm (6.4+ opt-in, every integration from 7.0).
    Ivm,
    /// vm2 ("Compatible Sandbox", 5.x–6.x).
    Vm2,
}

impl Flavor {
    pub fn for_integration(v: &Version, integration: &Doc) -> Flavor {
        if v.at_least(7, 0) {
            return Flavor::Ivm;
        }
        // 6.4–6.x: per integration; without the field the outgoing runner picks vm2.
        if v.at_least(6, 4)
            && integration.get("scriptEngine").and_then(Value::as_str) == Some("isolated-vm")
        {
            return Flavor::Ivm;
        }
        Flavor::Vm2
    }

    fn as_str(self) -> &'static str {
        match self {
            Flavor::Ivm => "ivm",
            Flavor::Vm2 => "vm2",
        }
    }
}

/// `integrationHasValidScript`: the engine is not disabled (`DISABLE_INTEGRATION_SCRIPTS`),
/// the script is enabled and `scriptCompiled` is non-blank (a stored `scriptError` means no
/// script).
pub fn has_valid_script(cfg: &RuntimeConfig, integration: &Doc) -> bool {
    let flavor = Flavor::for_integration(&cfg.server_version, integration);
    let disabled = match cfg.scripts_disabled {
        Some(Frozen::All) => true,
        Some(Frozen::IsolatedVm) => flavor == Flavor::Ivm,
        Some(Frozen::Vm2) => flavor == Flavor::Vm2,
        None => false,
    };
    !disabled
        && integration.get("scriptEnabled") == Some(&json!(true))
        && integration
            .get("scriptCompiled")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
}

/// Whether the server would run Babel's output (sloppy-mode functions) rather than the
/// source as written: every version before 9.0, unless 8.4+ `skipTranspile` is set.
pub fn babel_era(v: &Version, integration: &Doc) -> bool {
    let skip = integration.get("skipTranspile") == Some(&json!(true));
    v.transpiles_scripts() && !(v.skip_transpile() && skip)
}

/// One method call.
pub struct Call<'a> {
    pub integration: &'a Doc,
    pub version: &'a Version,
    /// `"incoming"` or `"outgoing"` (the two engines of the server each keep their own cache).
    pub kind: &'a str,
    pub method: &'a str,
    pub params: Value,
    pub timeout_ms: u64,
}

#[derive(Debug)]
pub enum Outcome {
    /// The method ran; `None` when it returned `undefined`.
    Returned(Option<Value>),
    /// The script has no such method.
    Missing,
    /// The script failed to load: syntax error at run time, no `Script`, wrapper timeout.
    LoadFailed(Value),
    /// The method threw, rejected, timed out, ran out of memory or returned something that
    /// cannot be copied out. `reason` is `error`, `timeout`, `memory` or `clone`.
    Failed { reason: String, error: Value },
    /// No engine: node is missing or died; the text says why.
    Unavailable(String),
}

pub struct RunResult {
    pub outcome: Outcome,
    /// `console.*` output: `(level, text)`.
    pub logs: Vec<(String, String)>,
}

impl Engine {
    pub async fn run(&self, call: Call<'_>) -> RunResult {
        let integration = call.integration;
        let flavor = Flavor::for_integration(call.version, integration);
        let code = integration
            .get("scriptCompiled")
            .and_then(Value::as_str)
            .unwrap_or("");
        let iid = integration.get("_id").and_then(Value::as_str).unwrap_or("");
        let updated = integration
            .get("_updatedAt")
            .map(Value::to_string)
            .unwrap_or_default();
        let sloppy = babel_era(call.version, integration);
        let key = format!(
            "{}|{iid}|{updated}|{}{}|{}|{}",
            call.kind,
            flavor.as_str(),
            if sloppy { "+babel" } else { "" },
            call.version,
            &sha256_hex(code)[..16]
        );
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let request = json!({
            "id": id,
            "op": "run",
            "iid": format!("{}|{iid}", call.kind),
            "key": key,
            "engine": flavor.as_str(),
            "kind": call.kind,
            "code": code,
            "sloppy": sloppy,
            "method": call.method,
            "params": call.params,
            "timeoutMs": call.timeout_ms,
            "loadTimeoutMs": LOAD_TIMEOUT_MS,
            "memoryMb": MEMORY_MB,
        });
        let rx = match self.submit(id, request.to_string()).await {
            Ok(rx) => rx,
            Err(why) => {
                return RunResult {
                    outcome: Outcome::Unavailable(why),
                    logs: vec![],
                }
            }
        };
        // The child enforces the limits; this only catches a child that stopped answering.
        let deadline = Duration::from_millis(call.timeout_ms + LOAD_TIMEOUT_MS + 10_000);
        match tokio::time::timeout(deadline, rx).await {
            Ok(Ok(answer)) => parse_answer(answer),
            Ok(Err(_)) => RunResult {
                outcome: Outcome::Unavailable("the script runner (node) stopped".into()),
                logs: vec![],
            },
            Err(_) => {
                self.restart().await;
                RunResult {
                    outcome: Outcome::Failed {
                        reason: "timeout".into(),
                        error: json!({
                            "name": "Error",
                            "message": "the script runner did not answer in time and was restarted",
                            "stack": "",
                        }),
                    },
                    logs: vec![],
                }
            }
        }
    }

    /// Writes one request line, starting the child first if there is none (or it died).
    async fn submit(&self, id: u64, line: String) -> Result<oneshot::Receiver<Value>, String> {
        let mut guard = self.proc.lock().await;
        for attempt in 0..2 {
            if guard
                .as_ref()
                .is_none_or(|p| !p.alive.load(Ordering::SeqCst))
            {
                if let Some(mut old) = guard.take() {
                    let _ = old.child.start_kill();
                }
                let node = lock(&self.node).clone().unwrap_or_else(node_binary);
                *guard = Some(spawn(&node)?);
            }
            let Some(p) = guard.as_mut() else {
                return Err("the script runner could not be started".into());
            };
            let (tx, rx) = oneshot::channel();
            lock(&p.pending).insert(id, tx);
            let written = async {
                p.stdin.write_all(line.as_bytes()).await?;
                p.stdin.write_all(b"\n").await?;
                p.stdin.flush().await
            }
            .await;
            match written {
                Ok(()) => return Ok(rx),
                Err(e) => {
                    lock(&p.pending).remove(&id);
                    p.alive.store(false, Ordering::SeqCst);
                    if attempt == 1 {
                        return Err(format!("the script runner (node) is not answering: {e}"));
                    }
                }
            }
        }
        Err("the script runner could not be started".into())
    }

    /// Kills the child; the next call starts a new one.
    async fn restart(&self) {
        let mut guard = self.proc.lock().await;
        if let Some(mut p) = guard.take() {
            p.alive.store(false, Ordering::SeqCst);
            let _ = p.child.start_kill();
            lock(&p.pending).clear();
        }
    }

    /// Stops the child and waits for it to exit (no zombie); a later call starts a new one.
    pub async fn shutdown(&self) {
        let mut guard = self.proc.lock().await;
        if let Some(mut p) = guard.take() {
            p.alive.store(false, Ordering::SeqCst);
            lock(&p.pending).clear();
            let _ = p.child.kill().await;
        }
    }

    /// Runs scripts with this node binary from the next start of the child on.
    pub fn use_node(&self, path: impl Into<String>) {
        *lock(&self.node) = Some(path.into());
    }

    /// The child's process id, if one is running.
    pub async fn pid(&self) -> Option<u32> {
        self.proc.lock().await.as_ref().and_then(|p| p.child.id())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The runner file: embedded in the binary, written once per content into the temp directory.
fn runner_path() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!(
        "hookpanel-sandbox-runner-{}",
        &sha256_hex(RUNNER)[..16]
    ));
    let path = dir.join("runner.mjs");
    if std::fs::read_to_string(&path).is_ok_and(|t| t == RUNNER) {
        return Ok(path);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Unique temporary name, then rename: concurrent sandboxes never see half a file.
    let tmp = dir.join(format!(
        "runner.{}.{}.tmp",
        std::process::id(),
        crate::util::random_id(8)
    ));
    std::fs::write(&tmp, RUNNER).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// `HOOKPANEL_NODE` or `node` from the PATH.
fn node_binary() -> String {
    std::env::var("HOOKPANEL_NODE")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "node".into())
}

fn spawn(node: &str) -> Result<Proc, String> {
    let path = runner_path()?;
    let mut child = Command::new(node)
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "cannot run integration scripts: Node.js (`{node}`) was not found; install Node.js 18 or newer or set HOOKPANEL_NODE to its path"
                )
            } else {
                format!("cannot run integration scripts: starting `{node}` failed: {e}")
            }
        })?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.start_kill();
        return Err("cannot run integration scripts: no pipes to node".into());
    };
    let alive = Arc::new(AtomicBool::new(true));
    let pending: Pending = Arc::default();
    let (alive2, pending2) = (alive.clone(), pending.clone());
    tokio::spawn(async move {
        let mut lines = BufReader::new(stdout).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(v) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let Some(id) = v.get("id").and_then(Value::as_u64) else {
                continue;
            };
            if let Some(tx) = lock(&pending2).remove(&id) {
                let _ = tx.send(v);
            }
        }
        // End of output: the child is gone. Waiting callers get an error (senders dropped).
        alive2.store(false, Ordering::SeqCst);
        lock(&pending2).clear();
    });
    Ok(Proc {
        child,
        stdin,
        alive,
        pending,
    })
}

fn parse_answer(v: Value) -> RunResult {
    let logs = v
        .get("logs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|l| {
                    (
                        l.get("level")
                            .and_then(Value::as_str)
                            .unwrap_or("log")
                            .to_string(),
                        l.get("text")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let error = v.get("error").cloned().unwrap_or(Value::Null);
    let outcome = if v.get("ok") == Some(&json!(true)) {
        if v.get("found") == Some(&json!(false)) {
            Outcome::Missing
        } else if v.get("undefined") == Some(&json!(true)) {
            Outcome::Returned(None)
        } else {
            Outcome::Returned(Some(v.get("result").cloned().unwrap_or(Value::Null)))
        }
    } else if v.get("stage").and_then(Value::as_str) == Some("load") {
        Outcome::LoadFailed(error)
    } else {
        Outcome::Failed {
            reason: v
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("error")
                .to_string(),
            error,
        }
    };
    RunResult { outcome, logs }
}
