//! One OpenAPI document and every file it reaches through `$ref`, parsed, with each reference
//! resolved or explained.
//!
//! Loading is the only step that reads files, through [`FileSource`]; everything after it
//! is pure. References are followed only to files under the workspace root and never over
//! the network.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::pointer::{JsonPointer, KeyIndex, Located, Step, locate_with, walk};
use super::syntax::{self, Format, Node, ParsedFile, Span};

/// How many files one document may pull in through `$ref`.
pub const MAX_FILES: usize = 10_000;
/// How many `$ref` hops one resolution follows before it calls the chain a cycle.
const MAX_REF_HOPS: usize = 64;

pub type FileId = usize;

/// Reads files for the loader: the disk for `archlens check`, open editor buffers over the disk
/// for the language server.
pub trait FileSource: Sync {
    fn read(&self, path: &Path) -> Result<Arc<str>, String>;

    /// Parses a file read from this source; a source that keeps earlier parses may re-parse
    /// only what changed.
    fn parse(&self, _path: &Path, text: &Arc<str>, format: Format) -> ParsedFile {
        syntax::parse(text, format)
    }

    /// Takes back the files of a finished check, for the next [`FileSource::parse`].
    fn recycle(&self, _files: Vec<SourceFile>) {}

    /// Takes what the last check of a Rust file left, for an incremental check.
    fn take_rust_state(&self, _path: &Path) -> Option<crate::analysis::rust_source::incremental::RustState> {
        None
    }

    /// Keeps what a check of a Rust file leaves, for the next.
    fn keep_rust_state(&self, _path: &Path, _state: crate::analysis::rust_source::incremental::RustState) {}

    /// What the crates of the files read here say to each other, kept between checks; `None`
    /// gathers it afresh for each check.
    fn crate_index(&self) -> Option<&crate::workspace::crates::CrateIndex> {
        None
    }

    /// The project models of the workspaces read here, kept between checks; `None` builds
    /// them afresh for each check.
    fn model_cache(&self) -> Option<&crate::workspace::model::ModelCache> {
        None
    }

    /// What the last check of an open Rust file found it says to its project, when that check
    /// read this text.
    fn rust_said(&self, _path: &Path, _text: &str) -> Option<crate::rust::Said> {
        None
    }

    /// The files whose text here differs from the disk: the editor's open buffers.
    fn open_files(&self) -> Vec<(PathBuf, Arc<str>)> {
        Vec::new()
    }

    /// Changes whenever files on disk may have changed, so that what was read from them is
    /// read again.
    fn generation(&self) -> u64 {
        0
    }
}

#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub parsed: ParsedFile,
}

impl SourceFile {
    pub fn root(&self) -> Option<&Node> {
        self.parsed.root.as_ref()
    }
}

/// One `$ref` in a file, and where it leads.
#[derive(Debug, Clone)]
pub struct RefSite {
    pub file: FileId,
    /// The range of the reference string.
    pub span: Span,
    /// The pointer of the object that holds `$ref`.
    pub pointer: JsonPointer,
    pub reference: String,
    pub target: RefTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RefTarget {
    Resolved {
        file: FileId,
        pointer: JsonPointer,
    },
    /// The target does not exist or may not be read; the text says why.
    Broken(String),
    /// An `http(s)://` reference: not fetched.
    Remote,
}

/// A node reached by following references, with where it lives.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'p> {
    pub file: FileId,
    pub node: &'p Node,
}

#[derive(Debug)]
pub enum ResolveError {
    Broken(String),
    Cycle,
    Remote,
}

#[derive(Debug)]
pub struct Project {
    pub files: Vec<SourceFile>,
    /// The document the project was loaded from.
    pub root: FileId,
    pub workspace_root: PathBuf,
    pub refs: Vec<RefSite>,
    /// For each file other than the root, the first reference that brought it in.
    pub included_by: HashMap<FileId, usize>,
    by_path: HashMap<PathBuf, FileId>,
    ref_index: HashMap<(FileId, JsonPointer), usize>,
    key_index: KeyIndex,
}

