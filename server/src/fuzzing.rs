//! Entry points for the fuzz targets (`fuzz/`) and their replay test: each takes arbitrary
//! bytes, runs one part of archlens on them, and panics only when an invariant breaks (a
//! parse that does not cover its text, an incremental result that differs from a fresh one,
//! a frame forwarded that is not one JSON object). Errors are expected results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::{Diagnostic, FileReport, Report};
use crate::config::Config;
use crate::openapi::project::{FileSource, Project};
use crate::openapi::syntax::Format;
use crate::workspace::{OverlaySource, ParseCache, check_document};

/// Files held in memory; nothing is read from disk.
#[derive(Default)]
pub struct MemorySource {
    pub files: HashMap<PathBuf, Arc<str>>,
}

impl FileSource for MemorySource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        self.files.get(path).cloned().ok_or_else(|| "no such file".to_owned())
    }
}

/// Text from bytes, as archlens reads files: UTF-8 (a byte order mark dropped) or nothing.
fn text_of(data: &[u8]) -> Option<String> {
    crate::workspace::decode(data.to_vec()).ok()
}

/// The YAML or JSON parser, the span index and every OpenAPI rule, on one document.
pub fn openapi_document(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Some(text) = text_of(rest) else { return };
    let format = if selector & 1 == 0 { Format::Yaml } else { Format::Json };
    let parsed = crate::openapi::syntax::parse(&text, format);
    if let Some(root) = &parsed.root {
        assert!(root.span.end <= text.len(), "a root that ends past the text");
    }
    let path = PathBuf::from(if format == Format::Yaml { "/fuzz/openapi.yaml" } else { "/fuzz/openapi.json" });
    let mut source = MemorySource::default();
    source.files.insert(path.clone(), Arc::from(text.as_str()));
    check_loaded(&path, &source, text.len());
}

/// `$ref` resolution across four files of memory (split at 0xFF bytes), and the rules.
pub fn ref_resolution(data: &[u8]) {
    const NAMES: [&str; 4] = ["/fuzz/openapi.yaml", "/fuzz/a.yaml", "/fuzz/b.json", "/fuzz/sub/c.yaml"];
    let mut source = MemorySource::default();
    for (name, part) in NAMES.iter().zip(data.split(|byte| *byte == 0xFF)) {
        if let Some(text) = text_of(part) {
            source.files.insert(PathBuf::from(name), Arc::from(text.as_str()));
        }
    }
    let root = PathBuf::from(NAMES[0]);
    let length = source.files.get(&root).map_or(0, |text| text.len());
    check_loaded(&root, &source, length);
}

fn check_loaded(path: &Path, source: &MemorySource, length: usize) {
    let Ok(project) = Project::load(path, Path::new("/fuzz"), source) else { return };
    let Some(report) = crate::analysis::check_project(&project, &Config::default(), &|| false) else { return };
    for file in &report.files {
        let limit = if file.path == path { length } else { file.text.len() };
        for diagnostic in &file.diagnostics {
            assert_inside(diagnostic, limit);
        }
    }
}

/// A finding's range starts before it ends, and ends inside a text of `length` bytes.
fn assert_inside(diagnostic: &Diagnostic, length: usize) {
    assert!(
        diagnostic.span.start <= diagnostic.span.end && diagnostic.span.end <= length,
        "{}: {:?}",
        diagnostic.rule.code,
        diagnostic.span
    );
}

/// The Rust analysis: tree-sitter, every query and rule, the route index.
pub fn rust_file(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    let path = Path::new("/fuzz/src/main.rs");
    let report = crate::analysis::rust_source::check_file(
        path,
        Arc::from(text.as_str()),
        &Config::default(),
        &crate::rust::facts::CrateFacts::default(),
    );
    for diagnostic in report.files.iter().flat_map(|file| &file.diagnostics) {
        assert!(diagnostic.span.end <= text.len() && text.is_char_boundary(diagnostic.span.start), "{:?}", diagnostic.span);
    }
    if let Some(tree) = crate::rust::parse(&text) {
        let facts = crate::rust::routes::RouteFacts::of_range(&tree, &text, 0..text.len());
        let files = [crate::rust::routes::TableFile { module: Vec::new(), facts: &facts }];
        let table = crate::rust::routes::RouteTable::build(&files);
        for route in &table.served {
            assert!(route.span.end <= text.len());
        }
    }
}

