//! Instant delivery (the long poll the service offers and Pocket takes up) and the limits
//! against push fatigue, with Pocket's own client as the phone.

use std::time::{Duration, Instant};

use pocket_core::clock::now_unix;
use pocket_core::flows::{PollRound, PollTrigger, enroll, poll_once, poll_token, run_poller};
use pocket_core::push::{Answer, PushClient};
use pocket_core::vault::StoredPushToken;
use pocket_gen::service::{
    LONG_POLL_MAX_SECONDS, MAX_OPEN_REQUESTS, REJECTIONS_BEFORE_COOL_DOWN, ServiceError,
    TransactionStatus,
};
use pocket_tests::deadline::{Look, eventually};

use crate::common::{Running, answer_now, phone_vault, start, start_with};

struct Phone {
    vault: pocket_core::vault::SharedVault,
    client: PushClient,
    token: StoredPushToken,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// One poll of this phone's token, held up to `wait` where the server offers that.
    async fn poll(&self, wait: Option<Duration>) -> PollRound {
        let mut round = PollRound::default();
        poll_token(
            &self.vault,
            &self.client,
            &self.token,
            &now_unix,
            wait,
            &mut round,
        )
        .await
        .unwrap();
        round
    }

    /// Polls, then answers the first new request with `choice`.
    async fn answer_first(&self, choice: Answer) {
        let round = poll_once(&self.vault, &self.client, now_unix())
            .await
            .unwrap();
        let (token, request) = &round.new[0];
        answer_now(&self.vault, &self.client, &token.id, &request.nonce, choice).await;
    }
}

/// Waits until the phone holds a poll open on the service.
async fn wait_until_held(svc: &pocket_gen::service::LoginService, serial: &str) {
    eventually("the poll to be held", Duration::from_secs(10), || async {
        let held = svc.push.is_holding_poll(serial);
        Ok(Look::when(held, || "it is not".into()))
    })
    .await
    .unwrap();
}

async fn paired_phone(service: &Running) -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&dir);
    let client = PushClient::new().unwrap();
    let (_, uri) = service.svc.push.enroll("alice@example.com").unwrap();
    let token = enroll(&vault, &client, &uri, false, now_unix())
        .await
        .unwrap()
        .token;
    Phone {
        vault,
        client,
        token,
        _dir: dir,
    }
}

