//! Services: a Rust crate that serves routes, paired with the OpenAPI documents that describe
//! them, for spec/code drift (ARC002, ARC003, ARC004).
//!
//! Pairing: `[[services]]` in `archlens.toml` when it names the crate or the document; else
//! the documents inside the crate's folder (nested crates and build output excepted); else,
//! in a workspace of one crate, the documents outside any crate.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::openapi::model::ApiModel;
use crate::openapi::project::{FileSource, Project};
use crate::openapi::syntax::{Entry, Format, Node, Span, Value};
use crate::rust::routes::{self, RouteTable};

/// At most this many files and folders are looked at when a workspace is scanned for crates
/// and documents.
const MAX_SCAN_ENTRIES: usize = 50_000;

/// The crates and OpenAPI documents of a workspace.
#[derive(Debug, Default)]
pub struct Scan {
    pub crates: Vec<PathBuf>,
    pub documents: Vec<PathBuf>,
}

impl Scan {
    pub fn of(root: &Path) -> Scan {
        let mut scan = Scan::default();
        let mut declared = super::DeclaredDocuments::default();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|entry| !(entry.file_name() == "target" && entry.path().join("CACHEDIR.TAG").is_file()))
            .build();
        for entry in walker.flatten().take(MAX_SCAN_ENTRIES) {
            let path = entry.path();
            if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                continue;
            }
            if entry.file_name() == "Cargo.toml" {
                if let Some(folder) = path.parent().filter(|folder| folder.join("src").is_dir()) {
                    scan.crates.push(folder.to_path_buf());
                }
            } else if Format::from_path(path).is_some() && (super::sniff_file(path) || declared.contains(path)) {
                scan.documents.push(path.to_path_buf());
            }
        }
        scan.crates.sort();
        scan.documents.sort();
        scan
    }

    /// The crate whose folder holds `path`, nested crates first.
    fn crate_holding(&self, path: &Path) -> Option<&PathBuf> {
        self.crates.iter().filter(|folder| path.starts_with(folder)).max_by_key(|folder| folder.components().count())
    }

    /// The documents that describe the crate at `crate_root`.
    pub fn documents_for(&self, crate_root: &Path, config: &Config) -> Vec<PathBuf> {
        if let Some(service) = config.services.iter().find(|service| service.crate_folder == crate_root) {
            return service.openapi.clone();
        }
        let configured = |document: &PathBuf| config.services.iter().any(|service| service.openapi.contains(document));
        let inside: Vec<PathBuf> = self
            .documents
            .iter()
            .filter(|document| !configured(document) && self.crate_holding(document).is_some_and(|holder| holder == crate_root))
            .cloned()
            .collect();
        if !inside.is_empty() || self.crates.len() != 1 {
            return inside;
        }
        self.documents.iter().filter(|document| !configured(document) && self.crate_holding(document).is_none()).cloned().collect()
    }

    /// The crate a document describes.
    pub fn crate_for(&self, document: &Path, config: &Config) -> Option<PathBuf> {
        if let Some(service) = config.services.iter().find(|service| service.openapi.iter().any(|path| path == document)) {
            return Some(service.crate_folder.clone());
        }
        match self.crate_holding(document) {
            Some(holder) => Some(holder.clone()),
            None if self.crates.len() == 1 => Some(self.crates[0].clone()),
            None => None,
        }
        .filter(|root| self.documents_for(root, config).iter().any(|path| path == document))
    }
}

/// One operation of a document, as the comparison with routes needs it.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    pub method: String,
    pub path: String,
    pub normalized: String,
    /// `x-archlens-internal: true` on the operation or its path item.
    pub internal: bool,
}

/// Where new members of a mapping go: the mapping's file and its entries (values reduced to
/// their ranges), enough for [`crate::openapi::edit::insert_member`].
#[derive(Debug, Clone)]
pub struct Anchor {
    pub file: PathBuf,
    pub text: Arc<str>,
    pub format: Format,
    pub node: Node,
}

impl Anchor {
    fn of(project: &Project, file: usize, node: &Node) -> Anchor {
        let entries = node
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|entry| Entry {
                key: entry.key.clone(),
                key_span: entry.key_span.clone(),
                value: Node { span: entry.value.span.clone(), value: Value::Null },
            })
            .collect();
        let source = project.file(file);
        Anchor {
            file: source.path.clone(),
            text: source.text.clone(),
            format: source.parsed.format,
            node: Node { span: node.span.clone(), value: Value::Map(entries) },
        }
    }
}

