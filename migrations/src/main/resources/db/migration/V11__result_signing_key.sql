-- The gateway's secret from which each job's result key is derived (HMAC-SHA256(secret, job id)): workers sign their
-- answer with it, so a record written to seg.results by anyone else is refused. Created by the first gateway that needs
-- it and shared by every gateway on this database. Not PHI, but a secret: never logged or exported.
create table gateway_secrets (
    name       text primary key,
    secret     bytea not null check (length(secret) >= 32),
    created_at timestamptz not null default now()
);
