//! Security and compliance rules over OpenAPI documents.

pub mod credentials_in_url;
pub mod insecure_server_url;
pub mod undefined_security_scheme;
pub mod unsecured_operation;
pub mod weak_auth_scheme;
