//! Security and compliance rules over OpenAPI documents.

pub mod credentials_in_url;
pub mod insecure_server_url;
pub mod missing_oauth_scopes;
pub mod personal_data;
pub mod pii_in_query;
pub mod unclassified_personal_data;
pub mod undefined_security_scheme;
pub mod unsecured_operation;
pub mod weak_auth_scheme;
