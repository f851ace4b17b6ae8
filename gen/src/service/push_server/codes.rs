//! Typed codes: the fallback when no login request arrives.

use pocket_core::otp::{OtpParams, SecretKey, code_at};
use rusqlite::{OptionalExtension, params};

use super::PushServer;
use crate::service::error::ServiceError;

impl PushServer {
    /// Checks a typed code: TOTP within one step either way, each code once. The brake on
    /// guessing is the service's (`throttle`), around this.
    pub fn verify_code(&self, serial: &str, code: &str) -> Result<bool, ServiceError> {
        let now = (self.clock)();
        let db = self.db();
        let stored: Option<(String, i64)> = db
            .query_row(
                "SELECT totp_secret, last_code_step FROM push_tokens WHERE serial = ?1 AND state = 'enrolled'",
                params![serial],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((secret, last_step)) = stored else {
            return Err(ServiceError::UnknownToken);
        };
        let secret = SecretKey::from_base32(&secret)?;
        let params = OtpParams::default_totp();
        let step_now = now / 30;
        let matched = (step_now - 1..=step_now + 1)
            .filter(|&step| step > last_step)
            .find(|&step| code_at(&params, &secret, (step * 30) as u64) == code.trim());
        match matched {
            Some(step) => {
                db.execute(
                    "UPDATE push_tokens SET last_code_step = ?2 WHERE serial = ?1",
                    params![serial, step],
                )?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
