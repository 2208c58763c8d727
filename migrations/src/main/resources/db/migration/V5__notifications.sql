-- Webhook notifications of delivery outcomes. A row is written in the same transaction as the delivery's change
-- to 'delivered' or 'failed', one per configured webhook that takes the event, and sent by the gateway's
-- notification sender, retried with backoff until sent or given up ('failed', with the reason in last_error).
create table notifications (
    id                 bigserial    primary key,
    webhook            varchar(128) not null,
    event_type         varchar(32)  not null check (event_type in ('delivery.delivered', 'delivery.failed')),
    -- the same for every webhook's row of one event; sent in the body so a receiver can drop a repeat
    event_id           uuid         not null,
    delivery_id        bigint       not null references deliveries (id),
    study_instance_uid varchar(64),
    -- json, not jsonb: kept byte for byte as it is POSTed
    body               json         not null,
    state              varchar(16)  not null default 'pending' check (state in ('pending', 'sent', 'failed')),
    attempts           integer      not null default 0,
    created_at         timestamptz  not null,
    next_attempt_at    timestamptz  not null,
    last_attempt_at    timestamptz,
    -- HTTP status of the last attempt; null when there was none (not reachable, timed out)
    last_http_status   integer,
    last_error         text,
    sent_at            timestamptz,
    unique (event_id, webhook)
);
create index notifications_due_idx on notifications (next_attempt_at) where state = 'pending';
create index notifications_delivery_idx on notifications (delivery_id);
