//! The individual project (progetto individualizzato) of a participant: sector, host site,
//! tutor, service period and hours, insurance. Checked against the bando's rules.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::Rules;
use crate::calendar::whole_months;
use crate::intake::check_text;

/// A project as the comune writes it (`civico project FILE.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// One of the bando's sectors (`manutenzione`, `servizi_sociali`, `ambiente` by default).
    pub sector: String,
    /// The host site (where the service is done).
    pub site: String,
    /// The host office responsible for it.
    #[serde(default)]
    pub office: Option<String>,
    pub tutor: String,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub start: NaiveDate,
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub end: NaiveDate,
    /// Hours a week, a decimal (`12` or `"12.5"`).
    #[serde(
        deserialize_with = "hours",
        serialize_with = "crate::rules::amount::serialize"
    )]
    #[cfg_attr(feature = "bindings", ts(type = "string"))]
    pub weekly_hours: Decimal,
    /// The weekly schedule in words (`lun-mer-ven 8-12`).
    #[serde(default)]
    pub schedule: Option<String>,
    /// INAIL position and civil-liability (RC) policy: required before the start date.
    #[serde(default)]
    pub inail_position: Option<String>,
    #[serde(default)]
    pub rc_policy: Option<String>,
}

/// What is wrong with one field of a project, in Italian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectFinding {
    pub field: &'static str,
    pub message: String,
}

/// Problems that stop the project from being recorded, and warnings that do not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectCheck {
    pub problems: Vec<ProjectFinding>,
    pub warnings: Vec<ProjectFinding>,
}

