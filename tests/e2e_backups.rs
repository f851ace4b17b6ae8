//! Automatic backups in the real window: turned on in Settings, a backup appears after each
//! change and an independent implementation (Python) decrypts it to the accounts; a folder
//! made read-only brings up the home screen's banner and leaves the accounts and the earlier
//! backups alone; "Back up now" clears it; and a fresh profile (a new phone) restores the
//! accounts from the backup. Also: the Google transfer codes shown on the export screen read
//! back, from the screen's pixels, to the same accounts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use pocket_core::backup;
use pocket_core::otp::{OtpKind, parse_migration};
use pocket_core::scan::decode_image_file;
use pocket_tests::app::unix_now;
use pocket_tests::deadline::{Look, eventually};
use pocket_tests::process::run;
use pocket_tests::tools::{oathtool_totp, run_peer};
use pocket_tests::{AppDriver, Desktop, serial, shots};

const PASSWORD: &str = "a long backup password";
const ALICE: &str = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
const BOB: &str = "otpauth://totp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&algorithm=SHA256&digits=8&period=60";

#[tokio::test]
async fn backups_run_by_themselves_say_when_they_fail_and_restore_on_a_new_phone() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.resize(390, 844).await?;
    let folder = desktop.home().join("Backups");
    std::fs::create_dir_all(&folder)?;

    app.open_settings().await?;
    ensure!(app.exists("[data-testid=backup-push-note]").await?);
    app.choose_backup_folder(&desktop, &folder).await?;
    app.set_backup_password(PASSWORD).await?;
    app.turn_backups_on().await?;
    app.close_settings().await?;

    // One account added: a backup holding it appears, and Python opens it.
    app.add_account_uri(ALICE).await?;
    app.single_account_with_code().await?;
    let (_, entries) = wait_for_backup(&folder, 1).await?;
    let alice = &entries[0];
    ensure!(
        (
            alice["issuer"].as_str(),
            alice["name"].as_str(),
            alice["info"]["secret"].as_str()
        ) == (Some("ACME"), Some("alice"), Some("JBSWY3DPEHPK3PXP")),
        "{alice}"
    );

    // The folder turns read-only: the next change brings the banner, the account is added all
    // the same, and the backups there stay as they were.
    let before = folder_contents(&folder)?;
    let read_only = ReadOnly::make(&folder)?;
    app.add_account_uri(BOB).await?;
    app.accounts_with_codes(2).await?;
    let error = app.backup_banner().await?;
    ensure!(error == "backup_write_failed", "banner for {error}");
    app.screenshot(&shots::dir()?.join("app-backup-banner.png"))
        .await?;
    ensure!(folder_contents(&folder)? == before, "the folder changed");
    drop(read_only);

    // Writable again: "Back up now" from the banner clears it.
    app.click("[data-testid=backup-banner-open]").await?;
    ensure!(app.exists("[data-testid=backup-failed]").await?);
    app.click("[data-testid=backup-now]").await?;
    app.wait_gone("[data-testid=backup-failed]").await?;
    app.screenshot(&shots::dir()?.join("app-backups.png"))
        .await?;
    app.close_settings().await?;
    app.wait_gone("[data-testid=backup-banner]").await?;
    let (newest, entries) = wait_for_backup(&folder, 2).await?;
    ensure!(entries.len() == 2, "{entries:?}");
    app.quit().await?;
    drop(driver);

    // A new phone: a fresh profile, the backup file at hand, the accounts come back.
    let phone = Desktop::start().await?;
    let carried = phone
        .home()
        .join("Downloads")
        .join(newest.file_name().context("a backup without a name")?);
    std::fs::create_dir_all(carried.parent().context("a folder")?)?;
    std::fs::copy(&newest, &carried)?;
    drop(desktop);
    let driver = AppDriver::start(&phone).await?;
    let app = driver.launch().await?;
    ensure!(app.is_empty_state_shown().await?);
    app.open_settings().await?;
    let listed = app.restore(&phone, &carried, PASSWORD).await?;
    ensure!(listed == ["ACME (alice)", "Bank (bob)"], "{listed:?}");
    let added = app
        .wait_for("[data-testid=restore] [data-testid=import-added]")
        .await?
        .attr("data-count")
        .await?;
    ensure!(added.as_deref() == Some("2"), "{added:?}");
    app.close_settings().await?;
    let rows = app.accounts_with_codes(2).await?;
    let acme = rows
        .iter()
        .find(|r| r.issuer == "ACME")
        .context("no ACME")?;
    let now = unix_now();
    let expected = [
        oathtool_totp("JBSWY3DPEHPK3PXP", now)?,
        oathtool_totp("JBSWY3DPEHPK3PXP", now.saturating_sub(2))?,
    ];
    ensure!(
        acme.code.as_ref().is_some_and(|c| expected.contains(c)),
        "{acme:?} vs {expected:?}"
    );
    app.quit().await?;
    Ok(())
}

