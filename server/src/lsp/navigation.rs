//! `$ref` navigation in OpenAPI documents: go to the definition a reference names (in the
//! same file or another one of the workspace), and a summary of it on hover.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use crate::openapi::project::{Project, RefTarget};
use crate::openapi::syntax::{Node, Span, Value};
use crate::workspace::OverlaySource;

use super::convert::{Positions, path_of, uri_of};
use super::state::State;

/// The reference under the cursor and what it names.
pub struct Reference {
    /// The reference string, in the file under the cursor.
    pub range: lsp::Range,
    pub reference: String,
    pub target: Option<Target>,
    /// Why the reference leads nowhere, when it does not.
    pub problem: Option<String>,
}

pub struct Target {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// The target's key (or value, for a whole file).
    pub span: Span,
    pub summary: String,
}

/// The reference at `position` in an OpenAPI file, read from the open buffers and the disk
/// (never the network).
pub fn reference_at(state: &State, uri: &lsp::Uri, position: lsp::Position) -> Option<Reference> {
    let path = path_of(uri)?;
    if !matches!(path.extension().and_then(|extension| extension.to_str()), Some("yaml" | "yml" | "json")) {
        return None;
    }
    let mut overlay = OverlaySource { cache: Some(state.parse_cache.clone()), ..OverlaySource::default() };
    for document in state.documents.iter() {
        overlay.open.insert(document.key().clone(), document.text.clone());
    }
    let workspace_root = state.workspace_root_for(&path);
    let project = Project::load(&path, &workspace_root, &overlay).ok()?;
    let found = reference_in(&project, position, state.column_unit());
    overlay_recycle(&overlay, project);
    found
}

fn overlay_recycle(overlay: &OverlaySource, project: Project) {
    use crate::openapi::project::FileSource;
    overlay.recycle(project.files);
}

fn reference_in(project: &Project, position: lsp::Position, unit: crate::line_index::ColumnUnit) -> Option<Reference> {
    let root = project.file(project.root);
    let positions = Positions::new(&root.text, unit);
    let offset = positions.offset(position);
    let site = project.refs.iter().find(|site| site.file == project.root && site.span.start <= offset && offset <= site.span.end)?;
    let range = positions.range(&site.span);
    let (target, problem) = match &site.target {
        RefTarget::Resolved { file, pointer } => match project.locate(*file, pointer) {
            Some(located) => {
                let source = project.file(*file);
                let span = located.key_or_value_span();
                let name = pointer.last().unwrap_or_else(|| file_name(&source.path));
                let line = crate::line_index::LineIndex::new(&source.text).position(&source.text, span.start, unit).line + 1;
                let place =
                    if pointer.as_str().is_empty() { String::new() } else { format!("`{}` ", pointer.as_str().trim_start_matches('/')) };
                let location = format!("{place}in `{}`, line {line}", display_relative(&source.path, &project.workspace_root));
                let summary = summarize(&name, located.node, &location);
                (Some(Target { path: source.path.clone(), text: source.text.clone(), span, summary }), None)
            }
            None => (None, Some(format!("`{}` names nothing in its file", site.reference))),
        },
        RefTarget::Broken(reason) => (None, Some(reason.clone())),
        RefTarget::Remote => (None, Some("a remote reference: archlens does not fetch it".to_owned())),
    };
    Some(Reference { range, reference: site.reference.clone(), target, problem })
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A path as seen from the workspace root, when it is below it.
fn display_relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// Markdown about the node a reference names: its name and kind, where it lives, the first
/// paragraph of its description, and what it holds.
fn summarize(name: &str, node: &Node, location: &str) -> String {
    let text = |key: &str| node.get(key).and_then(Node::scalar_text).map(str::to_owned);
    let kind = match (text("type"), text("in"), node.get("content"), node.get("properties")) {
        (Some(kind), _, _, _) => match text("format") {
            Some(format) => format!("{kind} ({format})"),
            None => kind,
        },
        (None, Some(place), _, _) => format!("{place} parameter"),
        (None, None, Some(_), _) => "response or request body".to_owned(),
        (None, None, None, Some(_)) => "object".to_owned(),
        _ if node.get("allOf").is_some() => "allOf".to_owned(),
        _ if node.get("oneOf").is_some() => "oneOf".to_owned(),
        _ if node.get("anyOf").is_some() => "anyOf".to_owned(),
        _ => "definition".to_owned(),
    };
    let mut out = format!("**`{name}`** · {kind}\n\n{location}");
    if let Some(description) = text("description").or_else(|| text("summary")).or_else(|| text("title")) {
        let first = description.split("\n\n").next().unwrap_or_default().trim();
        if !first.is_empty() {
            out.push_str(&format!("\n\n{first}"));
        }
    }
    if let Some(Value::Map(properties)) = node.get("properties").map(|properties| &properties.value) {
        let required: Vec<&str> = node.get("required").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::as_str).collect();
        let names: Vec<String> = properties
            .iter()
            .take(12)
            .map(|entry| if required.contains(&entry.key.as_str()) { format!("`{}`*", entry.key) } else { format!("`{}`", entry.key) })
            .collect();
        let more = properties.len().saturating_sub(12);
        out.push_str(&format!(
            "\n\nProperties: {}{}",
            names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ));
    }
    if let Some(values) = node.get("enum").and_then(Node::as_seq) {
        let shown: Vec<String> = values.iter().take(12).filter_map(Node::scalar_text).map(|value| format!("`{value}`")).collect();
        out.push_str(&format!("\n\nValues: {}", shown.join(", ")));
    }
    out
}

/// Go to definition: the place a `$ref` names.
pub fn definition(state: &State, params: &lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
    let position = &params.text_document_position_params;
    let found = reference_at(state, &position.text_document.uri, position.position)?;
    let target = found.target?;
    let range = Positions::new(&target.text, state.column_unit()).range(&target.span);
    Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location { uri: uri_of(&target.path)?, range }))
}

/// Hover on a `$ref`: the summary of what it names.
pub fn hover(state: &State, uri: &lsp::Uri, position: lsp::Position) -> Option<lsp::Hover> {
    let found = reference_at(state, uri, position)?;
    let value = match (&found.target, &found.problem) {
        (Some(target), _) => target.summary.clone(),
        (None, Some(problem)) => format!("`{}`: {problem}", found.reference),
        (None, None) => return None,
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(found.range),
    })
}
