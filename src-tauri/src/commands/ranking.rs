//! The Graduatoria screen (capofila): compute, publish, print, and the duplicates review list.

use std::collections::HashMap;

use serde::Serialize;
use sportello_app::{
    ApplicationFilter, CrossComuneExclusion, DuplicateGroup, ErrorCode, FactorLabel,
    PublishedRanking, PublishedRow, RankingPaper, Sportello, Stage,
};
use tauri::State;

use super::path_arg;
use crate::error::CommandError;
use crate::state::DesktopState;

/// A ranking row with who it is, for authorised staff at the capofila.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NamedRow {
    #[serde(flatten)]
    pub row: PublishedRow,
    pub comune_name: String,
    /// "Cognome Nome", when the application is held here.
    pub applicant: Option<String>,
}

/// A ranking as the screen shows it: computed now (`number` and `stage` absent) or published.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RankingTable {
    pub bando: String,
    pub number: Option<i64>,
    pub stage: Option<Stage>,
    pub published_at: Option<String>,
    pub rows: Vec<NamedRow>,
    /// The breakdown's factors named with this bando's figures.
    pub factors: Vec<FactorLabel>,
}

/// Puts the applicant's name and the comune's name on each row.
fn named(
    app: &mut Sportello,
    bando: &str,
    rows: Vec<PublishedRow>,
) -> sportello_app::Result<Vec<NamedRow>> {
    let filter = ApplicationFilter {
        bando: Some(bando.to_string()),
        ..ApplicationFilter::default()
    };
    let people = app.intake().applicant_names(&filter)?;
    let comuni: HashMap<&str, &str> = app
        .install()
        .district
        .comuni
        .iter()
        .map(|c| (c.istat.as_str(), c.name.as_str()))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| NamedRow {
            comune_name: comuni
                .get(row.comune.as_str())
                .map_or_else(|| row.comune.clone(), |n| (*n).to_string()),
            applicant: people.get(&row.application_code).cloned(),
            row,
        })
        .collect())
}

fn published_table(
    app: &mut Sportello,
    published: PublishedRanking,
) -> sportello_app::Result<RankingTable> {
    Ok(RankingTable {
        factors: app.ranking().factor_labels(&published.bando)?,
        rows: named(app, &published.bando, published.rows)?,
        bando: published.bando,
        number: Some(published.number),
        stage: Some(published.stage),
        published_at: Some(published.published_at),
    })
}

/// Ranks every application of the bando held here, with the score breakdown of each row.
#[tauri::command]
pub async fn compute_ranking(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<RankingTable, CommandError> {
    state
        .with_install(move |app| {
            let rows = app
                .ranking()
                .compute(&bando)?
                .iter()
                .map(PublishedRow::from)
                .collect();
            Ok(RankingTable {
                factors: app.ranking().factor_labels(&bando)?,
                rows: named(app, &bando, rows)?,
                bando,
                number: None,
                stage: None,
                published_at: None,
            })
        })
        .await
}

/// The latest published version of the bando's ranking, if any.
#[tauri::command]
pub async fn latest_ranking(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<Option<RankingTable>, CommandError> {
    state
        .with_install(move |app| {
            app.ranking()
                .latest(&bando)?
                .map(|published| published_table(app, published))
                .transpose()
        })
        .await
}

/// The exclusions caused by another comune's application, to confirm before publishing.
#[tauri::command]
pub async fn cross_comune_exclusions(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<Vec<CrossComuneExclusion>, CommandError> {
    state
        .with_install(move |app| app.ranking().cross_comune_exclusions(&bando))
        .await
}

/// Computes and freezes the next version of the ranking (capofila only).
#[tauri::command]
pub async fn publish_ranking(
    state: State<'_, DesktopState>,
    bando: String,
    stage: Stage,
    confirm_cross_comune: bool,
) -> Result<RankingTable, CommandError> {
    state
        .with_install(move |app| {
            let published = app.ranking().publish(&bando, stage, confirm_cross_comune)?;
            published_table(app, published)
        })
        .await
}

/// What publishing the bando's ranking now would change against the last published version.
#[tauri::command]
pub async fn publish_changes(
    state: State<'_, DesktopState>,
    bando: String,
) -> Result<sportello_app::PublishChanges, CommandError> {
    state
        .with_install(move |app| app.ranking().changes(&bando))
        .await
}

fn paper_arg(paper: &str) -> Result<RankingPaper, CommandError> {
    match paper {
        "public" => Ok(RankingPaper::Public),
        "internal" => Ok(RankingPaper::Internal),
        other => Err(CommandError::new(
            ErrorCode::PaperUnknown,
            format!("Tipo di graduatoria «{other}» sconosciuto: scegliere pubblica o riservata."),
        )
        .on_field("paper")),
    }
}

/// Writes the latest published ranking, public (`public`) or for staff (`internal`), to `out`.
#[tauri::command]
pub async fn print_ranking(
    state: State<'_, DesktopState>,
    bando: String,
    paper: String,
    out: String,
) -> Result<String, CommandError> {
    let paper = paper_arg(&paper)?;
    let out = path_arg(&out, "out")?;
    let written = state
        .with_install(move |app| app.documents().ranking(&bando, paper, &out))
        .await
        .map_err(|err| err.on_field("out"))?;
    let shown = written.display().to_string();
    state.remember_printed(written);
    Ok(shown)
}

/// Applications of one bando that share a person, across the district.
#[tauri::command]
pub async fn duplicates(
    state: State<'_, DesktopState>,
) -> Result<Vec<DuplicateGroup>, CommandError> {
    state.with_install(|app| app.intake().duplicates()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_are_public_or_internal_only() {
        assert_eq!(paper_arg("public").unwrap(), RankingPaper::Public);
        assert_eq!(paper_arg("internal").unwrap(), RankingPaper::Internal);
        let err = paper_arg("pubblica").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("paper"));
    }
}
