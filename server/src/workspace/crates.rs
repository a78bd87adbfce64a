//! The crates of the workspace: the Rust files under the nearest folder with a `Cargo.toml`
//! (nested crates excepted), and what they say about each other ([`FileFacts`]), kept
//! between checks.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::openapi::project::FileSource;
use crate::rust::facts::{CrateFacts, FileFacts};

use super::DiskSource;

/// At most this many Rust files are read for the facts of one crate.
const MAX_CRATE_FILES: usize = 5_000;

/// The facts of the Rust files of a crate, as they are on disk (files that say nothing left
/// out).
type OnDisk = Arc<Vec<(PathBuf, Arc<FileFacts>)>>;

/// The generation a crate's files were read at, and their facts once read.
type Generation = (u64, Arc<OnceLock<OnDisk>>);

/// The facts of every crate seen, kept between checks (by the editor's state, or for one run
/// of `check`): files on disk are read again when the source's generation changes, open files
/// whenever their text does.
#[derive(Default)]
pub struct CrateIndex {
    /// For each crate root: the generation its files were read at, and their facts.
    crates: Mutex<HashMap<PathBuf, Generation>>,
    open: Mutex<HashMap<PathBuf, (u64, Arc<FileFacts>)>>,
    /// For each workspace root: the generation it was scanned at, and its crates and
    /// documents.
    scans: Mutex<HashMap<PathBuf, (u64, Arc<super::services::Scan>)>>,
    /// The last summary of each OpenAPI document that describes a crate.
    specs: Mutex<HashMap<PathBuf, Arc<super::services::SpecSummary>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl CrateIndex {
    /// What the other files of the crate of the Rust file `path` say, and the documents that
    /// describe the crate's routes.
    pub fn crate_facts(&self, path: &Path, source: &dyn FileSource, config: &crate::config::Config) -> CrateFacts {
        self.crate_facts_in(path, source, config, None)
    }

    /// [`CrateIndex::crate_facts`], taking the files' facts from the project model when it
    /// has the crate (it read every file of the workspace already).
    pub fn crate_facts_in(
        &self,
        path: &Path,
        source: &dyn FileSource,
        config: &crate::config::Config,
        model: Option<&crate::project::ProjectModel>,
    ) -> CrateFacts {
        let Some(root) = crate_root(path) else { return CrateFacts::default() };
        let mut facts = match model.and_then(|model| Some((model, model.file(path)?.package?))) {
            Some((model, package)) => {
                // The files of the same package, under its `src/`, `tests/`, `benches/`,
                // `examples/` or `build.rs` (what `crate_root` takes for the crate).
                let files = model
                    .files
                    .iter()
                    .filter(|file| file.path != path && file.package == Some(package))
                    .filter(|file| {
                        file.path.strip_prefix(&root).is_ok_and(|inside| {
                            inside == Path::new("build.rs")
                                || inside.components().next().is_some_and(|first| {
                                    ["src", "tests", "benches", "examples"].iter().any(|folder| first.as_os_str() == *folder)
                                })
                        })
                    })
                    .map(|file| (file.path.clone(), file.facts.clone()))
                    .collect();
                let mut facts = CrateFacts::new(files);
                facts.root = Some(root.clone());
                facts
            }
            None => self.facts_of_crate(&root, source, Some(path)),
        };
        let documents = self.scan(&root, source).documents_for(&root, config);
        facts.specs = super::services::specs_for_crate(&root, &documents, source, &self.specs);
        facts
    }

    /// What the Rust files of the crate at `root` say, open buffers over the disk, without
    /// `except` (whose own facts come from its check).
    pub fn facts_of_crate(&self, root: &Path, source: &dyn FileSource, except: Option<&Path>) -> CrateFacts {
        let mut files: HashMap<PathBuf, Arc<FileFacts>> =
            self.on_disk(root, source).iter().map(|(file, facts)| (file.clone(), facts.clone())).collect();
        for (file, text) in source.open_files() {
            if Some(file.as_path()) != except
                && file.starts_with(root)
                && crate::rust::is_rust_file(&file)
                && crate_root(&file).as_deref() == Some(root)
            {
                files.insert(file.clone(), self.open_facts(&file, &text));
            }
        }
        if let Some(except) = except {
            files.remove(except);
        }
        let mut facts = CrateFacts::new(files.into_iter().collect());
        facts.root = Some(root.to_path_buf());
        facts
    }

    /// The crates and documents of the workspace of `path` (at least the crate that holds
    /// it), scanned once per generation.
    pub fn scan(&self, path: &Path, source: &dyn FileSource) -> Arc<super::services::Scan> {
        let start = path.ancestors().skip(1).find(|folder| folder.join("Cargo.toml").is_file()).unwrap_or(path);
        let start = if path.is_dir() && path.join("Cargo.toml").is_file() { path } else { start };
        let root = super::workspace_root_for(start);
        let generation = source.generation();
        if let Some((known, scan)) = lock(&self.scans).get(&root)
            && *known == generation
        {
            return scan.clone();
        }
        let scan = Arc::new(super::services::Scan::of(&root));
        lock(&self.scans).insert(root, (generation, scan.clone()));
        scan
    }

    /// Keeps the summary of a document just checked, for the checks of its crate's files.
    pub fn keep_spec(&self, summary: Arc<super::services::SpecSummary>) {
        lock(&self.specs).insert(summary.document.clone(), summary);
    }

    fn on_disk(&self, root: &Path, source: &dyn FileSource) -> OnDisk {
        let generation = source.generation();
        let cell = {
            let mut crates = lock(&self.crates);
            let entry = crates.entry(root.to_path_buf()).or_insert_with(|| (generation, Arc::default()));
            if entry.0 != generation {
                *entry = (generation, Arc::default());
            }
            entry.1.clone()
        };
        cell.get_or_init(|| {
            let files = crate_files(root)
                .into_iter()
                .filter_map(|file| {
                    let text = DiskSource.read(&file).ok()?;
                    let facts = FileFacts::of_text(&text);
                    (!facts.is_empty()).then(|| (file, Arc::new(facts)))
                })
                .collect();
            Arc::new(files)
        })
        .clone()
    }

    fn open_facts(&self, path: &Path, text: &str) -> Arc<FileFacts> {
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        let hash = hasher.finish();
        if let Some((known, facts)) = lock(&self.open).get(path)
            && *known == hash
        {
            return facts.clone();
        }
        let facts = Arc::new(FileFacts::of_text(text));
        lock(&self.open).insert(path.to_path_buf(), (hash, facts.clone()));
        facts
    }
}

/// The crate `path` is compiled in: the nearest folder above it with a `Cargo.toml`, when the
/// file is under its `src/`, `tests/`, `benches/` or `examples/` or is its `build.rs`. Rust
/// files elsewhere (test data, scripts) stand alone.
pub fn crate_root(path: &Path) -> Option<PathBuf> {
    let root = path.parent()?.ancestors().find(|folder| folder.join("Cargo.toml").is_file())?;
    let inside = path.strip_prefix(root).ok()?;
    let first = inside.components().next()?.as_os_str();
    (inside == Path::new("build.rs") || ["src", "tests", "benches", "examples"].iter().any(|folder| first == *folder))
        .then(|| root.to_path_buf())
}

/// The Rust files of the crate at `root` (see [`crate_root`]), the way git sees the tree,
/// without Cargo's build output and nested crates.
fn crate_files(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Some(root.join("build.rs")).filter(|build| build.is_file()).into_iter().collect();
    for folder in ["src", "tests", "benches", "examples"].map(|folder| root.join(folder)).into_iter().filter(|folder| folder.is_dir()) {
        let walker = ignore::WalkBuilder::new(&folder)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|entry| {
                let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
                !(is_dir && entry.depth() > 0 && entry.path().join("Cargo.toml").is_file())
            })
            .build();
        found.extend(
            walker
                .flatten()
                .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()) && crate::rust::is_rust_file(entry.path()))
                .map(|entry| entry.path().to_path_buf()),
        );
    }
    found.truncate(MAX_CRATE_FILES);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_stop_at_nested_crates_and_target() {
        let dir = std::env::temp_dir().join(format!("archlens-facts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in [
            ("Cargo.toml", "[package]\nname = \"a\"\n"),
            ("src/main.rs", "fn main() { let app = Router::new().route(\"/\", get(routes::index)).layer(TraceLayer::new_for_http()); }"),
            ("src/routes.rs", "pub async fn index() {}"),
            ("inner/Cargo.toml", "[package]\nname = \"b\"\n"),
            ("inner/src/lib.rs", "fn r() { Router::new().route(\"/\", get(other)); }"),
            ("src/nested/Cargo.toml", "[package]\nname = \"c\"\n"),
            ("src/nested/src/lib.rs", "fn r() { Router::new().route(\"/\", get(generated)); }"),
            ("fixtures/loose.rs", "fn r() { Router::new().route(\"/\", get(loose)); }"),
        ] {
            std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
            std::fs::write(dir.join(file), text).unwrap();
        }
        let index = CrateIndex::default();
        let config = crate::config::Config::default();
        let facts = index.crate_facts(&dir.join("src/routes.rs"), &DiskSource, &config);
        assert!(facts.routes("index") && facts.traced());
        assert!(!facts.routes("other") && !facts.routes("generated") && !facts.routes("loose"));
        assert_eq!(crate_root(&dir.join("fixtures/loose.rs")), None, "not compiled in the crate");
        assert_eq!(crate_root(&dir.join("inner/src/lib.rs")), Some(dir.join("inner")));
        let own = index.crate_facts(&dir.join("src/main.rs"), &DiskSource, &config);
        assert!(!own.routes("index"), "a file's own facts are not among its crate's");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
