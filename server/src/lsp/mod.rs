//! The language server: the only layer that knows LSP, JSON-RPC, tokio and async.
//!
//! Ordering rules (see ARCHITECTURE.md): edits are applied before the first `.await`, stale
//! versions are dropped, analysis runs off the runtime from a snapshot, a newer edit cancels
//! the older analysis, and publishes carry the version they were computed for.

mod actions;
mod convert;
mod diagnostics;
mod explain;
mod hover;
mod incremental;
mod lifecycle;
mod navigation;
mod record;
mod state;
mod sync;
mod transport;

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use state::State;

/// How many requests and notifications the transport handles at once; slow requests must
/// never hold up diagnostics.
const CONCURRENCY: usize = 64;

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// Serves LSP on stdin/stdout until `exit`. Returns whether `shutdown` came first.
pub fn serve_stdio() -> anyhow::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let state = Arc::new(State::default());
    let served_state = state.clone();
    runtime.block_on(async move {
        let (input, output, direct) = transport::guard(tokio::io::stdin(), tokio::io::stdout());
        let _ = served_state.notifications.set(direct);
        let (service, socket) = LspService::new(move |client| Backend { client, state: served_state });
        Server::new(input, output, socket).concurrency_level(CONCURRENCY).serve(lifecycle::Lifecycle::new(service)).await;
    });
    // Background analysis may still run; do not wait for it.
    runtime.shutdown_background();
    Ok(state.shutdown_requested())
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> RpcResult<lsp::InitializeResult> {
        Ok(self.state.initialize(params))
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        diagnostics::scan_workspace(self.client.clone(), self.state.clone());
        let (client, state) = (self.client.clone(), self.state.clone());
        tokio::spawn(async move { diagnostics::watch_files(&client, &state).await });
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.state.request_shutdown();
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        sync::did_open(&self.client, &self.state, params);
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        sync::did_change(&self.client, &self.state, params);
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        sync::did_close(&self.client, &self.state, params);
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        sync::did_save(&self.client, &self.state, params);
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        sync::did_change_configuration(&self.client, &self.state, params);
    }

    async fn diagnostic(&self, params: lsp::DocumentDiagnosticParams) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
        Ok(diagnostics::pull(&self.state, params).await)
    }

    async fn workspace_diagnostic(&self, params: lsp::WorkspaceDiagnosticParams) -> RpcResult<lsp::WorkspaceDiagnosticReportResult> {
        Ok(diagnostics::workspace_pull(&self.state, params).await)
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        diagnostics::files_changed(&self.client, &self.state, params);
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
        Ok(actions::code_actions(&self.state, params))
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        let uri = params.text_document_position_params.text_document.uri.clone();
        let position = params.text_document_position_params.position;
        if let Some(mut found) = hover::hover(&self.state, params) {
            // An explanation written for this finding, when the user enabled one.
            if let Some(path) = convert::path_of(&uri) {
                let settings = self.state.config_for(&path).llm;
                if settings.enabled
                    && let Some((diagnostic, _, text)) = hover::findings_at(&self.state, &uri, position).into_iter().next()
                {
                    let (key, prompt) = crate::llm::request_for(&diagnostic, &text, &settings);
                    let budget = std::time::Duration::from_millis(settings.hover_budget_ms);
                    let outcome = self.state.explainer.explain(&settings, key, prompt, budget).await;
                    if let lsp::HoverContents::Markup(markup) = &mut found.contents {
                        markup.value.push_str("\n\n---\n\n");
                        markup.value.push_str(&explain::render(&outcome, &settings));
                    }
                }
            }
            return Ok(Some(found));
        }
        if let Some(found) = hover::rule_hover(&self.state, &uri, position) {
            return Ok(Some(found));
        }
        let state = self.state.clone();
        Ok(tokio::task::spawn_blocking(move || navigation::hover(&state, &uri, position)).await.ok().flatten())
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> RpcResult<Option<lsp::LSPAny>> {
        if params.command == explain::EXPLAIN_COMMAND {
            explain::run_command(&self.client, &self.state, params.arguments).await;
        } else if params.command == record::RECORD_COMMAND {
            record::run_command(&self.client, &self.state, &params.arguments);
        }
        Ok(None)
    }

    async fn goto_definition(&self, params: lsp::GotoDefinitionParams) -> RpcResult<Option<lsp::GotoDefinitionResponse>> {
        let state = self.state.clone();
        Ok(tokio::task::spawn_blocking(move || navigation::definition(&state, &params)).await.ok().flatten())
    }
}
