use ts_rs::TS;

use super::accounts::AccountIconDto;
use super::*;
use crate::error::IpcError;

/// The UI's types, as generated from the Rust ones.
fn typescript() -> String {
    let codes: Vec<String> = pocket_core::error::ErrorKind::ALL
        .iter()
        .map(|kind| format!("'{}'", kind.code()))
        .collect();
    let mut out = String::from(
        "// Generated from src-tauri/src/dto/, src-tauri/src/error.rs and pocket-core's ErrorKind\n\
         // by `make types`; `make test` fails when this file is stale. Do not edit it by hand.\n\n",
    );
    out += &format!("export type ErrorCode = {};\n\n", codes.join(" | "));
    out += "/** What unlocks Pocket: nothing, the Pocket passcode, or the phone's own check. */\n\
            export type LockMethod = 'off' | 'passcode' | 'device';\n\n";
    out += &format!(
        "/** The event a verified login request arrives with. */\nexport const PUSH_REQUEST_EVENT = '{}';\n",
        crate::events::PUSH_REQUEST
    );
    out += &format!(
        "/** The event each automatic backup's outcome arrives with. */\nexport const BACKUP_STATUS_EVENT = '{}';\n",
        crate::events::BACKUP_STATUS
    );
    out += &format!(
        "/** The event each round of container syncs arrives with. */\nexport const CONTAINERS_SYNCED_EVENT = '{}';\n",
        crate::events::CONTAINERS_SYNCED
    );
    out += &format!(
        "/** The event the lock shutting or opening arrives with. */\nexport const LOCK_CHANGED_EVENT = '{}';\n",
        crate::events::LOCK_CHANGED
    );
    out += &format!(
        "/** The event a login request arriving while locked sends, with no details. */\nexport const PUSH_WAITING_EVENT = '{}';\n",
        crate::events::PUSH_WAITING
    );
    out += &format!(
        "/** The event a new clock measurement sends. */\nexport const CLOCK_CHANGED_EVENT = '{}';\n",
        crate::events::CLOCK_CHANGED
    );
    out += &format!(
        "/** The event a change in how login requests reach this device sends. */\nexport const LOGIN_REQUESTS_CHANGED_EVENT = '{}';\n",
        crate::events::LOGIN_REQUESTS_CHANGED
    );
    // Timestamps in milliseconds fit a JavaScript number for the next 285,000 years.
    let cfg = ts_rs::Config::new().with_large_int("number");
    for decl in [
        AccountDto::decl(&cfg),
        AccountIconDto::decl(&cfg),
        CodeDto::decl(&cfg),
        CodesDto::decl(&cfg),
        HomeDto::decl(&cfg),
        ManualAccountInput::decl(&cfg),
        IpcError::decl(&cfg),
        ScanItemDto::decl(&cfg),
        OfferableDto::decl(&cfg),
        ScanReportDto::decl(&cfg),
        ScanCapabilitiesDto::decl(&cfg),
        FramePlanDto::decl(&cfg),
        BatchDto::decl(&cfg),
        AddedDto::decl(&cfg),
        OfferedAccountDto::decl(&cfg),
        PushAddedDto::decl(&cfg),
        RiskDto::decl(&cfg),
        PushTokenDto::decl(&cfg),
        PushRequestDto::decl(&cfg),
        AnswerInput::decl(&cfg),
        OutcomeDto::decl(&cfg),
        AnsweredDto::decl(&cfg),
        HistoryDto::decl(&cfg),
        SkippedDto::decl(&cfg),
        ImportReportDto::decl(&cfg),
        PickedFileDto::decl(&cfg),
        ExportFormat::decl(&cfg),
        BackupStatusDto::decl(&cfg),
        PreviewDto::decl(&cfg),
        GoogleExportDto::decl(&cfg),
        ContainerDto::decl(&cfg),
        DeliveryDto::decl(&cfg),
        RegistrationDto::decl(&cfg),
        LoginRequestsDto::decl(&cfg),
        ContainerAddedDto::decl(&cfg),
        ContainerSyncedDto::decl(&cfg),
        ContainerTransferDto::decl(&cfg),
        SettingsDto::decl(&cfg),
        LockStatusDto::decl(&cfg),
        ClockStatusDto::decl(&cfg),
        LicenceDto::decl(&cfg),
        AboutDto::decl(&cfg),
        SettingsChangeInput::decl(&cfg),
        crate::lock::LockChangedDto::decl(&cfg),
    ] {
        out += &format!("\nexport {decl}\n");
    }
    out
}

const GENERATED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/api/types.ts");

#[test]
fn the_ui_types_are_generated_from_these() {
    let fresh = typescript();
    if std::env::var_os("POCKET_UPDATE_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(GENERATED, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(GENERATED).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/api/types.ts is stale: run `make types` and commit it"
    );
}

/// The shapes the UI sends.
#[test]
fn answers_read_as_the_ui_writes_them() {
    let read = |json: &str| serde_json::from_str::<AnswerInput>(json).unwrap();
    assert!(matches!(read(r#"{"kind":"accept"}"#), AnswerInput::Accept));
    assert!(matches!(
        read(r#"{"kind":"decline","notMe":true}"#),
        AnswerInput::Decline { not_me: true }
    ));
    assert!(
        matches!(read(r#"{"kind":"choice","option":"17"}"#), AnswerInput::Choice { option } if option == "17")
    );
    let refused = serde_json::from_str::<AnswerInput>(r#"{"kind":"maybe"}"#).unwrap_err();
    assert!(
        refused.to_string().contains("unknown variant `maybe`"),
        "{refused}"
    );
}

#[test]
fn a_typed_secret_is_never_printed() {
    let input: ManualAccountInput =
        serde_json::from_str(r#"{"issuer":"GitHub","name":"alice","secret":"JBSWY3DPEHPK3PXP"}"#)
            .unwrap();
    let shown = format!("{input:?}");
    assert!(
        shown.contains("alice") && !shown.contains("JBSWY3DPEHPK3PXP"),
        "{shown}"
    );
}
