//! The project model: what a careful reviewer knows about a project before reading a line of
//! it, built once per workspace (per run of `check`, and kept current in the server) and
//! asked by the rules through a small interface.
//!
//! - **Crates** ([`cargo`]): the packages of the workspace from their manifests and
//!   `Cargo.lock`, and what kind of code each file is: a server, a command-line tool, a
//!   worker, a library and who links it, tests (its own `tests/`, `benches/` and `examples/`
//!   targets, `#[cfg(test)]` modules followed into their files, test-support crates), build
//!   scripts.
//! - **Observability**: whether the project logs through `tracing` with a subscriber or
//!   through `log`, and which middleware layers wrap its routers, across crates.
//! - **Calls** ([`calls`]): a call graph of the workspace by name resolution (`use` imports,
//!   paths, methods of local types), good enough rather than perfect, along which context
//!   flows: handler-ness and async context into helpers, start-up from `main`, constant
//!   arguments from call sites, database round trips up from the functions that run them.
//!
//! The model is pure: `workspace` reads the files and hands their texts and summaries in.

pub mod calls;
pub mod cargo;
pub mod migrations;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::openapi::syntax::Span;
use crate::rust::facts::FileFacts;
use crate::rust::summary::FileSummary;

pub use calls::FunctionId;
pub use cargo::{Cargo, Package};

/// Web and RPC server frameworks: a package that depends on one serves requests.
pub const SERVER_FRAMEWORKS: [&str; 17] = [
    "axum",
    "actix-web",
    "rocket",
    "warp",
    "poem",
    "salvo",
    "tonic",
    "tide",
    "gotham",
    "ntex",
    "dropshot",
    "trillium",
    "viz",
    "loco-rs",
    "pavex",
    "axum-server",
    "poem-openapi",
];

/// Command-line argument parsers.
pub const ARGUMENT_PARSERS: [&str; 10] =
    ["clap", "argh", "structopt", "pico-args", "lexopt", "bpaf", "gumdrop", "docopt", "xflags", "clap_derive"];

/// `log` back ends.
pub const LOGGERS: [&str; 10] = [
    "env_logger",
    "fern",
    "log4rs",
    "simplelog",
    "pretty_env_logger",
    "flexi_logger",
    "simple_logger",
    "stderrlog",
    "syslog",
    "systemd-journal-logger",
];

/// What a binary does when it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryKind {
    /// Serves HTTP or RPC requests.
    Server,
    /// Serves requests, and parses a command line: its own output may be what the user
    /// asked for (`miniserve`, `atuin server start`), so only what handlers reach serves.
    ServerWithCommandLine,
    /// A command-line tool: its output is stdout, and it serves nobody concurrently.
    CommandLine,
    /// A long-running process that is neither: a worker, a daemon.
    Service,
}

impl BinaryKind {
    /// Adds what the binary runs to the kind of the code it runs.
    fn mark(self, kind: &mut CodeKind) {
        match self {
            BinaryKind::Server => kind.server = true,
            BinaryKind::ServerWithCommandLine => {
                kind.server = true;
                kind.command_line = true;
            }
            BinaryKind::CommandLine => kind.command_line = true,
            BinaryKind::Service => kind.service = true,
        }
    }
}

/// What kind of code a file is, from the crate and target it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CodeKind {
    /// Test code: a crate's `tests/`, `benches/` or `examples/`, a `#[cfg(test)]` module's
    /// file, a test-support crate.
    pub test: bool,
    /// `build.rs`.
    pub build_script: bool,
    /// Runs in a server: a server binary, or a library one links.
    pub server: bool,
    /// Runs in a command-line tool.
    pub command_line: bool,
    /// Runs in a worker or daemon.
    pub service: bool,
}

impl CodeKind {
    /// Code that runs while a server or service handles work, not tests, builds or tools.
    pub fn is_service_code(&self) -> bool {
        !self.test && !self.build_script && (self.server || self.service)
    }

    /// Code that runs only in command-line tools.
    pub fn is_command_line_only(&self) -> bool {
        self.command_line && !self.server && !self.service
    }
}

