//! The capofila's review list of applications that share a person: the ranking already keeps
//! one application per household; the coordinator needs to see which, and why.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sportello_store::ApplicationFilter;

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
        let apps = self
            .store
            .applications(&ApplicationFilter::default())?
            .applications;
        // Union-find over applications, joined through each codice fiscale they mention.
        let mut parent: Vec<usize> = (0..apps.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut by_cf: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for (i, a) in apps.iter().enumerate() {
            let d = &a.application.declaration;
            let cfs: BTreeSet<&str> = d.household_codici_fiscali().collect();
            for cf in cfs {
                by_cf
                    .entry((a.application.bando.clone(), cf.to_string()))
                    .or_default()
                    .push(i);
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
        let mut out = Vec::new();
        for members in groups.into_values().filter(|m| m.len() > 1) {
            let shared: Vec<String> = by_cf
                .iter()
                .filter(|(_, idx)| idx.len() > 1 && members.contains(&idx[0]))
                .map(|((_, cf), _)| cf.clone())
                .collect();
            let comuni: BTreeSet<&str> = members
                .iter()
                .map(|&i| apps[i].application.comune.as_str())
                .collect();
            out.push(DuplicateGroup {
                shared_codici_fiscali: shared,
                across_comuni: comuni.len() > 1,
                applications: members
                    .iter()
                    .map(|&i| {
                        let s = &apps[i];
                        let p = &s.application.declaration.applicant.person;
                        DuplicateApplication {
                            application_code: s.application.code.clone(),
                            case_number: s.case_number.clone(),
                            comune_name: self.comune_name(&s.application.comune),
                            comune: s.application.comune.clone(),
                            bando: s.application.bando.clone(),
                            filed_at: s.application.filed_at.to_rfc3339(),
                            applicant: format!("{} {}", p.surname, p.name),
                            applicant_codice_fiscale: p.codice_fiscale.clone(),
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
