-- Claims with a lease on deliveries and notifications, so that no C-STORE or HTTP call runs inside a database
-- transaction: a sender claims a due row in one short transaction (claimed_until = now + lease, claimed_by = a new
-- random id), sends with no transaction open, and records the outcome in another short transaction only while
-- claimed_by is still its own (then both are cleared). A row whose lease has run out (its sender crashed or lost the
-- database) is claimed again by any gateway. Both null: not claimed.
alter table deliveries add column claimed_until timestamptz;
alter table deliveries add column claimed_by uuid;
alter table notifications add column claimed_until timestamptz;
alter table notifications add column claimed_by uuid;