/// Checks a project against the bando's `rules` on `today`: a known sector, a site and a tutor,
/// a service of `service_min_months` to `service_max_months` whole months, weekly hours within
/// what the daily limit allows, and the insurance in place once the service has started.
pub fn check(project: &Project, rules: &Rules, today: NaiveDate) -> ProjectCheck {
    let mut check = ProjectCheck::default();
    let mut problem = |field, message: String| {
        check.problems.push(ProjectFinding { field, message });
    };
    if !rules.sectors.iter().any(|s| s.id == project.sector) {
        let known: Vec<&str> = rules.sectors.iter().map(|s| s.id.as_str()).collect();
        problem(
            "sector",
            format!(
                "settore «{}» sconosciuto: scegliere tra {}",
                project.sector,
                known.join(", ")
            ),
        );
    }
    for (field, text, required) in [
        ("site", Some(project.site.as_str()), true),
        ("tutor", Some(project.tutor.as_str()), true),
        ("office", project.office.as_deref(), false),
        ("schedule", project.schedule.as_deref(), false),
        ("inail_position", project.inail_position.as_deref(), false),
        ("rc_policy", project.rc_policy.as_deref(), false),
    ] {
        let text = text.unwrap_or_default();
        if required && text.trim().is_empty() {
            problem(field, "campo obbligatorio".into());
        } else if let Some(p) = check_text(field, text, false) {
            problem(field, p.message);
        }
    }
    let min = rules.service_min_months;
    let max = rules.service_max_months;
    match whole_months(project.start, project.end) {
        None => problem(
            "end",
            format!(
                "la fine ({}) è precedente all'inizio ({})",
                project.end.format("%d/%m/%Y"),
                project.start.format("%d/%m/%Y")
            ),
        ),
        Some(months) if months < min => problem(
            "end",
            format!(
                "il servizio dura meno di {min} mesi (dal {} al {}): la fine va almeno al {}",
                project.start.format("%d/%m/%Y"),
                project.end.format("%d/%m/%Y"),
                add_months(project.start, min).format("%d/%m/%Y")
            ),
        ),
        Some(_) if project.end > add_months(project.start, max) => problem(
            "end",
            format!(
                "il servizio dura più di {max} mesi: la fine va al più tardi al {}",
                add_months(project.start, max).format("%d/%m/%Y")
            ),
        ),
        Some(_) => {}
    }
    let week_cap = rules.max_hours_day * Decimal::from(7);
    if project.weekly_hours <= Decimal::ZERO || project.weekly_hours > week_cap {
        problem(
            "weekly_hours",
            format!(
                "ore settimanali {}: devono essere più di zero e al massimo {} ({} al giorno)",
                project.weekly_hours, week_cap, rules.max_hours_day
            ),
        );
    }
    let insured = |v: &Option<String>| v.as_deref().is_some_and(|t| !t.trim().is_empty());
    for (field, present, what) in [
        (
            "inail_position",
            insured(&project.inail_position),
            "la posizione INAIL",
        ),
        ("rc_policy", insured(&project.rc_policy), "la polizza RC"),
    ] {
        if present {
            continue;
        }
        let finding = ProjectFinding {
            field,
            message: format!(
                "manca {what}: il servizio non può iniziare senza (inizio il {})",
                project.start.format("%d/%m/%Y")
            ),
        };
        if project.start <= today {
            check.problems.push(finding);
        } else {
            check.warnings.push(finding);
        }
    }
    check
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Hours as a number or a string (`12`, `12.5`, `"12,5"`), kept to the hundredth.
fn hours<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    use serde::de::Error;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Whole(u32),
        Number(f64),
        Text(String),
    }
    let invalid = |what: &dyn std::fmt::Display| {
        D::Error::custom(format!(
            "ore settimanali «{what}» non valide: scrivere ad esempio 12"
        ))
    };
    match Written::deserialize(d)? {
        Written::Whole(n) => Ok(Decimal::from(n)),
        Written::Number(x) => Decimal::try_from(x)
            .map(|h| h.round_dp(2))
            .map_err(|_| invalid(&x)),
        Written::Text(t) => t.trim().replace(',', ".").parse().map_err(|_| invalid(&t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn project(start: NaiveDate, end: NaiveDate) -> Project {
        Project {
            sector: "ambiente".into(),
            site: "Villa comunale".into(),
            office: None,
            tutor: "Geom. Verdi".into(),
            start,
            end,
            weekly_hours: Decimal::new(20, 0),
            schedule: None,
            inail_position: Some("INAIL-1".into()),
            rc_policy: Some("RC-1".into()),
        }
    }

    fn fields(c: &ProjectCheck) -> Vec<&str> {
        c.problems.iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_service_lasts_three_to_six_whole_months() {
        let rules = Rules::default();
        let today = day(2026, 1, 1);
        let start = day(2026, 6, 1);
        // 2 months 30 days is short; 3 months is enough; 6 months is the most.
        assert_eq!(
            fields(&check(&project(start, day(2026, 8, 31)), &rules, today)),
            ["end"]
        );
        assert!(
            check(&project(start, day(2026, 9, 1)), &rules, today)
                .problems
                .is_empty()
        );
        assert!(
            check(&project(start, day(2026, 12, 1)), &rules, today)
                .problems
                .is_empty()
        );
        assert_eq!(
            fields(&check(&project(start, day(2026, 12, 2)), &rules, today)),
            ["end"]
        );
    }

    #[test]
    fn insurance_is_needed_before_the_start() {
        let rules = Rules::default();
        let mut p = project(day(2026, 6, 1), day(2026, 9, 1));
        p.rc_policy = None;
        let before = check(&p, &rules, day(2026, 5, 31));
        assert!(before.problems.is_empty());
        assert_eq!(before.warnings[0].field, "rc_policy");
        assert_eq!(fields(&check(&p, &rules, day(2026, 6, 1))), ["rc_policy"]);
    }

    #[test]
    fn unknown_sector_and_hours_beyond_the_daily_limit_are_refused() {
        let rules = Rules::default();
        let mut p = project(day(2026, 6, 1), day(2026, 9, 1));
        p.sector = "cucina".into();
        p.weekly_hours = Decimal::new(29, 0);
        assert_eq!(
            fields(&check(&p, &rules, day(2026, 1, 1))),
            ["sector", "weekly_hours"]
        );
        p.weekly_hours = Decimal::new(28, 0);
        p.sector = "manutenzione".into();
        assert!(check(&p, &rules, day(2026, 1, 1)).problems.is_empty());
    }

    #[test]
    fn hours_read_from_a_number_or_a_string() {
        let text = r#"{"sector":"ambiente","site":"s","tutor":"t","start":"2026-06-01",
            "end":"2026-09-01","weekly_hours":"12,5"}"#;
        let p: Project = serde_json::from_str(text).unwrap();
        assert_eq!(p.weekly_hours, Decimal::new(125, 1));
        let p: Project = serde_json::from_str(&text.replace("\"12,5\"", "12")).unwrap();
        assert_eq!(p.weekly_hours, Decimal::new(12, 0));
    }
}
