//! hookpanel-sandbox: a local server that behaves like Rocket.Chat for every endpoint
//! hookpanel uses, as `docs/spec/rocketchat-api.md` describes it. In comments, `spec §N` is
//! a section of that file, `scripts spec §N` of `docs/spec/rocketchat-scripts.md`.
//!
//! Start it in-process with [`start`] (tests use port 0) or through the binary.

pub mod api;
pub mod app;
pub mod auth;
pub mod chat;
pub mod config;
pub mod control;
pub mod cors;
pub mod engine;
pub mod errors;
pub mod history_seed;
pub mod hooks;
pub mod integrations;
pub mod lookups;
pub mod method_call;
pub mod model;
pub mod outgoing_runner;
pub mod rate_limit;
pub mod schema;
pub mod script;
pub mod seed;
pub mod server;
pub mod static_files;
pub mod store;
pub mod twofactor;
pub mod util;

pub use config::{CorsSetting, Frozen, Options, RuntimeConfig, Version};

use app::App;
use std::net::SocketAddr;
use std::sync::Arc;
use store::{Loaded, Store};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running sandbox.
pub struct Server {
    pub addr: SocketAddr,
    /// `http://host:port`
    pub url: String,
    pub app: Arc<App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        self.app.scripts.shutdown().await;
    }
}

/// Binds `host:port` (port 0 picks a free one) and starts serving.
pub async fn start(opts: Options) -> std::io::Result<Server> {
    let listener = TcpListener::bind((opts.host.as_str(), opts.port)).await?;
    start_on(listener, opts).await
}

/// Starts serving on an already bound listener.
pub async fn start_on(listener: TcpListener, opts: Options) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}", addr.port());
    let (store, loaded) = Store::open(&opts.data, opts.fresh);
    let app = Arc::new(App::new(
        store,
        opts.runtime.clone(),
        url.clone(),
        opts.dist.clone(),
        opts.seed_large,
        opts.seed_history,
        opts.print_log,
    ));
    match loaded {
        Loaded::FromDisk => app.log(format!(
            "[sandbox] state loaded from {}",
            opts.data.display()
        )),
        Loaded::Missing(why) => app.log(format!("[sandbox] seeding: {why}")),
    }
    control::seed_if_empty(&app);
    if let Some(dist) = &opts.dist {
        if !dist.join("index.html").is_file() {
            app.log(format!(
                "[sandbox] warning: {} has no index.html (build the app first)",
                dist.display()
            ));
        }
    }
    let router = server::router(app.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await
    });
    Ok(Server {
        addr,
        url,
        app,
        shutdown: Some(tx),
        task,
    })
}