/// The SQL migration rules: the first bytes up to a 0xFF byte are an earlier migration that
/// builds the schema, the rest the migration checked; the first byte picks the dialect.
pub fn sql_migration(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let mut parts = rest.splitn(2, |byte| *byte == 0xFF);
    let (first, second) = (parts.next().unwrap_or_default(), parts.next());
    let (earlier, checked) = match second {
        Some(second) => (Some(first), second),
        None => (None, first),
    };
    let Some(text) = text_of(checked) else { return };
    let mut config = Config::default();
    let dialect = match selector % 4 {
        0 => crate::config::SqlDialect::Postgres,
        1 => crate::config::SqlDialect::Mysql,
        2 => crate::config::SqlDialect::Sqlite,
        _ => crate::config::SqlDialect::Generic,
    };
    config.sql_dialect = Some(dialect);
    let mut migrations: Vec<(PathBuf, Arc<str>)> = Vec::new();
    if let Some(earlier) = earlier.and_then(text_of) {
        migrations.push((PathBuf::from("/fuzz/migrations/20240101000000_first.sql"), Arc::from(earlier.as_str())));
    }
    let path = Path::new("/fuzz/migrations/20240102000000_second.sql");
    migrations.push((path.to_path_buf(), Arc::from(text.as_str())));
    let history = crate::project::migrations::MigrationHistory::build(Path::new("/fuzz/migrations"), dialect, migrations);
    let released = selector & 4 != 0;
    let report = crate::analysis::migrations::check_file(path, Arc::from(text.as_str()), &config, dialect, Some(&history), released);
    for diagnostic in report.files.iter().flat_map(|file| &file.diagnostics) {
        assert_inside(diagnostic, text.len());
        assert!(text.is_char_boundary(diagnostic.span.start) && text.is_char_boundary(diagnostic.span.end));
        for fix in &diagnostic.fixes {
            let fixed = crate::openapi::edit::apply_edits(&text, &fix.edits);
            assert!(fixed.len() < text.len() + 4096, "{}: a fix that grows the text by {}", diagnostic.rule.code, fixed.len() - text.len());
        }
    }
}

/// Edits applied one after the other, each checked incrementally (the parse cache, the
/// Rust state of the last check) and afresh: the two must say the same.
pub fn incremental_edits(data: &[u8]) {
    incremental_edits_within(data, None);
}

