//! Checking OpenAPI documents in the background and delivering the results: pushed with
//! `publishDiagnostics`, or pulled with `textDocument/diagnostic` when the client can.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::Client;
use tower_lsp_server::ls_types as lsp;

use crate::config::{CONFIG_FILE, Config};
use crate::openapi::project::guess_format;
use crate::openapi::syntax::Format;
use crate::workspace::{self, OverlaySource};

use super::convert::{self, DataFix, Positions, path_of};
use super::state::{RootReport, State};

/// How long a pull request waits for a check in progress.
const PULL_WAIT: Duration = Duration::from_secs(10);
/// How many documents the start-up scan checks at most.
const MAX_SCANNED_DOCUMENTS: usize = 1_000;

/// The roots whose check covers `path`: itself when it is an OpenAPI document (or a Rust
/// file, a decision record, a migration), and every document that referenced it in its last
/// check.
pub fn roots_for(state: &State, path: &Path) -> BTreeSet<PathBuf> {
    let mut roots = state.file_roots.get(path).map(|roots| roots.clone()).unwrap_or_default();
    let is_document = match state.documents.get(path) {
        Some(document) => *document.is_openapi.get_or_init(|| {
            let format = Format::from_path(path).unwrap_or_else(|| guess_format(&document.text));
            matches!(path.extension().and_then(|extension| extension.to_str()), Some("yaml" | "yml" | "json"))
                && workspace::is_openapi_document(&document.text, format)
        }),
        None => workspace::sniff_file(path),
    };
    let is_migration = is_migration(state, path);
    if is_document
        || is_migration
        || crate::rust::is_rust_file(path)
        || crate::adr::is_record(path, &state.config_for(path))
        || state.config_for(path).is_declared_document(path)
    {
        roots.insert(path.to_path_buf());
    } else {
        // A file that stopped being an OpenAPI document (or whose buffer was one and whose
        // file on disk is not) is no longer a root of its own.
        roots.remove(path);
    }
    roots
}

/// Re-checks everything `path` belongs to; clears it when it belongs to nothing.
pub fn schedule(client: &Client, state: &Arc<State>, path: &Path) {
    if path.file_name().is_some_and(|name| name == CONFIG_FILE) {
        // The configuration applies to every document: check them all again, and say what is
        // wrong with the file itself.
        let roots: Vec<PathBuf> = state.reports.iter().map(|entry| entry.key().clone()).collect();
        for root in roots {
            tokio::spawn(check_root(client.clone(), state.clone(), root));
        }
    }
    let roots = roots_for(state, path);
    if state.reports.contains_key(path) && !roots.contains(path) {
        // It was checked as a document; drop that report and clear what it said.
        let affected = store(state, path, None);
        state.analysis_done.notify_waiters();
        let client = client.clone();
        let state = state.clone();
        tokio::spawn(async move { deliver(&client, &state, affected).await });
    }
    if roots.is_empty() {
        if !state.pulls_diagnostics() {
            let client = client.clone();
            let state = state.clone();
            let path = path.to_path_buf();
            tokio::spawn(async move { publish(&client, &state, &path).await });
        }
        return;
    }
    // The other migrations of its folder are checked against the schema they all build: a
    // change to one checks them again (their reports do not cover this file).
    let siblings: Vec<PathBuf> = if is_migration(state, path) {
        state.reports.iter().map(|entry| entry.key().clone()).filter(|other| crate::sql::same_history(other, path)).collect()
    } else {
        Vec::new()
    };
    for root in roots.into_iter().chain(siblings) {
        tokio::spawn(check_root(client.clone(), state.clone(), root));
    }
}

/// Whether `path` is an SQL migration, by its folder or `[sql] migrations`.
fn is_migration(state: &State, path: &Path) -> bool {
    crate::sql::is_migration_file(path) || (crate::sql::is_sql_file(path) && state.config_for(path).is_declared_migration(path))
}

