//! The pure core: domain types, validation, request building and error decoding.
//! Nothing here touches the DOM or the network, so it is tested natively.
//!
//! Typical page flow: [`version::Features`] and [`permissions::Permissions`] are read once
//! after login; a [`form::Form`] is built from a stored [`model::Integration`] (or new);
//! [`validate::form`] turns it into a [`validate::Valid`] value plus warnings; only that value
//! can become a request ([`request::save`]); answers go through [`errors::decode`].

#![deny(missing_docs)]

pub mod about;
pub mod address;
pub mod auth;
pub mod changes;
pub mod channels;
pub mod draft;
pub mod encode;
pub mod engine;
pub mod errors;
pub mod export;
pub mod field;
pub mod form;
pub mod form_values;
pub mod history_filter;
pub mod history_ops;
pub(crate) mod json;
pub mod listing;
pub mod lookup;
pub mod markup;
pub mod model;
pub mod permissions;
pub mod reach;
pub mod request;
pub mod retry;
pub mod script_lab;
pub mod text_edit;
pub mod token;
pub mod triggers;
pub mod urls;
pub mod validate;
pub mod version;
pub mod webhook;

pub use field::Field;
