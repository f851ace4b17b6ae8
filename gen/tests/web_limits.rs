//! What the login pages show when number matching is on and when the limits against push
//! fatigue hold a request back.

use pocket_core::clock::now_unix;
use pocket_core::flows::enroll;
use pocket_core::push::PushClient;
use pocket_gen::service::{MAX_OPEN_REQUESTS, app};

use crate::common::web::Browser;
use crate::common::{phone_vault, start_with};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "a long enough password";

#[tokio::test]
async fn the_waiting_page_shows_the_number_and_held_back_logins_get_the_code_form() {
    let service = start_with(|s| s.with_number_matching(true)).await;
    let user = service.svc.users.add(EMAIL, PASSWORD).unwrap();
    let (serial, uri) = service.svc.push.enroll(EMAIL).unwrap();
    service.svc.users.begin_pairing(user.id, &serial).unwrap();
    let phone_dir = tempfile::tempdir().unwrap();
    enroll(
        &phone_vault(&phone_dir),
        &PushClient::new().unwrap(),
        &uri,
        false,
        now_unix(),
    )
    .await
    .unwrap();
    let router = app(service.svc.clone());

    let mut numbers = Vec::new();
    for login in 0..=MAX_OPEN_REQUESTS {
        let mut browser = Browser::new(&router);
        let submitted = browser.log_in(EMAIL, PASSWORD).await;
        if login < MAX_OPEN_REQUESTS {
            assert_eq!(submitted.location.as_deref(), Some("/login/wait"));
            let waiting = browser.get("/login/wait").await;
            let number = waiting
                .body
                .split("data-testid=\"number\">")
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .expect("the number to pick")
                .to_string();
            assert!(number.parse::<u32>().is_ok_and(|n| (10..100).contains(&n)));
            numbers.push(number);
        } else {
            // The cap: no new request, the code form with the reason instead.
            assert!(
                submitted.body.contains("data-testid=\"held-back\""),
                "{}",
                submitted.body
            );
            assert!(
                submitted
                    .body
                    .contains("already has login requests waiting")
            );
            assert!(submitted.body.contains("action=\"/login/code\""));
            let waiting = browser.get("/login/wait").await;
            assert_eq!(waiting.location.as_deref(), Some("/login/code"));
        }
    }
    assert_eq!(numbers.len(), MAX_OPEN_REQUESTS as usize);
}
