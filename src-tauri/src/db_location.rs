//! Which database file the window opens: `--db FILE`, else `SPORTELLO_DB`, else
//! `sportello_app::default_db_path()` (the same rule as the `sportello` command).

use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable naming the database when `--db` is not given.
pub const DB_ENV: &str = "SPORTELLO_DB";

#[derive(Debug, thiserror::Error)]
pub enum DbLocationError {
    #[error("manca il percorso del database dopo --db (uso: sportello-desktop [--db FILE])")]
    MissingValue,
    #[error("argomento non riconosciuto: {0} (uso: sportello-desktop [--db FILE])")]
    UnknownArgument(String),
    #[error(
        "cartella dei dati utente non trovata: indicare il database con --db FILE \
         o con la variabile {DB_ENV}"
    )]
    NoDataDir,
    #[error("impossibile risolvere il percorso del database {path}: {source}")]
    Unresolvable {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Resolves the database path from the program arguments (without the program name), the value
/// of [`DB_ENV`] and the default location. The result is absolute.
pub fn resolve_db_path(
    args: impl IntoIterator<Item = OsString>,
    env: Option<OsString>,
    default: Option<PathBuf>,
) -> Result<PathBuf, DbLocationError> {
    let chosen = match db_argument(args)? {
        Some(path) => path,
        None => match env.filter(|value| !value.is_empty()) {
            Some(value) => PathBuf::from(value),
            None => default.ok_or(DbLocationError::NoDataDir)?,
        },
    };
    std::path::absolute(&chosen).map_err(|source| DbLocationError::Unresolvable {
        path: chosen.display().to_string(),
        source,
    })
}

/// The value of `--db FILE` or `--db=FILE`, if given; any other argument is refused so that a
/// mistyped option never silently opens the default database.
fn db_argument(
    args: impl IntoIterator<Item = OsString>,
) -> Result<Option<PathBuf>, DbLocationError> {
    let mut args = args.into_iter();
    let mut db = None;
    while let Some(arg) = args.next() {
        if arg == "--db" {
            let value = args.next().filter(|v| !v.is_empty());
            db = Some(PathBuf::from(value.ok_or(DbLocationError::MissingValue)?));
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            if value.is_empty() {
                return Err(DbLocationError::MissingValue);
            }
            db = Some(PathBuf::from(value));
        } else {
            return Err(DbLocationError::UnknownArgument(
                arg.to_string_lossy().into_owned(),
            ));
        }
    }
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn default_db() -> Option<PathBuf> {
        Some(PathBuf::from(
            "/home/operatore/.local/share/sportello/sportello.db",
        ))
    }

    #[test]
    fn argument_wins_over_env_and_default() {
        let path = resolve_db_path(
            args(&["--db", "/tmp/comune.db"]),
            Some("/tmp/env.db".into()),
            default_db(),
        )
        .unwrap();
        assert_eq!(path, PathBuf::from("/tmp/comune.db"));
    }

    #[test]
    fn equals_form_is_accepted() {
        let path = resolve_db_path(args(&["--db=/tmp/comune.db"]), None, default_db()).unwrap();
        assert_eq!(path, PathBuf::from("/tmp/comune.db"));
    }

    #[test]
    fn env_wins_over_default() {
        let path = resolve_db_path(args(&[]), Some("/tmp/env.db".into()), default_db()).unwrap();
        assert_eq!(path, PathBuf::from("/tmp/env.db"));
    }

    #[test]
    fn empty_env_falls_back_to_the_default() {
        let path = resolve_db_path(args(&[]), Some("".into()), default_db()).unwrap();
        assert_eq!(
            path,
            PathBuf::from("/home/operatore/.local/share/sportello/sportello.db")
        );
    }

    #[test]
    fn relative_path_becomes_absolute() {
        let path = resolve_db_path(args(&["--db", "prova.db"]), None, None).unwrap();
        assert!(path.is_absolute());
        assert!(path.ends_with("prova.db"));
    }

    #[test]
    fn db_without_value_is_refused() {
        for given in [&["--db"][..], &["--db", ""], &["--db="]] {
            let err = resolve_db_path(args(given), None, default_db()).unwrap_err();
            assert!(matches!(err, DbLocationError::MissingValue), "{given:?}");
        }
    }

    #[test]
    fn unknown_argument_is_refused_with_its_name() {
        let err = resolve_db_path(args(&["--bd", "x.db"]), None, default_db()).unwrap_err();
        assert!(matches!(&err, DbLocationError::UnknownArgument(a) if a == "--bd"));
        assert!(err.to_string().contains("--bd"));
    }

    #[test]
    fn no_default_and_nothing_given_is_an_error() {
        let err = resolve_db_path(args(&[]), None, None).unwrap_err();
        assert!(matches!(err, DbLocationError::NoDataDir));
    }
}
