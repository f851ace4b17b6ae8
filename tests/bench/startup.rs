//! Start-up with a full vault: the real app, started five times with one account in its
//! vault, then five times with 1,000 (their secrets in the keychain), each time in turns with
//! a peer: a Tauri window of the same size whose page holds one fixed code and nothing else
//! (tests/startup-peer), the floor that Tauri and WebKit set here. The vault is filled
//! through the window over WebDriver; the starts are plain ones, as a user's, since a
//! WebDriver session holds the page back by some 400 ms. For each start: the time from the
//! process's start (the kernel's record) to its first code painted, and to when its page began
//! to load (what comes before that is the process, Tauri and WebKit starting, not the page's
//! work); the app and the peer write both to `POCKET_STARTUP_REPORT`, the app with the steps
//! on the way (`app:` ones from the Rust side, `page:` ones from the page). And the resident
//! memory of the app and its WebKit processes then. Prints each run, the medians, the ratio
//! of the full vault to the single account, Pocket's time beyond the peer's, the goal (under
//! 400 ms with 1,000 accounts) and each step's median, where the time goes. Run by
//! `make bench`, against optimised builds.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, bail, ensure};
use pocket_core::otp::{AccountDraft, fixtures};
use pocket_core::transfer::write_uri_list;
use pocket_startup::report::{REPORT_FILE_VARIABLE, StartupReport};
use pocket_tests::app::{app_binary, workspace_binary};
use pocket_tests::app_startup::{process_started_at_ms, resident_kib};
use pocket_tests::deadline::{Look, eventually};
use pocket_tests::process::Guarded;
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
    /// The steps the report names, in order, each at its time from the process's start.
    steps: Vec<(String, f64)>,
    /// Each process of the app (its own, WebKit's) and its resident KiB.
    resident: Vec<(String, u64)>,
}

struct Medians {
    first_code_ms: f64,
    page_started_ms: f64,
    resident_mib: f64,
    /// Each step of the first run, at the median of its times over the runs.
    steps: Vec<(String, f64)>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let drafts = fixtures::bench_accounts(ACCOUNTS)
        .into_iter()
        .enumerate()
        .map(|(n, (params, secret))| {
            let issuer = ISSUERS[n % ISSUERS.len()];
            AccountDraft::new(issuer, &format!("user{n}@example.com"), secret, params)
        })
        .collect::<pocket_core::error::Result<Vec<_>>>()?;