/// [`incremental_edits`], where each check must also end within `limit`. An input makes up
/// to 128 checks, so the fuzzer's own timeout, meant for one check, cannot stand for this.
pub fn incremental_edits_within(data: &[u8], limit: Option<std::time::Duration>) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (path, base) = match selector % 3 {
        0 => (
            "/fuzz/openapi.yaml",
            "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      description: x\n      responses:\n        '200':\n          description: ok\n",
        ),
        1 => (
            "/fuzz/openapi.json",
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"description\": \"x\", \"responses\": {\"200\": {\"description\": \"ok\"}}}}}}\n",
        ),
        _ => (
            "/fuzz/src/main.rs",
            "async fn handler() -> String {\n    let v = std::fs::read_to_string(\"x\").unwrap();\n    println!(\"{v}\");\n    v\n}\n",
        ),
    };
    let path = PathBuf::from(path);
    let config = Config::default();
    let cache = Arc::new(ParseCache::default());
    let mut text = base.to_owned();
    // Each edit: position (2 bytes), length to remove (1 byte), then inserted text up to a 0 byte.
    let mut bytes = rest;
    let mut steps = 0;
    while bytes.len() >= 3 && steps < 64 {
        steps += 1;
        let mut at = usize::from(u16::from_le_bytes([bytes[0], bytes[1]])) % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + usize::from(bytes[2] % 16)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let inserted_end = bytes[3..].iter().position(|byte| *byte == 0).map_or(bytes.len(), |zero| zero + 3);
        let inserted = String::from_utf8_lossy(&bytes[3..inserted_end]).into_owned();
        bytes = &bytes[(inserted_end + 1).min(bytes.len())..];
        text.replace_range(at..end, &inserted);
        let shared: Arc<str> = Arc::from(text.as_str());
        let mut incremental = OverlaySource { cache: Some(cache.clone()), ..OverlaySource::default() };
        incremental.open.insert(path.clone(), shared.clone());
        let timed = |source: &OverlaySource| {
            let started = std::time::Instant::now();
            let result = check_document(&path, Path::new("/fuzz"), source, &config, &|| false);
            if let Some(limit) = limit {
                let took = started.elapsed();
                assert!(took <= limit, "a check took {took:?} after edit {steps}:\n{text}");
            }
            result
        };
        let kept = timed(&incremental);
        let mut fresh = OverlaySource::default();
        fresh.open.insert(path.clone(), shared.clone());
        let full = timed(&fresh);
        match (kept, full) {
            (Ok(Some(kept)), Ok(Some(full))) => assert_eq!(describe(&kept), describe(&full), "after edit {steps}:\n{text}"),
            (Err(kept), Err(full)) => assert_eq!(kept, full),
            (kept, full) => panic!("incremental {:?} and fresh {:?} disagree", kept.is_ok(), full.is_ok()),
        }
    }
}

/// What a report says, without the texts it carries.
pub fn describe(report: &Report) -> Vec<String> {
    let describe_one = |diagnostic: &Diagnostic| {
        let related: Vec<String> =
            diagnostic.related.iter().map(|related| format!("{}:{:?} {}", related.path.display(), related.span, related.message)).collect();
        format!(
            "{} {:?} {:?} {} {} fixes={:?} suppression={:?} related={related:?}",
            diagnostic.rule.code,
            diagnostic.severity,
            diagnostic.span,
            diagnostic.pointer,
            diagnostic.message,
            diagnostic.fixes,
            diagnostic.suppression,
        )
    };
    let describe_file = |file: &FileReport| {
        let mut lines = vec![format!("{} ({} bytes)", file.path.display(), file.text.len())];
        lines.extend(file.diagnostics.iter().map(describe_one));
        lines
    };
    report.files.iter().flat_map(describe_file).collect()
}

/// The stdio guard in front of the server: whatever bytes arrive, what it forwards is whole
/// frames of JSON objects, and it answers the rest with parse errors.
pub fn lsp_framing(data: &[u8]) {
    // Only the timer: the guard works on memory, and an I/O driver per input costs more than the input.
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_time().build() else { return };
    runtime.block_on(async {
        use tokio::io::AsyncReadExt;
        let input = std::io::Cursor::new(data.to_vec());
        let (mut to_server, _from_server, _direct) = crate::lsp::transport::guard(input, tokio::io::sink());
        let mut forwarded = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), to_server.read_to_end(&mut forwarded)).await;
        assert!(read.is_ok(), "the guard did not finish reading {} bytes", data.len());
        let mut rest = &forwarded[..];
        while !rest.is_empty() {
            let header_end = rest.windows(4).position(|window| window == b"\r\n\r\n").expect("a header");
            let header = std::str::from_utf8(&rest[..header_end]).expect("an ASCII header");
            let length: usize = header.strip_prefix("Content-Length: ").expect("Content-Length").parse().expect("a length");
            let body = &rest[header_end + 4..header_end + 4 + length];
            assert!(matches!(serde_json::from_slice::<serde_json::Value>(body), Ok(serde_json::Value::Object(_))));
            rest = &rest[header_end + 4 + length..];
        }
    });
}
