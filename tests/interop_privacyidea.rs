//! Pocket's push client against a real privacyIDEA 3.14 on loopback: enrollment, polling,
//! accepting, declining, number matching, and what must be refused.

use anyhow::{Context, Result, ensure};
use pocket_core::push::{
    Answer, DEVICE_KEY_BITS, DeclineReason, Dropped, PushClient, PushRequest, PushToken,
    SigningKey, parse_enrollment, verify_challenge, wire,
};
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::serial;

fn now() -> u64 {
    pocket_core::clock::now_unix()
}

/// A phone with one push token, enrolled from the server's QR code text.
struct Phone {
    client: PushClient,
    key: SigningKey,
    token: PushToken,
}

impl Phone {
    async fn enroll(uri: &str) -> Result<Phone> {
        let enrollment = parse_enrollment(uri)?;
        let key = SigningKey::generate(DEVICE_KEY_BITS)?;
        let client = PushClient::new()?;
        let server_key = client.rollout(&enrollment, &key).await?.server_key;
        let token = PushToken {
            serial: enrollment.serial,
            label: enrollment.label,
            issuer: enrollment.issuer,
            url: enrollment.url,
            verify_tls: enrollment.verify_tls,
            server_key,
            unlock: None,
        };
        Ok(Phone { client, key, token })
    }

    /// Polls and verifies; returns the one request the server has open.
    async fn the_request(&self) -> Result<PushRequest> {
        let challenges = self.client.poll(&self.token, &self.key, now()).await?;
        ensure!(
            challenges.len() == 1,
            "expected one open challenge, got {challenges:?}"
        );
        verify_challenge(&self.token, &challenges[0], now())
            .map_err(|d| anyhow::anyhow!("dropped: {d:?}"))
    }

    async fn answer(&self, request: &PushRequest, answer: Answer) -> Result<bool> {
        Ok(self
            .client
            .answer(&self.token, &self.key, &request.nonce, &answer)
            .await?)
    }
}

#[tokio::test]
async fn push_logins_against_privacyidea() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let uri = pi.enroll_push().await?;
    let phone = Phone::enroll(&uri).await?;
    assert_eq!(phone.token.url.as_str(), pi.push_url());

    // The rollout cannot be replayed: the token has left `clientwait`.
    let again = phone
        .client
        .rollout(&parse_enrollment(&uri)?, &phone.key)
        .await;
    assert_eq!(
        again.err().map(|e| e.code()),
        Some("server_refused"),
        "a replayed rollout must be refused"
    );

    // Accept: the login page's poll turns true and the login is accepted.
    let (transaction, _) = pi.trigger(&phone.token.serial).await?;
    let request = phone.the_request().await?;
    assert_eq!(request.question, "Log in to the Pocket test service?");
    assert_eq!(request.title, "Pocket interop");
    assert!(request.presence_options.is_empty());
    assert!(!pi.poll_transaction(&transaction).await?);
    assert!(phone.answer(&request, Answer::Accept).await?);
    assert!(pi.poll_transaction(&transaction).await?);
    assert_eq!(
        pi.check(&phone.token.serial, &transaction)
            .await?
            .authentication,
        "ACCEPT"
    );

    // A second answer to the same challenge is refused.
    let second = phone.answer(&request, Answer::Accept).await;
    assert!(
        !matches!(second, Ok(true)),
        "a second answer was taken: {second:?}"
    );

    // Decline, with "I did not try to log in" where the server takes a reason.
    let (transaction, _) = pi.trigger(&phone.token.serial).await?;
    let request = phone.the_request().await?;
    let reason = request.takes_decline_reason.then_some(DeclineReason::NotMe);
    assert!(phone.answer(&request, Answer::Decline { reason }).await?);
    assert!(!pi.poll_transaction(&transaction).await?);
    assert_eq!(
        pi.check(&phone.token.serial, &transaction)
            .await?
            .authentication,
        "REJECT"
    );
    println!(
        "privacyIDEA advertises decline reasons: {}",
        request.takes_decline_reason
    );
    Ok(())
}