    // Each phase starts the peer and Pocket in turns, so that a machine growing faster or
    // slower over the runs (caches warming, a neighbour's load) weighs on both alike.
    let peer = workspace_binary("startup-peer")?;
    let pocket = app_binary()?;
    // The vault is filled the way a user fills it: imports of lists of links.
    import(&driver, &desktop, &drafts[..1]).await?;
    let [peer_one, one] =
        take_turns(&desktop, [(&peer, "the peer"), (&pocket, "1 account")]).await?;
    import(&driver, &desktop, &drafts[1..]).await?;
    let full_label = format!("{ACCOUNTS} accounts");
    let [peer_full, full] =
        take_turns(&desktop, [(&peer, "the peer"), (&pocket, &full_label)]).await?;

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
        "the peer (a Tauri window with one fixed code), started in turns with each: {:.0} and \
         {:.0} ms to its code, its page loading from {:.0} and {:.0} ms; resident {:.0} MiB",
        peer_one.first_code_ms,
        peer_full.first_code_ms,
        peer_one.page_started_ms,
        peer_full.page_started_ms,
        peer_full.resident_mib,
    );
    println!(
        "Pocket beyond the peer: {:.0} ms with 1 account, {:.0} ms with {ACCOUNTS} ({:.2}x and \
         {:.2}x the peer's time)",
        one.first_code_ms - peer_one.first_code_ms,
        full.first_code_ms - peer_full.first_code_ms,
        one.first_code_ms / peer_one.first_code_ms,
        full.first_code_ms / peer_full.first_code_ms,
    );
    println!(
        "goal with {ACCOUNTS} accounts: under {GOAL_MS:.0} ms from the process's start: {}",
        if full.first_code_ms < GOAL_MS {
            "met"
        } else if peer_full.first_code_ms >= GOAL_MS {
            "NOT MET (nor by the peer: Tauri and WebKit alone take longer here)"
        } else {
            "NOT MET"
        }
    );
    println!(
        "where the time goes, medians from the process's start (1 account, {ACCOUNTS}):\n{}",
        steps_side_by_side(&one, &full)
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

/// Starts each of `contenders` (a binary and what it is called) `RUNS` times, taking turns.
async fn take_turns<const N: usize>(
    desktop: &Desktop,
    contenders: [(&Path, &str); N],
) -> Result<[Medians; N]> {
    let mut runs: [Vec<Run>; N] = std::array::from_fn(|_| Vec::new());
    for n in 1..=RUNS {
        for ((binary, label), runs) in contenders.iter().zip(&mut runs) {
            let run = start(desktop, binary, label).await?;
            println!("{label}, run {n}: {run}");
            runs.push(run);
        }
    }
    Ok(runs.map(|runs| Medians::of(&runs)))
}

/// One start of `binary`, until it reports its first code.
async fn start(desktop: &Desktop, binary: &Path, label: &str) -> Result<Run> {
    let report = desktop.home().join("startup-report");
    let _ = std::fs::remove_file(&report);
    let mut command = desktop.command(&binary.display().to_string());
    command.env(REPORT_FILE_VARIABLE, &report);
    let mut app = Guarded::spawn(label, &mut command)?;
    eventually(
        "the first code on screen",
        Duration::from_secs(60),
        || async {
            let written = std::fs::read_to_string(&report).is_ok_and(|text| text.ends_with('\n'));
            Ok(Look::when(written, || "no report yet".into()))
        },
    )
    .await?;
    let report_text = std::fs::read_to_string(&report)?;
    let Some(shown) = StartupReport::parse(&report_text) else {
        bail!("an odd start-up report: {report_text:?}");
    };
    let started_at = process_started_at_ms(app.id())?;
    let resident = resident_kib(app.id())?;
    app.stop();
    Ok(Run {
        first_code_ms: shown.shown_at_ms - started_at,
        page_started_ms: shown.page_started_at_ms - started_at,
        steps: shown
            .steps
            .into_iter()
            .map(|(step, at_ms)| (step, at_ms - started_at))
            .collect(),
        resident,
    })
}

impl Run {
    fn resident_kib(&self) -> u64 {
        self.resident.iter().map(|(_, kib)| kib).sum()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .resident
            .iter()
            .filter(|(_, kib)| *kib > 0)
            .map(|(name, kib)| format!("{name} {:.0}", *kib as f64 / 1024.0))
            .collect();
        write!(
            f,
            "first code after {:.0} ms, the page loading from {:.0} ms; resident {:.0} MiB ({})",
            self.first_code_ms,
            self.page_started_ms,
            self.resident_kib() as f64 / 1024.0,
            parts.join(", ")
        )
    }
}

/// One line per step: its median time in each phase.
fn steps_side_by_side(one: &Medians, full: &Medians) -> String {
    full.steps
        .iter()
        .map(|(step, full_ms)| {
            let one_ms = one
                .steps
                .iter()
                .find(|(other, _)| other == step)
                .map_or("-".to_owned(), |(_, ms)| format!("{ms:.0}"));
            format!("  {step:<28} {one_ms:>6} {full_ms:>6.0} ms")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

impl Medians {
    fn of(runs: &[Run]) -> Medians {
        let steps = runs[0]
            .steps
            .iter()
            .map(|(step, _)| {
                let times = runs
                    .iter()
                    .filter_map(|run| run.steps.iter().find(|(other, _)| other == step))
                    .map(|(_, ms)| *ms)
                    .collect();
                (step.clone(), median(times))
            })
            .collect();
        Medians {
            steps,
            first_code_ms: median(runs.iter().map(|r| r.first_code_ms).collect()),
            page_started_ms: median(runs.iter().map(|r| r.page_started_ms).collect()),
            resident_mib: median(
                runs.iter()
                    .map(|r| r.resident_kib() as f64 / 1024.0)
                    .collect(),
            ),
        }
    }
}
