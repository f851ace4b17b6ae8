//! What a test leaves running when the test runner stops it. The harness starts servers in
//! process groups of their own (so that one signal stops a server with its children), and the
//! runner's SIGTERM to a test that overran its limit reaches the test's group only: without
//! this, Xvfb, the keyring, tauri-driver and the app would outlive the test. The first child
//! started installs a handler that, on SIGTERM, SIGINT or SIGHUP, takes a picture of every
//! display the test has open, stops every group still registered, says so, and exits.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long the groups have between SIGTERM and SIGKILL; with the pictures, this stays
/// inside the runner's grace period.
const STOP_GRACE: Duration = Duration::from_secs(2);

struct Live {
    groups: Vec<(i32, String)>,
    displays: Vec<(String, std::path::PathBuf)>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    groups: Vec::new(),
    displays: Vec::new(),
});

fn live() -> std::sync::MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A process group that the handler stops; it is forgotten when this is dropped.
pub struct GroupRegistration(i32);

pub fn register_group(group: i32, name: &str) -> GroupRegistration {
    install();
    live().groups.push((group, name.to_string()));
    GroupRegistration(group)
}

impl Drop for GroupRegistration {
    fn drop(&mut self) {
        live().groups.retain(|(group, _)| *group != self.0);
    }
}

/// An X display whose screen the handler keeps a picture of, in the test's report folder.
pub struct DisplayRegistration(String);

pub fn register_display(display: &str, report_dir: std::path::PathBuf) -> DisplayRegistration {
    install();
    live().displays.push((display.to_string(), report_dir));
    DisplayRegistration(display.to_string())
}

impl Drop for DisplayRegistration {
    fn drop(&mut self) {
        live().displays.retain(|(display, _)| *display != self.0);
    }
}

fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        match signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) {
            Ok(mut signals) => {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        stop_everything(signal);
                    }
                });
            }
            Err(error) => eprintln!("pocket-tests: no handler for SIGTERM: {error}"),
        }
    });
}

fn stop_everything(signal: i32) -> ! {
    let (groups, displays) = {
        let live = live();
        (live.groups.clone(), live.displays.clone())
    };
    eprintln!(
        "pocket-tests: signal {signal} from outside (the test runner's time limit, or Ctrl+C): \
         stopping what the test started"
    );
    for (display, dir) in &displays {
        let picture = super::report::picture_path(dir, "stopped by the runner")
            .and_then(|path| super::report::picture_of_display(display, &path));
        match picture {
            Ok(path) => eprintln!(
                "pocket-tests: the screen {display} at that moment: {}",
                path.display()
            ),
            Err(error) => eprintln!("pocket-tests: no picture of {display}: {error:#}"),
        }
    }
    for (group, _) in &groups {
        // SAFETY: plain syscalls on process groups the harness created.
        unsafe { libc::kill(-group, libc::SIGTERM) };
    }
    let deadline = Instant::now() + STOP_GRACE;
    // SAFETY: signal 0 only asks whether the group still has members.
    let alive = |group: i32| unsafe { libc::kill(-group, 0) } == 0;
    while Instant::now() < deadline && groups.iter().any(|(group, _)| alive(*group)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    for (group, _) in &groups {
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
    let names: Vec<&str> = groups.iter().map(|(_, name)| name.as_str()).collect();
    eprintln!("pocket-tests: stopped {}", names.join(", "));
    std::process::exit(128 + signal)
}