#[tokio::test]
async fn number_matching_against_privacyidea() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    pi.set_policy(
        "pocket-presence",
        "authentication",
        "push_require_presence=1, push_presence_options=NUMERIC, push_presence_num_options=3",
    )
    .await?;
    let phone = Phone::enroll(&pi.enroll_push().await?).await?;

    // The right number: accepted.
    let (transaction, reply) = pi.trigger(&phone.token.serial).await?;
    let right = presence_answer(&reply)?;
    let request = phone.the_request().await?;
    assert_eq!(request.presence_options.len(), 3, "{request:?}");
    assert!(request.presence_options.contains(&right));
    assert!(phone.answer(&request, Answer::Presence(right)).await?);
    assert_eq!(
        pi.check(&phone.token.serial, &transaction)
            .await?
            .authentication,
        "ACCEPT"
    );

    // A wrong number: not accepted.
    let (transaction, reply) = pi.trigger(&phone.token.serial).await?;
    let right = presence_answer(&reply)?;
    let request = phone.the_request().await?;
    let wrong = request
        .presence_options
        .iter()
        .find(|o| **o != right)
        .context("no wrong option")?
        .clone();
    assert!(!phone.answer(&request, Answer::Presence(wrong)).await?);
    assert!(!pi.poll_transaction(&transaction).await?);
    assert_ne!(
        pi.check(&phone.token.serial, &transaction)
            .await?
            .authentication,
        "ACCEPT"
    );
    Ok(())
}

#[tokio::test]
async fn what_must_be_refused_is_refused() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let phone = Phone::enroll(&pi.enroll_push().await?).await?;
    pi.trigger(&phone.token.serial).await?;
    let challenges = phone.client.poll(&phone.token, &phone.key, now()).await?;
    let genuine = challenges.first().context("no challenge")?.clone();

    // A challenge whose text was changed on the way is never shown.
    let tampered = wire::Challenge {
        question: "Approve a payment of €1000?".into(),
        ..genuine.clone()
    };
    assert_eq!(
        verify_challenge(&phone.token, &tampered, now()),
        Err(Dropped::BadSignature)
    );
    let other_url = wire::Challenge {
        url: "http://127.0.0.1:1/ttype/push".into(),
        ..genuine.clone()
    };
    assert_eq!(
        verify_challenge(&phone.token, &other_url, now()),
        Err(Dropped::WrongUrl)
    );
    let other_serial = wire::Challenge {
        serial: "PIPU0000FFFF".into(),
        ..genuine.clone()
    };
    assert_eq!(
        verify_challenge(&phone.token, &other_serial, now()),
        Err(Dropped::WrongSerial)
    );
    assert!(verify_challenge(&phone.token, &genuine, now()).is_ok());

    // A poll whose timestamp is more than a minute off is refused, with a clear error.
    let stale = phone
        .client
        .poll(&phone.token, &phone.key, now() - 300)
        .await;
    assert_eq!(stale.err().map(|e| e.code()), Some("server_refused"));
    let fresh = phone.client.poll(&phone.token, &phone.key, now()).await?;
    assert_eq!(fresh.len(), 1);
    Ok(())
}

