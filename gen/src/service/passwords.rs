//! Password hashes (Argon2id, OWASP's minimum: 19 MiB, 2 passes) and their checks. Each check
//! needs 19 MiB of working memory; checks reuse blocks from a small pool instead of
//! allocating them, so logins neither fault in fresh pages each time nor fragment the heap
//! (which grew the service by ~19 MiB per login under the load test).

use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::error::ServiceError;

#[derive(Default)]
pub struct PasswordChecker {
    /// Working memory of finished checks, ready for the next ones.
    pool: Mutex<Vec<Vec<Block>>>,
}

fn internal(error: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(error.to_string())
}

/// A new PHC string for `password` with a random salt.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(internal)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(internal)?
        .to_string())
}

impl PasswordChecker {
    /// Whether `password` matches the PHC string `stored`.
    pub fn matches(&self, stored: &str, password: &str) -> Result<bool, ServiceError> {
        let parsed = PasswordHash::new(stored).map_err(internal)?;
        let algorithm = Algorithm::try_from(parsed.algorithm).map_err(internal)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()
            .map_err(internal)?
            .unwrap_or_default();
        let params = Params::try_from(&parsed).map_err(internal)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(internal("a stored password hash has no salt or output"));
        };
        let mut salt_bytes = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_bytes).map_err(internal)?;
        let blocks_needed = params.block_count();
        let mut blocks = self
            .take_blocks()
            .filter(|b| b.len() == blocks_needed)
            .unwrap_or_else(|| vec![Block::default(); blocks_needed]);
        let mut output = vec![0u8; expected.len()];
        let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut output,
            &mut blocks,
        );
        self.return_blocks(blocks);
        hashed.map_err(internal)?;
        // Output's comparison is constant-time.
        Ok(argon2::password_hash::Output::new(&output).map_err(internal)? == expected)
    }

    fn take_blocks(&self) -> Option<Vec<Block>> {
        super::unpoisoned(&self.pool).pop()
    }

    fn return_blocks(&self, blocks: Vec<Block>) {
        super::unpoisoned(&self.pool).push(blocks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_password_only() {
        let checker = PasswordChecker::default();
        let stored = hash_password("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(checker.matches(&stored, "correct horse battery").unwrap());
        assert!(!checker.matches(&stored, "correct horse batterY").unwrap());
        // Memory from the pool gives the same answers.
        assert!(checker.matches(&stored, "correct horse battery").unwrap());
        assert!(matches!(
            checker.matches("not a hash", "x"),
            Err(ServiceError::Internal(_))
        ));
    }
}