/// How the project logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Observability {
    /// Some binary installs a `tracing` subscriber.
    pub tracing_subscriber: bool,
    /// Some binary installs a `log` logger (env_logger, fern…).
    pub logger: bool,
}

/// One Rust file of the model.
pub struct ModelFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub summary: Arc<FileSummary>,
    pub facts: Arc<FileFacts>,
    /// The package it belongs to (index into `Cargo::packages`).
    pub package: Option<usize>,
    pub kind: CodeKind,
    /// Its module path in its crate (`crate::api::orders`), the crate's own name first.
    pub module: Vec<String>,
}

/// One Rust file as `workspace` hands it to the model: its path, text, summary and facts.
pub type InputFile = (PathBuf, Arc<str>, Arc<FileSummary>, Arc<FileFacts>);

/// What `workspace` hands the model: manifests, the lock file and every Rust file.
pub struct ModelInput {
    pub root: PathBuf,
    pub manifests: Vec<(PathBuf, String)>,
    pub lock: Option<String>,
    pub files: Vec<InputFile>,
}

/// The project model of one workspace.
pub struct ProjectModel {
    pub root: PathBuf,
    pub cargo: Cargo,
    pub files: Vec<ModelFile>,
    by_path: HashMap<PathBuf, usize>,
    /// What each package's binaries are, by package index: (binary root, kind).
    binaries: Vec<Vec<(PathBuf, BinaryKind)>>,
    observability: Observability,
    /// Middleware layers applied anywhere in the non-test code of the workspace.
    layers: HashSet<String>,
    pub calls: calls::CallGraph,
    /// A fingerprint of everything rules may read, positions left out.
    digest: u64,
}

impl std::fmt::Debug for ProjectModel {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("ProjectModel").field("root", &self.root).field("files", &self.files.len()).finish_non_exhaustive()
    }
}

impl ProjectModel {
    /// A model of nothing: a file checked on its own.
    pub fn empty() -> ProjectModel {
        ProjectModel::build(ModelInput { root: PathBuf::new(), manifests: Vec::new(), lock: None, files: Vec::new() })
    }

    pub fn build(input: ModelInput) -> ProjectModel {
        let rust_files: HashSet<PathBuf> = input.files.iter().map(|(path, ..)| path.clone()).collect();
        let cargo = Cargo::read(&input.manifests, input.lock.as_deref(), &rust_files);
        let mut files: Vec<ModelFile> = input
            .files
            .into_iter()
            .map(|(path, text, summary, facts)| {
                let package = cargo
                    .packages
                    .iter()
                    .enumerate()
                    .filter(|(_, package)| path.starts_with(&package.folder))
                    .max_by_key(|(_, package)| package.folder.components().count())
                    .map(|(index, _)| index);
                ModelFile { path, text, summary, facts, package, kind: CodeKind::default(), module: Vec::new() }
            })
            .collect();
        files.sort_by(|left, right| left.path.cmp(&right.path));
        let by_path: HashMap<PathBuf, usize> = files.iter().enumerate().map(|(index, file)| (file.path.clone(), index)).collect();
        let trees = module_trees(&cargo, &files, &by_path);
        let binaries = binary_kinds(&cargo, &files, &trees);
        let kinds = code_kinds(&cargo, &files, &trees, &binaries);
        for (index, file) in files.iter_mut().enumerate() {
            file.kind = kinds[index];
            file.module = trees.module.get(&index).cloned().unwrap_or_else(|| fallback_module(&cargo, file));
        }
        let observability = observability(&cargo, &files, &binaries);
        let layers: HashSet<String> =
            files.iter().filter(|file| !file.kind.test).flat_map(|file| file.summary.signs.layers.iter().cloned()).collect();
        let calls = calls::CallGraph::build(&cargo, &files);
        let mut hasher = std::hash::DefaultHasher::new();
        for file in &files {
            file.path.hash(&mut hasher);
            file.summary.fingerprint().hash(&mut hasher);
            file.facts.hash(&mut hasher);
            file.kind.hash(&mut hasher);
        }
        input.manifests.hash(&mut hasher);
        ProjectModel { root: input.root, cargo, files, by_path, binaries, observability, layers, calls, digest: hasher.finish() }
    }

