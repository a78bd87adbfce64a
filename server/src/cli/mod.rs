//! The command line: `check`, `rules`, `explain`, `lsp`. The only module that prints.

mod github;
mod human;
mod json;
mod sarif;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::baseline::Baseline;
use crate::analysis::{FileReport, Report, Severity};
use crate::config::Config;
use crate::rules::{find_rule, registry};
use crate::workspace::{self, RunSource};

#[derive(Debug, Parser)]
#[command(
    name = "archlens",
    version,
    about = "Reviews backend projects the way a senior architect would: a language server and a CI checker"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Serve the language server on stdio (what editors pass).
    #[arg(long, hide = true)]
    stdio: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check OpenAPI documents under the given paths (default: the current folder).
    Check(CheckArgs),
    /// List every rule.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// A rule code (API001) or name (verb-in-path).
        rule: String,
        /// Also ask the model configured in `[llm]` of archlens.toml to explain the rule's
        /// finding on this line of this file (`src/routes.rs:42`).
        #[arg(long, value_name = "FILE:LINE")]
        llm: Option<String>,
    },
    /// Serve the Language Server Protocol on stdio.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Write the rule pages (docs/rules) from the rules' documentation, and the JSON Schema of
    /// archlens.toml beside that folder.
    #[command(hide = true)]
    GenDocs { out: PathBuf },
    /// Print what the project model knows of the Rust files under a path: the kind of code
    /// each is (server, command-line tool, test…), and the workspace's packages and binaries.
    #[command(hide = true)]
    Model { path: PathBuf },
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Configuration file (default: the nearest archlens.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only these rules (codes, names or area prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// These rules too, besides the selected ones (comma-separated): how to run a rule that
    /// is off by default.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Report only findings on lines changed since this git revision (committed or not), and
    /// take the migrations changed since it for the unreleased ones.
    #[arg(long, value_name = "REF")]
    diff: Option<String>,
    /// Skip these rules (codes, names or area prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Hide the findings recorded in this baseline (default: `baseline` in archlens.toml).
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Record today's findings in this file and exit 0.
    #[arg(long)]
    write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Lsp { .. }) => run_lsp(),
        None if cli.stdio => run_lsp(),
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            ExitCode::from(2)
        }
        Some(Command::Check(arguments)) => {
            init_logging("warn");
            check(arguments)
        }
        Some(Command::Rules) => {
            print_rules();
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule, llm }) => match find_rule(&rule) {
            Some(meta) => {
                emit(&crate::rule_docs::rule_page(meta));
                match llm {
                    Some(place) => {
                        init_logging("warn");
                        explain_with_llm(meta, &place)
                    }
                    None => ExitCode::SUCCESS,
                }
            }
            None => {
                eprintln!("error: no rule is called `{rule}`; `archlens rules` lists them");
                ExitCode::from(2)
            }
        },
        Some(Command::Model { path }) => {
            print_model(&path);
            ExitCode::SUCCESS
        }
        Some(Command::GenDocs { out }) => match write_docs(&out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        },
    }
}

