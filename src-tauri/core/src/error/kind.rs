//! Every kind of error Pocket reports, in one list: pocket-core's, and the few that only the
//! app meets (a screen that cannot be captured, a clipboard that is not there). The UI has a
//! translation for each, checked by a test, and its TypeScript union is generated from here.

macro_rules! kinds {
    ($($kind:ident => $code:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            $($kind),*
        }

        impl ErrorKind {
            /// Every kind, in the order of this list.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$kind),*];

            /// The stable code the UI branches on; never changes once shipped.
            pub fn code(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $code),*
                }
            }
        }
    };
}

kinds! {
    NotOtpauthUri => "not_otpauth_uri",
    UnsupportedOtpType => "unsupported_otp_type",
    MissingParameter => "missing_parameter",
    InvalidParameter => "invalid_parameter",
    MissingLabel => "missing_label",
    TooLong => "too_long",
    KeychainLocked => "keychain_locked",
    KeychainUnavailable => "keychain_unavailable",
    SecretMissing => "secret_missing",
    DuplicateAccount => "duplicate_account",
    AccountNotFound => "account_not_found",
    DatabaseTooNew => "database_too_new",
    NotPushEnrollment => "not_push_enrollment",
    Network => "network",
    HttpClientUnavailable => "http_client_unavailable",
    ReplyTooLarge => "reply_too_large",
    Redirected => "redirected",
    WeakKey => "weak_key",
    PresenceRequired => "presence_required",
    NotAnOption => "not_an_option",
    PushTokenNotFound => "push_token_not_found",
    ScanExpired => "scan_expired",
    NotCounterBased => "not_counter_based",
    Tls => "tls",
    ServerRefused => "server_refused",
    ServerReply => "server_reply",
    Crypto => "crypto",
    ImageUnreadable => "image_unreadable",
    ImageFormatUnsupported => "image_format_unsupported",
    ImageTooLarge => "image_too_large",
    CounterBased => "counter_based",
    BackupPasswordRequired => "backup_password_required",
    WrongBackupPassword => "wrong_backup_password",
    BackupDamaged => "backup_damaged",
    BackupFormatUnknown => "backup_format_unknown",
    BackupTooLarge => "backup_too_large",
    BackupTooCostly => "backup_too_costly",
    ExportFailed => "export_failed",
    FileUnreadable => "file_unreadable",
    FileExpired => "file_expired",
    Database => "database",
    Storage => "storage",
    BackupFolderMissing => "backup_folder_missing",
    BackupWriteFailed => "backup_write_failed",
    BackupCheckFailed => "backup_check_failed",
    BackupPasswordMissing => "backup_password_missing",
    NotInGoogleFormat => "not_in_google_format",
    InTrash => "in_trash",
    ExportTiedToAccount => "export_tied_to_account",
    NotContainerLink => "not_container_link",
    ContainerLinkExpired => "container_link_expired",
    PassphraseRequired => "passphrase_required",
    RegistrationRefused => "container_registration_refused",
    ContainerNotRegistered => "container_not_registered",
    ContainerMoved => "container_moved",
    ContainerNotFound => "container_not_found",
    ManagedByServer => "managed_by_server",
    Locked => "locked",
    NoPasscode => "no_passcode",
    WrongPasscode => "wrong_passcode",
    PasscodeTooShort => "passcode_too_short",
    UnlockThrottled => "unlock_throttled",
    UnlockRequired => "unlock_required",
    UnlockFailed => "unlock_failed",
    TimeServer => "time_server",
    InsecureServer => "insecure_server",
    CertificateUnchecked => "certificate_unchecked",
    ScreenCapture => "screen_capture",
    Internal => "internal",
    Clipboard => "clipboard",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_words() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            let code = kind.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
    }

    #[test]
    fn the_ui_says_every_kind_in_english_and_dutch() {
        let missing = crate::ui_texts::missing(
            ErrorKind::ALL
                .iter()
                .map(|kind| format!("errors.{}", kind.code())),
        );
        assert!(missing.is_empty(), "no text for {missing:?}");
    }
}
