//! The reference service's push server, spoken to by Pocket's own client over a real socket,
//! and fed bad input directly through its router.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pocket_core::clock::now_unix;
use pocket_core::flows::{enroll, poll_once};
use pocket_core::push::{Answer, DeclineReason, PushClient, SigningKey, parse_enrollment};
use pocket_core::vault::Outcome;
use pocket_gen::service::{TransactionStatus, app};
use tower::ServiceExt;

use crate::common::{answer_now, phone_vault, start};

#[tokio::test]
async fn pocket_enrolls_polls_and_answers_against_the_reference_service() {
    let service = start().await;
    let phone_dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&phone_dir);
    let client = PushClient::new().unwrap();

    let (serial, uri) = service.svc.push.enroll("alice@example.com").unwrap();
    let enrolled = enroll(&vault, &client, &uri, false, now_unix())
        .await
        .unwrap();
    let token = enrolled.token.clone();
    // The service offers the code to type as well; nothing is added before the user says
    // yes, and then the service takes its code once.
    let offered = enrolled
        .offered_account
        .expect("the service offers a code account");
    assert_eq!(
        (offered.issuer.as_str(), offered.name.as_str()),
        ("Pocket reference", "alice@example.com")
    );
    assert!(vault.lock().unwrap().accounts().unwrap().is_empty());
    let account = vault.lock().unwrap().add(offered, now_unix()).unwrap();
    let code = vault
        .lock()
        .unwrap()
        .code(&account.id, now_unix())
        .unwrap()
        .current;
    assert!(service.svc.push.verify_code(&serial, &code).unwrap());
    assert!(
        !service.svc.push.verify_code(&serial, &code).unwrap(),
        "a code is good once"
    );
    assert_eq!(token.token.serial, serial);
    assert_eq!(token.token.label, "alice@example.com");
    assert!(service.svc.push.is_enrolled(&serial).unwrap());
    // The enrollment cannot be replayed, even by the same phone.
    let replay = client
        .rollout(
            &parse_enrollment(&uri).unwrap(),
            &SigningKey::generate(2048).unwrap(),
        )
        .await;
    assert_eq!(replay.err().map(|e| e.code()), Some("server_refused"));

    // Accept.
    let login = service
        .svc
        .push
        .trigger(&serial, "Pocket reference", "Log in from 127.0.0.1?", false)
        .unwrap();
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let [(_, request)] = round.new.as_slice() else {
        panic!("{round:?}")
    };
    assert_eq!(request.question, "Log in from 127.0.0.1?");
    assert!(
        request.takes_decline_reason,
        "capabilities verify under their signature"
    );
    assert_eq!(
        service.svc.push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Waiting
    );
    let outcome = answer_now(&vault, &client, &token.id, &request.nonce, Answer::Accept).await;
    assert_eq!(outcome, Outcome::Accepted);
    assert_eq!(
        service.svc.push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Accepted
    );
    // A replayed answer (same nonce, same signature) is not taken twice.
    let key = vault.lock().unwrap().device_key(&token.id).unwrap();
    assert!(
        !client
            .answer(&token.token, &key, &request.nonce, &Answer::Accept)
            .await
            .unwrap()
    );

    // Decline, "not me".
    let login = service
        .svc
        .push
        .trigger(&serial, "Pocket reference", "Log in?", false)
        .unwrap();
    let round = poll_once(&vault, &client, now_unix()).await.unwrap();
    let (_, request) = &round.new[0];
    let declined = Answer::Decline {
        reason: Some(DeclineReason::NotMe),
    };
    assert_eq!(
        answer_now(&vault, &client, &token.id, &request.nonce, declined).await,
        Outcome::Declined
    );
    assert_eq!(
        service.svc.push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Rejected
    );

    // Number matching: the right number is taken; a wrong one, or a plain accept, is
    // refused and ends the request (one answer each).
    let number_login = || async {
        let login = service
            .svc
            .push
            .trigger(&serial, "Pocket reference", "Log in?", true)
            .unwrap();
        let round = poll_once(&vault, &client, now_unix()).await.unwrap();
        let (_, request) = round.new[0].clone();
        assert_eq!(request.presence_options.len(), 3);
        (login, request)
    };
    let (login, request) = number_login().await;
    let right = login.presence_answer.clone().unwrap();
    assert!(
        client
            .answer(&token.token, &key, &request.nonce, &Answer::Presence(right))
            .await
            .unwrap()
    );
    assert_eq!(
        service.svc.push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Accepted
    );
    for wrong_answer in ["another number", "a plain accept"] {
        let (login, request) = number_login().await;
        let right = login.presence_answer.clone().unwrap();
        let answer = if wrong_answer == "a plain accept" {
            Answer::Accept
        } else {
            let wrong = request
                .presence_options
                .iter()
                .find(|o| **o != right)
                .unwrap();
            Answer::Presence(wrong.clone())
        };
        assert!(
            !client
                .answer(&token.token, &key, &request.nonce, &answer)
                .await
                .unwrap()
        );
        assert_eq!(
            service.svc.push.status(&login.transaction_id).unwrap(),
            TransactionStatus::Rejected,
            "{wrong_answer}"
        );
        assert!(
            !client
                .answer(&token.token, &key, &request.nonce, &Answer::Presence(right))
                .await
                .unwrap(),
            "a second answer after {wrong_answer}"
        );
    }

    // A poll whose time is off by more than a minute is refused.
    let stale = client.poll(&token.token, &key, now_unix() - 120).await;
    assert_eq!(stale.err().map(|e| e.code()), Some("server_refused"));
}

