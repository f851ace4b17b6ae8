//! The commands that make test data: a new TOTP account, what pictures hold, the reference
//! service's users.

use anyhow::{Context, Result, bail};
use pocket_core::otp::{AccountDraft, SecretKey, format_uri};
use pocket_gen::qr;

use super::commands::{out, random_bytes};

/// `pocket-gen totp`: a new account with a random secret; its link and QR code.
pub(super) fn new_totp(
    issuer: &str,
    account: &str,
    algorithm: &str,
    digits: u8,
    period: u32,
    png: Option<&std::path::Path>,
) -> Result<()> {
    let secret = SecretKey::from_bytes(random_bytes::<20>()?.to_vec())?;
    let draft = AccountDraft::typed(
        issuer,
        account,
        &secret.to_base32(),
        Some(algorithm),
        Some(digits),
        Some(period),
    )?;
    let uri = format_uri(&draft);
    if let Some(path) = png {
        qr::write_png(&uri, path)?;
    }
    out(&format!("{uri}\n{}\n", qr::terminal(&uri)?))
}

/// `pocket-gen scan`: one line a file, its codes tab-separated; a file that cannot be read is
/// said on stderr and fails the run once the others are done.
pub(super) fn scan_files(files: &[std::path::PathBuf]) -> Result<()> {
    let mut failed = false;
    for file in files {
        let line = std::fs::read(file)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| Ok(pocket_core::scan::decode_image_file(&bytes)?));
        match line {
            Ok(texts) => out(&format!("{}\t{}\n", file.display(), texts.join("\t")))?,
            Err(error) => {
                failed = true;
                eprintln!("{}: {error}", file.display());
            }
        }
    }
    if failed {
        bail!("some files could not be read");
    }
    Ok(())
}

/// `pocket-gen scan --video`: whether a frame held a code.
pub(super) fn scan_video(path: &std::path::Path) -> Result<bool> {
    let file = std::fs::File::open(path).with_context(|| format!("open {}", path.display()))?;
    let found = pocket_gen::video::first_code(std::io::BufReader::new(file))
        .with_context(|| format!("read {}", path.display()))?;
    match found {
        Some(found) => {
            out(&format!(
                "{}\t{}\t{}\n",
                found.frame, found.millis, found.text
            ))?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// `pocket-gen user add`: one user, with a password typed twice or generated and shown.
pub(super) fn add_user(db: &std::path::Path, email: &str, generate: bool) -> Result<()> {
    let users = pocket_gen::service::Users::open(db)?;
    let password = if generate {
        pocket_gen::service::generate_password()?
    } else {
        let password = rpassword::prompt_password("Password: ")?;
        if rpassword::prompt_password("Again: ")? != password {
            bail!("the two passwords differ");
        }
        password
    };
    let user = users.add(email, &password)?;
    out(&format!("added {} to {}\n", user.email, db.display()))?;
    if generate {
        out(&format!("password: {password}\n"))?;
    }
    Ok(())
}

/// `pocket-gen user seed`: `count` numbered users sharing one generated password.
pub(super) fn seed_users(db: &std::path::Path, count: usize, prefix: &str) -> Result<()> {
    let users = pocket_gen::service::Users::open(db)?;
    let password = pocket_gen::service::generate_password()?;
    let emails = users.add_numbered(prefix, count, &password)?;
    out(&format!(
        "added {} users ({} … {}) to {}\npassword: {password}\n",
        emails.len(),
        emails.first().map(String::as_str).unwrap_or_default(),
        emails.last().map(String::as_str).unwrap_or_default(),
        db.display(),
    ))
}
