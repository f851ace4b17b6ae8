//! UnifiedPush's D-Bus protocol, the parts that are decisions rather than transport: the
//! names on the bus, which distributor to use, and what a distributor's call means for the
//! phone. The app's connector (Linux) speaks the bus with these.
//!
//! A distributor owns a name `org.unifiedpush.Distributor.NAME` on the session bus and serves
//! `org.unifiedpush.Distributor2` (or the older `Distributor1`) at [`DISTRIBUTOR_PATH`]. The
//! app owns its own name and serves `org.unifiedpush.Connector2` and `Connector1` at
//! [`CONNECTOR_PATH`]; it registers with a token of its own, and the distributor answers
//! through the connector: `NewEndpoint` (the URL a relay posts to), `Message` (a message's
//! body, here an RFC 8291 Web Push message) and `Unregistered`.

use crate::error::{Error, Result};

pub const DISTRIBUTOR_PREFIX: &str = "org.unifiedpush.Distributor.";
pub const DISTRIBUTOR_PATH: &str = "/org/unifiedpush/Distributor";
pub const CONNECTOR_PATH: &str = "/org/unifiedpush/Connector";
/// The keys of the `a{sv}` dictionaries Distributor2 and Connector2 exchange.
pub const ARG_SERVICE: &str = "service";
pub const ARG_TOKEN: &str = "token";
pub const ARG_DESCRIPTION: &str = "description";
pub const ARG_ENDPOINT: &str = "endpoint";
pub const ARG_MESSAGE: &str = "message";
pub const ARG_SUCCESS: &str = "success";
pub const ARG_REASON: &str = "reason";
pub const REGISTRATION_SUCCEEDED: &str = "REGISTRATION_SUCCEEDED";
/// The environment variable users (and tests) name a distributor with, as other connectors
/// read it: the part of its bus name after the prefix.
pub const DISTRIBUTOR_VARIABLE: &str = "UNIFIEDPUSH_DISTRIBUTOR";
/// What the distributor shows the user about this registration.
pub const DESCRIPTION: &str = "Pocket: login requests";

/// The distributor to register with, among the names on the bus: the one the user chose if it
/// runs; else the one the environment names (only that one); else the one registered with now
/// while it runs (a name that appears later does not take over: any program on the bus can
/// own one); else the first by name, so the choice is the same every time. `None` when no
/// distributor runs.
pub fn choose_distributor(
    bus_names: &[String],
    chosen: Option<&str>,
    from_environment: Option<&str>,
    current: Option<&str>,
) -> Option<String> {
    let mut running: Vec<&String> = bus_names
        .iter()
        .filter(|name| {
            name.strip_prefix(DISTRIBUTOR_PREFIX)
                .is_some_and(|short| !short.is_empty())
        })
        .collect();
    running.sort();
    let named = |short: &str| {
        running
            .iter()
            .find(|name| name.strip_prefix(DISTRIBUTOR_PREFIX) == Some(short))
            .map(|name| name.to_string())
    };
    if let Some(chosen) = chosen.and_then(named) {
        return Some(chosen);
    }
    if let Some(short) = from_environment.filter(|short| !short.is_empty()) {
        return named(short);
    }
    if let Some(current) = current.filter(|current| running.iter().any(|name| name == current)) {
        return Some(current.to_string());
    }
    running.first().map(|name| name.to_string())
}

/// A distributor's name as the user sees it: its bus name without the prefix.
pub fn distributor_label(bus_name: &str) -> &str {
    bus_name
        .strip_prefix(DISTRIBUTOR_PREFIX)
        .unwrap_or(bus_name)
}

/// The endpoint a distributor announced, checked before anything is sent to a server: an
/// https URL (plain HTTP only on this machine) that a registration can carry.
pub fn endpoint_from_distributor(endpoint: &str) -> Result<url::Url> {
    let url = url::Url::parse(endpoint)
        .map_err(|e| Error::invalid("endpoint", format!("not a URL: {e}")))?;
    // The registration's own rules decide: one place for what a relay will accept.
    let probe = super::WakeChannel::WebPush {
        endpoint: url.clone(),
        p256dh: vec![4; 65],
        auth: vec![0; 16],
    };
    super::WakeChannel::parse(&probe.registration())?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn the_chosen_distributor_wins_then_the_environments_then_the_first() {
        let bus = names(&[
            ":1.42",
            "org.freedesktop.Notifications",
            "org.unifiedpush.Distributor.ntfy",
            "org.unifiedpush.Distributor.kde",
            "org.unifiedpush.Distributor.",
        ]);
        assert_eq!(
            choose_distributor(&bus, None, None, None).as_deref(),
            Some("org.unifiedpush.Distributor.kde")
        );
        assert_eq!(
            choose_distributor(&bus, Some("ntfy"), Some("kde"), None).as_deref(),
            Some("org.unifiedpush.Distributor.ntfy")
        );
        // A chosen one that no longer runs gives way.
        assert_eq!(
            choose_distributor(&bus, Some("gone"), Some("ntfy"), None).as_deref(),
            Some("org.unifiedpush.Distributor.ntfy")
        );
        // The environment names only that one.
        assert_eq!(choose_distributor(&bus, None, Some("other"), None), None);
        assert_eq!(
            choose_distributor(&names(&[":1.1"]), None, None, None),
            None
        );
        // A distributor that appears later (first by name) does not take over a working one.
        let current = Some("org.unifiedpush.Distributor.ntfy");
        assert_eq!(
            choose_distributor(&bus, None, None, current).as_deref(),
            current
        );
        // Unless the user chooses it, or the current one is gone.
        assert_eq!(
            choose_distributor(&bus, Some("kde"), None, current).as_deref(),
            Some("org.unifiedpush.Distributor.kde")
        );
        assert_eq!(
            choose_distributor(&bus, None, None, Some("org.unifiedpush.Distributor.gone"))
                .as_deref(),
            Some("org.unifiedpush.Distributor.kde")
        );
        assert_eq!(distributor_label("org.unifiedpush.Distributor.kde"), "kde");
    }

    #[test]
    fn an_endpoint_must_be_one_a_relay_takes() {
        assert!(endpoint_from_distributor("https://ntfy.example.net/upAbc?up=1").is_ok());
        assert!(endpoint_from_distributor("http://127.0.0.1:8080/up").is_ok());
        for bad in [
            "http://ntfy.example.net/up",
            "not a url",
            "file:///etc/passwd",
        ] {
            let error = endpoint_from_distributor(bad).unwrap_err();
            assert_eq!(error.code(), "invalid_parameter", "{bad}");
        }
    }
}
