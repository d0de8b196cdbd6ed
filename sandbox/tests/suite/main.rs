//! The sandbox's own suite: every test starts a sandbox and talks to it over real HTTP.

mod catalogue;
mod common;
mod cors;
mod history_seed;
mod hooks;
mod lookups;
mod milestone;
mod outgoing;
mod robustness;
mod rules;
mod safe_changes;
mod schema_diff;
mod scripts;
mod shapes;
mod static_assets;
mod twofactor;
mod versions;
