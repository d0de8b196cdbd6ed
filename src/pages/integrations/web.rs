//! Browser facilities only the list needs: file download and upload, and rows redrawn as
//! text (the shared ones live in `crate::browser`).

use crate::core::markup::Html;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a JSON file download named `name`; false when the browser refuses.
pub fn download_json(name: &str, text: &str) -> bool {
    let start = || -> Option<()> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let doc = web_sys::window()?.document()?;
        let link: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
        link.set_href(&url);
        link.set_download(name);
        doc.body()?.append_child(&link).ok()?;
        link.click();
        link.remove();
        // The download has started reading the blob; free it a little later.
        leptos::prelude::set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            },
            std::time::Duration::from_secs(5),
        );
        Some(())
    };
    start().is_some()
}

/// The name and text of the file chosen in a file input.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Option<(String, String)> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.ok()?.as_string()?;
    Some((file.name(), text))
}

/// Today as `YYYY-MM-DD` (UTC), for file names.
pub fn today() -> String {
    crate::browser::now_iso()
        .get(..10)
        .unwrap_or("export")
        .to_owned()
}

/// Replaces an element's content with `html`, keeping the focus on the control with the
/// same `data-key` (rows are redrawn as text; keyboard users must not lose their place).
pub fn replace_keeping_focus(el: &web_sys::Element, html: &Html) {
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .filter(|a| el.contains(Some(a)))
        .and_then(|a| a.get_attribute("data-key"));
    el.set_inner_html(html.as_str());
    if let Some(key) = focused {
        if let Some(target) = el
            .query_selector(&format!("[data-key=\"{key}\"]"))
            .ok()
            .flatten()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = target.focus();
        }
    }
}

/// For an event inside drawn rows: the `data-key` of the control and the `data-id` of its
/// row, and the control itself.
pub fn event_key(ev: &web_sys::Event) -> Option<(String, String, web_sys::Element)> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let control = target.closest("[data-key]").ok()??;
    let row = control.closest("[data-id]").ok()??;
    Some((
        control.get_attribute("data-key")?,
        row.get_attribute("data-id")?,
        control,
    ))
}

/// Whether a control is a ticked checkbox.
pub fn is_checked(el: &web_sys::Element) -> bool {
    el.dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(web_sys::HtmlInputElement::checked)
}
