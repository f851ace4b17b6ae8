//! Everything that crosses IPC to the webview. None of these types can hold a secret. Their
//! TypeScript (ui/src/lib/api/types.ts) is generated from them: `make types` writes it, and a
//! test fails when it is stale.

mod accounts;
mod backups;
mod containers;
mod push;
mod scan;
mod settings;
mod transfer;
mod wakeup;

pub use accounts::{AccountDto, CodeDto, CodesDto, HomeDto, ManualAccountInput};
pub use backups::BackupStatusDto;
pub use containers::{ContainerAddedDto, ContainerDto, ContainerSyncedDto, ContainerTransferDto};
pub use push::{AnswerInput, AnsweredDto, HistoryDto, PushRequestDto, PushTokenDto, RiskDto};
pub use scan::{
    AddedDto, BatchDto, FramePlanDto, OfferableDto, OfferedAccountDto, PushAddedDto,
    ScanCapabilitiesDto, ScanItemDto, ScanReportDto,
};
pub use settings::{
    AboutDto, ClockStatusDto, LicenceDto, LockStatusDto, SettingsChangeInput, SettingsDto,
};
pub use transfer::{
    ExportFormat, GoogleExportDto, ImportReportDto, PickedFileDto, PreviewDto, SkippedDto,
    skipped_list,
};

/// Only the generated TypeScript names it on its own.
#[cfg(test)]
pub use push::OutcomeDto;
pub use wakeup::LoginRequestsDto;
#[cfg(test)]
pub use wakeup::{DeliveryDto, RegistrationDto};

#[cfg(test)]
mod tests;
