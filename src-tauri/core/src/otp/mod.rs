//! One-time passwords: the secret, the parameters, the codes, and the Key URI format.

mod code;
mod draft;
pub mod fixtures;
mod icon;
mod migration;
mod migration_out;
mod params;
mod secret;
mod uri;

pub use code::{Code, code_at, current_code};
pub use draft::{AccountDraft, MAX_LABEL_CHARS, checked_label};
pub use icon::{AccountIcon, ImageFormat, MAX_ICON_BYTES};
pub use migration::{Batch, MigrationPart, SkippedAccount, parse_migration};
pub use migration_out::{MigrationExport, write_migration};
pub use params::{Algorithm, DEFAULT_PERIOD, OtpKind, OtpParams};
pub use secret::{MAX_SECRET_BYTES, SecretKey};
pub use uri::{format_uri, parse_uri};
