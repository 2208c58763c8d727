-- What a job was built from, so that its SEG is placed on exactly the files whose voxels went to the
-- worker, even when the series has been reopened (and its instances versioned) since.

-- The model package (folder) the route names; model_name/model_version are read from its model.json
-- when the job is queued.
alter table jobs add column model_package text;

-- instances.id of every file the job's volume was assembled from (the latest version of each SOP
-- instance of the series when the job was queued).
alter table jobs add column source_instance_ids bigint[];
