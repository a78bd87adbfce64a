//! Settings: `archlens.toml` at the project root, overridden by the editor's `archlens.*`
//! settings. Rule selectors are a code (`API001`), a name (`verb-in-path`) or an area
//! prefix (`SEC`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::Severity;
use crate::rules::RuleMeta;

pub const CONFIG_FILE: &str = "archlens.toml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Rules to run; empty means those on by default.
    pub select: Vec<String>,
    /// Rules to run besides the selected ones (`extend-select`).
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// `group-info`: whether findings of one decision made across a document (most of a
    /// rule's population failing, or info-level findings on most operations) are reported
    /// once, with the list in related information (`None` means yes).
    pub group_info: Option<bool>,
    /// `[openapi] versioning`: where an API is expected to carry its version.
    pub versioning: VersioningPolicy,
    /// `baseline`: the file of known findings to hide, resolved against the config's folder.
    pub baseline: Option<PathBuf>,
    /// The folder of `archlens.toml`: globs are relative to it.
    pub root: Option<PathBuf>,
    /// `[openapi] documents`: files that are OpenAPI documents whatever their content says.
    pub documents: Globs,
    /// `[[overrides]]`: settings for the files that match their globs, in order.
    pub overrides: Vec<Override>,
    /// `[rust] queries`: a folder of the user's own query rules for Rust, resolved against
    /// the config's folder.
    pub rust_queries: Option<PathBuf>,
    /// `[rust] test-folders`: the folders whose Rust files are tests (by name, anywhere in the
    /// path); `None` for the default, `tests`, `benches` and `examples`.
    pub rust_test_folders: Option<Vec<String>>,
    /// `[llm]` (editor settings `archlens.llm.*`): explanations written by a language model,
    /// off unless enabled.
    pub llm: LlmSettings,
    /// `[[layers]]`: the layers of the code and what each may use; empty for the default
    /// (`domain`, `core` and `model` modules use no web, database or HTTP client crate).
    pub layers: Vec<Layer>,
    /// `[sql] dialect`: the database the migrations run on, when the file says.
    pub sql_dialect: Option<SqlDialect>,
    /// `[sql] migrations`: files that are SQL migrations besides `.sql` files under a
    /// `migrations` folder.
    pub sql_migrations: Globs,
    /// `[sql] released-before`: migrations whose version is lower than this one are
    /// released; without it, version control decides.
    pub sql_released_before: Option<String>,
    /// `archlens check --diff REF` (not a setting of the file): the revision new code is
    /// compared with; only findings on lines changed since it are reported, and migrations
    /// changed since it are the unreleased ones.
    pub diff: Option<String>,
    /// `[[services]]`: which OpenAPI documents describe which crate (ARC002, ARC003), with
    /// paths resolved against the config's folder; empty to pair by folder.
    pub services: Vec<Service>,
    /// `[adr] folders`: the folders of decision records, relative to the config's folder;
    /// empty for the defaults (`docs/adr`, `doc/adr`, `docs/decisions`).
    pub adr_folders: Vec<PathBuf>,
}

/// The database SQL migrations are written for (`[sql] dialect`), which decides how they are
/// parsed and which rules apply: PostgreSQL's locks, MySQL's implicit foreign-key indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlDialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    /// ANSI SQL, with no database's own behaviour assumed.
    Generic,
}

/// One `[[services]]` table: a crate (its folder) and the OpenAPI documents that describe the
/// routes it serves.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Service {
    #[serde(rename = "crate")]
    pub crate_folder: PathBuf,
    pub openapi: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdrSection {
    #[serde(default)]
    folders: Vec<PathBuf>,
}

/// One `[[layers]]` table: the modules (`crate::domain::*`) and crates (`axum`) of a layer,
/// and the layers it may use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layer {
    pub name: String,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub crates: Vec<String>,
    #[serde(default)]
    pub may_use: Vec<String>,
}

