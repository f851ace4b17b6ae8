//! What the phone does with push tokens, end to end: enroll, poll, answer. The vault sits
//! behind a mutex that is never held across a network call.

use std::collections::HashSet;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::push::{
    Answer, DEVICE_KEY_BITS, Dropped, PushClient, PushEnrollment, PushRequest, SigningKey,
    parse_enrollment, verify_challenge,
};
use crate::vault::{Outcome, SharedVault, StoredPushToken, exclusive};

/// What an enrollment added: the push token; and the code account the server sent along,
/// when it sent one Pocket may take, not added: it is the user's to accept.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub token: StoredPushToken,
    pub offered_account: Option<crate::otp::AccountDraft>,
}

/// The code account a rollout reply brought, if Pocket may add it: a TOTP or HOTP link of the
/// push token's own issuer (the reply comes from the token's server). Anything else a server
/// slips into a reply would be an account the user never asked for.
fn fallback_account(enrollment: &PushEnrollment, link: &str) -> Result<crate::otp::AccountDraft> {
    let draft = crate::otp::parse_uri(link)?;
    let issuer = enrollment.issuer.trim();
    if issuer.is_empty() || !draft.issuer.eq_ignore_ascii_case(issuer) {
        return Err(Error::invalid(
            "issuer",
            format!(
                "the server sent an account of {:?} with a push token of {issuer:?}",
                draft.issuer
            ),
        ));
    }
    Ok(draft)
}

/// Enrolls a push token from its QR code text. A server reached over plain HTTP on another
/// machine, or without checking its certificate, needs the user's explicit consent
/// (`allow_insecure`), asked for before any connection. On any failure nothing stays stored.
/// A code account of the same issuer the server sends along (`wire::FALLBACK_TOTP`) comes
/// back as an offer: nothing but the push token is added without the user's yes.
pub async fn enroll(
    vault: &SharedVault,
    client: &PushClient,
    uri: &str,
    allow_insecure: bool,
    now: u64,
) -> Result<Enrolled> {
    let enrollment = parse_enrollment(uri)?;
    if let Some(risk) = enrollment.risk()
        && !allow_insecure
    {
        return Err(Error::InsecureServer {
            host: enrollment.url.host_str().unwrap_or_default().to_string(),
            risk,
        });
    }
    if exclusive(vault).has_push_token(&enrollment.serial, &enrollment.url)? {
        return Err(Error::DuplicateAccount);
    }
    roll_out(vault, client, &enrollment, now, None).await
}

/// The rollout of a checked enrollment: the phone's key made and stored, the server asked,
/// the token activated (and made a member of `container`, where one brought it).
pub(crate) async fn roll_out(
    vault: &SharedVault,
    client: &PushClient,
    enrollment: &PushEnrollment,
    now: u64,
    container: Option<&str>,
) -> Result<Enrolled> {
    // Seconds of arithmetic: off the async threads.
    let key = tokio::task::spawn_blocking(|| SigningKey::generate(DEVICE_KEY_BITS))
        .await
        .map_err(|e| Error::Crypto(e.to_string()))??;
    let (id, channel) = {
        let mut vault = exclusive(vault);
        let channel = super::wake_channel(&vault)?;
        (vault.begin_push_enrollment(enrollment, &key, now)?, channel)
    };
    match client.rollout_with(enrollment, &key, &channel).await {
        Ok(rollout) => {
            let mut vault = exclusive(vault);
            let token = match container {
                Some(container) => vault.finish_container_push_enrollment(
                    &id,
                    &rollout.server_key,
                    container,
                    &enrollment.serial,
                )?,
                None => vault.finish_push_enrollment(&id, &rollout.server_key)?,
            };
            let offered_account = rollout.fallback_totp.and_then(|uri| {
                // The push login works without it: a refused or bad code account is logged,
                // and one already in Pocket is not offered again.
                fallback_account(enrollment, &uri)
                    .inspect_err(|error| {
                        log::warn!("the server's code account is refused: {error}")
                    })
                    .ok()
                    .filter(|draft| !vault.contains(draft).unwrap_or(false))
            });
            Ok(Enrolled {
                token,
                offered_account,
            })
        }
        Err(error) => {
            if let Err(cleanup) = exclusive(vault).abandon_push_enrollment(&id) {
                // Reconciliation at the next start clears it.
                log::warn!("could not clear a failed enrollment: {cleanup}");
            }
            Err(error)
        }
    }
}

