//! The tree-sitter queries of the Rust rules, one file a rule in `queries/rust/`, embedded in
//! the binary and compiled once.

use std::sync::LazyLock;

use tree_sitter::Query;

/// Every query file, by name. A test checks that this lists the folder exactly.
pub const SOURCES: &[(&str, &str)] = &[
    ("ARC001_layer-violation.scm", include_str!("../../../queries/rust/ARC001_layer-violation.scm")),
    ("DB010_missing-transaction.scm", include_str!("../../../queries/rust/DB010_missing-transaction.scm")),
    ("PRC001_panic-in-handler.scm", include_str!("../../../queries/rust/PRC001_panic-in-handler.scm")),
    ("PRC002_print-instead-of-tracing.scm", include_str!("../../../queries/rust/PRC002_print-instead-of-tracing.scm")),
    ("PRC003_swallowed-error.scm", include_str!("../../../queries/rust/PRC003_swallowed-error.scm")),
    ("PRC004_internal-error-leaked.scm", include_str!("../../../queries/rust/PRC004_internal-error-leaked.scm")),
    ("PRC005_handler-without-span.scm", include_str!("../../../queries/rust/PRC005_handler-without-span.scm")),
    ("SCL001_http-client-without-timeout.scm", include_str!("../../../queries/rust/SCL001_http-client-without-timeout.scm")),
    ("SCL002_blocking-call-in-async.scm", include_str!("../../../queries/rust/SCL002_blocking-call-in-async.scm")),
    ("SCL003_cpu-heavy-in-async.scm", include_str!("../../../queries/rust/SCL003_cpu-heavy-in-async.scm")),
    ("SCL004_unbounded-channel.scm", include_str!("../../../queries/rust/SCL004_unbounded-channel.scm")),
    ("SCL005_retry-without-backoff.scm", include_str!("../../../queries/rust/SCL005_retry-without-backoff.scm")),
    ("SCL007_dependency-built-per-request.scm", include_str!("../../../queries/rust/SCL007_dependency-built-per-request.scm")),
    ("SCL008_cache-without-ttl.scm", include_str!("../../../queries/rust/SCL008_cache-without-ttl.scm")),
    ("SEC010_tls-verification-disabled.scm", include_str!("../../../queries/rust/SEC010_tls-verification-disabled.scm")),
    ("SEC011_jwt-validation-disabled.scm", include_str!("../../../queries/rust/SEC011_jwt-validation-disabled.scm")),
    ("SEC012_hardcoded-secret.scm", include_str!("../../../queries/rust/SEC012_hardcoded-secret.scm")),
    ("SEC013_sql-built-from-strings.scm", include_str!("../../../queries/rust/SEC013_sql-built-from-strings.scm")),
    ("SEC014_sensitive-data-logged.scm", include_str!("../../../queries/rust/SEC014_sensitive-data-logged.scm")),
    ("SEC015_permissive-cors-with-credentials.scm", include_str!("../../../queries/rust/SEC015_permissive-cors-with-credentials.scm")),
    ("SEC016_database-tls-disabled.scm", include_str!("../../../queries/rust/SEC016_database-tls-disabled.scm")),
    ("SEC017_personal-data-logged.scm", include_str!("../../../queries/rust/SEC017_personal-data-logged.scm")),
];

/// Every rule's query in one: a file is walked once, whatever the number of rules. Each
/// pattern knows the rule whose file it came from.
pub struct Combined {
    pub query: Query,
    /// The rule code of each pattern, by pattern index.
    pub codes: Vec<&'static str>,
}

static COMBINED: LazyLock<Option<Combined>> = LazyLock::new(|| {
    let mut source = String::new();
    let mut starts: Vec<(usize, &'static str)> = Vec::new();
    for (file, text) in SOURCES {
        starts.push((source.len(), file.split('_').next().unwrap_or(file)));
        source.push_str(text);
        source.push('\n');
    }
    let query = match compile(&source) {
        Ok(query) => query,
        Err(error) => {
            tracing::error!("the Rust rule queries do not compile: {error}");
            return None;
        }
    };
    let codes = (0..query.pattern_count())
        .map(|pattern| {
            let at = query.start_byte_for_pattern(pattern);
            starts.iter().rev().find(|(start, _)| *start <= at).map_or("", |(_, code)| *code)
        })
        .collect();
    Some(Combined { query, codes })
});

pub fn compile(source: &str) -> Result<Query, tree_sitter::QueryError> {
    Query::new(&tree_sitter_rust::LANGUAGE.into(), source)
}

/// The queries of every rule, compiled once.
pub fn combined() -> Option<&'static Combined> {
    COMBINED.as_ref()
}

/// Compiles the queries on a thread of their own (about 80 ms), so that a run that is about
/// to check Rust files finds them ready instead of waiting at its first file.
pub fn prepare() {
    std::thread::spawn(|| {
        combined();
    });
}

/// Whether a rule has a query.
pub fn has(code: &str) -> bool {
    combined().is_some_and(|combined| combined.codes.contains(&code))
}