/// The settings of LLM explanations, as `[llm]` in `archlens.toml` (kebab-case keys) or
/// `llm` in editor settings (camelCase keys). API keys are never settings: `api-key-env`
/// names the environment variable that holds one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LlmSettings {
    pub enabled: bool,
    /// The base URL of an OpenAI-compatible API (`https://api.openai.com/v1`,
    /// `http://localhost:11434/v1` for Ollama).
    pub endpoint: String,
    pub model: String,
    #[serde(alias = "apiKeyEnv")]
    pub api_key_env: Option<String>,
    #[serde(alias = "timeoutMs")]
    pub timeout_ms: u64,
    #[serde(alias = "maxConcurrent")]
    pub max_concurrent: usize,
    #[serde(alias = "contextLines")]
    pub context_lines: usize,
    /// How long a hover waits for an answer that is not cached before it shows the built-in
    /// text; the answer keeps coming in the background.
    #[serde(alias = "hoverBudgetMs")]
    pub hover_budget_ms: u64,
}

impl Default for LlmSettings {
    fn default() -> Self {
        LlmSettings {
            enabled: false,
            endpoint: "http://localhost:11434/v1".to_owned(),
            model: "llama3.1".to_owned(),
            api_key_env: None,
            timeout_ms: 8_000,
            max_concurrent: 2,
            context_lines: 20,
            hover_budget_ms: 1_500,
        }
    }
}

/// Compiled path globs with the patterns they came from.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub patterns: Vec<String>,
    set: globset::GlobSet,
}

impl PartialEq for Globs {
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

impl Globs {
    /// Compiles patterns: `*` stays within a folder, `**` crosses folders.
    pub fn new(patterns: Vec<String>) -> Result<Globs, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = globset::GlobBuilder::new(pattern.trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .map_err(|error| format!("invalid glob `{pattern}`: {}", error.kind()))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|error| error.to_string())?;
        Ok(Globs { patterns, set })
    }

    /// True when `path`, relative to `root`, matches one of the globs.
    pub fn matches(&self, root: Option<&Path>, path: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let relative = root.and_then(|root| path.strip_prefix(root).ok()).unwrap_or(path);
        self.set.is_match(relative)
    }
}

/// One `[[overrides]]` table: rule settings for the files that match `files`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Override {
    pub files: Globs,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub versioning: Option<VersioningPolicy>,
}

/// Where an API carries its version (API005, API006).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersioningPolicy {
    /// `/v1` in the server URL or at the start of every path.
    #[default]
    Path,
    /// A version header parameter (`API-Version`).
    Header,
    /// A version in the media type (`application/vnd.acme.v2+json`, `; version=2`).
    MediaType,
    /// No versioning expected.
    None,
}

/// The `[openapi]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenApiSection {
    versioning: Option<VersioningPolicy>,
    documents: Option<Vec<String>>,
}

/// The `[rust]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RustSection {
    queries: Option<PathBuf>,
    #[serde(rename = "test-folders")]
    test_folders: Option<Vec<String>>,
}

/// The `[sql]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SqlSection {
    dialect: Option<SqlDialect>,
    migrations: Option<Vec<String>>,
    #[serde(rename = "released-before")]
    released_before: Option<toml::Value>,
}

/// [`LlmSettings`] written back as JSON, to merge editor settings into.
#[derive(serde::Serialize)]
#[serde(rename_all = "kebab-case")]
struct LlmSettingsJson<'a> {
    enabled: bool,
    endpoint: &'a str,
    model: &'a str,
    api_key_env: Option<&'a str>,
    timeout_ms: u64,
    max_concurrent: usize,
    context_lines: usize,
    hover_budget_ms: u64,
}

impl<'a> From<&'a LlmSettings> for LlmSettingsJson<'a> {
    fn from(settings: &'a LlmSettings) -> Self {
        LlmSettingsJson {
            enabled: settings.enabled,
            endpoint: &settings.endpoint,
            model: &settings.model,
            api_key_env: settings.api_key_env.as_deref(),
            timeout_ms: settings.timeout_ms,
            max_concurrent: settings.max_concurrent,
            context_lines: settings.context_lines,
            hover_budget_ms: settings.hover_budget_ms,
        }
    }
}

/// `apiKeyEnv` → `api-key-env`.
fn kebab_case(key: &str) -> String {
    let mut out = String::new();
    for character in key.chars() {
        if character.is_ascii_uppercase() {
            out.push('-');
            out.push(character.to_ascii_lowercase());
        } else {
            out.push(character);
        }
    }
    out
}

/// An `[[overrides]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideSection {
    files: Vec<String>,
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    versioning: Option<VersioningPolicy>,
}