    /// A fingerprint of what the rules may read from the model, positions left out: when it
    /// is unchanged, findings that depend on the model still hold.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    pub fn file(&self, path: &Path) -> Option<&ModelFile> {
        self.by_path.get(path).map(|index| &self.files[*index])
    }

    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// What kind of code the file is; a file the model does not know is judged by its
    /// path alone.
    pub fn code_kind(&self, path: &Path) -> CodeKind {
        match self.file(path) {
            Some(file) => file.kind,
            None => CodeKind { server: true, test: crate::rust::FileKind::of(path) == crate::rust::FileKind::Test, ..CodeKind::default() },
        }
    }

    /// The package of a file.
    pub fn package_of(&self, path: &Path) -> Option<&Package> {
        self.file(path).and_then(|file| file.package).map(|index| &self.cargo.packages[index]).or_else(|| self.cargo.package_of(path))
    }

    /// Whether the code of `path` can name `package` (its package depends on it, or the
    /// model knows no manifest for it).
    pub fn may_use(&self, path: &Path, package: &str) -> bool {
        match self.package_of(path) {
            Some(owner) => owner.name == package || owner.dependencies.iter().any(|dependency| dependency.package == package),
            None => true,
        }
    }

    /// The package name that a path's first segment stands for in the file's crate
    /// (`sqlx`, or a renamed dependency's package).
    pub fn package_named(&self, path: &Path, name_in_code: &str) -> Option<String> {
        let package = self.package_of(path)?;
        package.package_of(name_in_code).map(str::to_owned)
    }

    pub fn observability(&self) -> Observability {
        self.observability
    }

    /// Whether a middleware layer of this name (`TraceLayer`, `TracingLogger`,
    /// `TimeoutLayer`…) wraps a router anywhere in the workspace's non-test code.
    pub fn has_layer(&self, name: &str) -> bool {
        self.layers.contains(name)
    }

    /// Whether a middleware layer of this name wraps a router of the binaries that run the
    /// code of `path`: one in its own package, in a package it links, or in one that links
    /// it (a server crate that mounts this crate's handlers).
    pub fn layer_around(&self, path: &Path, name: &str) -> bool {
        let Some(package) = self.package_of(path) else { return self.has_layer(name) };
        let linked = self.linked_packages(path);
        self.files.iter().filter(|file| !file.kind.test && file.summary.signs.layers.iter().any(|layer| layer == name)).any(|file| {
            file.package.is_some_and(|index| {
                linked.contains(&self.cargo.packages[index].folder) || self.linked_packages(&file.path).contains(&package.folder)
            })
        })
    }

    /// The binaries of the package of `path` with their kinds.
    pub fn binaries_of(&self, path: &Path) -> &[(PathBuf, BinaryKind)] {
        match self.file(path).and_then(|file| file.package) {
            Some(index) => &self.binaries[index],
            None => &[],
        }
    }

    /// The folders of the packages the code of `path` links: its own package and the
    /// workspace packages it depends on, directly or not.
    pub fn linked_packages(&self, path: &Path) -> HashSet<PathBuf> {
        let mut linked = HashSet::new();
        let Some(package) = self.package_of(path) else { return linked };
        let mut queue = vec![package.folder.clone()];
        while let Some(folder) = queue.pop() {
            if !linked.insert(folder.clone()) {
                continue;
            }
            if let Some(package) = self.cargo.package_at(&folder) {
                queue.extend(package.local_dependencies().map(Path::to_path_buf));
            }
        }
        linked
    }

    /// Where a function is: its file, the span of its name, and its text.
    pub fn place_of(&self, function: FunctionId) -> (PathBuf, Arc<str>, Span) {
        let file = &self.files[function.file];
        let summary = &file.summary.functions[function.index];
        (file.path.clone(), file.text.clone(), summary.place.0.clone())
    }

    /// The function of `path` whose item holds `offset`, innermost first.
    pub fn function_at(&self, path: &Path, offset: usize) -> Option<FunctionId> {
        let file = self.file_index(path)?;
        self.files[file]
            .summary
            .functions
            .iter()
            .enumerate()
            .filter(|(_, function)| function.item.0.start <= offset && offset < function.item.0.end)
            .min_by_key(|(_, function)| function.item.0.len())
            .map(|(index, _)| FunctionId { file, index })
    }

    pub fn function(&self, function: FunctionId) -> &crate::rust::summary::FunctionSummary {
        &self.files[function.file].summary.functions[function.index]
    }
}

