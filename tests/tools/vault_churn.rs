//! A child for the crash test: `vault-churn churn DB SERVICE` adds and removes accounts in
//! the real keychain without end, reporting each step on stdout (flushed) until it is killed;
//! `vault-churn check DB SERVICE` starts the vault as the app does (reconciling), then prints
//! what reconciliation did and every account with its codes at two fixed moments (which the
//! test compares with codes from the secrets the churn reported), as JSON.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use pocket_core::otp::{AccountDraft, OtpParams, SecretKey};
use pocket_core::vault::{KeychainStore, Vault, use_platform_keychain};
use serde_json::json;

/// The moments `check` computes codes at; the test uses the same.
pub const CHECK_TIMES: [u64; 2] = [1_000_000_000, 2_000_000_000];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (mode, db, service) = match args.as_slice() {
        [_, mode, db, service] => (mode.as_str(), Path::new(db), service.as_str()),
        _ => anyhow::bail!("usage: vault-churn churn|check DB SERVICE"),
    };
    use_platform_keychain()?;
    let mut vault = Vault::open(db, Box::new(KeychainStore::new(service)))?;
    match mode {
        "churn" => churn(&mut vault),
        "check" => check(&mut vault),
        other => anyhow::bail!("unknown mode {other}"),
    }
}

fn say(line: String) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

fn churn(vault: &mut Vault) -> Result<()> {
    vault.reconcile()?;
    let mut n: u64 = std::process::id().into();
    loop {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let accounts = vault.accounts()?;
        if accounts.len() > 12 || (!accounts.is_empty() && n >> 62 == 0) {
            let id = &accounts[(n >> 33) as usize % accounts.len()].id;
            say(format!("removing {id}"))?;
            vault.remove(id)?;
            say(format!("removed {id}"))?;
        } else {
            let secret: Vec<u8> = (0..20)
                .map(|i| (n >> (i % 8 * 8)) as u8 ^ i as u8)
                .collect();
            let secret = SecretKey::from_bytes(secret)?;
            let base32 = secret.to_base32().to_string();
            let draft = AccountDraft::new(
                "Churn",
                &format!("account {n:x}"),
                secret,
                OtpParams::default_totp(),
            )?;
            let account = vault.add(draft, 0)?;
            say(format!("added {} {base32}", account.id))?;
        }
    }
}

fn check(vault: &mut Vault) -> Result<()> {
    let report = vault.reconcile()?;
    let mut accounts = Vec::new();
    for account in vault.accounts()? {
        let codes: Vec<String> = CHECK_TIMES
            .iter()
            .map(|&t| vault.code(&account.id, t).map(|c| c.current))
            .collect::<Result<_, _>>()
            .with_context(|| format!("the secret of {}", account.id))?;
        accounts.push(json!({ "id": account.id, "codes": codes }));
    }
    say(json!({
        "adds_undone": report.unfinished_adds_undone,
        "removals_completed": report.unfinished_removals_completed,
        "accounts": accounts,
    })
    .to_string())
}
