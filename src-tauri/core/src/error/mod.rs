//! The crate's one error type. `kind()` is the stable, machine-readable kind the UI maps to
//! translated text ([`ErrorKind`] lists every kind Pocket has, its app's own among them); the
//! `Display` text is for logs and for the `gen` command line.

mod kind;
mod transport;

pub use kind::ErrorKind;
pub use transport::TransportRisk;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares [`Error`] and, from the same list, each variant's [`ErrorKind`]: the kind of the
/// same name (the compiler holds the two lists to each other).
macro_rules! errors_with_kinds {
    (
        $(#[$enum_meta:meta])*
        pub enum Error {
            $(
                $(#[$meta:meta])*
                $variant:ident $( ( $($tuple:tt)* ) )? $( { $($fields:tt)* } )?
            ),* $(,)?
        }
    ) => {
        $(#[$enum_meta])*
        pub enum Error {
            $(
                $(#[$meta])*
                $variant $( ( $($tuple)* ) )? $( { $($fields)* } )?
            ),*
        }

        impl Error {
            fn kind_of_the_same_name(&self) -> ErrorKind {
                match self {
                    $(Error::$variant { .. } => ErrorKind::$variant),*
                }
            }
        }
    };
}

errors_with_kinds! {
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
        #[error("the {param} is longer than {limit}")]
        TooLong { param: &'static str, limit: usize },
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
            risk: TransportRisk,
        },
        #[error("the server cannot be reached: {0}")]
        Network(String),
        #[error("Pocket cannot make network connections here: {0}")]
        HttpClientUnavailable(String),
        #[error("the server's reply is too large")]
        ReplyTooLarge,
        #[error("the server sent Pocket to another address ({0}); Pocket does not follow it")]
        Redirected(String),
        #[error("the key is {bits} bits long; at least {needed} are needed")]
        WeakKey { bits: usize, needed: usize },
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
        #[error("the backup folder is not there: {0}")]
        BackupFolderMissing(String),
        #[error("the backup could not be written: {0}")]
        BackupWriteFailed(String),
        #[error("the backup did not read back as the accounts it should hold")]
        BackupCheckFailed,
        #[error("no backup password is set")]
        BackupPasswordMissing,
        /// Google's transfer format has no room for this account's `{0}` (Steam, 7 digits, a
        /// period other than 30 s).
        #[error("Google's transfer format cannot hold this account's {0}")]
        NotInGoogleFormat(&'static str),
        /// The other app had the account in its trash: the user deleted it there.
        #[error("the account is in the other app's trash")]
        InTrash,
        /// An export encrypted with the other app's account key (Bitwarden's "account
        /// restricted" export), which only that app, signed in, can open.
        #[error("the export is encrypted with the other app's account key")]
        ExportTiedToAccount,
        /// A privacyIDEA smartphone container's registration link was expected.
        #[error("this is not a container registration link")]
        NotContainerLink,
        #[error("this registration code has expired: ask for a new one")]
        ContainerLinkExpired,
        #[error("this registration asks for a passphrase")]
        PassphraseRequired,
        /// The server did not take the registration: a wrong passphrase, or a code already used.
        #[error("the server refused the registration (a wrong passphrase, or a code already used)")]
        RegistrationRefused,
        #[error("the server no longer has this container registered")]
        ContainerNotRegistered,
        /// The container's key is no longer the one the server knows: another phone took it over.
        #[error("this container has moved to another phone")]
        ContainerMoved,
        #[error("there is no container {0}")]
        ContainerNotFound(String),
        /// The server's policy keeps this to itself (deleting a managed token, unregistering,
        /// moving the container).
        #[error("the server's policy does not let this phone {0}")]
        ManagedByServer(&'static str),
        /// The app lock is shut: nothing that shows an account, a code or a request is given out.
        #[error("Pocket is locked")]
        Locked,
        #[error("no passcode is set")]
        NoPasscode,
        #[error("that is not the passcode")]
        WrongPasscode,
        #[error("a passcode needs at least 6 digits, or a passphrase at least 8 characters")]
        PasscodeTooShort,
        /// Too many wrong passcodes: the next try waits.
        #[error("too many wrong passcodes: try again in {wait_seconds} s")]
        UnlockThrottled { wait_seconds: u64 },
        /// The server asks for an unlock step before its requests are answered, and no lock is set.
        #[error("the server asks for an app lock before its login requests are answered")]
        UnlockRequired,
        /// The phone's own check (biometrics or its passcode) did not pass, or was cancelled.
        #[error("the phone's unlock check did not pass: {0}")]
        UnlockFailed(String),
        #[error("the time server gave no usable time: {0}")]
        TimeServer(String),
    }
}

impl Error {
    /// What happened, as one of the kinds the UI explains.
    pub fn kind(&self) -> ErrorKind {
        match self {
            // The one kind that depends on more than the variant: what is wrong with the way.
            Error::InsecureServer { risk, .. } => risk.kind(),
            other => other.kind_of_the_same_name(),
        }
    }

    /// A stable identifier for the kind of error; never changes once shipped.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The parameter an input error is about, so the UI can say which one is wrong.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::MissingParameter(param)
            | Error::InvalidParameter { param, .. }
            | Error::TooLong { param, .. }
            | Error::NotInGoogleFormat(param) => Some(param),
            Error::PasscodeTooShort | Error::WrongPasscode => Some("passcode"),
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
