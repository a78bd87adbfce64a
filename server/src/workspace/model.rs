//! Gathers what the project model is built from (manifests, the lock file, every Rust file
//! with its summary) and keeps the model of each Cargo workspace between checks: once per
//! run of `check`, and in the server until the disk changes or an open file says something
//! new to its project (the fingerprint of its summary and facts changes; typing inside a
//! function body that calls nothing new does not).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::config::{Config, SqlDialect};
use crate::openapi::project::FileSource;
use crate::project::migrations::{Changes, MigrationHistory};
use crate::project::{ModelInput, ProjectModel};
use crate::rust::Said;
use crate::rust::facts::FileFacts;
use crate::rust::summary::FileSummary;

use super::DiskSource;

/// At most this many Rust files make up one model.
pub const MAX_MODEL_FILES: usize = 20_000;

/// A model and what it was built from.
struct Entry {
    generation: u64,
    /// The fingerprints of the open files' summaries it was built with.
    open: u64,
    model: Arc<OnceLock<Arc<ProjectModel>>>,
}

/// What a file says, by the hash of its text.
type Summaries = HashMap<PathBuf, (u64, Arc<FileSummary>, Arc<FileFacts>)>;

/// A migration history and what it was built from.
struct HistoryEntry {
    generation: u64,
    /// The open buffers of its folder, by path and text.
    open: u64,
    history: Arc<OnceLock<Arc<MigrationHistory>>>,
}

/// The generation a manifest was read at, and its workspace members if it has any.
type Manifest = (u64, Option<Arc<Members>>);

/// What version control says, once per generation and base.
type ChangesEntry = (u64, Arc<OnceLock<Option<Arc<Changes>>>>);

