//! The sandbox's own suite: every test starts a sandbox and talks to it over real HTTP.

mod catalogue;
mod common;
mod cors;
mod milestone;
mod shapes;
mod versions;