/// What the route comparison needs of a document: its operations and server base paths, and
/// where an operation would be added.
#[derive(Debug)]
pub struct SpecSummary {
    pub document: PathBuf,
    pub text: Arc<str>,
    /// The `paths` key (else the first key): where related information points.
    pub span: Span,
    /// The path parts of the server URLs (`/v1`), and "" for none.
    pub bases: Vec<String>,
    pub operations: Vec<SpecOperation>,
    /// Each path item (normalized path, as written, its mapping).
    pub path_items: Vec<(String, String, Anchor)>,
    /// The `paths` mapping; or the document's mapping when it has none.
    pub paths: Option<(Anchor, bool)>,
    /// The texts it was read from: (path, hash).
    files: Vec<(PathBuf, u64)>,
    /// The source's generation when it was read.
    pub generation: u64,
}

fn hash_text(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl SpecSummary {
    pub fn of(project: &Project, model: &ApiModel<'_>) -> SpecSummary {
        let root = project.file(project.root);
        let document = &model.document;
        let paths_entry = document.node.as_map().and_then(|entries| entries.iter().find(|entry| entry.key == "paths"));
        let span = paths_entry
            .map(|entry| entry.key_span.clone())
            .or_else(|| document.node.as_map().and_then(|entries| entries.first()).map(|entry| entry.key_span.clone()))
            .unwrap_or(0..0);
        let mut bases: Vec<String> =
            model.servers.iter().filter_map(|server| server.child("url")).filter_map(|url| url.node.as_str().map(base_path)).collect();
        bases.push(String::new());
        bases.sort();
        bases.dedup();
        let internal = |node: &Node| node.get("x-archlens-internal").is_some_and(|value| matches!(value.value, Value::Bool(true)));
        let mut operations = Vec::new();
        let mut path_items = Vec::new();
        for item in &model.paths {
            let normalized = routes::normalize(&item.path);
            path_items.push((normalized.clone(), item.path.clone(), Anchor::of(project, item.item.file, item.item.node)));
            for operation in &item.operations {
                operations.push(SpecOperation {
                    method: operation.method.to_ascii_uppercase(),
                    path: item.path.clone(),
                    normalized: normalized.clone(),
                    internal: internal(item.item.node) || internal(operation.at.node),
                });
            }
        }
        let paths = match paths_entry {
            Some(entry) if entry.value.as_map().is_some() => Some((Anchor::of(project, document.file, &entry.value), true)),
            Some(_) => None,
            None => Some((Anchor::of(project, document.file, document.node), false)),
        };
        SpecSummary {
            document: root.path.clone(),
            text: root.text.clone(),
            span,
            bases,
            operations,
            path_items,
            paths,
            files: project.files.iter().map(|file| (file.path.clone(), hash_text(&file.text))).collect(),
            generation: 0,
        }
    }

    /// Whether the texts it was read from are still those `source` gives.
    /// Files not open in the editor are taken as unchanged while the generation is.
    fn is_fresh(&self, source: &dyn FileSource) -> bool {
        let open = source.open_files();
        let same_generation = self.generation == source.generation();
        self.files.iter().all(|(path, hash)| match open.iter().find(|(open_path, _)| open_path == path) {
            Some((_, text)) => hash_text(text) == *hash,
            None => same_generation,
        })
    }

    /// What the comparison depends on, and the texts (for the fix that adds an operation).
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        self.document.hash(&mut hasher);
        self.files.hash(&mut hasher);
        hasher.finish()
    }

    /// The methods of `methods` (empty: any) at `route` (normalized) that no operation
    /// describes; for a route of any method, `["*"]` when no operation has the path.
    pub fn undescribed(&self, methods: &[String], route: &str) -> Vec<String> {
        let at_path: Vec<&SpecOperation> = self
            .operations
            .iter()
            .filter(|operation| {
                self.bases.iter().any(|base| routes::path_matches(route, &routes::normalize(&routes::join(base, &operation.path))))
            })
            .collect();
        if methods.is_empty() {
            return if at_path.is_empty() { vec!["*".to_owned()] } else { Vec::new() };
        }
        methods.iter().filter(|method| !at_path.iter().any(|operation| &operation.method == *method)).cloned().collect()
    }

    /// The path item a route would belong to (same path under one of the bases), and the path
    /// as the document would write it (the base taken off).
    pub fn place_for(&self, route: &str) -> (Option<&Anchor>, String) {
        let normalized = routes::normalize(route);
        for base in self.bases.iter().filter(|base| !base.is_empty()) {
            if let Some(rest) = route.strip_prefix(base.as_str()).filter(|rest| rest.is_empty() || rest.starts_with('/')) {
                let rest_normalized = routes::normalize(rest);
                let item = self.path_items.iter().find(|(path, _, _)| *path == rest_normalized).map(|(_, _, anchor)| anchor);
                return (item, routes::openapi_path(rest));
            }
        }
        let item = self.path_items.iter().find(|(path, _, _)| *path == normalized).map(|(_, _, anchor)| anchor);
        (item, routes::openapi_path(route))
    }
}

