//! Reusable pieces of the interface. Components render state and dispatch; they hold no
//! rules of their own (those live in `crate::core`).

mod bound;
mod card;
mod debounce;
mod dialog;
mod drafts;
mod erased;
mod form;
mod guard;
mod lookup_input;
mod meta;
mod script_editor;
mod script_lab;
mod secret;
mod status;

pub(crate) use bound::{BoundText, BoxLook};
pub(crate) use card::Card;
pub(crate) use debounce::{Debounce, Ticket};
pub(crate) use dialog::{ConfirmDialog, Modal};
pub(crate) use drafts::DraftKeeper;
pub(crate) use erased::{effect, local_action, local_resource, ActionOf, ResourceOf};
pub use form::FormState;
pub(crate) use form::{select_control, Control, ErrorSummary, FormField, RequiredLegend};
pub(crate) use guard::UnsavedGuard;
pub(crate) use lookup_input::{Lookup, LookupInput};
pub(crate) use meta::ChangeMeta;
pub(crate) use script_editor::{CompileResult, ScriptEditor};
pub(crate) use secret::{CopyButton, SecretValue};
pub use status::StatusRegion;
pub(crate) use status::{use_announcer, Announcer};
