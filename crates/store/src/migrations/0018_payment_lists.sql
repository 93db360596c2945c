-- Servizio civico payment lists (elenchi di liquidazione) as printed for the ragioneria, frozen:
-- each month's first list, then supplementary ones carrying only the differences that later
-- attendance made. Local to the comune that pays (the capofila reads hours from attendance).
CREATE TABLE civico_payment_lists (
    month     TEXT NOT NULL,
    number    INTEGER NOT NULL CHECK (number >= 1),
    listed_at TEXT NOT NULL,
    operator  TEXT NOT NULL,
    -- [{"application_code", "hours", "amount"}], decimal texts.
    lines     TEXT NOT NULL,
    PRIMARY KEY (month, number)
);
