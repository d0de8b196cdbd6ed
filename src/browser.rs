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

/// Loads the page again from the server (fresh code after an update).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
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

/// A fresh random token; empty (and so refused by validation) without a random source.
pub fn new_token() -> String {
    let mut bytes = [0u8; crate::core::token::TOKEN_BYTES];
    if fill_random(&mut bytes) {
        crate::core::token::encode(&bytes)
    } else {
        String::new()
    }
}

/// The browser's WHATWG `URL` parser, for the core's validation (no parser in the wasm).
pub struct BrowserUrls;

impl crate::core::urls::UrlParser for BrowserUrls {
    fn parse(&self, text: &str) -> Option<crate::core::urls::ParsedUrl> {
        let url = web_sys::Url::new(text).ok()?;
        Some(crate::core::urls::ParsedUrl {
            scheme: url.protocol(),
            host: url.hostname(),
        })
    }
}

/// A server date (ISO text) in the person's language, e.g. "22 Nov 2025, 10:59"; the text as
/// it came when the browser cannot read it.
pub fn local_date(iso: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let language = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".to_owned());
    date.to_locale_string(&language, &options).into()
}

/// The current time as ISO text.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Inserts text at the caret of the focused field as typing would, so the browser's undo
/// keeps working; false where the browser refuses (then the caller edits the value itself).
pub fn insert_text(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false)
}

/// Copies text to the clipboard; false when the browser has no clipboard here (an insecure
/// page) or refuses.
pub async fn copy_text(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    // `navigator.clipboard` is undefined outside secure contexts; calling it would throw.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let Some(clipboard) = clipboard.and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok()) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}
