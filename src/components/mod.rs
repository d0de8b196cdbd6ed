//! Reusable pieces of the interface. Components render state and dispatch; they hold no
//! rules of their own (those live in `crate::core`).

mod dialog;
mod status;

pub use dialog::ConfirmDialog;
pub use status::{use_announcer, Announcer, StatusRegion};
