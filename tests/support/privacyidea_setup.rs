//! A privacyIDEA server's files for one test: its configuration, keys and a database with the
//! admin. `pi-manage`'s four set-up steps load all of privacyIDEA each time (some 30 s
//! together on a busy two-core machine), so they run once per build folder and each test
//! starts from a copy.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, ensure};

use super::process::run;

/// How long one `pi-manage` set-up step may take.
const SETUP_LIMIT: Duration = Duration::from_secs(120);
/// The files a set-up makes, which a test's server takes a copy of.
const MADE: [&str; 4] = [
    "pi.sqlite",
    "enckey",
    "audit-private.pem",
    "audit-public.pem",
];

/// Where privacyIDEA is installed: `$PRIVACYIDEA_VENV` (`make test` sets and fills it), else
/// its default place.
pub fn venv() -> Result<PathBuf> {
    let venv = std::env::var_os("PRIVACYIDEA_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            home.join(".cache/pocket/privacyidea-3.14")
        });
    ensure!(
        venv.join("bin/pi-manage").exists(),
        "privacyIDEA is not installed in {} (`make test` installs it)",
        venv.display()
    );
    Ok(venv)
}

/// Fills `dir` with a set-up server's files and its configuration; returns the
/// configuration's path.
pub fn prepare(venv: &Path, dir: &Path) -> Result<PathBuf> {
    let template = template(venv)?;
    for name in MADE {
        std::fs::copy(template.join(name), dir.join(name))?;
    }
    write_config(dir)
}

/// The set-up files for `venv`'s privacyIDEA, made the first time they are asked for.
fn template(venv: &Path) -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let name = venv
        .file_name()
        .map_or("privacyidea".into(), |n| n.to_string_lossy());
    let ready = target.join(format!("{name}-set-up"));
    if ready.is_dir() {
        return Ok(ready);
    }
    // Made aside and renamed into place whole, so a test stopped halfway, or two tests at
    // once, never leave a half-made set-up where the next would take it.
    std::fs::create_dir_all(&target)?;
    let making = tempfile::Builder::new()
        .prefix(&format!("{name}-set-up-"))
        .tempdir_in(&target)?;
    let config = write_config(making.path())?;
    for step in [
        &["setup", "create_enckey"][..],
        &["setup", "create_audit_keys"],
        &["setup", "create_tables"],
        &["admin", "add", "admin", "-p", "admin-password"],
    ] {
        let mut command = Command::new(venv.join("bin/pi-manage"));
        command.args(step).env("PRIVACYIDEA_CONFIGFILE", &config);
        run(&mut command, SETUP_LIMIT)?.checked()?;
    }
    let made = making.keep();
    if std::fs::rename(&made, &ready).is_err() {
        // Another test finished one first: that one is as good.
        std::fs::remove_dir_all(&made)?;
    }
    Ok(ready)
}

fn write_config(dir: &Path) -> Result<PathBuf> {
    let at = |name: &str| dir.join(name).display().to_string();
    let config = format!(
        "SQLALCHEMY_DATABASE_URI = 'sqlite:///{db}'\n\
         SECRET_KEY = 'pocket-interop-secret'\n\
         PI_PEPPER = 'pocket-interop-pepper'\n\
         PI_ENCFILE = '{enc}'\n\
         PI_AUDIT_KEY_PRIVATE = '{private}'\n\
         PI_AUDIT_KEY_PUBLIC = '{public}'\n\
         PI_LOGFILE = '{log}'\n\
         PI_LOGLEVEL = 30\n\
         SUPERUSER_REALM = ['super']\n",
        db = at(MADE[0]),
        enc = at(MADE[1]),
        private = at(MADE[2]),
        public = at(MADE[3]),
        log = at("privacyidea.log"),
    );
    let path = dir.join("pi.cfg");
    std::fs::write(&path, config)?;
    Ok(path)
}
