-- Every screen stays instant at ten years of data (issue 17): the lists read through indexes.
-- The back office's work list and the Home's to-do read the open cases by due date, never
-- the years of closed ones.
CREATE INDEX front_office_cases_open ON front_office_cases (due_on)
    WHERE deleted = 0 AND closed_on IS NULL;
-- A case's diary, read with the cases listed (a day's contacts, a person's history).
CREATE INDEX case_diary_case ON case_diary (case_id, seq);
-- A case's contact by its id, with its number: the cases' lists join their contacts through
-- this index alone, never reading the contacts' rows (ten years of them).
CREATE INDEX contacts_number_by_id ON contacts (id, number, deleted);
