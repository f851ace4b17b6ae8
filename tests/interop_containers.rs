//! privacyIDEA smartphone containers against a real privacyIDEA 3.14, with `pocket-gen
//! device` as the phone: registration, sync, codes, push logins, removal, recognising tokens
//! held before, moving to a new phone, unregistering.

use anyhow::{Context, Result, ensure};
use pocket_tests::app::unix_now;
use pocket_tests::gen_device::GenDevice;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::serial;
use pocket_tests::tamper::{Tamper, TamperProxy};
use serde_json::Value;

/// The tokens `sync` says the device holds: (serial, type).
fn synced(phone: &GenDevice) -> Result<Vec<(String, String)>> {
    let mut tokens = Vec::new();
    for line in phone.must(&["sync"])?.lines() {
        let token: Value = serde_json::from_str(line)?;
        tokens.push((
            token["serial"].as_str().context("serial")?.to_string(),
            token["type"].as_str().context("type")?.to_string(),
        ));
    }
    tokens.sort();
    Ok(tokens)
}

fn code(phone: &GenDevice, serial: &str) -> Result<String> {
    phone.must(&["code", "--serial", serial])
}

/// A container with a TOTP, an HOTP and a push token, on a server with the container and
/// push policies set.
async fn server_with_container(extra_policy: &str) -> Result<(PrivacyIdea, String, [String; 3])> {
    let pi = PrivacyIdea::start().await?;
    pi.container_policy(extra_policy).await?;
    let container = pi.init_container().await?;
    let (totp, _) = pi.enroll_otp("totp").await?;
    let (hotp, _) = pi.enroll_otp("hotp").await?;
    let push_link = pi.enroll_push().await?;
    let push = push_link
        .split("serial=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .context("no push serial")?
        .to_string();
    for token in [&totp, &hotp, &push] {
        pi.add_to_container(&container, token).await?;
    }
    Ok((pi, container, [totp, hotp, push]))
}

#[tokio::test]
async fn a_registered_phone_gets_codes_and_logins_and_follows_the_server() -> Result<()> {
    let _serial = serial().await;
    let (pi, container, [totp, hotp, push]) = server_with_container("").await?;
    let phone = GenDevice::new()?;
    let link = pi
        .registration_link(&container, Some("correct horse"))
        .await?;

    // A wrong passphrase is refused and leaves nothing; none at all is asked for first.
    let asked = phone.fails(&["enroll", &link])?;
    ensure!(asked.contains("passphrase"), "{asked}");
    let refused = phone.fails(&["enroll", &link, "--passphrase", "wrong"])?;
    ensure!(refused.contains("refused the registration"), "{refused}");
    ensure!(synced(&phone)?.is_empty());

    let registered: Value =
        serde_json::from_str(&phone.must(&["enroll", &link, "--passphrase", "correct horse"])?)?;
    assert_eq!(registered["container"], container.as_str());
    assert_eq!(registered["sync_error"], Value::Null);
    let mut expected = vec![
        (totp.clone(), "totp".to_string()),
        (hotp.clone(), "hotp".to_string()),
        (push.clone(), "push".to_string()),
    ];
    expected.sort();
    assert_eq!(synced(&phone)?, expected);

    // The codes the phone shows are the server's.
    ensure!(
        pi.validate(&totp, &code(&phone, &totp)?).await?,
        "TOTP refused"
    );
    ensure!(
        pi.validate(&hotp, &code(&phone, &hotp)?).await?,
        "HOTP refused"
    );
    ensure!(
        pi.validate(&hotp, &code(&phone, &hotp)?).await?,
        "second HOTP refused"
    );

    // The push token came by sync and took its rollout: a login is accepted through it.
    let (transaction, _) = pi.trigger(&push).await?;
    let polled = phone.must(&["poll", "--wait", "15"])?;
    ensure!(polled.contains(&push), "{polled}");
    assert_eq!(phone.must(&["answer", "--accept"])?, "accepted");
    assert_eq!(
        pi.check(&push, &transaction).await?.authentication,
        "ACCEPT"
    );

    // A token removed from the container on the server goes at the next sync.
    pi.remove_from_container(&container, &totp).await?;
    let after: Vec<String> = synced(&phone)?.into_iter().map(|t| t.0).collect();
    ensure!(!after.contains(&totp) && after.contains(&hotp), "{after:?}");

    // Unless the server forbids the phone to delete tokens: then it stays.
    pi.container_policy("disable_client_token_deletion").await?;
    synced(&phone)?;
    pi.remove_from_container(&container, &hotp).await?;
    let kept: Vec<String> = synced(&phone)?.into_iter().map(|t| t.0).collect();
    ensure!(kept.contains(&hotp), "{kept:?}");

    // Unregistering: the server forgets the phone; the phone keeps its tokens as its own.
    pi.container_policy("").await?;
    phone.must(&["unregister"])?;
    assert_eq!(pi.container_challenge_error(&container).await?, Some(3001));
    ensure!(synced(&phone)?.is_empty());
    Ok(())
}

#[tokio::test]
async fn tokens_held_before_join_and_expired_codes_are_refused() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    pi.container_policy("").await?;
    let container = pi.init_container().await?;
    let (totp, totp_link) = pi.enroll_otp("totp").await?;
    pi.add_to_container(&container, &totp).await?;
    let phone = GenDevice::new()?;
    // Set up by hand before the company used containers.
    phone.must(&["add", &totp_link])?;
    phone.must(&[
        "add",
        "otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
    ])?;

    // An expired registration code is refused before anything is sent.
    let link = pi.registration_link(&container, None).await?;
    let expired = link.replace("ttl=10", "ttl=0").replace(
        &link[link.find("time=").context("time")?..][5..15],
        "2020-01-01",
    );
    let refused = phone.fails(&["enroll", &expired])?;
    ensure!(refused.contains("expired"), "{refused}");

    // The user lets the server recognise what it may: the privacyIDEA account alone.
    let registered: Value =
        serde_json::from_str(&phone.must(&["enroll", &link, "--offer-held"])?)?;
    ensure!(
        registered["offered"].as_array().map(Vec::len) == Some(1),
        "{registered}"
    );
    // Recognised by two codes, the TOTP account joined the container rather than coming
    // twice; the GitHub account was never offered.
    let joined_at = unix_now();
    assert_eq!(synced(&phone)?, [(totp.clone(), "totp".to_string())]);
    // The server took the two codes sent as used: the account's next one logs in.
    let next_period = (joined_at / 30 + 1) * 30;
    tokio::time::sleep(std::time::Duration::from_secs(
        next_period.saturating_sub(unix_now()) + 1,
    ))
    .await;
    ensure!(
        pi.validate(&totp, &code(&phone, &totp)?).await?,
        "the joined account's code was refused"
    );
    Ok(())
}

