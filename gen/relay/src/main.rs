//! `pocket-relay --config FILE [--check-config]`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use pocket_relay::{Config, Deliverer, Relay, app};

/// Wakes Pocket on closed phones: privacyIDEA's push gateway to Web Push (UnifiedPush),
/// APNs and FCM.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The configuration file (TOML; see the README).
    #[arg(long)]
    config: PathBuf,
    /// Read the configuration and every key it names, say what the relay would serve, and
    /// stop.
    #[arg(long)]
    check_config: bool,
}

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    let config = Config::load(&cli.config)?;
    let listen = config.listen;
    let secret = config.gateway_secret.clone();
    let deliverer = Deliverer::new(config)?;
    if cli.check_config {
        println!("listen: {listen}");
        if let Some(webpush) = &deliverer.webpush {
            println!("webpush: VAPID public key {}", webpush.public_key());
        }
        for channel in deliverer.channels().iter().filter(|c| **c != "webpush") {
            println!("{channel}: configured");
        }
        println!("the configuration is good");
        return Ok(());
    }
    let relay = Arc::new(Relay::new(deliverer, &secret));
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .with_context(|| format!("listen on {listen}"))?;
            log::info!("pocket-relay listening on {listen}");
            axum::serve(listener, app(relay))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
            Ok(())
        })
}
