-- The database is encrypted at rest (SQLCipher). Each operator's password wraps the database
-- key in a key slot outside it (`<db>.slots`), so the password hash and the count of failed
-- logins move there. The operator's row names its current slot: a slot kept from before a
-- password change, a reset or a disable unlocks the file but logs no one in.
ALTER TABLE operators DROP COLUMN password_hash;
ALTER TABLE operators DROP COLUMN failures;
ALTER TABLE operators DROP COLUMN last_failure_at;
ALTER TABLE operators ADD COLUMN key_slot TEXT;
