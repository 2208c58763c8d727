-- Routing rules changed at run time through /api/routes: the quiet time a configured route also has, and who made
-- the last change (the audit trail keeps every change with the rule before and after).
alter table routing_rules
    add column quiet_time interval     not null default interval '10 seconds',
    add column changed_by varchar(128);
