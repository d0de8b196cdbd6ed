//! One module per screen.

mod about;
mod editor;
mod history;
mod incoming;
mod integrations;
mod not_found;
mod outgoing;
mod sign_in;

pub use about::AboutPage;
pub(crate) use editor::provide_handover;
pub use history::OutgoingHistoryPage;
pub use incoming::{IncomingEditPage, IncomingNewPage};
pub use integrations::IntegrationsPage;
pub use not_found::NotFound;
pub use outgoing::{OutgoingEditPage, OutgoingNewPage};
pub use sign_in::{SignInAgainDialog, SignInPage};
