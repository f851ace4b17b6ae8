//! The page object's account chores: import and export, editing, search.

use anyhow::{Context, Result};
use fantoccini::Locator;

use super::app::App;

/// What the import screen reported.
#[derive(Debug)]
pub struct ImportShown {
    pub added: usize,
    pub duplicates: Vec<String>,
    pub skipped: Vec<String>,
}

impl App {
    pub async fn open_transfer(&self) -> Result<()> {
        self.click("[data-testid=open-transfer]").await?;
        self.wait_for("[data-testid=transfer-screen]").await?;
        Ok(())
    }

    pub async fn close_transfer(&self) -> Result<()> {
        self.click("[data-testid=transfer-screen] [data-testid=back]")
            .await?;
        self.wait_for("[data-testid=add-account]").await?;
        Ok(())
    }

    /// Picks `path` in the import form, with `password` if given, and imports.
    pub async fn import_file(&self, path: &std::path::Path, password: Option<&str>) -> Result<()> {
        let input = self.wait_for("[data-testid=import-file]").await?;
        input.send_keys(&path.display().to_string()).await?;
        let field = self.wait_for("[data-testid=import-password]").await?;
        field.clear().await?;
        if let Some(password) = password {
            field.send_keys(password).await?;
        }
        self.click("[data-testid=import-submit]").await
    }

    /// The report of the import, once shown.
    pub async fn import_report(&self) -> Result<ImportShown> {
        let added = self
            .wait_for("[data-testid=import-added]")
            .await?
            .attr("data-count")
            .await?
            .context("no count on the report")?
            .parse()?;
        let texts = |css: &'static str| async move {
            let mut texts = Vec::new();
            for element in self.client.find_all(Locator::Css(css)).await? {
                texts.push(element.text().await?);
            }
            anyhow::Ok(texts)
        };
        Ok(ImportShown {
            added,
            duplicates: texts("[data-testid=import-duplicate]").await?,
            skipped: texts("[data-testid=import-skipped]").await?,
        })
    }

    /// Exports an encrypted Aegis backup; returns the path the app says it wrote.
    pub async fn export_aegis(&self, password: &str) -> Result<String> {
        self.click("[data-testid=export-aegis]").await?;
        self.wait_for("[data-testid=export-password]")
            .await?
            .send_keys(password)
            .await?;
        self.wait_for("[data-testid=export-repeat]")
            .await?
            .send_keys(password)
            .await?;
        self.click("[data-testid=export-submit]").await?;
        self.wait_for("[data-testid=export-saved]")
            .await?
            .attr("data-path")
            .await?
            .context("no path on the export's report")
    }

    /// Renames the account in row `account_id` with its edit form.
    pub async fn rename_account(&self, account_id: &str, issuer: &str, name: &str) -> Result<()> {
        let row = format!("[data-account-id='{account_id}']");
        self.click(&format!("{row} [data-testid=edit]")).await?;
        for (field, value) in [("edit-issuer", issuer), ("edit-name", name)] {
            let input = self
                .wait_for(&format!("{row} [data-testid={field}]"))
                .await?;
            input.clear().await?;
            input.send_keys(value).await?;
        }
        self.click(&format!("{row} [data-testid=edit-save]"))
            .await?;
        self.wait_for(&format!("{row} [data-testid=edit]")).await?;
        Ok(())
    }

    pub async fn search(&self, query: &str) -> Result<()> {
        let field = self.wait_for("[data-testid=search]").await?;
        field.clear().await?;
        field.send_keys(query).await?;
        Ok(())
    }
}
