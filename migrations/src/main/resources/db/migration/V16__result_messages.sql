-- Results told to a RIS/EHR in its own language beside the JSON webhooks: an HL7 v2 ORU^R01 over MLLP or a FHIR R4
-- transaction bundle, one per result (one result version) and configured receiver, written with the change of the
-- result's first delivery to 'delivered' and sent by the same sender, claims and backoff as the webhooks. The
-- receiver's name is kept in the column 'webhook'; 'channel' says which language it speaks.
alter table notifications add column channel varchar(16) not null default 'webhook'
    check (channel in ('webhook', 'hl7', 'fhir'));
-- the result a result message tells of (null for webhooks, which tell of one delivery)
alter table notifications add column result_id bigint references results (id);
-- HL7: the acknowledgment code of the last answer (AA, AE, AR, or CA, CE, CR); null when there was none
alter table notifications add column last_ack_code varchar(2);
-- once per result and receiver: a result version is never sent twice, however many of its deliveries succeed
create unique index notifications_result_message_uidx on notifications (channel, webhook, result_id)
    where result_id is not null;
