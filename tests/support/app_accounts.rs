//! The page object's account chores: import and export, editing, search.

use anyhow::{Context, Result};

use super::app::App;
use super::deadline::Look;
use super::desktop::Desktop;

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

    /// Chooses `path` in the system's open dialog from the import form; waits until the form
    /// names the file.
    pub async fn choose_import_file(
        &self,
        desktop: &Desktop,
        path: &std::path::Path,
    ) -> Result<()> {
        self.click_for_dialog(desktop, "[data-testid=import-choose]", "Import into Pocket")
            .await?;
        desktop
            .answer_file_dialog("Import into Pocket", path)
            .await?;
        let name = path.display().to_string();
        let limit = std::time::Duration::from_secs(15);
        self.eventually(&format!("the form to name {name}"), limit, || async {
            let picked = match self
                .driver
                .find("[data-testid=import-picked] strong")
                .await?
            {
                Some(picked) => Some(picked.text().await?),
                None => None,
            };
            Ok(Look::when(picked.as_deref() == Some(name.as_str()), || {
                format!("it names {picked:?}")
            }))
        })
        .await
    }

    /// Chooses the picked KeePass database's key file in its own dialog; waits until the
    /// form names it.
    pub async fn choose_key_file(&self, desktop: &Desktop, path: &std::path::Path) -> Result<()> {
        self.click_for_dialog(
            desktop,
            "[data-testid=import-key-file]",
            "Choose the database's key file",
        )
        .await?;
        desktop
            .answer_file_dialog("Choose the database's key file", path)
            .await?;
        self.wait_for("[data-testid=import-key-file-name]").await?;
        Ok(())
    }

    /// Imports the chosen file, with `password` where the file asks for one.
    pub async fn import_chosen(&self, password: Option<&str>) -> Result<()> {
        if let Some(password) = password {
            let field = self.wait_for("[data-testid=import-password]").await?;
            field.clear().await?;
            field.send_keys(password).await?;
        }
        self.click("[data-testid=import-submit]").await
    }

    /// Chooses `path` and imports it.
    pub async fn import_file(
        &self,
        desktop: &Desktop,
        path: &std::path::Path,
        password: Option<&str>,
    ) -> Result<()> {
        self.choose_import_file(desktop, path).await?;
        self.import_chosen(password).await
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
            for element in self.driver.find_all(css).await? {
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

    /// Exports an encrypted Aegis backup to `path`, chosen in the system's save dialog;
    /// returns the path the app says it wrote.
    pub async fn export_aegis(
        &self,
        desktop: &Desktop,
        password: &str,
        path: &std::path::Path,
    ) -> Result<String> {
        self.click("[data-testid=export-aegis]").await?;
        self.wait_for("[data-testid=export-password]")
            .await?
            .send_keys(password)
            .await?;
        self.wait_for("[data-testid=export-repeat]")
            .await?
            .send_keys(password)
            .await?;
        self.click_for_dialog(desktop, "[data-testid=export-submit]", "Export from Pocket")
            .await?;
        desktop
            .answer_file_dialog("Export from Pocket", path)
            .await?;
        self.wait_for("[data-testid=export-saved]")
            .await?
            .attr("data-path")
            .await?
            .context("no path on the export's report")
    }

    /// Renames the account in row `account_id` with its edit form (Edit, in its menu).
    pub async fn rename_account(&self, account_id: &str, issuer: &str, name: &str) -> Result<()> {
        let row = format!("[data-account-id='{account_id}']");
        self.row_menu(account_id, "edit").await?;
        for (field, value) in [("edit-issuer", issuer), ("edit-name", name)] {
            let input = self
                .wait_for(&format!("{row} [data-testid={field}]"))
                .await?;
            input.clear().await?;
            input.send_keys(value).await?;
        }
        self.click(&format!("{row} [data-testid=edit-save]"))
            .await?;
        self.wait_for(&format!("{row} [data-testid=row-menu]"))
            .await?;
        Ok(())
    }

    pub async fn search(&self, query: &str) -> Result<()> {
        let field = self.wait_for("[data-testid=search]").await?;
        field.clear().await?;
        field.send_keys(query).await?;
        Ok(())
    }
}

/// What the notice after a pairing shows.
#[derive(Debug, Clone)]
pub struct PairedShown {
    pub account_id: String,
    /// The code account's code, without grouping.
    pub code: Option<String>,
    pub keep: String,
}

impl App {
    /// The notice a pairing with a code account leaves on the home screen, once its code shows.
    pub async fn paired_notice(&self) -> Result<PairedShown> {
        self.wait_for("[data-testid=paired] [data-testid=code]")
            .await?;
        let read = self
            .driver
            .execute(
                r#"const n = document.querySelector('[data-testid=paired]');
                   return [n.dataset.pairedAccount,
                           n.querySelector('[data-testid=code]')?.dataset.code ?? null,
                           n.querySelector('[data-testid=paired-keep]').textContent.trim()];"#,
                vec![],
            )
            .await?;
        let (account_id, code, keep): (String, Option<String>, String) =
            serde_json::from_value(read)?;
        Ok(PairedShown {
            account_id,
            code,
            keep,
        })
    }
}
