-- Spool retention: when the instance files of a finished series were deleted on purpose (seg-gateway.retention.*).
-- The rows stay: they say what was received, and reprocessing retrieves the files from the PACS again.
alter table instances add column purged_at timestamptz;
create index series_completed_idx on series (completed_at) where state = 'complete';