/// Checks one root from a snapshot of the open documents, off the async runtime.
pub async fn check_root(client: Client, state: Arc<State>, root: PathBuf) {
    let generation = state.bump_generation(&root);
    let disk_generation = state.disk_generation();
    let mut overlay = OverlaySource { cache: Some(state.parse_cache.clone()), generation: disk_generation, ..OverlaySource::default() };
    let mut versions = std::collections::HashMap::new();
    for document in state.documents.iter() {
        overlay.open.insert(document.key().clone(), document.text.clone());
        versions.insert(document.key().clone(), document.version);
    }
    let workspace_root = state.workspace_root_for(&root);
    let worker_state = state.clone();
    let worker_root = root.clone();
    let started = std::time::Instant::now();
    let outcome = tokio::task::spawn_blocking(move || {
        // A newer edit while this check waited for a thread: it would only be thrown away.
        if !worker_state.is_current(&worker_root, generation) {
            return Ok(None);
        }
        let config = worker_state.config_for(&worker_root);
        if let Some(text) = overlay.open.get(&worker_root)
            && let Some(report) =
                super::incremental::after_prose_edit(&worker_state, &worker_root, text, &versions, &config, disk_generation)
        {
            return Ok(Some(report));
        }
        let cancelled = || !worker_state.is_current(&worker_root, generation);
        let mut outcome = workspace::check_document(&worker_root, &workspace_root, &overlay, &config, &cancelled);
        // The editor hides what CI hides.
        if let (Ok(Some(report)), Some(path)) = (&mut outcome, &config.baseline) {
            match workspace::read_baseline(path) {
                Ok(baseline) => {
                    baseline.hide(&mut report.files);
                }
                Err(error) => tracing::warn!("{error}"),
            }
        }
        outcome.map(|report| {
            report.map(|report| RootReport {
                files: report.files.into_iter().map(|file| (file.path.clone(), file)).collect(),
                versions,
                config: Some(config),
                disk_generation,
                ..RootReport::default()
            })
        })
    })
    .await;
    tracing::debug!(root = %root.display(), elapsed = ?started.elapsed(), "checked");
    if !state.is_current(&root, generation) {
        return;
    }
    let new_report = match outcome {
        Ok(Ok(Some(report))) => Some(report),
        Ok(Ok(None)) => return,
        Ok(Err(error)) => {
            tracing::info!(root = %root.display(), "not checked: {error}");
            None
        }
        Err(error) => {
            tracing::error!(root = %root.display(), "the check failed: {error}");
            None
        }
    };
    // The files the check read, with the versions it read them at.
    let read: Vec<(PathBuf, Option<i32>)> = new_report
        .as_ref()
        .map(|report| report.files.keys().map(|path| (path.clone(), report.versions.get(path).copied())).collect())
        .unwrap_or_default();
    let affected = store(&state, &root, new_report);
    state.analysis_done.notify_waiters();
    deliver(&client, &state, affected).await;
    // A file the check reached was opened, changed or closed while it ran, and no check
    // of this root was asked for since (the file's own change found no report holding it
    // yet): its findings would wait for the next edit. Check again with what is open now.
    let moved = read.iter().any(|(path, version)| state.documents.get(path).map(|document| document.version) != *version);
    if moved && state.is_current(&root, generation) {
        check_again(&client, &state, &root);
    }
    if crate::rust::is_rust_file(&root) {
        recheck_crate_if_facts_changed(&client, &state, &root);
    } else {
        recheck_described_crate(&client, &state, &root);
    }
}

/// Checks `root` again, from a task of its own.
fn check_again(client: &Client, state: &Arc<State>, root: &Path) {
    tokio::spawn(check_root(client.clone(), state.clone(), root.to_path_buf()));
}

/// After a document's check, the open Rust files of the crate it describes are checked again:
/// their routes compare with what the document says now.
fn recheck_described_crate(client: &Client, state: &Arc<State>, document: &Path) {
    let Some(crate_root) = described_crate(state, document) else { return };
    for other in open_files_where(state, |other| {
        crate::rust::is_rust_file(other) && workspace::crates::crate_root(other).as_ref() == Some(&crate_root)
    }) {
        tokio::spawn(check_root(client.clone(), state.clone(), other));
    }
}

