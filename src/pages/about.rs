//! "About this server": the server's version and what it supports, the signed-in person's
//! permissions in plain words, and how this page reaches the server (origin, CORS).

use crate::browser;
use crate::core::about::{feature_rows, permission_rows, permission_summary, version_label};
use crate::core::reach::same_origin;
use crate::server::{use_server, ServerState};
use crate::session::use_session;
use leptos::prelude::*;

/// The "About this server" panel.
#[component]
pub fn AboutPage() -> impl IntoView {
    browser::set_title("About this server · hookpanel");
    let server = use_server();
    view! {
        <h1>"About this server"</h1>
        {move || match (server.state(), server.error()) {
            (Some(state), _) => facts(state).into_any(),
            (None, Some(e)) => view! {
                <div class="alert alert-error" role="alert">
                    <p>{e.display()}</p>
                    <button type="button" class="btn" on:click=move |_| server.reload()>"Try again"</button>
                </div>
            }
            .into_any(),
            (None, None) => view! { <p class="muted" aria-busy="true">"Reading the server…"</p> }.into_any(),
        }}
    }
}

/// Rows of a two-column table: a heading cell (`class` "mono" for ids) and its value.
fn rows(rows: Vec<(&'static str, String)>, class: &'static str) -> impl IntoView {
    rows.into_iter()
        .map(|(label, value)| {
            view! {
                <tr>
                    <th scope="row" class=class>{label}</th>
                    <td>{value}</td>
                </tr>
            }
        })
        .collect_view()
}

/// Yes/No for a table of (label, bool).
fn yes_no(table: &[(&'static str, bool)]) -> Vec<(&'static str, String)> {
    table
        .iter()
        .map(|&(label, yes)| (label, if yes { "Yes" } else { "No" }.to_owned()))
        .collect()
}

fn facts(state: ServerState) -> impl IntoView {
    let session = use_session().get_untracked();
    let address = session.map(|s| s.server).unwrap_or_default();
    let page = browser::page_origin();
    let connection = if same_origin(&page, &address) {
        "This page and the server share one origin, so no CORS settings are involved."
    } else {
        "This page is on another origin than the server, so the server allows it through CORS: API_Enable_CORS is on and API_CORS_Origin lists this page's origin (or is *). A same-origin reverse proxy would make these settings unnecessary."
    };
    let version = version_label(&state.features);
    view! {
        <section class="card stack" aria-labelledby="about-server">
            <h2 id="about-server">"Server"</h2>
            <table class="data">
                <tbody>{rows(vec![("Address", address), ("Version", version), ("This page's origin", page)], "")}</tbody>
            </table>
            <p>{connection}</p>
            <table class="data">
                <caption>"What this version supports"</caption>
                <tbody>{rows(yes_no(&feature_rows(&state.features)), "")}</tbody>
            </table>
        </section>
        <section class="card stack" aria-labelledby="about-you">
            <h2 id="about-you">"Your permissions"</h2>
            <ul id="permission-summary">
                {permission_summary(&state.permissions).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
            <table class="data">
                <caption>"Your integration permissions"</caption>
                <tbody>{rows(yes_no(&permission_rows(&state.permissions)), "mono")}</tbody>
            </table>
        </section>
    }
}