#[tokio::test]
async fn a_container_moves_to_a_new_phone_with_new_secrets() -> Result<()> {
    let _serial = serial().await;
    let (pi, container, [totp, _, push]) =
        // Written as administrators write it through the API: privacyIDEA then returns the
        // policy as the string "True", which Pocket reads as privacyIDEA does.
        server_with_container("container_client_rollover=True").await?;
    let old_phone = GenDevice::new()?;
    let new_phone = GenDevice::new()?;
    old_phone.must(&["enroll", &pi.registration_link(&container, None).await?])?;
    let old_code = code(&old_phone, &totp)?;

    let transfer = old_phone.must(&["transfer"])?;
    let link = transfer.lines().last().context("no link")?.to_string();
    ensure!(link.starts_with("pia://container/"), "{link}");
    new_phone.must(&["enroll", &link])?;
    let tokens: Vec<String> = synced(&new_phone)?.into_iter().map(|t| t.0).collect();
    ensure!(
        tokens.contains(&totp) && tokens.contains(&push),
        "{tokens:?}"
    );

    // New secrets: the new phone's code works, the old phone's does not.
    let new_code = code(&new_phone, &totp)?;
    ensure!(new_code != old_code, "the secret did not change");
    ensure!(
        pi.validate(&totp, &new_code).await?,
        "new phone's code refused"
    );
    ensure!(
        !pi.validate(&totp, &code(&old_phone, &totp)?).await?,
        "old phone's code still works"
    );

    // The old phone learns that the container moved.
    let moved = old_phone.fails(&["sync"])?;
    ensure!(moved.contains("container_moved"), "{moved}");
    // A login goes to the new phone.
    let (transaction, _) = pi.trigger(&push).await?;
    new_phone.must(&["poll", "--wait", "15"])?;
    assert_eq!(new_phone.must(&["answer", "--accept"])?, "accepted");
    assert_eq!(
        pi.check(&push, &transaction).await?.authentication,
        "ACCEPT"
    );
    Ok(())
}

