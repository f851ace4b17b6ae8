//! A crash at any instant leaves the vault consistent: a child adding and removing accounts
//! in the real Secret Service is SIGKILLed at random moments, 200 times; after each kill the
//! vault starts as the app does, and then every account has its secret (the one the child
//! added), the keychain holds no item without an account, and every account the child
//! finished adding and never began removing is still there.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{OtpParams, SecretKey, code_at};
use pocket_tests::app::workspace_binary;
use pocket_tests::process::{Guarded, piped, run};
use pocket_tests::tools::keychain_item_count;
use pocket_tests::{Desktop, serial};

const KILLS: usize = 200;
const SERVICE: &str = "Pocket crash test";
const CHECK_TIMES: [u64; 2] = [1_000_000_000, 2_000_000_000];
/// How long one start of the vault, with its repairs, may take.
const CHECK_LIMIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn sigkill_at_any_instant_loses_nothing_and_leaves_nothing_behind() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let churn = workspace_binary("vault-churn")?;
    let db = desktop.home().join("crash.sqlite");
    // What the children said: account → its secret, and what they finished or began.
    let mut secrets: HashMap<String, String> = HashMap::new();
    let mut live: HashSet<String> = HashSet::new();
    let (mut adds_undone, mut removals_completed, mut steps) = (0, 0, 0);
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for kill in 0..KILLS {
        let mut command = desktop.command(&churn.display().to_string());
        command.arg("churn").arg(&db).arg(SERVICE);
        let mut child = Guarded::spawn("vault-churn", piped(&mut command))?;
        let stdout = child.take_stdout()?;
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(std::io::Result::ok)
                .collect::<Vec<_>>()
        });
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // The child needs some tens of milliseconds to start; then it works without pause.
        tokio::time::sleep(Duration::from_millis(30 + rng % 120)).await;
        // SAFETY: a signal to the child this guard started, in its own process group.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.stop();
        let lines = reader.join().map_err(|_| anyhow::anyhow!("reader"))?;
        for line in &lines {
            steps += 1;
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("added"), Some(id), Some(secret)) => {
                    secrets.insert(id.to_string(), secret.to_string());
                    live.insert(id.to_string());
                }
                (Some("removing"), Some(id), None) => {
                    live.remove(id);
                }
                _ => {}
            }
        }

        // Start the vault as the app would, and look.
        let out = run(
            desktop
                .command(&churn.display().to_string())
                .arg("check")
                .arg(&db)
                .arg(SERVICE),
            CHECK_LIMIT,
        )?;
        ensure!(
            out.success(),
            "kill {kill}: the vault did not start: {}",
            out.stderr_text()
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .with_context(|| format!("kill {kill}: {}", String::from_utf8_lossy(&out.stdout)))?;
        adds_undone += report["adds_undone"].as_u64().unwrap_or(0);
        removals_completed += report["removals_completed"].as_u64().unwrap_or(0);
        let accounts = report["accounts"].as_array().context("no accounts")?;
        let present: HashSet<String> = accounts
            .iter()
            .filter_map(|a| a["id"].as_str().map(str::to_string))
            .collect();
        for account in accounts {
            let id = account["id"].as_str().unwrap_or_default();
            // An add the kill cut short after the secret was stored but before "added" was
            // printed can survive only if it completed; then its codes must still be right
            // when we know the secret.
            if let Some(secret) = secrets.get(id) {
                let secret = SecretKey::from_base32(secret)?;
                let expected: Vec<String> = CHECK_TIMES
                    .iter()
                    .map(|&t| code_at(&OtpParams::default_totp(), &secret, t))
                    .collect();
                ensure!(
                    account["codes"] == serde_json::json!(expected),
                    "kill {kill}: {id} has another secret"
                );
            }
        }
        for id in &live {
            ensure!(
                present.contains(id),
                "kill {kill}: {id} was added and never removed, and is gone"
            );
        }
        // Accounts the kill caught between storing and reporting join the live set.
        live.extend(present.iter().cloned());
        let items = keychain_item_count(&desktop, SERVICE)?;
        ensure!(
            items == present.len(),
            "kill {kill}: {items} keychain items for {} accounts",
            present.len()
        );
    }
    println!(
        "{KILLS} kills after {steps} reported steps; start-up undid {adds_undone} unfinished adds \
         and completed {removals_completed} unfinished removals"
    );
    // The kills did land inside operations, not only between them.
    ensure!(adds_undone + removals_completed > 10);
    Ok(())
}
