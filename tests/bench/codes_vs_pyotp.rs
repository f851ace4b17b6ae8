//! pocket-core against pyotp on the same 10,000 accounts (the criterion bench's set): every
//! code must agree, then each side computes all of them many times inside its own process
//! and the medians are printed with their ratio. Run optimised: `make bench`.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use pocket_core::otp::{OtpKind, code_at, fixtures};
use serde_json::json;

const ACCOUNTS: usize = 10_000;
const ROUNDS: usize = 15;
const AT: u64 = 1_700_000_000;
/// pyotp computes the set ROUNDS + 1 times in about 20 s here.
const PYOTP_LIMIT: Duration = Duration::from_secs(300);

const PYOTP: &str = r#"
import hashlib, json, sys, time, pyotp
rounds, at = int(sys.argv[1]), int(sys.argv[2])
accounts = [json.loads(line) for line in sys.stdin]
def all_codes():
    return [pyotp.TOTP(a["secret"], digits=a["digits"], digest=getattr(hashlib, a["algorithm"]),
                       interval=a["period"]).at(at) for a in accounts]
codes = all_codes()
times = []
for _ in range(rounds):
    start = time.perf_counter()
    all_codes()
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"median_ms": times[len(times) // 2] * 1000, "codes": codes}))
"#;

fn main() -> Result<()> {
    let accounts = fixtures::bench_accounts(ACCOUNTS);
    let mut input = String::new();
    for (params, secret) in &accounts {
        let OtpKind::Totp { period } = params.kind else {
            anyhow::bail!("the bench set is time-based");
        };
        let line = json!({
            "secret": secret.to_base32().to_string(),
            "algorithm": params.algorithm.as_str().to_lowercase(),
            "digits": params.digits,
            "period": period,
        });
        input.push_str(&format!("{line}\n"));
    }
    let ours: Vec<String> = accounts
        .iter()
        .map(|(params, secret)| code_at(params, secret, AT))
        .collect();
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let codes: Vec<String> = accounts
            .iter()
            .map(|(params, secret)| code_at(params, secret, AT))
            .collect();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(codes);
    }
    times.sort_by(f64::total_cmp);
    let pocket_ms = times[times.len() / 2];

    // Each side in turn, so neither is timed while the other takes a core.
    let out = pocket_tests::process::run_with_input(
        Command::new(pocket_tests::tools::peers_python()?).args([
            "-c",
            PYOTP,
            &ROUNDS.to_string(),
            &AT.to_string(),
        ]),
        input.as_bytes(),
        PYOTP_LIMIT,
    )
    .context("pyotp's Python (`make test` installs it)")?
    .checked()?;
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let pyotp_ms = theirs["median_ms"].as_f64().context("no time from pyotp")?;
    let their_codes: Vec<String> = serde_json::from_value(theirs["codes"].clone())?;
    let disagree = ours
        .iter()
        .zip(&their_codes)
        .filter(|(a, b)| a != b)
        .count();
    ensure!(
        their_codes.len() == ours.len() && disagree == 0,
        "{disagree} codes differ"
    );
    println!(
        "codes for {ACCOUNTS} accounts (SHA1/256/512, 6-8 digits, 80-512-bit secrets), all equal; \
         median of {ROUNDS} rounds inside each process:"
    );
    println!("  pocket-core {pocket_ms:>8.2} ms");
    println!(
        "  pyotp 2.9   {pyotp_ms:>8.2} ms   ({:.1}x pocket-core's time)",
        pyotp_ms / pocket_ms
    );
    Ok(())
}