/// What one round of polling found.
#[derive(Debug, Default)]
pub struct PollRound {
    /// Verified requests not seen before, in order.
    pub new: Vec<(StoredPushToken, PushRequest)>,
    /// Challenges that failed verification and were dropped unseen.
    pub dropped: usize,
    /// Tokens whose poll failed, and why.
    pub failures: Vec<(String, Error)>,
    /// Tokens whose server offered instant delivery, and the longest it holds a poll.
    pub long_poll: Vec<(StoredPushToken, Duration)>,
}

/// Polls every token once, verifies what comes back, records new requests, and expires old
/// ones.
pub async fn poll_once(vault: &SharedVault, client: &PushClient, now: u64) -> Result<PollRound> {
    poll_tokens(vault, client, &|| now, &HashSet::new()).await
}

/// `poll_once` for every token except those in `held` (their long polls are open already).
pub async fn poll_tokens(
    vault: &SharedVault,
    client: &PushClient,
    now: &(dyn Fn() -> u64 + Sync),
    held: &HashSet<String>,
) -> Result<PollRound> {
    let tokens = {
        let mut vault = exclusive(vault);
        vault.expire_requests(now())?;
        vault.push_tokens()?
    };
    let mut round = PollRound::default();
    for token in tokens.iter().filter(|t| !held.contains(&t.id)) {
        poll_token(vault, client, token, now, None, &mut round).await?;
    }
    Ok(round)
}

/// Polls one token (held open up to `wait` where the server offered that) and adds what came
/// back to `round`. Only the vault's own failures are errors; the poll's go in `round`.
pub async fn poll_token(
    vault: &SharedVault,
    client: &PushClient,
    token: &StoredPushToken,
    now: &(dyn Fn() -> u64 + Sync),
    wait: Option<Duration>,
    round: &mut PollRound,
) -> Result<()> {
    let key = match exclusive(vault).device_key(&token.id) {
        Ok(key) => key,
        Err(error) => {
            round.failures.push((token.id.clone(), error));
            return Ok(());
        }
    };
    let polled = match client.poll_waiting(&token.token, &key, now(), wait).await {
        Ok(polled) => polled,
        Err(error) => {
            round.failures.push((token.id.clone(), error));
            return Ok(());
        }
    };
    if let Some(most) = polled.long_poll {
        round.long_poll.push((token.clone(), most));
    }
    // A held poll answers later than it was sent: what it brings arrived now.
    let received_at = now();
    for challenge in polled.challenges {
        match verify_challenge(&token.token, &challenge, received_at) {
            Ok(request) => {
                if exclusive(vault).record_request(token, &request)? {
                    round.new.push((token.clone(), request));
                }
            }
            Err(Dropped::Unsupported) => {
                // Its version is outside the signed text, so this may be a request changed
                // on the way as well as a newer kind: either way it is not answered, and the
                // user learns of it in the history.
                log::warn!("a request of an unknown kind for {}", token.token.serial);
                record_unsupported(vault, token, &challenge, received_at)?;
                round.dropped += 1;
            }
            Err(reason) => {
                log::warn!("dropped a challenge for {}: {reason:?}", token.token.serial);
                round.dropped += 1;
            }
        }
    }
    Ok(())
}

