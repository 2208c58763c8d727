-- Per-segment measurements of a result, computed on the source grid when the SEG is built (a JSON array, one object
-- per segment of the model; see docs/http-api.md "Segment measurements"), and the measurement report (an Enhanced SR,
-- TID 1500) written beside the SEG and sent with it in the same delivery. All null for results stored before, and the
-- report's columns null where the route turned the report off.
alter table results add column segment_statistics jsonb;
alter table results add column sr_sop_instance_uid varchar(64) unique;
alter table results add column sr_series_instance_uid varchar(64);
alter table results add column sr_path text;
