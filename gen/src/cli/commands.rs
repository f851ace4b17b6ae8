//! What the longer commands do: the headless phone, `inspect`, and the reference service.

use anyhow::{Context, Result, bail};
use pocket_core::otp::{format_uri, parse_uri};
use pocket_gen::device::{AnswerChoice, Device, EnrollOptions};

use super::{DeviceAction, WakeupAction};

pub(super) async fn run_device(
    state: &std::path::Path,
    resolve: &[(String, std::net::SocketAddr)],
    action: DeviceAction,
) -> Result<()> {
    let device = Device::open_resolving(state, resolve)?;
    match action {
        DeviceAction::Enroll {
            uri,
            passphrase,
            allow_insecure,
            offer_held,
        } => {
            let options = EnrollOptions {
                passphrase,
                allow_insecure,
                offer_held,
            };
            out(&format!("{}\n", device.enroll(&uri, &options).await?))?
        }
        DeviceAction::Poll { wait } => {
            for line in device.poll(std::time::Duration::from_secs(wait)).await? {
                out(&format!("{line}\n"))?;
            }
        }
        DeviceAction::Answer {
            accept,
            decline,
            reason,
            choice,
            nonce,
        } => {
            let choice = match (accept, decline, choice) {
                (true, _, _) => AnswerChoice::Accept,
                (_, true, _) => AnswerChoice::Decline(reason),
                (_, _, Some(option)) => AnswerChoice::Choice(option),
                _ => bail!("say --accept, --decline or --choice X"),
            };
            let (outcome, display_code) = device.answer(nonce.as_deref(), choice).await?;
            out(&format!("{outcome}\n"))?;
            // Code-to-phone: what to type on the login page, on a line of its own.
            if let Some(code) = display_code {
                out(&format!("display_code={code}\n"))?;
            }
        }
        DeviceAction::Code {
            issuer,
            serial: None,
        } => out(&format!("{}\n", device.code(issuer.as_deref())?))?,
        DeviceAction::Code {
            serial: Some(serial),
            ..
        } => out(&format!("{}\n", device.code_of(&serial)?))?,
        DeviceAction::Add { uri } => out(&format!("{}\n", device.add(&uri)?))?,
        DeviceAction::Sync => {
            let (lines, failures) = device.sync().await?;
            for line in lines {
                out(&format!("{line}\n"))?;
            }
            if !failures.is_empty() {
                bail!("{}", failures.join("; "));
            }
        }
        DeviceAction::Transfer { container } => out(&format!(
            "{}\n",
            device.transfer(container.as_deref()).await?
        ))?,
        DeviceAction::Unregister => {
            for line in device.unregister().await? {
                out(&format!("{line}\n"))?;
            }
        }
        DeviceAction::Clock => {
            for line in device.clock().await? {
                out(&format!("{line}\n"))?;
            }
        }
        DeviceAction::Wakeup { action } => {
            let line = match action {
                WakeupAction::Unifiedpush { endpoint } => device.wake_by_web_push(endpoint).await?,
                WakeupAction::PollOnly => device.poll_only().await?,
                WakeupAction::Receive { file } => device.receive(&read_push_message(&file)?)?,
            };
            out(&format!("{line}\n"))?;
        }
    }
    Ok(())
}

/// `pocket-gen import`: the accounts as links on standard output, the skipped ones and any
/// error on standard error; false when the file could not be read.
pub(super) fn import(
    file: &std::path::Path,
    password: Option<&str>,
    key_file: Option<&std::path::Path>,
) -> Result<bool> {
    use pocket_core::transfer::{bundle_steam_folder, is_steam_manifest, read_backup_with};
    use std::io::Write;
    let read = (|| -> Result<pocket_core::transfer::Imported> {
        let mut bytes = read_limited(file)?;
        if is_steam_manifest(&bytes) {
            let folder = file.parent().unwrap_or(std::path::Path::new("."));
            bytes = bundle_steam_folder(&bytes, |name| {
                let mut listed = Vec::new();
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(
                        std::fs::File::open(folder.join(name))?,
                        pocket_core::transfer::MAX_BACKUP_BYTES as u64 + 1,
                    ),
                    &mut listed,
                )?;
                Ok(listed)
            })?;
        }
        let key = key_file.map(read_limited).transpose()?;
        Ok(read_backup_with(&bytes, password, key.as_deref())?)
    })();
    let imported = match read {
        Ok(imported) => imported,
        Err(error) => {
            let kind = error
                .downcast_ref::<pocket_core::Error>()
                .map_or("file_unreadable", pocket_core::Error::code);
            eprintln!("error: {kind}: {error}");
            return Ok(false);
        }
    };
    let mut links = String::new();
    for account in &imported.accounts {
        links.push_str(&format_uri(account));
        links.push('\n');
    }
    out(&links)?;
    let mut stderr = std::io::stderr().lock();
    for skipped in &imported.skipped {
        writeln!(
            stderr,
            "skipped: {}: {}: {}",
            skipped.label,
            skipped.reason.code(),
            skipped.reason
        )?;
    }
    Ok(true)
}