/// A signed request Pocket cannot answer, kept in the history as failed with why.
fn record_unsupported(
    vault: &SharedVault,
    token: &StoredPushToken,
    challenge: &crate::push::wire::Challenge,
    now: u64,
) -> Result<()> {
    let request = PushRequest {
        serial: challenge.serial.clone(),
        nonce: challenge.nonce.clone(),
        title: crate::push::plain_text(&challenge.title, 200),
        question: crate::push::plain_text(&challenge.question, 500),
        presence_options: Vec::new(),
        takes_decline_reason: false,
        received_at: now,
        expires_at: now,
    };
    let mut vault = exclusive(vault);
    if vault.record_request(token, &request)? {
        let version = challenge.version.as_deref().unwrap_or("none");
        vault.settle_request(
            &token.id,
            &request.nonce,
            Outcome::Failed,
            &format!(
                "a kind of login request this Pocket does not know (version {})",
                crate::push::plain_text(version, 20)
            ),
            now,
        )?;
    }
    Ok(())
}

/// Network attempts per answer; the server refuses a repeat of one it already took, so a
/// retry after a lost reply is safe.
const ANSWER_ATTEMPTS: u32 = 3;

/// What became of an answer, with the code to type on the login page where the server asks
/// for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub outcome: Outcome,
    pub display_code: Option<String>,
}

/// Sends the user's answer exactly once and records the outcome, with the code the server
/// gave for the login page where it asks for one (code-to-phone).
pub async fn answer(
    vault: &SharedVault,
    client: &PushClient,
    token_id: &str,
    nonce: &str,
    answer: Answer,
    now: u64,
) -> Result<Answered> {
    let (token, key, answer) = {
        let mut vault = exclusive(vault);
        let token = vault
            .push_token(token_id)?
            .ok_or_else(|| Error::PushTokenNotFound(token_id.to_string()))?;
        // Number matching holds on the phone too: nothing but an offered number is signed.
        let answer = match vault.request(token_id, nonce)? {
            Some(request) => request.as_sent(answer)?,
            None => answer,
        };
        if !vault.claim_request(token_id, nonce, now)? {
            let outcome = match vault.request_outcome(token_id, nonce)? {
                Some(Outcome::Pending) | None => {
                    vault.expire_requests(now)?;
                    Outcome::Expired
                }
                Some(outcome) => outcome,
            };
            return Ok(Answered {
                outcome,
                display_code: None,
            });
        }
        (token, vault.device_key(token_id)?, answer)
    };
    let mut last_error = None;
    for attempt in 0..ANSWER_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(500 << attempt)).await;
        }
        match client
            .answer_reply(&token.token, &key, nonce, &answer)
            .await
        {
            Ok(reply) => {
                let taken = reply.taken;
                let outcome = match (taken, &answer) {
                    (false, _) => Outcome::Failed,
                    (true, Answer::Decline { .. }) => Outcome::Declined,
                    (true, _) => Outcome::Accepted,
                };
                let detail = if taken {
                    ""
                } else {
                    "the server did not accept the answer"
                };
                exclusive(vault).settle_request(token_id, nonce, outcome, detail, now)?;
                return Ok(Answered {
                    outcome,
                    display_code: reply.display_code,
                });
            }
            Err(error @ (Error::Network(_) | Error::Tls(_))) => last_error = Some(error),
            Err(error) => {
                exclusive(vault).settle_request(
                    token_id,
                    nonce,
                    Outcome::Failed,
                    &error.to_string(),
                    now,
                )?;
                return Err(error);
            }
        }
    }
    let error = last_error.unwrap_or_else(|| Error::Network("no attempt was made".into()));
    exclusive(vault).settle_request(token_id, nonce, Outcome::Failed, &error.to_string(), now)?;
    Err(error)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::vault::{MemoryStore, Vault};

    #[tokio::test]
    async fn answering_for_a_token_that_is_gone_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(
            &dir.path().join("pocket.sqlite"),
            Box::new(MemoryStore::default()),
        )
        .unwrap();
        let shared = Arc::new(Mutex::new(vault));
        let client = PushClient::new().unwrap();
        let error = answer(&shared, &client, "gone", "nonce", Answer::Accept, 0)
            .await
            .unwrap_err();
        assert_eq!(error.code(), "push_token_not_found");
    }
}
