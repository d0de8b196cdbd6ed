//! Reusable pieces of the interface. Components render state and dispatch; they hold no
//! rules of their own (those live in `crate::core`).

mod dialog;
mod drafts;
mod form;
pub mod guard;
mod lookup_input;
mod meta;
mod script_editor;
mod script_lab;
mod secret;
mod status;

pub use dialog::ConfirmDialog;
pub use drafts::DraftKeeper;
pub use form::{select_control, Control, ErrorSummary, FormField, FormState, RequiredLegend};
pub use guard::UnsavedGuard;
pub use lookup_input::{Lookup, LookupInput};
pub use meta::ChangeMeta;
pub use script_editor::{CompileResult, ScriptEditor};
pub use script_lab::ScriptLab;
pub use secret::{CopyButton, SecretValue};
pub use status::{use_announcer, Announcer, StatusRegion};