/// The module trees of the crates' targets: for each file reached from a target's root
/// through `mod` declarations, its module path, the targets that reach it, and whether a
/// `#[cfg(test)]` declaration leads there.
#[derive(Default)]
struct ModuleTrees {
    module: HashMap<usize, Vec<String>>,
    /// For each file: the roots (library or binary root files) that reach it.
    reached_from: HashMap<usize, Vec<PathBuf>>,
    test: HashSet<usize>,
}

fn module_trees(cargo: &Cargo, files: &[ModelFile], by_path: &HashMap<PathBuf, usize>) -> ModuleTrees {
    let mut trees = ModuleTrees::default();
    for package in &cargo.packages {
        let crate_name = package.name.replace('-', "_");
        let roots = package.library.iter().chain(package.binaries.iter().map(|binary| &binary.root));
        for root in roots {
            let Some(&root_index) = by_path.get(root) else { continue };
            let mut queue = vec![(root_index, vec![crate_name.clone()], false)];
            let mut seen = HashSet::new();
            while let Some((index, module, test)) = queue.pop() {
                if !seen.insert(index) {
                    continue;
                }
                trees.module.entry(index).or_insert_with(|| module.clone());
                trees.reached_from.entry(index).or_default().push(root.clone());
                if test {
                    trees.test.insert(index);
                }
                let file = &files[index];
                let own_folder = module_folder(&file.path);
                for declaration in &file.summary.modules {
                    let mut candidates = Vec::new();
                    match &declaration.path_attribute {
                        Some(path) => {
                            let base = if declaration.module.is_empty() {
                                file.path.parent().map(Path::to_path_buf).unwrap_or_default()
                            } else {
                                declaration.module.iter().fold(own_folder.clone(), |folder, part| folder.join(part))
                            };
                            candidates.push(crate::openapi::project::normalize(&base.join(path)));
                        }
                        None => {
                            let folder = declaration.module.iter().fold(own_folder.clone(), |folder, part| folder.join(part));
                            candidates.push(folder.join(format!("{}.rs", declaration.name)));
                            candidates.push(folder.join(&declaration.name).join("mod.rs"));
                        }
                    }
                    if let Some(&child) = candidates.iter().find_map(|candidate| by_path.get(candidate)) {
                        let mut child_module = module.clone();
                        child_module.extend(declaration.module.iter().cloned());
                        child_module.push(declaration.name.clone());
                        queue.push((child, child_module, test || declaration.test || file.summary.test_only));
                    }
                }
            }
        }
    }
    trees
}

/// The folder a file's `mod x;` declarations look in: its own for `lib.rs`, `main.rs` and
/// `mod.rs`, else a folder named after it.
fn module_folder(path: &Path) -> PathBuf {
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
    if matches!(stem, "lib" | "main" | "mod") || path.parent().is_some_and(|folder| folder.ends_with("src/bin")) {
        parent
    } else {
        parent.join(stem)
    }
}

/// A module path from the file's place under `src/`, for files no target reaches.
fn fallback_module(cargo: &Cargo, file: &ModelFile) -> Vec<String> {
    let Some(package) = file.package.map(|index| &cargo.packages[index]) else { return Vec::new() };
    let mut module = vec![package.name.replace('-', "_")];
    module.extend(crate::rust::routes::module_path(&package.folder, &file.path));
    module
}

