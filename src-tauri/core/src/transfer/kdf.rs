//! What opening a password-protected file may cost. A file names its own key-derivation
//! parameters, and a hostile one can name any: dozens of password slots, each asking for
//! half a gigabyte. Every reader prices each derivation here before running it, against a
//! budget for the whole import, and the import runs off the thread that draws the window.

use crate::error::{Error, Result};

/// The most memory one scrypt derivation may take: eight times Aegis' own (32 MiB). scrypt
/// allocates its memory itself, so this stays well below what a phone can give.
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 256 << 20;

/// The most lanes (scrypt's p) a derivation may ask for: Aegis uses one. The lanes' own
/// buffer is 128·r·p bytes, held at once, so a huge p is a huge allocation even with a tiny N.
pub const MAX_SCRYPT_LANES: u32 = 16;

/// The most memory one Argon2 derivation may take: what Ente Auth asked for before it moved
/// to 256 MiB. Pocket allocates it up front and refuses the file if it cannot have it, so a
/// phone short of memory gets an error instead of a crash.
pub const MAX_ARGON2_MEMORY_BYTES: u64 = 1 << 30;

/// The work one import may spend in all, in bytes of memory traffic (a derivation's memory
/// times its passes, twice): a little more than Ente Auth's own setting (1 GiB over 4
/// passes, or 256 MiB over 16), which is some 128 Aegis password slots, and seconds on a
/// phone.
pub const MAX_IMPORT_WORK: u64 = 9 << 30;

/// One key derivation, priced before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    pub memory_bytes: u64,
    pub work: u64,
    /// The most memory this kind of derivation may have.
    pub memory_limit: u64,
}

impl KdfCost {
    /// scrypt with N = 2^log_n: each of the p lanes fills and reads 128·r·N bytes, one lane
    /// at a time, and the p lanes' blocks, 128·r·p bytes, are held together throughout. More
    /// than `MAX_SCRYPT_LANES` lanes are refused whatever they would cost.
    pub fn scrypt(log_n: u8, r: u32, p: u32) -> KdfCost {
        let lane = (128u128 * u128::from(r)) << log_n.min(63);
        let lane = u64::try_from(lane).unwrap_or(u64::MAX);
        let blocks = 128u64
            .saturating_mul(u64::from(r))
            .saturating_mul(u64::from(p));
        let memory_bytes = if p > MAX_SCRYPT_LANES {
            u64::MAX
        } else {
            lane.saturating_add(blocks)
        };
        KdfCost {
            memory_bytes,
            work: lane.saturating_mul(2).saturating_mul(u64::from(p)),
            memory_limit: MAX_SCRYPT_MEMORY_BYTES,
        }
    }

    /// PBKDF2 with an HMAC of SHA-1 or SHA-256: no memory to speak of; each iteration costs
    /// about what moving 512 bytes through a memory-hard function does.
    pub fn pbkdf2(iterations: u32) -> KdfCost {
        KdfCost {
            memory_bytes: 0,
            work: u64::from(iterations) * 512,
            memory_limit: 0,
        }
    }

    /// KeePass's AES-KDF: `rounds` AES encryptions of two blocks, no memory to speak of;
    /// a round costs about an eighth of a PBKDF2 iteration.
    pub fn aes_kdf(rounds: u64) -> KdfCost {
        KdfCost {
            memory_bytes: 0,
            work: rounds.saturating_mul(64),
            memory_limit: 0,
        }
    }

    /// Argon2 with `memory_kib` and `passes` (its time cost).
    pub fn argon2(memory_kib: u32, passes: u32) -> KdfCost {
        let memory = u64::from(memory_kib) * 1024;
        KdfCost {
            memory_bytes: memory,
            work: memory.saturating_mul(2).saturating_mul(u64::from(passes)),
            memory_limit: MAX_ARGON2_MEMORY_BYTES,
        }
    }
}

/// What is left to spend for one import.
#[derive(Debug)]
pub struct KdfBudget {
    left: u64,
}

