//! Everything that crosses IPC to the webview. None of these types can hold a secret. Their
//! TypeScript (ui/src/lib/api/types.ts) is generated from them: `make types` writes it, and a
//! test fails when it is stale.

mod accounts;
mod backups;
mod push;
mod scan;
mod transfer;

pub use accounts::{AccountDto, CodeDto, CodesDto, ManualAccountInput};
pub use backups::BackupStatusDto;
pub use push::{AnswerInput, HistoryDto, OutcomeDto, PushRequestDto, PushTokenDto, RiskDto};
pub use scan::{AddedDto, BatchDto, PushAddedDto, ScanItemDto, ScanReportDto};
pub use transfer::{
    ExportFormat, GoogleExportDto, ImportReportDto, PickedFileDto, PreviewDto, SkippedDto,
    skipped_list,
};

#[cfg(test)]
mod tests;
