//! Push logins in the real app window against a real privacyIDEA: enroll by pasting the
//! enrollment link, then a login raises the prompt, and one tap answers it.

use anyhow::Result;
use pocket_tests::app::screenshot_dir;
use pocket_tests::privacyidea::PrivacyIdea;
use pocket_tests::{AppDriver, Desktop, serial};

#[tokio::test]
async fn a_login_is_accepted_and_another_rejected_in_the_app() -> Result<()> {
    let _serial = serial().await;
    let pi = PrivacyIdea::start().await?;
    let desktop = Desktop::start().await?;
    let driver = AppDriver::start(&desktop).await?;
    let app = driver.launch().await?;

    let uri = pi.enroll_push().await?;
    let serial = pocket_core::push::parse_enrollment(&uri)?.serial;
    app.add_account_uri(&uri).await?;
    app.wait_for_push_token(&serial).await?;

    // A login: the prompt shows the server's question; Accept lets it through.
    let (transaction, _) = pi.trigger(&serial).await?;
    assert_eq!(
        app.wait_for_push_prompt().await?,
        "Log in to the Pocket test service?"
    );
    app.screenshot(&screenshot_dir()?.join("push-prompt.png"))
        .await?;
    assert_eq!(app.answer_push_keeping_outcome(true).await?, "accepted");
    app.screenshot(&screenshot_dir()?.join("push-accepted.png"))
        .await?;
    app.dismiss_push_outcome().await?;
    assert!(pi.poll_transaction(&transaction).await?);
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "ACCEPT"
    );

    // Another: Reject keeps it out.
    let (transaction, _) = pi.trigger(&serial).await?;
    app.wait_for_push_prompt().await?;
    assert_eq!(app.answer_push(false).await?, "declined");
    assert!(!pi.poll_transaction(&transaction).await?);
    assert_eq!(
        pi.check(&serial, &transaction).await?.authentication,
        "REJECT"
    );
    app.screenshot(&screenshot_dir()?.join("push-home.png"))
        .await?;
    app.quit().await?;
    Ok(())
}
