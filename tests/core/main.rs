//! The native tests of the pure core and the routes, in one binary (one link instead of
//! one per file): each module is one area, `support` their shared fixtures.
#![cfg(not(target_arch = "wasm32"))]

mod about;
mod address;
mod auth;
mod changes;
mod drafts;
mod errors;
mod export;
mod fields;
mod helpers;
mod history_filter;
mod history_ops;
mod listing;
mod lookup;
mod markup;
mod model;
mod permissions;
mod props;
mod reach;
mod request;
mod routes;
mod script_lab;
mod support;
mod validate;
mod version;
