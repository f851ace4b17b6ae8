//! pocket-core's codes against two independent implementations, oathtool (C) and pyotp
//! (Python), on 2,000 random cases: SHA1/SHA256/SHA512 × 6–8 digits × periods from 1 s to a
//! day × HOTP counters up to 2^63 × 80/128/160/256/512-bit secrets. oathtool has no HOTP with
//! SHA-2, so those cases are checked against pyotp alone; every other case against both.

use anyhow::{Result, ensure};
use pocket_core::otp::{Algorithm, OtpKind, OtpParams, SecretKey, code_at};
use serde_json::json;

const CASES: usize = 2000;

struct Case {
    secret: SecretKey,
    params: OtpParams,
    time: u64,
}

/// xorshift64*, seeded: the same cases every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cases() -> Result<Vec<Case>> {
    let mut rng = Rng(0x005E_ED0F_C0DE);
    let mut cases = Vec::new();
    for n in 0..CASES {
        let bits = [80, 128, 160, 256, 512][n % 5];
        let secret: Vec<u8> = (0..bits / 8).map(|_| rng.next() as u8).collect();
        let algorithm = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][(n / 5) % 3];
        let digits = 6 + ((n / 15) % 3) as u8;
        let kind = if rng.below(10) < 3 {
            // Small counters as phones see them, and huge ones at the edges of the range.
            let counter = match rng.below(3) {
                0 => rng.below(1000),
                1 => rng.next() >> 1,
                _ => rng.next() >> rng.below(63),
            };
            OtpKind::Hotp { counter }
        } else {
            let period = match rng.below(4) {
                0 => 30,
                1 => [15, 45, 60, 90, 120, 300][rng.below(6) as usize],
                2 => 1 + rng.below(600) as u32,
                _ => 1 + rng.below(86_400) as u32,
            };
            OtpKind::Totp { period }
        };
        let params = OtpParams {
            kind,
            algorithm,
            digits,
        }
        .validate()?;
        cases.push(Case {
            secret: SecretKey::from_bytes(secret)?,
            params,
            // Any moment up to the year 2242, past 2038's signed 32-bit limit too.
            time: rng.below(1 << 33),
        });
    }
    Ok(cases)
}

fn oathtool(case: &Case) -> Result<Option<String>> {
    let secret = case.secret.to_base32().to_string();
    let digits = format!("--digits={}", case.params.digits);
    let args: Vec<String> = match case.params.kind {
        OtpKind::Hotp { .. } if case.params.algorithm != Algorithm::Sha1 => return Ok(None),
        OtpKind::Hotp { counter } => vec![
            "--hotp".into(),
            digits,
            format!("--counter={counter}"),
            "--base32".into(),
            secret,
        ],
        OtpKind::Totp { period } => vec![
            format!("--totp={}", case.params.algorithm.as_str().to_lowercase()),
            digits,
            format!("--time-step-size={period}s"),
            format!("--now=@{}", case.time),
            "--base32".into(),
            secret,
        ],
        OtpKind::Steam => return Ok(None),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Ok(Some(pocket_tests::tools::oathtool(&args)?))
}

const PYOTP_SCRIPT: &str = r#"
import json, sys, hashlib, pyotp
for line in sys.stdin:
    c = json.loads(line)
    digest = getattr(hashlib, c["algorithm"])
    if c["counter"] is not None:
        code = pyotp.HOTP(c["secret"], digits=c["digits"], digest=digest).at(c["counter"])
    else:
        code = pyotp.TOTP(c["secret"], digits=c["digits"], digest=digest, interval=c["period"]).at(c["time"])
    print(code)
"#;

fn pyotp(cases: &[Case]) -> Result<Vec<String>> {
    let mut input = String::new();
    for case in cases {
        let (counter, period) = match case.params.kind {
            OtpKind::Hotp { counter } => (Some(counter), None),
            OtpKind::Totp { period } => (None, Some(period)),
            OtpKind::Steam => (None, Some(30)),
        };
        let line = json!({
            "secret": case.secret.to_base32().to_string(),
            "algorithm": case.params.algorithm.as_str().to_lowercase(),
            "digits": case.params.digits,
            "counter": counter,
            "period": period,
            "time": case.time,
        });
        input.push_str(&format!("{line}\n"));
    }
    let out = pocket_tests::tools::run_python(PYOTP_SCRIPT, input.as_bytes())?;
    Ok(String::from_utf8(out)?
        .lines()
        .map(str::to_string)
        .collect())
}

#[test]
fn codes_match_oathtool_and_pyotp() -> Result<()> {
    let cases = cases()?;
    let from_pyotp = pyotp(&cases)?;
    ensure!(
        from_pyotp.len() == cases.len(),
        "pyotp answered {} cases",
        from_pyotp.len()
    );
    let (mut mismatches, mut against_both) = (Vec::new(), 0);
    for (case, by_pyotp) in cases.iter().zip(&from_pyotp) {
        let ours = code_at(&case.params, &case.secret, case.time);
        let by_oathtool = oathtool(case)?;
        against_both += usize::from(by_oathtool.is_some());
        if ours != *by_pyotp || by_oathtool.as_ref().is_some_and(|o| *o != ours) {
            mismatches.push(format!(
                "{:?} at {}: pocket {ours}, pyotp {by_pyotp}, oathtool {by_oathtool:?}",
                case.params, case.time
            ));
        }
    }
    ensure!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    // Most cases had both witnesses.
    ensure!(
        against_both * 10 >= cases.len() * 7,
        "only {against_both} against oathtool"
    );
    // The cases cover every combination that matters.
    let kinds = |f: fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count();
    ensure!(kinds(|c| matches!(c.params.kind, OtpKind::Hotp { .. })) > 400);
    ensure!(kinds(|c| c.params.algorithm == Algorithm::Sha512 && c.params.digits == 8) > 100);
    ensure!(kinds(|c| c.secret.bit_len() == 512) == CASES / 5);
    Ok(())
}