#[tokio::test]
async fn wrong_codes_are_limited() {
    let service = start().await;
    let phone_dir = tempfile::tempdir().unwrap();
    let vault = phone_vault(&phone_dir);
    let (serial, uri) = service.svc.push.enroll("carol").unwrap();
    let enrolled = enroll(&vault, &PushClient::new().unwrap(), &uri, false, now_unix())
        .await
        .unwrap();
    let client = Some("10.0.0.9".parse().unwrap());
    for _ in 0..3 {
        assert!(!service.svc.check_code(&serial, "000000x", client).unwrap());
    }
    // From this client even the right code waits now; the delay doubles with each failure.
    let account = vault
        .lock()
        .unwrap()
        .add(enrolled.offered_account.unwrap(), now_unix())
        .unwrap();
    let code = vault
        .lock()
        .unwrap()
        .code(&account.id, now_unix())
        .unwrap()
        .current;
    assert!(matches!(
        service.svc.check_code(&serial, &code, client),
        Err(pocket_gen::service::ServiceError::RateLimited(1))
    ));
    assert!(matches!(
        service
            .svc
            .check_code("PKTNOPE", &code, Some("10.0.0.10".parse().unwrap())),
        Err(pocket_gen::service::ServiceError::UnknownToken)
    ));
}

#[tokio::test]
async fn forged_and_malformed_requests_get_a_clear_4xx() {
    let service = start().await;
    let router = app(service.svc.clone());
    let send = |request: Request<Body>| {
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let form = |body: String| {
        Request::post("/ttype/push")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };

    // A poll signed by a key that is not the token's: the uniform refusal.
    let (serial, uri) = service.svc.push.enroll("bob").unwrap();
    let enrollment = parse_enrollment(&uri).unwrap();
    let phone = SigningKey::generate(2048).unwrap();
    let pubkey = phone.public_key_base64().unwrap();
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let rollout = format!(
        "serial={serial}&enrollment_credential={}&fbtoken=none&pubkey={}",
        enrollment.enrollment_credential,
        encode(&pubkey)
    );
    assert_eq!(send(form(rollout)).await.0, StatusCode::OK);
    let stranger = SigningKey::generate(2048).unwrap();
    let timestamp = pocket_core::clock::iso8601(now_unix());
    let forged = stranger.sign(&[&serial, &timestamp]);
    let uri = format!(
        "/ttype/push?serial={serial}&timestamp={}&signature={}",
        encode(&timestamp),
        encode(&forged)
    );
    let (status, body) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Could not verify signature!"), "{body}");

    // An answer with a forged signature.
    let login = service.svc.push.trigger(&serial, "T", "Q", false).unwrap();
    let nonce = {
        let signature = phone.sign(&[&serial, &timestamp]);
        service
            .svc
            .push
            .poll(&serial, &timestamp, &signature)
            .unwrap()[0]
            .nonce
            .clone()
    };
    let forged = stranger.sign(&[&nonce, &serial]);
    let (status, _) = send(form(format!(
        "serial={serial}&nonce={}&signature={}",
        encode(&nonce),
        encode(&forged)
    )))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        service.svc.push.status(&login.transaction_id).unwrap(),
        TransactionStatus::Waiting
    );

    // Missing fields, an unknown serial, an oversize body.
    assert_eq!(
        send(form("nonce=x".into())).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(Request::get("/ttype/push").body(Body::empty()).unwrap())
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let unknown = form(format!(
        "serial=PKTNOPE&enrollment_credential=x&pubkey={}",
        encode(&pubkey)
    ));
    assert_eq!(send(unknown).await.0, StatusCode::BAD_REQUEST);
    let oversize = form(format!("serial=x&nonce={}", "a".repeat(100 * 1024)));
    assert_eq!(send(oversize).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_phone_key_under_2048_bits_is_refused_at_rollout() {
    use base64::Engine;
    use rsa::pkcs8::EncodePublicKey;
    let service = start().await;
    let router = app(service.svc.clone());
    let (serial, uri) = service.svc.push.enroll("carol").unwrap();
    let enrollment = parse_enrollment(&uri).unwrap();
    let weak = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024).unwrap();
    let der = weak.to_public_key().to_public_key_der().unwrap();
    let pubkey = base64::engine::general_purpose::STANDARD.encode(der.as_bytes());
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let body = format!(
        "serial={serial}&enrollment_credential={}&fbtoken=none&pubkey={}",
        enrollment.enrollment_credential,
        encode(&pubkey)
    );
    let request = Request::post("/ttype/push")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(!service.svc.push.is_enrolled(&serial).unwrap());
}
