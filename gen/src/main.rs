//! `pocket-gen`: the QA tool. Today it computes codes and checks Key URIs with the same
//! pocket-core code the app runs; QR codes, the simulated phone and the reference login
//! service come with their issues.

use anyhow::Context;
use clap::{Parser, Subcommand};
use pocket_core::otp::{code_at, format_uri, parse_uri};

#[derive(Parser)]
#[command(
    name = "pocket-gen",
    version,
    about = "QA tool for the Pocket authenticator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the code pocket-core computes for an otpauth:// URI.
    Code {
        uri: String,
        /// Unix time to compute the code for (default: now).
        #[arg(long)]
        at: Option<u64>,
    },
    /// Check an otpauth:// URI and print it in canonical form, or say what is wrong.
    Inspect { uri: String },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Code { uri, at } => {
            let draft = parse_uri(&uri).context("cannot read the URI")?;
            let time = at.unwrap_or_else(pocket_core::clock::now_unix);
            println!("{}", code_at(&draft.params, &draft.secret, time));
        }
        Command::Inspect { uri } => {
            let draft = parse_uri(&uri).context("cannot read the URI")?;
            println!("{}", format_uri(&draft));
        }
    }
    Ok(())
}
