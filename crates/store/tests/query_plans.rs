//! Every list a screen reads uses an index where its table grows with the years (issue 17):
//! the plan SQLite makes for the store's own query text, read through `EXPLAIN QUERY PLAN`.

use sportello_store::{ContactScope, Store};

/// SQLite's plan for `sql` on a new store, one line per step (`SEARCH …`, `SCAN …`),
/// parameters unbound.
fn plan(sql: &str) -> Vec<String> {
    let store = Store::open_in_memory().unwrap();
    let mut stmt = store
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    let n = stmt.parameter_count();
    stmt.query_map(rusqlite::params_from_iter(vec![None::<String>; n]), |r| {
        r.get(3)
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The applicants' names beside the call list, the payments and the ranking: one pass over
/// the revisions (every application is named), each one's application by its key and its
/// latest revision from the index of current revisions alone, never a scan per row.
#[test]
fn applicant_names_find_each_revision_by_index() {
    let steps = plan(Store::APPLICANT_NAMES);
    assert_eq!(
        steps,
        [
            "SCAN r",
            "SEARCH a USING INDEX sqlite_autoindex_applications_1 (id=?)",
            "CORRELATED SCALAR SUBQUERY 1",
            "SEARCH application_revisions USING COVERING INDEX application_revisions_current \
             (application_id=? AND deleted=?)",
        ],
    );
}

/// A day's contacts at the desk are a range of the contacts' day index; their cases and
/// diaries are found by contact and by case, never by scanning years of them.
#[test]
fn a_days_contacts_and_their_cases_are_ranges_of_indexes() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
    let scope = ContactScope::of(day, day, None);
    let contacts = plan(&scope.contacts_sql());
    assert_eq!(
        contacts,
        [
            "SEARCH c USING INDEX contacts_stats (day>? AND day<?)",
            "SEARCH p USING INDEX sqlite_autoindex_contact_private_1 (contact_id=?)",
            "USE TEMP B-TREE FOR ORDER BY",
        ],
    );
    let cases = plan(&format!("{} {}", Store::CONTACT_CASES, scope.condition()));
    assert_eq!(
        cases,
        [
            "SEARCH c USING INDEX contacts_stats (day>? AND day<?)",
            "SEARCH f USING INDEX front_office_cases_contact (contact_id=?)",
        ],
    );
    let diary = plan(&format!(
        "{} {} ORDER BY d.seq",
        Store::CONTACT_CASE_DIARY,
        scope.condition()
    ));
    assert_eq!(
        diary,
        [
            "SEARCH c USING INDEX contacts_stats (day>? AND day<?)",
            "SEARCH f USING INDEX front_office_cases_contact (contact_id=?)",
            "SEARCH d USING INDEX case_diary_case (case_id=?)",
            "USE TEMP B-TREE FOR ORDER BY",
        ],
    );
}

/// A person's contacts (the history): found by codice fiscale through its index.
#[test]
fn a_persons_contacts_are_found_by_codice_fiscale() {
    let scope = ContactScope::of(None, None, Some("RSSMRA80A01I754X"));
    let contacts = plan(&scope.contacts_sql());
    assert_eq!(
        contacts,
        [
            "SEARCH p USING INDEX sqlite_autoindex_contact_private_1 (contact_id=?)",
            "LIST SUBQUERY 1",
            "SEARCH contact_private USING INDEX contact_private_cf (codice_fiscale=?)",
            "REUSE LIST SUBQUERY 1",
            "SEARCH c USING INDEX contacts_number_by_id (id=? AND number>?)",
            "USE TEMP B-TREE FOR ORDER BY",
        ],
    );
}

/// The back office's work list and the Home's to-do read the open cases' own index, and their
/// contacts' numbers from an index alone (never the contacts' rows); one case is found by its
/// contact's number.
#[test]
fn open_cases_are_read_from_their_own_index() {
    let open = plan(&format!("{} {}", Store::CASES, Store::OPEN));
    assert_eq!(
        open,
        [
            "SCAN f USING INDEX front_office_cases_open",
            "SEARCH c USING COVERING INDEX contacts_number_by_id (id=? AND number>?)",
        ],
    );
    assert_eq!(
        plan(Store::CASES_DUE),
        [
            "SEARCH f USING INDEX front_office_cases_open (due_on<?)",
            "SEARCH c USING COVERING INDEX contacts_number_by_id (id=? AND number>?)",
            "USE TEMP B-TREE FOR LAST TERM OF ORDER BY",
        ],
    );
    let one = plan(&format!("{} AND c.number = ?1", Store::CASES));
    assert_eq!(
        one,
        [
            "SEARCH c USING INDEX contacts_number (number=?)",
            "SEARCH f USING INDEX front_office_cases_contact (contact_id=?)",
        ],
    );
}

/// The attendance grid reads one participant's days by their key; the month's payment list a
/// range of days of the comune, from the index by day.
#[test]
fn attendance_is_read_by_participant_or_by_a_range_of_days() {
    assert_eq!(
        plan(Store::ATTENDANCE_OF),
        [
            "SEARCH a USING INDEX sqlite_autoindex_applications_2 (application_code=?)",
            "SEARCH t USING INDEX sqlite_autoindex_civico_attendance_2 (application_id=?)",
        ],
    );
    assert_eq!(
        plan(Store::ATTENDANCE_BETWEEN),
        [
            "SEARCH t USING INDEX civico_attendance_by_day (owner=? AND day>? AND day<?)",
            "SEARCH a USING INDEX sqlite_autoindex_applications_1 (id=?)",
        ],
    );
}

/// The window's audit trail is the newest entries: read backwards along the trail's own order
/// and stopping at the page (no sort of the whole trail); only the page is put back in order.
#[test]
fn the_newest_audit_entries_are_read_backwards_and_only_the_page_sorted() {
    assert_eq!(
        plan(Store::AUDIT_LIST),
        [
            "CO-ROUTINE (subquery-1)",
            "SCAN audit_log",
            "SCAN (subquery-1)",
            "USE TEMP B-TREE FOR ORDER BY"
        ],
    );
}

/// A page of the Domande list is chosen without the declarations, in one pass over the index
/// of current revisions (never the revisions' rows): each one's application by its key, its
/// latest revision from the same index.
#[test]
fn the_list_is_chosen_by_index_from_each_application() {
    assert_eq!(
        plan(Store::LISTED),
        [
            "SCAN r USING COVERING INDEX application_revisions_current",
            "SEARCH a USING INDEX sqlite_autoindex_applications_1 (id=?)",
            "CORRELATED SCALAR SUBQUERY 1",
            "SEARCH application_revisions USING COVERING INDEX application_revisions_current \
             (application_id=? AND deleted=?)",
        ],
    );
}

/// The households the duplicates review and the exclusions across comuni link are read as
/// the Domande list is chosen, each one's household then found by its revision's key: no
/// declaration read.
#[test]
fn the_households_are_read_by_index_without_the_declarations() {
    let mut listed = plan(Store::LISTED);
    listed.push("SEARCH h USING PRIMARY KEY (revision_id=?) LEFT-JOIN".into());
    assert_eq!(plan(Store::HOUSEHOLDS), listed);
}
