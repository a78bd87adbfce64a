//! The rule catalogue. A rule is one file: a `declare_rule!` with its documentation, and a
//! `Check` implementation. One line in [`registry`] adds it everywhere (CLI, editor, docs).

pub mod adr;
pub mod api;
pub mod arc;
pub mod db;
pub mod precision;
pub mod rust;
pub mod sec;
#[cfg(feature = "test-rules")]
pub mod test_rules;

use crate::analysis::{RuleContext, Severity, Sink};

/// The checklist areas of RULES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Api,
    Sec,
    Scl,
    Db,
    Arc,
    Prc,
}

impl Area {
    pub fn prefix(self) -> &'static str {
        match self {
            Area::Api => "API",
            Area::Sec => "SEC",
            Area::Scl => "SCL",
            Area::Db => "DB",
            Area::Arc => "ARC",
            Area::Prc => "PRC",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Area::Api => "API design",
            Area::Sec => "security and compliance",
            Area::Scl => "scalability and resilience",
            Area::Db => "data and migrations",
            Area::Arc => "architecture",
            Area::Prc => "engineering practice",
        }
    }
}

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub area: Area,
    pub severity: Severity,
    /// The doc comment, as written (each line keeps rustdoc's leading space).
    pub raw_docs: &'static str,
    /// What the rule reads.
    pub input: Input,
}

/// What a rule reads: OpenAPI projects ([`Check::check`]), Rust files
/// ([`Check::check_rust`]), decision records ([`Check::check_adr`]) or SQL migrations
/// ([`Check::check_sql`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    OpenApi,
    Rust,
    /// Architecture decision records (markdown).
    Adr,
    /// A service: the routes its Rust code serves and the OpenAPI documents that describe
    /// them; the rule runs on both ([`Check::check`] and [`Check::check_rust`]).
    Service,
    /// SQL migrations.
    Sql,
}

impl RuleMeta {
    /// True for the rule's code or name (case-insensitive for codes).
    pub fn is_named(&self, selector: &str) -> bool {
        selector.eq_ignore_ascii_case(self.code) || selector == self.name
    }

    /// Whether the rule runs when the configuration does not name it: its measured
    /// precision on real projects is high enough ([`precision`]).
    pub fn on_by_default(&self) -> bool {
        precision::on_by_default(self.code)
    }

    /// Whether a `select` entry turns the rule on: its code or name and `ALL` always do; an
    /// area or code prefix (`SEC`, `API01`) only for the rules on by default.
    pub fn is_selected_by(&self, selector: &str) -> bool {
        self.is_named(selector) || selector.eq_ignore_ascii_case("ALL") || (self.on_by_default() && self.matches(selector))
    }

    /// True for the code, the name, `ALL`, or an area or code prefix (`SEC`, `API01`).
    pub fn matches(&self, selector: &str) -> bool {
        self.is_named(selector)
            || selector.eq_ignore_ascii_case("ALL")
            || (!selector.is_empty() && self.code.len() >= selector.len() && self.code[..selector.len()].eq_ignore_ascii_case(selector))
    }

    /// The documentation as markdown.
    pub fn documentation(&self) -> String {
        self.raw_docs.lines().map(|line| line.strip_prefix(' ').unwrap_or(line)).collect::<Vec<_>>().join("\n").trim().to_owned()
    }

    /// The first sentence of "What it does".
    pub fn summary(&self) -> String {
        let docs = self.documentation();
        let body = section(&docs, "What it does").unwrap_or(docs.clone());
        // The first sentence: up to a full stop that ends a line or is followed by a space.
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = flat.split(". ").next().unwrap_or("").trim().trim_end_matches('.');
        format!("{first}.")
    }

    /// Whether the rule exists only for tests (the `test-rules` feature): it has no page in
    /// `docs/rules/`, no fixture, and no place in the configuration schema.
    pub fn is_for_tests(&self) -> bool {
        FOR_TESTS.contains(&self.code)
    }

    /// Where the rule's page lives.
    pub fn url(&self) -> String {
        format!("{DOCS_URL}{}.md", self.code)
    }
}

/// The codes of the rules in `rules/test_rules/`. Codes are never reused, so these stay
/// reserved whether the feature is on or not.
const FOR_TESTS: &[&str] = &["PRC999"];

