//! Who may do what: the roles of an install's operators and the actions each allows, as
//! data (docs/roles.md prints this table). Every use case checks it; no front end decides.

use serde::{Deserialize, Serialize};

/// An operator's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Front office: records and reads its comune's applications, prints receipts.
    Operatore,
    /// Also corrects records, prints internal documents, exchanges bundles, manages the
    /// install's operators and keys, reads the audit trail.
    Responsabile,
    /// The capofila's coordinator: also enrolment, the district file, bandi, rankings and the
    /// district's settings.
    Coordinatore,
    /// Reads statistics, the audit trail and published documents: application codes and
    /// outcomes, never names, codici fiscali or ISEE values.
    Revisore,
}

/// What a use case does, as the permission table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// File applications (JSON, CSV, the window's form).
    FileApplications,
    /// Read applications with their personal data (lists, detail, search).
    ReadApplications,
    /// Read applications as codes and outcomes only.
    ReadOutcomes,
    PrintReceipts,
    /// Record an applicant's withdrawal (rinuncia alla domanda), brought to the front office.
    WithdrawApplications,
    /// Servizio civico: record calls, answers and ends of service from the definitive ranking.
    RecordCalls,
    /// Correct applications, and annul a withdrawal recorded by mistake.
    CorrectApplications,
    /// Record an applicant's objection (opposizione) to the provisional ranking, in time.
    RecordObjections,
    /// Record an objection after its window closed, with the reason it is admitted.
    RecordLateObjections,
    /// Capofila: decide objections (accolta or respinta) and print the preavvisi di rigetto.
    DecideObjections,
    /// The internal ranking and the duplicates review: personal data across applications.
    ReadInternal,
    ExchangeBundles,
    ManageOperators,
    /// This install's keys: rotating them, sending the enrolment file, accepting the district
    /// file.
    ManageKeys,
    /// Capofila: enrolling and revoking comuni, writing the district file.
    ManageDistrict,
    /// Capofila: bandi and the district's settings of each area.
    DistrictSettings,
    ComputeRanking,
    PublishRanking,
    /// Capofila: setting aside rows that cannot be read.
    Quarantine,
    ReadAudit,
    /// Backups of the install: making and checking them.
    MakeBackups,
    /// The map of services: list, search, show, print a scheda informativa.
    ReadServices,
    /// The map of services: import entries (the capofila the district catalogue, a comune its
    /// local entries), mark them reviewed, list those to review.
    ManageServices,
    /// Front office: record contacts, questionnaires, referrals' outcomes; work the cases
    /// (diary, reassignment, closing); print the scheda di invio.
    RecordContacts,
    /// Front office: read contacts and a person's history with their personal data.
    ReadContacts,
    /// The front office's statistics: counts only, no person.
    ReadStatistics,
    /// Monitoring of the plan: fill in and close the half-year forms of the actions.
    FillMonitoring,
    /// Capofila: the accreditation notice, providers' applications, the commission's
    /// assessments, the register's statuses and checks, certificates.
    AccreditProviders,
    /// Capofila: confirming an assessment, which makes it final and enters the register.
    ConfirmAssessments,
    /// The register of accredited providers (legal persons) and verifying certificates.
    ReadRegister,
}

use Action::*;

/// The permission table: each role and what it may do.
pub const PERMISSIONS: &[(Role, &[Action])] = &[
    (
        Role::Operatore,
        &[
            FileApplications,
            ReadApplications,
            ReadOutcomes,
            PrintReceipts,
            WithdrawApplications,
            RecordCalls,
            RecordObjections,
            ReadServices,
            RecordContacts,
            ReadContacts,
            ReadStatistics,
            ReadRegister,
        ],
    ),
    (
        Role::Responsabile,
        &[
            FileApplications,
            ReadApplications,
            ReadOutcomes,
            PrintReceipts,
            WithdrawApplications,
            RecordCalls,
            CorrectApplications,
            RecordObjections,
            RecordLateObjections,
            ReadInternal,
            ExchangeBundles,
            ManageOperators,
            ManageKeys,
            ReadAudit,
            MakeBackups,
            ReadServices,
            ManageServices,
            RecordContacts,
            ReadContacts,
            ReadStatistics,
            FillMonitoring,
            AccreditProviders,
            ReadRegister,
        ],
    ),
    (
        Role::Coordinatore,
        &[
            FileApplications,
            ReadApplications,
            ReadOutcomes,
            PrintReceipts,
            WithdrawApplications,
            RecordCalls,
            CorrectApplications,
            RecordObjections,
            RecordLateObjections,
            ReadInternal,
            ExchangeBundles,
            ManageOperators,
            ManageKeys,
            ReadAudit,
            MakeBackups,
            ManageDistrict,
            DistrictSettings,
            ComputeRanking,
            PublishRanking,
            DecideObjections,
            Quarantine,
            ReadServices,
            ManageServices,
            RecordContacts,
            ReadContacts,
            ReadStatistics,
            FillMonitoring,
            AccreditProviders,
            ConfirmAssessments,
            ReadRegister,
        ],
    ),
    (
        Role::Revisore,
        &[
            ReadOutcomes,
            ReadAudit,
            ReadServices,
            ReadStatistics,
            ReadRegister,
        ],
    ),
];

/// The fewest characters of a password.
pub const MIN_PASSWORD_CHARS: usize = 10;

