-- Look-ups of the worklist (GET /api/studies?patientId=) and of the audit trail (GET /api/audit?user=&type=).
create index series_patient_idx on series (patient_id);
create index series_last_received_idx on series (last_received_at);
create index audit_events_actor_idx on audit_events (actor, occurred_at);
create index audit_events_type_idx on audit_events (event_type, occurred_at);
