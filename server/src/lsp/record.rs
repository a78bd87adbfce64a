//! "Record an ADR": on findings that record a design choice, writes a decision record
//! (MADR-style, filled with the finding) into the workspace's ADR folder and opens it.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types as lsp;

use super::state::State;

pub const RECORD_COMMAND: &str = "archlens.recordAdr";

/// The action for a diagnostic, when its rule records a design choice.
pub fn action_for(uri: &lsp::Uri, diagnostic: &lsp::Diagnostic) -> Option<lsp::CodeActionOrCommand> {
    let Some(lsp::NumberOrString::String(code)) = &diagnostic.code else { return None };
    if !crate::adr::DESIGN_CHOICES.contains(&code.as_str()) {
        return None;
    }
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: "Record an ADR for this decision".to_owned(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        command: Some(lsp::Command {
            title: "Record an ADR for this decision".to_owned(),
            command: RECORD_COMMAND.to_owned(),
            arguments: Some(super::hover::finding_arguments(uri, diagnostic)),
        }),
        ..Default::default()
    }))
}

/// Writes the record and asks the editor to open it (or says where it is).
pub fn run_command(client: &Client, state: &Arc<State>, arguments: &[serde_json::Value]) {
    let Some((diagnostic, _, _)) = super::hover::finding_from_arguments(state, arguments) else { return };
    let root = state.workspace_root_for(&diagnostic.path);
    let relative = diagnostic.path.strip_prefix(&root).unwrap_or(&diagnostic.path).display().to_string();
    let (title, text) = crate::adr::record_for(&diagnostic, &relative, &crate::adr::today());
    let folder = crate::adr::record_folder(&root);
    let path = crate::adr::next_record_path(&folder, &title);
    let written = std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, text));
    let client = client.clone();
    let shows = state.shows_documents();
    tokio::spawn(async move {
        match (written, super::convert::uri_of(&path)) {
            (Ok(()), Some(uri)) if shows => {
                let params = lsp::ShowDocumentParams { uri, external: Some(false), take_focus: Some(true), selection: None };
                let _ = tokio::time::timeout(Duration::from_secs(10), client.show_document(params)).await;
            }
            (Ok(()), _) => client.show_message(lsp::MessageType::INFO, format!("archlens: recorded {}", path.display())).await,
            (Err(error), _) => {
                client.show_message(lsp::MessageType::ERROR, format!("archlens: cannot write {}: {error}", path.display())).await
            }
        }
    });
}
