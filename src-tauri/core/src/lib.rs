//! Pocket's domain logic. Everything here runs and is tested without a window: the app shell
//! (`src-tauri`) and the QA tool (`gen`) are thin layers over this crate.

pub mod backup;
pub mod clock;
pub mod error;
pub mod flows;
pub mod otp;
pub mod push;
pub mod scan;
pub mod transfer;
pub mod vault;

pub use error::{Error, Result};
