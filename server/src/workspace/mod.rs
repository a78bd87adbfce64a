//! The set of files: which ones are OpenAPI documents, how they are read (disk, or open
//! editor buffers over the disk), and where a project's workspace root is.

pub mod crates;
pub mod model;
pub mod services;
pub mod vcs;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::baseline::Baseline;
use crate::analysis::{self, Report};
use crate::config::{CONFIG_FILE, Config};
use crate::openapi::project::{FileSource, Project, SourceFile};
use crate::openapi::syntax::{Format, ParsedFile};

/// Files larger than this are not read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How much of a file is read first to decide whether it is an OpenAPI document.
const SNIFF_BYTES: usize = 16 * 1024;
/// Files up to this size are read whole when their start does not tell.
const SNIFF_WHOLE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads files from disk, as UTF-8 (a UTF-8 byte order mark is dropped).
#[derive(Debug, Default, Clone)]
pub struct DiskSource;

/// Files on disk, with what the crates of one run of `check` say to each other, gathered
/// once per crate.
pub struct RunSource {
    pub crates: crates::CrateIndex,
    pub models: model::ModelCache,
}

impl Default for RunSource {
    /// Every file is checked once in a run: the trees parsed for the project model are kept
    /// for the checks.
    fn default() -> RunSource {
        RunSource { crates: crates::CrateIndex::default(), models: model::ModelCache::keeping_trees() }
    }
}

impl FileSource for RunSource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        DiskSource.read(path)
    }

    fn crate_index(&self) -> Option<&crates::CrateIndex> {
        Some(&self.crates)
    }

    fn model_cache(&self) -> Option<&model::ModelCache> {
        Some(&self.models)
    }
}

impl FileSource for DiskSource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        read_text(path).map(Arc::from)
    }

    /// Freeing the trees of a large document takes a good part of a check; it happens on a
    /// thread of its own while the report is written.
    fn recycle(&self, files: Vec<SourceFile>) {
        if std::thread::Builder::new().name("free".into()).spawn(move || drop(files)).is_err() {
            tracing::debug!("no thread to free the parsed files on");
        }
    }
}

pub fn read_text(path: &Path) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!("the file is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024));
    }
    let bytes = std::fs::read(path).map_err(|error| error.to_string())?;
    decode(bytes)
}

/// UTF-8 text, or a message that says why the bytes are not.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16; archlens reads UTF-8".into());
    }
    let bytes = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { bytes[3..].to_vec() } else { bytes };
    String::from_utf8(bytes).map_err(|error| format!("the file is not valid UTF-8 (byte {})", error.utf8_error().valid_up_to()))
}

/// Open editor buffers first, the disk for everything else; large files are re-parsed from
/// their last parse when a cache is given.
#[derive(Debug, Default, Clone)]
pub struct OverlaySource {
    pub open: HashMap<PathBuf, Arc<str>>,
    pub cache: Option<Arc<ParseCache>>,
    /// The editor's count of changes on disk.
    pub generation: u64,
}

/// The last parse of each large file, with the text it was parsed from: an edit re-parses
/// only the pieces it touched. A check takes a file's entry and gives it back when done.
#[derive(Default)]
pub struct ParseCache {
    files: std::sync::Mutex<HashMap<PathBuf, (Arc<str>, ParsedFile)>>,
    rust: std::sync::Mutex<HashMap<PathBuf, crate::analysis::rust_source::incremental::RustState>>,
    crates: crates::CrateIndex,
    models: model::ModelCache,
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("ParseCache").finish_non_exhaustive()
    }
}

impl ParseCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (Arc<str>, ParsedFile)>> {
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The crate index the editor's checks share.
    pub fn crate_index(&self) -> &crates::CrateIndex {
        &self.crates
    }

    pub fn forget(&self, path: &Path) {
        self.lock().remove(path);
        self.rust.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(path);
    }

    /// What the last check of an open Rust file found it says to its crate.
    pub fn rust_facts(&self, path: &Path) -> Option<crate::rust::facts::FileFacts> {
        self.rust.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path).map(|state| state.facts())
    }

    /// Takes the last parse of a file out of the cache, with the text it was parsed from.
    pub fn take(&self, path: &Path) -> Option<(Arc<str>, ParsedFile)> {
        self.lock().remove(path)
    }

    /// Keeps a parse for the next edit (when it can be re-parsed in pieces).
    pub fn put(&self, path: &Path, text: Arc<str>, parsed: ParsedFile) {
        if parsed.layout.is_some() {
            self.lock().insert(path.to_path_buf(), (text, parsed));
        }
    }
}

