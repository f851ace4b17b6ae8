//! Push login latency against a local privacyIDEA: from the login's trigger to the request
//! reaching the phone (the moment the app raises its prompt event), and from the tap to the
//! server accepting the answer, over many logins, printed against the poll interval.
//! Run with `make bench` (or `cargo run -p pocket-tests --bin push-latency -- --logins N`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use pocket_core::clock::now_unix;
use pocket_core::push::{
    Answer, POLL_INTERVAL, PollTrigger, PushClient, answer, enroll, run_poller,
};
use pocket_core::vault::{MemoryStore, Vault};
use pocket_tests::privacyidea::PrivacyIdea;

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
    let pi = PrivacyIdea::start().await?;
    let dir = tempfile::tempdir()?;
    let vault = Arc::new(Mutex::new(Vault::open(
        &dir.path().join("pocket.sqlite"),
        Box::new(MemoryStore::default()),
    )?));
    let client = PushClient::new()?;
    let token = enroll(&vault, &client, &pi.enroll_push().await?, false, now_unix())
        .await?
        .token;

    // The app's poller, exactly; its callback is where the app emits the prompt event.
    let (sender, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    let poller = tokio::spawn(run_poller(
        vault.clone(),
        client.clone(),
        PollTrigger::default(),
        now_unix,
        move |round| {
            for (_, request) in round.new {
                let _ = sender.send((Instant::now(), request));
            }
        },
    ));

    let (mut to_prompt, mut to_accepted) = (Vec::new(), Vec::new());
    for login in 0..logins {
        // Logins come at any moment, not just after a poll: spread the triggers evenly over
        // the poll interval (golden-ratio steps) so the figures are not phase-locked.
        let phase = (login as f64 * 0.618_034).fract();
        tokio::time::sleep(POLL_INTERVAL.mul_f64(phase)).await;
        let triggered = Instant::now();
        let (transaction, _) = pi.trigger(&token.token.serial).await?;
        let (arrived, request) = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
            .await
            .context("no request within 30 s")?
            .context("the poller stopped")?;
        to_prompt.push(arrived - triggered);

        let tapped = Instant::now();
        let outcome = answer(
            &vault,
            &client,
            &token.id,
            &request.nonce,
            Answer::Accept,
            now_unix(),
        )
        .await?;
        to_accepted.push(tapped.elapsed());
        ensure!(outcome.as_str() == "accepted", "login {login}: {outcome:?}");
        ensure!(
            pi.poll_transaction(&transaction).await?,
            "login {login} not accepted by the server"
        );
        pi.check(&token.token.serial, &transaction).await?;
    }
    poller.abort();

    println!(
        "push logins against privacyIDEA 3.14 on loopback: {logins} logins at spread moments, poll interval {} s",
        POLL_INTERVAL.as_secs()
    );
    for (what, times) in [
        ("trigger -> prompt event", &mut to_prompt),
        ("tap -> server accepted", &mut to_accepted),
    ] {
        times.sort();
        let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
        println!(
            "  {what:<24} median {:>7.0} ms   p95 {:>7.0} ms   median / poll interval {:.2}",
            ms(at(50)),
            ms(at(95)),
            ms(at(50)) / ms(POLL_INTERVAL)
        );
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
