//! Load test of the reference service: one `pocket-gen serve` process, thousands of phones
//! paired through the web pages and waiting on held polls, and browsers logging in at a steady
//! rate. Every login must be answered exactly once and end logged in. Prints the latency from
//! the password's submission to the phone's answer being taken (p50/p99) and the service's
//! peak memory.
//!
//! The phones are pocket-core's push client (what `pocket-gen device` runs), many to a
//! process, sharing a few 2048-bit keys. Real phones make their own 4096-bit keys and sign
//! on their own CPUs; here 2,000 phones share this machine's two cores with the service, and
//! signing a poll every 20 s each with 4096-bit keys would load the phones, not the
//! service. The service verifies whatever size it gets; that cost is small either way.
//!
//! Each user's browser connects from its own loopback address (127.1.x.y), as real users
//! come from their own: the service brakes password guessing per client and counts every
//! attempt in flight against it, so a few dozen logins at once from 127.0.0.1 would (rightly)
//! look like one guesser.
//!
//! `cargo run -p pocket-tests --bin service-load -- --devices 2000 --rate 50 --seconds 60`

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use pocket_core::clock::now_unix;
use pocket_core::push::{
    Answer, PushClient, PushToken, SigningKey, parse_enrollment, verify_challenge,
};
use pocket_tests::app::workspace_binary;
use pocket_tests::reference::{ReferenceService, WebSession};
use tokio::sync::mpsc;

const SHARED_KEYS: usize = 4;
const SHARED_KEY_BITS: usize = 2048;
const PAIRING_CONCURRENCY: usize = 8;
/// How long a login may take to be answered before it counts as lost.
const LOGIN_DEADLINE: Duration = Duration::from_secs(30);

struct Options {
    devices: usize,
    rate: u32,
    seconds: u64,
}

fn options() -> Result<Options> {
    let args: Vec<String> = std::env::args().collect();
    let number = |flag: &str, default: u64| -> Result<u64> {
        match args.iter().position(|a| a == flag) {
            Some(i) => Ok(args
                .get(i + 1)
                .with_context(|| format!("{flag} needs a number"))?
                .parse()?),
            None => Ok(default),
        }
    };
    Ok(Options {
        devices: number("--devices", 2000)? as usize,
        rate: number("--rate", 50)? as u32,
        seconds: number("--seconds", 60)?,
    })
}

/// One simulated phone: its token and key.
struct Phone {
    user: usize,
    token: PushToken,
    key: Arc<SigningKey>,
}

/// What the phones report: which user's request they answered, when, and whether the
/// server took the answer.
struct Answered {
    user: usize,
    at: Instant,
    taken: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let options = options()?;
    raise_open_file_limit();
    let service = ReferenceService::start(&["--no-number-matching"])?;
    let emails = seed_users(&service, options.devices)?;
    let password = emails.1;
    let emails = emails.0;

    eprintln!("making {SHARED_KEYS} device keys…");
    let keys = make_keys().await?;
    eprintln!("pairing {} phones through the web pages…", options.devices);
    let started = Instant::now();
    let client = PushClient::new()?;
    let phones = pair_all(&service, &client, &emails, &password, &keys).await?;
    eprintln!("paired in {:.0} s", started.elapsed().as_secs_f64());

