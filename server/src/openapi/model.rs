//! The version-neutral view of an OpenAPI document that rules read: operations, parameters,
//! responses, servers and security, each with the file and pointer it came from, and with
//! `$ref`s already followed.

use super::pointer::JsonPointer;
use super::project::{FileId, Project};
use super::syntax::{Node, Span};

pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    V30,
    V31,
}

/// A node and its address: which file, which pointer, and the range of its key if any.
#[derive(Debug, Clone)]
pub struct NodeAt<'p> {
    pub file: FileId,
    pub pointer: JsonPointer,
    pub node: &'p Node,
    pub key_span: Option<Span>,
}

impl<'p> NodeAt<'p> {
    /// The range to underline: the key when there is one, else the value.
    /// A node without a key (the root of a referenced file) is underlined at its first key,
    /// not as a whole file.
    pub fn span(&self) -> Span {
        self.key_span.clone().unwrap_or_else(|| match self.node.as_map().and_then(|entries| entries.first()) {
            Some(first) => first.key_span.clone(),
            None => self.node.span.clone(),
        })
    }

    pub fn child(&self, key: &str) -> Option<NodeAt<'p>> {
        let entry = self.node.entry(key)?;
        Some(NodeAt { file: self.file, pointer: self.pointer.child(key), node: &entry.value, key_span: Some(entry.key_span.clone()) })
    }

    pub fn items(&self) -> Vec<NodeAt<'p>> {
        self.node
            .as_seq()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(index, item)| NodeAt { file: self.file, pointer: self.pointer.index(index), node: item, key_span: None })
            .collect()
    }

    pub fn entries(&self) -> Vec<NodeAt<'p>> {
        self.node
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|entry| NodeAt {
                file: self.file,
                pointer: self.pointer.child(&entry.key),
                node: &entry.value,
                key_span: Some(entry.key_span.clone()),
            })
            .collect()
    }

    /// The last pointer token: the key this node sits under.
    pub fn name(&self) -> String {
        self.pointer.last().unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct ApiModel<'p> {
    pub version: SpecVersion,
    pub document: NodeAt<'p>,
    pub paths: Vec<PathItemView<'p>>,
    pub servers: Vec<NodeAt<'p>>,
    /// The root `security` requirement, if the document has one.
    pub security: Option<NodeAt<'p>>,
    pub security_schemes: Option<NodeAt<'p>>,
}

#[derive(Debug)]
pub struct PathItemView<'p> {
    pub path: String,
    /// The entry under `/paths`, as written (its key is the path).
    pub entry: NodeAt<'p>,
    /// The path item after `$ref` resolution.
    pub item: NodeAt<'p>,
    pub parameters: Vec<ParameterView<'p>>,
    pub operations: Vec<OperationView<'p>>,
}

#[derive(Debug)]
pub struct OperationView<'p> {
    pub method: &'static str,
    pub path: String,
    /// The operation object; its key is the method.
    pub at: NodeAt<'p>,
    pub parameters: Vec<ParameterView<'p>>,
    pub responses: Option<NodeAt<'p>>,
    pub security: Option<NodeAt<'p>>,
}

#[derive(Debug, Clone)]
pub struct ParameterView<'p> {
    pub name: String,
    pub location: String,
    /// The parameter object after resolution.
    pub resolved: NodeAt<'p>,
    /// The item in the `parameters` list, as written.
    pub use_site: NodeAt<'p>,
}

impl<'p> OperationView<'p> {
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    pub fn is_write(&self) -> bool {
        matches!(self.method, "post" | "put" | "patch" | "delete")
    }

    /// The `responses` mapping, when the operation has one.
    pub fn responses_map(&self) -> Option<&NodeAt<'p>> {
        self.responses.as_ref().filter(|responses| responses.node.as_map().is_some())
    }

    /// Response codes as written (`"200"`, `"4XX"`, `"default"`).
    pub fn response_codes(&self) -> Vec<String> {
        self.responses
            .as_ref()
            .and_then(|responses| responses.node.as_map())
            .unwrap_or_default()
            .iter()
            .map(|entry| entry.key.clone())
            .collect()
    }
}

