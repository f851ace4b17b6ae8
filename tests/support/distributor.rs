//! A UnifiedPush distributor on the tests' own session bus, in front of the Web Push stand-in
//! (`push_services::web_push`, which checks VAPID): it registers apps as a distributor does,
//! through `Distributor2` or `Distributor1`, gives each an endpoint at the stand-in, and hands
//! every message the stand-in takes for that endpoint to the app's connector, unchanged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use pocket_core::push::unifiedpush::{
    ARG_ENDPOINT, ARG_MESSAGE, ARG_SERVICE, ARG_SUCCESS, ARG_TOKEN, CONNECTOR_PATH,
    DISTRIBUTOR_PATH, DISTRIBUTOR_PREFIX, REGISTRATION_SUCCEEDED,
};
use zbus::zvariant::{OwnedValue, Value};

use super::push_services::{self, Received};

/// An app registered here: its bus name, its token, and the endpoint path it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub service: String,
    pub token: String,
    pub path: String,
}

#[derive(Default)]
struct Book {
    registered: Vec<Registered>,
    /// Messages handed on, by endpoint path.
    handed_on: Vec<String>,
}

pub struct Distributor {
    pub push_service: push_services::Running,
    book: Arc<Mutex<Book>>,
    _connection: zbus::Connection,
}

impl Distributor {
    /// Owns `org.unifiedpush.Distributor.SHORT_NAME` on the bus at `bus_address`.
    pub async fn start(bus_address: &str, short_name: &str) -> Result<Distributor> {
        let push_service = push_services::web_push().await;
        let book = Arc::new(Mutex::new(Book::default()));
        let origin = push_service.url("/");
        let connection = zbus::connection::Builder::address(bus_address)?
            .name(format!("{DISTRIBUTOR_PREFIX}{short_name}"))?
            .serve_at(
                DISTRIBUTOR_PATH,
                Registrar {
                    book: book.clone(),
                    origin,
                    runtime: tokio::runtime::Handle::current(),
                },
            )?
            .build()
            .await
            .context("the stand-in distributor on the session bus")?;
        let mut taken = push_service.script.forward();
        let (forwarding, handed) = (connection.clone(), book.clone());
        tokio::spawn(async move {
            while let Some(message) = taken.recv().await {
                hand_on(&forwarding, &handed, message).await;
            }
        });
        Ok(Distributor {
            push_service,
            book,
            _connection: connection,
        })
    }

    pub fn registered(&self) -> Vec<Registered> {
        self.book.lock().unwrap().registered.clone()
    }

    /// How many messages went on to an app.
    pub fn handed_on(&self) -> usize {
        self.book.lock().unwrap().handed_on.len()
    }
}

/// A message the stand-in took, to the app registered for its endpoint.
async fn hand_on(connection: &zbus::Connection, book: &Mutex<Book>, message: Received) {
    let Some(app) = book
        .lock()
        .unwrap()
        .registered
        .iter()
        .find(|app| app.path == message.path)
        .cloned()
    else {
        return;
    };
    let args: HashMap<&str, Value> = HashMap::from([
        (ARG_TOKEN, Value::from(app.token.as_str())),
        (ARG_MESSAGE, Value::from(message.body.to_vec())),
        ("id", Value::from("stand-in-1")),
    ]);
    let called = connection
        .call_method(
            Some(app.service.as_str()),
            CONNECTOR_PATH,
            Some("org.unifiedpush.Connector2"),
            "Message",
            &(args,),
        )
        .await;
    if called.is_ok() {
        book.lock().unwrap().handed_on.push(app.path);
    }
}

struct Registrar {
    book: Arc<Mutex<Book>>,
    origin: url::Url,
    /// zbus runs the methods on its own thread: the callback goes to the test's runtime.
    runtime: tokio::runtime::Handle,
}

impl Registrar {
    /// Books the app and, once the reply is out, gives it its endpoint.
    fn book(&self, connection: &zbus::Connection, service: String, token: String) {
        let path = format!("/push/{}", self.book.lock().unwrap().registered.len() + 1);
        let endpoint = self.origin.join(&path).map(|url| url.to_string());
        self.book.lock().unwrap().registered.push(Registered {
            service: service.clone(),
            token: token.clone(),
            path,
        });
        let connection = connection.clone();
        self.runtime.spawn(async move {
            let Ok(endpoint) = endpoint else { return };
            let args: HashMap<&str, Value> = HashMap::from([
                (ARG_TOKEN, Value::from(token.as_str())),
                (ARG_ENDPOINT, Value::from(endpoint.as_str())),
            ]);
            let _ = connection
                .call_method(
                    Some(service.as_str()),
                    CONNECTOR_PATH,
                    Some("org.unifiedpush.Connector2"),
                    "NewEndpoint",
                    &(args,),
                )
                .await;
        });
    }
}

fn text(args: &HashMap<String, OwnedValue>, key: &str) -> String {
    args.get(key)
        .and_then(|value| String::try_from(value.clone()).ok())
        .unwrap_or_default()
}

#[zbus::interface(name = "org.unifiedpush.Distributor2")]
impl Registrar {
    async fn register(
        &self,
        args: HashMap<String, OwnedValue>,
        #[zbus(connection)] connection: &zbus::Connection,
    ) -> HashMap<String, OwnedValue> {
        self.book(connection, text(&args, ARG_SERVICE), text(&args, ARG_TOKEN));
        HashMap::from([(
            ARG_SUCCESS.to_string(),
            OwnedValue::from(zbus::zvariant::Str::from(REGISTRATION_SUCCEEDED)),
        )])
    }

    async fn unregister(&self, args: HashMap<String, OwnedValue>) -> HashMap<String, OwnedValue> {
        let token = text(&args, ARG_TOKEN);
        self.book
            .lock()
            .unwrap()
            .registered
            .retain(|app| app.token != token);
        HashMap::new()
    }
}