/// Where the generated rule pages (`docs/rules/`) are published.
pub const DOCS_URL: &str = "https://github.com/archlens/archlens/blob/main/docs/rules/";

/// The text of a `## heading` section of a rule's documentation.
pub fn section(docs: &str, heading: &str) -> Option<String> {
    let marker = format!("## {heading}");
    let start = docs.find(&marker)? + marker.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim().to_owned())
}

/// The generated part of every rule: its metadata.
pub trait RuleInfo {
    fn meta(&self) -> &'static RuleMeta;
}

/// A change to the text of a `description`, `summary` or `title` value (the prose of a
/// document), as the editor sees it while the user types.
pub struct ProseEdit<'a> {
    /// `description`, `summary` or `title`.
    pub key: &'a str,
    /// The mapping that holds the value (after the edit).
    pub parent: &'a crate::openapi::syntax::Node,
    /// The key of that mapping in its own parent (`get` for an operation).
    pub parent_key: Option<&'a str>,
    pub old: &'a str,
    pub new: &'a str,
}

/// The hand-written part of every rule.
pub trait Check {
    /// Checks an OpenAPI project.
    fn check(&self, _context: &RuleContext<'_>, _sink: &mut Sink) {}

    /// Checks one Rust file.
    fn check_rust(&self, _file: &crate::rust::RustFile<'_>, _sink: &mut Sink) {}

    /// Checks one architecture decision record.
    fn check_adr(&self, _file: &crate::adr::AdrFile<'_>, _sink: &mut Sink) {}

    /// Checks one SQL migration.
    fn check_sql(&self, _file: &crate::sql::SqlFile<'_>, _sink: &mut Sink) {}

    /// Whether this prose edit may change what the rule finds. A rule that reads prose says
    /// yes when it matters; after an edit no rule reads, the last findings are kept and moved
    /// instead of computed again (see `analysis::incremental`).
    fn reads_prose(&self, _edit: &ProseEdit<'_>) -> bool {
        false
    }
}

pub trait Rule: RuleInfo + Check + Sync {}
impl<T: RuleInfo + Check + Sync> Rule for T {}

/// Declares a rule: a unit struct with its documentation and metadata.
macro_rules! declare_rule {
    (@input) => {
        $crate::rules::Input::OpenApi
    };
    (@input $input:ident) => {
        $crate::rules::Input::$input
    };
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            area: $area:ident,
            severity: $severity:ident
            $(, input: $input:ident)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $crate::rules::RuleInfo for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    code: $code,
                    name: $rule_name,
                    area: $crate::rules::Area::$area,
                    severity: $crate::analysis::Severity::$severity,
                    raw_docs: concat!($($doc, "\n"),*),
                    input: $crate::rules::declare_rule!(@input $($input)?),
                };
                &META
            }
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &api::verb_in_path::VerbInPath,
        &api::non_kebab_case_path::NonKebabCasePath,
        &api::singular_collection::SingularCollection,
        &api::trailing_slash_path::TrailingSlashPath,
        &api::unversioned_api::UnversionedApi,
        &api::mixed_versioning::MixedVersioning,
        &api::unpaginated_collection::UnpaginatedCollection,
        &api::missing_error_responses::MissingErrorResponses,
        &api::inconsistent_error_format::InconsistentErrorFormat,
        &api::missing_rate_limit_response::MissingRateLimitResponse,
        &api::missing_rate_limit_headers::MissingRateLimitHeaders,
        &api::missing_operation_id::MissingOperationId,
        &api::duplicate_operation_id::DuplicateOperationId,
        &api::undocumented_operation::UndocumentedOperation,
        &api::body_on_safe_method::BodyOnSafeMethod,
        &api::create_without_201::CreateWithout201,
        &api::missing_idempotency_key::MissingIdempotencyKey,
        &api::missing_cache_validators::MissingCacheValidators,
        &api::path_parameter_mismatch::PathParameterMismatch,
        &api::deprecated_without_sunset::DeprecatedWithoutSunset,
        &api::unbounded_input::UnboundedInput,
        &api::open_request_schema::OpenRequestSchema,
        &api::guessable_resource_id::GuessableResourceId,
        &api::invalid_document::InvalidDocument,
        &api::unresolved_ref::UnresolvedRef,
        &api::unused_component::UnusedComponent,
        &api::nullable_in_openapi_3_1::NullableInOpenApi31,
        &rust::layer_violation::LayerViolation,
        &arc::route_missing_from_spec::RouteMissingFromSpec,
        &arc::operation_not_implemented::OperationNotImplemented,
        &arc::missing_health_endpoint::MissingHealthEndpoint,
        &db::destructive_migration::DestructiveMigration,
        &db::blocking_index_build::BlockingIndexBuild,
        &db::not_null_without_default::NotNullWithoutDefault,
        &db::table_without_primary_key::TableWithoutPrimaryKey,
        &db::unindexed_foreign_key::UnindexedForeignKey,
        &db::money_as_float::MoneyAsFloat,
        &db::timestamp_without_time_zone::TimestampWithoutTimeZone,
        &db::invalid_migration::InvalidMigration,
        &rust::missing_transaction::MissingTransaction,
        &rust::panic_in_handler::PanicInHandler,
        &rust::print_instead_of_tracing::PrintInsteadOfTracing,
        &rust::swallowed_error::SwallowedError,
        &rust::internal_error_leaked::InternalErrorLeaked,
        &rust::handler_without_span::HandlerWithoutSpan,
        &adr::incomplete_adr::IncompleteAdr,
        #[cfg(feature = "test-rules")]
        &test_rules::panics_for_tests::PanicsForTests,
        &rust::http_client_without_timeout::HttpClientWithoutTimeout,
        &rust::blocking_call_in_async::BlockingCallInAsync,
        &rust::cpu_heavy_in_async::CpuHeavyInAsync,
        &rust::unbounded_channel::UnboundedChannel,
        &rust::retry_without_backoff::RetryWithoutBackoff,
        &rust::query_in_loop::QueryInLoop,
        &rust::dependency_built_per_request::DependencyBuiltPerRequest,
        &rust::cache_without_ttl::CacheWithoutTtl,
        &sec::unsecured_operation::UnsecuredOperation,
        &sec::undefined_security_scheme::UndefinedSecurityScheme,
        &sec::weak_auth_scheme::WeakAuthScheme,
        &sec::credentials_in_url::CredentialsInUrl,
        &sec::insecure_server_url::InsecureServerUrl,
        &sec::pii_in_query::PiiInQuery,
        &sec::unclassified_personal_data::UnclassifiedPersonalData,
        &sec::missing_oauth_scopes::MissingOauthScopes,
        &rust::tls_verification_disabled::TlsVerificationDisabled,
        &rust::jwt_validation_disabled::JwtValidationDisabled,
        &rust::hardcoded_secret::HardcodedSecret,
        &rust::sql_built_from_strings::SqlBuiltFromStrings,
        &rust::sensitive_data_logged::SensitiveDataLogged,
        &rust::permissive_cors_with_credentials::PermissiveCorsWithCredentials,
        &rust::database_tls_disabled::DatabaseTlsDisabled,
        &rust::personal_data_logged::PersonalDataLogged,
    ]
}

/// The words of a name in lower case, split at the characters `separator` takes and where
/// an upper-case letter follows a lower-case one or a digit: `apiToken` and `api_token` are
/// `api`, `token`.
pub fn split_words(name: &str, separator: impl Fn(char) -> bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for character in name.chars() {
        if separator(character) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if character.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = character.is_lowercase() || character.is_ascii_digit();
        current.extend(character.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Finds a rule by code or name.
pub fn find_rule(selector: &str) -> Option<&'static RuleMeta> {
    registry().iter().map(|rule| rule.meta()).find(|meta| meta.is_named(selector))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
        for (index, meta) in metas.iter().enumerate() {
            assert!(metas[index + 1..].iter().all(|other| other.code != meta.code && other.name != meta.name), "{}", meta.code);
            assert!(meta.code.starts_with(meta.area.prefix()), "{}", meta.code);
            let docs = meta.documentation();
            for heading in ["What it does", "Why is this bad?", "Example"] {
                assert!(section(&docs, heading).is_some(), "{} lacks `## {heading}`", meta.code);
            }
            assert!(section(&docs, "What it does").unwrap().starts_with("Checks for"), "{}", meta.code);
        }
        let codes: Vec<_> = metas.iter().map(|meta| meta.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|code| (!code.starts_with("API"), *code));
        assert_eq!(codes, sorted);
    }
}
