-- Findings that did not stop a job, shown by /api/jobs, /api/studies and the worklist page: what the volume reader
-- repaired when the job was queued (slices interpolated for missing instances, localizers or copies dropped), and
-- the labels whose voxels the SEG could not carry (on interpolated slices, which no SEG frame can reference).
alter table jobs add column volume_warnings text[] not null default '{}';
alter table results add column labels_left_out text[] not null default '{}';
