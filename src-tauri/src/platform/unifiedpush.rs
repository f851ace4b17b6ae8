//! UnifiedPush over D-Bus (Linux): Pocket owns its name on the session bus, serves the
//! connector interfaces (`Connector2`, and `Connector1` for older distributors), and
//! registers with a distributor whenever one runs: at start, when one appears later, and when
//! the user picks another in Settings. Which one, and what its calls mean, is pocket-core's.

use std::collections::HashMap;

use futures_util::StreamExt;
use pocket_core::flows::{chosen_distributor, connector_token};
use pocket_core::push::unifiedpush::{
    ARG_DESCRIPTION, ARG_ENDPOINT, ARG_MESSAGE, ARG_REASON, ARG_SERVICE, ARG_SUCCESS, ARG_TOKEN,
    CONNECTOR_PATH, DESCRIPTION, DISTRIBUTOR_PATH, DISTRIBUTOR_PREFIX, DISTRIBUTOR_VARIABLE,
    REGISTRATION_SUCCEEDED, choose_distributor, distributor_label,
};
use tauri::Manager;
use zbus::zvariant::{OwnedValue, Value};

use crate::runners::{Registration, WakeHandler};
use crate::state::AppState;

/// Pocket's name on the bus: its app identifier, where distributors call it back.
const BUS_NAME: &str = "app.pocketauth.pocket";
const DISTRIBUTOR1: &str = "org.unifiedpush.Distributor1";
const DISTRIBUTOR2: &str = "org.unifiedpush.Distributor2";

type Dictionary = HashMap<String, OwnedValue>;

pub fn start(handler: WakeHandler) {
    tauri::async_runtime::spawn(async move {
        if let Err(error) = run(handler.clone()).await {
            log::info!("UnifiedPush is not available: {error}");
            handler.status(|s| s.registration = Registration::NoDistributor);
        }
    });
}

async fn run(handler: WakeHandler) -> Result<(), String> {
    let state = handler.app().state::<AppState>();
    let token = state
        .with_vault(connector_token)
        .await
        .map_err(|e| e.message)?;
    let connection = zbus::connection::Builder::session()
        .and_then(|b| b.name(BUS_NAME))
        .and_then(|b| {
            b.serve_at(
                CONNECTOR_PATH,
                Connector {
                    handler: handler.clone(),
                    token: token.clone(),
                },
            )
        })
        .and_then(|b| {
            b.serve_at(
                CONNECTOR_PATH,
                ConnectorV1 {
                    handler: handler.clone(),
                    token: token.clone(),
                },
            )
        })
        .map_err(|e| e.to_string())?
        .build()
        .await
        .map_err(|e| e.to_string())?;
    let bus = zbus::fdo::DBusProxy::new(&connection)
        .await
        .map_err(|e| e.to_string())?;
    let mut owners = bus
        .receive_name_owner_changed()
        .await
        .map_err(|e| e.to_string())?;
    let rechoose = state.wake.rechoose();
    let mut registered_with: Option<String> = None;
    loop {
        let names: Vec<String> = bus
            .list_names()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|name| name.to_string())
            .collect();
        let chosen = state
            .with_vault(|vault| chosen_distributor(vault))
            .await
            .unwrap_or_default();
        let from_environment = std::env::var(DISTRIBUTOR_VARIABLE).ok();
        let distributor =
            choose_distributor(&names, chosen.as_deref(), from_environment.as_deref());
        let mut running: Vec<String> = names
            .iter()
            .filter(|name| name.starts_with(DISTRIBUTOR_PREFIX))
            .map(|name| distributor_label(name).to_string())
            .collect();
        running.sort();
        handler.status(|s| s.distributors = running);
        if distributor != registered_with {
            if let Some(old) = &registered_with {
                unregister(&connection, old, &token).await;
            }
            match &distributor {
                Some(name) => {
                    let label = distributor_label(name).to_string();
                    handler.status(|s| {
                        s.distributor = Some(label);
                        s.registration = Registration::Registering;
                    });
                    if let Err(reason) = register(&connection, name, &token).await {
                        log::warn!("the distributor {name} refused: {reason}");
                        handler.status(|s| s.registration = Registration::Failed(reason));
                    }
                }
                None => {
                    handler.status(|s| {
                        s.distributor = None;
                        s.registration = Registration::NoDistributor;
                    });
                    if registered_with.is_some() {
                        handler.unregistered().await;
                    }
                }
            }
            registered_with = distributor;
        }
        // Until a distributor comes or goes, or the user picks another.
        loop {
            tokio::select! {
                change = owners.next() => {
                    let Some(change) = change else { return Ok(()) };
                    let about_a_distributor = change
                        .args()
                        .is_ok_and(|args| args.name().starts_with(DISTRIBUTOR_PREFIX));
                    if about_a_distributor {
                        break;
                    }
                }
                _ = rechoose.notified() => break,
            }
        }
    }
}