impl Project {
    /// Loads `root_path` and, transitively, every file it references under `workspace_root`.
    pub fn load(root_path: &Path, workspace_root: &Path, source: &dyn FileSource) -> Result<Project, String> {
        let root_path = normalize(root_path);
        let text = source.read(&root_path)?;
        let mut project = Project {
            files: Vec::new(),
            root: 0,
            workspace_root: normalize(workspace_root),
            refs: Vec::new(),
            included_by: HashMap::new(),
            by_path: HashMap::new(),
            ref_index: HashMap::new(),
            key_index: KeyIndex::default(),
        };
        let root = project.add_file(root_path, text, source);
        project.root = root;
        let mut queue = VecDeque::from([root]);
        let mut failed_reads: HashMap<PathBuf, String> = HashMap::new();
        while let Some(file) = queue.pop_front() {
            let started = std::time::Instant::now();
            let mut sites = Vec::new();
            if let Some(node) = project.files[file].root() {
                // Where `$ref` occurs in the text: subtrees without one are not walked. YAML merge
                // keys bring in entries from elsewhere in the text, so their files are walked whole.
                let text = &project.files[file].text;
                let marks: Vec<usize> = text.match_indices("$ref").map(|(index, _)| index).collect();
                let merges = project.files[file].parsed.format == Format::Yaml && text.contains("<<");
                if !marks.is_empty() {
                    collect_refs(node, &JsonPointer::root(), false, (!merges).then_some(marks.as_slice()), &mut sites);
                }
            }
            tracing::trace!(file, sites = sites.len(), elapsed = ?started.elapsed(), "references found");
            for (pointer, reference, span) in sites {
                let target = project.target_of(file, &reference, source, &mut queue, &mut failed_reads);
                let index = project.refs.len();
                if let RefTarget::Resolved { file: target_file, .. } = target
                    && target_file != project.root
                {
                    project.included_by.entry(target_file).or_insert(index);
                }
                project.ref_index.insert((file, pointer.clone()), index);
                project.refs.push(RefSite { file, span, pointer, reference, target });
            }
        }
        Ok(project)
    }

