//! The export and import code (JSON files and every rule an entry is checked against): in the
//! split release build its own wasm file, which the list fetches when an export or an import
//! starts, not with the list.

use crate::browser;
use crate::core::export::{self, Import};
use crate::core::listing::{check_import, ImportRow};
use crate::core::model::Integration;
use crate::server::ServerState;
use crate::split::split_fn;

/// Said when this code did not arrive (offline, or hookpanel was updated on the server).
pub(super) const NOT_LOADED: &str = "The export and import code did not load: the connection may have dropped, or hookpanel was updated on the server since this page opened. Try again, or reload the page.";

split_fn! {
    /// Reads an import file's text.
    hookpanel_transfer, preload_transfer_code: pub(super) fn read(text: String) -> Import {
        export::import(&text, &mut browser::new_token)
    }
}

split_fn! {
    /// Checks each entry against this server and the names already in use.
    hookpanel_transfer: pub(super) fn check(import: Import, server: ServerState, names: Vec<String>) -> Vec<ImportRow> {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        check_import(&import, &server.context(), &names)
    }
}

split_fn! {
    /// The export file's text.
    hookpanel_transfer: pub(super) fn text(docs: Vec<Integration>, include_tokens: bool) -> String {
        export::export_text(&docs, include_tokens)
    }
}

/// Starts fetching the export and import code (split build), as a file is being chosen or an
/// export confirmed; a failed fetch is tried again by the call that needs it.
pub(super) fn preload() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_transfer_code().await;
    });
}
