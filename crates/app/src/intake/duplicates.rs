//! The capofila's review list of applications that share a person: the ranking already keeps
//! one application per household; the coordinator needs to see which, and why.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sportello_store::Household;

use super::Intake;
use crate::Result;

/// Applications linked by shared codici fiscali (applicant or household member).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DuplicateGroup {
    /// The codici fiscali that appear in more than one application of the group.
    pub shared_codici_fiscali: Vec<String>,
    /// True when the applications were filed in different comuni.
    pub across_comuni: bool,
    pub applications: Vec<DuplicateApplication>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct DuplicateApplication {
    pub application_code: String,
    pub case_number: String,
    pub comune: String,
    pub comune_name: String,
    pub bando: String,
    pub filed_at: String,
    pub applicant: String,
    pub applicant_codice_fiscale: String,
}

impl Intake<'_> {
    /// Groups of applications of the same bando that share a person, across the district.
    pub fn duplicates(&self) -> Result<Vec<DuplicateGroup>> {
        self.require(crate::Action::ReadInternal)?;
        // The households kept beside the revisions: no declaration decoded. One whose
        // declaration cannot be read is left out, as a listing leaves it.
        let apps = self.store.households(None)?.households;
        let mut out = Vec::new();
        for (members, shared) in linked(&apps) {
            let comuni: BTreeSet<&str> = members.iter().map(|&i| apps[i].comune.as_str()).collect();
            out.push(DuplicateGroup {
                shared_codici_fiscali: shared,
                across_comuni: comuni.len() > 1,
                applications: members
                    .iter()
                    .map(|&i| {
                        let h = &apps[i];
                        DuplicateApplication {
                            application_code: h.code.clone(),
                            case_number: h.case_number.clone(),
                            comune_name: self.comune_name(&h.comune),
                            comune: h.comune.clone(),
                            bando: h.bando.clone(),
                            filed_at: h.filed_at.to_rfc3339(),
                            applicant: h.applicant.clone(),
                            applicant_codice_fiscale: h.codici_fiscali[0].clone(),
                        }
                    })
                    .collect(),
            });
        }
        self.audit_read(
            "application_duplicates",
            "application",
            None,
            serde_json::json!({
                "groups": out.len(),
                "rows": out.iter().map(|g| g.applications.len()).sum::<usize>(),
            }),
        )?;
        Ok(out)
    }
}