    /// Follows a pointer in a file without resolving `$ref`s.
    pub fn locate(&self, file: FileId, pointer: &JsonPointer) -> Option<Located<'_>> {
        self.locate_in(self.files.get(file)?.root()?, pointer)
    }

    fn locate_in<'p>(&self, root: &'p Node, pointer: &JsonPointer) -> Option<Located<'p>> {
        locate_with(&self.key_index, root, pointer)
    }

    pub fn key_index(&self) -> &KeyIndex {
        &self.key_index
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn root_node(&self) -> Option<&Node> {
        self.files[self.root].root()
    }

    /// Follows `$ref` chains from `node` (in `file`) to the node they name.
    pub fn resolve<'p>(&'p self, file: FileId, node: &'p Node, pointer: &JsonPointer) -> Result<Resolved<'p>, ResolveError> {
        let mut current = Resolved { file, node };
        let mut current_pointer = pointer.clone();
        let mut seen = HashSet::new();
        for _ in 0..MAX_REF_HOPS {
            if current.node.reference().is_none() {
                return Ok(current);
            }
            if !seen.insert((current.file, current_pointer.clone())) {
                return Err(ResolveError::Cycle);
            }
            let Some(&index) = self.ref_index.get(&(current.file, current_pointer.clone())) else {
                return Err(ResolveError::Broken("the reference was not indexed".into()));
            };
            match &self.refs[index].target {
                RefTarget::Resolved { file, pointer } => {
                    let root = self.files[*file].root().ok_or_else(|| ResolveError::Broken("the file is empty".into()))?;
                    let located = self.locate_in(root, pointer).ok_or_else(|| ResolveError::Broken("missing target".into()))?;
                    current = Resolved { file: *file, node: located.node };
                    current_pointer = pointer.clone();
                }
                RefTarget::Broken(reason) => return Err(ResolveError::Broken(reason.clone())),
                RefTarget::Remote => return Err(ResolveError::Remote),
            }
        }
        Err(ResolveError::Cycle)
    }

    /// True when following `$ref`s from the reference object at `pointer` comes back to it.
    pub fn is_in_ref_cycle(&self, file: FileId, pointer: &JsonPointer) -> bool {
        let start = (file, pointer.clone());
        let mut current = start.clone();
        let mut seen = HashSet::new();
        while seen.insert(current.clone()) {
            let Some(&index) = self.ref_index.get(&current) else {
                return false;
            };
            let RefTarget::Resolved { file, pointer } = &self.refs[index].target else {
                return false;
            };
            current = (*file, pointer.clone());
            if current == start {
                return true;
            }
        }
        false
    }

    /// The pointer of a resolved node: where the last `$ref` of the chain landed.
    pub fn resolved_pointer(&self, file: FileId, node: &Node, pointer: &JsonPointer) -> (FileId, JsonPointer) {
        let mut current_file = file;
        let mut current_pointer = pointer.clone();
        let mut current_node = node;
        for _ in 0..MAX_REF_HOPS {
            if current_node.reference().is_none() {
                break;
            }
            let Some(&index) = self.ref_index.get(&(current_file, current_pointer.clone())) else {
                break;
            };
            let RefTarget::Resolved { file, pointer } = &self.refs[index].target else {
                break;
            };
            let Some(located) = self.locate(*file, pointer) else {
                break;
            };
            current_file = *file;
            current_pointer = pointer.clone();
            current_node = located.node;
        }
        (current_file, current_pointer)
    }

    fn add_file(&mut self, path: PathBuf, text: Arc<str>, source: &dyn FileSource) -> FileId {
        let format = Format::from_path(&path).unwrap_or_else(|| guess_format(&text));
        let started = std::time::Instant::now();
        let parsed = source.parse(&path, &text, format);
        tracing::debug!(path = %path.display(), elapsed = ?started.elapsed(), "file parsed");
        let id = self.files.len();
        self.by_path.insert(path.clone(), id);
        self.files.push(SourceFile { path, text, parsed });
        // The roots of earlier files may have moved with the list.
        self.key_index.clear();
        id
    }

    fn target_of(
        &mut self,
        from: FileId,
        reference: &str,
        source: &dyn FileSource,
        queue: &mut VecDeque<FileId>,
        failed_reads: &mut HashMap<PathBuf, String>,
    ) -> RefTarget {
        let (location, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = JsonPointer::parse(&percent_decode(fragment));
        if location.is_empty() {
            return self.check_pointer(from, pointer);
        }
        if location.contains("://") {
            return if location.starts_with("http://") || location.starts_with("https://") {
                RefTarget::Remote
            } else {
                RefTarget::Broken(format!("`{location}` is not a relative file reference"))
            };
        }
        let base = self.files[from].path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let path = normalize(&base.join(percent_decode(location)));
        if !path.starts_with(&self.workspace_root) {
            return RefTarget::Broken(format!("`{location}` is outside the workspace root; it is not read"));
        }
        if let Some(&file) = self.by_path.get(&path) {
            return self.check_pointer(file, pointer);
        }
        if let Some(reason) = failed_reads.get(&path) {
            return RefTarget::Broken(reason.clone());
        }
        if self.files.len() >= MAX_FILES {
            return RefTarget::Broken(format!("more than {MAX_FILES} files are referenced; the rest are not read"));
        }
        match source.read(&path) {
            Ok(text) => {
                let file = self.add_file(path, text, source);
                queue.push_back(file);
                self.check_pointer(file, pointer)
            }
            Err(error) => {
                let reason = format!("`{location}` cannot be read: {error}");
                failed_reads.insert(path, reason.clone());
                RefTarget::Broken(reason)
            }
        }
    }

    fn check_pointer(&self, file: FileId, pointer: JsonPointer) -> RefTarget {
        let file_data = &self.files[file];
        let Some(root) = file_data.root() else {
            // A file that does not parse is reported by the syntax check; do not pile on.
            return RefTarget::Resolved { file, pointer };
        };
        if self.locate_in(root, &pointer).is_some() {
            RefTarget::Resolved { file, pointer }
        } else {
            let name = file_data.path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            RefTarget::Broken(format!("there is no `{pointer}` in `{name}`"))
        }
    }
}

/// JSON when the first non-blank character opens an object or array, YAML otherwise.
pub fn guess_format(text: &str) -> Format {
    match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
        Some('{' | '[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// Keys whose values are literal data (examples, defaults, extensions): `$ref` inside them is
/// not a reference. Under maps of names (`properties`, `responses`, …) every key is a name.
fn is_literal_key(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "responses"
            | "examples"
            | "$defs"
            | "definitions"
            | "schemas"
            | "parameters"
            | "headers"
            | "securitySchemes"
            | "requestBodies"
            | "links"
            | "callbacks"
            | "pathItems"
            | "content"
            | "encoding"
            | "paths"
            | "webhooks"
            | "dependentSchemas"
    )
}

fn collect_refs(node: &Node, pointer: &JsonPointer, names: bool, marks: Option<&[usize]>, out: &mut Vec<(JsonPointer, String, Span)>) {
    // A `$ref` key lies inside the range of every node that holds it.
    let holds_a_mark = |span: &Span| {
        marks.is_none_or(|marks| marks.get(marks.partition_point(|mark| *mark < span.start)).is_some_and(|mark| *mark < span.end))
    };
    walk(node, names, |path, step, child, names| {
        if let Step::Key(key) = step {
            // A `$ref` with a string value is a reference even where a map of names is
            // expected (`properties: {$ref: …}`); a property really named `$ref` would hold a
            // schema, not a string.
            if key == "$ref"
                && let Some(reference) = child.as_str()
            {
                out.push((path.pointer(pointer), reference.to_owned(), child.span.clone()));
                return None;
            }
            if !names && is_literal_key(key) {
                return None;
            }
        }
        holds_a_mark(&child.span).then(|| matches!(step, Step::Key(key) if !names && is_name_map(key)))
    });
    out.sort_by_key(|(_, _, span)| span.start);
}

/// Removes `.` and `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            // `..` removes a folder; at the start of a relative path it has nothing to remove.
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(hex) = text.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Files(HashMap<PathBuf, String>);

    impl FileSource for Files {
        fn read(&self, path: &Path) -> Result<Arc<str>, String> {
            self.0.get(path).map(|text| Arc::from(text.as_str())).ok_or_else(|| "no such file".to_owned())
        }
    }

    fn files(pairs: &[(&str, &str)]) -> Files {
        Files(pairs.iter().map(|(path, text)| (PathBuf::from(path), (*text).to_owned())).collect())
    }

    #[test]
    fn finds_every_reference_also_where_merge_keys_bring_it() {
        let text = "x-base: &base\n  schema: {$ref: '#/components/schemas/A'}\npaths:\n  /a:\n    get:\n      parameters:\n        - <<: *base\n          name: a\n        - {$ref: '#/components/parameters/B'}\n      responses: {}\ncomponents:\n  schemas:\n    A: {type: string}\n  parameters:\n    B: {name: b, in: query}\n";
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &files(&[("/w/api.yaml", text)])).unwrap();
        let pointers: Vec<&str> = project.refs.iter().map(|site| site.pointer.as_str()).collect();
        assert!(pointers.contains(&"/paths/~1a/get/parameters/0/schema"), "{pointers:?}");
        assert!(pointers.contains(&"/paths/~1a/get/parameters/1"), "{pointers:?}");
        // Without merge keys, subtrees without `$ref` in their text are skipped, and the
        // references are the same.
        let plain = "paths:\n  /a:\n    get:\n      description: no references here\n      parameters:\n        - {$ref: '#/components/parameters/B'}\n      responses: {}\ncomponents:\n  parameters:\n    B: {name: b, in: query, schema: {$ref: '#/components/schemas/A'}}\n  schemas:\n    A: {type: string}\n";
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &files(&[("/w/api.yaml", plain)])).unwrap();
        let pointers: Vec<&str> = project.refs.iter().map(|site| site.pointer.as_str()).collect();
        assert_eq!(pointers, ["/paths/~1a/get/parameters/0", "/components/parameters/B/schema"]);
    }

    #[test]
    fn follows_refs_across_files_and_stays_inside_the_root() {
        let source = files(&[
            (
                "/w/api.yaml",
                "paths:\n  /a:\n    $ref: 'paths/a.yaml#/item'\n  /b:\n    $ref: '../../etc/passwd'\n  /c:\n    $ref: 'https://example.com/x.yaml'\n",
            ),
            ("/w/paths/a.yaml", "item:\n  get:\n    responses: {}\n"),
        ]);
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &source).unwrap();
        assert_eq!(project.files.len(), 2);
        assert!(matches!(project.refs[0].target, RefTarget::Resolved { file: 1, .. }));
        assert!(matches!(&project.refs[1].target, RefTarget::Broken(reason) if reason.contains("outside")));
        assert_eq!(project.refs[2].target, RefTarget::Remote);
        let root = project.root_node().unwrap();
        let a = root.get("paths").unwrap().get("/a").unwrap();
        let resolved = project.resolve(0, a, &JsonPointer::parse("/paths/~1a")).unwrap();
        assert_eq!(resolved.file, 1);
        assert!(resolved.node.get("get").is_some());
    }

    #[test]
    fn detects_pure_reference_cycles_but_not_recursive_schemas() {
        let source = files(&[(
            "/w/api.yaml",
            "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    Tree:\n      properties:\n        children:\n          items: {$ref: '#/components/schemas/Tree'}\n",
        )]);
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &source).unwrap();
        let schemas = project.root_node().unwrap().get("components").unwrap().get("schemas").unwrap();
        let pointer = JsonPointer::parse("/components/schemas/A");
        assert!(matches!(project.resolve(0, schemas.get("A").unwrap(), &pointer), Err(ResolveError::Cycle)));
        let items_pointer = JsonPointer::parse("/components/schemas/Tree/properties/children/items");
        let items = project.locate(0, &items_pointer).unwrap().node;
        assert!(project.resolve(0, items, &items_pointer).is_ok());
    }
}
