//! The command line.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use pocket_core::otp::{code_at, parse_uri};

use pocket_gen::{corpus, qr};

mod commands;
mod data;
use commands::{ServeOptions, import, inspect, out, run_device, serve};
use data::{add_user, new_totp, scan_files, scan_video, seed_users};

#[derive(Parser)]
#[command(
    name = "pocket-gen",
    version,
    about = "QA tool for the Pocket authenticator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render TEXT as a QR code: in the terminal (default), or as a PNG or SVG file.
    Qr {
        text: String,
        #[arg(long, value_name = "FILE", conflicts_with_all = ["svg", "terminal"])]
        png: Option<PathBuf>,
        #[arg(long, value_name = "FILE", conflicts_with = "terminal")]
        svg: Option<PathBuf>,
        #[arg(long)]
        terminal: bool,
    },
    /// Make a TOTP account with a new random secret: print its otpauth:// URI and its QR code.
    Totp {
        #[arg(long, default_value = "Pocket QA")]
        issuer: String,
        #[arg(long, default_value = "tester@example.com")]
        account: String,
        #[arg(long, default_value = "SHA1")]
        algorithm: String,
        #[arg(long, default_value_t = 6)]
        digits: u8,
        #[arg(long, default_value_t = 30)]
        period: u32,
        /// Also write the QR code to this PNG file.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
    },
    /// Print the QR codes pocket-core finds in each PNG or JPEG file, one line per file:
    /// the file name, then each code's text, separated by tabs. With --video, run a
    /// YUV4MPEG2 video's frames through the app's camera path and print the first code as
    /// frame, milliseconds into the video and text (exit status 1 when none holds one).
    Scan {
        #[arg(required_unless_present = "video", conflicts_with = "video")]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "FILE.y4m")]
        video: Option<PathBuf>,
    },
    /// Write a reproducible corpus of QR images (rotated, skewed, blurred, noisy, faint,
    /// inverted, tiny and huge, on photo-like backdrops, several per image, none at all)
    /// with a manifest of what each holds.
    Corpus {
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Images per category.
        #[arg(long, default_value_t = 10)]
        per_category: usize,
        /// Write camera videos instead (YUV4MPEG2, one per category: a code moving,
        /// turning, in and out of focus, in low light, partly covered, inverted, far away,
        /// and none), listed in videos.tsv.
        #[arg(long, conflicts_with = "per_category")]
        video: bool,
    },
    /// A headless phone for push logins, on the same pocket-core code as the app.
    Device {
        /// Folder for the device's state: its database and owner-only key files.
        #[arg(long, value_name = "DIR", default_value = "pocket-device")]
        state: PathBuf,
        /// Reach server NAME at ADDRESS instead of asking DNS, as curl's --resolve does (QA
        /// of servers whose certificates name hosts that DNS does not know yet).
        #[arg(long, value_name = "NAME=ADDRESS:PORT", value_parser = parse_resolve)]
        resolve: Vec<(String, std::net::SocketAddr)>,
        #[command(subcommand)]
        action: DeviceAction,
    },
    /// Run the reference login service (push server, login and security pages) on loopback.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8087")]
        listen: std::net::SocketAddr,
        /// The service's database; a new one gets a demo user, printed once.
        #[arg(long, value_name = "FILE", default_value = "pocket-service.sqlite")]
        db: PathBuf,
        /// Plain Accept/Reject requests instead of picking the number the login page shows.
        #[arg(long)]
        no_number_matching: bool,
        /// Answer polls at once instead of holding them until a request arrives, as
        /// privacyIDEA does.
        #[arg(long)]
        no_instant_delivery: bool,
        /// Do not wake phones that gave a Web Push (UnifiedPush) registration: they find
        /// requests by polling only.
        #[arg(long)]
        no_wake_ups: bool,
        /// Where browsers and phones reach the service, when that is not the listening
        /// address (behind a TLS proxy, say); pairing codes point phones there.
        #[arg(long, value_name = "URL")]
        public_url: Option<url::Url>,
        /// A proxy in front of the service (repeatable): on its requests the browser's address
        /// is the last one it adds to `X-Forwarded-For`, so the limits on guessing hold for
        /// each browser instead of for everyone at once.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Seconds a pairing QR code stays valid (QA: see the expiry without waiting).
        #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(i64).range(1..=3600))]
        enrollment_ttl: i64,
    },
    /// Users of the reference login service.
    User {
        /// The service's database.
        #[arg(long, value_name = "FILE", default_value = "pocket-service.sqlite")]
        db: PathBuf,
        #[command(subcommand)]
        action: UserAction,
    },
    /// Print the code pocket-core computes for an otpauth:// URI.
    Code {
        uri: String,
        /// Unix time to compute the code for (default: now).
        #[arg(long)]
        at: Option<u64>,
    },
    /// Check an otpauth:// URI: the parsed account as JSON, or the error as JSON (exit status 1).
    Inspect { uri: String },
    /// Read another app's export or backup (any format Pocket imports): one canonical
    /// otpauth:// link per account on standard output, each account Pocket cannot take on
    /// standard error with the reason. Exit status 1 when the file cannot be read at all.
    Import {
        /// The export; for Steam Desktop Authenticator, its maFiles folder's manifest.json
        /// (the files it lists are read from beside it) or the folder zipped.
        file: PathBuf,
        /// The file's password, when it is encrypted.
        #[arg(long)]
        password: Option<String>,
        /// A KeePass database's key file, alone or with its password.
        #[arg(long)]
        key_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DeviceAction {
    /// Enroll a push token from its otpauth://pipush/ or pia:// link, or register a
    /// privacyIDEA smartphone container from its pia://container/ link (and sync it).
    Enroll {
        uri: String,
        /// The passphrase a container registration asks for.
        #[arg(long)]
        passphrase: Option<String>,
        /// Go ahead with a server on another host that is reached over plain HTTP or without
        /// checking its certificate (sslverify=0): test set-ups only. Without it such links
        /// are refused before any connection.
        #[arg(long)]
        allow_insecure: bool,
        /// For a container: let its server recognise the time-based accounts set up here by
        /// hand whose issuer is the container's, by two old codes of each sent with its
        /// first sync, once (the output lists them). Without it no code leaves the phone.
        #[arg(long)]
        offer_held: bool,
    },
    /// Poll every token; print each new login request as a JSON line.
    Poll {
        /// Keep polling up to this many seconds until a request arrives.
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// Answer the newest open request (or --nonce N); prints the outcome, and for a login
    /// that asks for a code shown on the phone (code-to-phone) `display_code=CODE` below it.
    Answer {
        #[arg(long, group = "answer")]
        accept: bool,
        #[arg(long, group = "answer")]
        decline: bool,
        /// With --decline: unknown_trigger ("not me") or cancelled.
        #[arg(long, requires = "decline")]
        reason: Option<String>,
        /// Number matching: the option to pick.
        #[arg(long, group = "answer")]
        choice: Option<String>,
        #[arg(long)]
        nonce: Option<String>,
    },
    /// Print the current code of the device's code account (the one a pairing brought, or
    /// --issuer's), for logins where no request arrives.
    Code {
        #[arg(long, conflicts_with = "serial")]
        issuer: Option<String>,
        /// The token of a container with this serial (for HOTP, the next code; the counter is
        /// saved first).
        #[arg(long)]
        serial: Option<String>,
    },
    /// Add a code account from its otpauth:// link, as one set up before by hand.
    Add { uri: String },
    /// Sync every container; print each token held afterwards as a JSON line. Fails, with
    /// the reason, when a container could not be synced.
    Sync,
    /// Ask for a new phone's registration of the container (or --container's); its link is
    /// the last line printed.
    Transfer {
        #[arg(long)]
        container: Option<String>,
    },
    /// Unregister every container at its server; their tokens stay on the device.
    Unregister,
    /// Measure this machine's clock against every enrolled server: one JSON line each,
    /// `{"server", "offset_seconds", "uncertainty_seconds"}` (server time minus this
    /// machine's), or `{"server", "error"}`.
    Clock,
    /// How the device is woken when a login request waits for it.
    Wakeup {
        #[command(subcommand)]
        action: WakeupAction,
    },
}

#[derive(Subcommand)]
enum WakeupAction {
    /// Give the device a Web Push (UnifiedPush) channel at ENDPOINT: its P-256 key and auth
    /// secret are made (once, kept with its other keys) and every push token's server is told.
    /// Prints one JSON line: registration, endpoint, p256dh, auth (base64url), and the tokens
    /// whose server could not be told.
    Unifiedpush {
        #[arg(long)]
        endpoint: url::Url,
    },
    /// Back to being polled only; every push token's server is told.
    PollOnly,
    /// Read FILE as a push message body a distributor delivers (aes128gcm, at most 4096
    /// bytes): print the login request it brings as `poll` prints it, or fail with the reason.
    /// Nothing is polled.
    Receive { file: PathBuf },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add a user; the password is asked for (not echoed), or made up with --generate.
    Add {
        email: String,
        #[arg(long)]
        generate: bool,
    },
    /// Add COUNT users PREFIX0@example.test, PREFIX1@… with one generated password (printed),
    /// for load tests.
    Seed {
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        count: u32,
        #[arg(long, default_value = "load")]
        prefix: String,
    },
}

pub fn run() -> Result<()> {
    match Cli::parse().command {
        Command::Qr {
            text,
            png,
            svg,
            terminal: _,
        } => match (png, svg) {
            (Some(path), _) => qr::write_png(&text, &path)?,
            (_, Some(path)) => qr::write_svg(&text, &path)?,
            _ => out(&qr::terminal(&text)?)?,
        },
        Command::Totp {
            issuer,
            account,
            algorithm,
            digits,
            period,
            png,
        } => new_totp(
            &issuer,
            &account,
            &algorithm,
            digits,
            period,
            png.as_deref(),
        )?,
        Command::Scan {
            video: Some(video), ..
        } => {
            if !scan_video(&video)? {
                std::process::exit(1);
            }
        }
        Command::Scan { files, .. } => scan_files(&files)?,
        Command::Corpus {
            dir,
            seed,
            video: true,
            ..
        } => {
            let videos = corpus::generate_videos(&dir, seed)?;
            out(&format!(
                "{} videos in {}, listed in {}\n",
                videos.len(),
                dir.display(),
                dir.join(corpus::VIDEO_MANIFEST).display()
            ))?;
        }
        Command::Corpus {
            dir,
            seed,
            per_category,
            ..
        } => {
            let entries = corpus::generate(&dir, seed, per_category)?;
            out(&format!(
                "{} images in {}, listed in {}\n",
                entries.len(),
                dir.display(),
                dir.join(corpus::MANIFEST).display()
            ))?;
        }
        Command::Device {
            state,
            resolve,
            action,
        } => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(run_device(&state, &resolve, action))?;
        }
        Command::Serve {
            listen,
            db,
            no_number_matching,
            no_instant_delivery,
            no_wake_ups,
            public_url,
            trusted_proxies,
            enrollment_ttl,
        } => {
            let options = ServeOptions {
                number_matching: !no_number_matching,
                instant_delivery: !no_instant_delivery,
                wake_ups: !no_wake_ups,
                public_url,
                trusted_proxies,
                enrollment_ttl,
            };
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(serve(listen, &db, options))?;
        }
        Command::User {
            db,
            action: UserAction::Add { email, generate },
        } => add_user(&db, &email, generate)?,
        Command::User {
            db,
            action: UserAction::Seed { count, prefix },
        } => seed_users(&db, count as usize, &prefix)?,
        Command::Code { uri, at } => {
            let draft = parse_uri(&uri).context("cannot read the URI")?;
            let time = at.unwrap_or_else(pocket_core::clock::now_unix);
            out(&format!(
                "{}\n",
                code_at(&draft.params, &draft.secret, time)
            ))?;
        }
        Command::Import {
            file,
            password,
            key_file,
        } => {
            if !import(&file, password.as_deref(), key_file.as_deref())? {
                std::process::exit(1);
            }
        }
        Command::Inspect { uri } => {
            // The parsed account, or the error with its stable kind and parameter; the exit
            // status says which.
            let (report, ok) = inspect(&uri);
            out(&format!("{report}\n"))?;
            if !ok {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}

/// `NAME=ADDRESS:PORT` for `--resolve`.
fn parse_resolve(text: &str) -> Result<(String, std::net::SocketAddr), String> {
    let (name, address) = text
        .split_once('=')
        .ok_or_else(|| "expected NAME=ADDRESS:PORT".to_string())?;
    let address = address
        .parse()
        .map_err(|_| format!("{address:?} is not an ADDRESS:PORT"))?;
    Ok((name.to_string(), address))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