#[tokio::test]
async fn a_held_poll_returns_the_moment_a_request_is_raised() {
    let service = start().await;
    let phone = paired_phone(&service).await;

    // A plain poll carries the offer.
    let round = phone.poll(None).await;
    let offered = round.long_poll.first().map(|(_, most)| most.as_secs());
    assert_eq!(offered, Some(LONG_POLL_MAX_SECONDS));

    // Held for up to 20 s, it comes back with the request raised once the poll is held.
    let svc = service.svc.clone();
    let serial = phone.token.token.serial.clone();
    let raise = tokio::spawn(async move {
        wait_until_held(&svc, &serial).await;
        svc.push.trigger(&serial, "T", "Log in?", false).unwrap()
    });
    let started = Instant::now();
    let round = phone.poll(Some(Duration::from_secs(20))).await;
    raise.await.unwrap();
    assert_eq!(round.new.len(), 1, "{round:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "held to the end"
    );

    // With nothing to deliver it waits its time and comes back empty.
    let started = Instant::now();
    let round = phone.poll(Some(Duration::from_secs(1))).await;
    assert!(round.new.is_empty() && round.failures.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn without_the_extension_polls_answer_at_once_and_offer_nothing() {
    let service = start_with(|s| s.without_long_poll()).await;
    let phone = paired_phone(&service).await;
    let started = Instant::now();
    let round = phone.poll(Some(Duration::from_secs(5))).await;
    assert!(round.long_poll.is_empty());
    assert!(started.elapsed() < Duration::from_secs(4), "not held");
}

#[tokio::test]
async fn the_poller_takes_up_instant_delivery() {
    let service = start().await;
    let phone = paired_phone(&service).await;
    let (sender, mut rounds) = tokio::sync::mpsc::unbounded_channel();
    let poller = tokio::spawn(run_poller(
        phone.vault.clone(),
        phone.client.clone(),
        PollTrigger::default(),
        now_unix,
        move |round| {
            let _ = sender.send((Instant::now(), round));
        },
    ));
    // The first round saw the offer; from now on the token is held, not polled in rounds.
    let (_, first) = tokio::time::timeout(Duration::from_secs(10), rounds.recv())
        .await
        .expect("the first round within 10 s")
        .expect("the poller is running");
    assert_eq!(first.long_poll.len(), 1);
    wait_until_held(&service.svc, &phone.token.token.serial).await;
    // Raised right after a round, a request would wait ~3 s for the next one; held, it is
    // there at once.
    let raised = Instant::now();
    service
        .svc
        .push
        .trigger(&phone.token.token.serial, "T", "Log in?", false)
        .unwrap();
    let arrived = loop {
        let (at, round) = tokio::time::timeout(Duration::from_secs(10), rounds.recv())
            .await
            .expect("the request arrived")
            .unwrap();
        if !round.new.is_empty() {
            break at;
        }
    };
    assert!(
        arrived - raised < Duration::from_millis(1500),
        "took {:?}: not delivered by the held poll",
        arrived - raised
    );
    poller.abort();
}

#[tokio::test]
async fn open_requests_are_capped_per_token() {
    let service = start().await;
    let phone = paired_phone(&service).await;
    let serial = &phone.token.token.serial;
    let push = &service.svc.push;
    for _ in 0..MAX_OPEN_REQUESTS {
        push.trigger(serial, "T", "Q", false).unwrap();
    }
    assert!(matches!(
        push.trigger(serial, "T", "Q", false),
        Err(ServiceError::TooManyOpenRequests)
    ));
    // Answering one makes room for one.
    phone.answer_first(Answer::Accept).await;
    push.trigger(serial, "T", "Q", false).unwrap();
}

#[tokio::test]
async fn repeated_rejections_pause_requests_until_an_accept() {
    let service = start().await;
    let phone = paired_phone(&service).await;
    let serial = &phone.token.token.serial;
    let push = &service.svc.push;
    // An accept in between starts the count again.
    for _ in 1..REJECTIONS_BEFORE_COOL_DOWN {
        push.trigger(serial, "T", "Q", false).unwrap();
        phone.answer_first(Answer::Decline { reason: None }).await;
    }
    let accepted = push.trigger(serial, "T", "Q", false).unwrap();
    phone.answer_first(Answer::Accept).await;
    assert_eq!(
        push.status(&accepted.transaction_id).unwrap(),
        TransactionStatus::Accepted
    );
    for _ in 0..REJECTIONS_BEFORE_COOL_DOWN {
        push.trigger(serial, "T", "Q", false).unwrap();
        phone.answer_first(Answer::Decline { reason: None }).await;
    }
    assert!(matches!(
        push.trigger(serial, "T", "Q", false),
        Err(ServiceError::PushPaused)
    ));
}

static CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn test_clock() -> i64 {
    CLOCK.load(std::sync::atomic::Ordering::SeqCst)
}

#[tokio::test]
async fn requests_left_to_expire_count_like_rejections() {
    CLOCK.store(now_unix() as i64, std::sync::atomic::Ordering::SeqCst);
    let service = start_with(|mut s| {
        s.push = s.push.with_clock(test_clock);
        s
    })
    .await;
    let phone = paired_phone(&service).await;
    let serial = &phone.token.token.serial;
    let push = &service.svc.push;
    let ignored: Vec<_> = (0..REJECTIONS_BEFORE_COOL_DOWN)
        .map(|_| push.trigger(serial, "T", "Q", false).unwrap())
        .collect();
    // Nobody answers; the answer window passes.
    CLOCK.fetch_add(121, std::sync::atomic::Ordering::SeqCst);
    assert!(matches!(
        push.trigger(serial, "T", "Q", false),
        Err(ServiceError::PushPaused)
    ));
    for request in &ignored {
        assert_eq!(
            push.status(&request.transaction_id).unwrap(),
            TransactionStatus::Expired
        );
    }
}

#[tokio::test]
async fn a_wrong_number_closes_the_request_one_answer_per_request() {
    let service = start().await;
    let phone = paired_phone(&service).await;
    let serial = &phone.token.token.serial;
    let push = &service.svc.push;
    let login = push.trigger(serial, "T", "Q", true).unwrap();
    let right = login.presence_answer.clone().unwrap();
    let round = poll_once(&phone.vault, &phone.client, now_unix())
        .await
        .unwrap();
    let (_, request) = &round.new[0];
    let wrong = request
        .presence_options
        .iter()
        .find(|option| **option != right)
        .unwrap()
        .clone();
    let key = phone
        .vault
        .lock()
        .unwrap()
        .device_key(&phone.token.id)
        .unwrap();
    let client = &phone.client;
    let token = &phone.token.token;
    // A wrong number: refused, and the request is over.
    assert!(
        !client
            .answer(token, &key, &request.nonce, &Answer::Presence(wrong))
            .await
            .unwrap()
    );
    assert_eq!(
        push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Rejected
    );
    // The right one after it is too late.
    assert!(
        !client
            .answer(token, &key, &request.nonce, &Answer::Presence(right))
            .await
            .unwrap()
    );
    assert_eq!(
        push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Rejected
    );
}
