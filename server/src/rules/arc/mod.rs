//! Architecture across files: what a service's code serves against what its OpenAPI
//! documents describe.

pub mod missing_health_endpoint;
pub mod operation_not_implemented;
pub mod route_missing_from_spec;