impl FileSource for OverlaySource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => DiskSource.read(path),
        }
    }

    fn parse(&self, path: &Path, text: &Arc<str>, format: Format) -> ParsedFile {
        let cached = self.cache.as_ref().and_then(|cache| cache.lock().remove(path));
        match cached {
            Some((old_text, old)) if old.format == format && old_text == *text => old,
            Some((old_text, old)) if old.format == format => crate::openapi::syntax::reparse(&old_text, old, text),
            _ => crate::openapi::syntax::parse(text, format),
        }
    }

    fn take_rust_state(&self, path: &Path) -> Option<crate::analysis::rust_source::incremental::RustState> {
        self.cache.as_ref()?.rust.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(path)
    }

    fn keep_rust_state(&self, path: &Path, state: crate::analysis::rust_source::incremental::RustState) {
        if let Some(cache) = &self.cache {
            cache.rust.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_path_buf(), state);
        }
    }

    fn crate_index(&self) -> Option<&crates::CrateIndex> {
        self.cache.as_ref().map(|cache| &cache.crates)
    }

    fn model_cache(&self) -> Option<&model::ModelCache> {
        self.cache.as_ref().map(|cache| &cache.models)
    }

    fn rust_said(&self, path: &Path, text: &str) -> Option<crate::rust::Said> {
        self.cache.as_ref()?.rust.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(path)?.said_of(text)
    }

    fn open_files(&self) -> Vec<(PathBuf, Arc<str>)> {
        self.open.iter().map(|(path, text)| (path.clone(), text.clone())).collect()
    }

    fn generation(&self) -> u64 {
        self.generation
    }

    fn recycle(&self, files: Vec<SourceFile>) {
        let Some(cache) = &self.cache else { return };
        let mut cached = cache.lock();
        for file in files.into_iter().filter(|file| file.parsed.layout.is_some()) {
            cached.insert(file.path, (file.text, file.parsed));
        }
    }
}

/// True when the text is an OpenAPI or Swagger document: a top-level `openapi:` or
/// `swagger:` key in YAML, or an `"openapi"`/`"swagger"` member in JSON. Keys may come in
/// any order (Stripe's description sorts them, and `openapi` comes after `components`).
pub fn is_openapi_document(text: &str, format: Format) -> bool {
    match format {
        // Searching for the line break first: `o` and `s` are everywhere in a document.
        Format::Yaml => ["openapi:", "swagger:", "\"openapi\":"]
            .iter()
            .any(|key| text.starts_with(key) || text.contains(&format!("\n{key}")) || text.contains(&format!("\r{key}"))),
        Format::Json => json_has_top_level_key(text, &["openapi", "swagger"]),
    }
}

/// True when the JSON object `text` has one of `keys` as a member of its outermost object;
/// a scan of the bytes that tracks strings and nesting, without parsing.
fn json_has_top_level_key(text: &str, keys: &[&str]) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = index + 1;
                index = start;
                while index < bytes.len() && bytes[index] != b'"' {
                    index += if bytes[index] == b'\\' { 2 } else { 1 };
                }
                let Some(string) = text.get(start..index.min(text.len())) else { return false };
                if depth == 1 && keys.contains(&string) && text[(index + 1).min(text.len())..].trim_start().starts_with(':') {
                    return true;
                }
            }
            _ => {}
        }
        index += 1;
    }
    false
}