/// The project models of the Cargo workspaces seen, the summaries of the files read for them,
/// the histories of the migration folders, and what version control says changed.
#[derive(Default)]
pub struct ModelCache {
    models: Mutex<HashMap<PathBuf, Entry>>,
    summaries: Mutex<Summaries>,
    histories: Mutex<HashMap<(PathBuf, SqlDialect), HistoryEntry>>,
    changes: Mutex<HashMap<(PathBuf, Option<String>), ChangesEntry>>,
    /// The compiled `[workspace]` members of each folder looked at.
    manifests: Mutex<HashMap<PathBuf, Manifest>>,
    /// The model root of each package seen, per generation.
    roots: Mutex<HashMap<PathBuf, (u64, Option<PathBuf>)>>,
    /// In `check`, the trees parsed for the model, handed to the checks of their files once.
    trees: Option<Mutex<HashMap<PathBuf, (u64, tree_sitter::Tree)>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ModelCache {
    /// The model of the Cargo workspace that holds `path` (an empty one outside any). In the
    /// editor, `own` is what the file being checked says now, which may be ahead of what
    /// the cache has.
    /// A cache that keeps the trees it parses for the model until each file's check takes
    /// its own (`take_tree`): for `check`, where every file is checked once.
    pub fn keeping_trees() -> ModelCache {
        ModelCache { trees: Some(Mutex::default()), ..ModelCache::default() }
    }

    /// Whether this cache is one run's (`check`): files do not change during it.
    pub fn keeps_trees(&self) -> bool {
        self.trees.is_some()
    }

    /// The tree parsed for the model from this text, if kept.
    pub fn take_tree(&self, path: &Path, text: &str) -> Option<tree_sitter::Tree> {
        let (hash, tree) = lock(self.trees.as_ref()?).remove(path)?;
        (hash == text_hash(text)).then_some(tree)
    }

    pub fn model_for(&self, path: &Path, source: &dyn FileSource, own: Option<(&Path, Said)>) -> Arc<ProjectModel> {
        // The model root depends only on the file's package, whose manifests are read once.
        let package = crate::workspace::crates::crate_root(path);
        let key = package.clone().unwrap_or_default();
        let known = lock(&self.roots).get(&key).filter(|(generation, _)| *generation == source.generation()).map(|(_, root)| root.clone());
        let root = match known {
            Some(root) => root,
            None => {
                let root = package.and_then(|package| {
                    model_root_with(&package, &mut |folder| {
                        let generation = source.generation();
                        let mut manifests = lock(&self.manifests);
                        let entry =
                            manifests.entry(folder.to_path_buf()).or_insert_with(|| (generation, workspace_members(folder).map(Arc::new)));
                        if entry.0 != generation {
                            *entry = (generation, workspace_members(folder).map(Arc::new));
                        }
                        entry.1.clone()
                    })
                });
                lock(&self.roots).insert(key, (source.generation(), root.clone()));
                root
            }
        };
        let generation = source.generation();
        let Some(root) = root else {
            // A file alone: its model is kept while what it says stays the same.
            let Some((_, said)) = own else { return Arc::new(self.alone(path, source, None)) };
            let cell = self.cell(path.to_path_buf(), generation, said.fingerprint);
            return cell.get_or_init(|| Arc::new(self.alone(path, source, Some(said.summary)))).clone();
        };
        let open: Vec<(PathBuf, Arc<str>)> =
            source.open_files().into_iter().filter(|(open, _)| open.starts_with(&root) && crate::rust::is_rust_file(open)).collect();
        let mut open_said: Vec<(&Path, u64)> = open
            .iter()
            .map(|(open_path, text)| match &own {
                Some((own_path, said)) if own_path == open_path => (open_path.as_path(), said.fingerprint),
                // What the last check of the open file read, when it read this text.
                _ => match source.rust_said(open_path, text) {
                    Some(said) => (open_path.as_path(), said.fingerprint),
                    None => {
                        let (summary, facts) = self.summary_of(open_path, text);
                        (open_path.as_path(), Said::new(summary, &facts).fingerprint)
                    }
                },
            })
            .collect();
        open_said.sort();
        let mut hasher = std::hash::DefaultHasher::new();
        open_said.hash(&mut hasher);
        let open_fingerprint = hasher.finish();
        let cell = self.cell(root.clone(), generation, open_fingerprint);
        cell.get_or_init(|| {
            let started = std::time::Instant::now();
            let model = Arc::new(self.build(&root, source, &open));
            tracing::debug!(root = %root.display(), files = model.files.len(), elapsed = ?started.elapsed(), "project model built");
            model
        })
        .clone()
    }

    /// The model kept for `key` (a model root, or a file alone), empty when it was built at
    /// another generation or from other open files.
    fn cell(&self, key: PathBuf, generation: u64, open: u64) -> Arc<OnceLock<Arc<ProjectModel>>> {
        let mut models = lock(&self.models);
        let entry = models.entry(key).or_insert_with(|| Entry { generation, open, model: Arc::default() });
        if entry.generation != generation || entry.open != open {
            *entry = Entry { generation, open, model: Arc::default() };
        }
        entry.model.clone()
    }

    /// The history of the migration folder of `path` (read through `source`, open buffers
    /// first), built once per generation and per text of the folder's open buffers.
    pub fn history_for(&self, path: &Path, config: &Config, source: &dyn FileSource) -> Arc<MigrationHistory> {
        let root = crate::sql::migration_root(path).to_path_buf();
        let dialect = migration_dialect(path, config);
        let generation = source.generation();
        let mut hasher = std::hash::DefaultHasher::new();
        let mut open: Vec<(PathBuf, Arc<str>)> =
            source.open_files().into_iter().filter(|(open, _)| crate::sql::migration_root(open) == root).collect();
        open.sort_by(|left, right| left.0.cmp(&right.0));
        for (open_path, text) in &open {
            open_path.hash(&mut hasher);
            text.hash(&mut hasher);
        }
        let open_fingerprint = hasher.finish();
        let cell = {
            let mut histories = lock(&self.histories);
            let entry = histories.entry((root.clone(), dialect)).or_insert_with(|| HistoryEntry {
                generation,
                open: open_fingerprint,
                history: Arc::default(),
            });
            if entry.generation != generation || entry.open != open_fingerprint {
                *entry = HistoryEntry { generation, open: open_fingerprint, history: Arc::default() };
            }
            entry.history.clone()
        };
        cell.get_or_init(|| {
            let started = std::time::Instant::now();
            let members = crate::sql::history_members(path, config, super::migration_candidates(path, source));
            let migrations: Vec<(PathBuf, Arc<str>)> =
                members.into_iter().filter_map(|member| Some((member.clone(), source.read(&member).ok()?))).collect();
            let history = Arc::new(MigrationHistory::build(&root, dialect, migrations));
            tracing::debug!(root = %root.display(), migrations = history.len(), elapsed = ?started.elapsed(), "migration history built");
            history
        })
        .clone()
    }

    /// What version control says changed in the repository of `path` since `base` (or the
    /// merge-base with the default branch), once per generation.
    pub fn changes_for(&self, path: &Path, base: Option<&str>, source: &dyn FileSource) -> Option<Arc<Changes>> {
        let repository = super::vcs::repository_of(path)?;
        let generation = source.generation();
        let cell = {
            let mut changes = lock(&self.changes);
            let entry = changes.entry((repository.clone(), base.map(str::to_owned))).or_insert_with(|| (generation, Arc::default()));
            if entry.0 != generation {
                *entry = (generation, Arc::default());
            }
            entry.1.clone()
        };
        cell.get_or_init(|| {
            // A git that failed (busy, interrupted) is asked again before it is believed.
            let changes = (0..3).find_map(|_| super::vcs::changes(&repository, base)).map(Arc::new);
            if changes.is_none() {
                tracing::debug!(repository = %repository.display(), "git gave no answer about what changed");
            }
            changes
        })
        .clone()
    }

    /// The model of a file outside any package: the file alone, so that the calls between its
    /// own functions still carry context.
    fn alone(&self, path: &Path, source: &dyn FileSource, own: Option<Arc<FileSummary>>) -> ProjectModel {
        let Ok(text) = source.read(path) else { return ProjectModel::empty() };
        let (summary, facts) = match own {
            // What the check read: facts are the crate's business, and a file alone has none.
            Some(summary) => (summary, Arc::new(FileFacts::default())),
            None => self.summary_of(path, &text),
        };
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        ProjectModel::build(ModelInput { root, manifests: Vec::new(), lock: None, files: vec![(path.to_path_buf(), text, summary, facts)] })
    }

    /// The summary and facts of a file's text, computed once per text.
    fn summary_of(&self, path: &Path, text: &str) -> (Arc<FileSummary>, Arc<FileFacts>) {
        let hash = text_hash(text);
        if let Some((known, summary, facts)) = lock(&self.summaries).get(path)
            && *known == hash
        {
            return (summary.clone(), facts.clone());
        }
        let (summary, facts) = match crate::rust::parse(text) {
            Some(tree) => {
                let read = (FileSummary::of_tree(&tree, text), FileFacts::of_parsed(&tree, text));
                if let Some(trees) = &self.trees {
                    lock(trees).insert(path.to_path_buf(), (hash, tree));
                }
                read
            }
            None => Default::default(),
        };
        let (summary, facts) = (Arc::new(summary), Arc::new(facts));
        lock(&self.summaries).insert(path.to_path_buf(), (hash, summary.clone(), facts.clone()));
        (summary, facts)
    }

    fn build(&self, root: &Path, source: &dyn FileSource, open: &[(PathBuf, Arc<str>)]) -> ProjectModel {
        let (rust_files, manifests) = list_files(root);
        let open: HashMap<&Path, &Arc<str>> = open.iter().map(|(path, text)| (path.as_path(), text)).collect();
        let files = crate::parallel::map(&rust_files, |path| {
            let text: Arc<str> = match open.get(path.as_path()) {
                Some(text) => (*text).clone(),
                None => DiskSource.read(path).ok()?,
            };
            let (summary, facts) = self.summary_of(path, &text);
            Some((path.clone(), text, summary, facts))
        });
        let manifests = manifests
            .into_iter()
            .filter_map(|folder| Some((folder.clone(), source.read(&folder.join("Cargo.toml")).ok()?.to_string())))
            .collect();
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).ok();
        ProjectModel::build(ModelInput { root: root.to_path_buf(), manifests, lock, files: files.into_iter().flatten().collect() })
    }
}

