//! The engine: runs the enabled rules over a loaded project and turns their findings into
//! diagnostics. Pure and synchronous: no IO, no async, no protocol types.

pub mod baseline;
pub mod incremental;
pub mod migrations;
pub mod records;
pub mod rust_source;
pub mod suppression;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::line_index::LineIndex;
use crate::openapi::edit::TextEdit;
use crate::openapi::model::{ApiModel, NodeAt};
use crate::openapi::pointer::{JsonPointer, locate_with};
use crate::openapi::project::{FileId, Project};
use crate::openapi::syntax::Span;
use crate::rules::{self, Rule, RuleMeta};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A code action: one or more edits to the file that holds the diagnostic, or to `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// The one fix that is clearly right (`isPreferred`).
    pub preferred: bool,
    /// Another file the edits apply to, with the text they were made for (the editor offers
    /// the fix only while that file still has this text).
    #[serde(skip)]
    pub target: Option<(PathBuf, Arc<str>)>,
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<TextEdit>) -> Self {
        Self { title: title.into(), edits, preferred: false, target: None }
    }

    /// A fix whose edits apply to another file, whose text they were made for.
    pub fn in_file(title: impl Into<String>, path: PathBuf, text: Arc<str>, edits: Vec<TextEdit>) -> Self {
        Self { title: title.into(), edits, preferred: false, target: Some((path, text)) }
    }

    pub fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }
}

/// Another place that explains a diagnostic (the `$ref` that brought a file in, a first
/// occurrence).
#[derive(Debug, Clone)]
pub struct Related {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub path: PathBuf,
    pub span: Span,
    pub pointer: JsonPointer,
    pub message: String,
    pub fixes: Vec<Fix>,
    /// Inserts an allow comment (YAML) or `x-archlens-allow` (JSON) for this rule.
    pub suppression: Option<Fix>,
    pub related: Vec<Related>,
}

/// Diagnostics of one file, with the text they were computed on.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The outcome of checking one document and the files it references. Every file of the
/// project is listed, with or without diagnostics, so stale ones can be cleared.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

impl Report {
    /// The report of a document that could not be read at all (not UTF-8, too large, gone):
    /// one `invalid-document` diagnostic that says why.
    pub fn unreadable(path: &std::path::Path, reason: &str) -> Report {
        let rule = rules::find_rule("API024").expect("API024 is registered");
        let diagnostic = Diagnostic {
            rule,
            severity: rule.severity,
            path: path.to_path_buf(),
            span: 0..0,
            pointer: JsonPointer::root(),
            message: format!("the document cannot be read: {reason}"),
            fixes: Vec::new(),
            suppression: None,
            related: Vec::new(),
        };
        Report { files: vec![FileReport { path: path.to_path_buf(), text: Arc::from(""), diagnostics: vec![diagnostic] }] }
    }
}

/// What a rule reports, before configuration and suppressions are applied.
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: FileId,
    pub span: Span,
    pub pointer: JsonPointer,
    pub message: String,
    pub fixes: Vec<Fix>,
    pub related: Vec<(FileId, Span, String)>,
    /// Related places in files outside the project or file checked (the other side of a
    /// service: its OpenAPI document, its router).
    pub elsewhere: Vec<Related>,
    /// Overrides the rule's severity for one variant of a finding.
    pub severity: Option<Severity>,
    /// The population of items it is one of ([`Sink::population`]), if any.
    pub population: Option<&'static str>,
}

impl Finding {
    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fixes.push(fix);
        self
    }

    pub fn related(&mut self, file: FileId, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push((file, span, message.into()));
        self
    }

    /// Makes it one of the items of the rule's population `key`: when most of those fail,
    /// they are reported as one finding where the decision is made.
    pub fn of(&mut self, key: &'static str) -> &mut Self {
        self.population = Some(key);
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = Some(severity);
        self
    }

    pub fn elsewhere(&mut self, path: PathBuf, text: Arc<str>, span: Span, message: impl Into<String>) -> &mut Self {
        self.elsewhere.push(Related { path, text, span, message: message.into() });
        self
    }
}

/// The items a rule judged for one choice an API makes everywhere (every operation answers
/// `429`, every create takes an idempotency key), and where that choice is made. When most
/// of the items fail, the API made the choice: the findings become one, there.
#[derive(Debug, Clone)]
pub struct Population {
    /// How many items the rule judged.
    pub applicable: usize,
    /// What the items are, plural: "operations", "GET operations that answer 200".
    pub noun: String,
    /// What the failing ones do, a plural predicate: "document no 429 response".
    pub predicate: String,
    /// What to do, in one place.
    pub advice: String,
    /// Where the decision belongs (the `paths` key, a shared response, `components`); the
    /// document's first key when `None`.
    pub at: Option<(FileId, Span, JsonPointer)>,
    /// A fix that makes the decision in one place, where one exists.
    pub fix: Option<Fix>,
}

impl Population {
    pub fn new(applicable: usize, noun: impl Into<String>, predicate: impl Into<String>, advice: impl Into<String>) -> Population {
        Population { applicable, noun: noun.into(), predicate: predicate.into(), advice: advice.into(), at: None, fix: None }
    }

    /// Places the grouped finding on `at` (its key).
    pub fn at(mut self, at: &NodeAt<'_>) -> Population {
        self.at = Some((at.file, at.span(), at.pointer.clone()));
        self
    }

    /// Places the grouped finding on the document's `paths` key: a choice made for every
    /// operation.
    pub fn at_paths(self, model: &ApiModel<'_>) -> Population {
        match model.document.child("paths") {
            Some(paths) => self.at(&paths),
            None => self,
        }
    }

    /// Places the grouped finding on a section of `components` (`schemas`, `responses`), or
    /// on `paths` when the document has no such section.
    pub fn at_components(self, model: &ApiModel<'_>, section: &str) -> Population {
        match model.document.child("components").and_then(|components| components.child(section)) {
            Some(at) => self.at(&at),
            None => self.at_paths(model),
        }
    }

    pub fn fix(mut self, fix: Fix) -> Population {
        self.fix = Some(fix);
        self
    }
}

/// Collects a rule's findings.
#[derive(Debug, Default)]
pub struct Sink {
    findings: Vec<Finding>,
    populations: Vec<(&'static str, Population)>,
}

impl Sink {
    /// Reports on a node, underlining its key (or the value when it has no key).
    pub fn at(&mut self, at: &NodeAt<'_>, message: impl Into<String>) -> &mut Finding {
        self.span(at.file, at.span(), at.pointer.clone(), message)
    }

    /// Reports on a node, underlining the value of its member `key` (a parameter's `name`)
    /// when it has one.
    pub fn at_member_value(&mut self, at: &NodeAt<'_>, key: &str, message: impl Into<String>) -> &mut Finding {
        let span = at.node.get(key).map_or_else(|| at.node.span.clone(), |member| member.span.clone());
        self.span(at.file, span, at.pointer.clone(), message)
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// Declares the population `key` of the findings marked with [`Finding::of`].
    pub fn population(&mut self, key: &'static str, population: Population) {
        self.populations.retain(|(known, _)| *known != key);
        self.populations.push((key, population));
    }

    pub fn span(&mut self, file: FileId, span: Span, pointer: JsonPointer, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            file,
            span,
            pointer,
            message: message.into(),
            fixes: Vec::new(),
            related: Vec::new(),
            elsewhere: Vec::new(),
            severity: None,
            population: None,
        });
        self.findings.last_mut().expect("just pushed")
    }
}

/// What a rule sees.
pub struct RuleContext<'a> {
    pub project: &'a Project,
    /// `None` when the root is not an OpenAPI 3.x document (API024 says why).
    pub model: Option<&'a ApiModel<'a>>,
    pub config: &'a Config,
    /// The routes of the crate the document describes, when it describes one.
    pub service: Option<&'a crate::workspace::services::ServiceRoutes>,
}

impl RuleContext<'_> {
    /// An edit that adds `key: value` to the mapping `at`, in the style of its file.
    pub fn insert_member(&self, at: &NodeAt<'_>, key: &str, value: &serde_json::Value) -> TextEdit {
        let file = self.project.file(at.file);
        crate::openapi::edit::insert_member(&file.text, file.parsed.format, at.node, key, value)
    }

    /// An edit that removes the member `key` of the mapping `at`; `None` where it cannot be
    /// removed cleanly.
    pub fn remove_member(&self, at: &NodeAt<'_>, key: &str) -> Option<TextEdit> {
        let file = self.project.file(at.file);
        crate::openapi::edit::remove_member(&file.text, file.parsed.format, at.node, key)
    }

    /// Edits that add `headers` (name → header object) to the response `at`: into its
    /// `headers` mapping, or as a new one. `None` when `headers` is not a mapping.
    pub fn add_response_headers(&self, response: &NodeAt<'_>, headers: serde_json::Value) -> Option<Vec<TextEdit>> {
        match response.child("headers") {
            Some(existing) if existing.node.as_map().is_some() => {
                Some(headers.as_object()?.iter().map(|(name, header)| self.insert_member(&existing, name, header)).collect())
            }
            Some(_) => None,
            None => Some(vec![self.insert_member(response, "headers", &headers)]),
        }
    }

    /// An edit that adds `value` at the end of the sequence `at`, in the style of its file.
    pub fn append_item(&self, at: &NodeAt<'_>, value: &serde_json::Value) -> TextEdit {
        let file = self.project.file(at.file);
        crate::openapi::edit::append_item(&file.text, file.parsed.format, at.node, value)
    }
}

/// Checks a project with every enabled rule. Returns `None` when `cancelled` says a newer
/// request has made the work pointless.
pub fn check_project(project: &Project, config: &Config, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Report> {
    check_project_with(project, config, None, rules::registry(), cancelled)
}

/// [`check_project`] for a document that describes the routes of a crate.
pub fn check_project_for(
    project: &Project,
    config: &Config,
    service: Option<&crate::workspace::services::ServiceRoutes>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Report> {
    check_project_with(project, config, service, rules::registry(), cancelled)
}

/// [`check_project`] with a given set of rules.
pub fn check_project_with(
    project: &Project,
    config: &Config,
    service: Option<&crate::workspace::services::ServiceRoutes>,
    rules: &[&dyn Rule],
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Report> {
    let started = std::time::Instant::now();
    let model = ApiModel::build(project);
    tracing::debug!(elapsed = ?started.elapsed(), "model built");
    // `[[overrides]]` make settings differ per file: the document's own settings drive the
    // rules, and each finding is kept and graded by the settings of the file it is in.
    let file_configs: Vec<std::borrow::Cow<'_, Config>> = project.files.iter().map(|file| config.for_file(&file.path)).collect();
    let config: &Config = &file_configs[project.root];
    let context = RuleContext { project, model: model.as_ref(), config, service };
    let enabled: Vec<&dyn Rule> = rules
        .iter()
        .copied()
        .filter(|rule| {
            matches!(rule.meta().input, rules::Input::OpenApi | rules::Input::Service)
                && file_configs.iter().any(|file_config| file_config.is_enabled(rule.meta()))
        })
        .collect();
    let findings_by_rule = run_rules(&enabled, &context, cancelled)?;
    let started = std::time::Instant::now();
    let suppressions: Vec<_> = project.files.iter().map(suppression::Suppressions::of).collect();
    tracing::debug!(elapsed = ?started.elapsed(), "suppressions read");
    let mut files: Vec<FileReport> =
        project.files.iter().map(|file| FileReport { path: file.path.clone(), text: file.text.clone(), diagnostics: Vec::new() }).collect();
    let line_indexes: Vec<std::cell::OnceCell<LineIndex>> = project.files.iter().map(|_| std::cell::OnceCell::new()).collect();
    let operation_count = model.as_ref().map_or(0, |model| model.operations().count());
    for (meta, sink) in findings_by_rule {
        let kept: Vec<Finding> = sink
            .findings
            .into_iter()
            .filter(|finding| {
                finding.file < project.files.len()
                    && file_configs[finding.file].is_enabled(meta)
                    && !suppressions[finding.file].allows(&finding.pointer, meta)
                    && (meta.code == "API024" || !hidden_by_syntax_error(project, finding))
            })
            .collect();
        let kept = if config.groups_info() {
            let (members, loose): (Vec<Finding>, Vec<Finding>) = kept.into_iter().partition(|finding| finding.population.is_some());
            let mut kept = group_by_population(project, meta, members, &sink.populations);
            kept.extend(group_info_findings(project, config, meta, loose, operation_count));
            // A grouped finding sits where the decision is made: a suppression there silences it.
            kept.retain(|finding| !suppressions[finding.file].allows(&finding.pointer, meta));
            kept
        } else {
            kept
        };
        for finding in kept {
            let file = finding.file;
            let index = line_indexes[file].get_or_init(|| LineIndex::new(&project.file(file).text));
            files[file].diagnostics.push(to_diagnostic(project, &file_configs[file], meta, finding, index));
        }
    }
    tracing::debug!(elapsed = ?started.elapsed(), "diagnostics made");
    for file in &mut files {
        file.diagnostics.sort_by(|left, right| (left.span.start, left.rule.code).cmp(&(right.span.start, right.rule.code)));
        file.diagnostics
            .dedup_by(|left, right| left.span == right.span && left.rule.code == right.rule.code && left.message == right.message);
    }
    tracing::debug!(elapsed = ?started.elapsed(), "findings assembled");
    Some(Report { files })
}

/// Findings of one population, when a quarter or more of its items fail, become one finding
/// where the decision belongs, naming how many items fail, with each in related information
/// (the first [`GROUP_LIST_LIMIT`]) and the population's one-place fix; the rule's own fixes
/// of each item come along as one "fix all" when they all edit the grouped finding's file
/// without overlapping. That many failing items are a choice the API made (or never made),
/// one problem; when fewer fail, the few that deviate from what the rest do are each a
/// finding.
fn group_by_population(
    project: &Project,
    meta: &'static RuleMeta,
    findings: Vec<Finding>,
    populations: &[(&'static str, Population)],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut by_key: Vec<(&'static str, Vec<Finding>)> = Vec::new();
    for finding in findings {
        let key = finding.population.unwrap_or_default();
        match by_key.iter_mut().find(|(known, _)| *known == key) {
            Some((_, members)) => members.push(finding),
            None => by_key.push((key, vec![finding])),
        }
    }
    for (key, members) in by_key {
        let Some((_, population)) = populations.iter().find(|(known, _)| *known == key) else {
            out.extend(members);
            continue;
        };
        if members.len() < 2 || members.len() * 4 < population.applicable {
            out.extend(members);
            continue;
        }
        let (file, span, pointer) = population.at.clone().unwrap_or_else(|| {
            let root = project.root_node();
            let span = root.and_then(|root| root.as_map()).and_then(|entries| entries.first()).map_or(0..0, |entry| entry.key_span.clone());
            (project.root, span, JsonPointer::root())
        });
        let count = members.len();
        let applicable = population.applicable.max(count);
        let share = if count == applicable { format!("all {count}") } else { format!("{count} of {applicable}") };
        let message = format!(
            "{share} {} {}: {}; each is listed in the related information",
            population.noun, population.predicate, population.advice
        );
        let mut grouped = Finding {
            file,
            span,
            pointer,
            message,
            fixes: population.fix.iter().cloned().collect(),
            related: Vec::new(),
            elsewhere: Vec::new(),
            // The rule's own severity when any item has it, else the items' variant's.
            severity: if members.iter().any(|finding| finding.severity.is_none()) { None } else { members[0].severity },
            population: None,
        };
        if let Some(all) = fix_all(file, &members, meta) {
            grouped.fixes.push(all);
        }
        for finding in members.into_iter().take(GROUP_LIST_LIMIT) {
            grouped.related.push((finding.file, finding.span, finding.message));
        }
        out.push(grouped);
    }
    out
}

/// The preferred fix of every finding as one, when each has one, all edit `file` and none
/// overlap.
fn fix_all(file: FileId, members: &[Finding], meta: &'static RuleMeta) -> Option<Fix> {
    let mut edits = Vec::new();
    for finding in members {
        let fix = finding.fixes.iter().find(|fix| fix.preferred)?;
        if finding.file != file || fix.target.is_some() {
            return None;
        }
        edits.extend(fix.edits.iter().cloned());
    }
    edits.sort_by_key(|edit: &TextEdit| (edit.span.start, edit.span.end));
    if edits.windows(2).any(|pair| pair[0].span.end > pair[1].span.start) {
        return None;
    }
    Some(Fix::new(format!("Fix all {} findings of {}", members.len(), meta.code), edits))
}

/// Info-level findings at or above this count, and on more than half of the operations,
/// are reported once per document.
const GROUP_INFO_AT: usize = 10;
/// How many places the grouped finding lists in its related information.
pub(crate) const GROUP_LIST_LIMIT: usize = 500;

/// An info-level rule that would fire on most operations of a document says so once, at the
/// top of the document, with every place in related information: information must never
/// flood the problems list. Findings at other levels pass through.
fn group_info_findings(
    project: &Project,
    config: &Config,
    meta: &'static RuleMeta,
    findings: Vec<Finding>,
    operations: usize,
) -> Vec<Finding> {
    let (info, mut others): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|finding| config.severity_of(meta, finding.severity) == Severity::Info);
    if info.len() < GROUP_INFO_AT || info.len() * 2 <= operations {
        others.extend(info);
        return others;
    }
    let root = project.root_node();
    let span = root.and_then(|root| root.as_map()).and_then(|entries| entries.first()).map_or(0..0, |entry| entry.key_span.clone());
    let mut grouped = Finding {
        elsewhere: Vec::new(),
        file: project.root,
        span,
        pointer: JsonPointer::root(),
        message: format!(
            "{} findings of {} in this document, on most of its operations; each is listed in the related information (first: {})",
            info.len(),
            meta.name,
            info[0].message
        ),
        fixes: Vec::new(),
        related: Vec::new(),
        severity: Some(Severity::Info),
        population: None,
    };
    for finding in info.into_iter().take(GROUP_LIST_LIMIT) {
        grouped.related.push((finding.file, finding.span, finding.message));
    }
    others.push(grouped);
    others
}

/// Runs the rules on every core, each rule once; results keep the order of `rules`. `None`
/// when cancelled.
fn run_rules(
    rules: &[&dyn Rule],
    context: &RuleContext<'_>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<(&'static RuleMeta, Sink)>> {
    // Longest first (by the time each rule took last time), so that no core idles while
    // another runs a slow rule alone at the end.
    // The costs are read once: other checks update them meanwhile.
    let costs: Vec<u64> = rules.iter().map(|rule| last_cost(rule.meta().code)).collect();
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|index| std::cmp::Reverse(costs[*index]));
    let results = crate::parallel::map(&order, |&index| {
        if cancelled() {
            return None;
        }
        let rule = rules[index];
        let started = std::time::Instant::now();
        let findings = run_rule(rule, context);
        let elapsed = started.elapsed();
        record_cost(rule.meta().code, elapsed);
        tracing::debug!(rule = rule.meta().code, ?elapsed, "rule ran");
        Some(findings)
    });
    let mut by_rule: Vec<Option<Sink>> = rules.iter().map(|_| None).collect();
    for (index, findings) in order.into_iter().zip(results) {
        by_rule[index] = findings;
    }
    let mut ordered = Vec::with_capacity(rules.len());
    for (rule, findings) in rules.iter().zip(by_rule) {
        ordered.push((rule.meta(), findings?));
    }
    (!cancelled()).then_some(ordered)
}

/// How long each rule took the last time it ran, in microseconds.
static RULE_COSTS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<&'static str, u64>>> =
    std::sync::LazyLock::new(Default::default);

fn last_cost(code: &'static str) -> u64 {
    RULE_COSTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(code).copied().unwrap_or(0)
}

fn record_cost(code: &'static str, elapsed: std::time::Duration) {
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    RULE_COSTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(code, micros);
}

fn run_rule(rule: &dyn Rule, context: &RuleContext<'_>) -> Sink {
    let mut sink = Sink::default();
    match catch_unwind(AssertUnwindSafe(|| rule.check(context, &mut sink))) {
        Ok(()) => sink,
        Err(panic) => {
            tracing::error!(rule = rule.meta().code, reason = %panic_reason(panic.as_ref()), "rule panicked; its findings are dropped");
            Sink::default()
        }
    }
}

/// The message a panic was raised with.
pub fn panic_reason(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Findings about a node that holds a syntax error wait until it parses: a half-typed
/// operation must not be reported as missing its responses.
fn hidden_by_syntax_error(project: &Project, finding: &Finding) -> bool {
    let file = project.file(finding.file);
    if file.parsed.errors.is_empty() {
        return false;
    }
    let Some(root) = file.root() else { return true };
    // The finding's node and its enclosing item (a path item, a component) are in question:
    // a missing header on a response of a half-typed operation is as unreliable as a missing
    // response. The whole document and its sections (`/paths`, `/components/schemas`) are not.
    let scopes = finding.pointer.ancestors_and_self().into_iter().filter(|pointer| {
        let depth = pointer.tokens().count();
        let is_section = depth == 2 && pointer.tokens().next().is_some_and(|first| first == "components");
        pointer == &finding.pointer || (depth >= 2 && !is_section)
    });
    for scope in scopes {
        let Some(located) = locate_with(project.key_index(), root, &scope) else { return true };
        // From the key: a broken line between a key and its value belongs to the node.
        let start = located.key_span.map_or(located.node.span.start, |key| key.start);
        let end = located.node.span.end;
        if file.parsed.errors.iter().any(|error| error.span.start >= start && error.span.start <= end) {
            return true;
        }
    }
    false
}

fn to_diagnostic(project: &Project, config: &Config, meta: &'static RuleMeta, finding: Finding, index: &LineIndex) -> Diagnostic {
    let file = project.file(finding.file);
    let mut related: Vec<Related> = finding
        .related
        .iter()
        .filter(|(file, _, _)| *file < project.files.len())
        .map(|(file, span, message)| Related {
            path: project.file(*file).path.clone(),
            text: project.file(*file).text.clone(),
            span: span.clone(),
            message: message.clone(),
        })
        .collect();
    // A finding inside a referenced file points back at the `$ref` that brought the file in.
    if let Some(&site) = project.included_by.get(&finding.file) {
        let site = &project.refs[site];
        let from = project.file(site.file);
        related.push(Related {
            path: from.path.clone(),
            text: from.text.clone(),
            span: site.span.clone(),
            message: format!("`{}` is referenced here", file.path.file_name().unwrap_or_default().to_string_lossy()),
        });
    }
    related.extend(finding.elsewhere);
    let severity = config.severity_of(meta, finding.severity);
    Diagnostic {
        rule: meta,
        severity,
        path: file.path.clone(),
        suppression: suppression::suppression_fix(file, project.key_index(), index, &finding.pointer, meta),
        span: finding.span,
        pointer: finding.pointer,
        message: finding.message,
        fixes: finding.fixes,
        related,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::openapi::project::FileSource;
    use crate::rules::api::trailing_slash_path::TrailingSlashPath;
    use crate::rules::{Check, RuleInfo};

    struct Panics;

    impl RuleInfo for Panics {
        fn meta(&self) -> &'static RuleMeta {
            static META: RuleMeta = RuleMeta {
                code: "API999",
                name: "always-panics",
                area: rules::Area::Api,
                severity: Severity::Error,
                raw_docs: "",
                input: rules::Input::OpenApi,
            };
            &META
        }
    }

    impl Check for Panics {
        fn check(&self, _: &RuleContext<'_>, _: &mut Sink) {
            panic!("a bug in a rule");
        }
    }

    struct OneFile;

    impl FileSource for OneFile {
        fn read(&self, _: &Path) -> Result<Arc<str>, String> {
            Ok(Arc::from(
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/:\n    get:\n      responses: {'200': {description: ok}}\n",
            ))
        }
    }

    #[test]
    fn a_panicking_rule_is_contained_and_the_others_still_report() {
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &OneFile).unwrap();
        let report = check_project_with(&project, &Config::default(), None, &[&Panics, &TrailingSlashPath], &|| false).unwrap();
        let codes: Vec<&str> = report.files[0].diagnostics.iter().map(|diagnostic| diagnostic.rule.code).collect();
        assert_eq!(codes, ["API004"]);
    }

    struct ManyReads;

    impl FileSource for ManyReads {
        fn read(&self, _: &Path) -> Result<Arc<str>, String> {
            let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
            for index in 0..12 {
                text.push_str(&format!("  /items-{index}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"));
            }
            text.push_str("components:\n  securitySchemes:\n    token: {type: http, scheme: bearer}\n");
            Ok(Arc::from(text))
        }
    }

    #[test]
    fn findings_of_one_decision_are_grouped_unless_configured_otherwise() {
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &ManyReads).unwrap();
        let rules: [&dyn Rule; 1] = [&crate::rules::sec::unsecured_operation::UnsecuredOperation];
        let grouped = check_project_with(&project, &Config::default(), None, &rules, &|| false).unwrap();
        let diagnostics = &grouped.files[0].diagnostics;
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(diagnostics[0].severity, Severity::Info);
        assert_eq!(diagnostics[0].related.len(), 12);
        assert!(diagnostics[0].message.starts_with("all 12 operations have no security requirement"), "{}", diagnostics[0].message);
        assert_eq!(diagnostics[0].span.start, 0, "a missing root `security` is reported at the document's top");
        assert!(
            diagnostics[0].fixes.iter().any(|fix| fix.title == "Require `token` security for the whole API"),
            "one fix, in one place: {:?}",
            diagnostics[0].fixes
        );
        let config = Config::from_toml("[rules]\ngroup-info = false\n").unwrap();
        let listed = check_project_with(&project, &config, None, &rules, &|| false).unwrap();
        assert_eq!(listed.files[0].diagnostics.len(), 12);
    }

    #[test]
    fn a_cancelled_check_returns_nothing() {
        let project = Project::load(Path::new("/w/api.yaml"), Path::new("/w"), &OneFile).unwrap();
        assert!(check_project(&project, &Config::default(), &|| true).is_none());
    }
}
