//! What the server holds: open documents, negotiated capabilities, settings, and the latest
//! report of every OpenAPI document it has checked.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;
use tokio::sync::Notify;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::FileReport;
use crate::config::Config;
use crate::line_index::ColumnUnit;

use super::convert::path_of;

/// An open editor buffer.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub text: Arc<str>,
    pub version: i32,
    /// Whether this text is an OpenAPI document, found out once per version: the answer may
    /// mean reading megabytes, and every publish asks.
    pub is_openapi: std::sync::OnceLock<bool>,
}

impl OpenDocument {
    pub fn new(text: Arc<str>, version: i32) -> Self {
        Self { text, version, is_openapi: std::sync::OnceLock::new() }
    }
}

/// The latest check of one OpenAPI document (a "root") and the files it reaches.
#[derive(Debug, Default)]
pub struct RootReport {
    pub files: HashMap<PathBuf, FileReport>,
    /// The version of each open document that the check read.
    pub versions: HashMap<PathBuf, i32>,
    /// Line indexes of the texts of `files`, built when first needed.
    pub line_indexes: DashMap<PathBuf, Arc<crate::line_index::LineIndex>>,
    /// The configuration the check ran with.
    pub config: Option<Config>,
    /// [`State::disk_generation`] when the check started.
    pub disk_generation: u64,
}

impl RootReport {
    /// The line index of a file's text; built once per report.
    pub fn line_index(&self, path: &Path, text: &str) -> Arc<crate::line_index::LineIndex> {
        if let Some(index) = self.line_indexes.get(path) {
            return index.clone();
        }
        let index = Arc::new(crate::line_index::LineIndex::new(text));
        self.line_indexes.insert(path.to_path_buf(), index.clone());
        index
    }
}

#[derive(Default)]
pub struct State {
    pub documents: DashMap<PathBuf, OpenDocument>,
    pub reports: DashMap<PathBuf, Arc<RootReport>>,
    /// For each file, the roots whose last check included it.
    pub file_roots: DashMap<PathBuf, BTreeSet<PathBuf>>,
    /// Bumped for every scheduled check of a root; a check whose number is no longer current
    /// stops and does not publish.
    pub generations: DashMap<PathBuf, u64>,
    pub analysis_done: Notify,
    /// Parses of large files kept between checks.
    pub parse_cache: Arc<crate::workspace::ParseCache>,
    /// LLM explanations: requests in flight, the cache of answers.
    pub explainer: Arc<super::explain::Explainer>,
    /// The client opens documents the server names (`window/showDocument`).
    show_document: AtomicBool,
    /// What each open Rust file said to its crate at its last check.
    pub rust_facts: DashMap<PathBuf, crate::rust::facts::FileFacts>,
    next_generation: AtomicU64,
    /// Bumped whenever files on disk may have changed under the server (watched files, saves
    /// of files that are not open, closed buffers): a report older than that read them as
    /// they were.
    disk_generation: AtomicU64,
    utf8: AtomicBool,
    pull_diagnostics: AtomicBool,
    refresh_support: AtomicBool,
    work_done_progress: AtomicBool,
    watch_files: AtomicBool,
    /// Set when the start-up scan of the workspace has checked every document (or will not
    /// run); a workspace pull waits for it.
    scan_done: AtomicBool,
    shutdown: AtomicBool,
    pub folders: RwLock<Vec<PathBuf>>,
    /// Where notifications serialised here go, as whole frames, beside the ones the LSP
    /// framework writes (set when serving stdio).
    pub notifications: std::sync::OnceLock<tokio::sync::mpsc::Sender<Vec<u8>>>,
    settings: RwLock<serde_json::Value>,
}

