//! One module per screen.

mod about;
mod editor;
mod history;
mod incoming;
mod integrations;
mod not_found;
mod outgoing;
mod sign_in;

pub(crate) use about::AboutPage;
pub(crate) use editor::provide_handover;
pub(crate) use history::OutgoingHistoryPage;
pub(crate) use incoming::{IncomingEditPage, IncomingNewPage};
pub(crate) use integrations::IntegrationsPage;
pub(crate) use not_found::NotFound;
pub(crate) use outgoing::{OutgoingEditPage, OutgoingNewPage};
pub use sign_in::SignInAgainDialog;
pub(crate) use sign_in::SignInPage;