/// Reads a file and says whether it is an OpenAPI document: the start of the file first,
/// the whole file (up to [`SNIFF_WHOLE_BYTES`]) when the start does not tell.
pub fn sniff_file(path: &Path) -> bool {
    let Some(format) = Format::from_path(path) else {
        return false;
    };
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if (&mut file).take(SNIFF_BYTES as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    if is_openapi_document(&String::from_utf8_lossy(&head), format) {
        return true;
    }
    let whole_size = file.metadata().map_or(u64::MAX, |metadata| metadata.len());
    if head.len() < SNIFF_BYTES || whole_size > SNIFF_WHOLE_BYTES {
        return false;
    }
    let mut rest = head;
    if file.read_to_end(&mut rest).is_err() {
        return false;
    }
    is_openapi_document(&String::from_utf8_lossy(&rest), format)
}

/// True when the `archlens.toml` that applies to `path` names it in `[openapi] documents` or
/// `[sql] migrations`. Configurations are read once per file.
#[derive(Default)]
pub struct DeclaredDocuments {
    configs: HashMap<PathBuf, Option<Config>>,
}

impl DeclaredDocuments {
    pub fn contains(&mut self, path: &Path) -> bool {
        let Some(config_path) = Config::discover(path.parent().unwrap_or(path)) else { return false };
        let config = self
            .configs
            .entry(config_path)
            .or_insert_with_key(|config_path| Config::load_for(config_path.parent().unwrap_or(Path::new("/"))).ok());
        config.as_ref().is_some_and(|config| {
            config.is_declared_document(path) || (crate::sql::is_sql_file(path) && config.is_declared_migration(path))
        })
    }
}

/// Every file to check under the given paths, respecting `.gitignore` and skipping Cargo's
/// `target` folders, in a stable order: OpenAPI documents (files that start like one, and
/// those `[openapi] documents` names), Rust source files, decision records and SQL
/// migrations (under a `migrations` folder, or named in `[sql] migrations`). A file named
/// explicitly is always taken.
pub fn discover_documents(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut declared = DeclaredDocuments::default();
    let mut found = Vec::new();
    for path in paths {
        if path.is_file() {
            found.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(false)
            // Cargo's build output, even where no .gitignore says so.
            .filter_entry(|entry| !(entry.file_name() == "target" && entry.path().join("CACHEDIR.TAG").is_file()))
            .build();
        for entry in walker.flatten() {
            let candidate = entry.path();
            if entry.file_type().is_some_and(|kind| kind.is_file())
                && (crate::rust::is_rust_file(candidate)
                    || crate::sql::is_migration_file(candidate)
                    || crate::adr::is_record_here(candidate)
                    || sniff_file(candidate)
                    || declared.contains(candidate))
            {
                found.push(candidate.to_path_buf());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// What a check covered, for people: "1 OpenAPI document and 9 Rust files".
pub fn describe_checked(paths: &[PathBuf]) -> String {
    let rust = paths.iter().filter(|path| crate::rust::is_rust_file(path)).count();
    // Discovery takes `.sql` files only as migrations.
    let migrations = paths.iter().filter(|path| crate::sql::is_sql_file(path)).count();
    let adrs = paths.iter().filter(|path| crate::adr::is_record_here(path)).count();
    let openapi = paths.len() - rust - adrs - migrations;
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    if openapi > 0 || (rust == 0 && adrs == 0 && migrations == 0) {
        parts.push(format!("{openapi} OpenAPI document{}", plural(openapi)));
    }
    if rust > 0 {
        parts.push(format!("{rust} Rust file{}", plural(rust)));
    }
    if adrs > 0 {
        parts.push(format!("{adrs} decision record{}", plural(adrs)));
    }
    if migrations > 0 {
        parts.push(format!("{migrations} migration{}", plural(migrations)));
    }
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The folder `$ref`s may reach: the nearest folder above `path` with `archlens.toml` or
/// `.git`, else the folder of the file itself.
pub fn workspace_root_for(path: &Path) -> PathBuf {
    let start = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new("/")) };
    start.ancestors().find(|folder| folder.join(CONFIG_FILE).is_file() || folder.join(".git").exists()).unwrap_or(start).to_path_buf()
}

/// Loads one document with its references and checks it.
pub fn check_document(
    path: &Path,
    workspace_root: &Path,
    source: &dyn FileSource,
    config: &Config,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Report>, String> {
    if crate::adr::is_record(path, config) {
        let text = source.read(path)?;
        return Ok(Some(crate::analysis::records::check_file(path, text, config)));
    }
    if crate::sql::is_sql_file(path) {
        let text = source.read(path)?;
        let fallback = model::ModelCache::default();
        let cache = source.model_cache().unwrap_or(&fallback);
        let history = crate::sql::is_versioned(path).then(|| cache.history_for(path, config, source));
        let changes = if config.sql_released_before.is_none() || config.diff.is_some() {
            cache.changes_for(path, config.diff.as_deref(), source)
        } else {
            None
        };
        let released = crate::sql::is_released(path, config, changes.as_deref());
        let dialect = history.as_ref().map_or_else(|| model::migration_dialect(path, config), |history| history.dialect);
        return Ok(Some(crate::analysis::migrations::check_file(path, text, config, dialect, history.as_deref(), released)));
    }
    if crate::rust::is_rust_file(path) {
        if !compiled_by_cargo(path) {
            let text = source.read(path)?;
            return Ok(Some(Report { files: vec![analysis::FileReport { path: path.to_path_buf(), text, diagnostics: Vec::new() }] }));
        }
        let fallback = model::ModelCache::default();
        let cache = source.model_cache().unwrap_or(&fallback);
        let index_fallback = crates::CrateIndex::default();
        let index = source.crate_index().unwrap_or(&index_fallback);
        let previous = source.take_rust_state(path);
        // In `check`, the model reads every file first: this one's text and tree come from it.
        let (text, parsed) = if cache.keeps_trees() {
            let model = cache.model_for(path, source, None);
            let text = match model.file(path) {
                Some(file) => file.text.clone(),
                None => source.read(path)?,
            };
            let parsed = model.file(path).and_then(|file| Some((cache.take_tree(path, &text)?, file.facts.clone())));
            (text, parsed)
        } else {
            (source.read(path)?, None)
        };
        // The model and the crate's facts, once the check knows what this file says now (an
        // edit that says nothing new keeps the model).
        let surroundings = |said: crate::rust::Said| {
            let model = cache.model_for(path, source, Some((path, said)));
            let facts = index.crate_facts_in(path, source, config, Some(&model));
            (model, Arc::new(facts))
        };
        let (report, state) = crate::analysis::rust_source::check_file_parsed(path, text, config, &surroundings, previous, parsed);
        if let Some(state) = state {
            source.keep_rust_state(path, state);
        }
        return Ok(Some(report));
    }
    let started = std::time::Instant::now();
    let project = Project::load(path, workspace_root, source)?;
    tracing::debug!(files = project.files.len(), elapsed = ?started.elapsed(), "project loaded");
    let service = service_of_document(path, source, config, &project);
    let report = analysis::check_project_for(&project, config, service.as_ref(), cancelled);
    source.recycle(project.files);
    Ok(report)
}

/// Whether Cargo compiles a Rust file: a file inside a package's folder but outside its
/// `src/`, `tests/`, `benches/`, `examples/` and `build.rs` (test data, syntax samples,
/// templates) is not the package's code. A file with no package around it is checked on its
/// own.
fn compiled_by_cargo(path: &Path) -> bool {
    if crates::crate_root(path).is_some() {
        return true;
    }
    let Some(manifest) = path.ancestors().skip(1).map(|folder| folder.join("Cargo.toml")).find(|manifest| manifest.is_file()) else {
        return true;
    };
    let has_package = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("package"));
    !has_package
}

/// The files that may be migrations of the folder of `path`: the files in it, the `up.sql` of
/// its sub-folders (diesel's layout), and the editor's buffers there, saved or not.
pub fn migration_candidates(path: &Path, source: &dyn FileSource) -> Vec<PathBuf> {
    let root = crate::sql::migration_root(path);
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .map(|candidate| if candidate.is_dir() { candidate.join("up.sql") } else { candidate })
        .collect();
    candidates.extend(source.open_files().into_iter().map(|(open, _)| open).filter(|open| crate::sql::migration_root(open) == root));
    candidates
}

/// The routes of the crate a document describes, when it describes one; keeps the
/// document's summary for the checks of the crate's Rust files.
fn service_of_document(path: &Path, source: &dyn FileSource, config: &Config, project: &Project) -> Option<services::ServiceRoutes> {
    let fallback = crates::CrateIndex::default();
    let index = source.crate_index().unwrap_or(&fallback);
    let crate_root = index.scan(path, source).crate_for(path, config)?;
    if let Some(model) = crate::openapi::model::ApiModel::build(project) {
        let mut summary = services::SpecSummary::of(project, &model);
        summary.generation = source.generation();
        index.keep_spec(Arc::new(summary));
    }
    Some(services::service_routes(&crate_root, source))
}

/// Reads a baseline file; its paths are relative to its folder.
pub fn read_baseline(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    Baseline::from_json(&text, path.parent().unwrap_or(Path::new("."))).map_err(|error| format!("{}: {error}", path.display()))
}

pub fn write_baseline(path: &Path, baseline: &Baseline) -> Result<(), String> {
    std::fs::write(path, baseline.to_json()).map_err(|error| format!("{}: {error}", path.display()))
}

/// Makes a path absolute without resolving links, so it compares with editor paths.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    crate::openapi::project::normalize(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_documents_by_content() {
        assert!(is_openapi_document("# comment\nopenapi: 3.1.0\n", Format::Yaml));
        assert!(is_openapi_document("swagger: '2.0'\n", Format::Yaml));
        assert!(!is_openapi_document("name: x\n  openapi: 3\n", Format::Yaml));
        assert!(is_openapi_document("{\n  \"info\": {},\n  \"openapi\" : \"3.0.0\"}", Format::Json));
        assert!(!is_openapi_document("{\"openapi-generator\": 1}", Format::Json));
        let sorted = format!("components:\n  schemas: {{}}\n{}info: {{title: t}}\nopenapi: 3.0.0\n", "# padding\n".repeat(4000));
        assert!(is_openapi_document(&sorted, Format::Yaml));
        assert!(!is_openapi_document("x:\n  openapi: 3\n", Format::Yaml));
        assert!(is_openapi_document("{\"components\": {\"a\": \"}\\\"{\"}, \"openapi\": \"3.1.0\"}", Format::Json));
        assert!(!is_openapi_document("{\"properties\": {\"openapi\": {\"type\": \"string\"}}}", Format::Json));
    }

    #[test]
    fn decodes_text_or_explains() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
        assert!(decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().contains("UTF-16"));
        assert!(decode(vec![b'a', 0xC3]).unwrap_err().contains("UTF-8"));
    }
}