/// The file's bytes, refused unread past the size no backup reaches.
fn read_limited(file: &std::path::Path) -> Result<Vec<u8>> {
    read_at_most(file, pocket_core::transfer::MAX_BACKUP_BYTES)?
        .ok_or_else(|| pocket_core::Error::BackupTooLarge.into())
}

/// A push message's body, refused unread past the size push services carry.
fn read_push_message(file: &std::path::Path) -> Result<Vec<u8>> {
    let limit = pocket_core::push::webpush::MAX_MESSAGE_BYTES;
    read_at_most(file, limit)?.with_context(|| {
        format!(
            "{} is larger than a push message ({limit} bytes)",
            file.display()
        )
    })
}

/// The file's bytes, or `None` when it holds more than `limit`.
fn read_at_most(file: &std::path::Path, limit: usize) -> Result<Option<Vec<u8>>> {
    use std::io::Read;
    let opened =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut bytes = Vec::new();
    opened
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", file.display()))?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// `pocket-gen inspect`: the account as JSON (the secret only inside the canonical link), or
/// the error with its stable kind and the parameter it is about.
pub(super) fn inspect(uri: &str) -> (serde_json::Value, bool) {
    use pocket_core::otp::OtpKind;
    match parse_uri(uri) {
        Ok(draft) => {
            let (kind, period, counter) = match draft.params.kind {
                OtpKind::Totp { period } => ("totp", Some(period), None),
                OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
                OtpKind::Steam => ("steam", draft.params.period(), None),
            };
            let report = serde_json::json!({
                "type": kind,
                "issuer": draft.issuer,
                "name": draft.name,
                "algorithm": draft.params.algorithm.as_str(),
                "digits": draft.params.digits,
                "period": period,
                "counter": counter,
                "secret_bits": draft.secret.bit_len(),
                "canonical_uri": format_uri(&draft),
            });
            (report, true)
        }
        Err(error) => {
            let report = serde_json::json!({
                "error": error.code(),
                "parameter": error.field(),
                "message": error.to_string(),
            });
            (report, false)
        }
    }
}

pub(super) struct ServeOptions {
    pub number_matching: bool,
    pub instant_delivery: bool,
    pub wake_ups: bool,
    pub public_url: Option<url::Url>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub enrollment_ttl: i64,
}

pub(super) async fn serve(
    listen: std::net::SocketAddr,
    db: &std::path::Path,
    options: ServeOptions,
) -> Result<()> {
    use pocket_gen::service::{LoginService, app, generate_password};
    if !listen.ip().is_loopback() {
        bail!("the reference service is for QA on this machine: listen on 127.0.0.1");
    }
    let fresh = !db.exists();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listen on {listen}"))?;
    let base = match options.public_url {
        Some(url) => url,
        None => url::Url::parse(&format!("http://{}/", listener.local_addr()?))?,
    };
    let mut service = LoginService::open(db, &base, "Pocket reference")?
        .with_number_matching(options.number_matching)
        .with_enrollment_ttl(options.enrollment_ttl)
        .with_trusted_proxies(options.trusted_proxies);
    if !options.instant_delivery {
        service = service.without_long_poll();
    }
    if options.wake_ups {
        service = service.with_wake_ups()?;
    }
    if fresh {
        let password = generate_password()?;
        service.users.add("demo@example.com", &password)?;
        out(&format!(
            "New database {}: log in as demo@example.com with password {password}\n",
            db.display()
        ))?;
    }
    out(&format!(
        "Pocket reference service: {base}login (listening on {}; Ctrl+C stops it)\n",
        listener.local_addr()?
    ))?;
    // Each connection's address feeds the limits on guessing.
    let router = app(std::sync::Arc::new(service));
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await?;
    Ok(())
}

/// Writes to stdout; a reader that stopped reading (`| head`) is not an error.
pub(super) fn out(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub(super) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(bytes)
}
