//! The integrations list.

use crate::api::Client;
use crate::browser;
use crate::core::model::{parse_list, Integration};
use crate::core::request::{self, ListQuery, MAX_PAGE};
use crate::core::version::Features;
use crate::session::use_session;
use leptos::prelude::*;

/// Lists the server's webhook integrations.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    browser::set_title("Integrations · hookpanel");
    let session = use_session();
    let page = LocalResource::new(move || {
        let current = session.0.get();
        async move {
            match current {
                Some(s) => {
                    let query = ListQuery {
                        count: MAX_PAGE,
                        ..ListQuery::default()
                    };
                    let answer = Client::for_session(&s)
                        .call(&request::list(&query, &Features::latest()))
                        .await;
                    Some(answer.map(|v| parse_list(&v)))
                }
                None => None,
            }
        }
    });

    view! {
        <Show when=move || session.0.with(Option::is_some)>
            <div class="page-head">
                <h1>"Integrations"</h1>
            </div>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading integrations…"</p> }>
                {move || page.get().flatten().map(|result| match result {
                    Ok(list) => view! { <IntegrationTable rows=list.integrations total=list.total /> }.into_any(),
                    Err(e) => view! {
                        <div class="alert alert-error" role="alert">
                            <p>{e.display()}</p>
                            <button type="button" class="btn" on:click=move |_| page.refetch()>"Try again"</button>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </Show>
    }
}

#[component]
fn IntegrationTable(rows: Vec<Integration>, total: u64) -> impl IntoView {
    if rows.is_empty() {
        return view! { <div class="card empty-state">"No integrations yet."</div> }.into_any();
    }
    let shown = rows.len();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">"Webhook integrations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Enabled"</th>
                        <th scope="col">"Channels"</th>
                        <th scope="col">"Post as"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let kind = row.kind().label();
                        let common = row.common();
                        let enabled = common.enabled;
                        view! {
                            <tr data-id=row.id().to_string()>
                                <td class="cell-name" data-label="Name">{row.display_name()}</td>
                                <td data-label="Kind"><span class="badge badge-kind">{kind}</span></td>
                                <td data-label="Enabled">
                                    {if enabled {
                                        view! { <span class="badge badge-on">"Enabled"</span> }
                                    } else {
                                        view! { <span class="badge badge-off">"Disabled"</span> }
                                    }}
                                </td>
                                <td data-label="Channels">{row.channel_text()}</td>
                                <td data-label="Post as">{common.username.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="muted">{format!("Showing {shown} of {total}")}</p>
    }
    .into_any()
}
