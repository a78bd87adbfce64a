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
    /// Rules to run; empty means all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// `group-info`: whether info-level findings on most operations of a document are
    /// reported once, with the list in related information (`None` means yes).
    pub group_info: Option<bool>,
}

/// The `[rules]` table as written, in TOML or in editor settings (JSON).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesSection {
    #[serde(default)]
    select: Vec<String>,
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
    #[serde(default)]
    rules: RulesSection,
}

impl Config {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|selector| meta.matches(selector));
        selected && !self.ignore.iter().any(|selector| meta.matches(selector))
    }

    /// The configured severity: by code or name first, then by area; else the finding's own
    /// or the rule's default.
    pub fn severity_of(&self, meta: &RuleMeta, finding_severity: Option<Severity>) -> Severity {
        let exact = self.severity.iter().find(|(selector, _)| meta.is_named(selector));
        let by_area = self.severity.iter().find(|(selector, _)| meta.matches(selector));
        exact.or(by_area).map(|(_, severity)| *severity).or(finding_severity).unwrap_or(meta.severity)
    }

    pub fn groups_info(&self) -> bool {
        self.group_info.unwrap_or(true)
    }

    /// Parses `archlens.toml`.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| error.to_string())?;
        Config::from_section(file.rules)
    }

    /// Applies editor settings (`{"rules": {"ignore": [...], "severity": {...}}}`) on top.
    pub fn with_settings(mut self, settings: &serde_json::Value) -> Result<Config, String> {
        let Some(rules) = settings.get("rules") else {
            return Ok(self);
        };
        let section: RulesSection = serde_json::from_value(rules.clone()).map_err(|error| error.to_string())?;
        let overlay = Config::from_section(section)?;
        if !overlay.select.is_empty() {
            self.select = overlay.select;
        }
        self.ignore.extend(overlay.ignore);
        self.severity.extend(overlay.severity);
        self.group_info = overlay.group_info.or(self.group_info);
        Ok(self)
    }

    fn from_section(section: RulesSection) -> Result<Config, String> {
        let mut severity = BTreeMap::new();
        for (selector, level) in section.severity {
            let parsed = Severity::parse(&level)
                .ok_or_else(|| format!("unknown severity `{level}` for `{selector}` (use error, warning, info or hint)"))?;
            severity.insert(selector, parsed);
        }
        Ok(Config { select: section.select, ignore: section.ignore, severity, group_info: section.group_info })
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
                Config::from_toml(&text).map_err(|error| format!("{}: {error}", path.display()))
            }
            None => Ok(Config::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::find_rule;

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
