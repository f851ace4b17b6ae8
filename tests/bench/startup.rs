//! Start-up with a full vault: the real app, started five times with one account in its
//! vault, then five times with 1,000 (their secrets in the keychain). The vault is filled
//! through the window over WebDriver; the starts are plain ones, as a user's, since a
//! WebDriver session holds the page back by some 400 ms. For each start: the time from the
//! process's start (the kernel's record) to its first code painted, and to when its page began
//! to load (what comes before that is the process, Tauri and WebKit starting, not the page's
//! work); the app writes both to `POCKET_STARTUP_REPORT`. And the resident memory of the app
//! and its WebKit processes then. Prints each run, the medians, the ratio of the full vault to
//! the single account, and the goal (under 400 ms with 1,000 accounts). Run by `make bench`,
//! against the optimised app.

use std::time::Duration;

use anyhow::{Result, bail, ensure};
use pocket_core::otp::{AccountDraft, fixtures};
use pocket_core::transfer::write_uri_list;
use pocket_tests::app::app_binary;
use pocket_tests::app_startup::{process_started_at_ms, resident_kib};
use pocket_tests::process::{Guarded, wait_until};
use pocket_tests::{AppDriver, Desktop};

const ACCOUNTS: usize = 1_000;
const RUNS: usize = 5;
const GOAL_MS: f64 = 400.0;
const ISSUERS: [&str; 12] = [
    "GitHub",
    "Google",
    "Microsoft",
    "Amazon",
    "Dropbox",
    "Steam",
    "Proton",
    "Slack",
    "Company VPN",
    "Bank of Somewhere",
    "Discord",
    "Mastodon",
];

struct Run {
    first_code_ms: f64,
    page_started_ms: f64,
    resident_kib: u64,
}

struct Medians {
    first_code_ms: f64,
    page_started_ms: f64,
    resident_mib: f64,
}

#[tokio::main]
async fn main() -> Result<()> {
    let desktop = Desktop::start()?;
    let driver = AppDriver::start(&desktop)?;
    let drafts = fixtures::bench_accounts(ACCOUNTS)
        .into_iter()
        .enumerate()
        .map(|(n, (params, secret))| {
            let issuer = ISSUERS[n % ISSUERS.len()];
            AccountDraft::new(issuer, &format!("user{n}@example.com"), secret, params)
        })
        .collect::<pocket_core::error::Result<Vec<_>>>()?;

    // The vault is filled the way a user fills it: imports of lists of links.
    import(&driver, &desktop, &drafts[..1]).await?;
    let one = starts(&desktop, 1)?;
    import(&driver, &desktop, &drafts[1..]).await?;
    let full = starts(&desktop, ACCOUNTS)?;

    println!(
        "median of {RUNS} starts: 1 account {:.0} ms, {ACCOUNTS} accounts {:.0} ms to the first \
         code ({:.2}x); resident {:.0} and {:.0} MiB",
        one.first_code_ms,
        full.first_code_ms,
        full.first_code_ms / one.first_code_ms,
        one.resident_mib,
        full.resident_mib,
    );
    println!(
        "of which before the page began to load (the process, Tauri, WebKit starting): {:.0} \
         and {:.0} ms; from there to the first code on screen: {:.0} and {:.0} ms",
        one.page_started_ms,
        full.page_started_ms,
        one.first_code_ms - one.page_started_ms,
        full.first_code_ms - full.page_started_ms,
    );
    println!(
        "goal with {ACCOUNTS} accounts: under {GOAL_MS:.0} ms from the process's start: {}",
        if full.first_code_ms < GOAL_MS {
            "met"
        } else {
            "NOT MET"
        }
    );
    println!("(times count from the kernel's record of the process start, to 10 ms)");
    Ok(())
}

async fn import(driver: &AppDriver, desktop: &Desktop, drafts: &[AccountDraft]) -> Result<()> {
    let links = desktop.home().join("accounts.txt");
    std::fs::write(&links, write_uri_list(drafts).as_bytes())?;
    let app = driver.launch().await?;
    app.open_transfer().await?;
    app.import_file(desktop, &links, None).await?;
    let started = std::time::Instant::now();
    app.wait_for_within("[data-testid=import-added]", Duration::from_secs(600))
        .await?;
    let report = app.import_report().await?;
    ensure!(report.added == drafts.len(), "imported {report:?}");
    println!(
        "imported {} accounts in {:.1} s (their secrets into the keychain)",
        drafts.len(),
        started.elapsed().as_secs_f64()
    );
    app.quit().await
}

/// Starts the app `RUNS` times with `accounts` in its vault.
fn starts(desktop: &Desktop, accounts: usize) -> Result<Medians> {
    let mut runs = Vec::new();
    let report = desktop.home().join("startup-report");
    let binary = app_binary()?;
    for n in 1..=RUNS {
        let _ = std::fs::remove_file(&report);
        let mut command = desktop.command(&binary.display().to_string());
        command.env("POCKET_STARTUP_REPORT", &report);
        let mut app = Guarded::spawn("pocket", &mut command)?;
        wait_until("the first code on screen", Duration::from_secs(60), || {
            std::fs::read_to_string(&report).is_ok_and(|text| text.ends_with('\n'))
        })?;
        let report_text = std::fs::read_to_string(&report)?;
        let Some((shown_at, page_started_at)) = report_text.trim().split_once(' ') else {
            bail!("an odd start-up report: {report_text:?}");
        };
        let started_at = process_started_at_ms(app.id())?;
        let resident = resident_kib(app.id())?;
        let run = Run {
            first_code_ms: shown_at.parse::<f64>()? - started_at,
            page_started_ms: page_started_at.parse::<f64>()? - started_at,
            resident_kib: resident.iter().map(|(_, kib)| kib).sum(),
        };
        let parts: Vec<String> = resident
            .iter()
            .filter(|(_, kib)| *kib > 0)
            .map(|(name, kib)| format!("{name} {:.0}", *kib as f64 / 1024.0))
            .collect();
        println!(
            "{accounts} accounts, run {n}: first code after {:.0} ms, the page loading from {:.0} \
             ms; resident {:.0} MiB ({})",
            run.first_code_ms,
            run.page_started_ms,
            run.resident_kib as f64 / 1024.0,
            parts.join(", ")
        );
        runs.push(run);
        app.stop();
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Ok(Medians {
        first_code_ms: median(runs.iter().map(|r| r.first_code_ms).collect()),
        page_started_ms: median(runs.iter().map(|r| r.page_started_ms).collect()),
        resident_mib: median(
            runs.iter()
                .map(|r| r.resident_kib as f64 / 1024.0)
                .collect(),
        ),
    })
}
