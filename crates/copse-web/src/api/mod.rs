//! The JSON API. Versioned under `/api/v1`; the OpenAPI document is generated from the same
//! handler annotations that register the routes, so it cannot miss one.

pub mod v1;
