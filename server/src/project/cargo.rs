//! Cargo packages as their manifests and `Cargo.lock` describe them, read as text (cargo is
//! never run): each package's name, folder, targets and dependencies, workspace-inherited
//! dependencies resolved, and the dependency graph of the lock file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How a package depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DependencyKind {
    Normal,
    Dev,
    Build,
}

/// One dependency of a package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dependency {
    /// The name code uses (`-` turned into `_`): the key, or its rename.
    pub name: String,
    /// The package depended on (`package = "…"`, else the key).
    pub package: String,
    pub kind: DependencyKind,
    /// The folder of a path dependency (a package of this workspace).
    pub path: Option<PathBuf>,
}

/// A binary target: its name and root file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Binary {
    pub name: String,
    pub root: PathBuf,
}

/// One package.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Package {
    pub name: String,
    /// The folder of its `Cargo.toml`.
    pub folder: PathBuf,
    /// The root file of its library target, when it has one.
    pub library: Option<PathBuf>,
    pub binaries: Vec<Binary>,
    pub dependencies: Vec<Dependency>,
}

impl Package {
    /// Whether the package depends (normally, not only for tests or builds) on one of
    /// `packages`.
    pub fn depends_on_any(&self, packages: &[&str]) -> bool {
        self.dependencies
            .iter()
            .any(|dependency| dependency.kind == DependencyKind::Normal && packages.contains(&dependency.package.as_str()))
    }

    /// The normal dependencies that are packages of this workspace, by folder.
    pub fn local_dependencies(&self) -> impl Iterator<Item = &Path> {
        self.dependencies
            .iter()
            .filter(|dependency| dependency.kind == DependencyKind::Normal)
            .filter_map(|dependency| dependency.path.as_deref())
    }

    /// The package a name in code stands for (`use sqlx::…` is `sqlx`; a renamed dependency
    /// is its package).
    pub fn package_of(&self, name_in_code: &str) -> Option<&str> {
        self.dependencies.iter().find(|dependency| dependency.name == name_in_code).map(|dependency| dependency.package.as_str())
    }
}

/// `[workspace]` of a root manifest: its member globs and shared dependencies.
#[derive(Debug, Clone, Default)]
struct WorkspaceTable {
    dependencies: HashMap<String, (Option<String>, Option<PathBuf>)>,
}

/// The packages under a folder, and the lock file's dependency graph.
#[derive(Debug, Clone, Default)]
pub struct Cargo {
    pub packages: Vec<Package>,
    /// For each package of the lock file, by name: the names of its dependencies.
    lock: BTreeMap<String, Vec<String>>,
}

impl Cargo {
    /// Reads the manifests (`Cargo.toml` texts, by folder) and the lock file; `rust_files`
    /// are the Rust files there are, for the targets Cargo finds by convention
    /// (`src/main.rs`, `src/bin/*.rs`, `src/lib.rs`). A manifest that does not parse is left
    /// out.
    pub fn read(manifests: &[(PathBuf, String)], lock: Option<&str>, rust_files: &HashSet<PathBuf>) -> Cargo {
        let parsed: Vec<(PathBuf, toml::Table)> =
            manifests.iter().filter_map(|(folder, text)| Some((folder.clone(), text.parse::<toml::Table>().ok()?))).collect();
        // Workspace tables, by folder, so that a member finds the nearest one above it.
        let workspaces: Vec<(PathBuf, WorkspaceTable)> = parsed
            .iter()
            .filter_map(|(folder, table)| Some((folder.clone(), workspace_table(folder, table.get("workspace")?.as_table()?))))
            .collect();
        let mut packages = Vec::new();
        for (folder, table) in &parsed {
            let Some(package) = table.get("package").and_then(|package| package.as_table()) else { continue };
            let Some(name) = package.get("name").and_then(|name| name.as_str()) else { continue };
            let workspace = workspaces
                .iter()
                .filter(|(root, _)| folder.starts_with(root))
                .max_by_key(|(root, _)| root.components().count())
                .map(|(_, workspace)| workspace);
            packages.push(read_package(folder, name, package, table, workspace, rust_files));
        }
        packages.sort_by(|left, right| left.folder.cmp(&right.folder));
        Cargo { packages, lock: lock.map(read_lock).unwrap_or_default() }
    }

    /// The package whose folder holds `path` (the nearest).
    pub fn package_of(&self, path: &Path) -> Option<&Package> {
        self.packages.iter().filter(|package| path.starts_with(&package.folder)).max_by_key(|package| package.folder.components().count())
    }

    pub fn package_at(&self, folder: &Path) -> Option<&Package> {
        self.packages.iter().find(|package| package.folder == folder)
    }