/// The database the migration at `path` is written for (`sql::dialect_for`), the crate's
/// manifest read here.
pub fn migration_dialect(path: &Path, config: &Config) -> SqlDialect {
    crate::sql::dialect_for(path, config, crate_dialect)
}

/// The dialect of the crate whose `Cargo.toml` is nearest above `folder`, read once per
/// manifest and again when it changes.
fn crate_dialect(folder: &Path) -> Option<SqlDialect> {
    type Known = std::collections::HashMap<PathBuf, (Option<std::time::SystemTime>, Option<SqlDialect>)>;
    static KNOWN: std::sync::LazyLock<std::sync::Mutex<Known>> = std::sync::LazyLock::new(Default::default);
    let manifest = folder.ancestors().take(4).map(|folder| folder.join("Cargo.toml")).find(|manifest| manifest.is_file())?;
    let modified = std::fs::metadata(&manifest).and_then(|metadata| metadata.modified()).ok();
    let mut known = KNOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((seen, dialect)) = known.get(&manifest)
        && *seen == modified
    {
        return *dialect;
    }
    let text = std::fs::read_to_string(&manifest).ok()?;
    let workspace = manifest
        .parent()
        .and_then(Path::parent)
        .and_then(|above| above.ancestors().map(|folder| folder.join("Cargo.toml")).find(|manifest| manifest.is_file()))
        .and_then(|manifest| std::fs::read_to_string(manifest).ok());
    let dialect = crate::sql::manifest_dialect(&text, workspace.as_deref());
    known.insert(manifest, (modified, dialect));
    dialect
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The folder whose `Cargo.toml` makes up the workspace of `path`: the nearest folder above
/// with a `[workspace]` manifest whose members (or whose own package) hold the package of
/// `path`, else the package's own folder. `None` outside any package's `src/`, `tests/`,
/// `benches/`, `examples/` and `build.rs` (test data, scripts).
pub fn model_root(path: &Path) -> Option<PathBuf> {
    let package = if path.is_dir() { path.to_path_buf() } else { crate::workspace::crates::crate_root(path)? };
    model_root_with(&package, &mut |folder| workspace_members(folder).map(Arc::new))
}

/// [`model_root`] of a package folder, the members of each workspace manifest given by
/// `members` (`None` for a folder without a `[workspace]` manifest).
fn model_root_with(package: &Path, members: &mut dyn FnMut(&Path) -> Option<Arc<Members>>) -> Option<PathBuf> {
    for folder in package.ancestors() {
        let Some(workspace) = members(folder) else { continue };
        if folder == package || workspace.hold(folder, package) {
            return Some(folder.to_path_buf());
        }
    }
    Some(package.to_path_buf())
}

/// The `[workspace] members` and `exclude` globs of a manifest, compiled.
pub struct Members {
    members: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl Members {
    /// Whether the workspace at `root` has the package at `package` among its members.
    fn hold(&self, root: &Path, package: &Path) -> bool {
        package.strip_prefix(root).is_ok_and(|inside| self.members.is_match(inside) && !self.exclude.is_match(inside))
    }
}

/// The members of the `[workspace]` manifest in `folder`, if it has one.
fn workspace_members(folder: &Path) -> Option<Members> {
    let text = std::fs::read_to_string(folder.join("Cargo.toml")).ok()?;
    let table = text.parse::<toml::Table>().ok()?;
    let workspace = table.get("workspace")?.as_table()?;
    let globs = |key: &str| {
        let mut set = globset::GlobSetBuilder::new();
        for member in workspace.get(key).and_then(|list| list.as_array()).into_iter().flatten().filter_map(|member| member.as_str()) {
            if let Ok(glob) = globset::Glob::new(member.trim_start_matches("./").trim_end_matches('/')) {
                set.add(glob);
            }
        }
        set.build().unwrap_or_else(|_| globset::GlobSet::empty())
    };
    Some(Members { members: globs("members"), exclude: globs("exclude") })
}

/// The Rust files and the folders with a `Cargo.toml` under `root`, the way git sees the
/// tree, without Cargo's build output.
fn list_files(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| !(entry.file_name() == "target" && entry.path().join("CACHEDIR.TAG").is_file()))
        .build();
    let mut rust = Vec::new();
    let mut manifests = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|kind| kind.is_file()) {
            continue;
        }
        let path = entry.path();
        if crate::rust::is_rust_file(path) {
            if rust.len() < MAX_MODEL_FILES {
                rust.push(path.to_path_buf());
            }
        } else if path.file_name().is_some_and(|name| name == "Cargo.toml")
            && let Some(folder) = path.parent()
        {
            manifests.push(folder.to_path_buf());
        }
    }
    rust.sort();
    manifests.sort();
    (rust, manifests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_workspace_that_names_a_package() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (file, text) in [
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/skipped\"]\n"),
            ("crates/api/Cargo.toml", "[package]\nname = \"api\"\n"),
            ("crates/api/src/lib.rs", "pub fn a() {}\n"),
            ("crates/skipped/Cargo.toml", "[package]\nname = \"skipped\"\n"),
            ("crates/skipped/src/lib.rs", "pub fn s() {}\n"),
            ("examples/demo/Cargo.toml", "[package]\nname = \"demo\"\n"),
            ("examples/demo/src/main.rs", "fn main() {}\n"),
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), text).unwrap();
        }
        assert_eq!(model_root(&root.join("crates/api/src/lib.rs")).as_deref(), Some(root));
        assert_eq!(model_root(&root.join("crates/skipped/src/lib.rs")), Some(root.join("crates/skipped")));
        assert_eq!(model_root(&root.join("examples/demo/src/main.rs")), Some(root.join("examples/demo")));
        let cache = ModelCache::default();
        let model = cache.model_for(&root.join("examples/demo/src/main.rs"), &DiskSource, None);
        let kind = model.code_kind(&root.join("examples/demo/src/main.rs"));
        assert!(!kind.test, "a standalone crate under a folder named `examples` is real source: {kind:?}");
        let workspace = cache.model_for(&root.join("crates/api/src/lib.rs"), &DiskSource, None);
        assert!(Arc::ptr_eq(&workspace, &cache.model_for(&root.join("crates/api/src/lib.rs"), &DiskSource, None)), "kept");
        assert_eq!(workspace.cargo.packages.len(), 3);
    }
}
