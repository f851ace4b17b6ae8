//! `pocket-gen`: the QA tool. It runs the same pocket-core code as the app: codes, Key URIs,
//! QR codes to scan, and reading QR codes back from pictures.

mod cli;

fn main() -> anyhow::Result<()> {
    cli::run()
}