    /// Every package the lock file says `package` depends on, directly or not, itself
    /// included. Without a lock file, its own manifest's dependencies.
    pub fn dependency_closure(&self, package: &Package) -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: Vec<String> = vec![package.name.clone()];
        if self.lock.is_empty() {
            seen.insert(package.name.clone());
            seen.extend(
                package
                    .dependencies
                    .iter()
                    .filter(|dependency| dependency.kind == DependencyKind::Normal)
                    .map(|dependency| dependency.package.clone()),
            );
            return seen;
        }
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(dependencies) = self.lock.get(&name) {
                queue.extend(dependencies.iter().filter(|dependency| !seen.contains(*dependency)).cloned());
            }
        }
        seen
    }

    /// The packages of this workspace that depend on `package` (normally), directly or not.
    pub fn dependents(&self, package: &Package) -> Vec<&Package> {
        let mut found: Vec<&Package> = Vec::new();
        let mut queue = vec![package.folder.clone()];
        let mut seen: HashSet<PathBuf> = HashSet::new();
        while let Some(folder) = queue.pop() {
            for other in &self.packages {
                if other.local_dependencies().any(|dependency| dependency == folder) && seen.insert(other.folder.clone()) {
                    found.push(other);
                    queue.push(other.folder.clone());
                }
            }
        }
        found
    }

    /// Whether some package of the workspace uses `package` only as a dev-dependency, and
    /// none as a normal one.
    pub fn is_dev_only(&self, package: &Package) -> bool {
        let uses = |kind: DependencyKind| {
            self.packages.iter().any(|other| {
                other
                    .dependencies
                    .iter()
                    .any(|dependency| dependency.kind == kind && dependency.path.as_deref() == Some(package.folder.as_path()))
            })
        };
        uses(DependencyKind::Dev) && !uses(DependencyKind::Normal)
    }
}

fn workspace_table(folder: &Path, workspace: &toml::Table) -> WorkspaceTable {
    let mut table = WorkspaceTable::default();
    if let Some(dependencies) = workspace.get("dependencies").and_then(|dependencies| dependencies.as_table()) {
        for (key, value) in dependencies {
            let package = value.get("package").and_then(|package| package.as_str()).map(str::to_owned);
            let path = value.get("path").and_then(|path| path.as_str()).map(|path| crate::openapi::project::normalize(&folder.join(path)));
            table.dependencies.insert(key.clone(), (package, path));
        }
    }
    table
}

fn read_package(
    folder: &Path,
    name: &str,
    package: &toml::Table,
    manifest: &toml::Table,
    workspace: Option<&WorkspaceTable>,
    rust_files: &HashSet<PathBuf>,
) -> Package {
    let mut dependencies = Vec::new();
    let mut read_table = |table: &toml::Table, kind: DependencyKind| {
        for (key, value) in table {
            let inherited = value.get("workspace").and_then(|inherited| inherited.as_bool()) == Some(true);
            let (mut package_name, mut path) = (
                value.get("package").and_then(|package| package.as_str()).map(str::to_owned),
                value.get("path").and_then(|path| path.as_str()).map(|path| crate::openapi::project::normalize(&folder.join(path))),
            );
            if inherited && let Some((shared_package, shared_path)) = workspace.and_then(|workspace| workspace.dependencies.get(key)) {
                package_name = package_name.or(shared_package.clone());
                path = path.or(shared_path.clone());
            }
            dependencies.push(Dependency { name: key.replace('-', "_"), package: package_name.unwrap_or_else(|| key.clone()), kind, path });
        }
    };
    for (section, kind) in
        [("dependencies", DependencyKind::Normal), ("dev-dependencies", DependencyKind::Dev), ("build-dependencies", DependencyKind::Build)]
    {
        if let Some(table) = manifest.get(section).and_then(|table| table.as_table()) {
            read_table(table, kind);
        }
        // `[target.'cfg(unix)'.dependencies]`.
        for target in manifest.get("target").and_then(|targets| targets.as_table()).into_iter().flat_map(|targets| targets.values()) {
            if let Some(table) = target.get(section).and_then(|table| table.as_table()) {
                read_table(table, kind);
            }
        }
    }
    let library = match manifest.get("lib").and_then(|lib| lib.get("path")).and_then(|path| path.as_str()) {
        Some(path) => Some(folder.join(path)),
        None => Some(folder.join("src/lib.rs")).filter(|root| rust_files.contains(root)),
    };
    let mut binaries: Vec<Binary> = Vec::new();
    for bin in manifest.get("bin").and_then(|bins| bins.as_array()).into_iter().flatten() {
        let bin_name = bin.get("name").and_then(|name| name.as_str()).unwrap_or(name).to_owned();
        let root = match bin.get("path").and_then(|path| path.as_str()) {
            Some(path) => folder.join(path),
            None if bin_name == name => folder.join("src/main.rs"),
            None => {
                let file = folder.join("src/bin").join(format!("{bin_name}.rs"));
                if rust_files.contains(&file) { file } else { folder.join("src/bin").join(&bin_name).join("main.rs") }
            }
        };
        binaries.push(Binary { name: bin_name, root });
    }
    let autobins = package.get("autobins").and_then(|autobins| autobins.as_bool()).unwrap_or(true);
    if autobins {
        let main = folder.join("src/main.rs");
        if rust_files.contains(&main) && !binaries.iter().any(|binary| binary.root == main) {
            binaries.push(Binary { name: name.to_owned(), root: main });
        }
        let bin_folder = folder.join("src/bin");
        for file in rust_files.iter().filter(|file| file.starts_with(&bin_folder)) {
            let Ok(inside) = file.strip_prefix(&bin_folder) else { continue };
            let parts: Vec<&std::ffi::OsStr> = inside.iter().collect();
            let stem = match parts.as_slice() {
                [single] => Path::new(single).file_stem().and_then(|stem| stem.to_str()),
                [folder_name, main] if *main == "main.rs" => folder_name.to_str(),
                _ => None,
            };
            if let Some(stem) = stem
                && !binaries.iter().any(|binary| &binary.root == file)
            {
                binaries.push(Binary { name: stem.to_owned(), root: file.clone() });
            }
        }
    }
    binaries.sort_by(|left, right| left.root.cmp(&right.root));
    Package { name: name.to_owned(), folder: folder.to_path_buf(), library, binaries, dependencies }
}

