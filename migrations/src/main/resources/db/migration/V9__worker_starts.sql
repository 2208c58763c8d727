-- Poison jobs and stuck jobs. worker_starts counts the times a worker took the job up (each delivery of its record:
-- the `started` records of attempt 1); after seg-gateway.jobs.max-worker-starts of them without a result the job is
-- failed. last_started_at is the gateway's time of the latest start, from which seg-gateway.jobs.running-timeout runs
-- (started_at keeps the first start).
alter table jobs add column worker_starts integer not null default 0;
alter table jobs add column last_started_at timestamptz;
