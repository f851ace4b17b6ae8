//! The clock check on demand: every server the device is enrolled with (push tokens and
//! containers), each asked once for its time.

use std::collections::HashSet;

use url::Url;

use crate::clock::ClockSample;
use crate::error::Result;
use crate::push::PushClient;
use crate::vault::{SharedVault, Vault, exclusive};

/// The servers to ask, one per origin: the address the token or container was enrolled at,
/// and whether its certificate is checked (the weaker of two enrollments at one origin is
/// not taken: checked wins).
pub fn enrolled_servers(vault: &SharedVault) -> Result<Vec<(Url, bool)>> {
    servers_of(&exclusive(vault))
}

/// The servers that hold a token of this phone, by origin: the only ones whose clock may
/// move its codes.
pub fn clock_holders(vault: &Vault) -> Result<HashSet<String>> {
    Ok(servers_of(vault)?
        .iter()
        .map(|(url, _)| crate::push::origin(url))
        .collect())
}

fn servers_of(vault: &Vault) -> Result<Vec<(Url, bool)>> {
    let mut servers: Vec<(Url, bool)> = Vec::new();
    let tokens = vault
        .push_tokens()?
        .into_iter()
        .map(|t| (t.token.url, t.token.verify_tls));
    let containers = vault
        .containers()?
        .into_iter()
        .map(|c| (c.server, c.verify_tls));
    for (url, verify_tls) in tokens.chain(containers) {
        let origin = crate::push::origin(&url);
        match servers
            .iter_mut()
            .find(|(u, _)| crate::push::origin(u) == origin)
        {
            Some(known) if verify_tls && !known.1 => *known = (url, true),
            Some(_) => {}
            None => servers.push((url, verify_tls)),
        }
    }
    Ok(servers)
}

/// Asks every enrolled server for its time; each result under the server's origin. The
/// measurements also go to the client's record of the servers' clocks.
pub async fn measure_servers(
    vault: &SharedVault,
    client: &PushClient,
) -> Result<Vec<(String, Result<ClockSample>)>> {
    let mut results = Vec::new();
    for (url, verify_tls) in enrolled_servers(vault)? {
        let measured = client.measure_clock(&url, verify_tls).await;
        results.push((crate::push::origin(&url), measured));
    }
    Ok(results)
}
