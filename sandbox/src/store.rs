//! The state behind one mutex, persisted to a JSON file that is replaced atomically.

use crate::model::State;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

pub struct Store {
    state: Mutex<State>,
    path: PathBuf,
    writes: AtomicU64,
}

pub enum Loaded {
    FromDisk,
    /// No usable file; the caller seeds. Carries a reason for the log.
    Missing(String),
}

impl Store {
    /// Loads `path` unless `fresh`; a missing or unreadable file yields an empty state.
    pub fn open(path: &Path, fresh: bool) -> (Store, Loaded) {
        let (state, loaded) = if fresh {
            (State::default(), Loaded::Missing("--fresh".into()))
        } else {
            match std::fs::read(path) {
                Ok(bytes) => match serde_json::from_slice::<State>(&bytes) {
                    Ok(s) => (s, Loaded::FromDisk),
                    Err(e) => (
                        State::default(),
                        Loaded::Missing(format!("{} is unreadable ({e})", path.display())),
                    ),
                },
                Err(_) => (
                    State::default(),
                    Loaded::Missing(format!("no saved state at {}", path.display())),
                ),
            }
        };
        (
            Store {
                state: Mutex::new(state),
                path: path.to_path_buf(),
                writes: AtomicU64::new(0),
            },
            loaded,
        )
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock must not take the whole server down.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// Runs `f` under the lock and persists before releasing it, so writes never interleave.
    pub fn write<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut guard = self.lock();
        let r = f(&mut guard);
        self.persist(&guard);
        r
    }

    /// Writes to a unique temporary file, then renames it over the state file.
    fn persist(&self, state: &State) {
        let bytes = match serde_json::to_vec(state) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("sandbox: cannot serialise state: {e}");
                return;
            }
        };
        if let Some(dir) = self.path.parent() {
            if !dir.as_os_str().is_empty() {
                let _ = std::fs::create_dir_all(dir);
            }
        }
        let n = self.writes.fetch_add(1, Ordering::Relaxed);
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(format!(".tmp-{}-{n}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let result = std::fs::write(&tmp, &bytes).and_then(|_| std::fs::rename(&tmp, &self.path));
        if let Err(e) = result {
            eprintln!("sandbox: cannot save state to {}: {e}", self.path.display());
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
