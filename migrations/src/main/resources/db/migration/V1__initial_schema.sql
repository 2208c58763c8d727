-- Segmentation gateway: initial schema. The schema lives only in this module's Flyway migrations.
-- Times are timestamptz (UTC). UIDs are at most 64 characters (PS3.5 9.1).

-- A series as received by the DICOM listener. A series that receives an instance after completion is
-- reopened: its version goes up and a new result version follows.
create table series (
    id                  bigserial    primary key,
    series_instance_uid varchar(64)  not null unique,
    study_instance_uid  varchar(64)  not null,
    -- worklist keys (kept in the database, never on Kafka)
    accession_number    varchar(16),
    patient_id          varchar(64),
    modality            varchar(16),
    body_part_examined  varchar(64),
    series_description  varchar(64),
    calling_ae_title    varchar(16)  not null,
    instance_count      integer      not null default 0,
    version             integer      not null default 1,
    state               varchar(16)  not null default 'receiving'
                        check (state in ('receiving', 'complete')),
    first_received_at   timestamptz  not null,
    last_received_at    timestamptz  not null,
    completed_at        timestamptz
);
create index series_study_idx on series (study_instance_uid);
create index series_accession_idx on series (accession_number);
create index series_receiving_idx on series (last_received_at) where state = 'receiving';

-- One row per stored version of an instance; a duplicate (same SOP Instance UID, same bytes) adds nothing.
create table instances (
    id                  bigserial    primary key,
    series_id           bigint       not null references series (id),
    sop_instance_uid    varchar(64)  not null,
    sop_class_uid       varchar(64)  not null,
    transfer_syntax_uid varchar(64)  not null,
    version             integer      not null default 1,
    sha256              char(64)     not null,
    size_bytes          bigint       not null,
    spool_path          text         not null,
    received_at         timestamptz  not null,
    unique (sop_instance_uid, version)
);
create index instances_series_idx on instances (series_id);

-- Routing rules changed at run time (rules from configuration are not stored here).
create table routing_rules (
    id            bigserial    primary key,
    name          varchar(128) not null unique,
    priority      integer      not null default 100,
    enabled       boolean      not null default true,
    match         jsonb        not null,
    models        jsonb        not null,
    destinations  jsonb        not null,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now()
);

-- One model run over one version of a series.
create table jobs (
    id              uuid         primary key,
    series_id       bigint       not null references series (id),
    series_version  integer      not null,
    route_name      varchar(128),
    model_name      varchar(128),
    model_version   varchar(64),
    state           varchar(16)  not null
                    check (state in ('received', 'complete', 'queued', 'running', 'done', 'failed', 'skipped')),
    reason          text,
    attempts        integer      not null default 0,
    batch_id        uuid,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null,
    queued_at       timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz,
    stage_seconds   jsonb        not null default '{}'::jsonb
);
create index jobs_series_idx on jobs (series_id);
create index jobs_state_idx on jobs (state);

-- A SEG built from a job's label map. At most one per job: a job processed twice yields the same row.
create table results (
    id                      bigserial    primary key,
    job_id                  uuid         not null unique references jobs (id),
    version                 integer      not null,
    seg_sop_instance_uid    varchar(64)  not null unique,
    seg_series_instance_uid varchar(64)  not null,
    seg_path                text         not null,
    frame_count             integer      not null,
    segment_count           integer      not null,
    created_at              timestamptz  not null
);

-- Sending one result to one destination, retried until delivered.
create table deliveries (
    id               bigserial    primary key,
    result_id        bigint       not null references results (id),
    destination      varchar(128) not null,
    state            varchar(16)  not null default 'pending'
                     check (state in ('pending', 'delivered', 'failed')),
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null,
    last_error       text,
    delivered_at     timestamptz,
    unique (result_id, destination)
);
create index deliveries_due_idx on deliveries (next_attempt_at) where state = 'pending';

create table delivery_attempts (
    id            bigserial    primary key,
    delivery_id   bigint       not null references deliveries (id),
    attempted_at  timestamptz  not null,
    dicom_status  integer,
    error         text
);

-- Append-only audit trail; each row carries the hash of the previous one (hash chain).
create table audit_events (
    id                 bigserial    primary key,
    occurred_at        timestamptz  not null,
    event_type         varchar(64)  not null,
    actor              varchar(128) not null,
    source_address     varchar(128),
    study_instance_uid varchar(64),
    outcome            varchar(16)  not null,
    details            jsonb        not null default '{}'::jsonb,
    previous_hash      char(64)     not null,
    hash               char(64)     not null unique
);
create index audit_events_time_idx on audit_events (occurred_at);
create index audit_events_study_idx on audit_events (study_instance_uid);

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_events is append-only';
end;
$$;
create trigger audit_events_append_only
    before update or delete on audit_events
    for each row execute function audit_events_refuse_change();
