//! Imports and backups at scale (`make bench`): a plain Aegis vault and a link list of 10,000
//! accounts each read (goal: under a second); the slowest of the second wave, a KeePass
//! database of 1,000 entries under KeePassXC's default Argon2 (64 MiB) and a FreeOTP 2
//! backup of 200 tokens (PBKDF2-SHA512, 100,000 iterations), each beside what its key
//! derivation alone costs (fixtures from tests/peers/export_vaults.py and export_more.py);
//! and a backup of 1,000 accounts written, read back and checked, beside its key derivation
//! alone (the backup derives the key twice: once to write, once to check).

use criterion::{Criterion, criterion_group, criterion_main};
use pocket_core::otp::{AccountDraft, OtpParams, SecretKey};
use pocket_core::transfer::{read_backup, write_uri_list};

fn accounts(n: usize) -> Vec<AccountDraft> {
    (0..n)
        .map(|i| {
            let secret = SecretKey::from_bytes(format!("bench secret {i:08}").into_bytes());
            AccountDraft::new(
                &format!("Service {i}"),
                &format!("user{i}@example.com"),
                secret.unwrap(),
                OtpParams::default_totp(),
            )
            .unwrap()
        })
        .collect()
}

/// A plain Aegis vault, as Aegis exports one unencrypted.
fn plain_aegis(accounts: &[AccountDraft]) -> String {
    let entries: Vec<serde_json::Value> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({"type": "totp", "uuid": format!("{i:032x}"), "name": a.name,
                "issuer": a.issuer, "note": "", "icon": null,
                "info": {"secret": *a.secret.to_base32(), "algo": "SHA1", "digits": 6, "period": 30}})
        })
        .collect();
    serde_json::json!({"version": 1, "header": {"slots": null, "params": null},
        "db": {"version": 3, "entries": entries, "groups": []}})
    .to_string()
}

fn imports(c: &mut Criterion) {
    let many = accounts(10_000);
    let vault = plain_aegis(&many);
    let links = write_uri_list(&many);
    let mut group = c.benchmark_group("import 10000 accounts");
    group.sample_size(10);
    group.bench_function("plain Aegis vault", |b| {
        b.iter(|| {
            assert_eq!(
                read_backup(vault.as_bytes(), None).unwrap().accounts.len(),
                10_000
            )
        })
    });
    group.bench_function("otpauth link list", |b| {
        b.iter(|| {
            assert_eq!(
                read_backup(links.as_bytes(), None).unwrap().accounts.len(),
                10_000
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("import the slowest new formats");
    group.sample_size(10);
    let keepass = include_bytes!("fixtures/keepass-1000.kdbx");
    group.bench_function("KeePass, 1000 entries, Argon2d 64 MiB", |b| {
        b.iter(|| {
            let read = read_backup(keepass, Some("bench password")).unwrap();
            assert_eq!(read.accounts.len(), 1000)
        })
    });
    group.bench_function(
        "its key derivation alone (Argon2d 64 MiB, 2 passes, 2 lanes)",
        |b| {
            let params = argon2::Params::new(64 << 10, 2, 2, Some(32)).unwrap();
            let argon =
                argon2::Argon2::new(argon2::Algorithm::Argon2d, argon2::Version::V0x13, params);
            b.iter(|| {
                let mut key = [0u8; 32];
                argon
                    .hash_password_into(b"bench password", &[7u8; 32], &mut key)
                    .unwrap();
                key
            })
        },
    );
    let freeotp = include_bytes!("fixtures/freeotp-200.bin");
    group.bench_function("FreeOTP 2 backup, 200 tokens", |b| {
        b.iter(|| {
            let read = read_backup(freeotp, Some("bench password")).unwrap();
            assert_eq!(read.accounts.len(), 200)
        })
    });
    group.bench_function("its key derivation alone (PBKDF2-SHA512, 100,000)", |b| {
        b.iter(|| {
            let mut key = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha512>(b"bench password", &[7u8; 32], 100_000, &mut key);
            key
        })
    });
    group.finish();
}

fn backups(c: &mut Criterion) {
    let thousand = accounts(1_000);
    let folder = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("backup of 1000 accounts");
    group.sample_size(10);
    let mut now = 1_800_000_000;
    // The names of the backups written so far, as the app keeps them: the ones it may prune.
    let mut ours: Vec<String> = Vec::new();
    group.bench_function("write, read back, check, keep 10", |b| {
        b.iter(|| {
            now += 1;
            let written = pocket_core::backup::write_backup(
                folder.path(),
                &thousand,
                "bench password",
                10,
                now,
                &ours,
            )
            .unwrap();
            ours.push(written.name());
            written
        })
    });
    group.bench_function("its key derivation alone (scrypt 2^15, 8, 1)", |b| {
        let params = scrypt::Params::new(15, 8, 1, 32).unwrap();
        b.iter(|| {
            let mut key = [0u8; 32];
            scrypt::scrypt(b"bench password", &[7u8; 32], &params, &mut key).unwrap();
            key
        })
    });
    group.finish();
}

criterion_group!(benches, imports, backups);
criterion_main!(benches);
