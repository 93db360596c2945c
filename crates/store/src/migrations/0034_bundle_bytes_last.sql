-- A first upload can be tens of megabytes. With its bytes as the row's last column, SQLite
-- writes them into the row piece by piece (`zeroblob`, then incremental writes) instead of
-- building the whole row in memory twice: the export stays in bounded memory (issue 17).
CREATE TABLE bundles_out_rebuilt (
    recipient   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    header_hash TEXT NOT NULL,
    records     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    ack_version INTEGER NOT NULL DEFAULT 0,
    changes_to  INTEGER NOT NULL DEFAULT 0,
    -- The exact bytes, written here before the file, so a bundle number never has two contents.
    bytes       BLOB NOT NULL,
    PRIMARY KEY (recipient, seq)
);
INSERT INTO bundles_out_rebuilt (recipient, seq, kind, file_name, header_hash, records,
                                 created_at, ack_version, changes_to, bytes)
SELECT recipient, seq, kind, file_name, header_hash, records, created_at, ack_version,
       changes_to, bytes
FROM bundles_out;
DROP TABLE bundles_out;
ALTER TABLE bundles_out_rebuilt RENAME TO bundles_out;