impl Default for KdfBudget {
    fn default() -> KdfBudget {
        KdfBudget {
            left: MAX_IMPORT_WORK,
        }
    }
}

impl KdfBudget {
    /// Refuses `costs` unless each fits in memory and all of them fit in what is left;
    /// spends them when they do. Pricing every slot of a file at once refuses a hostile file
    /// before its first derivation instead of after many.
    pub fn spend(&mut self, costs: &[KdfCost]) -> Result<()> {
        let mut total = 0u64;
        for cost in costs {
            if cost.memory_bytes > cost.memory_limit {
                return Err(Error::BackupTooCostly);
            }
            total = total.saturating_add(cost.work);
        }
        if total > self.left {
            return Err(Error::BackupTooCostly);
        }
        self.left -= total;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_files_fit_and_hostile_ones_do_not() {
        let aegis = KdfCost::scrypt(15, 8, 1);
        assert_eq!(aegis.memory_bytes, (32 << 20) + 1024);
        let mut kdf = KdfBudget::default();
        kdf.spend(&[aegis; 4]).unwrap();
        // andOTP's PBKDF2 (up to 160,000 iterations), Authenticator Pro's Argon2id (64 MiB,
        // 3 passes), Bitwarden's PBKDF2 at its highest (2,000,000).
        kdf.spend(&[
            KdfCost::pbkdf2(160_000),
            KdfCost::argon2(65_536, 3),
            KdfCost::pbkdf2(2_000_000),
        ])
        .unwrap();
        // Ente Auth's settings, old and new, each on its own.
        for ente in [KdfCost::argon2(1 << 20, 4), KdfCost::argon2(1 << 18, 16)] {
            KdfBudget::default().spend(&[ente]).unwrap();
        }

        // One scrypt slot of N = 2^18, r = 16: half a gigabyte.
        let heavy = KdfCost::scrypt(18, 16, 4);
        assert_eq!(
            KdfBudget::default().spend(&[heavy]).unwrap_err().code(),
            "backup_too_costly"
        );
        let too_costly = |spent: crate::error::Result<()>| spent.unwrap_err().code();
        // Argon2 past a gigabyte.
        assert_eq!(
            too_costly(KdfBudget::default().spend(&[KdfCost::argon2(2 << 20, 1)])),
            "backup_too_costly"
        );
        // Two hundred ordinary slots: each fits, together they do not.
        assert_eq!(
            too_costly(KdfBudget::default().spend(&[aegis; 200])),
            "backup_too_costly"
        );
        // Spending what is left: past some 144 slots one import is refused.
        let mut kdf = KdfBudget::default();
        for _ in 0..144 {
            kdf.spend(&[aegis]).unwrap();
        }
        assert_eq!(too_costly(kdf.spend(&[aegis])), "backup_too_costly");
        // A tiny N with millions of lanes: 2.25 GiB of lane blocks held at once, however
        // little each lane costs, and just inside the work budget.
        let lanes = KdfCost::scrypt(1, 1, 18_874_368);
        assert!(lanes.work <= MAX_IMPORT_WORK);
        assert_eq!(
            too_costly(KdfBudget::default().spend(&[lanes])),
            "backup_too_costly"
        );
        // Lanes past the cap are refused even when their blocks would fit.
        assert_eq!(
            too_costly(KdfBudget::default().spend(&[KdfCost::scrypt(10, 1, MAX_SCRYPT_LANES + 1)])),
            "backup_too_costly"
        );
        KdfBudget::default()
            .spend(&[KdfCost::scrypt(10, 1, MAX_SCRYPT_LANES)])
            .unwrap();
        // Absurd parameters saturate instead of overflowing.
        for absurd in [
            KdfCost::scrypt(63, u32::MAX, u32::MAX),
            KdfCost::pbkdf2(u32::MAX),
            KdfCost::argon2(u32::MAX, u32::MAX),
        ] {
            assert_eq!(
                too_costly(KdfBudget::default().spend(&[absurd])),
                "backup_too_costly"
            );
        }
    }
}
