//! The few browser facilities the app reaches directly through web-sys: storage, the page's
//! origin and title, focus, and the cryptographic random generator.

use web_sys::Storage;

/// Where a value is kept: for this tab only, or across browser restarts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    Session,
    Local,
}

fn storage(kind: Persistence) -> Option<Storage> {
    let window = web_sys::window()?;
    match kind {
        Persistence::Session => window.session_storage().ok().flatten(),
        Persistence::Local => window.local_storage().ok().flatten(),
    }
}

/// Reads a stored string; `None` when absent or storage is unavailable (private mode, policy).
pub fn load(kind: Persistence, key: &str) -> Option<String> {
    storage(kind)?.get_item(key).ok().flatten()
}

/// Stores a string; returns false when the browser refuses (quota, disabled storage).
pub fn save(kind: Persistence, key: &str, value: &str) -> bool {
    storage(kind).is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes a stored key from one storage area.
pub fn forget(kind: Persistence, key: &str) {
    if let Some(s) = storage(kind) {
        let _ = s.remove_item(key);
    }
}

/// The page's own origin, e.g. `http://127.0.0.1:3100`.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Moves keyboard focus to the element with this id, if it exists and can take focus.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Fills `buf` from `crypto.getRandomValues`; false when no cryptographic generator exists.
pub fn fill_random(buf: &mut [u8]) -> bool {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(buf).is_ok())
}

/// An ISO date shown in the person's locale and time zone; the text as is if unreadable.
pub fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}
