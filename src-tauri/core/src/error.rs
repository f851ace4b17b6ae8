//! The crate's one error type. `code()` is the stable, machine-readable kind the UI maps to
//! translated text; the `Display` text is for logs and for the `gen` command line.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("this is not an otpauth:// link")]
    NotOtpauthUri,
    #[error("the OTP type {0:?} is not supported")]
    UnsupportedOtpType(String),
    #[error("the {0} parameter is missing")]
    MissingParameter(&'static str),
    #[error("the {param} parameter is invalid: {reason}")]
    InvalidParameter { param: &'static str, reason: String },
    #[error("the account has neither a name nor an issuer")]
    MissingLabel,
    #[error("the keychain is locked")]
    KeychainLocked,
    #[error("no keychain is available: {0}")]
    KeychainUnavailable(String),
    #[error("the secret of account {0} is missing from the keychain")]
    SecretMissing(String),
    #[error("this account is already in Pocket")]
    DuplicateAccount,
    #[error("there is no account {0}")]
    AccountNotFound(String),
    #[error("the database was written by a newer Pocket (schema {found}, this one knows {known})")]
    DatabaseTooNew { found: i64, known: i64 },
    #[error("this is not a push login enrollment")]
    NotPushEnrollment,
    #[error("{host} is reached {}", risk.explain())]
    InsecureServer {
        host: String,
        risk: crate::push::TransportRisk,
    },
    #[error("the server cannot be reached: {0}")]
    Network(String),
    #[error("Pocket cannot make network connections here: {0}")]
    HttpClientUnavailable(String),
    #[error("the server's reply is too large")]
    ReplyTooLarge,
    #[error("the server sent Pocket to another address ({0}); Pocket does not follow it")]
    Redirected(String),
    #[error(
        "the key is {bits} bits long; at least {} are needed",
        crate::push::MIN_KEY_BITS
    )]
    WeakKey { bits: usize },
    #[error("this login request asks you to pick the number the login page shows")]
    PresenceRequired,
    #[error("that is not one of the numbers this login request offered")]
    NotAnOption,
    #[error("there is no push token {0}")]
    PushTokenNotFound(String),
    #[error("this scan is no longer available: scan the code again")]
    ScanExpired,
    #[error("only counter-based accounts have a next code")]
    NotCounterBased,
    #[error("the server's certificate is not valid: {0}")]
    Tls(String),
    #[error("the server refused: {0}")]
    ServerRefused(String),
    #[error("the server's reply makes no sense: {0}")]
    ServerReply(String),
    #[error("cryptography failed: {0}")]
    Crypto(String),
    #[error("the picture could not be read")]
    ImageUnreadable,
    #[error("only PNG and JPEG pictures can be read")]
    ImageFormatUnsupported,
    #[error("the picture is too large")]
    ImageTooLarge,
    #[error("a counter-based account shows a code only when asked for the next one")]
    CounterBased,
    #[error("this backup is encrypted: its password is needed")]
    BackupPasswordRequired,
    #[error("the password does not open this backup")]
    WrongBackupPassword,
    #[error("this file is damaged: {0}")]
    BackupDamaged(String),
    #[error("Pocket does not know this kind of file")]
    BackupFormatUnknown,
    #[error("this file is too large to be a backup")]
    BackupTooLarge,
    #[error("this backup asks for more work to open than any real one does")]
    BackupTooCostly,
    #[error("the export could not be written: {0}")]
    ExportFailed(String),
    #[error("the file could not be read: {0}")]
    FileUnreadable(String),
    #[error("the chosen file is no longer at hand: choose it again")]
    FileExpired,
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the data folder cannot be used: {0}")]
    Storage(String),
}

impl Error {
    /// A stable identifier for the kind of error; never changes once shipped.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotOtpauthUri => "not_otpauth_uri",
            Error::UnsupportedOtpType(_) => "unsupported_otp_type",
            Error::MissingParameter(_) => "missing_parameter",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::MissingLabel => "missing_label",
            Error::KeychainLocked => "keychain_locked",
            Error::KeychainUnavailable(_) => "keychain_unavailable",
            Error::SecretMissing(_) => "secret_missing",
            Error::DuplicateAccount => "duplicate_account",
            Error::AccountNotFound(_) => "account_not_found",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::NotPushEnrollment => "not_push_enrollment",
            Error::InsecureServer { risk, .. } => risk.code(),
            Error::Network(_) => "network",
            Error::HttpClientUnavailable(_) => "http_client_unavailable",
            Error::ReplyTooLarge => "reply_too_large",
            Error::Redirected(_) => "redirected",
            Error::WeakKey { .. } => "weak_key",
            Error::PresenceRequired => "presence_required",
            Error::NotAnOption => "not_an_option",
            Error::PushTokenNotFound(_) => "push_token_not_found",
            Error::ScanExpired => "scan_expired",
            Error::NotCounterBased => "not_counter_based",
            Error::Tls(_) => "tls",
            Error::ServerRefused(_) => "server_refused",
            Error::ServerReply(_) => "server_reply",
            Error::Crypto(_) => "crypto",
            Error::ImageUnreadable => "image_unreadable",
            Error::ImageFormatUnsupported => "image_format_unsupported",
            Error::ImageTooLarge => "image_too_large",
            Error::CounterBased => "counter_based",
            Error::BackupPasswordRequired => "backup_password_required",
            Error::WrongBackupPassword => "wrong_backup_password",
            Error::BackupDamaged(_) => "backup_damaged",
            Error::BackupFormatUnknown => "backup_format_unknown",
            Error::BackupTooLarge => "backup_too_large",
            Error::BackupTooCostly => "backup_too_costly",
            Error::ExportFailed(_) => "export_failed",
            Error::FileUnreadable(_) => "file_unreadable",
            Error::FileExpired => "file_expired",
            Error::Database(_) => "database",
            Error::Storage(_) => "storage",
        }
    }

    /// The parameter an input error is about, so the UI can say which one is wrong.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::MissingParameter(param) | Error::InvalidParameter { param, .. } => Some(param),
            _ => None,
        }
    }

    pub(crate) fn invalid(param: &'static str, reason: impl Into<String>) -> Error {
        Error::InvalidParameter {
            param,
            reason: reason.into(),
        }
    }
}
