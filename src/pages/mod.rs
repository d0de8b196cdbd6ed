//! One module per screen.

mod about;
mod editor;
mod history;
mod incoming;
mod integrations;
mod not_found;
mod outgoing;
pub(crate) mod screens;
mod sign_in;

pub(crate) use editor::provide_handover;
pub(crate) use not_found::NotFound;
pub use sign_in::SignInAgainDialog;
pub(crate) use sign_in::SignInPage;
