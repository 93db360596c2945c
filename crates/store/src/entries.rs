//! District data set whole from a file (kinds of case, the map of services): what setting an
//! install's own entries to a new list does to each, by code. An entry held and left out is
//! kept, inactive, so that what refers to it keeps its meaning.

use serde::Serialize;

/// What setting the entries changed, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct EntriesSaved {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    /// Held here, absent from the new list: kept, inactive.
    pub retired: Vec<String>,
    pub unchanged: Vec<String>,
}

impl EntriesSaved {
    /// Whether anything is written (and audited).
    pub fn changed(&self) -> bool {
        self.created.len() + self.updated.len() + self.retired.len() > 0
    }

    /// The audit entry's detail: the codes written.
    pub(crate) fn audit_detail(&self) -> serde_json::Value {
        serde_json::json!({
            "created": self.created, "updated": self.updated, "retired": self.retired,
        })
    }
}

/// An entry as a file gives it, known by its code.
pub(crate) trait Coded: PartialEq {
    fn code(&self) -> &str;
}

/// An entry as held here: the entry and whether it is in use.
pub(crate) trait Held {
    type Entry: Coded;
    fn entry(&self) -> &Self::Entry;
    fn active(&self) -> bool;
}

/// One entry to write: the new or the held one, whether in use, and what was held before.
pub(crate) struct Change<'a, H: Held> {
    pub entry: &'a H::Entry,
    pub active: bool,
    pub before: Option<&'a H>,
}

/// The entries to write when `held` become `wanted`, each counted in `saved`: the wanted
/// ones (in use) that are new or differ, then the held ones in use left out (retired).
pub(crate) fn changes<'a, H: Held>(
    held: &'a [H],
    wanted: &'a [H::Entry],
    saved: &mut EntriesSaved,
) -> Vec<Change<'a, H>> {
    let retired = held
        .iter()
        .filter(|h| h.active() && !wanted.iter().any(|w| w.code() == h.entry().code()))
        .map(|h| (h.entry(), false));
    let mut out = Vec::new();
    for (entry, active) in wanted.iter().map(|w| (w, true)).chain(retired) {
        let before = held.iter().find(|h| h.entry().code() == entry.code());
        let list = match before {
            Some(h) if h.entry() == entry && h.active() == active => {
                saved.unchanged.push(entry.code().to_string());
                continue;
            }
            Some(_) if !active => &mut saved.retired,
            Some(_) => &mut saved.updated,
            None => &mut saved.created,
        };
        list.push(entry.code().to_string());
        out.push(Change {
            entry,
            active,
            before,
        });
    }
    out
}