impl State {
    pub fn initialize(&self, params: lsp::InitializeParams) -> lsp::InitializeResult {
        let capabilities = &params.capabilities;
        let utf8 = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
        self.utf8.store(utf8, Ordering::SeqCst);
        let pull = capabilities.text_document.as_ref().and_then(|document| document.diagnostic.as_ref()).is_some();
        self.pull_diagnostics.store(pull, Ordering::SeqCst);
        let refresh = capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.diagnostics.as_ref())
            .and_then(|diagnostics| diagnostics.refresh_support)
            .unwrap_or(false);
        self.refresh_support.store(refresh, Ordering::SeqCst);
        let watch = capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        self.watch_files.store(watch, Ordering::SeqCst);
        let progress = capabilities.window.as_ref().and_then(|window| window.work_done_progress).unwrap_or(false);
        self.work_done_progress.store(progress, Ordering::SeqCst);
        let show_document = capabilities.window.as_ref().and_then(|window| window.show_document.as_ref()).is_some_and(|show| show.support);
        self.show_document.store(show_document, Ordering::SeqCst);
        let mut folders: Vec<PathBuf> = params.workspace_folders.iter().flatten().filter_map(|folder| path_of(&folder.uri)).collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(path_of)
        {
            folders.push(root);
        }
        *self.folders.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = folders;
        if let Some(options) = params.initialization_options {
            self.set_settings(options);
        }
        let encoding = if utf8 { lsp::PositionEncodingKind::UTF8 } else { lsp::PositionEncodingKind::UTF16 };
        lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                })),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                definition_provider: Some(lsp::OneOf::Left(true)),
                execute_command_provider: Some(lsp::ExecuteCommandOptions {
                    commands: vec![super::explain::EXPLAIN_COMMAND.to_owned(), super::record::RECORD_COMMAND.to_owned()],
                    ..Default::default()
                }),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX, lsp::CodeActionKind::new(super::actions::FIX_ALL)]),
                    resolve_provider: Some(false),
                    ..Default::default()
                })),
                diagnostic_provider: pull.then(|| {
                    lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                        identifier: Some("archlens".into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        ..Default::default()
                    })
                }),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo { name: "archlens".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        }
    }

    pub fn shows_documents(&self) -> bool {
        self.show_document.load(Ordering::SeqCst)
    }

    pub fn column_unit(&self) -> ColumnUnit {
        if self.utf8.load(Ordering::SeqCst) { ColumnUnit::Utf8 } else { ColumnUnit::Utf16 }
    }

    pub fn pulls_diagnostics(&self) -> bool {
        self.pull_diagnostics.load(Ordering::SeqCst)
    }

    pub fn shows_progress(&self) -> bool {
        self.work_done_progress.load(Ordering::SeqCst)
    }

    pub fn supports_refresh(&self) -> bool {
        self.refresh_support.load(Ordering::SeqCst)
    }

    /// Whether the client watches files for the server when asked (dynamic registration).
    pub fn watches_files(&self) -> bool {
        self.watch_files.load(Ordering::SeqCst)
    }

    pub fn finish_scan(&self) {
        self.scan_done.store(true, Ordering::SeqCst);
        self.analysis_done.notify_waiters();
    }

    pub fn scan_finished(&self) -> bool {
        self.scan_done.load(Ordering::SeqCst)
    }

    pub fn request_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }

    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Accepts `{"rules": …}` or the same wrapped in `{"archlens": …}`; anything else
    /// (null, `[]` from an empty Lua table) means no settings.
    pub fn set_settings(&self, value: serde_json::Value) {
        let value = match value {
            serde_json::Value::Object(mut map) if map.contains_key("archlens") => map.remove("archlens").unwrap_or_default(),
            serde_json::Value::Object(map) => serde_json::Value::Object(map),
            _ => serde_json::Value::Null,
        };
        *self.settings.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = value;
    }

    /// `diagnostics.workspace` (default true): whether OpenAPI documents that are not open
    /// are checked at start-up and their findings published.
    pub fn workspace_diagnostics(&self) -> bool {
        let settings = self.settings.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        settings
            .get("diagnostics")
            .and_then(|diagnostics| diagnostics.get("workspace"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true)
    }

    /// The configuration for a document: its `archlens.toml`, then the editor settings.
    pub fn config_for(&self, path: &Path) -> Config {
        let base = Config::load_for(path).unwrap_or_else(|error| {
            // The first line says where the mistake is; a TOML error goes on to quote the
            // file, which stays out of the log (the whole message is shown on the file).
            tracing::warn!("{}; using the defaults", error.lines().next().unwrap_or_default());
            Config::default()
        });
        let settings = self.settings.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        base.clone().with_settings(&settings).unwrap_or_else(|error| {
            tracing::warn!("invalid archlens settings: {error}");
            base
        })
    }

    /// The workspace folder that holds `path`, or the folder a check would use on its own.
    pub fn workspace_root_for(&self, path: &Path) -> PathBuf {
        let folders = self.folders.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        folders
            .iter()
            .filter(|folder| path.starts_with(folder))
            .max_by_key(|folder| folder.as_os_str().len())
            .cloned()
            .unwrap_or_else(|| crate::workspace::workspace_root_for(path))
    }

    /// Starts a new generation for a root and returns its number.
    pub fn bump_generation(&self, root: &Path) -> u64 {
        let generation = self.next_generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.generations.insert(root.to_path_buf(), generation);
        generation
    }

    pub fn disk_generation(&self) -> u64 {
        self.disk_generation.load(Ordering::SeqCst)
    }

    pub fn disk_changed(&self) {
        self.disk_generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn is_current(&self, root: &Path, generation: u64) -> bool {
        self.generations.get(root).is_some_and(|current| *current == generation)
    }
}
