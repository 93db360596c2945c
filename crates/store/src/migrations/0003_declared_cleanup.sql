-- Applications keep what was declared (step 2 of 2): the old layout, now copied into the
-- applications' first revisions, goes.
DROP TABLE applications_v2;
DROP TABLE household_members;
DROP TABLE households;
DROP TABLE persons;
