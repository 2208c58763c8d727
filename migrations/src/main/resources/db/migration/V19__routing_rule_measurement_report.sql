-- Routing rules changed through /api/routes can turn the TID 1500 measurement report off, as configured routes can.
alter table routing_rules add column measurement_report boolean not null default true;
