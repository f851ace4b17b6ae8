//! Codes for 10,000 accounts at once, as a list screen full of accounts needs them: a mix of
//! algorithms, digits, periods and secret sizes, from the same seeded set the pyotp
//! comparison uses (`make bench`).

use criterion::{Criterion, criterion_group, criterion_main};
use pocket_core::otp::{code_at, fixtures};

fn ten_thousand_codes(c: &mut Criterion) {
    let accounts = fixtures::bench_accounts(10_000);
    let now = 1_700_000_000;
    c.bench_function("code_at x 10000 accounts", |b| {
        b.iter(|| {
            accounts
                .iter()
                .map(|(params, secret)| code_at(params, secret, now).len())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, ten_thousand_codes);
criterion_main!(benches);