impl<'p> ApiModel<'p> {
    /// Builds the view; `None` when the root is not an OpenAPI 3.x mapping.
    pub fn build(project: &'p Project) -> Option<ApiModel<'p>> {
        let root = project.root_node()?;
        let version = match root.get("openapi")?.scalar_text()? {
            text if text.starts_with("3.0") => SpecVersion::V30,
            text if text.starts_with("3.1") => SpecVersion::V31,
            _ => return None,
        };
        let document = NodeAt { file: project.root, pointer: JsonPointer::root(), node: root, key_span: None };
        let mut servers = document.child("servers").map(|servers| servers.items()).unwrap_or_default();
        let mut paths = Vec::new();
        if let Some(paths_node) = document.child("paths") {
            for entry in paths_node.entries() {
                if !entry.name().starts_with('/') {
                    continue;
                }
                let item = resolve_at(project, &entry);
                servers.extend(item.child("servers").map(|servers| servers.items()).unwrap_or_default());
                let parameters = item.child("parameters").map(|list| parameters_of(project, &list)).unwrap_or_default();
                let mut operations = Vec::new();
                for method in HTTP_METHODS {
                    // Operations are not reference objects in the specification, but split
                    // documents (DigitalOcean's among them) `$ref` them, and tools follow.
                    let Some(operation) = item.child(method).map(|operation| resolve_at(project, &operation)) else {
                        continue;
                    };
                    if operation.node.as_map().is_none() {
                        continue;
                    }
                    servers.extend(operation.child("servers").map(|servers| servers.items()).unwrap_or_default());
                    operations.push(OperationView {
                        method,
                        path: entry.name(),
                        parameters: operation.child("parameters").map(|list| parameters_of(project, &list)).unwrap_or_default(),
                        responses: operation.child("responses"),
                        security: operation.child("security"),
                        at: operation,
                    });
                }
                paths.push(PathItemView { path: entry.name(), entry, item, parameters, operations });
            }
        }
        Some(ApiModel {
            version,
            security: document.child("security"),
            security_schemes: document.child("components").and_then(|components| components.child("securitySchemes")),
            servers,
            paths,
            document,
        })
    }

    pub fn operations(&self) -> impl Iterator<Item = &OperationView<'p>> {
        self.paths.iter().flat_map(|path| path.operations.iter())
    }

    /// Every parameter of every path item and operation, once per place it is resolved to
    /// (a shared parameter used by ten operations comes once).
    pub fn unique_parameters(&self) -> Vec<&ParameterView<'p>> {
        let mut seen = std::collections::HashSet::new();
        self.paths
            .iter()
            .flat_map(|path| path.parameters.iter().chain(path.operations.iter().flat_map(|operation| operation.parameters.iter())))
            .filter(|parameter| seen.insert((parameter.resolved.file, parameter.resolved.pointer.clone())))
            .collect()
    }

    /// Names of the schemes under `components.securitySchemes`.
    pub fn scheme_names(&self) -> Vec<String> {
        self.security_schemes
            .as_ref()
            .and_then(|schemes| schemes.node.as_map())
            .unwrap_or_default()
            .iter()
            .map(|entry| entry.key.clone())
            .collect()
    }
}

/// The header names a response declares, after following `$ref`s to the response.
pub fn response_header_names(project: &Project, response: &NodeAt<'_>) -> Vec<String> {
    let response = resolve_at(project, response);
    response.node.get("headers").and_then(Node::as_map).unwrap_or_default().iter().map(|header| header.key.clone()).collect()
}

/// Follows `$ref`s from a node, keeping the original on failure (API025 reports those).
pub fn resolve_at<'p>(project: &'p Project, at: &NodeAt<'p>) -> NodeAt<'p> {
    if at.node.reference().is_none() {
        return at.clone();
    }
    let Ok(resolved) = project.resolve(at.file, at.node, &at.pointer) else {
        return at.clone();
    };
    let (file, pointer) = project.resolved_pointer(at.file, at.node, &at.pointer);
    let key_span = project.locate(file, &pointer).and_then(|located| located.key_span);
    NodeAt { file: resolved.file, pointer, node: resolved.node, key_span }
}

fn parameters_of<'p>(project: &'p Project, list: &NodeAt<'p>) -> Vec<ParameterView<'p>> {
    list.items()
        .into_iter()
        .map(|use_site| {
            let resolved = resolve_at(project, &use_site);
            let text_of = |key: &str| resolved.node.get(key).and_then(Node::scalar_text).unwrap_or_default().to_owned();
            ParameterView { name: text_of("name"), location: text_of("in"), resolved, use_site }
        })
        .collect()
}

/// The names in a path template: `/users/{id}/files/{name}.{ext}` gives `id`, `name`, `ext`,
/// each with its byte range in the path.
pub fn template_parameters(path: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut rest_start = 0;
    while let Some(open) = path[rest_start..].find('{') {
        let open = rest_start + open;
        let Some(close) = path[open..].find('}') else {
            break;
        };
        let close = open + close;
        found.push((path[open + 1..close].to_owned(), open..close + 1));
        rest_start = close + 1;
    }
    found
}

/// The literal segments of a path (not containing a template), each with its byte range.
pub fn literal_segments(path: &str) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut segments = Vec::new();
    let mut start = 0;
    for segment in path.split('/') {
        let range = start..start + segment.len();
        start += segment.len() + 1;
        if !segment.is_empty() && !segment.contains('{') {
            segments.push((segment, range));
        }
    }
    segments
}
