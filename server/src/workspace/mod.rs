//! The set of files: which ones are OpenAPI documents, how they are read (disk, or open
//! editor buffers over the disk), and where a project's workspace root is.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::baseline::Baseline;
use crate::analysis::{self, Report};
use crate::config::{CONFIG_FILE, Config};
use crate::openapi::project::{FileSource, Project};
use crate::openapi::syntax::Format;

/// Files larger than this are not read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How much of a file is read to decide whether it is an OpenAPI document.
const SNIFF_BYTES: usize = 16 * 1024;

/// Reads files from disk, as UTF-8 (a UTF-8 byte order mark is dropped).
#[derive(Debug, Default, Clone)]
pub struct DiskSource;

impl FileSource for DiskSource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        read_text(path).map(Arc::from)
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

/// Open editor buffers first, the disk for everything else.
#[derive(Debug, Default, Clone)]
pub struct OverlaySource {
    pub open: HashMap<PathBuf, Arc<str>>,
}

impl FileSource for OverlaySource {
    fn read(&self, path: &Path) -> Result<Arc<str>, String> {
        match self.open.get(path) {
            Some(text) => Ok(text.clone()),
            None => DiskSource.read(path),
        }
    }
}

/// True when the text starts like an OpenAPI or Swagger document: a top-level `openapi:`
/// or `swagger:` key in YAML, or an `"openapi"`/`"swagger"` member near the start of JSON.
pub fn is_openapi_document(text: &str, format: Format) -> bool {
    let head = &text[..crate::line_index::floor_char_boundary(text, SNIFF_BYTES)];
    match format {
        Format::Yaml => {
            head.lines().any(|line| line.starts_with("openapi:") || line.starts_with("swagger:") || line.starts_with("\"openapi\":"))
        }
        Format::Json => ["\"openapi\"", "\"swagger\""]
            .iter()
            .any(|key| head.match_indices(key).any(|(index, _)| head[index + key.len()..].trim_start().starts_with(':'))),
    }
}

/// Reads the start of a file and says whether it is an OpenAPI document.
pub fn sniff_file(path: &Path) -> bool {
    let Some(format) = Format::from_path(path) else {
        return false;
    };
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if file.take(SNIFF_BYTES as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    is_openapi_document(&text, format)
}

/// True when the `archlens.toml` that applies to `path` names it in `[openapi] documents`.
/// Configurations are read once per file.
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
        config.as_ref().is_some_and(|config| config.is_declared_document(path))
    }
}

/// Every OpenAPI document under the given paths, respecting `.gitignore`, in a stable order:
/// files that start like one, and those `[openapi] documents` names. A file named
/// explicitly is always taken.
pub fn discover_documents(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut declared = DeclaredDocuments::default();
    let mut found = Vec::new();
    for path in paths {
        if path.is_file() {
            found.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path).hidden(true).git_ignore(true).require_git(false).follow_links(false).build();
        for entry in walker.flatten() {
            let candidate = entry.path();
            if entry.file_type().is_some_and(|kind| kind.is_file()) && (sniff_file(candidate) || declared.contains(candidate)) {
                found.push(candidate.to_path_buf());
            }
        }
    }
    found.sort();
    found.dedup();
    found
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
    let started = std::time::Instant::now();
    let project = Project::load(path, workspace_root, source)?;
    tracing::debug!(files = project.files.len(), elapsed = ?started.elapsed(), "project loaded");
    Ok(analysis::check_project(&project, config, cancelled))
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
    }

    #[test]
    fn decodes_text_or_explains() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
        assert!(decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().contains("UTF-16"));
        assert!(decode(vec![b'a', 0xC3]).unwrap_err().contains("UTF-8"));
    }
}
