//! Push login latency on loopback: from the login to the request reaching the phone (the
//! moment the app's poller, or a wake-up, hands it over for the prompt), and from the tap to
//! the server accepting the answer. Against privacyIDEA polling every 3 s and woken through
//! pocket-relay (its HTTP gateway → the relay → a stand-in UnifiedPush server → the phone's
//! `receive_wakeup`, as the app's connector calls it), and the reference service, polling and
//! with its instant delivery, in one run.
//! Run with `make bench` (or `cargo run -p pocket-tests --bin push-latency -- --logins N`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use pocket_core::clock::now_unix;
use pocket_core::flows::{
    POLL_INTERVAL, PollTrigger, answer, enroll, receive_wakeup, run_poller, set_wake_channel,
    web_push_channel,
};
use pocket_core::push::{Answer, PushClient};
use pocket_core::vault::{MemoryStore, SharedVault, Vault, exclusive};
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::push_services;
use pocket_tests::reference::{ReferenceService, WebSession};
use pocket_tests::relay::{Relay, SECRET};

enum Server {
    PrivacyIdea(PrivacyIdea),
    Reference(ReferenceService),
}

/// A login in flight, to be confirmed on the server after the phone's answer.
enum Login {
    PrivacyIdea { serial: String, transaction: String },
    Reference(WebSession),
}

impl Server {
    async fn enrollment_link(&self) -> Result<String> {
        match self {
            Server::PrivacyIdea(pi) => pi.enroll_push().await,
            Server::Reference(service) => {
                let browser = WebSession::new(service)?;
                browser
                    .log_in(&service.demo_email, &service.demo_password)
                    .await?;
                browser.start_pairing().await
            }
        }
    }

    /// Everything before the moment the user submits (loading the login page) is done
    /// first; the returned instant is when the login is sent.
    async fn log_in(&self, serial: &str) -> Result<(Instant, Login)> {
        match self {
            Server::PrivacyIdea(pi) => {
                let started = Instant::now();
                let (transaction, _) = pi.trigger(serial).await?;
                let login = Login::PrivacyIdea {
                    serial: serial.to_string(),
                    transaction,
                };
                Ok((started, login))
            }
            Server::Reference(service) => {
                let browser = WebSession::new(service)?;
                let csrf = browser.open_login().await?;
                let started = Instant::now();
                let next = browser
                    .submit_login(&service.demo_email, &service.demo_password, &csrf)
                    .await?;
                ensure!(next == "/login/wait", "the login went to {next}");
                Ok((started, Login::Reference(browser)))
            }
        }
    }

    async fn confirm(&self, login: Login) -> Result<()> {
        match (self, login) {
            (
                Server::PrivacyIdea(pi),
                Login::PrivacyIdea {
                    serial,
                    transaction,
                },
            ) => {
                ensure!(pi.poll_transaction(&transaction).await?, "not accepted");
                pi.check(&serial, &transaction).await?;
            }
            (Server::Reference(_), Login::Reference(browser)) => {
                let state = browser.login_state().await?;
                ensure!(state == "accepted", "the browser sees {state}");
            }
            _ => unreachable!("a login belongs to its server"),
        }
        Ok(())
    }
}

struct Figures {
    to_prompt: Vec<Duration>,
    to_accepted: Vec<Duration>,
}

/// Where wake-ups come from: the push service stand-in a relay delivers to.
type Arrival = (Instant, pocket_core::push::PushRequest);

/// The phone's side of wake-ups, as the app's connector does it: its Web Push channel at the
/// stand-in, and every message the stand-in takes read at once; each also wakes the poller.
async fn take_wake_ups(
    vault: &SharedVault,
    client: &PushClient,
    service: &push_services::Running,
    trigger: PollTrigger,
    arrivals: tokio::sync::mpsc::UnboundedSender<Arrival>,
) -> Result<tokio::task::JoinHandle<()>> {
    let channel = web_push_channel(&mut exclusive(vault), service.url("/push/bench"))?;
    set_wake_channel(vault, client, &channel, &now_unix).await?;
    let mut taken = service.script.forward();
    let vault = vault.clone();
    Ok(tokio::spawn(async move {
        while let Some(message) = taken.recv().await {
            trigger.poll_now();
            let vault = vault.clone();
            let read = tokio::task::spawn_blocking(move || {
                receive_wakeup(&vault, &message.body, now_unix())
            })
            .await;
            if let Ok(Ok(woken)) = read {
                let _ = arrivals.send((Instant::now(), woken.request));
            }
        }
    }))
}