/// The crate an OpenAPI document describes (see `workspace::services`).
fn described_crate(state: &State, document: &Path) -> Option<PathBuf> {
    let source = OverlaySource { generation: state.disk_generation(), ..OverlaySource::default() };
    let config = state.config_for(document);
    state.parse_cache.crate_index().scan(document, &source).crate_for(document, &config)
}

/// The open files that `keep` keeps.
fn open_files_where(state: &State, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    state.documents.iter().map(|document| document.key().clone()).filter(|path| keep(path)).collect()
}

/// When an open Rust file starts or stops routing a handler, adds or drops a tracing layer or
/// changes a route, the other open files of its crate are checked again (their handlers may
/// have changed), and so are the open documents that describe the crate.
fn recheck_crate_if_facts_changed(client: &Client, state: &Arc<State>, path: &Path) {
    let Some(facts) = state.parse_cache.rust_facts(path) else { return };
    let before = state.rust_facts.insert(path.to_path_buf(), facts.clone());
    if before.is_none_or(|before| before == facts) {
        return;
    }
    let Some(crate_root) = workspace::crates::crate_root(path) else { return };
    let others = open_files_where(state, |other| {
        other != path && crate::rust::is_rust_file(other) && workspace::crates::crate_root(other).as_ref() == Some(&crate_root)
    });
    // The documents that describe the crate compare with its routes.
    let documents = open_files_where(state, |other| {
        !crate::rust::is_rust_file(other)
            && crate::openapi::syntax::Format::from_path(other).is_some()
            && described_crate(state, other).as_ref() == Some(&crate_root)
    });
    for other in others.into_iter().chain(documents) {
        tokio::spawn(check_root(client.clone(), state.clone(), other));
    }
}

/// Tells the client about changed diagnostics: publishes them, or asks a pulling client to
/// pull again.
async fn deliver(client: &Client, state: &Arc<State>, affected: BTreeSet<PathBuf>) {
    if state.pulls_diagnostics() {
        if state.supports_refresh() {
            let client = client.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(5), client.workspace_diagnostic_refresh()).await;
            });
        }
        return;
    }
    for path in affected {
        publish(client, state, &path).await;
    }
}

/// Replaces a root's report and the file-to-root index; returns every file whose
/// diagnostics may have changed.
fn store(state: &State, root: &Path, report: Option<RootReport>) -> BTreeSet<PathBuf> {
    let new_files: BTreeSet<PathBuf> = report.iter().flat_map(|report| report.files.keys().cloned()).collect();
    let old = match report {
        Some(report) => state.reports.insert(root.to_path_buf(), Arc::new(report)),
        None => state.reports.remove(root).map(|(_, old)| old),
    };
    let old_files: BTreeSet<PathBuf> = old.iter().flat_map(|report| report.files.keys().cloned()).collect();
    for file in old_files.difference(&new_files) {
        if let Some(mut roots) = state.file_roots.get_mut(file) {
            roots.remove(root);
        }
    }
    for file in &new_files {
        state.file_roots.entry(file.clone()).or_default().insert(root.to_path_buf());
    }
    let mut affected = old_files;
    affected.extend(new_files);
    affected.insert(root.to_path_buf());
    affected
}

/// The diagnostics of a file across every root that covers it, for the document version the
/// editor has now. `None` while a check of that version is still running.
pub fn collect(state: &State, path: &Path) -> Option<(Vec<lsp::Diagnostic>, Option<i32>)> {
    let (converted, version) = collect_with(state, path, false)?;
    Some((converted.into_iter().map(|(diagnostic, _)| diagnostic).collect(), version))
}

/// Diagnostics with their fixes (empty unless asked for).
pub type WithFixes = Vec<(lsp::Diagnostic, Vec<DataFix>)>;