#[tokio::test]
async fn google_transfer_codes_on_the_screen_read_back_to_the_accounts() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    app.resize(390, 844).await?;

    // Enough accounts for more than one code, and two Google's format cannot carry.
    let mut lines: Vec<String> = (0..24)
        .map(|n| {
            format!(
                "otpauth://totp/Service%20{n}:user{n}%40example.com?secret={}&issuer=Service%20{n}",
                secret(n)
            )
        })
        .collect();
    lines.push("otpauth://hotp/Counter:carol?secret=MFRGGZDFMZTWQ2LK&counter=7".into());
    lines.push("otpauth://totp/Seven:dave?secret=MFRGGZDFMZTWQ2LK&digits=7".into());
    lines.push("otpauth://totp/Steam:erin?secret=MFRGGZDFMZTWQ2LK&encoder=steam".into());
    let list = desktop.home().join("links.txt");
    std::fs::write(&list, lines.join("\n"))?;
    app.open_transfer().await?;
    app.import_file(&desktop, &list, None).await?;
    ensure!(app.import_report().await?.added == 27);

    let shown = app.google_transfer_codes().await?;
    // The last code on the screen, as the README shows it.
    app.screenshot(&shots::dir()?.join("app-google-export.png"))
        .await?;
    let count = shown.pictures.len();
    ensure!(count > 1, "{count} codes");
    let want: Vec<String> = (1..=count).map(|n| format!("{n} of {count}")).collect();
    ensure!(shown.captions == want, "{:?}", shown.captions);
    ensure!(
        shown.skipped.len() == 2
            && shown.skipped[0].starts_with("Seven (dave)")
            && shown.skipped[1].starts_with("Steam (erin)"),
        "{:?}",
        shown.skipped
    );

    // What a phone's camera would read: the pixels on the screen.
    let mut accounts = Vec::new();
    let mut batch_id = None;
    for (index, picture) in shown.pictures.iter().enumerate() {
        let texts = decode_image_file(picture)?;
        if texts.len() != 1 {
            let kept = pocket_tests::report::picture_path(
                &pocket_tests::report::report_dir()?,
                &format!("google code {index}"),
            )?;
            std::fs::write(&kept, picture)?;
            bail!(
                "{texts:?} read from code {index} (kept as {})",
                kept.display()
            );
        }
        let part = parse_migration(&texts[0])?;
        let batch = part
            .batch
            .context("a code without its place in the batch")?;
        ensure!(
            (batch.index as usize, batch.size as usize) == (index, count)
                && *batch_id.get_or_insert(batch.id) == batch.id,
            "{batch:?} as code {index}"
        );
        ensure!(part.skipped.is_empty(), "{:?}", part.skipped);
        accounts.extend(part.accounts);
    }
    ensure!(accounts.len() == 25, "{}", accounts.len());
    for (n, account) in accounts.iter().take(24).enumerate() {
        ensure!(
            account.issuer == format!("Service {n}")
                && account.name == format!("user{n}@example.com")
                && account.secret.as_bytes() == base32_decode(&secret(n))?.as_slice(),
            "{account:?}"
        );
    }
    let counter = &accounts[24];
    ensure!(
        counter.issuer == "Counter" && counter.params.kind == OtpKind::Hotp { counter: 7 },
        "{counter:?}"
    );

    // "Done" drops the codes from the screen.
    app.click("[data-testid=google-export-done]").await?;
    app.wait_gone("[data-testid=google-export-code]").await?;
    app.quit().await?;
    Ok(())
}

/// A distinct 20-byte secret per account, in Base32.
fn secret(n: usize) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..32)
        .map(|i| alphabet[(n * 7 + i * 3) % 32] as char)
        .collect()
}

fn base32_decode(text: &str) -> Result<Vec<u8>> {
    Ok(pocket_core::otp::SecretKey::from_base32(text)?
        .as_bytes()
        .to_vec())
}

/// Waits for the newest backup in `folder` to hold `accounts` accounts, decrypted by the
/// independent implementation; returns its path and entries.
async fn wait_for_backup(
    folder: &Path,
    accounts: usize,
) -> Result<(PathBuf, Vec<serde_json::Value>)> {
    let what = format!("a backup of {accounts} accounts in {}", folder.display());
    eventually(&what, Duration::from_secs(20), || async {
        let Some(newest) = backup::list(folder)?.pop() else {
            return Ok(Look::NotYet("no backup".into()));
        };
        let vault = std::fs::read(&newest)?;
        let entries: Vec<serde_json::Value> =
            serde_json::from_slice(&run_peer("aegis_decrypt.py", &[PASSWORD], &vault)?)?;
        Ok(if entries.len() == accounts {
            Look::Done((newest, entries))
        } else {
            Look::NotYet(format!("{} holds {}", newest.display(), entries.len()))
        })
    })
    .await
}

/// Every file in `folder` with its bytes.
fn folder_contents(folder: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = pocket_tests::tools::all_file_bytes(folder)?;
    files.sort();
    Ok(files)
}

const CHATTR_LIMIT: Duration = Duration::from_secs(10);

/// A folder nobody can write to until this is dropped. Permissions stop an ordinary user;
/// root ignores them, and there the immutable attribute (ext4's `chattr +i`) does the job.
struct ReadOnly {
    folder: PathBuf,
    immutable: bool,
}

impl ReadOnly {
    fn make(folder: &Path) -> Result<ReadOnly> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o500))?;
        let mut guard = ReadOnly {
            folder: folder.to_path_buf(),
            immutable: false,
        };
        if writable(folder) {
            run(Command::new("chattr").arg("+i").arg(folder), CHATTR_LIMIT)?.checked()?;
            guard.immutable = true;
        }
        ensure!(!writable(folder), "{} is still writable", folder.display());
        Ok(guard)
    }
}

fn writable(folder: &Path) -> bool {
    let probe = folder.join(".probe");
    let wrote = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(probe);
    wrote
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = run(
                Command::new("chattr").arg("-i").arg(&self.folder),
                CHATTR_LIMIT,
            );
        }
        let _ = std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o700));
    }
}
