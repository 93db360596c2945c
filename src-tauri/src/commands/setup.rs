//! First run: the district file the operator picks, the comune chosen from it, the first
//! operator (logged in once the install exists), the new install's key fingerprint.

use serde::Serialize;
use sportello_app::{ErrorCode, InstallInfo, NewOperator, Role, Sportello, read_district_file};
use tauri::State;

use super::session::Session;
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
    /// The capofila's signed district file (checked against the fingerprint), not a `.toml`.
    pub signed: bool,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ComuneChoice {
    pub istat: String,
    pub name: String,
    pub is_capofila: bool,
}

/// The install just created: who it is, the fingerprint to read to the other side, its first
/// operator, logged in, and its recovery key, shown this once.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SetupDone {
    pub install: InstallInfo,
    pub fingerprint: String,
    pub session: Session,
    /// Groups of four, dash-separated; never stored in clear, never shown again.
    pub recovery_key: String,
}

/// Reads the district file at `path` (the capofila's signed file, checked against
/// `fingerprint`, or the district's `.toml`) and lists its comuni.
#[tauri::command]
pub async fn read_district(
    path: String,
    fingerprint: Option<String>,
) -> Result<DistrictChoice, CommandError> {
    let path = path_arg(&path, "district_path")?;
    blocking(move || {
        let file = read_district_file(&path, fingerprint.as_deref()).map_err(on_district_field)?;
        let d = file.district;
        Ok(DistrictChoice {
            signed: file.signed.is_some(),
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

/// Creates this window's database for `comune` of the district file at `district_path`, with
/// its first operator `username` (a responsabile, at the capofila its coordinatore), who is
/// then logged in.
#[tauri::command]
pub async fn setup(
    state: State<'_, DesktopState>,
    district_path: String,
    fingerprint: Option<String>,
    comune: String,
    username: String,
    name: Option<String>,
    password: String,
) -> Result<SetupDone, CommandError> {
    let path = path_arg(&district_path, "district_path")?;
    if comune.trim().is_empty() {
        return Err(CommandError::new(
            ErrorCode::ComuneMissing,
            "Scegliere il comune di questa installazione.",
        )
        .on_field("comune"));
    }
    let first = NewOperator {
        username: username.trim().to_string(),
        name: name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        // The app gives the first operator the install's role (coordinatore at the capofila).
        role: Role::Responsabile,
        password,
    };
    state
        .create_install(
            move |db| {
                let file = read_district_file(&path, fingerprint.as_deref())?;
                Sportello::init_from(db, &file, comune.trim(), &first)
            },
            |app| {
                let recovery_key = app
                    .take_recovery_key()
                    .map(|k| k.display().to_string())
                    .unwrap_or_default();
                Ok(SetupDone {
                    install: app.install_info(),
                    fingerprint: app.trust().fingerprint()?,
                    session: Session::of(app.operator().clone()),
                    recovery_key,
                })
            },
        )
        .await
        .map_err(on_operator_field)
}

/// A refusal of the district file next to its field: the fingerprint's, or the file's.
fn on_district_field(err: sportello_app::AppError) -> CommandError {
    let field = match err.code {
        ErrorCode::FingerprintMissing | ErrorCode::FingerprintMismatch => "fingerprint",
        _ => "district_path",
    };
    CommandError::from(err).on_field(field)
}

/// The first operator's refusals, next to the field they concern.
fn on_operator_field(err: CommandError) -> CommandError {
    match err.code {
        ErrorCode::OperatorInvalid => err.on_field("username"),
        ErrorCode::PasswordWeak => err.on_field("password"),
        ErrorCode::FingerprintMissing | ErrorCode::FingerprintMismatch => {
            err.on_field("fingerprint")
        }
        _ => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(username: &str, password: &str) -> NewOperator {
        NewOperator {
            username: username.into(),
            name: None,
            role: Role::Responsabile,
            password: password.into(),
        }
    }

    fn init_refusal(first: &NewOperator) -> CommandError {
        let dir = tempfile::tempdir().unwrap();
        let toml = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/district-d48.toml"),
        )
        .unwrap();
        let refused = Sportello::init(&dir.path().join("comune.db"), &toml, "089009", first);
        on_operator_field(refused.err().expect("refused").into())
    }

    /// The first-run screen checks the password as it is typed (ui/src/lib/password.ts) with
    /// the app's words: a change of rule or wording in the app fails here.
    #[test]
    fn the_window_checks_passwords_with_the_apps_words() {
        let window = include_str!("../../../ui/src/lib/password.ts");
        for weak in [
            "123456789",
            " spazio davanti",
            "spazio dietro ",
            "èèèèèèèèè",
        ] {
            let err = init_refusal(&first("m.rossi", weak));
            assert_eq!(err.code, "password_weak", "{weak:?}");
            assert_eq!(err.field.as_deref(), Some("password"));
            assert!(
                window.contains(&format!("'{}'", err.message)),
                "ui/src/lib/password.ts does not say {:?}",
                err.message
            );
        }
    }

    #[test]
    fn a_wrong_username_is_shown_next_to_its_field() {
        let err = init_refusal(&first("M.Rossi", "una password lunga"));
        assert_eq!(err.code, "operator_invalid");
        assert_eq!(err.field.as_deref(), Some("username"));
        let other = on_operator_field(CommandError::new(ErrorCode::ComuneMissing, "comune"));
        assert_eq!(other.field, None);
    }
}
