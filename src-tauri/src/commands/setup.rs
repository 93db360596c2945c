//! First run: the district file the operator picks, the comune chosen from it, the new
//! install's key fingerprint.

use serde::Serialize;
use sportello_app::{ErrorCode, InstallInfo, Sportello, read_district_file};
use tauri::State;

use super::{blocking, path_arg};
use crate::error::CommandError;
use crate::state::DesktopState;

/// The district file as the first-run screen shows it.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DistrictChoice {
    pub id: String,
    pub name: String,
    pub capofila: String,
    /// Every comune of the district, capofila included, in the file's order.
    pub comuni: Vec<ComuneChoice>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ComuneChoice {
    pub istat: String,
    pub name: String,
    pub is_capofila: bool,
}

/// The install just created: who it is and the fingerprint to read to the other side.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetupDone {
    pub install: InstallInfo,
    pub fingerprint: String,
}

/// Reads the district file at `path` and lists its comuni.
#[tauri::command]
pub async fn read_district(path: String) -> Result<DistrictChoice, CommandError> {
    let path = path_arg(&path, "district_path")?;
    blocking(move || {
        let file = read_district_file(&path)
            .map_err(|err| CommandError::from(err).on_field("district_path"))?;
        let d = file.district;
        Ok(DistrictChoice {
            comuni: d
                .comuni
                .iter()
                .map(|c| ComuneChoice {
                    istat: c.istat.clone(),
                    name: c.name.clone(),
                    is_capofila: c.istat == d.capofila,
                })
                .collect(),
            id: d.id,
            name: d.name,
            capofila: d.capofila,
        })
    })
    .await
}

/// Creates this window's database for `comune` of the district file at `district_path`.
#[tauri::command]
pub async fn setup(
    state: State<'_, DesktopState>,
    district_path: String,
    comune: String,
) -> Result<SetupDone, CommandError> {
    let path = path_arg(&district_path, "district_path")?;
    if comune.trim().is_empty() {
        return Err(CommandError::new(
            ErrorCode::ComuneMissing,
            "Scegliere il comune di questa installazione.",
        )
        .on_field("comune"));
    }
    state
        .create_install(
            move |db, operator| {
                let file = read_district_file(&path)?;
                Sportello::init(db, &file.toml, comune.trim(), operator)
            },
            |app| {
                Ok(SetupDone {
                    install: app.install_info(),
                    fingerprint: app.trust().fingerprint()?,
                })
            },
        )
        .await
}
