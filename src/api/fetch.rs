//! The browser's `fetch`, reached through web-sys: the client needs a method, headers, a text
//! body, an abort signal and the answer's status and text, which is all this does.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit, RequestMode, Response};

/// One request to send.
pub(super) struct Outgoing<'a> {
    pub method: &'static str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<&'a str>,
    /// `no-cors`: an opaque answer, only to learn that something answered.
    pub opaque: bool,
}

/// Sends `request` with `signal` and returns the status and body text of the answer; `None`
/// when there is none: a network failure, a CORS refusal, the signal aborting it, or an
/// address or header value the browser will not send.
pub(super) async fn send(request: &Outgoing<'_>, signal: &AbortSignal) -> Option<(u16, String)> {
    let promise = start(request, signal).ok()?;
    let response: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let status = response.status();
    if request.opaque {
        return Some((status, String::new()));
    }
    let text = match response.text() {
        Ok(body) => JsFuture::from(body).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Some((status, text.unwrap_or_default()))
}

/// Hands the request to the browser; fails for what the browser will not send.
fn start(request: &Outgoing<'_>, signal: &AbortSignal) -> Result<js_sys::Promise, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in request.headers {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_headers(&headers);
    init.set_signal(Some(signal));
    if let Some(body) = request.body {
        init.set_body(&JsValue::from_str(body));
    }
    if request.opaque {
        init.set_mode(RequestMode::NoCors);
    }
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    Ok(window.fetch_with_str_and_init(request.url, &init))
}