/// Whether a package only supports tests or shows how to use others, by its name, its place
/// or its use: `test-utils`, `*-testing`, mocks and fixtures, benchmarks, `xtask`, a package
/// in another package's `examples/`, or a package that other packages use only as a
/// dev-dependency.
fn is_test_support(cargo: &Cargo, package: &Package) -> bool {
    let name = package.name.to_ascii_lowercase();
    let words: Vec<&str> = name.split(['-', '_']).collect();
    let named = words.iter().any(|word| {
        matches!(
            *word,
            "test"
                | "tests"
                | "testing"
                | "testutils"
                | "testlib"
                | "mock"
                | "mocks"
                | "fixture"
                | "fixtures"
                | "bench"
                | "benches"
                | "benchmark"
                | "benchmarks"
                | "xtask"
                | "e2e"
        )
    }) || name.ends_with("test")
        || name.ends_with("tests");
    // A crate in another's `examples/` shows how to use it: not the project's own service.
    let example = cargo.packages.iter().any(|other| {
        other.folder != package.folder
            && package
                .folder
                .strip_prefix(&other.folder)
                .ok()
                .and_then(|inside| inside.components().next())
                .is_some_and(|first| matches!(first.as_os_str().to_str(), Some("examples" | "example" | "demo" | "demos")))
    });
    named || example || cargo.is_dev_only(package)
}

/// A name that says command-line tool: `cargo-*` subcommands, `*-cli`, `*-tool`, `xtask`.
fn is_tool_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("cargo-") || lower.split(['-', '_']).any(|word| matches!(word, "cli" | "tool" | "tools" | "xtask" | "ctl"))
}

/// Whether the text runs a loop that waits for work: it sleeps, ticks or receives.
pub(crate) fn waits_in_loop(text: &str) -> bool {
    text.contains("loop {")
        && ["sleep(", "interval(", ".recv(", ".tick()", ".next().await", "select!"].iter().any(|sign| text.contains(sign))
}

fn binary_kinds(cargo: &Cargo, files: &[ModelFile], trees: &ModuleTrees) -> Vec<Vec<(PathBuf, BinaryKind)>> {
    // A long-running process: a loop that waits (sleeps, ticks, receives) in its own code.
    let runs_a_loop = |indexes: &[usize]| indexes.iter().any(|index| waits_in_loop(&files[*index].text));
    let files_of = |root: &Path| -> Vec<usize> {
        trees.reached_from.iter().filter(|(_, roots)| roots.iter().any(|reached| reached == root)).map(|(index, _)| *index).collect()
    };
    let serves = |indexes: &[usize]| indexes.iter().any(|index| files[*index].summary.signs.serves);
    let parses = |indexes: &[usize]| indexes.iter().any(|index| files[*index].summary.signs.parses_arguments);
    cargo
        .packages
        .iter()
        .map(|package| {
            let library_files = package.library.as_deref().map(files_of).unwrap_or_default();
            let library_serves = serves(&library_files);
            let library_parses = parses(&library_files) || package.depends_on_any(&ARGUMENT_PARSERS);
            package
                .binaries
                .iter()
                .map(|binary| {
                    let own = files_of(&binary.root);
                    let kind = if is_tool_name(&package.name) || is_tool_name(&binary.name) {
                        BinaryKind::CommandLine
                    } else if (serves(&own) || library_serves) && (parses(&own) || library_parses) {
                        BinaryKind::ServerWithCommandLine
                    } else if serves(&own) || library_serves {
                        BinaryKind::Server
                    } else if parses(&own) || package.depends_on_any(&ARGUMENT_PARSERS) {
                        BinaryKind::CommandLine
                    } else if package.depends_on_any(&SERVER_FRAMEWORKS) {
                        BinaryKind::Server
                    } else if runs_a_loop(&own) {
                        BinaryKind::Service
                    } else {
                        // Neither serving, nor parsing arguments, nor running a loop: a tool.
                        BinaryKind::CommandLine
                    };
                    (binary.root.clone(), kind)
                })
                .collect()
        })
        .collect()
}

