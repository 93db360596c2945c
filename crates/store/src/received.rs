//! The checks of a received record that need no database: its table and direction, its
//! owner, every field against the table's descriptor, the hash it was signed with. They take
//! about a third of an import, so an import runs them on the records ahead while the writer
//! applies the one before ([`crate::Store::apply_bundle`] takes only checked records).

use serde_json::Value;

use crate::applications::{self, Derived};
use crate::record::{HASHED_SINCE_SCHEMA, Record, content_hash};
use crate::sync::{ApplyError, Direction, Incoming};
use crate::tables::{self, SyncTable};

/// What checking one bundle's records needs to know, taken from the database once
/// ([`crate::Store::record_check`]); sent to the thread that reads ahead.
#[derive(Debug, Clone)]
pub struct RecordCheck {
    pub(crate) own: String,
    pub(crate) sender: String,
    pub(crate) direction: Direction,
    hashed: bool,
}

/// A received record that passed [`RecordCheck::check`]: what is left needs the database.
pub struct Checked {
    pub(crate) record: Record,
    pub(crate) table: &'static SyncTable,
    /// The content hash, as received or (from an older sender) recomputed.
    pub(crate) hash: String,
    /// One of our own records returned by the capofila after we lost it: applied as our
    /// upload would be.
    pub(crate) recovering: bool,
    /// What a revision's declaration gives beside it (its search text's people, its
    /// household), read here rather than by the writer.
    pub(crate) derived: Option<Derived>,
}

/// The checked records of one bundle, in the order they were sealed, for
/// [`crate::Store::apply_bundle`].
pub trait CheckedRecords: Iterator<Item = Result<Checked, ApplyError>> {
    /// Takes back a record once applied. A source that reads on another thread frees it
    /// there: glibc frees another thread's memory under that thread's lock, which slowed both
    /// threads of an import by a fifth.
    fn applied(&mut self, checked: Checked);
}

impl Checked {
    pub fn record(&self) -> &Record {
        &self.record
    }
}

impl RecordCheck {
    pub(crate) fn new(own: String, incoming: &Incoming, direction: Direction) -> Self {
        Self {
            own,
            sender: incoming.sender.clone(),
            direction,
            hashed: incoming.schema_version >= HASHED_SINCE_SCHEMA,
        }
    }

    /// Refuses a record its sender may not send or whose fields the registry could not read
    /// back as the domain's types; otherwise says how it is to be applied.
    pub fn check(&self, record: Record) -> Result<Checked, ApplyError> {
        let recovering = self.direction == Direction::Publish
            && record.meta.owner == self.own
            && tables::table(&record.table).is_some_and(|t| t.direction == Direction::Upload);
        let (sender, direction) = if recovering {
            (self.own.as_str(), Direction::Upload)
        } else {
            (self.sender.as_str(), self.direction)
        };
        let invalid = |reason: String| ApplyError::Invalid {
            table: record.table.clone(),
            id: record.meta.id.to_string(),
            reason,
        };
        let Some(table) = tables::table(&record.table).filter(|t| t.direction == direction) else {
            return Err(invalid(format!(
                "tabella {:?} non ammessa in questo pacchetto",
                record.table
            )));
        };
        let not_owned = |owner: &str| ApplyError::NotOwned {
            table: table.name.to_string(),
            id: record.meta.id.to_string(),
            owner: owner.to_string(),
            sender: sender.to_string(),
        };
        if record.meta.owner != sender {
            return Err(not_owned(&record.meta.owner));
        }
        let Value::Object(body) = &record.body else {
            return Err(invalid("contenuto non è un oggetto".into()));
        };
        if let Some(column) = table.owner_column {
            let named = body.get(column).and_then(Value::as_str);
            if named != Some(sender) {
                return Err(not_owned(named.unwrap_or("?")));
            }
        }
        // What SQL would accept must also read back as the domain's types, or the registry
        // would hold rows that break every later listing and ranking.
        table.validate(body, sender).map_err(&invalid)?;
        // The hash the sender signed must be of what arrived; older senders hashed otherwise,
        // and theirs is recomputed.
        let hash = content_hash(body);
        if self.hashed && hash != record.meta.content_hash {
            return Err(invalid(
                "impronta del contenuto diversa dal contenuto ricevuto".into(),
            ));
        }
        let derived = (table.name == "application_revisions")
            .then(|| body["declaration"].as_str().and_then(applications::derived))
            .flatten();
        Ok(Checked {
            record,
            table,
            hash,
            recovering,
            derived,
        })
    }
}
