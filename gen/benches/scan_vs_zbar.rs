//! Pocket's QR decoder (pocket-core) against zbarimg, on the same corpus, in one run.
//!
//! Prints, per category and in total, how many codes each found and how many texts each
//! reported that the image does not hold, then the median and p95 time per image: pocket-core in
//! process, `pocket-gen scan` as a process per image, and `zbarimg` as a process per image
//! (zbarimg has no library form here, so the process figures are the like-for-like ones).
//! Exits non-zero when Pocket finds fewer codes than zbarimg or reports a text that is not
//! there. Options: `--seed N` (default 1), `--per-category N` (default 20).

use std::collections::{BTreeMap, HashSet};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use pocket_gen::corpus::{self, Entry};
use pocket_tests::process::run;

/// The longest one decoder run may take: a whole image, or the run has gone wrong.
const COMMAND_LIMIT: Duration = Duration::from_secs(30);

#[derive(Default)]
struct Tally {
    codes: usize,
    pocket_found: usize,
    zbar_found: usize,
    pocket_false: usize,
    zbar_false: usize,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: u64| -> Result<u64> {
        match args.iter().position(|a| a == name) {
            Some(i) => Ok(args.get(i + 1).context("option without a value")?.parse()?),
            None => Ok(default),
        }
    };
    let (seed, per_category) = (option("--seed", 1)?, option("--per-category", 20)? as usize);
    let zbarimg =
        which("zbarimg").context("zbarimg is missing: `make bench` installs zbar-tools")?;

    let dir = tempfile::tempdir()?;
    let entries = corpus::generate(dir.path(), seed, per_category)?;
    println!(
        "corpus: {} images, seed {seed}, {per_category} per category",
        entries.len()
    );

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut in_process, mut pocket_process, mut zbar_process) =
        (Vec::new(), Vec::new(), Vec::new());
    for entry in &entries {
        let path = dir.path().join(&entry.file);
        let bytes = std::fs::read(&path)?;
        let expected: HashSet<&str> = entry.texts.iter().map(String::as_str).collect();

        let started = Instant::now();
        let pocket = pocket_core::scan::decode_image_file(&bytes)?;
        in_process.push(started.elapsed());

        let started = Instant::now();
        let out = run(
            Command::new(env!("CARGO_BIN_EXE_pocket-gen"))
                .arg("scan")
                .arg(&path),
            COMMAND_LIMIT,
        )?;
        pocket_process.push(started.elapsed());
        let from_process: Vec<String> = String::from_utf8(out.stdout)?
            .trim_end_matches('\n')
            .split('\t')
            .skip(1)
            .map(str::to_string)
            .collect();
        if from_process.iter().filter(|t| !t.is_empty()).count() != pocket.len() {
            bail!("pocket-gen scan and pocket-core disagree on {}", entry.file);
        }

        let started = Instant::now();
        let out = run(
            Command::new(&zbarimg)
                .args(["-q", "--raw", "-Sdisable", "-Sqrcode.enable"])
                .arg(&path),
            COMMAND_LIMIT,
        )?;
        zbar_process.push(started.elapsed());
        let zbar: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();

        let tally = tallies.entry(entry.category.clone()).or_default();
        count(tally, &expected, &pocket, &zbar, entry);
    }

    println!(
        "\n{:<18} {:>6} {:>8} {:>8} {:>12} {:>11}",
        "category", "codes", "Pocket", "zbarimg", "Pocket false", "zbar false"
    );
    let mut total = Tally::default();
    for (category, t) in &tallies {
        println!(
            "{category:<18} {:>6} {:>8} {:>8} {:>12} {:>11}",
            t.codes, t.pocket_found, t.zbar_found, t.pocket_false, t.zbar_false
        );
        total.codes += t.codes;
        total.pocket_found += t.pocket_found;
        total.zbar_found += t.zbar_found;
        total.pocket_false += t.pocket_false;
        total.zbar_false += t.zbar_false;
    }
    println!(
        "{:<18} {:>6} {:>8} {:>8} {:>12} {:>11}",
        "total",
        total.codes,
        total.pocket_found,
        total.zbar_found,
        total.pocket_false,
        total.zbar_false
    );
    let rate = |found: usize| 100.0 * found as f64 / total.codes.max(1) as f64;
    println!(
        "\ndecode rate: Pocket {:.1}%, zbarimg {:.1}%",
        rate(total.pocket_found),
        rate(total.zbar_found)
    );

    println!("time per image:                  median        p95");
    for (label, times) in [
        ("pocket-core, in process", &mut in_process),
        ("pocket-gen scan, one process", &mut pocket_process),
        ("zbarimg, one process", &mut zbar_process),
    ] {
        times.sort();
        println!(
            "  {label:<29} {:>7.2} ms {:>7.2} ms",
            ms(percentile(times, 50)),
            ms(percentile(times, 95))
        );
    }
    let ratio = ms(percentile(&zbar_process, 50)) / ms(percentile(&pocket_process, 50));
    println!("  zbarimg / pocket-gen, median: {ratio:.2}x");

    if total.pocket_found < total.zbar_found {
        bail!("Pocket found fewer codes than zbarimg");
    }
    if total.pocket_false > 0 {
        bail!(
            "Pocket reported {} texts that are not in the images",
            total.pocket_false
        );
    }
    Ok(())
}

fn count(
    tally: &mut Tally,
    expected: &HashSet<&str>,
    pocket: &[String],
    zbar: &[String],
    entry: &Entry,
) {
    tally.codes += expected.len();
    let (mut seen_pocket, mut seen_zbar) = (HashSet::new(), HashSet::new());
    for text in pocket {
        if expected.contains(text.as_str()) && seen_pocket.insert(text) {
            tally.pocket_found += 1;
        } else if !expected.contains(text.as_str()) {
            eprintln!("Pocket false result in {}", entry.file);
            tally.pocket_false += 1;
        }
    }
    for text in zbar {
        if expected.contains(text.as_str()) && seen_zbar.insert(text) {
            tally.zbar_found += 1;
        } else if !expected.contains(text.as_str()) {
            tally.zbar_false += 1;
        }
    }
}

/// The `p`th percentile of sorted `times`.
fn percentile(times: &[Duration], p: usize) -> Duration {
    let index = (times.len() * p / 100).min(times.len().saturating_sub(1));
    times.get(index).copied().unwrap_or_default()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| std::path::Path::new(dir).join(program))
        .find(|path| path.is_file())
}
