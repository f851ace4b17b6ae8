//! privacyIDEA smartphone containers against a real privacyIDEA 3.14, with `pocket-gen
//! device` as the phone: registration, sync, codes, push logins, removal, recognising tokens
//! held before, moving to a new phone, unregistering.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, Result, ensure};
use pocket_tests::app::{unix_now, workspace_binary};
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::serial;
use pocket_tests::tamper::{Tamper, TamperProxy};
use serde_json::Value;

fn run(state: &Path, args: &[&str]) -> Result<Output> {
    Ok(Command::new(workspace_binary("pocket-gen")?)
        .arg("device")
        .arg("--state")
        .arg(state)
        .args(args)
        .output()?)
}

fn device(state: &Path, args: &[&str]) -> Result<String> {
    let out = run(state, args)?;
    ensure!(
        out.status.success(),
        "pocket-gen device {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// `device` that must fail; its standard error.
fn device_fails(state: &Path, args: &[&str]) -> Result<String> {
    let out = run(state, args)?;
    ensure!(
        !out.status.success(),
        "pocket-gen device {args:?} should have failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The tokens `sync` says the device holds: (serial, type).
fn synced(state: &Path) -> Result<Vec<(String, String)>> {
    let mut tokens = Vec::new();
    for line in device(state, &["sync"])?.lines() {
        let token: Value = serde_json::from_str(line)?;
        tokens.push((
            token["serial"].as_str().context("serial")?.to_string(),
            token["type"].as_str().context("type")?.to_string(),
        ));
    }
    tokens.sort();
    Ok(tokens)
}

fn code(state: &Path, serial: &str) -> Result<String> {
    Ok(device(state, &["code", "--serial", serial])?
        .trim()
        .to_string())
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
    let phone = tempfile::tempdir()?;
    let link = pi
        .registration_link(&container, Some("correct horse"))
        .await?;

    // A wrong passphrase is refused and leaves nothing; none at all is asked for first.
    let asked = device_fails(phone.path(), &["enroll", &link])?;
    ensure!(asked.contains("passphrase"), "{asked}");
    let refused = device_fails(phone.path(), &["enroll", &link, "--passphrase", "wrong"])?;
    ensure!(refused.contains("refused the registration"), "{refused}");
    ensure!(synced(phone.path())?.is_empty());

    let registered: Value = serde_json::from_str(&device(
        phone.path(),
        &["enroll", &link, "--passphrase", "correct horse"],
    )?)?;
    assert_eq!(registered["container"], container.as_str());
    assert_eq!(registered["sync_error"], Value::Null);
    let mut expected = vec![
        (totp.clone(), "totp".to_string()),
        (hotp.clone(), "hotp".to_string()),
        (push.clone(), "push".to_string()),
    ];
    expected.sort();
    assert_eq!(synced(phone.path())?, expected);

    // The codes the phone shows are the server's.
    ensure!(
        pi.validate(&totp, &code(phone.path(), &totp)?).await?,
        "TOTP refused"
    );
    ensure!(
        pi.validate(&hotp, &code(phone.path(), &hotp)?).await?,
        "HOTP refused"
    );
    ensure!(
        pi.validate(&hotp, &code(phone.path(), &hotp)?).await?,
        "second HOTP refused"
    );

    // The push token came by sync and took its rollout: a login is accepted through it.
    let (transaction, _) = pi.trigger(&push).await?;
    let polled = device(phone.path(), &["poll", "--wait", "15"])?;
    ensure!(polled.contains(&push), "{polled}");
    assert_eq!(
        device(phone.path(), &["answer", "--accept"])?.trim(),
        "accepted"
    );
    assert_eq!(
        pi.check(&push, &transaction).await?.authentication,
        "ACCEPT"
    );

    // A token removed from the container on the server goes at the next sync.
    pi.remove_from_container(&container, &totp).await?;
    let after: Vec<String> = synced(phone.path())?.into_iter().map(|t| t.0).collect();
    ensure!(!after.contains(&totp) && after.contains(&hotp), "{after:?}");

    // Unless the server forbids the phone to delete tokens: then it stays.
    pi.container_policy("disable_client_token_deletion").await?;
    synced(phone.path())?;
    pi.remove_from_container(&container, &hotp).await?;
    let kept: Vec<String> = synced(phone.path())?.into_iter().map(|t| t.0).collect();
    ensure!(kept.contains(&hotp), "{kept:?}");

    // Unregistering: the server forgets the phone; the phone keeps its tokens as its own.
    pi.container_policy("").await?;
    device(phone.path(), &["unregister"])?;
    assert_eq!(pi.container_challenge_error(&container).await?, Some(3001));
    ensure!(synced(phone.path())?.is_empty());
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
    let phone = tempfile::tempdir()?;
    // Set up by hand before the company used containers.
    device(phone.path(), &["add", &totp_link])?;
    device(
        phone.path(),
        &[
            "add",
            "otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
        ],
    )?;

    // An expired registration code is refused before anything is sent.
    let link = pi.registration_link(&container, None).await?;
    let expired = link.replace("ttl=10", "ttl=0").replace(
        &link[link.find("time=").context("time")?..][5..15],
        "2020-01-01",
    );
    let refused = device_fails(phone.path(), &["enroll", &expired])?;
    ensure!(refused.contains("expired"), "{refused}");

    device(phone.path(), &["enroll", &link])?;
    // Recognised by two codes, the TOTP account joined the container rather than coming
    // twice; the GitHub account was never offered.
    let joined_at = unix_now();
    assert_eq!(synced(phone.path())?, [(totp.clone(), "totp".to_string())]);
    // The server took the two codes sent as used: the account's next one logs in.
    while unix_now() / 30 <= joined_at / 30 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    ensure!(
        pi.validate(&totp, &code(phone.path(), &totp)?).await?,
        "the joined account's code was refused"
    );
    Ok(())
}

#[tokio::test]
async fn a_container_moves_to_a_new_phone_with_new_secrets() -> Result<()> {
    let _serial = serial().await;
    let (pi, container, [totp, _, push]) =
        server_with_container("container_client_rollover").await?;
    let old_phone = tempfile::tempdir()?;
    let new_phone = tempfile::tempdir()?;
    device(
        old_phone.path(),
        &["enroll", &pi.registration_link(&container, None).await?],
    )?;
    let old_code = code(old_phone.path(), &totp)?;

    let transfer = device(old_phone.path(), &["transfer"])?;
    let link = transfer.lines().last().context("no link")?.to_string();
    ensure!(link.starts_with("pia://container/"), "{link}");
    device(new_phone.path(), &["enroll", &link])?;
    let tokens: Vec<String> = synced(new_phone.path())?.into_iter().map(|t| t.0).collect();
    ensure!(
        tokens.contains(&totp) && tokens.contains(&push),
        "{tokens:?}"
    );

    // New secrets: the new phone's code works, the old phone's does not.
    let new_code = code(new_phone.path(), &totp)?;
    ensure!(new_code != old_code, "the secret did not change");
    ensure!(
        pi.validate(&totp, &new_code).await?,
        "new phone's code refused"
    );
    ensure!(
        !pi.validate(&totp, &code(old_phone.path(), &totp)?).await?,
        "old phone's code still works"
    );

    // The old phone learns that the container moved.
    let moved = device_fails(old_phone.path(), &["sync"])?;
    ensure!(moved.contains("container_moved"), "{moved}");
    // A login goes to the new phone.
    let (transaction, _) = pi.trigger(&push).await?;
    device(new_phone.path(), &["poll", "--wait", "15"])?;
    assert_eq!(
        device(new_phone.path(), &["answer", "--accept"])?.trim(),
        "accepted"
    );
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
    let phone = tempfile::tempdir()?;
    device(
        phone.path(),
        &["enroll", &pi.registration_link(&container, None).await?],
    )?;
    let before = vec![(first.clone(), "totp".to_string())];
    assert_eq!(synced(phone.path())?, before);
    // That sync, recorded and sent again: its challenge is spent.
    let spent = proxy
        .last_sync_request()
        .context("no sync passed the proxy")?;
    assert_eq!(pi.replay_sync(spent).await?, Some(3002));
    let (second, _) = pi.enroll_otp("totp").await?;
    pi.add_to_container(&container, &second).await?;

    // The reply's tag changed on the way: refused, the phone's tokens as they were.
    proxy.set(Tamper::ReplyTag);
    let out = run(phone.path(), &["sync"])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(
        !out.status.success() && stderr.contains("server_reply"),
        "{stderr}"
    );
    ensure!(String::from_utf8(out.stdout)?.lines().count() == 1);

    // The phone's list changed after signing: the server refuses it, nothing changes.
    proxy.set(Tamper::RequestBody);
    let out = run(phone.path(), &["sync"])?;
    ensure!(!out.status.success());
    ensure!(String::from_utf8(out.stdout)?.lines().count() == 1);

    // Untouched, the same sync goes through: nothing above stopped the container for good.
    proxy.set(Tamper::Nothing);
    let mut after = vec![
        (first.clone(), "totp".to_string()),
        (second.clone(), "totp".to_string()),
    ];
    after.sort();
    assert_eq!(synced(phone.path())?, after);
    Ok(())
}
