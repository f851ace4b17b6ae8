//! Import, edit, search and export in the real window: a plain Aegis vault and an encrypted
//! one come in (with the password asked for, a wrong one refused, what Pocket cannot take
//! and what it has already named); an account renamed stays renamed after a restart; the
//! search narrows the list; the encrypted export is private and reads back. A KeePass
//! database comes in with its key file, and a Steam Desktop Authenticator folder from its
//! manifest.

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{AccountDraft, OtpParams, SecretKey};
use pocket_core::transfer::{read_aegis, write_aegis};
use pocket_tests::app::unix_now;
use pocket_tests::tools::{oathtool_totp, run_peer, run_python};
use pocket_tests::{AppDriver, Desktop, serial};

const PLAIN_VAULT: &str = r#"{"version": 1, "header": {"slots": null, "params": null}, "db": {"version": 3, "entries": [
  {"type": "totp", "uuid": "1", "name": "alice@example.com", "issuer": "Google", "icon": null,
   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "totp", "uuid": "2", "name": "alice", "issuer": "GitHub", "icon": null,
   "info": {"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algo": "SHA1", "digits": 6, "period": 30}},
  {"type": "yandex", "uuid": "3", "name": "alice", "issuer": "Yandex", "icon": null,
   "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA256", "digits": 8, "period": 30}}
], "groups": []}}"#;

#[tokio::test]
async fn import_edit_search_and_export_in_the_app() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    // A plain vault: two accounts in, Yandex named as not imported.
    let plain = desktop.home().join("aegis-plain.json");
    std::fs::write(&plain, PLAIN_VAULT)?;
    app.open_transfer().await?;
    app.import_file(&desktop, &plain, None).await?;
    let report = app.import_report().await?;
    ensure!(report.added == 2, "{report:?}");
    ensure!(
        report.skipped.len() == 1 && report.skipped[0].starts_with("Yandex (alice)"),
        "{report:?}"
    );

    // An encrypted one: the password is asked for, a wrong one refused, then one new
    // account in and the one already here named.
    let encrypted = desktop.home().join("aegis-encrypted.json");
    let drafts = vec![
        AccountDraft::new(
            "Google",
            "alice@example.com",
            SecretKey::from_base32("JBSWY3DPEHPK3PXP")?,
            OtpParams::default_totp(),
        )?,
        AccountDraft::new(
            "Dropbox",
            "alice",
            SecretKey::from_base32("MFRGGZDFMZTWQ2LK")?,
            OtpParams::default_totp(),
        )?,
    ];
    std::fs::write(&encrypted, write_aegis(&drafts, "open sesame")?.as_bytes())?;
    app.choose_import_file(&desktop, &encrypted).await?;
    app.import_chosen(None).await?;
    app.wait_for_form_error("backup_password_required").await?;
    app.import_chosen(Some("open says me")).await?;
    app.wait_for_form_error("wrong_backup_password").await?;
    app.import_chosen(Some("open sesame")).await?;
    let report = app.import_report().await?;
    ensure!(report.added == 1, "{report:?}");
    ensure!(
        report.duplicates == ["Google (alice@example.com)"],
        "{report:?}"
    );

    // Home: three accounts with codes oathtool agrees with.
    app.close_transfer().await?;
    let rows = app.accounts_with_codes(3).await?;
    let dropbox = rows
        .iter()
        .find(|r| r.issuer == "Dropbox")
        .context("no Dropbox")?;
    let code = dropbox.code.clone().context("no code")?;
    let expected = [
        oathtool_totp("MFRGGZDFMZTWQ2LK", unix_now())?,
        oathtool_totp("MFRGGZDFMZTWQ2LK", unix_now().saturating_sub(2))?,
    ];
    ensure!(expected.contains(&code), "{code} vs {expected:?}");

    // Rename one; search narrows the list to it.
    app.rename_account(&dropbox.id, "Dropbox Business", "alice@work.example")
        .await?;
    app.search("business").await?;
    let shown = app.accounts().await?;
    ensure!(
        shown.len() == 1 && shown[0].name == "alice@work.example",
        "{shown:?}"
    );

    // Export, encrypted and private, and it reads back.
    app.open_transfer().await?;
    let target = desktop.home().join("exports").join("pocket-backup.json");
    std::fs::create_dir_all(target.parent().context("a folder")?)?;
    let path = app
        .export_aegis(&desktop, "leave with this", &target)
        .await?;
    ensure!(path == target.display().to_string(), "{path}");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path)?.permissions());
    ensure!(mode & 0o777 == 0o600, "mode {mode:o}");
    let exported = read_aegis(&std::fs::read_to_string(&path)?, Some("leave with this"))?;
    ensure!(exported.accounts.len() == 3);
    ensure!(
        exported
            .accounts
            .iter()
            .any(|a| a.issuer == "Dropbox Business" && a.name == "alice@work.example")
    );
    app.quit().await?;

    // The new name survives a restart.
    let app = driver.launch().await?;
    let rows = app.accounts_with_codes(3).await?;
    ensure!(
        rows.iter().any(|r| r.issuer == "Dropbox Business"),
        "{rows:?}"
    );
    app.quit().await?;
    Ok(())
}

