-- Audited batch reprocessing: a request by a user to run a model package over past series. Each series of the
-- batch becomes a job with jobs.batch_id set; the live dispatcher leaves those to the batch dispatcher, which
-- keeps only a few on the queue at a time so that live series are not held up.
create table reprocess_batches (
    id             uuid         primary key,
    requested_by   varchar(128) not null,
    reason         text         not null,
    model_package  text         not null,
    model_name     varchar(128) not null,
    model_version  varchar(64)  not null,
    -- the request's selection as sent (study UIDs, time range, route and model filters)
    selection      jsonb        not null,
    state          varchar(16)  not null check (state in ('running', 'cancelled', 'done')),
    created_at     timestamptz  not null,
    finished_at    timestamptz,
    cancelled_by   varchar(128)
);
create index reprocess_batches_created_idx on reprocess_batches (created_at);

alter table jobs add constraint jobs_batch_fk foreign key (batch_id) references reprocess_batches (id);
create index jobs_batch_idx on jobs (batch_id, state) where batch_id is not null;

-- A batch job that was not on the queue yet when its batch was cancelled.
alter table jobs drop constraint jobs_state_check;
alter table jobs add constraint jobs_state_check
    check (state in ('received', 'complete', 'queued', 'running', 'done', 'failed', 'skipped', 'cancelled'));

-- Duplicates are judged on the data set: the File Meta Information is written by the receiver and names the sender.
comment on column instances.sha256 is 'SHA-256 of the data set as received, without the File Meta Information';