/// [`collect`], with the fixes of each diagnostic when `with_fixes` (for code actions).
pub fn collect_with(state: &State, path: &Path, with_fixes: bool) -> Option<(WithFixes, Option<i32>)> {
    let open_version = state.documents.get(path).map(|document| document.version);
    if path.file_name().is_some_and(|name| name == CONFIG_FILE) {
        return Some((config_diagnostics(state, path).into_iter().map(|diagnostic| (diagnostic, Vec::new())).collect(), open_version));
    }
    let mut diagnostics = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut hidden = 0;
    for root in roots_for(state, path) {
        let report = state.reports.get(&root)?.clone();
        let checked_version = report.versions.get(path).copied();
        // The check read another text than the one that counts now: a newer version of the
        // buffer, or a buffer that has since been closed (the file on disk counts again).
        // The check that is scheduled for the current text publishes instead.
        if checked_version != open_version {
            return None;
        }
        let Some(file) = report.files.get(path) else {
            continue;
        };
        let positions = Positions { text: &file.text, index: report.line_index(path, &file.text), unit: state.column_unit() };
        let line_index = |path: &Path, text: &str| report.line_index(path, text);
        let mut related_positions = convert::RelatedPositions::new(state.column_unit(), &line_index);
        let shown = shown_diagnostics(&file.diagnostics);
        if shown.len() < file.diagnostics.len() {
            hidden += file.diagnostics.len() - shown.len();
        }
        for diagnostic in shown {
            let converted = convert::diagnostic(diagnostic, &positions, &mut related_positions, open_version);
            // Several documents may report the same finding in a file they share.
            let key = (converted.range, converted.code.clone(), converted.message.clone());
            if seen.insert(key) {
                let fixes = if with_fixes { convert::fixes(diagnostic, &positions) } else { Vec::new() };
                diagnostics.push((converted, fixes));
            }
        }
    }
    if hidden > 0 {
        let note = lsp::Diagnostic {
            range: lsp::Range::default(),
            severity: Some(lsp::DiagnosticSeverity::INFORMATION),
            source: Some("archlens".into()),
            message: format!(
                "{hidden} more findings in this file are not shown in the editor (at most {MAX_SHOWN_DIAGNOSTICS} are, the most severe first); `archlens check` lists them all"
            ),
            ..lsp::Diagnostic::default()
        };
        diagnostics.push((note, Vec::new()));
    }
    Some((diagnostics, open_version))
}

/// At most this many findings of one file go to the editor: beyond a few thousand, problem
/// panels stop being readable and publishing takes longer than the check.
pub const MAX_SHOWN_DIAGNOSTICS: usize = 5_000;

/// The findings of a file the editor is shown: all of them, or the most severe
/// [`MAX_SHOWN_DIAGNOSTICS`] in text order.
fn shown_diagnostics(all: &[crate::analysis::Diagnostic]) -> Vec<&crate::analysis::Diagnostic> {
    if all.len() <= MAX_SHOWN_DIAGNOSTICS {
        return all.iter().collect();
    }
    let mut by_severity: Vec<&crate::analysis::Diagnostic> = all.iter().collect();
    by_severity.sort_by_key(|diagnostic| diagnostic.severity);
    by_severity.truncate(MAX_SHOWN_DIAGNOSTICS);
    by_severity.sort_by_key(|diagnostic| diagnostic.span.start);
    by_severity
}

/// The problem of an `archlens.toml`, as a diagnostic at the key or value it is about.
fn config_diagnostics(state: &State, path: &Path) -> Vec<lsp::Diagnostic> {
    let text: std::sync::Arc<str> = match state.documents.get(path) {
        Some(document) => document.text.clone(),
        None => match workspace::read_text(path) {
            Ok(text) => std::sync::Arc::from(text),
            Err(_) => return Vec::new(),
        },
    };
    let Some((span, message)) = Config::problem_in_toml(&text) else { return Vec::new() };
    let positions = Positions::new(&text, state.column_unit());
    vec![lsp::Diagnostic {
        range: positions.range(&span),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some("archlens".into()),
        message: format!("{message} (archlens.toml is not applied until this is fixed)"),
        ..Default::default()
    }]
}

