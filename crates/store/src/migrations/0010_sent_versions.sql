-- The highest version of its own records each bundle carried: what was sent and waits for the
-- capofila's acknowledgement is told apart from what was never sent (the Home's to-do).
ALTER TABLE bundles_out ADD COLUMN changes_to INTEGER NOT NULL DEFAULT 0;
