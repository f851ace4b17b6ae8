//! What the service's tests share: the service on a loopback socket, and a phone's vault.

pub mod web;

use std::sync::{Arc, Mutex};

use pocket_core::clock::now_unix;
use pocket_core::flows::answer;
use pocket_core::push::{Answer, PushClient};
use pocket_core::vault::{MemoryStore, Outcome, SharedVault, Vault};
use pocket_gen::service::{LoginService, app};
use url::Url;

pub struct Running {
    pub svc: Arc<LoginService>,
    _dir: tempfile::TempDir,
}

/// The service on a free loopback port, as `pocket-gen serve` runs it; `configure` sets its
/// options before it starts.
pub async fn start_with(configure: impl FnOnce(LoginService) -> LoginService) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let service = LoginService::open(
        &dir.path().join("service.sqlite"),
        &base,
        "Pocket reference",
    )
    .unwrap();
    let svc = Arc::new(configure(service));
    let router = app(svc.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    Running { svc, _dir: dir }
}

pub async fn start() -> Running {
    start_with(|service| service).await
}

pub fn phone_vault(dir: &tempfile::TempDir) -> Arc<Mutex<Vault>> {
    let vault = Vault::open(
        &dir.path().join("phone.sqlite"),
        Box::new(MemoryStore::default()),
    )
    .unwrap();
    Arc::new(Mutex::new(vault))
}

/// The phone answers the request `nonce` of its token `token_id` now, and what became of it.
pub async fn answer_now(
    vault: &SharedVault,
    client: &PushClient,
    token_id: &str,
    nonce: &str,
    choice: Answer,
) -> Outcome {
    answer(vault, client, token_id, nonce, choice, now_unix())
        .await
        .unwrap()
        .outcome
}