async fn measure(
    server: &Server,
    logins: usize,
    woken_by: Option<&push_services::Running>,
) -> Result<Figures> {
    let dir = tempfile::tempdir()?;
    let vault = Arc::new(Mutex::new(Vault::open(
        &dir.path().join("pocket.sqlite"),
        Box::new(MemoryStore::default()),
    )?));
    let client = PushClient::new()?;
    let trigger = PollTrigger::default();
    let (sender, mut arrivals) = tokio::sync::mpsc::unbounded_channel::<Arrival>();
    let wake_ups = match woken_by {
        Some(service) => {
            Some(take_wake_ups(&vault, &client, service, trigger.clone(), sender.clone()).await?)
        }
        None => None,
    };
    let link = server.enrollment_link().await?;
    let token = enroll(&vault, &client, &link, false, now_unix())
        .await?
        .token;

    // The app's poller, exactly; its callback is where the app emits the prompt event.
    let poller = tokio::spawn(run_poller(
        vault.clone(),
        client.clone(),
        trigger,
        now_unix,
        move |round| {
            for (_, request) in round.new {
                let _ = sender.send((Instant::now(), request));
            }
        },
    ));
    // Let the first round see the server's offers before the clock starts.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut figures = Figures {
        to_prompt: Vec::new(),
        to_accepted: Vec::new(),
    };
    for login in 0..logins {
        // Logins come at any moment, not just after a poll: spread them evenly over the
        // poll interval (golden-ratio steps) so the figures are not phase-locked.
        let phase = (login as f64 * 0.618_034).fract();
        tokio::time::sleep(POLL_INTERVAL.mul_f64(phase)).await;
        let (started, pending) = server.log_in(&token.token.serial).await?;
        let (arrived, request) = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
            .await
            .context("no request within 30 s")?
            .context("the poller stopped")?;
        figures.to_prompt.push(arrived - started);

        let tapped = Instant::now();
        let outcome = answer(
            &vault,
            &client,
            &token.id,
            &request.nonce,
            Answer::Accept,
            now_unix(),
        )
        .await
        .map(|answered| answered.outcome)?;
        figures.to_accepted.push(tapped.elapsed());
        ensure!(outcome.as_str() == "accepted", "login {login}: {outcome:?}");
        server.confirm(pending).await?;
    }
    poller.abort();
    if let Some(wake_ups) = wake_ups {
        wake_ups.abort();
    }
    Ok(figures)
}

fn at(times: &mut [Duration], percent: usize) -> Duration {
    times.sort();
    times[(times.len() * percent / 100).min(times.len() - 1)]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let logins: usize = match args.iter().position(|a| a == "--logins") {
        Some(i) => args
            .get(i + 1)
            .context("--logins needs a number")?
            .parse()?,
        None => 50,
    };
    let mut runs = Vec::new();
    let pi = Server::PrivacyIdea(PrivacyIdea::start().await?);
    runs.push((
        "privacyIDEA 3.14, polling",
        measure(&pi, logins, None).await?,
    ));
    drop(pi);
    let pi = PrivacyIdea::start().await?;
    let relay = Relay::start().await?;
    pi.use_relay(&relay.gateway(), SECRET).await?;
    let push_service = push_services::web_push().await;
    let pi = Server::PrivacyIdea(pi);
    runs.push((
        "privacyIDEA 3.14, woken",
        measure(&pi, logins, Some(&push_service)).await?,
    ));
    drop((pi, relay));
    let polling = ["--no-number-matching", "--no-instant-delivery"];
    let reference = Server::Reference(ReferenceService::start(&polling)?);
    runs.push((
        "reference service, polling",
        measure(&reference, logins, None).await?,
    ));
    drop(reference);
    let reference = Server::Reference(ReferenceService::start(&["--no-number-matching"])?);
    runs.push((
        "reference service, instant",
        measure(&reference, logins, None).await?,
    ));

    println!(
        "push logins on loopback: {logins} per server at spread moments; Pocket polls every {} s \
         unless the server offers instant delivery or a wake-up comes",
        POLL_INTERVAL.as_secs()
    );
    println!(
        "  {:<28} {:>26}   {:>26}",
        "", "login -> prompt event", "tap -> server accepted"
    );
    let polling_median = ms(at(&mut runs[0].1.to_prompt, 50));
    for (name, figures) in &mut runs {
        let prompt = (
            at(&mut figures.to_prompt, 50),
            at(&mut figures.to_prompt, 95),
        );
        let tap = (
            at(&mut figures.to_accepted, 50),
            at(&mut figures.to_accepted, 95),
        );
        println!(
            "  {name:<28} median {:>6.0} ms p95 {:>6.0} ms   median {:>6.0} ms p95 {:>6.0} ms   \
             median / privacyIDEA polling {:.3}",
            ms(prompt.0),
            ms(prompt.1),
            ms(tap.0),
            ms(tap.1),
            ms(prompt.0) / polling_median,
        );
    }
    Ok(())
}
