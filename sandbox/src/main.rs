use clap::{ArgAction, Parser};
use hookpanel_sandbox::config::{
    parse_on_off, CorsSetting, Frozen, Options, RuntimeConfig, Version,
};
use std::path::PathBuf;

/// A local Rocket.Chat-compatible server for developing and testing hookpanel.
#[derive(Parser, Debug)]
#[command(name = "hookpanel-sandbox", version)]
struct Cli {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to bind; 0 picks a free port.
    #[arg(long, default_value_t = 3100)]
    port: u16,
    /// Serve the built app from this directory on the same origin (SPA fallback to index.html).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// State file (JSON, replaced atomically on every change).
    #[arg(long, default_value = "target/sandbox/state.json")]
    data: PathBuf,
    /// Discard the saved state and re-seed.
    #[arg(long)]
    fresh: bool,
    /// Rocket.Chat version to claim and whose behaviours to reproduce (e.g. 6.3.7, 7.5.0, 8.8.1, 9.0.0).
    #[arg(long, default_value = "8.8.1", value_name = "x.y.z", value_parser = parse_version)]
    server_version: Version,
    /// CORS: off | * | comma-separated origin list (API_Enable_CORS / API_CORS_Origin).
    #[arg(long, default_value = "off", value_name = "off|*|origin,origin", value_parser = CorsSetting::parse)]
    cors: CorsSetting,
    /// REST rate limiter (10 calls / 60 s per route and client): on | off.
    #[arg(long, default_value = "on", value_name = "on|off", value_parser = parse_on_off, action = ArgAction::Set)]
    rate_limit: bool,
    /// Additionally seed N integrations (mixed kinds) for list tests.
    #[arg(long, default_value_t = 0)]
    seed_large: usize,
    /// Additionally seed an outgoing webhook "Build notifier" with N recorded calls of every
    /// outcome (300 gives 40 failures; history and list-health tests).
    #[arg(long, default_value_t = 0)]
    seed_history: usize,
    /// Like FREEZE_INTEGRATION_SCRIPTS: yes | ivm | vm2.
    #[arg(long, value_name = "yes|ivm|vm2", value_parser = parse_frozen)]
    scripts_frozen: Option<Frozen>,
    /// Like DISABLE_INTEGRATION_SCRIPTS: yes | ivm | vm2 (stored scripts are not run).
    #[arg(long, value_name = "yes|ivm|vm2", value_parser = parse_frozen)]
    scripts_disabled: Option<Frozen>,
}

fn parse_frozen(s: &str) -> Result<Frozen, String> {
    Frozen::parse(s)?.ok_or_else(|| format!("expected yes|ivm|vm2, got {s:?}"))
}

fn parse_version(s: &str) -> Result<Version, String> {
    Version::parse(s).ok_or_else(|| format!("not a version: {s:?} (expected x.y.z)"))
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let opts = Options {
        host: cli.host.clone(),
        port: cli.port,
        dist: cli.dist,
        data: cli.data,
        fresh: cli.fresh,
        seed_large: cli.seed_large,
        seed_history: cli.seed_history,
        runtime: RuntimeConfig {
            server_version: cli.server_version,
            cors: cli.cors,
            rate_limit: cli.rate_limit,
            scripts_frozen: cli.scripts_frozen,
            retry_delay_scale: 1.0,
            internal_errors: vec![],
            script_timeout_ms: RuntimeConfig::default().script_timeout_ms,
            scripts_disabled: cli.scripts_disabled,
        },
        print_log: true,
    };
    let server = match hookpanel_sandbox::start(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "hookpanel-sandbox: cannot listen on {}:{}: {e}",
                cli.host, cli.port
            );
            std::process::exit(1);
        }
    };
    println!(
        "hookpanel-sandbox (Rocket.Chat {}) listening on {}",
        server.app.config().server_version,
        server.url
    );
    let _ = tokio::signal::ctrl_c().await;
    server.stop().await;
}
