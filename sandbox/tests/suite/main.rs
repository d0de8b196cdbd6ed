//! The sandbox's own suite: every test starts a sandbox and talks to it over real HTTP.

mod common;
mod milestone;
