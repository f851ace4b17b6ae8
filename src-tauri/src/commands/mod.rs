//! `#[tauri::command]` functions, one file per area of the UI, and the one list of them.

pub mod accounts;
pub mod backups;
pub mod clock;
pub mod containers;
pub mod home;
pub mod lock;
pub mod push;
pub mod scan;
pub mod settings;
pub mod transfer;
pub mod wakeup;

use tauri::Manager;

/// The commands that run while Pocket is locked: the lock screen's own. Nothing they return
/// names an account, shows a code or describes a request. Every other command, present and
/// future, is refused with `locked` until the lock opens.
pub const OPEN_WHILE_LOCKED: &[&str] = &[
    "lock_status",
    "unlock",
    "lock_now",
    "note_activity",
    "about",
];

/// Every command the UI may call, from `commands.list`: [`handler`] registers them and
/// [`NAMES`] lists them for the tests that hold the permission sets and the UI's calls to it.
macro_rules! app_commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// The commands' names, as the UI invokes them.
        #[cfg_attr(not(test), allow(dead_code))]
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Each command as `area::name`, for the test that reads its parameters.
        #[cfg(test)]
        pub const NAMES_BY_AREA: &[&str] = &[$(concat!(stringify!($module), "::", stringify!($name))),*];

        /// The invoke handler with every command, behind the app lock.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            let commands: Box<dyn Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync> =
                Box::new(tauri::generate_handler![$($module::$name),*]);
            move |invoke| {
                if !OPEN_WHILE_LOCKED.contains(&invoke.message.command()) {
                    let locked = invoke
                        .message
                        .webview()
                        .try_state::<crate::state::AppState>()
                        .is_some_and(|state| state.lock.is_locked());
                    if locked {
                        invoke
                            .resolver
                            .reject(crate::error::IpcError::from(pocket_core::Error::Locked));
                        return true;
                    }
                }
                commands(invoke)
            }
        }
    };
}

// The list itself is in commands.list; build.rs writes it out as `app_commands! { … }`.
include!(concat!(env!("OUT_DIR"), "/app_commands.rs"));

#[cfg(test)]
mod argument_tests;
#[cfg(test)]
mod frame_tests;
#[cfg(test)]
mod tests;