async fn publish(client: &Client, state: &State, path: &Path) {
    let Some(uri) = convert::uri_of(path) else {
        return;
    };
    // A stale result is not published: the check of the newer version will publish.
    let started = std::time::Instant::now();
    let Some((diagnostics, version)) = collect(state, path) else {
        return;
    };
    tracing::debug!(path = %path.display(), count = diagnostics.len(), elapsed = ?started.elapsed(), "diagnostics converted");
    match state.notifications.get() {
        // Serialised once, from the protocol types to the frame: a publish of a large
        // document is most of a keystroke's work otherwise.
        Some(frames) => {
            #[derive(serde::Serialize)]
            struct Notification<'a> {
                jsonrpc: &'static str,
                method: &'static str,
                params: &'a lsp::PublishDiagnosticsParams,
            }
            let params = lsp::PublishDiagnosticsParams { uri, diagnostics, version };
            let notification = Notification { jsonrpc: "2.0", method: "textDocument/publishDiagnostics", params: &params };
            match serde_json::to_vec(&notification) {
                Ok(body) => {
                    let _ = frames.send(super::transport::frame(&body)).await;
                }
                Err(error) => tracing::error!("a publish could not be serialised: {error}"),
            }
        }
        None => client.publish_diagnostics(uri, diagnostics, version).await,
    }
    tracing::debug!(path = %path.display(), elapsed = ?started.elapsed(), "diagnostics published");
}

/// Answers `textDocument/diagnostic`, waiting for a check of the current version if one is
/// running.
pub async fn pull(state: &Arc<State>, params: lsp::DocumentDiagnosticParams) -> lsp::DocumentDiagnosticReportResult {
    let items = match path_of(&params.text_document.uri) {
        Some(path) => wait_for_diagnostics(state, &path).await,
        None => Vec::new(),
    };
    // Most keystrokes change no diagnostic: the client is told so in a few bytes.
    let result_id = result_id(&items);
    if params.previous_result_id.as_ref() == Some(&result_id) {
        return lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Unchanged(
            lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
            },
        ));
    }
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id: Some(result_id), items },
    }))
}

async fn wait_for_diagnostics(state: &Arc<State>, path: &Path) -> Vec<lsp::Diagnostic> {
    let deadline = tokio::time::Instant::now() + PULL_WAIT;
    loop {
        let notified = state.analysis_done.notified();
        if let Some((diagnostics, _)) = collect(state, path) {
            return diagnostics;
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return Vec::new();
        }
    }
}

/// Checks every OpenAPI document of the workspace folders once, in the background, so that
/// problems in files that are not open show up and fragments know their documents.
pub fn scan_workspace(client: Client, state: Arc<State>) {
    tokio::spawn(async move {
        let folders = state.folders.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        if folders.is_empty() || !state.workspace_diagnostics() {
            state.finish_scan();
            return;
        }
        let documents = tokio::task::spawn_blocking(move || workspace::discover_documents(&folders)).await.unwrap_or_default();
        if documents.len() > MAX_SCANNED_DOCUMENTS {
            tracing::warn!("{} OpenAPI documents found; only the first {MAX_SCANNED_DOCUMENTS} are checked at start-up", documents.len());
        }
        let documents: Vec<PathBuf> = documents.into_iter().take(MAX_SCANNED_DOCUMENTS).collect();
        let progress = begin_progress(&client, &state, documents.len()).await;
        for (done, document) in documents.iter().enumerate() {
            if state.shutdown_requested() {
                break;
            }
            if let Some(progress) = &progress {
                let percentage = (done * 100 / documents.len().max(1)) as u32;
                progress.report_with_message(format!("{done} of {} files", documents.len()), percentage).await;
            }
            if !state.reports.contains_key(document) {
                check_root(client.clone(), state.clone(), document.clone()).await;
            }
        }
        state.finish_scan();
        if let Some(progress) = progress {
            progress.finish_with_message(format!("checked {}", workspace::describe_checked(&documents))).await;
        }
    });
}