/// The `[rules]` table as written, in TOML or in editor settings (JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesSection {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default, rename = "extend-select")]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default, rename = "group-info")]
    group_info: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    baseline: Option<PathBuf>,
    #[serde(default)]
    rust: RustSection,
    #[serde(default)]
    rules: RulesSection,
    #[serde(default)]
    openapi: OpenApiSection,
    #[serde(default)]
    overrides: Vec<OverrideSection>,
    #[serde(default)]
    llm: LlmSettings,
    #[serde(default)]
    layers: Vec<Layer>,
    #[serde(default)]
    sql: SqlSection,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    adr: AdrSection,
}

impl Config {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let selected =
            if self.select.is_empty() { meta.on_by_default() } else { self.select.iter().any(|selector| meta.is_selected_by(selector)) };
        let extended = self.extend_select.iter().any(|selector| meta.is_selected_by(selector));
        (selected || extended) && !self.ignore.iter().any(|selector| meta.matches(selector))
    }

    /// The configured severity: by code or name first, then by area; else the finding's own
    /// or the rule's default.
    pub fn severity_of(&self, meta: &RuleMeta, finding_severity: Option<Severity>) -> Severity {
        let exact = self.severity.iter().find(|(selector, _)| meta.is_named(selector));
        let by_area = self.severity.iter().find(|(selector, _)| meta.matches(selector));
        exact.or(by_area).map(|(_, severity)| *severity).or(finding_severity).unwrap_or(meta.severity)
    }

    /// The folders whose Rust files are tests (`[rust] test-folders`).
    pub fn test_folders(&self) -> Vec<&str> {
        match &self.rust_test_folders {
            Some(folders) => folders.iter().map(String::as_str).collect(),
            None => crate::rust::DEFAULT_TEST_FOLDERS.to_vec(),
        }
    }

    pub fn groups_info(&self) -> bool {
        self.group_info.unwrap_or(true)
    }

    /// True when `[openapi] documents` names this file.
    pub fn is_declared_document(&self, path: &Path) -> bool {
        self.documents.matches(self.root.as_deref(), path)
    }

    /// True when `[sql] migrations` names this file.
    pub fn is_declared_migration(&self, path: &Path) -> bool {
        self.sql_migrations.matches(self.root.as_deref(), path)
    }

    /// The settings for findings in `path`: these settings with every matching override
    /// applied in order (`select` replaces, `ignore` and `severity` add).
    pub fn for_file(&self, path: &Path) -> std::borrow::Cow<'_, Config> {
        let mut matching = self.overrides.iter().filter(|item| item.files.matches(self.root.as_deref(), path)).peekable();
        if matching.peek().is_none() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut config = self.clone();
        for item in matching {
            if let Some(select) = &item.select {
                config.select = select.clone();
            }
            config.ignore.extend(item.ignore.iter().cloned());
            config.severity.extend(item.severity.iter().map(|(selector, severity)| (selector.clone(), *severity)));
            config.versioning = item.versioning.unwrap_or(config.versioning);
        }
        config.overrides.clear();
        std::borrow::Cow::Owned(config)
    }

    /// Parses `archlens.toml`.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| error.to_string())?;
        Config::from_file(file)
    }

    fn from_file(file: ConfigFile) -> Result<Config, String> {
        let mut config = Config::from_section(file.rules)?;
        config.versioning = file.openapi.versioning.unwrap_or_default();
        config.documents = Globs::new(file.openapi.documents.unwrap_or_default())?;
        config.baseline = file.baseline;
        config.rust_queries = file.rust.queries;
        config.rust_test_folders = file.rust.test_folders;
        config.llm = file.llm;
        config.sql_dialect = file.sql.dialect;
        config.sql_migrations = Globs::new(file.sql.migrations.unwrap_or_default())?;
        config.sql_released_before = match file.sql.released_before {
            None => None,
            Some(toml::Value::String(version)) => Some(version),
            Some(toml::Value::Integer(version)) => Some(version.to_string()),
            Some(other) => return Err(format!("`[sql] released-before` is a migration version such as \"20240101120000\", not {other}")),
        };
        for layer in &file.layers {
            if let Some(unknown) = layer.may_use.iter().find(|name| !file.layers.iter().any(|known| &known.name == *name)) {
                return Err(format!("layer `{}` may use `{unknown}`, which no [[layers]] table names", layer.name));
            }
        }
        config.layers = file.layers;
        config.services = file.services;
        config.adr_folders = file.adr.folders;
        for section in file.overrides {
            config.overrides.push(Override {
                files: Globs::new(section.files)?,
                select: section.select,
                ignore: section.ignore,
                severity: parse_severities(section.severity)?,
                versioning: section.versioning,
            });
        }
        Ok(config)
    }

    /// The first problem of an `archlens.toml` text, with the byte range it is about: an
    /// unknown key, a bad value, a syntax error.
    pub fn problem_in_toml(text: &str) -> Option<(std::ops::Range<usize>, String)> {
        match toml::from_str::<ConfigFile>(text) {
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                Some((span, error.message().to_owned()))
            }
            Ok(file) => {
                let error = Config::from_file(file).err()?;
                // A bad severity or glob names its value: point at it.
                let value = error.split('`').nth(1).unwrap_or_default();
                let span = text.find(&format!("\"{value}\"")).map_or(0..0, |start| start..start + value.len() + 2);
                Some((span, error))
            }
        }
    }

    /// Applies editor settings (`{"rules": {"ignore": [...], "severity": {...}}}`) on top.
    /// Editor settings other than `rules` and `openapi` (`diagnostics`, …) belong to the server
    /// and are ignored here.
    pub fn with_settings(mut self, settings: &serde_json::Value) -> Result<Config, String> {
        if let Some(openapi) = settings.get("openapi") {
            let section: OpenApiSection = serde_json::from_value(openapi.clone()).map_err(|error| error.to_string())?;
            self.versioning = section.versioning.unwrap_or(self.versioning);
            if let Some(documents) = section.documents {
                let mut patterns = self.documents.patterns.clone();
                patterns.extend(documents);
                self.documents = Globs::new(patterns)?;
            }
        }
        if let Some(llm) = settings.get("llm") {
            // Editor settings name only what they change: start from the file's settings.
            let mut merged = serde_json::to_value(LlmSettingsJson::from(&self.llm)).map_err(|error| error.to_string())?;
            if let (Some(merged), Some(changes)) = (merged.as_object_mut(), llm.as_object()) {
                for (key, value) in changes {
                    merged.insert(kebab_case(key), value.clone());
                }
            }
            self.llm = serde_json::from_value(merged).map_err(|error| format!("llm: {error}"))?;
        }
        let Some(rules) = settings.get("rules") else {
            return Ok(self);
        };
        let section: RulesSection = serde_json::from_value(rules.clone()).map_err(|error| error.to_string())?;
        let overlay = Config::from_section(section)?;
        if !overlay.select.is_empty() {
            self.select = overlay.select;
        }
        self.extend_select.extend(overlay.extend_select);
        self.ignore.extend(overlay.ignore);
        self.severity.extend(overlay.severity);
        self.group_info = overlay.group_info.or(self.group_info);
        Ok(self)
    }

    fn from_section(section: RulesSection) -> Result<Config, String> {
        Ok(Config {
            select: section.select,
            extend_select: section.extend_select,
            ignore: section.ignore,
            severity: parse_severities(section.severity)?,
            group_info: section.group_info,
            ..Config::default()
        })
    }

    /// Finds `archlens.toml` in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start.ancestors().map(|folder| folder.join(CONFIG_FILE)).find(|candidate| candidate.is_file())
    }

    /// Loads the configuration that applies to `start`, or the defaults.
    pub fn load_for(start: &Path) -> Result<Config, String> {
        match Config::discover(start) {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
                let mut config = Config::from_toml(&text).map_err(|error| format!("{}: {error}", path.display()))?;
                // A baseline and globs named in the file are relative to the file's folder.
                let folder = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                config.baseline = config.baseline.map(|baseline| folder.join(baseline));
                config.rust_queries = config.rust_queries.map(|queries| folder.join(queries));
                for service in &mut config.services {
                    service.crate_folder = crate::openapi::project::normalize(&folder.join(&service.crate_folder));
                    for document in &mut service.openapi {
                        *document = crate::openapi::project::normalize(&folder.join(&*document));
                    }
                }
                config.adr_folders = config.adr_folders.iter().map(|adr| crate::openapi::project::normalize(&folder.join(adr))).collect();
                config.root = Some(folder);
                Ok(config)
            }
            None => Ok(Config::default()),
        }
    }
}

