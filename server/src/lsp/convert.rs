//! Our types to protocol types, at the edge: byte spans to positions in the negotiated
//! encoding, severities, fixes to workspace edits.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types as lsp;

use crate::analysis::{Diagnostic, Fix, Related, Severity};
use crate::line_index::{ColumnUnit, LineCol, LineIndex};
use crate::openapi::syntax::Span;

/// A text and its line index, for converting many spans of one file.
pub struct Positions<'t> {
    pub text: &'t str,
    pub index: std::sync::Arc<LineIndex>,
    pub unit: ColumnUnit,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, unit: ColumnUnit) -> Self {
        Self { text, index: std::sync::Arc::new(LineIndex::new(text)), unit }
    }

    pub fn range(&self, span: &Span) -> lsp::Range {
        lsp::Range { start: self.position(span.start), end: self.position(span.end) }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let LineCol { line, col } = self.index.position(self.text, offset, self.unit);
        lsp::Position { line, character: col }
    }

    pub fn offset(&self, position: lsp::Position) -> usize {
        self.index.offset(self.text, LineCol { line: position.line, col: position.character }, self.unit)
    }
}

/// How many places of related information one diagnostic shows in the editor: a grouped
/// finding lists hundreds, which no one reads in a problems panel and which made every
/// publish of a large document megabytes long.
const RELATED_LIMIT: usize = 50;

/// What a published diagnostic carries: the document version it was computed for. Its fixes
/// stay on the server until a code action asks for them (they would double the size of
/// every publish).
#[derive(Debug, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataFix {
    pub title: String,
    pub preferred: bool,
    pub edits: Vec<lsp::TextEdit>,
    /// Another file the edits apply to, and a hash of the text they were made for.
    pub target: Option<(lsp::Uri, u64)>,
}

/// The file a `file://` URI names; other schemes (`untitled:`) have none.
pub fn path_of(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    uri.to_file_path().map(|path| path.into_owned())
}

pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(path)
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

fn data_fix(fix: &Fix, positions: &Positions<'_>) -> DataFix {
    let edits = |positions: &Positions<'_>| {
        fix.edits.iter().map(|edit| lsp::TextEdit { range: positions.range(&edit.span), new_text: edit.new_text.clone() }).collect()
    };
    match &fix.target {
        Some((path, text)) => DataFix {
            title: fix.title.clone(),
            preferred: false,
            edits: edits(&Positions::new(text, positions.unit)),
            target: uri_of(path).map(|uri| (uri, text_hash(text))),
        },
        None => DataFix { title: fix.title.clone(), preferred: fix.preferred, edits: edits(positions), target: None },
    }
}

/// A hash of a text, to tell whether a file still has the text a fix was made for.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Line indexes of the files that related information points into, each looked up once.
pub struct RelatedPositions<'t> {
    unit: ColumnUnit,
    line_index: &'t dyn Fn(&Path, &str) -> std::sync::Arc<LineIndex>,
    files: std::collections::HashMap<&'t Path, (Option<lsp::Uri>, Positions<'t>)>,
}

impl<'t> RelatedPositions<'t> {
    /// `line_index` gives the index of a file's text (from a cache, or built).
    pub fn new(unit: ColumnUnit, line_index: &'t dyn Fn(&Path, &str) -> std::sync::Arc<LineIndex>) -> Self {
        Self { unit, line_index, files: std::collections::HashMap::new() }
    }

    fn location(&mut self, related: &'t Related) -> Option<lsp::Location> {
        let (unit, line_index) = (self.unit, self.line_index);
        let (uri, positions) = self.files.entry(&related.path).or_insert_with(|| {
            let index = line_index(&related.path, &related.text);
            (uri_of(&related.path), Positions { text: &related.text, index, unit })
        });
        Some(lsp::Location { uri: uri.clone()?, range: positions.range(&related.span) })
    }
}

/// The fixes of a diagnostic (its own, then the suppression), in protocol ranges.
pub fn fixes(diagnostic: &Diagnostic, positions: &Positions<'_>) -> Vec<DataFix> {
    diagnostic.fixes.iter().chain(diagnostic.suppression.iter()).map(|fix| data_fix(fix, positions)).collect()
}

/// The link to a rule's page, parsed once per rule.
fn code_description(rule: &'static crate::rules::RuleMeta) -> Option<lsp::CodeDescription> {
    static LINKS: std::sync::OnceLock<std::collections::HashMap<&'static str, lsp::Uri>> = std::sync::OnceLock::new();
    let links = LINKS.get_or_init(|| {
        crate::rules::registry().iter().filter_map(|rule| Some((rule.meta().code, rule.meta().url().parse::<lsp::Uri>().ok()?))).collect()
    });
    let href = links.get(rule.code).cloned().or_else(|| rule.url().parse::<lsp::Uri>().ok())?;
    Some(lsp::CodeDescription { href })
}

pub fn diagnostic<'t>(
    diagnostic: &'t Diagnostic,
    positions: &Positions<'_>,
    related_positions: &mut RelatedPositions<'t>,
    version: Option<i32>,
) -> lsp::Diagnostic {
    let mut related_information: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .take(RELATED_LIMIT)
        .filter_map(|related| {
            Some(lsp::DiagnosticRelatedInformation { location: related_positions.location(related)?, message: related.message.clone() })
        })
        .collect();
    if diagnostic.related.len() > RELATED_LIMIT
        && let Some(last) = related_information.last_mut()
    {
        let more = diagnostic.related.len() - RELATED_LIMIT;
        last.message.push_str(&format!(" (and {more} more places; `archlens check --format json` lists them all)"));
    }
    let data = serde_json::to_value(DiagnosticData { version }).ok();
    lsp::Diagnostic {
        range: positions.range(&diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(lsp::NumberOrString::String(diagnostic.rule.code.to_owned())),
        code_description: code_description(diagnostic.rule),
        source: Some("archlens".into()),
        message: format!("{} ({})", diagnostic.message, diagnostic.rule.name),
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: None,
        data,
    }
}
