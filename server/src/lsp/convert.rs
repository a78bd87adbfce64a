//! Our types to protocol types, at the edge: byte spans to positions in the negotiated
//! encoding, severities, fixes to workspace edits.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types as lsp;

use crate::analysis::{Diagnostic, Fix, Severity};
use crate::line_index::{ColumnUnit, LineCol, LineIndex};
use crate::openapi::syntax::Span;

/// A text and its line index, for converting many spans of one file.
pub struct Positions<'t> {
    pub text: &'t str,
    pub index: LineIndex,
    pub unit: ColumnUnit,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str, unit: ColumnUnit) -> Self {
        Self { text, index: LineIndex::new(text), unit }
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

/// What a diagnostic carries for its code actions: fixes already in protocol ranges, and the
/// document version they apply to.
#[derive(Debug, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub version: Option<i32>,
    pub fixes: Vec<DataFix>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DataFix {
    pub title: String,
    pub preferred: bool,
    pub edits: Vec<lsp::TextEdit>,
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
    DataFix {
        title: fix.title.clone(),
        preferred: fix.preferred,
        edits: fix.edits.iter().map(|edit| lsp::TextEdit { range: positions.range(&edit.span), new_text: edit.new_text.clone() }).collect(),
    }
}

pub fn diagnostic(diagnostic: &Diagnostic, positions: &Positions<'_>, version: Option<i32>) -> lsp::Diagnostic {
    let related_information: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let related_positions = Positions::new(&related.text, positions.unit);
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location { uri: uri_of(&related.path)?, range: related_positions.range(&related.span) },
                message: related.message.clone(),
            })
        })
        .collect();
    let fixes = diagnostic.fixes.iter().chain(diagnostic.suppression.iter()).map(|fix| data_fix(fix, positions)).collect();
    let data = serde_json::to_value(DiagnosticData { version, fixes }).ok();
    lsp::Diagnostic {
        range: positions.range(&diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(lsp::NumberOrString::String(diagnostic.rule.code.to_owned())),
        code_description: diagnostic.rule.url().parse::<lsp::Uri>().ok().map(|href| lsp::CodeDescription { href }),
        source: Some("archlens".into()),
        message: format!("{} ({})", diagnostic.message, diagnostic.rule.name),
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: None,
        data,
    }
}
