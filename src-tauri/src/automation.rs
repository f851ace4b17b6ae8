//! WebDriver may drive Pocket's window only in a build made for testing (a debug build, or
//! an optimised one with the `webdriver` feature, as `make bench` makes). Tauri lets WebKit be
//! automated when `TAURI_WEBVIEW_AUTOMATION=true` is in the environment as the window is made;
//! in a release build that would let whoever starts Pocket so read its screen and press its
//! buttons from another program, so a release build forgets the variable first.

/// The variable Tauri reads.
const VARIABLE: &str = "TAURI_WEBVIEW_AUTOMATION";

/// Removes the variable unless this is a testing build.
///
/// # Safety
///
/// It changes the environment: call it before any other thread starts.
pub unsafe fn allow_only_in(testing_build: bool) {
    if !testing_build && std::env::var_os(VARIABLE).is_some() {
        // SAFETY: the caller promises no other thread runs yet.
        unsafe { std::env::remove_var(VARIABLE) };
        eprintln!("Pocket: {VARIABLE} is ignored: only test builds may be driven by WebDriver");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each test runs in a process of its own (cargo-nextest), so changing the environment
    // reaches no other test.
    #[test]
    fn a_release_build_forgets_the_automation_switch() {
        unsafe { std::env::set_var(VARIABLE, "true") };
        unsafe { allow_only_in(false) };
        assert_eq!(std::env::var_os(VARIABLE), None);
    }

    #[test]
    fn a_test_build_keeps_it() {
        unsafe { std::env::set_var(VARIABLE, "true") };
        unsafe { allow_only_in(true) };
        assert_eq!(std::env::var(VARIABLE).as_deref(), Ok("true"));
    }
}
