-- How far the audit trail has been exported, per export target ('syslog': the ATNA syslog export): the id and hash
-- of the last audit_events row sent. The exporter sends the rows after last_id in id order and moves the position
-- after each message, so a restart repeats at most the message that was in flight.
create table audit_export_positions (
    target     varchar(64) primary key,
    last_id    bigint      not null,
    last_hash  char(64),
    updated_at timestamptz not null
);