// The proxy runs on the runtime while the phone's commands block a thread of their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_and_replayed_syncs_change_nothing() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let proxy = TamperProxy::start(&pi.base).await?;
    pi.container_policy_at(&proxy.base, "").await?;
    let container = pi.init_container().await?;
    let (first, _) = pi.enroll_otp("totp").await?;
    pi.add_to_container(&container, &first).await?;
    let phone = GenDevice::new()?;
    phone.must(&["enroll", &pi.registration_link(&container, None).await?])?;
    let before = vec![(first.clone(), "totp".to_string())];
    assert_eq!(synced(&phone)?, before);
    // That sync, recorded and sent again: its challenge is spent.
    let spent = proxy
        .last_sync_request()
        .context("no sync passed the proxy")?;
    assert_eq!(pi.replay_sync(spent).await?, Some(3002));
    let (second, _) = pi.enroll_otp("totp").await?;
    pi.add_to_container(&container, &second).await?;

    // The reply's tag changed on the way: refused, the phone's tokens as they were.
    proxy.set(Tamper::ReplyTag);
    let out = phone.run(&["sync"])?;
    let stderr = out.stderr_text();
    ensure!(
        !out.success() && stderr.contains("server_reply"),
        "{stderr}"
    );
    ensure!(out.stdout_text().lines().count() == 1);

    // The phone's list changed after signing: the server refuses it, nothing changes.
    proxy.set(Tamper::RequestBody);
    let out = phone.run(&["sync"])?;
    ensure!(!out.success());
    ensure!(out.stdout_text().lines().count() == 1);

    // Untouched, the same sync goes through: nothing above stopped the container for good.
    proxy.set(Tamper::Nothing);
    let mut after = vec![
        (first.clone(), "totp".to_string()),
        (second.clone(), "totp".to_string()),
    ];
    after.sort();
    assert_eq!(synced(&phone)?, after);
    Ok(())
}

/// How many of a sync request's tokens are sent as codes (accounts offered for recognition).
fn codes_in(sync_request: &[u8]) -> Result<usize> {
    let form: Vec<(String, String)> = reqwest::Url::parse(&format!(
        "http://x/?{}",
        String::from_utf8_lossy(sync_request)
    ))?
    .query_pairs()
    .map(|(k, v)| (k.into_owned(), v.into_owned()))
    .collect();
    let dict = form
        .iter()
        .find(|(k, _)| k == "container_dict_client")
        .context("no container_dict_client in the sync")?;
    let dict: Value = serde_json::from_str(&dict.1)?;
    Ok(dict["tokens"]
        .as_array()
        .context("no tokens in the sync")?
        .iter()
        .filter(|token| token.get("otp").is_some())
        .count())
}

/// The codes of an account set up by hand are the user's: two companies on privacyIDEA's
/// default issuer, or a QR code naming any issuer, must not get them unasked. They go to a
/// container's server only when the user chose the account at registration, and once: a
/// first sync that fails does not send them again.
// The proxy runs on the runtime while the phone's commands block a thread of their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_accounts_codes_go_only_when_chosen_and_only_once() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let proxy = TamperProxy::start(&pi.base).await?;
    pi.container_policy_at(&proxy.base, "").await?;
    let (_, totp_link) = pi.enroll_otp("totp").await?;
    // Set up by hand, under privacyIDEA's default issuer, which the containers name too.
    let held = || -> Result<GenDevice> {
        let phone = GenDevice::new()?;
        phone.must(&["add", &totp_link])?;
        Ok(phone)
    };

    // Registered without a choice: the first sync and the next carry no code.
    let phone = held()?;
    let unasked = pi.init_container().await?;
    phone.must(&["enroll", &pi.registration_link(&unasked, None).await?])?;
    let first = proxy.last_sync_request().context("no sync passed")?;
    ensure!(codes_in(&first)? == 0, "codes went unasked");
    phone.run(&["sync"])?;
    let next = proxy.last_sync_request().context("no sync passed")?;
    ensure!(codes_in(&next)? == 0, "codes went unasked at the next sync");

    // Chosen, on a server whose first reply does not open: the codes went once, and the
    // syncs after that one carry none.
    let phone = held()?;
    let chosen = pi.init_container().await?;
    proxy.set(Tamper::ReplyTag);
    let registered: Value = serde_json::from_str(&phone.must(&[
        "enroll",
        &pi.registration_link(&chosen, None).await?,
        "--offer-held",
    ])?)?;
    ensure!(registered["sync_error"].is_string(), "{registered}");
    let offered = proxy.last_sync_request().context("no sync passed")?;
    ensure!(
        codes_in(&offered)? == 1,
        "the chosen account was not offered"
    );
    proxy.set(Tamper::Nothing);
    phone.run(&["sync"])?;
    let again = proxy.last_sync_request().context("no sync passed")?;
    ensure!(codes_in(&again)? == 0, "the codes went a second time");
    Ok(())
}
