//! The list's tools that need every rule an edit is checked against: export and import (JSON
//! files, each entry checked) and enabling or disabling (a whole update, validated). In the
//! split release build they are a wasm file of their own, fetched when first used, not with
//! the list.

use crate::browser;
use crate::core::export::{self, Import};
use crate::core::listing::{self, check_import, ImportRow};
use crate::core::model::Integration;
use crate::core::request::ApiRequest;
use crate::server::ServerState;
use crate::split::split_fn;

/// Said when export or import finds this code missing (offline, or hookpanel was updated on
/// the server since this page opened).
pub(super) const TRANSFER_NOT_LOADED: &str = "The export and import code did not load: the connection may have dropped, or hookpanel was updated on the server since this page opened. Try again, or reload the page.";

/// Said when enabling or disabling finds it missing; no row was changed then.
pub(super) const SWITCH_NOT_LOADED: &str = "The code that enables and disables integrations did not load, so nothing was changed: the connection may have dropped, or hookpanel was updated on the server since this page opened. Try again, or reload the page.";

split_fn! {
    /// Reads an import file's text.
    hookpanel_list_tools, preload_tools_code: pub(super) fn read(text: String) -> Import {
        export::import(&text, &mut browser::new_token)
    }
}

split_fn! {
    /// Checks each entry against this server and the names already in use.
    hookpanel_list_tools: pub(super) fn check(import: Import, server: ServerState, names: Vec<String>) -> Vec<ImportRow> {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        check_import(&import, &server.context(), &names)
    }
}

split_fn! {
    /// The export file's text.
    hookpanel_list_tools: pub(super) fn text(docs: Vec<Integration>, include_tokens: bool) -> String {
        export::export_text(&docs, include_tokens)
    }
}

split_fn! {
    /// The update that enables or disables `doc`, validated like an edit; `Err` says why not.
    hookpanel_list_tools: pub(super) fn switch_request(doc: Integration, on: bool, server: ServerState) -> Result<ApiRequest, String> {
        listing::set_enabled(&doc, on, &server.context())
    }
}

/// Starts fetching this code (split build) once a tool is about to be used: a file being
/// chosen, an export or a bulk switch being confirmed. A failed fetch is tried again by the
/// call that needs it.
pub(super) fn preload() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        load().await;
    });
}

/// Fetches this code (split build) before a run that needs it: `false` when it did not arrive.
pub(super) async fn load() -> bool {
    #[cfg(feature = "split")]
    let loaded = preload_tools_code().await.is_ok();
    #[cfg(not(feature = "split"))]
    let loaded = true;
    loaded
}
