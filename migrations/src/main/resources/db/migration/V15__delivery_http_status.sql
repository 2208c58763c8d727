-- STOW-RS destinations: the HTTP status of an attempt beside (or instead of) a DICOM status. dicom_status keeps the
-- Failure Reason of a STOW-RS response's Failed SOP Sequence, which uses the C-STORE status codes.
alter table delivery_attempts add column http_status integer;
