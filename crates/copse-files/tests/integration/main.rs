//! The storage contract: the same suite on the folder adapter and on a real S3-compatible
//! server (moto's, started here from `.venv`; `.ci/run` installs it — without it the S3 half
//! fails under CI and is skipped locally).

mod contract;
