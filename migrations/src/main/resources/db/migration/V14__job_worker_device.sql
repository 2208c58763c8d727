-- The worker that took the job up last and where it runs the network (issue 13, GPU workers): from the worker's
-- `started` record. worker_device is the record's device object, {"provider", "gpu", "gpuMemoryBytes", "cuda"}
-- (GPU fields only on CUDA); null for a start from a worker older than that field.
alter table jobs add column worker text;
alter table jobs add column worker_device jsonb;
