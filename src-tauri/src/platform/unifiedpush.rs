//! UnifiedPush over D-Bus (Linux): Pocket owns its name on the session bus, serves the
//! connector interfaces (`Connector2`, and `Connector1` for older distributors), and
//! registers with a distributor whenever one runs: at start, when one appears later, and when
//! the user picks another in Settings. Which one, and what its calls mean, is pocket-core's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use pocket_core::flows::{chosen_distributor, connector_token, new_connector_token};
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

/// What the connector accepts calls for: the token given to the distributor, and the
/// distributor's own connection on the bus (its unique name). A call from anyone else, with
/// any token, is not the distributor's.
#[derive(Default)]
struct Listening {
    token: String,
    distributor: Option<String>,
}

type Shared = Arc<Mutex<Listening>>;

async fn run(handler: WakeHandler) -> Result<(), String> {
    let state = handler.app().state::<AppState>();
    let token = state
        .with_vault(connector_token)
        .await
        .map_err(|e| e.message)?;
    let listening: Shared = Arc::new(Mutex::new(Listening {
        token,
        distributor: None,
    }));
    let ears = Ears {
        handler: handler.clone(),
        listening: listening.clone(),
    };
    let connection = zbus::connection::Builder::session()
        .and_then(|b| b.name(BUS_NAME))
        .and_then(|b| b.serve_at(CONNECTOR_PATH, Connector(ears.clone())))
        .and_then(|b| b.serve_at(CONNECTOR_PATH, ConnectorV1(ears.clone())))
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
        let distributor = choose_distributor(
            &names,
            chosen.as_deref(),
            from_environment.as_deref(),
            registered_with.as_deref(),
        );
        let mut running: Vec<String> = names
            .iter()
            .filter(|name| name.starts_with(DISTRIBUTOR_PREFIX))
            .map(|name| distributor_label(name).to_string())
            .collect();
        running.sort();
        // One update, before anything is awaited: Settings never shows the list of one moment
        // with the choice of another.
        let switching = distributor != registered_with;
        handler.status(|s| {
            s.distributors = running;
            if switching {
                s.distributor = distributor
                    .as_deref()
                    .map(|name| distributor_label(name).to_string());
                s.registration = match distributor {
                    Some(_) => Registration::Registering,
                    // Gone from the bus (stopped, or one D-Bus starts on demand): the servers
                    // keep the endpoint, which works again once the distributor runs.
                    None => Registration::NoDistributor,
                };
            }
        });
        if switching {
            if let Some(old) = registered_with.take() {
                let token = lock(&listening).token.clone();
                unregister(&connection, &old, &token).await;
                // The one left behind keeps a token that no longer opens anything.
                let token = state
                    .with_vault(new_connector_token)
                    .await
                    .map_err(|e| e.message)?;
                *lock(&listening) = Listening {
                    token,
                    distributor: None,
                };
            }
            if let Some(name) = &distributor {
                let owner = bus_owner(&bus, name).await;
                lock(&listening).distributor = owner;
                let token = lock(&listening).token.clone();
                match register(&connection, name, &token).await {
                    Ok(()) => registered_with = distributor.clone(),
                    // Tried again when a distributor comes or goes, or the user picks one.
                    Err(reason) => {
                        log::warn!("the distributor {name} refused: {reason}");
                        handler.status(|s| s.registration = Registration::Failed(reason));
                    }
                }
            }
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

fn lock(listening: &Shared) -> std::sync::MutexGuard<'_, Listening> {
    listening.lock().unwrap_or_else(|e| e.into_inner())
}

/// The unique name (`:1.42`) that owns `name` on the bus now.
async fn bus_owner(bus: &zbus::fdo::DBusProxy<'_>, name: &str) -> Option<String> {
    let name = zbus::names::BusName::try_from(name).ok()?;
    bus.get_name_owner(name)
        .await
        .ok()
        .map(|owner| owner.to_string())
}

/// Whether a call comes from the distributor registered with, carrying its token.
fn from_distributor(listening: &Shared, header: &zbus::message::Header<'_>, token: &str) -> bool {
    lock(listening).accepts(header.sender().map(|sender| sender.as_str()), token)
}

impl Listening {
    fn accepts(&self, sender: Option<&str>, token: &str) -> bool {
        sender.is_some() && sender == self.distributor.as_deref() && token == self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_registered_distributors_connection_with_its_token_is_heard() {
        let listening = Listening {
            token: "t-1".into(),
            distributor: Some(":1.7".into()),
        };
        assert!(listening.accepts(Some(":1.7"), "t-1"));
        // Another program on the bus, even one that learned the token.
        assert!(!listening.accepts(Some(":1.9"), "t-1"));
        assert!(!listening.accepts(None, "t-1"));
        // The distributor with an old token (one left behind before).
        assert!(!listening.accepts(Some(":1.7"), "t-0"));
        // Before any registration nobody is heard.
        assert!(!Listening::default().accepts(Some(":1.7"), ""));
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

/// What both connector interfaces share: the calls they hear, and whom they go to.
#[derive(Clone)]
struct Ears {
    handler: WakeHandler,
    listening: Shared,
}

impl Ears {
    /// The handler, for a call from the registered distributor with its token; it runs the
    /// call's work off the bus's thread.
    fn heard<F: std::future::Future<Output = ()> + Send + 'static>(
        &self,
        header: &zbus::message::Header<'_>,
        token: &str,
        work: impl FnOnce(WakeHandler) -> F,
    ) {
        if from_distributor(&self.listening, header, token) {
            tauri::async_runtime::spawn(work(self.handler.clone()));
        }
    }
}

/// `org.unifiedpush.Connector2`: the distributor's calls, each a dictionary.
struct Connector(Ears);

#[zbus::interface(name = "org.unifiedpush.Connector2")]
impl Connector {
    async fn message(
        &self,
        args: Dictionary,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) -> Dictionary {
        // The body is taken out only for a call that is heard.
        self.0.heard(&header, &text(&args, ARG_TOKEN), |handler| {
            let body = bytes(&args, ARG_MESSAGE);
            async move {
                if let Some(body) = body {
                    handler.message(body).await
                }
            }
        });
        Dictionary::new()
    }

    async fn new_endpoint(
        &self,
        args: Dictionary,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) -> Dictionary {
        let endpoint = text(&args, ARG_ENDPOINT);
        self.0
            .heard(&header, &text(&args, ARG_TOKEN), |handler| async move {
                handler.new_endpoint(&endpoint).await
            });
        Dictionary::new()
    }

    async fn unregistered(
        &self,
        args: Dictionary,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) -> Dictionary {
        self.0
            .heard(&header, &text(&args, ARG_TOKEN), |handler| async move {
                handler.unregistered().await
            });
        Dictionary::new()
    }
}

/// `org.unifiedpush.Connector1`: the same calls with plain arguments.
struct ConnectorV1(Ears);

#[zbus::interface(name = "org.unifiedpush.Connector1")]
impl ConnectorV1 {
    async fn message(
        &self,
        token: String,
        message: Vec<u8>,
        _id: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        self.0.heard(&header, &token, |handler| async move {
            handler.message(message).await
        });
    }

    async fn new_endpoint(
        &self,
        token: String,
        endpoint: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        self.0.heard(&header, &token, |handler| async move {
            handler.new_endpoint(&endpoint).await
        });
    }

    async fn unregistered(&self, token: String, #[zbus(header)] header: zbus::message::Header<'_>) {
        self.0.heard(&header, &token, |handler| async move {
            handler.unregistered().await
        });
    }
}