/// The applications of `apps` (in filing order) linked, within a bando, by a codice fiscale
/// they both name (applicant or household member), directly or through others: each group of
/// two or more (indexes into `apps`, ascending), with the codici fiscali its applications
/// share, by bando and codice fiscale. Groups come in the order of their union-find root.
pub(crate) fn linked(apps: &[Household]) -> Vec<(Vec<usize>, Vec<String>)> {
    // Union-find over applications, joined through each codice fiscale they mention.
    let mut parent: Vec<usize> = (0..apps.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_cf: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, a) in apps.iter().enumerate() {
        let cfs: BTreeSet<&str> = a.codici_fiscali.iter().map(String::as_str).collect();
        for cf in cfs {
            by_cf.entry((a.bando.as_str(), cf)).or_default().push(i);
        }
    }
    for members in by_cf.values() {
        for w in members.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..apps.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    // A shared codice fiscale belongs to the group of the applications naming it.
    let mut shared: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for ((_, cf), idx) in by_cf.iter().filter(|(_, idx)| idx.len() > 1) {
        let r = root(&mut parent, idx[0]);
        shared.entry(r).or_default().push(cf.to_string());
    }
    groups
        .into_iter()
        .filter(|(_, m)| m.len() > 1)
        .map(|(r, members)| (members, shared.remove(&r).unwrap_or_default()))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use sportello_domain::ApplicationForm;
    use sportello_store::{Actor, NewApplication};

    use crate::Sportello;

    /// The comuni the applications of [`linked_district`] are filed at.
    const COMUNI: [&str; 3] = ["089017", "089009", "089015"];

    /// The capofila holding three applications of each of the 60 fixture forms, ten days
    /// apart (some of the later ones after the bando closed: excluded, they block no one),
    /// spread over three comuni (every fourth form's all at the capofila): households shared
    /// within a comune and across comuni, and two pairs of forms that name one person each.
    pub(crate) fn linked_district(dir: &Path) -> Sportello {
        let mut app = crate::intake::one_form::tests::comune_with_bando(dir);
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/applications.json"),
        )
        .unwrap();
        let forms: Vec<ApplicationForm> = serde_json::from_str(&text).unwrap();
        let applications: Vec<NewApplication> = (0..3)
            .flat_map(|k| {
                forms.iter().map(move |f| NewApplication {
                    bando: f.bando.clone(),
                    filed_at: f.filed_at.unwrap() + chrono::Duration::days(10 * k),
                    declaration: f.declaration.clone(),
                    override_note: None,
                    protocol_number: None,
                })
            })
            .collect();
        let filed = app
            .store
            .file_applications(&applications, crate::now(), &Actor("prova".into()))
            .unwrap();
        for (n, f) in filed.iter().enumerate() {
            let (k, i) = (n / forms.len(), n % forms.len());
            let comune = if i % 4 == 0 {
                COMUNI[0]
            } else {
                COMUNI[(i + k) % 3]
            };
            app.store
                .connection()
                .execute(
                    "UPDATE applications SET comune = ?1, owner = ?1 WHERE application_code = ?2",
                    [comune, &f.application_code],
                )
                .unwrap();
        }
        app
    }

    /// The groups are the applications of a bando linked through the codici fiscali their
    /// declarations name, each group with the ones named twice or more, in filing order.
    #[test]
    fn the_groups_are_the_applications_linked_by_their_declarations() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = linked_district(dir.path());
        let groups = app.intake().duplicates().unwrap();
        // The declarations decoded, linked by a walk through the persons they name.
        let held = app
            .store
            .applications(&sportello_store::ApplicationFilter::default())
            .unwrap()
            .applications;
        let mut naming: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in held.iter().enumerate() {
            for cf in s.application.declaration.household_codici_fiscali() {
                naming.entry(cf).or_default().push(i);
            }
        }
        let mut seen = vec![false; held.len()];
        let mut expected = BTreeSet::new();
        for start in 0..held.len() {
            let mut group = BTreeSet::new();
            let mut next = vec![start];
            while let Some(i) = next.pop() {
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                group.insert(held[i].application.code.clone());
                for cf in held[i].application.declaration.household_codici_fiscali() {
                    next.extend(&naming[cf]);
                }
            }
            if group.len() > 1 {
                expected.insert(group);
            }
        }
        let found: BTreeSet<BTreeSet<String>> = groups
            .iter()
            .map(|g| {
                g.applications
                    .iter()
                    .map(|a| a.application_code.clone())
                    .collect()
            })
            .collect();
        assert_eq!(found, expected);
        assert_eq!(
            groups.len(),
            58,
            "one group a form, two pairs naming one person"
        );
        let position = |code: &str| held.iter().position(|s| s.application.code == code);
        for g in &groups {
            let at: Vec<_> = g
                .applications
                .iter()
                .map(|a| position(&a.application_code))
                .collect();
            assert!(at.is_sorted(), "filing order");
            let members: Vec<_> = at.iter().map(|i| &held[i.unwrap()].application).collect();
            let shared: Vec<&str> = naming
                .iter()
                .filter(|(_, by)| {
                    by.len() > 1
                        && members
                            .iter()
                            .any(|m| m.code == held[by[0]].application.code)
                })
                .map(|(cf, _)| *cf)
                .collect();
            assert_eq!(g.shared_codici_fiscali, shared);
            let comuni: BTreeSet<&str> = members.iter().map(|m| m.comune.as_str()).collect();
            assert_eq!(g.across_comuni, comuni.len() > 1);
            for (a, m) in g.applications.iter().zip(&members) {
                let p = &m.declaration.applicant.person;
                assert_eq!(a.applicant, format!("{} {}", p.surname, p.name));
                assert_eq!(a.applicant_codice_fiscale, p.codice_fiscale);
                assert_eq!(a.filed_at, m.filed_at.to_rfc3339());
            }
        }
    }
}