/// An encrypted Aegis vault of `drafts` that makes Pocket try `decoys` wrong password slots
/// (ordinary scrypt parameters, as Aegis writes them) before the one `password` opens: a
/// legitimate file that takes seconds to open.
fn slow_vault(drafts: &[AccountDraft], password: &str, decoys: usize) -> Result<String> {
    let mut vault: serde_json::Value = serde_json::from_str(&write_aegis(drafts, password)?)?;
    let real = vault["header"]["slots"][0].clone();
    let mut slots = Vec::new();
    for n in 0..decoys {
        let mut decoy = real.clone();
        decoy["uuid"] = serde_json::json!(format!("decoy-{n}"));
        decoy["salt"] = serde_json::json!(format!("{n:064x}"));
        slots.push(decoy);
    }
    slots.push(real);
    vault["header"]["slots"] = serde_json::Value::Array(slots);
    Ok(vault.to_string())
}

#[tokio::test]
async fn the_window_stays_usable_while_a_slow_import_runs() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    let drafts = vec![AccountDraft::new(
        "Slowbank",
        "alice",
        SecretKey::from_base32("MFRGGZDFMZTWQ2LK")?,
        OtpParams::default_totp(),
    )?];
    let file = desktop.home().join("aegis-slow.json");
    std::fs::write(&file, slow_vault(&drafts, "patience", 30)?)?;

    app.open_transfer().await?;
    let started = std::time::Instant::now();
    app.import_file(&desktop, &file, Some("patience")).await?;
    // While the key derivations run, the rest of the screen answers: the export choice
    // changes and its warning appears, before the import's report does.
    app.click("[data-testid=export-links]").await?;
    app.wait_for("[data-testid=export-links-warning]").await?;
    let reacted = started.elapsed();
    ensure!(
        !app.exists("[data-testid=import-report]").await?,
        "the import was over before the click was answered ({reacted:?})"
    );
    let report = app.import_report().await?;
    let finished = started.elapsed();
    ensure!(report.added == 1, "{report:?}");
    ensure!(
        reacted < finished,
        "the click was answered after the import ({reacted:?} vs {finished:?})"
    );
    println!("click answered after {reacted:?}; import finished after {finished:?}");
    app.quit().await?;
    Ok(())
}

/// The second wave's two desktop paths in the real window: the key-file button and its own
/// dialog for a KeePass database, and a Steam maFiles folder picked by its manifest (the
/// files beside it read by the app).
#[tokio::test]
async fn a_keepass_key_file_and_a_steam_folder_in_the_app() -> Result<()> {
    let _serial = serial().await;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;
    let totp = serde_json::json!({"issuer": "GitHub", "name": "alice", "secret": "JBSWY3DPEHPK3PXP",
        "type": "totp", "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0});
    let steam = serde_json::json!({"issuer": "Steam", "name": "dave", "secret": "ONSWG4TFOQYTEMZU",
        "type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30, "counter": 0});

    let key = desktop.home().join("Passwords.keyx");
    let database = desktop.home().join("Passwords.kdbx");
    let key_arg = key.to_string_lossy().into_owned();
    let args = [
        "keepass-key-file",
        "--password",
        "db password",
        "--key-file",
        &key_arg,
    ];
    let written = serde_json::json!([totp, steam]).to_string();
    std::fs::write(
        &database,
        run_peer("export_as.py", &args, written.as_bytes())?,
    )?;
    app.open_transfer().await?;
    app.choose_import_file(&desktop, &database).await?;
    app.choose_key_file(&desktop, &key).await?;
    app.import_chosen(Some("db password")).await?;
    let report = app.import_report().await?;
    ensure!(report.added == 2, "{report:?}");
    ensure!(
        report.skipped.len() == 1 && report.skipped[0].starts_with("Old site (old)"),
        "{report:?}"
    );

    // The maFiles folder as it lies on a computer: the manifest picked, the files beside it.
    let gamer = serde_json::json!({"issuer": "Steam", "name": "gamer", "secret": "MFRGGZDFMZTWQ2LK",
        "type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30, "counter": 0});
    let written = serde_json::json!([gamer]).to_string();
    let args = ["steam-folder", "--password", "steam password"];
    let zipped = run_peer("export_as.py", &args, written.as_bytes())?;
    let home = desktop.home().to_string_lossy().into_owned();
    let unzip = format!(
        "import io, sys, zipfile; zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())).extractall({home:?})"
    );
    run_python(&unzip, &zipped)?;
    let manifest = desktop.home().join("maFiles").join("manifest.json");
    app.choose_import_file(&desktop, &manifest).await?;
    app.import_chosen(Some("steam password")).await?;
    let report = app.import_report().await?;
    ensure!(
        report.added == 1 && report.duplicates.is_empty(),
        "{report:?}"
    );
    Ok(())
}
