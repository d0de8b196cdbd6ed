//! One module per screen.

mod integrations;
mod not_found;
mod sign_in;

pub use integrations::IntegrationsPage;
pub use not_found::NotFound;
pub use sign_in::SignInPage;
