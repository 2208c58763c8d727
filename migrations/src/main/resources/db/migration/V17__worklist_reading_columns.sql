-- The worklist's reading columns, kept from the first instance of each series beside the patient ID and accession
-- number already here (patient data stays in the database, never on Kafka; every API read of it is audited):
-- Patient's Name as the PACS sent it (PN, component groups and '^' separators kept), Study Date (null when the header
-- has none or it is not a valid DA) and Study Description.
alter table series add column patient_name text;
alter table series add column study_date date;
alter table series add column study_description varchar(64);
create index series_study_date_idx on series (study_date);
