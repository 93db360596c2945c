//! Who and where this install is: its district and comune, and the district file an operator
//! picks at first run.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sportello_domain::District;

use super::Settings;
use crate::files::read_file;
use crate::{AppError, ErrorCode, Result, Sportello};

/// Who and where this install is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct InstallInfo {
    pub comune: String,
    pub comune_name: String,
    pub district_id: String,
    pub district_name: String,
    pub capofila: String,
    pub is_capofila: bool,
    pub db_path: String,
}

/// A district configuration read from disk: its text (what `Sportello::init` takes), what it
/// says (the comuni to choose from) and, when it came in the capofila's signed district file,
/// that file and the fingerprint it was checked against (accepted right after set-up).
#[derive(Debug, Clone)]
pub struct DistrictFile {
    pub toml: String,
    pub district: District,
    pub signed: Option<(PathBuf, String)>,
}

/// Reads and checks the district file chosen at first run: the capofila's signed district file
/// (with the fingerprint the capofila reads out by phone), or the district's `.toml`.
pub fn read_district_file(path: &Path, fingerprint: Option<&str>) -> Result<DistrictFile> {
    let bytes = read_file(path)?;
    if sportello_sync::is_sportello_file(&bytes) {
        let Some(fingerprint) = fingerprint.map(str::trim).filter(|f| !f.is_empty()) else {
            return Err(AppError::new(
                ErrorCode::FingerprintMissing,
                "è il file del distretto firmato dal capofila: scrivere l'impronta che il \
                 capofila detta per telefono, per controllare che il file sia proprio il suo",
            ));
        };
        let received = sportello_sync::district::verify(&bytes, fingerprint, None)
            .map_err(|e| AppError::from(&e))?;
        let toml = received.contents.district_toml;
        let district = District::from_toml(&toml)
            .map_err(|e| AppError::new(ErrorCode::DistrictInvalid, e.to_string()))?;
        return Ok(DistrictFile {
            toml,
            district,
            signed: Some((path.to_path_buf(), fingerprint.to_string())),
        });
    }
    let toml = String::from_utf8(bytes).map_err(|_| {
        AppError::new(
            ErrorCode::DistrictInvalid,
            format!(
                "il file {} non è un file di testo del distretto: scegliere il file .toml \
                 ricevuto dal capofila",
                path.display()
            ),
        )
    })?;
    let district = District::from_toml(&toml)
        .map_err(|e| AppError::new(ErrorCode::DistrictInvalid, e.to_string()))?;
    Ok(DistrictFile {
        toml,
        district,
        signed: None,
    })
}

impl Sportello {
    /// Who and where this install is.
    pub fn install_info(&self) -> InstallInfo {
        let district = &self.install.district;
        InstallInfo {
            comune: self.install.comune.clone(),
            comune_name: self.comune_name(&self.install.comune),
            district_id: district.id.clone(),
            district_name: district.name.clone(),
            capofila: district.capofila.clone(),
            is_capofila: self.install.is_capofila(),
            db_path: self.db_path.display().to_string(),
        }
    }
}

impl Settings<'_> {
    /// The district this install belongs to.
    pub fn district(&self) -> &District {
        &self.install.district
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(name)
    }

    #[test]
    fn a_district_file_lists_its_comuni() {
        let file = read_district_file(&fixture("district-d48.toml"), None).unwrap();
        assert_eq!(file.district.id, "D48");
        assert_eq!(file.district.capofila, "089017");
        assert!(file.district.comuni.iter().any(|c| c.name == "Floridia"));
        assert!(file.toml.contains("Siracusa"));
    }

    #[test]
    fn a_missing_or_foreign_district_file_is_refused_in_italian() {
        let missing = read_district_file(Path::new("/nessuna/cartella/distretto.toml"), None);
        assert_eq!(missing.unwrap_err().code, "file_unreadable");
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("spesa.toml");
        std::fs::write(&other, "pane = 2\n").unwrap();
        let err = read_district_file(&other, None).unwrap_err();
        assert_eq!(err.code, "district_invalid");
        assert!(err.message.contains("distretto"), "{}", err.message);
    }
}
