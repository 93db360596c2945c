//! A contact (accesso) at the front office: who came, how, what they needed and what the
//! operator answered, checked before it is stored.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Sex;
use crate::application::Person;
use crate::calendar::{age_on, italian_day};
use crate::codice_fiscale::{CodiceFiscale, cross_check};
use crate::district::District;
use crate::front_office::{CaseKind, DEFAULT_KIND, due_date};
use crate::intake::check_text;

/// How the citizen reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sportello,
    Telefono,
    Email,
    Domicilio,
    Altro,
}

/// Who spoke with the operator: the person concerned, a relative, another service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Interlocutor {
    Utente,
    Familiare,
    Servizio,
    Altro,
}

/// Who sent them (§3.9): themselves, another service, a school, a doctor …
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SentBy {
    Spontaneo,
    Servizio,
    Scuola,
    Medico,
    Familiare,
    Altro,
}

/// What the operator answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Informazione,
    Invio,
    Istruttoria,
}

macro_rules! words {
    ($t:ty { $($v:ident => $w:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [&'static str] = &[$($w),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $w),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($w => Some(Self::$v),)* _ => None }
            }
        }
    };
}

words!(Channel { Sportello => "sportello", Telefono => "telefono", Email => "email",
    Domicilio => "domicilio", Altro => "altro" });
words!(Interlocutor { Utente => "utente", Familiare => "familiare", Servizio => "servizio",
    Altro => "altro" });
words!(SentBy { Spontaneo => "spontaneo", Servizio => "servizio", Scuola => "scuola",
    Medico => "medico", Familiare => "familiare", Altro => "altro" });
words!(Answer { Informazione => "informazione", Invio => "invio",
    Istruttoria => "istruttoria" });

/// The age bands of an anonymous contact (and of an identified one, from the birth date).
pub const AGE_BANDS: &[&str] = &[
    "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+",
];

/// The age band of someone `age` years old.
pub fn age_band(age: u32) -> &'static str {
    match age {
        0..=17 => AGE_BANDS[0],
        18..=24 => AGE_BANDS[1],
        25..=34 => AGE_BANDS[2],
        35..=44 => AGE_BANDS[3],
        45..=54 => AGE_BANDS[4],
        55..=64 => AGE_BANDS[5],
        65..=74 => AGE_BANDS[6],
        _ => AGE_BANDS[7],
    }
}

/// The SIUSS areas of need: 1 family and minors, 2 disability and non-self-sufficiency,
/// 3 poverty and social exclusion.
pub const AREAS: std::ops::RangeInclusive<u8> = 1..=3;

/// The Italian name of a SIUSS area.
pub fn area_label(area: u8) -> &'static str {
    match area {
        1 => "famiglia e minori",
        2 => "disabilità e non autosufficienza",
        _ => "povertà ed esclusione sociale",
    }
}

/// One need expressed: a SIUSS area and, if the district uses them, a finer local area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Need {
    pub area: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_area: Option<String>,
}

/// The person concerned as typed: identified (codice fiscale and name) or anonymous.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub codice_fiscale: Option<String>,
    #[serde(default)]
    pub surname: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub birth_place: Option<String>,
    #[serde(default)]
    pub residence_istat: Option<String>,
    #[serde(default)]
    pub age_band: Option<String>,
}

/// For an istruttoria: the kind of case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    pub kind: String,
}

/// For an invio: to whom and what to bring, printed on the scheda di invio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ReferralInput {
    /// The service or office the citizen is sent to, in words.
    pub to: String,
    #[serde(default)]
    pub bring: Option<String>,
}

/// A contact as the operator types it (`contact add`, docs/formats.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// When; now when omitted.
    #[serde(default)]
    pub at: Option<DateTime<FixedOffset>>,
    pub channel: Channel,
    #[serde(default = "default_interlocutor")]
    pub interlocutor: Interlocutor,
    #[serde(default = "default_sent_by")]
    pub sent_by: SentBy,
    pub person: PersonInput,
    pub needs: Vec<Need>,
    #[serde(default)]
    pub request: Option<String>,
    pub answer: Answer,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub case: Option<CaseInput>,
    #[serde(default)]
    pub referral: Option<ReferralInput>,
    #[serde(default)]
    pub unmet_need: bool,
}