/// Answers `workspace/diagnostic`: the diagnostics of every file that a checked document
/// covers, open or not, once the start-up scan is done. A file whose diagnostics did not
/// change since the client's `previousResultIds` is reported unchanged.
pub async fn workspace_pull(state: &Arc<State>, params: lsp::WorkspaceDiagnosticParams) -> lsp::WorkspaceDiagnosticReportResult {
    let deadline = tokio::time::Instant::now() + PULL_WAIT;
    while !state.scan_finished() {
        let notified = state.analysis_done.notified();
        if state.scan_finished() || tokio::time::timeout_at(deadline, notified).await.is_err() {
            break;
        }
    }
    let previous: std::collections::HashMap<String, String> =
        params.previous_result_ids.into_iter().map(|previous| (previous.uri.as_str().to_owned(), previous.value)).collect();
    let paths: BTreeSet<PathBuf> =
        state.file_roots.iter().filter(|entry| !entry.value().is_empty()).map(|entry| entry.key().clone()).collect();
    let mut items = Vec::new();
    for path in paths {
        let Some(uri) = convert::uri_of(&path) else { continue };
        // A check of the current text is still running: its refresh brings the client back.
        let Some((diagnostics, version)) = collect(state, &path) else { continue };
        let result_id = result_id(&diagnostics);
        let version = version.map(i64::from);
        if previous.get(uri.as_str()) == Some(&result_id) {
            items.push(lsp::WorkspaceDocumentDiagnosticReport::Unchanged(lsp::WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
            }));
        } else {
            items.push(lsp::WorkspaceDocumentDiagnosticReport::Full(lsp::WorkspaceFullDocumentDiagnosticReport {
                uri,
                version,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id: Some(result_id), items: diagnostics },
            }));
        }
    }
    lsp::WorkspaceDiagnosticReportResult::Report(lsp::WorkspaceDiagnosticReport { items })
}

/// Names a set of diagnostics: equal sets get equal ids. The document version in `data`
/// is left out, so that an edit that changes no diagnostic keeps the id.
fn result_id(diagnostics: &[lsp::Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for diagnostic in diagnostics {
        let without_data = lsp::Diagnostic { data: None, ..diagnostic.clone() };
        serde_json::to_string(&without_data).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Asks the client to watch the files a check reads, when it can register watchers.
pub async fn watch_files(client: &Client, state: &State) {
    if !state.watches_files() {
        return;
    }
    let watchers = ["**/*.{yaml,yml,json}", "**/archlens.toml"]
        .into_iter()
        .map(|pattern| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(pattern.into()), kind: None })
        .collect();
    let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = lsp::Registration {
        id: "archlens/watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    };
    if let Err(error) = client.register_capability(vec![registration]).await {
        tracing::warn!("the client did not register the file watchers: {error}");
    }
}

/// A file changed on disk: the documents that read it are checked again. Open buffers are
/// what counts for open files, so their disk events are ignored.
pub fn files_changed(client: &Client, state: &Arc<State>, params: lsp::DidChangeWatchedFilesParams) {
    let paths: BTreeSet<PathBuf> = params.changes.iter().filter_map(|change| path_of(&change.uri)).collect();
    state.disk_changed();
    for path in paths {
        if state.documents.contains_key(&path) {
            continue;
        }
        let known = state.file_roots.get(&path).is_some_and(|roots| !roots.is_empty()) || state.reports.contains_key(&path);
        let is_config = path.file_name().is_some_and(|name| name == CONFIG_FILE);
        // A new document is checked only when the workspace is.
        if known || is_config || state.workspace_diagnostics() {
            schedule(client, state, &path);
        }
    }
}

type ScanProgress = tower_lsp_server::OngoingProgress<tower_lsp_server::Bounded, tower_lsp_server::NotCancellable>;

/// Starts `$/progress` for the workspace scan when the client shows work-done progress.
async fn begin_progress(client: &Client, state: &State, total: usize) -> Option<ScanProgress> {
    if total == 0 || !state.shows_progress() {
        return None;
    }
    let token = lsp::ProgressToken::String("archlens/workspace-scan".into());
    let created = tokio::time::timeout(Duration::from_secs(5), client.create_work_done_progress(token.clone())).await;
    if !matches!(created, Ok(Ok(()))) {
        return None;
    }
    Some(client.progress(token, "archlens").with_message(format!("checking {total} files")).with_percentage(0).begin().await)
}
