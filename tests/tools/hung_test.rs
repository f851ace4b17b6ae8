//! A stand-in for a system test that hangs, for the harness's own test of what happens when
//! the test runner stops one: it starts a child in a process group of its own (as the
//! harness starts Xvfb, the keyring and tauri-driver), prints the child's process id, and
//! waits for ever. The runner's SIGTERM must stop the child too.

use std::process::Command;

use anyhow::Result;
use pocket_tests::process::Guarded;

fn main() -> Result<()> {
    let child = Guarded::spawn("sleep", Command::new("sleep").arg("1000"))?;
    println!("{}", child.id());
    loop {
        std::thread::park();
    }
}