fn run_lsp() -> ExitCode {
    return_memory_promptly();
    init_logging("info");
    match crate::lsp::serve_stdio() {
        Ok(true) => ExitCode::SUCCESS,
        // `exit` without `shutdown`: the protocol asks for exit code 1.
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            tracing::error!("language server failed: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// The allocator keeps freed pages for a few milliseconds and hands them back to the system
/// only when it is next called, so an idle server would keep the peak of its last check
/// resident (about 170 MiB instead of 90 MiB with GitHub's description open). Setting its
/// purge delay to zero fixes that at little cost; mimalloc reads the setting from the
/// environment when it starts, so the server starts itself again, once, with it set.
#[cfg(unix)]
fn return_memory_promptly() {
    use std::os::unix::process::CommandExt;
    const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";
    if std::env::var_os(PURGE_DELAY).is_some() {
        return;
    }
    let Ok(executable) = std::env::current_exe() else { return };
    // `exec` returns only when it fails; the server then runs as it is.
    let _ = std::process::Command::new(executable).args(std::env::args_os().skip(1)).env(PURGE_DELAY, "0").exec();
}

#[cfg(not(unix))]
fn return_memory_promptly() {}

/// Logs go to stderr (stdout is JSON-RPC or the report); `ARCHLENS_LOG` sets the filter, for
/// example `ARCHLENS_LOG=archlens=debug` for the time of each step and rule.
fn init_logging(default: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("ARCHLENS_LOG").unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).try_init();
}

fn print_model(path: &Path) {
    let path = workspace::absolute(path);
    let source = RunSource::default();
    let documents: Vec<PathBuf> =
        workspace::discover_documents(std::slice::from_ref(&path)).into_iter().filter(|file| crate::rust::is_rust_file(file)).collect();
    let Some(first) = documents.first() else { return };
    let model = source.models.model_for(first, &source, None);
    let mut out = format!("{:?}\nobservability: {:?}\n", model.root, model.observability());
    for package in &model.cargo.packages {
        out.push_str(&format!("package {} {}\n", package.name, package.folder.display()));
        for (root, kind) in model
            .binaries_of(&package.folder.join("src/main.rs"))
            .iter()
            .chain(package.binaries.first().map(|binary| model.binaries_of(&binary.root)).unwrap_or_default())
        {
            out.push_str(&format!("  binary {} {kind:?}\n", root.display()));
        }
    }
    for (index, file) in model.files.iter().enumerate() {
        out.push_str(&format!("{} {:?} {}\n", file.path.display(), file.kind, file.module.join("::")));
        for (function_index, function) in file.summary.functions.iter().enumerate() {
            let id = crate::project::FunctionId { file: index, index: function_index };
            if let Some(handler) = model.calls.handler_reaching(id) {
                let (handler_path, _, _) = model.place_of(handler);
                out.push_str(&format!(
                    "  fn {} reached from handler {} in {}\n",
                    function.name,
                    model.function(handler).name,
                    handler_path.display()
                ));
            }
        }
    }
    emit(&out);
}

fn print_rules() {
    // Columns are two spaces apart at least, so that a reader can split on runs of spaces
    // (areas hold single spaces).
    let mut out = format!("{:<8} {:<33} {:<28}  {:<9} {:<8} precision\n", "code", "name", "area", "severity", "default");
    for rule in registry() {
        let meta = rule.meta();
        let precision = crate::rules::precision::label(meta.code);
        out.push_str(&format!(
            "{:<8} {:<33} {:<28}  {:<9} {:<8} {precision}\n",
            meta.code,
            meta.name,
            meta.area.title(),
            meta.severity.label(),
            if meta.on_by_default() { "on" } else { "off" }
        ));
    }
    emit(&out);
}

/// Writes to stdout; a closed pipe (`archlens rules | head`) ends the output quietly.
/// `explain CODE --llm FILE:LINE`: the model's explanation of that finding, written after
/// the rule's documentation.
fn explain_with_llm(meta: &'static crate::rules::RuleMeta, place: &str) -> ExitCode {
    let fail = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let Some((file, line)) = place.rsplit_once(':').and_then(|(file, line)| Some((file, line.parse::<usize>().ok()?))) else {
        return fail(format!("`{place}` is not FILE:LINE"));
    };
    let path = workspace::absolute(Path::new(file));
    let config = match Config::load_for(path.parent().unwrap_or(Path::new("."))) {
        Ok(config) => config,
        Err(error) => return fail(error),
    };
    if !config.llm.enabled {
        return fail("LLM explanations are off: set `enabled = true` under `[llm]` in archlens.toml".to_owned());
    }
    let root = workspace::workspace_root_for(&path);
    let report = match workspace::check_document(&path, &root, &RunSource::default(), &config, &|| false) {
        Ok(Some(report)) => report,
        Ok(None) => return fail(format!("{file} was not checked")),
        Err(error) => return fail(error),
    };
    let found = report.files.iter().filter(|checked| checked.path == path).find_map(|checked| {
        let index = crate::line_index::LineIndex::new(&checked.text);
        checked
            .diagnostics
            .iter()
            .find(|diagnostic| {
                diagnostic.rule.code == meta.code
                    && index.position(&checked.text, diagnostic.span.start, crate::line_index::ColumnUnit::Utf8).line as usize + 1 == line
            })
            .map(|diagnostic| (diagnostic.clone(), checked.text.clone()))
    });
    let Some((diagnostic, text)) = found else {
        return fail(format!("no {} finding on line {line} of {file}", meta.code));
    };
    let settings = &config.llm;
    let (key, prompt) = crate::llm::request_for(&diagnostic, &text, settings);
    let cache = crate::llm::cache::AnswerCache::default();
    let answer = match cache.get(&key) {
        Some(answer) => Ok(answer),
        None => {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => return fail(error.to_string()),
            };
            let answer = runtime.block_on(crate::llm::complete(settings, &prompt));
            if let Ok(text) = &answer {
                cache.put(&key, text);
            }
            answer
        }
    };
    match answer {
        Ok(text) => {
            emit(&format!("\n## AI explanation (model `{}`)\n\n{text}\n", settings.model));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: AI explanation unavailable: {}", error.line(settings));
            ExitCode::from(1)
        }
    }
}

fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

fn write_docs(out: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|error| format!("{}: {error}", out.display()))?;
    // The configuration schema sits beside the rule pages' folder: docs/archlens.schema.json.
    let schema = out.parent().unwrap_or(Path::new(".")).join("archlens.schema.json");
    std::fs::write(&schema, crate::rule_docs::config_schema_text()).map_err(|error| format!("{}: {error}", schema.display()))?;
    for (name, content) in crate::rule_docs::all_pages() {
        let path = out.join(name);
        std::fs::write(&path, content).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}

fn check(arguments: CheckArgs) -> ExitCode {
    let paths = if arguments.paths.is_empty() { vec![PathBuf::from(".")] } else { arguments.paths.clone() };
    for path in &paths {
        if !path.exists() {
            eprintln!("error: {}: no such file or folder", path.display());
            return ExitCode::from(2);
        }
    }
    let config = match load_config(&arguments, &paths[0]) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let documents = workspace::discover_documents(&paths);
    // The lines changed since `--diff REF`, read before the check so that a bad revision
    // stops the run at once.
    let changes = match &arguments.diff {
        Some(revision) => {
            let folder = workspace::absolute(&paths[0]);
            match workspace::vcs::repository_of(&folder).and_then(|repository| workspace::vcs::changes(&repository, Some(revision))) {
                Some(changes) => Some(changes),
                None => {
                    eprintln!("error: --diff {revision}: not a revision of a git repository holding {}", paths[0].display());
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let mut files = check_documents(&documents, &config);
    if let Some(changes) = &changes {
        keep_changed_lines(&mut files, changes);
    }
    if let Some(path) = &arguments.write_baseline {
        let path = workspace::absolute(path);
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let baseline = Baseline::record(&root, files.iter().map(|file| (file.path.as_path(), file.diagnostics.as_slice())));
        let count: usize = files.iter().map(|file| file.diagnostics.len()).sum();
        return match workspace::write_baseline(&path, &baseline) {
            Ok(()) => {
                eprintln!("archlens: recorded {count} findings in {}", display_path(&path));
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        };
    }
    if let Some(path) = arguments.baseline.clone().or_else(|| config.baseline.clone()) {
        match workspace::read_baseline(&workspace::absolute(&path)) {
            Ok(baseline) => {
                baseline.hide(&mut files);
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        }
    }
    let output = match arguments.format {
        OutputFormat::Human => human::render(
            &files,
            &workspace::describe_checked(&documents),
            std::io::IsTerminal::is_terminal(&std::io::stdout()) && std::env::var_os("NO_COLOR").is_none(),
        ),
        OutputFormat::Json => json::render(&files),
        OutputFormat::Sarif => sarif::render(&files),
        OutputFormat::Github => github::render(&files),
    };
    emit(&output);
    let failed = files.iter().flat_map(|file| &file.diagnostics).any(|diagnostic| diagnostic.severity == Severity::Error);
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn load_config(arguments: &CheckArgs, first_path: &Path) -> Result<Config, String> {
    let mut config = match &arguments.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
            let mut config = Config::from_toml(&text).map_err(|error| format!("{}: {error}", path.display()))?;
            config.baseline = config.baseline.map(|baseline| path.parent().unwrap_or(Path::new(".")).join(baseline));
            config
        }
        None => Config::load_for(&workspace::absolute(first_path))?,
    };
    if !arguments.select.is_empty() {
        // `--select` says which rules run: the configuration's `extend-select` gives way too.
        config.select = arguments.select.clone();
        config.extend_select.clear();
    }
    config.extend_select.extend(arguments.extend_select.iter().cloned());
    config.diff = arguments.diff.clone();
    config.ignore.extend(arguments.ignore.iter().cloned());
    Ok(config)
}

/// Keeps the findings that touch a line changed since the base of `changes` (`--diff`).
fn keep_changed_lines(files: &mut [FileReport], changes: &crate::project::migrations::Changes) {
    for file in files.iter_mut() {
        if !changes.touches(&file.path) {
            file.diagnostics.clear();
            continue;
        }
        let index = crate::line_index::LineIndex::new(&file.text);
        let line = |offset: usize| index.position(&file.text, offset, crate::line_index::ColumnUnit::Utf8).line;
        file.diagnostics.retain(|diagnostic| changes.touches_lines(&file.path, line(diagnostic.span.start)..=line(diagnostic.span.end)));
    }
}

/// Checks documents on every core, one document per task; output order is by path. A
/// document that cannot be read is a finding about that file, not the end of the run.
fn check_documents(documents: &[PathBuf], config: &Config) -> Vec<FileReport> {
    let source = RunSource::default();
    if documents.iter().any(|document| crate::rust::is_rust_file(document)) {
        crate::rust::queries::prepare();
    }
    // What git says changed, and the history of the first migration folder, are asked while
    // the other files are checked: the migrations' checks need them.
    let migration = documents.iter().map(|document| workspace::absolute(document)).find(|path| crate::sql::is_versioned(path));
    let reports = std::thread::scope(|scope| {
        if let Some(migration) = &migration {
            let source = &source;
            scope.spawn(move || {
                if config.sql_released_before.is_none() || config.diff.is_some() {
                    source.models.changes_for(migration, config.diff.as_deref(), source);
                }
                source.models.history_for(migration, config, source);
            });
        }
        check_each(documents, config, &source)
    });
    let mut merged: BTreeMap<PathBuf, FileReport> = BTreeMap::new();
    for report in reports.into_iter().flatten() {
        merge(&mut merged, report);
    }
    let mut files: Vec<FileReport> = merged.into_values().collect();
    for file in &mut files {
        file.diagnostics.sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.rule.code));
    }
    files
}

fn check_each(documents: &[PathBuf], config: &Config, source: &RunSource) -> Vec<Option<Report>> {
    // The workspace root of each folder, looked up once.
    let roots: std::sync::Mutex<HashMap<PathBuf, PathBuf>> = Default::default();
    crate::parallel::map(documents, |document| {
        let absolute = workspace::absolute(document);
        let folder = absolute.parent().unwrap_or(&absolute).to_path_buf();
        let known = roots.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&folder).cloned();
        let root = known.unwrap_or_else(|| {
            let root = workspace::workspace_root_for(&absolute);
            roots.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(folder, root.clone());
            root
        });
        match workspace::check_document(&absolute, &root, source, config, &|| false) {
            Ok(report) => report,
            Err(error) => Some(Report::unreadable(&absolute, &error)),
        }
    })
}

/// Adds a document's report; a file reached from several documents keeps one copy of each
/// diagnostic.
fn merge(merged: &mut BTreeMap<PathBuf, FileReport>, report: Report) {
    for file in report.files {
        let entry = merged.entry(file.path.clone()).or_insert_with(|| FileReport {
            path: file.path.clone(),
            text: file.text.clone(),
            diagnostics: Vec::new(),
        });
        if entry.diagnostics.is_empty() {
            // The first document to reach a file: its diagnostics are already de-duplicated.
            entry.diagnostics = file.diagnostics;
            continue;
        }
        let seen: std::collections::HashSet<(std::ops::Range<usize>, &str, String)> =
            entry.diagnostics.iter().map(|seen| (seen.span.clone(), seen.rule.code, seen.message.clone())).collect();
        let fresh: Vec<_> = file
            .diagnostics
            .into_iter()
            .filter(|diagnostic| !seen.contains(&(diagnostic.span.clone(), diagnostic.rule.code, diagnostic.message.clone())))
            .collect();
        entry.diagnostics.extend(fresh);
    }
}

/// A path as the user would type it: relative to the current folder when below it.
pub fn display_path(path: &Path) -> String {
    let current = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&current).unwrap_or(path).display().to_string()
}