/// The path part of a server URL: `https://api.example.com/v1/` is `/v1`.
pub fn base_path(url: &str) -> String {
    let rest = match url.find("://") {
        Some(at) => url[at + 3..].find('/').map_or("", |slash| &url[at + 3 + slash..]),
        None => url,
    };
    rest.trim_end_matches('/').to_owned()
}

/// What the routes of a crate are, for the documents that describe it.
#[derive(Debug)]
pub struct ServiceRoutes {
    pub crate_root: PathBuf,
    pub table: RouteTable,
    /// The files of the table, with their text.
    pub files: Vec<(PathBuf, Arc<str>)>,
}

impl ServiceRoutes {
    /// Whether some route serves `method` at `path` (as the document writes it, under one of
    /// `bases`). HEAD is served with GET; OPTIONS wherever the path is.
    pub fn serves(&self, method: &str, path: &str, bases: &[String]) -> bool {
        self.table.served.iter().any(|route| {
            let method_ok = route.methods.is_empty()
                || route.methods.iter().any(|served| served == method)
                || (method == "HEAD" && route.methods.iter().any(|served| served == "GET"))
                || method == "OPTIONS";
            method_ok
                && bases
                    .iter()
                    .any(|base| routes::path_matches(&routes::normalize(&route.path), &routes::normalize(&routes::join(base, path))))
        })
    }
}

/// Builds the route table of the crate at `root` from the facts of its files (open buffers
/// over the disk), with the text of each file that routes.
pub fn service_routes(root: &Path, source: &dyn FileSource) -> ServiceRoutes {
    let facts = match source.crate_index() {
        Some(index) => index.facts_of_crate(root, source, None),
        None => super::crates::CrateIndex::default().facts_of_crate(root, source, None),
    };
    let (table, paths) = facts.route_table(None);
    let files = paths.into_iter().map(|path| {
        let text = source.read(&path).unwrap_or_else(|_| Arc::from(""));
        (path, text)
    });
    ServiceRoutes { crate_root: root.to_path_buf(), table, files: files.collect() }
}

/// The summaries of the documents that describe the crate at `root`, from `cache` while the
/// texts they were read from are unchanged.
pub fn specs_for_crate(
    root: &Path,
    documents: &[PathBuf],
    source: &dyn FileSource,
    cache: &std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<SpecSummary>>>,
) -> Vec<Arc<SpecSummary>> {
    let workspace_root = super::workspace_root_for(root);
    let mut found = Vec::new();
    for document in documents {
        let cached = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(document).cloned();
        if let Some(summary) = cached.filter(|summary| summary.is_fresh(source)) {
            found.push(summary);
            continue;
        }
        let Ok(project) = Project::load(document, &workspace_root, source) else { continue };
        let summary = ApiModel::build(&project).map(|model| {
            let mut summary = SpecSummary::of(&project, &model);
            summary.generation = source.generation();
            Arc::new(summary)
        });
        source.recycle(project.files);
        if let Some(summary) = summary {
            cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(document.clone(), summary.clone());
            found.push(summary);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_give_base_paths() {
        assert_eq!(base_path("https://api.example.com/v1/"), "/v1");
        assert_eq!(base_path("https://api.example.com"), "");
        assert_eq!(base_path("/api"), "/api");
        assert_eq!(base_path("http://{host}:8080/v2"), "/v2");
    }
}