impl Action {
    /// The action in a few Italian words, for a refusal.
    pub fn label_it(self) -> &'static str {
        match self {
            FileApplications => "registrare domande",
            ReadApplications => "consultare le domande con i dati personali",
            ReadOutcomes => "consultare codici ed esiti delle domande",
            PrintReceipts => "stampare ricevute",
            WithdrawApplications => "registrare la rinuncia a una domanda",
            RecordCalls => "registrare chiamate e risposte del servizio civico",
            CorrectApplications => "correggere domande",
            RecordObjections => "registrare opposizioni alla graduatoria",
            RecordLateObjections => "registrare opposizioni fuori termine",
            DecideObjections => "decidere le opposizioni",
            ReadInternal => "consultare dati riservati tra più domande",
            ExchangeBundles => "esportare e importare pacchetti",
            ManageOperators => "gestire gli operatori",
            ManageKeys => "gestire le chiavi dell'installazione",
            ManageDistrict => "gestire adesioni e file del distretto",
            DistrictSettings => "stabilire bandi e impostazioni del distretto",
            ComputeRanking => "calcolare la graduatoria",
            PublishRanking => "pubblicare la graduatoria",
            Quarantine => "mettere in quarantena dati illeggibili",
            ReadAudit => "consultare il registro delle attività",
            MakeBackups => "fare e verificare i backup",
            ReadServices => "consultare la mappa dei servizi",
            ManageServices => "aggiornare la mappa dei servizi",
            RecordContacts => "registrare contatti e istruttorie dello sportello",
            ReadContacts => "consultare i contatti dello sportello con i dati personali",
            ReadStatistics => "consultare le statistiche dello sportello",
            FillMonitoring => "compilare e chiudere le schede di monitoraggio",
            AccreditProviders => "istruire e valutare l'accreditamento degli enti",
            ConfirmAssessments => "confermare le valutazioni di accreditamento",
            ReadRegister => "consultare il registro degli enti accreditati",
        }
    }
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Operatore,
        Role::Responsabile,
        Role::Coordinatore,
        Role::Revisore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operatore => "operatore",
            Role::Responsabile => "responsabile",
            Role::Coordinatore => "coordinatore",
            Role::Revisore => "revisore",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    /// Whether this role may do `action`.
    pub fn allows(self, action: Action) -> bool {
        PERMISSIONS
            .iter()
            .any(|(role, actions)| *role == self && actions.contains(&action))
    }

    /// Only the capofila has a coordinator.
    pub fn capofila_only(self) -> bool {
        self == Role::Coordinatore
    }
}

/// The roles that may do `action`, for a refusal that names them.
pub fn roles_allowed(action: Action) -> Vec<Role> {
    Role::ALL.into_iter().filter(|r| r.allows(action)).collect()
}

/// What is wrong with a new password, in Italian.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "la password deve avere almeno {MIN_PASSWORD_CHARS} caratteri"
        ));
    }
    if password.trim() != password {
        return Err("la password non può iniziare o finire con uno spazio".into());
    }
    Ok(())
}

/// What is wrong with a username: 2 to 64 lowercase letters, digits, `.`, `-` or `_`.
pub fn check_username(username: &str) -> Result<(), String> {
    let ok = (2..=64).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "nome utente non valido «{username}»: da 2 a 64 lettere minuscole, cifre, punti, \
             trattini o trattini bassi (ad esempio m.rossi)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_does_what_the_regulation_of_the_install_says() {
        assert!(Role::Operatore.allows(FileApplications));
        assert!(!Role::Operatore.allows(CorrectApplications));
        assert!(!Role::Operatore.allows(ExchangeBundles));
        assert!(Role::Responsabile.allows(ManageOperators));
        assert!(!Role::Responsabile.allows(PublishRanking));
        assert!(Role::Coordinatore.allows(PublishRanking));
        assert!(!Role::Revisore.allows(ReadApplications));
        assert!(Role::Revisore.allows(ReadOutcomes));
        assert_eq!(
            roles_allowed(PublishRanking),
            [Role::Coordinatore],
            "publishing is the coordinator's"
        );
        assert_eq!(
            roles_allowed(RecordObjections),
            [Role::Operatore, Role::Responsabile, Role::Coordinatore]
        );
        assert_eq!(
            roles_allowed(RecordLateObjections),
            [Role::Responsabile, Role::Coordinatore],
            "admitting a late objection is a responsabile's call"
        );
        assert_eq!(roles_allowed(DecideObjections), [Role::Coordinatore]);
        assert_eq!(
            roles_allowed(ReadServices),
            Role::ALL,
            "the map is public information"
        );
        assert_eq!(
            roles_allowed(ManageServices),
            [Role::Responsabile, Role::Coordinatore]
        );
        assert_eq!(
            roles_allowed(ConfirmAssessments),
            [Role::Coordinatore],
            "an assessment is final once a coordinatore confirms it"
        );
        assert_eq!(roles_allowed(ReadRegister), Role::ALL);
    }

    #[test]
    fn every_role_is_in_the_table_once() {
        for role in Role::ALL {
            let rows = PERMISSIONS.iter().filter(|(r, _)| *r == role).count();
            assert_eq!(rows, 1, "{role:?}");
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[test]
    fn passwords_and_usernames_are_checked() {
        assert!(check_new_password("corta").is_err());
        assert!(check_new_password("abbastanza lunga").is_ok());
        assert!(check_new_password(" spazio davanti1").is_err());
        assert!(check_username("m.rossi").is_ok());
        assert!(check_username("M.Rossi").is_err());
        assert!(check_username("x").is_err());
    }
}