fn parse_severities(written: BTreeMap<String, String>) -> Result<BTreeMap<String, Severity>, String> {
    let mut severity = BTreeMap::new();
    for (selector, level) in written {
        let parsed = Severity::parse(&level)
            .ok_or_else(|| format!("unknown severity `{level}` for `{selector}` (use error, warning, info or hint)"))?;
        severity.insert(selector, parsed);
    }
    Ok(severity)
}

/// The JSON Schema of `archlens.toml`, for completion and validation in TOML editors
/// (Even Better TOML, taplo). Rule selectors list every code, name and area, and still
/// accept any prefix.
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let mut selectors: Vec<String> = vec!["ALL".into()];
    for meta in crate::rules::registry().iter().map(|rule| rule.meta()).filter(|meta| !meta.is_for_tests()) {
        selectors.push(meta.code.into());
        selectors.push(meta.name.into());
        if !selectors.iter().any(|known| known == meta.area.prefix()) {
            selectors.push(meta.area.prefix().into());
        }
    }
    let selector = json!({"anyOf": [{"enum": selectors}, {"type": "string", "description": "A code prefix such as API01"}]});
    let severity = json!({
        "type": "object",
        "description": "Severity per rule code, name or area prefix.",
        "additionalProperties": {"enum": ["error", "warning", "warn", "info", "information", "hint"]},
    });
    let versioning = json!({"enum": ["path", "header", "media-type", "none"], "default": "path", "description": "Where the API carries its version (API005, API006)."});
    let globs = |description: &str| json!({"type": "array", "items": {"type": "string"}, "description": description});
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "archlens.toml",
        "description": "Configuration of archlens, the architecture-review language server and CI checker.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "baseline": {"type": "string", "description": "A baseline file written by `archlens check --write-baseline`, relative to this file: its findings are hidden."},
            "rules": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "select": {"type": "array", "items": selector, "description": "Only these rules (codes, names or area prefixes); empty means the rules on by default. A prefix selects only the rules on by default; name a rule that is off by default by its code or name."},
                    "extend-select": {"type": "array", "items": selector, "description": "These rules too, besides the selected ones: how to turn on a rule that is off by default (measured precision under 0.9 on real projects; `archlens rules` lists them)."},
                    "ignore": {"type": "array", "items": selector, "description": "Never these rules."},
                    "severity": severity,
                    "group-info": {"type": "boolean", "default": true, "description": "Report the findings of one decision made across a document (a quarter or more of the items a rule judges, or info-level findings on most operations) once, with the list in related information."},
                },
            },
            "openapi": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "versioning": versioning,
                    "documents": globs("Files that are OpenAPI documents whatever their content says (globs relative to this file; `*` stays in a folder, `**` crosses folders)."),
                },
            },
            "llm": {
                "type": "object",
                "additionalProperties": false,
                "description": "Explanations written by a language model on hover (off by default). Nothing is sent anywhere unless `enabled` is true.",
                "properties": {
                    "enabled": {"type": "boolean", "default": false, "description": "Ask the model for an explanation of the finding under the cursor."},
                    "endpoint": {"type": "string", "default": "http://localhost:11434/v1", "description": "The base URL of an OpenAI-compatible API: `https://api.openai.com/v1`, Ollama's `http://localhost:11434/v1`, vLLM, llama.cpp, LM Studio. `http://` only on this machine."},
                    "model": {"type": "string", "default": "llama3.1", "description": "The model name the endpoint knows."},
                    "api-key-env": {"type": "string", "description": "The name of the environment variable that holds the API key (the key itself never goes in a settings file)."},
                    "timeout-ms": {"type": "integer", "minimum": 1, "default": 8000, "description": "How long one request may take."},
                    "max-concurrent": {"type": "integer", "minimum": 1, "default": 2, "description": "How many requests may run at once."},
                    "context-lines": {"type": "integer", "minimum": 0, "default": 20, "description": "Lines of code sent on each side of the finding, after secrets are redacted."},
                    "hover-budget-ms": {"type": "integer", "minimum": 0, "default": 1500, "description": "How long a hover waits for an answer that is not cached; a slower answer appears on the next hover."},
                },
            },
            "sql": {
                "type": "object",
                "additionalProperties": false,
                "description": "SQL migrations: `.sql` files under a folder named `migrations` (sqlx, diesel, refinery, dbmate, goose), and the files named here.",
                "properties": {
                    "dialect": {"enum": ["postgres", "mysql", "sqlite", "generic"], "default": "postgres", "description": "The database the migrations run on: how they are parsed, and which rules apply (DB002 and DB007 are PostgreSQL's; MySQL indexes foreign keys itself, so DB005 is silent there)."},
                    "migrations": globs("More files that are SQL migrations (globs relative to this file), for layouts without a `migrations` folder: `db/changes/**/*.sql`."),
                    "released-before": {"type": ["string", "integer"], "description": "Migrations whose version is lower than this one are released, and the operational rules (DB001, DB002, DB003, DB008) leave them alone; without it, those new or changed since the merge-base with the default branch (or not committed) are the unreleased ones."},
                },
            },
            "layers": {
                "type": "array",
                "description": "The layers of the Rust code (ARC001): which modules and crates belong to each, and which layers each may use. Without any, modules named `domain`, `core` or `model` may not use web frameworks, database crates or HTTP clients.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": "The layer's name, for `may-use` and messages."},
                        "modules": {"type": "array", "items": {"type": "string"}, "description": "Module paths of the layer: `crate::domain` or `crate::domain::*` (the module and everything under it)."},
                        "crates": {"type": "array", "items": {"type": "string"}, "description": "Crates that belong to the layer (`axum`, `sqlx`), as written in paths (`actix_web`)."},
                        "may-use": {"type": "array", "items": {"type": "string"}, "description": "The layers this layer may depend on. A layer always may use itself; code outside any layer is not checked."},
                    },
                },
            },
            "services": {
                "type": "array",
                "description": "Which OpenAPI documents describe which Rust crate, for spec/code drift (ARC002, ARC003). Without any, a crate is paired with the documents inside its folder (or, in a workspace of one crate, with the documents outside any crate).",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["crate", "openapi"],
                    "properties": {
                        "crate": {"type": "string", "description": "The crate's folder (the one with its Cargo.toml), relative to this file."},
                        "openapi": {"type": "array", "items": {"type": "string"}, "description": "The OpenAPI documents that describe the crate's routes, relative to this file."},
                    },
                },
            },
            "adr": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "folders": {"type": "array", "items": {"type": "string"}, "default": ["docs/adr", "doc/adr", "docs/decisions"], "description": "The folders of architecture decision records (PRC010, \"Record an ADR\"), relative to this file. Replaces the default list."},
                },
            },
            "rust": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "queries": {"type": "string", "description": "A folder of your own query rules for Rust source, relative to this file: one tree-sitter query a file (`*.scm`), whose first comment lines say `; code: ACME001`, `; message: …` and optionally `; severity: warning` and `; name: …`; a finding is reported on the `@match` capture."},
                    "test-folders": {"type": "array", "items": {"type": "string"}, "default": ["tests", "benches", "examples"], "description": "Folders whose Rust files are test code, by name anywhere in the path (handlers, panics and prints are not looked for there). Replaces the default list."},
                },
            },
            "overrides": {
                "type": "array",
                "description": "Settings for some files: each table applies, in order, to the findings in the files its globs match.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["files"],
                    "properties": {
                        "files": globs("Globs relative to this file."),
                        "select": {"type": "array", "items": selector, "description": "Only these rules in these files."},
                        "ignore": {"type": "array", "items": selector, "description": "Never these rules in these files."},
                        "severity": severity,
                        "versioning": versioning,
                    },
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::find_rule;

    #[test]
    fn points_at_the_problem_in_the_file() {
        let text = "[rules]\nignroe = [\"API001\"]\n";
        let (span, message) = Config::problem_in_toml(text).unwrap();
        assert_eq!(&text[span], "ignroe");
        assert!(message.contains("unknown field"), "{message}");
        let text = "[rules.severity]\nAPI001 = \"loud\"\n";
        let (span, message) = Config::problem_in_toml(text).unwrap();
        assert_eq!(&text[span], "\"loud\"");
        assert!(message.contains("unknown severity"), "{message}");
        assert!(Config::problem_in_toml("[rules]\nselect = [\"SEC\"]\n").is_none());
    }

    #[test]
    fn overrides_apply_in_order_to_the_files_their_globs_match() {
        let text = "[rules]\nignore = [\"API001\"]\n[openapi]\ndocuments = [\"specs/**/*.api\"]\n[[overrides]]\nfiles = [\"legacy/**\"]\nignore = [\"SEC\"]\nseverity = { API004 = \"error\" }\nversioning = \"none\"\n[[overrides]]\nfiles = [\"internal/*.yaml\"]\nselect = [\"API024\"]\n";
        let mut config = Config::from_toml(text).unwrap();
        config.root = Some(PathBuf::from("/p"));
        let unsecured = find_rule("SEC001").unwrap();
        let legacy = config.for_file(Path::new("/p/legacy/v1/api.yaml"));
        assert!(!legacy.is_enabled(unsecured) && !legacy.is_enabled(find_rule("API001").unwrap()));
        assert_eq!(legacy.severity_of(find_rule("API004").unwrap(), None), Severity::Error);
        assert_eq!(legacy.versioning, VersioningPolicy::None);
        let internal = config.for_file(Path::new("/p/internal/api.yaml"));
        assert!(internal.is_enabled(find_rule("API024").unwrap()) && !internal.is_enabled(unsecured));
        // `*` stays within a folder.
        assert!(config.for_file(Path::new("/p/internal/deep/api.yaml")).is_enabled(unsecured));
        assert!(config.for_file(Path::new("/p/api.yaml")).is_enabled(unsecured));
        assert!(config.is_declared_document(Path::new("/p/specs/a/b.api")));
        assert!(!config.is_declared_document(Path::new("/p/other/b.api")));
        let (span, message) = Config::problem_in_toml("[openapi]\ndocuments = [\"a/[b\"]\n").unwrap();
        assert!(message.contains("invalid glob"), "{message}");
        assert!(span.start > 0, "{span:?}");
        assert!(Config::from_toml("[[overrides]]\nignore = [\"SEC\"]\n").is_err(), "`files` is required");
    }

    #[test]
    fn reads_the_versioning_policy() {
        assert_eq!(Config::default().versioning, VersioningPolicy::Path);
        assert_eq!(Config::from_toml("[openapi]\nversioning = \"media-type\"\n").unwrap().versioning, VersioningPolicy::MediaType);
        assert!(Config::from_toml("[openapi]\nversioning = \"query\"\n").is_err());
        assert!(Config::from_toml("[layers]\n").is_err());
        let sql = Config::from_toml("[sql]\ndialect = \"sqlite\"\nmigrations = [\"db/changes/**/*.sql\"]\n").unwrap();
        assert_eq!((sql.sql_dialect, Config::default().sql_dialect), (Some(SqlDialect::Sqlite), None));
        assert!(sql.is_declared_migration(Path::new("db/changes/2024/01_init.sql")));
        assert!(Config::from_toml("[sql]\ndialect = \"oracle\"\n").is_err());
        assert_eq!(Config::from_toml("[sql]\nreleased-before = 20240101\n").unwrap().sql_released_before.as_deref(), Some("20240101"));
        assert!(Config::from_toml("[sql]\nreleased-before = true\n").is_err());
        let settings = serde_json::json!({"openapi": {"versioning": "none"}});
        assert_eq!(Config::default().with_settings(&settings).unwrap().versioning, VersioningPolicy::None);
    }

    #[test]
    fn selects_by_code_name_and_area_and_sets_severity() {
        let config = Config::from_toml("[rules]\nselect = [\"SEC\", \"verb-in-path\"]\nignore = [\"SEC004\"]\n[rules.severity]\nSEC = \"warning\"\nSEC001 = \"info\"\n").unwrap();
        let verb = find_rule("API001").unwrap();
        let unsecured = find_rule("SEC001").unwrap();
        assert!(config.is_enabled(verb));
        assert!(!config.is_enabled(find_rule("API004").unwrap()));
        assert!(!config.is_enabled(find_rule("credentials-in-url").unwrap()));
        assert_eq!(config.severity_of(unsecured, None), Severity::Info);
        assert_eq!(config.severity_of(find_rule("SEC002").unwrap(), None), Severity::Warning);
        assert!(Config::from_toml("[rules]\nunknown = 1\n").is_err());
        let settings = serde_json::json!({"rules": {"ignore": ["API001"]}});
        assert!(!config.with_settings(&settings).unwrap().is_enabled(verb));
    }
}
