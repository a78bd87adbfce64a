//! Architecture decision records: markdown files in `docs/adr/`, `doc/adr/` or
//! `docs/decisions/` (MADR's folder), read as their headings and `Status:` lines.

use std::path::Path;

use crate::analysis::Diagnostic;
use crate::config::Config;
use crate::openapi::syntax::Span;

/// Folders whose markdown files are decision records, as the last two path components.
const ADR_FOLDERS: [[&str; 2]; 3] = [["docs", "adr"], ["doc", "adr"], ["docs", "decisions"]];

/// Whether `path` is a decision record: a markdown file directly in an ADR folder, other than
/// its index, readme or template.
pub fn is_adr_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else { return false };
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(".md") || lower == "readme.md" || lower == "index.md" || lower.contains("template") {
        return false;
    }
    let folders: Vec<&str> =
        path.parent().into_iter().flat_map(|parent| parent.iter().rev().take(2)).filter_map(|part| part.to_str()).collect();
    ADR_FOLDERS.iter().any(|[outer, inner]| folders.first() == Some(inner) && folders.get(1) == Some(outer))
}

/// Whether `path` is a decision record under the settings that apply to it: a markdown file
/// directly in one of `[adr] folders`, or, without that setting, in a default ADR folder.
pub fn is_record(path: &Path, config: &Config) -> bool {
    if config.adr_folders.is_empty() {
        return is_adr_file(path);
    }
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_ascii_lowercase();
    name.ends_with(".md")
        && name != "readme.md"
        && name != "index.md"
        && !name.contains("template")
        && path.parent().is_some_and(|parent| config.adr_folders.iter().any(|folder| folder == parent))
}

/// [`is_record`] with the settings of the nearest `archlens.toml`, for markdown files.
pub fn is_record_here(path: &Path) -> bool {
    if !path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("md")) {
        return false;
    }
    match Config::load_for(path.parent().unwrap_or(Path::new("/"))) {
        Ok(config) => is_record(path, &config),
        Err(_) => is_adr_file(path),
    }
}

/// One decision record, as the rules see it.
pub struct AdrFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// Each heading: its level, its text and its range.
    pub headings: Vec<(usize, &'a str, Span)>,
}

impl<'a> AdrFile<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        let mut headings = Vec::new();
        let mut offset = 0;
        let mut fenced = false;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_end();
            if trimmed.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            let level = trimmed.chars().take_while(|character| *character == '#').count();
            if !fenced && (1..=6).contains(&level) && trimmed[level..].starts_with(' ') {
                headings.push((level, trimmed[level..].trim(), offset..offset + trimmed.len()));
            }
            offset += line.len();
        }
        AdrFile { path, text, headings }
    }

    /// Whether the record has a section (a heading starting with `name`, any level) or, for
    /// a status, a `Status: accepted` line (as a list item too) or front matter `status:`.
    pub fn has_section(&self, name: &str) -> bool {
        let starts = |text: &str| text.trim_start_matches(['*', '-', ' ']).to_ascii_lowercase().starts_with(&name.to_ascii_lowercase());
        self.headings.iter().any(|(_, title, _)| starts(title))
            || self.text.lines().any(|line| {
                let line = line.trim_start_matches(['*', '-', ' ']);
                starts(line) && line[name.len().min(line.len())..].trim_start().starts_with(':')
            })
    }

    /// The range of the title (the first level-one heading), else of the first line.
    pub fn title_span(&self) -> Span {
        self.headings
            .iter()
            .find(|(level, _, _)| *level == 1)
            .map(|(_, _, span)| span.clone())
            .unwrap_or_else(|| 0..self.text.find('\n').unwrap_or(self.text.len()))
    }
}

/// Findings that record a design choice: the "Record an ADR" action is offered on them.
pub const DESIGN_CHOICES: [&str; 4] = ["SEC003", "API005", "ARC001", "SCL004"];

/// The folder new records go in: the workspace's existing ADR folder, else `docs/adr`.
pub fn record_folder(workspace_root: &Path) -> std::path::PathBuf {
    if let Some(folder) = Config::load_for(workspace_root).ok().and_then(|config| config.adr_folders.first().cloned()) {
        return folder;
    }
    ADR_FOLDERS
        .iter()
        .map(|[outer, inner]| workspace_root.join(outer).join(inner))
        .find(|folder| folder.is_dir())
        .unwrap_or_else(|| workspace_root.join("docs").join("adr"))
}

/// The path of the next record in `folder`: one more than the highest `NNNN-` number there,
/// and a slug of the title.
pub fn next_record_path(folder: &Path, title: &str) -> std::path::PathBuf {
    let highest = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.split('-').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    let slug: String = title
        .to_ascii_lowercase()
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    folder.join(format!("{:04}-{slug}.md", highest + 1))
}

/// A decision record for a finding, MADR-style, with the finding as its context: the status
/// is `proposed`, and the options are following the rule or keeping the code as it is.
pub fn record_for(diagnostic: &Diagnostic, relative_path: &str, date: &str) -> (String, String) {
    let meta = diagnostic.rule;
    let place = diagnostic.pointer.describe().map(|place| format!(" at {place}")).unwrap_or_default();
    let title = format!("{} ({}) in {relative_path}", meta.name.replace('-', " "), meta.code);
    let docs = meta.documentation();
    let why = crate::rules::section(&docs, "Why is this bad?").unwrap_or_default();
    let text = format!(
        "---\nstatus: proposed\ndate: {date}\n---\n# {title}\n\n\
         ## Context and Problem Statement\n\n\
         archlens reports {code} ({name}) in `{relative_path}`{place}: {message}\n\n{why}\n\n\
         ## Considered Options\n\n\
         * Follow {code}: change the code as the rule suggests.\n\
         * Keep the current design, and allow {code} here with a link to this record.\n\n\
         ## Decision Outcome\n\n\
         Chosen option: (to be decided), because (the reason).\n\n\
         ### Consequences\n\n\
         * Good, because (what gets better).\n\
         * Bad, because (what it costs).\n\n\
         See [{code}]({url}).\n",
        code = meta.code,
        name = meta.name,
        message = diagnostic.message,
        url = meta.url(),
    );
    (title, text)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs() / 86_400) as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_records_are_numbered_after_the_last_one() {
        let folder = std::env::temp_dir().join(format!("archlens-adr-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("0007-use-postgres.md"), "").unwrap();
        std::fs::write(folder.join("README.md"), "").unwrap();
        assert_eq!(
            next_record_path(&folder, "Layer violation (ARC001) in src/domain/order.rs"),
            folder.join("0008-layer-violation-arc001-in-src-domain-order-rs.md")
        );
        let _ = std::fs::remove_dir_all(&folder);
        assert_eq!(today().len(), 10);
    }

    #[test]
    fn records_live_in_adr_folders() {
        assert!(is_adr_file(Path::new("/w/docs/adr/0001-use-postgres.md")));
        assert!(is_adr_file(Path::new("/w/doc/adr/0002-x.md")));
        assert!(is_adr_file(Path::new("/w/docs/decisions/0003-x.md")));
        assert!(!is_adr_file(Path::new("/w/docs/adr/README.md")));
        assert!(!is_adr_file(Path::new("/w/docs/adr/adr-template.md")));
        assert!(!is_adr_file(Path::new("/w/docs/guide/0001-x.md")));
        assert!(!is_adr_file(Path::new("/w/docs/adr/0001-x.txt")));
    }
}
