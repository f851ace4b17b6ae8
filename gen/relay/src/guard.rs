//! The relay posts to whatever endpoint a phone registered, and anyone who can enroll a token
//! can register any URL: without a guard, the relay would be a way into the network it runs
//! in. Endpoints must be public addresses, checked for IP literals before connecting and for
//! host names on every resolution (so a name that later resolves inward is refused too).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::error::{RelayError, Result};

/// Whether `ip` is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        // Carrier-grade NAT 100.64.0.0/10, IETF protocol assignments 192.0.0.0/24,
        // benchmarking 198.18.0.0/15.
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19)))
}

/// Only global unicast (2000::/3) is public, and within it not the prefixes that carry an
/// IPv4 address into another network (6to4, Teredo) or are for documentation. NAT64's
/// prefixes (64:ff9b::/96, 64:ff9b:1::/48), site-local and the rest lie outside 2000::/3.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    let [first, second, ..] = ip.segments();
    let global_unicast = (first & 0xe000) == 0x2000;
    let six_to_four = first == 0x2002;
    let teredo_or_documentation = first == 0x2001 && (second == 0 || second == 0x0db8);
    global_unicast && !six_to_four && !teredo_or_documentation
}

/// Refuses an endpoint whose host is an address that is not public.
pub fn check_endpoint(endpoint: &Url) -> Result<()> {
    let ip = match endpoint.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(_)) => return Ok(()),
        None => return Err(RelayError::Registration("the endpoint has no host".into())),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(RelayError::PrivateEndpoint)
    }
}

/// The system's resolver, keeping only public addresses.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = format!("{}:0", name.as_str());
            let found: Vec<SocketAddr> = tokio::net::lookup_host(host)
                .await?
                .filter(|address| is_public(address.ip()))
                .collect();
            if found.is_empty() {
                return Err(Box::new(RelayError::PrivateEndpoint) as _);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "2001:db8::1",
            "ff02::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn endpoints_at_private_addresses_are_refused_before_connecting() {
        let check = |url: &str| check_endpoint(&Url::parse(url).unwrap());
        assert!(matches!(
            check("https://169.254.169.254/latest"),
            Err(RelayError::PrivateEndpoint)
        ));
        assert!(matches!(
            check("https://[::1]:8443/x"),
            Err(RelayError::PrivateEndpoint)
        ));
        assert!(check("https://1.1.1.1/x").is_ok());
        assert!(check("https://push.example.net/x").is_ok());
    }

    #[tokio::test]
    async fn a_name_that_resolves_inward_is_refused() {
        // localhost resolves from the hosts file, without asking any server.
        let resolved = PublicOnly.resolve("localhost".parse().unwrap()).await;
        let error = resolved.err().expect("refused");
        assert!(matches!(
            error.downcast_ref::<RelayError>(),
            Some(RelayError::PrivateEndpoint)
        ));
    }
}