    // Every phone holds a poll open and answers what arrives.
    let (answers_in, mut answers) = mpsc::unbounded_channel();
    let polls_open = Arc::new(AtomicUsize::new(0));
    let mut fleet = tokio::task::JoinSet::new();
    for phone in phones {
        fleet.spawn(run_phone(
            phone,
            client.clone(),
            answers_in.clone(),
            polls_open.clone(),
        ));
    }
    let settle = Instant::now();
    while polls_open.load(Ordering::Relaxed) < options.devices {
        ensure!(
            settle.elapsed() < Duration::from_secs(120),
            "only {} of {} phones are waiting",
            polls_open.load(Ordering::Relaxed),
            options.devices
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!("{} phones waiting; logging in…", options.devices);

    // Browsers: `rate` logins a second, each for the next user in turn.
    let submitted: Arc<Mutex<HashMap<usize, Vec<Instant>>>> = Arc::default();
    let mut logins = tokio::task::JoinSet::new();
    let total = options.rate as usize * options.seconds as usize;
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / options.rate);
    let load_started = Instant::now();
    for n in 0..total {
        ticker.tick().await;
        let user = n % options.devices;
        let email = emails[user].clone();
        let (password, base, submitted) =
            (password.clone(), service.base.clone(), submitted.clone());
        logins.spawn(async move { log_in(user, &email, &password, &base, &submitted).await });
    }
    let offered = load_started.elapsed();
    let mut failures = Vec::new();
    while let Some(result) = logins.join_next().await {
        if let Err(error) = result? {
            failures.push(error.to_string());
        }
    }
    // A browser can see its login accepted a moment before the phone has reported its
    // answer: give the last reports a little time, then stop the phones.
    let mut by_user: HashMap<usize, Vec<Answered>> = HashMap::new();
    let mut reported = 0;
    let quiet = tokio::time::Instant::now() + Duration::from_secs(10);
    while reported < total {
        match tokio::time::timeout_at(quiet, answers.recv()).await {
            Ok(Some(answer)) => {
                reported += 1;
                by_user.entry(answer.user).or_default().push(answer);
            }
            _ => break,
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    fleet.abort_all();
    drop(answers_in);
    while let Ok(answer) = answers.try_recv() {
        by_user.entry(answer.user).or_default().push(answer);
    }

    if !failures.is_empty() {
        bail!("{} logins failed, first: {}", failures.len(), failures[0]);
    }
    // Match answers to logins: one taken answer per login, none twice.
    let submitted = std::mem::take(&mut *submitted.lock().map_err(|_| anyhow::anyhow!("lock"))?);
    let mut latencies = Vec::new();
    let mut refused_answers = 0;
    for (user, starts) in &submitted {
        let taken: Vec<&Answered> = by_user
            .get(user)
            .map(|all| all.iter().filter(|a| a.taken).collect())
            .unwrap_or_default();
        refused_answers += by_user.get(user).map_or(0, |all| all.len() - taken.len());
        ensure!(
            taken.len() == starts.len(),
            "user {user}: {} logins, {} answers taken",
            starts.len(),
            taken.len()
        );
        for (start, answer) in starts.iter().zip(taken) {
            latencies.push(answer.at.duration_since(*start));
        }
    }
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let memory = service.peak_memory_kib()?;

    println!(
        "reference service under load: {} phones waiting on held polls, {} logins at {}/s for {} s \
         (offered in {:.1} s)",
        options.devices,
        total,
        options.rate,
        options.seconds,
        offered.as_secs_f64()
    );
    println!(
        "  logins answered and logged in: {} of {total}; lost: {}; answered twice: {refused_answers}",
        latencies.len(),
        failures.len()
    );
    println!(
        "  password submitted -> phone's answer taken: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    println!(
        "  service peak memory (VmHWM): {:.1} MiB",
        memory as f64 / 1024.0
    );
    ensure!(latencies.len() == total && refused_answers == 0);
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The HTTP client settings of `user`'s browser: its own source address.
fn browser_of(user: usize) -> impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    let first = u32::from(Ipv4Addr::new(127, 1, 0, 1));
    let address = Ipv4Addr::from(first + user as u32);
    move |builder| builder.local_address(IpAddr::V4(address))
}

/// Thousands of held polls need thousands of sockets in both processes.
fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain syscalls on this process's own limits; the service inherits them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

fn seed_users(service: &ReferenceService, count: usize) -> Result<(Vec<String>, String)> {
    let output = pocket_tests::process::run(
        std::process::Command::new(workspace_binary("pocket-gen")?)
            .args(["user", "--db"])
            .arg(service.db_path())
            .args(["seed", "--count", &count.to_string(), "--prefix", "load"]),
        // Each user's password hash is an Argon2id run: 2,000 take about a minute.
        Duration::from_secs(600),
    )?
    .checked()?;
    let text = String::from_utf8(output.stdout)?;
    let password = text
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .context("no password printed")?
        .to_string();
    let emails = (0..count)
        .map(|n| format!("load{n}@example.test"))
        .collect();
    Ok((emails, password))
}

async fn make_keys() -> Result<Vec<Arc<SigningKey>>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..SHARED_KEYS {
        tasks.spawn_blocking(|| SigningKey::generate(SHARED_KEY_BITS));
    }
    let mut keys = Vec::new();
    while let Some(key) = tasks.join_next().await {
        keys.push(Arc::new(key??));
    }
    Ok(keys)
}

/// Each user logs in with the password, switches to Pocket, and a phone rolls out the QR
/// code's enrollment, a few at a time.
async fn pair_all(
    service: &ReferenceService,
    client: &PushClient,
    emails: &[String],
    password: &str,
    keys: &[Arc<SigningKey>],
) -> Result<Vec<Phone>> {
    let limit = Arc::new(tokio::sync::Semaphore::new(PAIRING_CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for (user, email) in emails.iter().enumerate() {
        let permit = limit.clone().acquire_owned().await?;
        let browser = WebSession::with(&service.base, browser_of(user))?;
        let (email, password, client) = (email.clone(), password.to_string(), client.clone());
        let key = keys[user % keys.len()].clone();
        tasks.spawn(async move {
            let _permit = permit;
            browser.log_in(&email, &password).await?;
            let enrollment = parse_enrollment(&browser.start_pairing().await?)?;
            let rollout = client.rollout(&enrollment, &key).await?;
            let token = PushToken {
                serial: enrollment.serial,
                label: enrollment.label,
                issuer: enrollment.issuer,
                url: enrollment.url,
                verify_tls: enrollment.verify_tls,
                server_key: rollout.server_key,
                unlock: None,
            };
            anyhow::Ok(Phone { user, token, key })
        });
    }
    let mut phones = Vec::new();
    while let Some(phone) = tasks.join_next().await {
        phones.push(phone??);
    }
    Ok(phones)
}

/// Holds a poll open, verifies and answers each new request once, and holds again.
async fn run_phone(
    phone: Phone,
    client: PushClient,
    answers: mpsc::UnboundedSender<Answered>,
    polls_open: Arc<AtomicUsize>,
) {
    let mut counted = false;
    let mut answered: Vec<String> = Vec::new();
    // Phones paired within a minute of each other would otherwise renew their polls in step.
    let hold = Duration::from_secs(15 + (phone.user % 11) as u64);
    loop {
        let poll = client.poll_waiting(&phone.token, &phone.key, now_unix(), Some(hold));
        if !counted {
            counted = true;
            polls_open.fetch_add(1, Ordering::Relaxed);
        }
        let challenges = match poll.await {
            Ok(polled) => polled.challenges,
            Err(error) => {
                eprintln!("phone {}: poll failed: {error}", phone.user);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        for challenge in challenges {
            let Ok(request) = verify_challenge(&phone.token, &challenge, now_unix()) else {
                eprintln!("phone {}: a challenge failed verification", phone.user);
                continue;
            };
            if answered.contains(&request.nonce) {
                continue;
            }
            answered.push(request.nonce.clone());
            let taken = client
                .answer(&phone.token, &phone.key, &request.nonce, &Answer::Accept)
                .await
                .unwrap_or(false);
            let _ = answers.send(Answered {
                user: phone.user,
                at: Instant::now(),
                taken,
            });
        }
    }
}

/// One browser login: the page, the password, then the waiting page's status until the
/// phone has answered.
async fn log_in(
    user: usize,
    email: &str,
    password: &str,
    base: &str,
    submitted: &Mutex<HashMap<usize, Vec<Instant>>>,
) -> Result<()> {
    let browser = WebSession::with(base, browser_of(user))?;
    let csrf = browser.open_login().await?;
    let started = Instant::now();
    submitted
        .lock()
        .map_err(|_| anyhow::anyhow!("lock"))?
        .entry(user)
        .or_default()
        .push(started);
    let next = browser.submit_login(email, password, &csrf).await?;
    ensure!(
        next == "/login/wait",
        "user {user}: the login went to {next}"
    );
    loop {
        match browser.login_state().await?.as_str() {
            "accepted" => return Ok(()),
            "waiting" if started.elapsed() < LOGIN_DEADLINE => {
                tokio::time::sleep(Duration::from_millis(250)).await
            }
            other => bail!("user {user}: the login ended {other}"),
        }
    }
}