#[tokio::test]
async fn every_presence_option_type_and_the_code_shown_on_the_phone() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let phone = Phone::enroll(&pi.enroll_push().await?).await?;
    let custom = ["Red", "Green", "Blue", "Yellow"];
    for (kind, extra) in [
        ("ALPHABETIC", String::new()),
        (
            "CUSTOM",
            format!(", push_presence_custom_options={}", custom.join(":")),
        ),
    ] {
        pi.set_policy(
            "pocket-presence",
            "authentication",
            &format!(
                "push_require_presence=1, push_presence_options={kind}, push_presence_num_options=3{extra}"
            ),
        )
        .await?;
        let (transaction, reply) = pi.trigger(&phone.token.serial).await?;
        let right = presence_answer(&reply)?;
        let request = phone.the_request().await?;
        assert_eq!(request.presence_options.len(), 3, "{kind}: {request:?}");
        let fits = |o: &String| match kind {
            "ALPHABETIC" => o.len() == 1 && o.chars().all(|c| c.is_ascii_uppercase()),
            _ => custom.contains(&o.as_str()),
        };
        ensure!(
            request.presence_options.iter().all(fits),
            "{kind}: {:?}",
            request.presence_options
        );
        ensure!(request.presence_options.contains(&right), "{kind}: {right}");
        assert!(phone.answer(&request, Answer::Presence(right)).await?);
        assert_eq!(
            pi.check(&phone.token.serial, &transaction)
                .await?
                .authentication,
            "ACCEPT",
            "{kind}"
        );
    }
    pi.delete_policy("pocket-presence").await?;

    // Code-to-phone: a verified accept brings the code; the login page takes it, and only it.
    pi.set_policy(
        "pocket-code-to-phone",
        "authentication",
        "push_code_to_phone=True",
    )
    .await?;
    let (transaction, _) = pi.trigger(&phone.token.serial).await?;
    let request = phone.the_request().await?;
    let reply = phone
        .client
        .answer_reply(&phone.token, &phone.key, &request.nonce, &Answer::Accept)
        .await?;
    let code = reply.display_code.clone().context("no code to show")?;
    ensure!(reply.taken && code.len() == 2, "{reply:?}");
    let wrong = if code == "00" { "11" } else { "00" };
    assert_ne!(
        pi.check_with(&phone.token.serial, &transaction, wrong)
            .await?
            .authentication,
        "ACCEPT"
    );
    assert_eq!(
        pi.check_with(&phone.token.serial, &transaction, &code)
            .await?
            .authentication,
        "ACCEPT"
    );
    Ok(())
}

/// The number the login page shows the user under number matching.
fn presence_answer(reply: &serde_json::Value) -> Result<String> {
    if let Some(answer) = reply["detail"]["presence_answer"].as_str() {
        return Ok(answer.to_string());
    }
    let message = reply["detail"]["message"].as_str().context("no message")?;
    Ok(message
        .rsplit(':')
        .next()
        .context("no number in the message")?
        .trim()
        .to_string())
}

#[tokio::test]
async fn the_phone_flow_enrolls_polls_and_answers_once() -> Result<()> {
    use pocket_core::flows::{answer, enroll, poll_once};
    use pocket_core::push::PushClient;
    use pocket_core::vault::{MemoryStore, Outcome, Vault};
    use std::sync::{Arc, Mutex};

    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let dir = tempfile::tempdir()?;
    let store = Arc::new(MemoryStore::default());
    let vault = Arc::new(Mutex::new(Vault::open(
        &dir.path().join("pocket.sqlite"),
        Box::new(store.clone()),
    )?));
    let client = PushClient::new()?;

    let uri = pi.enroll_push().await?;
    let token = enroll(&vault, &client, &uri, false, now()).await?.token;
    assert_eq!(store.len(), 1, "the device key is in the keychain");
    // The same QR code again: refused before anything reaches the server.
    let again = enroll(&vault, &client, &uri, false, now()).await;
    assert_eq!(again.err().map(|e| e.code()), Some("duplicate_account"));

    let (transaction, _) = pi.trigger(&token.token.serial).await?;
    let round = poll_once(&vault, &client, now()).await?;
    assert!(round.failures.is_empty(), "{:?}", round.failures);
    let [(_, request)] = round.new.as_slice() else {
        anyhow::bail!("expected one new request: {round:?}")
    };
    // Polled again while still open, it is not new.
    assert!(poll_once(&vault, &client, now()).await?.new.is_empty());

    let outcome = answer(
        &vault,
        &client,
        &token.id,
        &request.nonce,
        Answer::Accept,
        now(),
    )
    .await
    .map(|answered| answered.outcome)?;
    assert_eq!(outcome, Outcome::Accepted);
    assert!(pi.poll_transaction(&transaction).await?);
    // A second tap does not send a second answer; it reports what happened.
    let again = answer(
        &vault,
        &client,
        &token.id,
        &request.nonce,
        Answer::Decline { reason: None },
        now(),
    )
    .await
    .map(|answered| answered.outcome)?;
    assert_eq!(again, Outcome::Accepted);
    assert_eq!(
        pi.check(&token.token.serial, &transaction)
            .await?
            .authentication,
        "ACCEPT"
    );
    let history = vault
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .request_history(10)?;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].outcome, Outcome::Accepted);
    Ok(())
}
