//! One-time passwords: the secret, the parameters, the codes, and the Key URI format.

mod code;
mod params;
mod secret;
mod uri;

pub use code::{Code, code_at, current_code};
pub use params::{Algorithm, OtpKind, OtpParams};
pub use secret::SecretKey;
pub use uri::{AccountDraft, format_uri, parse_uri};
