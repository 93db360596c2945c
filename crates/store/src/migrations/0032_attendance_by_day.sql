-- Monitoring sums a period's hours of servizio civico: the days of one comune in date order,
-- with their hours, so a half-year is read as a range rather than the whole table.
CREATE INDEX civico_attendance_by_day ON civico_attendance (owner, day, hours) WHERE deleted = 0;