/// Registers through `Distributor2`, or `Distributor1` where that is all the distributor has.
async fn register(
    connection: &zbus::Connection,
    distributor: &str,
    token: &str,
) -> Result<(), String> {
    let args: HashMap<&str, Value> = HashMap::from([
        (ARG_SERVICE, Value::from(BUS_NAME)),
        (ARG_TOKEN, Value::from(token)),
        (ARG_DESCRIPTION, Value::from(DESCRIPTION)),
    ]);
    let reply = connection
        .call_method(
            Some(distributor),
            DISTRIBUTOR_PATH,
            Some(DISTRIBUTOR2),
            "Register",
            &(args,),
        )
        .await;
    let (result, reason) = match reply {
        Ok(reply) => {
            let answer: Dictionary = reply.body().deserialize().map_err(|e| e.to_string())?;
            (text(&answer, ARG_SUCCESS), text(&answer, ARG_REASON))
        }
        Err(zbus::Error::MethodError(name, _, _))
            if name.as_str().ends_with("UnknownMethod")
                || name.as_str().ends_with("UnknownInterface") =>
        {
            let reply = connection
                .call_method(
                    Some(distributor),
                    DISTRIBUTOR_PATH,
                    Some(DISTRIBUTOR1),
                    "Register",
                    &(BUS_NAME, token, DESCRIPTION),
                )
                .await
                .map_err(|e| e.to_string())?;
            reply
                .body()
                .deserialize::<(String, String)>()
                .map_err(|e| e.to_string())?
        }
        Err(error) => return Err(error.to_string()),
    };
    if result == REGISTRATION_SUCCEEDED {
        Ok(())
    } else if reason.is_empty() {
        Err(result)
    } else {
        Err(reason)
    }
}

async fn unregister(connection: &zbus::Connection, distributor: &str, token: &str) {
    let args: HashMap<&str, Value> = HashMap::from([(ARG_TOKEN, Value::from(token))]);
    let unregistered = connection
        .call_method(
            Some(distributor),
            DISTRIBUTOR_PATH,
            Some(DISTRIBUTOR2),
            "Unregister",
            &(args,),
        )
        .await;
    if let Err(error) = unregistered {
        log::info!("{distributor} was not told to forget Pocket: {error}");
    }
}

fn text(args: &Dictionary, key: &str) -> String {
    args.get(key)
        .and_then(|value| String::try_from(value.clone()).ok())
        .unwrap_or_default()
}

fn bytes(args: &Dictionary, key: &str) -> Option<Vec<u8>> {
    args.get(key)
        .and_then(|value| Vec::<u8>::try_from(value.clone()).ok())
}

/// `org.unifiedpush.Connector2`: the distributor's calls, each a dictionary.
struct Connector {
    handler: WakeHandler,
    token: String,
}

#[zbus::interface(name = "org.unifiedpush.Connector2")]
impl Connector {
    async fn message(&self, args: Dictionary) -> Dictionary {
        if text(&args, ARG_TOKEN) == self.token
            && let Some(body) = bytes(&args, ARG_MESSAGE)
        {
            let handler = self.handler.clone();
            tauri::async_runtime::spawn(async move { handler.message(body).await });
        }
        Dictionary::new()
    }

    async fn new_endpoint(&self, args: Dictionary) -> Dictionary {
        if text(&args, ARG_TOKEN) == self.token {
            let handler = self.handler.clone();
            let endpoint = text(&args, ARG_ENDPOINT);
            tauri::async_runtime::spawn(async move { handler.new_endpoint(&endpoint).await });
        }
        Dictionary::new()
    }

    async fn unregistered(&self, args: Dictionary) -> Dictionary {
        if text(&args, ARG_TOKEN) == self.token {
            let handler = self.handler.clone();
            tauri::async_runtime::spawn(async move { handler.unregistered().await });
        }
        Dictionary::new()
    }
}

/// `org.unifiedpush.Connector1`: the same calls with plain arguments.
struct ConnectorV1 {
    handler: WakeHandler,
    token: String,
}

#[zbus::interface(name = "org.unifiedpush.Connector1")]
impl ConnectorV1 {
    async fn message(&self, token: String, message: Vec<u8>, _id: String) {
        if token == self.token {
            let handler = self.handler.clone();
            tauri::async_runtime::spawn(async move { handler.message(message).await });
        }
    }

    async fn new_endpoint(&self, token: String, endpoint: String) {
        if token == self.token {
            let handler = self.handler.clone();
            tauri::async_runtime::spawn(async move { handler.new_endpoint(&endpoint).await });
        }
    }

    async fn unregistered(&self, token: String) {
        if token == self.token {
            let handler = self.handler.clone();
            tauri::async_runtime::spawn(async move { handler.unregistered().await });
        }
    }
}
