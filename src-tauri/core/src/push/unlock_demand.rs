//! What a server asks of the app before its requests are answered: privacyIDEA's enrollment
//! policy `app_force_unlock` (`any`, `biometric` or `pin`, 3.13 and later) and the older
//! `force_app_pin`, which reach the phone as `app_force_unlock=` and `pin=True` in the
//! token's enrollment link.

use serde::{Deserialize, Serialize};

use crate::link_query::LinkQuery;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnlockDemand {
    /// Any unlock method of the app or the phone.
    Any,
    /// The phone's biometrics; on desktop, which has none, the Pocket passcode.
    Biometric,
    /// A passcode: the Pocket passcode on desktop, the phone's own on phones.
    Pin,
}

impl UnlockDemand {
    /// The demand in an enrollment link's query, if it makes one. A value Pocket does not know
    /// still demands an unlock: asking once too often is safer than never.
    pub(crate) fn in_link(query: &LinkQuery) -> Option<UnlockDemand> {
        if let Some(value) = query.get("app_force_unlock") {
            return match value.trim().to_ascii_lowercase().as_str() {
                "" | "none" | "false" => None,
                "biometric" => Some(UnlockDemand::Biometric),
                "pin" => Some(UnlockDemand::Pin),
                _ => Some(UnlockDemand::Any),
            };
        }
        let pin = query.get("pin")?;
        matches!(pin.trim().to_ascii_lowercase().as_str(), "true" | "1")
            .then_some(UnlockDemand::Pin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UnlockDemand::Any => "any",
            UnlockDemand::Biometric => "biometric",
            UnlockDemand::Pin => "pin",
        }
    }

    pub fn from_stored(text: &str) -> Option<UnlockDemand> {
        match text {
            "any" => Some(UnlockDemand::Any),
            "biometric" => Some(UnlockDemand::Biometric),
            "pin" => Some(UnlockDemand::Pin),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(query: &str) -> Option<UnlockDemand> {
        let url = url::Url::parse(&format!("x://y/z?{query}")).unwrap();
        UnlockDemand::in_link(&LinkQuery::of(&url))
    }

    #[test]
    fn privacyideas_values_and_the_older_pin_flag() {
        assert_eq!(demand("serial=A"), None);
        assert_eq!(
            demand("pin=True&app_force_unlock=pin"),
            Some(UnlockDemand::Pin)
        );
        assert_eq!(
            demand("app_force_unlock=biometric"),
            Some(UnlockDemand::Biometric)
        );
        assert_eq!(demand("app_force_unlock=ANY"), Some(UnlockDemand::Any));
        assert_eq!(demand("pin=True"), Some(UnlockDemand::Pin));
        assert_eq!(demand("pin=False"), None);
        // The newer policy's value wins over the flag, as privacyIDEA writes them.
        assert_eq!(
            demand("pin=True&app_force_unlock=biometric"),
            Some(UnlockDemand::Biometric)
        );
        assert_eq!(demand("app_force_unlock=face"), Some(UnlockDemand::Any));
        for demand in [
            UnlockDemand::Any,
            UnlockDemand::Biometric,
            UnlockDemand::Pin,
        ] {
            assert_eq!(UnlockDemand::from_stored(demand.as_str()), Some(demand));
        }
    }
}