/// The lock file's packages and their dependencies (`"name"` or `"name version"`).
fn read_lock(text: &str) -> BTreeMap<String, Vec<String>> {
    let Ok(table) = text.parse::<toml::Table>() else { return BTreeMap::new() };
    let mut lock: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in table.get("package").and_then(|packages| packages.as_array()).into_iter().flatten() {
        let Some(name) = package.get("name").and_then(|name| name.as_str()) else { continue };
        let dependencies = package
            .get("dependencies")
            .and_then(|dependencies| dependencies.as_array())
            .into_iter()
            .flatten()
            .filter_map(|dependency| dependency.as_str())
            .map(|dependency| dependency.split_whitespace().next().unwrap_or(dependency).to_owned());
        lock.entry(name.to_owned()).or_default().extend(dependencies);
    }
    lock
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_packages_inherited_dependencies_and_the_lock() {
        let root = PathBuf::from("/w");
        let manifests = vec![
            (
                root.clone(),
                r#"
[workspace]
members = ["crates/*"]
[workspace.dependencies]
api = { path = "crates/api" }
axum = "0.8"
"#
                .to_owned(),
            ),
            (
                root.join("crates/api"),
                r#"
[package]
name = "api"
[dependencies]
axum.workspace = true
db-layer = { package = "storage", version = "1" }
[dev-dependencies]
mockall = "0.13"
"#
                .to_owned(),
            ),
            (root.join("crates/server"), "[package]\nname = \"server\"\n[dependencies]\napi = { workspace = true }\n".to_owned()),
            (root.join("broken"), "[package\nname=".to_owned()),
        ];
        let lock = r#"
[[package]]
name = "api"
dependencies = ["axum", "storage 1.0.0"]
[[package]]
name = "axum"
dependencies = ["tower"]
[[package]]
name = "server"
dependencies = ["api"]
"#;
        let files: HashSet<PathBuf> = [root.join("crates/api/src/lib.rs"), root.join("crates/server/src/main.rs")].into();
        let cargo = Cargo::read(&manifests, Some(lock), &files);
        assert_eq!(cargo.package_at(&root.join("crates/server")).unwrap().binaries[0].root, root.join("crates/server/src/main.rs"));
        assert_eq!(cargo.packages.len(), 2);
        let api = cargo.package_at(&root.join("crates/api")).unwrap();
        assert!(api.depends_on_any(&["axum"]) && !api.depends_on_any(&["mockall"]));
        assert_eq!(api.package_of("db_layer"), Some("storage"));
        let server = cargo.package_at(&root.join("crates/server")).unwrap();
        assert_eq!(server.local_dependencies().collect::<Vec<_>>(), [root.join("crates/api").as_path()]);
        let closure = cargo.dependency_closure(server);
        assert!(closure.contains("tower") && closure.contains("storage"));
        assert_eq!(cargo.dependents(api).iter().map(|package| package.name.as_str()).collect::<Vec<_>>(), ["server"]);
        assert_eq!(cargo.package_of(&root.join("crates/api/src/lib.rs")).map(|package| package.name.as_str()), Some("api"));
    }
}