fn default_interlocutor() -> Interlocutor {
    Interlocutor::Utente
}

fn default_sent_by() -> SentBy {
    SentBy::Spontaneo
}

/// The identity of an identified person, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub codice_fiscale: String,
    pub surname: String,
    pub name: String,
    pub birth_date: NaiveDate,
}

/// A contact that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedContact {
    pub at: DateTime<FixedOffset>,
    /// The Italian day of `at`.
    pub day: NaiveDate,
    pub channel: Channel,
    pub interlocutor: Interlocutor,
    pub sent_by: SentBy,
    pub identity: Option<Identity>,
    pub sex: Option<Sex>,
    pub age_band: Option<String>,
    pub residence_istat: Option<String>,
    pub needs: Vec<Need>,
    pub request: Option<String>,
    pub answer: Answer,
    pub services: Vec<String>,
    /// For an istruttoria: its kind and due date.
    pub case: Option<(CaseKind, NaiveDate)>,
    pub referral: Option<ReferralInput>,
    pub unmet_need: bool,
}

/// One thing wrong with a contact: the field as written in the JSON and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: impl Into<String>) -> ContactProblem {
    ContactProblem {
        field: field.into(),
        message: message.into(),
    }
}

/// Whether `id` has the shape of a service's code in the map: a short code of letters,
/// digits, `-`, `_` or `.` (at most 64).
pub fn is_service_code(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn is_istat(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a contact typed at `now` at a desk of `district`, with the district's kinds of
/// case: every problem, first field first. A contact may not be in the future.
pub fn check_contact(
    input: &ContactInput,
    now: DateTime<FixedOffset>,
    district: &District,
    kinds: &[CaseKind],
) -> Result<CheckedContact, Vec<ContactProblem>> {
    let mut problems = Vec::new();
    let at = input.at.unwrap_or(now);
    if at > now {
        problems.push(problem(
            "at",
            "la data e l'ora del contatto sono nel futuro",
        ));
    }
    let day = italian_day(at);
    let p = &input.person;
    let mut identity = None;
    let mut sex = p.sex;
    let mut band = None;
    let text = |field: &str, value: &Option<String>, max: usize, problems: &mut Vec<_>| {
        let Some(v) = value else { return None };
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        if v.chars().count() > max {
            problems.push(problem(
                field,
                format!("testo più lungo di {max} caratteri"),
            ));
        }
        if let Some(p) = check_text(field, v, max > 200) {
            problems.push(problem(field, p.message));
        }
        Some(v.to_string())
    };
    if let Some(r) = &p.residence_istat
        && !is_istat(r)
    {
        problems.push(problem(
            "person.residence_istat",
            "il comune di residenza va indicato con il codice ISTAT di 6 cifre",
        ));
    }
    if p.anonymous {
        for (field, given) in [
            ("person.codice_fiscale", p.codice_fiscale.is_some()),
            ("person.surname", p.surname.is_some()),
            ("person.name", p.name.is_some()),
            ("person.birth_date", p.birth_date.is_some()),
            ("person.birth_place", p.birth_place.is_some()),
        ] {
            if given {
                problems.push(problem(
                    field,
                    "un contatto anonimo ha solo sesso, fascia d'età e comune di residenza",
                ));
            }
        }
        if let Some(b) = &p.age_band {
            if AGE_BANDS.contains(&b.as_str()) {
                band = Some(b.clone());
            } else {
                problems.push(problem(
                    "person.age_band",
                    format!(
                        "fascia d'età non prevista, ammesse: {}",
                        AGE_BANDS.join(", ")
                    ),
                ));
            }
        }
    } else {
        if p.age_band.is_some() {
            problems.push(problem(
                "person.age_band",
                "la fascia d'età si indica solo per un contatto anonimo: per una persona \
                 identificata si ricava dalla data di nascita",
            ));
        }
        let surname = text("person.surname", &p.surname, 100, &mut problems);
        let name = text("person.name", &p.name, 100, &mut problems);
        if surname.is_none() {
            problems.push(problem(
                "person.surname",
                "manca il cognome (o \"anonymous\": true)",
            ));
        }
        if name.is_none() {
            problems.push(problem("person.name", "manca il nome"));
        }
        match p.codice_fiscale.as_deref().map(CodiceFiscale::parse) {
            None => problems.push(problem(
                "person.codice_fiscale",
                "manca il codice fiscale: per un contatto senza dati personali indicare \
                 \"anonymous\": true",
            )),
            Some(Err(e)) => problems.push(problem("person.codice_fiscale", e.to_string())),
            Some(Ok(cf)) => {
                let decoded = cf.decode();
                let birth = p.birth_date.or_else(|| cf.birth_date(day));
                match birth {
                    None => problems.push(problem(
                        "person.codice_fiscale",
                        "la data di nascita del codice fiscale non esiste",
                    )),
                    Some(birth_date) => {
                        let person = Person {
                            codice_fiscale: cf.as_str().into(),
                            surname: surname.clone().unwrap_or_default(),
                            name: name.clone().unwrap_or_default(),
                            birth_date,
                            sex: p.sex.unwrap_or(decoded.sex),
                            birth_place: p
                                .birth_place
                                .clone()
                                .unwrap_or_else(|| decoded.place.clone()),
                        };
                        for m in cross_check(&cf, &person, district, day) {
                            problems.push(problem(&format!("person.{}", m.field()), m.to_string()));
                        }
                        sex = Some(person.sex);
                        band = Some(age_band(age_on(birth_date, day)).to_string());
                        identity = Some(Identity {
                            codice_fiscale: cf.as_str().into(),
                            surname: surname.unwrap_or_default(),
                            name: name.unwrap_or_default(),
                            birth_date,
                        });
                    }
                }
            }
        }
    }
    if input.needs.is_empty() {
        problems.push(problem(
            "needs",
            "indicare almeno un bisogno (area 1, 2 o 3)",
        ));
    }
    let mut needs = Vec::new();
    for (i, need) in input.needs.iter().enumerate() {
        if !AREAS.contains(&need.area) {
            problems.push(problem(
                &format!("needs[{i}].area"),
                format!(
                    "l'area {} non esiste: 1 famiglia e minori, 2 disabilità e non \
                     autosufficienza, 3 povertà ed esclusione sociale",
                    need.area
                ),
            ));
        }
        let local = text(
            &format!("needs[{i}].local_area"),
            &need.local_area,
            64,
            &mut problems,
        );
        needs.push(Need {
            area: need.area,
            local_area: local,
        });
    }
    let request = text("request", &input.request, 4000, &mut problems);
    for (i, id) in input.services.iter().enumerate() {
        if !is_service_code(id) {
            problems.push(problem(
                &format!("services[{i}]"),
                "il servizio va indicato con il suo codice della mappa (lettere, cifre, - _ .; \
                 al massimo 64)",
            ));
        }
    }
    let mut services = input.services.clone();
    services.sort();
    services.dedup();
    let case = match (input.answer, &input.case) {
        (Answer::Istruttoria, case) => {
            let wanted = case.as_ref().map_or(DEFAULT_KIND, |c| c.kind.as_str());
            match kinds.iter().find(|k| k.id == wanted) {
                Some(kind) => Some((kind.clone(), due_date(day, kind))),
                None => {
                    let known: Vec<&str> = kinds.iter().map(|k| k.id.as_str()).collect();
                    problems.push(problem(
                        "case.kind",
                        format!(
                            "tipo di istruttoria {wanted:?} sconosciuto, ammessi: {}",
                            known.join(", ")
                        ),
                    ));
                    None
                }
            }
        }
        (_, Some(_)) => {
            problems.push(problem(
                "case",
                "un'istruttoria si apre solo con \"answer\": \"istruttoria\"",
            ));
            None
        }
        (_, None) => None,
    };
    let referral = match (&input.referral, input.answer) {
        (Some(r), Answer::Invio) => {
            let to = text("referral.to", &Some(r.to.clone()), 200, &mut problems);
            if to.is_none() {
                problems.push(problem("referral.to", "indicare a quale servizio si invia"));
            }
            let bring = text("referral.bring", &r.bring, 1000, &mut problems);
            Some(ReferralInput {
                to: to.unwrap_or_default(),
                bring,
            })
        }
        (Some(_), _) => {
            problems.push(problem(
                "referral",
                "la scheda di invio si compila solo con \"answer\": \"invio\"",
            ));
            None
        }
        (None, _) => None,
    };
    if input.answer == Answer::Invio && referral.is_none() && services.is_empty() {
        problems.push(problem(
            "services",
            "per un invio indicare il servizio (\"services\" o \"referral\")",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(CheckedContact {
        at,
        day,
        channel: input.channel,
        interlocutor: input.interlocutor,
        sent_by: input.sent_by,
        identity,
        sex,
        age_band: band,
        residence_istat: p.residence_istat.clone(),
        needs,
        request,
        answer: input.answer,
        services,
        case,
        referral,
        unmet_need: input.unmet_need,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::district::test_district;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap()
    }

    fn input(person: serde_json::Value, answer: &str) -> ContactInput {
        serde_json::from_value(serde_json::json!({
            "channel": "sportello", "person": person, "needs": [{"area": 3}],
            "request": "Chiede del contributo affitti", "answer": answer,
        }))
        .unwrap()
    }

    fn fields(r: Result<CheckedContact, Vec<ContactProblem>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn an_identified_person_s_codice_fiscale_is_checked_and_gives_sex_and_age_band() {
        let kinds = [CaseKind::default_kind()];
        let person = serde_json::json!({"codice_fiscale": "RSSMRA80A01I754N",
            "surname": "Rossi", "name": "Mario", "residence_istat": "089017"});
        let c = check_contact(
            &input(person, "istruttoria"),
            now(),
            &test_district(),
            &kinds,
        )
        .unwrap();
        assert_eq!(c.sex, Some(Sex::M));
        assert_eq!(c.age_band.as_deref(), Some("45-54"));
        let (kind, due) = c.case.unwrap();
        assert_eq!(kind.id, "generica");
        assert_eq!(due, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());

        let wrong = serde_json::json!({"codice_fiscale": "RSSMRA80A01I754X",
            "surname": "Rossi", "name": "Mario"});
        let got = fields(check_contact(
            &input(wrong, "informazione"),
            now(),
            &test_district(),
            &kinds,
        ));
        assert_eq!(got, ["person.codice_fiscale"]);
    }

    #[test]
    fn an_anonymous_contact_carries_no_identity() {
        let kinds = [CaseKind::default_kind()];
        let ok = serde_json::json!({"anonymous": true, "sex": "F", "age_band": "25-34",
            "residence_istat": "089009"});
        let c = check_contact(&input(ok, "informazione"), now(), &test_district(), &kinds).unwrap();
        assert!(c.identity.is_none());
        let named = serde_json::json!({"anonymous": true, "surname": "Rossi", "age_band": "3"});
        let got = fields(check_contact(
            &input(named, "informazione"),
            now(),
            &test_district(),
            &kinds,
        ));
        assert_eq!(got, ["person.surname", "person.age_band"]);
    }

    #[test]
    fn unknown_kinds_areas_and_future_times_are_refused() {
        let kinds = [CaseKind::default_kind()];
        let mut c = input(serde_json::json!({"anonymous": true}), "istruttoria");
        c.case = Some(CaseInput {
            kind: "casa".into(),
        });
        c.needs = vec![Need {
            area: 4,
            local_area: None,
        }];
        c.at = Some(now() + chrono::Duration::hours(1));
        c.services = vec!["".into()];
        let got = fields(check_contact(&c, now(), &test_district(), &kinds));
        assert_eq!(got, ["at", "needs[0].area", "services[0]", "case.kind"]);
    }
}