fn code_kinds(cargo: &Cargo, files: &[ModelFile], trees: &ModuleTrees, binaries: &[Vec<(PathBuf, BinaryKind)>]) -> Vec<CodeKind> {
    // What runs each package's library: the binaries of the packages that depend on it, and
    // the library itself when it serves.
    let serving_library: Vec<bool> = cargo
        .packages
        .iter()
        .map(|package| {
            package.library.as_deref().is_some_and(|library| {
                trees
                    .reached_from
                    .iter()
                    .any(|(index, roots)| roots.iter().any(|root| root == library) && files[*index].summary.signs.serves)
            })
        })
        .collect();
    let library_kind: Vec<CodeKind> = cargo
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            let mut kind = CodeKind { server: serving_library[index], ..CodeKind::default() };
            let mut users: Vec<&Package> = cargo.dependents(package);
            users.push(package);
            for user in users {
                let Some(user_index) = cargo.packages.iter().position(|candidate| candidate.folder == user.folder) else { continue };
                if serving_library[user_index] {
                    kind.server = true;
                }
                for (_, binary) in &binaries[user_index] {
                    binary.mark(&mut kind);
                }
            }
            // A library no binary of the workspace links is judged as what its own
            // dependencies say it is for.
            if !kind.server && !kind.command_line && !kind.service {
                kind.server = package.depends_on_any(&SERVER_FRAMEWORKS);
                kind.command_line = !kind.server && package.depends_on_any(&ARGUMENT_PARSERS);
            }
            kind
        })
        .collect();
    let test_support: Vec<bool> = cargo.packages.iter().map(|package| is_test_support(cargo, package)).collect();
    files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let Some(package_index) = file.package else {
                return CodeKind {
                    server: true,
                    test: crate::rust::FileKind::of(&file.path) == crate::rust::FileKind::Test,
                    ..CodeKind::default()
                };
            };
            let package = &cargo.packages[package_index];
            let inside = file.path.strip_prefix(&package.folder).unwrap_or(&file.path);
            let first =
                inside.components().next().map(|component| component.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
            if inside == Path::new("build.rs") {
                return CodeKind { build_script: true, ..CodeKind::default() };
            }
            // Cargo compiles only a package's `src/`, `tests/`, `benches/`, `examples/` and
            // `build.rs`: anything else (test data, syntax samples, templates) is not its code,
            // and is judged like tests.
            if !matches!(first.as_str(), "src" | "tests" | "benches" | "examples") {
                return CodeKind { test: true, ..CodeKind::default() };
            }
            let test = test_support[package_index]
                || matches!(first.as_str(), "tests" | "benches" | "examples")
                || trees.test.contains(&index)
                || file.summary.test_only;
            let mut kind = CodeKind { test, ..CodeKind::default() };
            match trees.reached_from.get(&index) {
                Some(roots) => {
                    for root in roots {
                        if package.library.as_deref() == Some(root.as_path()) {
                            let library = library_kind[package_index];
                            kind.server |= library.server;
                            kind.command_line |= library.command_line;
                            kind.service |= library.service;
                        } else if let Some((_, binary)) = binaries[package_index].iter().find(|(binary_root, _)| binary_root == root) {
                            binary.mark(&mut kind);
                        }
                    }
                }
                // Not reached through `mod` declarations: judged as the package's library.
                None => {
                    let library = library_kind[package_index];
                    kind.server = library.server;
                    kind.command_line = library.command_line;
                    kind.service = library.service;
                    for (_, binary) in &binaries[package_index] {
                        binary.mark(&mut kind);
                    }
                }
            }
            kind
        })
        .collect()
}

/// How the project logs: read from the code (a subscriber or logger installed in a file that
/// is not a test), and from the binaries' dependencies when no code says.
fn observability(cargo: &Cargo, files: &[ModelFile], binaries: &[Vec<(PathBuf, BinaryKind)>]) -> Observability {
    let installs = |sign: fn(&crate::rust::summary::Signs) -> bool| files.iter().any(|file| !file.kind.test && sign(&file.summary.signs));
    let mut found =
        Observability { tracing_subscriber: installs(|signs| signs.tracing_subscriber), logger: installs(|signs| signs.logger) };
    if !found.tracing_subscriber && !found.logger {
        for (index, package) in cargo.packages.iter().enumerate().filter(|(index, _)| !binaries[*index].is_empty()) {
            let _ = index;
            let closure = cargo.dependency_closure(package);
            found.tracing_subscriber |= closure.contains("tracing-subscriber");
            found.logger |= LOGGERS.iter().any(|logger| closure.contains(*logger));
        }
    }
    found
}

#[cfg(test)]
mod tests;
