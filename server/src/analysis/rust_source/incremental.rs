//! Checking a Rust file again after an edit: the old tree is re-parsed incrementally, and only
//! the top-level items the edit touched are matched and checked again; the findings of every
//! other item are moved by the edit.
//!
//! A unit is a top-level item with the attributes and comments written above it. What a rule
//! reports in a unit depends on the unit's text and on what the whole file and its crate say
//! (the context: the functions routed and the tracing layers, the crate's facts, the words of
//! [`crate::rust::FILE_WORDS`], the `use` declarations and inner attributes); when the context
//! changes, every unit is checked again.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::analysis::Finding;
use crate::config::Config;
use crate::openapi::edit::Change;
use crate::project::ProjectModel;
use crate::rules::RuleMeta;
use crate::rust::Said;
use crate::rust::facts::{CrateFacts, FileFacts};
use crate::rust::summary::{FileSummary, Offsets};

/// What a check of a Rust file leaves for the next one.
pub struct RustState {
    text: Arc<str>,
    tree: Tree,
    config: Config,
    context: u64,
    units: Vec<Unit>,
    /// What the file says to its project, as of `text`.
    said: Said,
}

impl RustState {
    /// What the file says to its crate.
    pub fn facts(&self) -> FileFacts {
        FileFacts::merge(self.units.iter().map(|unit| &unit.facts))
    }

    /// What the file says to its project, when it is for this text.
    pub fn said_of(&self, text: &str) -> Option<Said> {
        (*self.text == *text).then(|| self.said.clone())
    }
}

/// What a Rust file is checked in, once what the file says is known: the project model and
/// what the other files of its crate say.
pub type Surroundings<'a> = &'a dyn Fn(Said) -> (Arc<ProjectModel>, Arc<CrateFacts>);

/// One top-level item (with the attributes and comments above it) and what the rules found
/// in it.
struct Unit {
    range: Range<usize>,
    kind: u16,
    facts: FileFacts,
    /// What the item says to its project (a part of the file's summary).
    summary: Arc<FileSummary>,
    findings: Vec<(&'static RuleMeta, Finding)>,
}

/// The findings of every rule in a file, before `allow` comments, with what the next check
/// can start from.
pub struct Checked {
    pub tree: Tree,
    pub findings: Vec<(&'static RuleMeta, Finding)>,
    pub state: RustState,
    /// How many units were checked again, of how many (for logs and benchmarks).
    pub rechecked: (usize, usize),
}

/// Runs the rules over a file, starting from the state of its last check when there is one.
pub fn check(
    path: &Path,
    text: &Arc<str>,
    config: &Config,
    surroundings: Surroundings<'_>,
    previous: Option<RustState>,
    parsed: Option<(Tree, std::sync::Arc<FileFacts>)>,
) -> Option<Checked> {
    // A file checked once (by `check`), parsed for the project model already: its tree and
    // facts are known, and no later check needs the facts of each unit.
    let (parsed, known_facts) = match parsed {
        Some((tree, facts)) if previous.is_none() => (Some(tree), Some(facts)),
        _ => (None, None),
    };
    let previous = previous.filter(|previous| previous.config == *config);
    let (tree, previous, change, changed) = match previous {
        Some(previous) => {
            let change = Change::between(&previous.text, text);
            let mut old_tree = previous.tree.clone();
            let (tree, changed) = match change {
                Some(change) => {
                    old_tree.edit(&input_edit(&previous.text, text, &change));
                    let mut tree = parse_with(text, Some(&old_tree))?;
                    // Outside the edit, a top-level item whose text and bounds are unchanged
                    // parses the same, unless error recovery is at work. How tree-sitter
                    // recovers from an error depends on the trees it started from, so a file
                    // with a syntax error is parsed afresh (the editor then says what `check`
                    // says), and tree-sitter tells what else changed.
                    let changed = if old_tree.root_node().has_error() || tree.root_node().has_error() {
                        if tree.root_node().has_error() {
                            tree = parse_with(text, None)?;
                        }
                        old_tree.changed_ranges(&tree).map(|range| range.start_byte..range.end_byte).collect()
                    } else {
                        Vec::new()
                    };
                    (tree, changed)
                }
                None => (old_tree, Vec::new()),
            };
            (tree, Some(previous), change, changed)
        }
        None => (parsed.map_or_else(|| parse_with(text, None), Some)?, None, None, Vec::new()),
    };
    let bounds = crate::rust::units(&tree);
    // Units the edit left alone keep their facts and findings, moved by the edit.
    let mut kept: Vec<Option<Unit>> = bounds.iter().map(|_| None).collect();
    // Where each kept unit's part sat in the last summary of the file.
    let mut kept_at: Vec<Option<Offsets>> = bounds.iter().map(|_| None).collect();
    let mut context_before = None;
    let mut summary_before = None;
    if let Some(previous) = previous {
        context_before = Some(previous.context);
        summary_before = Some(previous.said.summary);
        let offsets = FileSummary::offsets(previous.units.iter().map(|unit| &*unit.summary));
        let mut old: std::collections::HashMap<(usize, usize, u16), (Unit, Offsets)> = previous
            .units
            .into_iter()
            .zip(offsets)
            .map(|(unit, offsets)| ((unit.range.start, unit.range.end, unit.kind), (unit, offsets)))
            .collect();
        for ((slot, at), (range, kind)) in kept.iter_mut().zip(kept_at.iter_mut()).zip(&bounds) {
            let touched = |dirty: &Range<usize>| dirty.start <= range.end && range.start <= dirty.end;
            if changed.iter().any(touched) || change.is_some_and(|change| touched(&(change.start..change.new_end))) {
                continue;
            }
            let old_range = match change {
                Some(change) if range.start >= change.new_end => {
                    (range.start - change.new_end + change.old_end)..(range.end - change.new_end + change.old_end)
                }
                _ => range.clone(),
            };
            let Some((mut unit, offsets)) = old.remove(&(old_range.start, old_range.end, *kind)) else { continue };
            let moved = match change {
                Some(change) => unit.findings.iter_mut().all(|(_, finding)| shift(finding, &change)),
                None => true,
            };
            if moved {
                if let Some(change) = change {
                    Arc::make_mut(&mut unit.summary).shift(change.old_end, change.new_end as isize - change.old_end as isize);
                }
                unit.range = range.clone();
                *slot = Some(unit);
                *at = Some(offsets);
            }
        }
    }
    // A file that shows no sign of routing says nothing to its crate (as `FileFacts::of_text`).
    let signs = crate::rust::facts::has_signs(text);
    let mut facts: Vec<Option<FileFacts>> = bounds
        .iter()
        .zip(&kept)
        .map(|((range, _), kept)| {
            kept.is_none().then(|| {
                if known_facts.is_some() || !signs { FileFacts::default() } else { FileFacts::of_range(&tree, text, range.clone()) }
            })
        })
        .collect();
    let own = match &known_facts {
        Some(known) => (**known).clone(),
        None => {
            FileFacts::merge(facts.iter().zip(&kept).filter_map(|(fresh, kept)| fresh.as_ref().or(kept.as_ref().map(|unit| &unit.facts))))
        }
    };
    // What the file says to its project, from the summaries of its units.
    let mut summaries: Vec<Arc<FileSummary>> = bounds
        .iter()
        .zip(&kept)
        .map(|((range, _), kept)| match kept {
            Some(unit) => unit.summary.clone(),
            None => Arc::new(FileSummary::of_range(&tree, text, range.clone())),
        })
        .collect();
    // The last summary moved to this text gives the kept parts' items, when nothing else
    // holds it (a model built from it does until what the file says changes).
    let summary = Arc::new(match summary_before.and_then(|summary| Arc::try_unwrap(summary).ok()) {
        Some(mut before) => {
            if let Some(change) = change {
                before.shift(change.old_end, change.new_end as isize - change.old_end as isize);
            }
            FileSummary::remerge(before, &summaries, &kept_at)
        }
        None => FileSummary::merge_shared(&summaries),
    });
    let said = Said::new(summary.clone(), &own);
    let (model, crate_facts) = surroundings(said.clone());
    let (model, crate_facts) = (&*model, &*crate_facts);
    let context = context_of(&tree, text, &own, crate_facts, model);
    if context_before != Some(context) || !self_contained(&tree) {
        for (slot, facts) in kept.iter_mut().zip(facts.iter_mut()) {
            if let Some(unit) = slot.take() {
                *facts = Some(unit.facts);
            }
        }
    }
    // Check the other units, each run of neighbours in one scope.
    let mut units: Vec<Unit> = Vec::with_capacity(bounds.len());
    let mut rechecked = 0;
    let mut index = 0;
    while index < bounds.len() {
        if let Some(unit) = kept[index].take() {
            units.push(unit);
            index += 1;
            continue;
        }
        let first = index;
        while index < bounds.len() && kept[index].is_none() {
            index += 1;
        }
        rechecked += index - first;
        let scope = bounds[first].0.start..bounds[index - 1].0.end;
        let mut found =
            super::run_rules(path, text, &tree, config, super::Around { crate_facts, model, summary: &summary }, scope, own.clone());
        found.sort_by_key(|(_, finding)| finding.span.start);
        let mut found = found.into_iter().peekable();
        for unit in first..index {
            let (range, kind) = bounds[unit].clone();
            let next_start = bounds.get(unit + 1).map_or(usize::MAX, |(next, _)| next.start);
            let mut findings = Vec::new();
            while let Some((meta, finding)) = found.next_if(|(_, finding)| unit + 1 == index || finding.span.start < next_start) {
                findings.push((meta, finding));
            }
            units.push(Unit {
                range,
                kind,
                facts: facts[unit].take().unwrap_or_default(),
                summary: std::mem::take(&mut summaries[unit]),
                findings,
            });
        }
    }
    let findings = units.iter().flat_map(|unit| unit.findings.iter().cloned()).collect();
    let total = units.len();
    Some(Checked {
        tree: tree.clone(),
        findings,
        state: RustState { text: text.clone(), tree, config: config.clone(), context, units, said },
        rechecked: (rechecked, total),
    })
}

fn parse_with(text: &str, old: Option<&Tree>) -> Option<Tree> {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_rust::LANGUAGE.into()).ok()?;
    parser.parse(text, old)
}

/// The edit in tree-sitter's terms: bytes and rows and columns.
fn input_edit(old: &str, new: &str, change: &Change) -> InputEdit {
    InputEdit {
        start_byte: change.start,
        old_end_byte: change.old_end,
        new_end_byte: change.new_end,
        start_position: point(old, change.start),
        old_end_position: point(old, change.old_end),
        new_end_position: point(new, change.new_end),
    }
}

fn point(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|byte| **byte == b'\n').count();
    let column = offset - before.iter().rposition(|byte| *byte == b'\n').map_or(0, |newline| newline + 1);
    Point { row, column }
}

/// Whether each top-level item stands on its own. A syntax error at the top level (a
/// broken function header, say) leaves statements outside any function, in an error node
/// that rules read as their block: then the units depend on each other.
fn self_contained(tree: &Tree) -> bool {
    let root = tree.root_node();
    let mut cursor = root.walk();
    root.kind() == "source_file" && !root.children(&mut cursor).any(|child| child.is_error() || child.is_missing())
}

/// What every unit's findings may depend on beyond the unit itself.
fn context_of(tree: &Tree, text: &str, own: &FileFacts, crate_facts: &CrateFacts, model: &ProjectModel) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    own.hash(&mut hasher);
    crate_facts.fingerprint().hash(&mut hasher);
    model.digest().hash(&mut hasher);
    for word in crate::rust::FILE_WORDS {
        text.contains(word).hash(&mut hasher);
    }
    let root = tree.root_node();
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        let header = match child.kind() {
            "use_declaration" | "inner_attribute_item" => true,
            "line_comment" => text[child.byte_range()].starts_with("//!"),
            _ => false,
        };
        if header {
            text[child.byte_range()].hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Moves a finding by an edit outside it; `false` when one of its ranges is cut by the edit.
fn shift(finding: &mut Finding, change: &Change) -> bool {
    let mut moved = true;
    let mut span = |span: &mut Range<usize>| match change.span(span) {
        Some(new) => *span = new,
        None => moved = false,
    };
    span(&mut finding.span);
    for fix in finding.fixes.iter_mut().filter(|fix| fix.target.is_none()) {
        for edit in &mut fix.edits {
            span(&mut edit.span);
        }
    }
    for (_, related, _) in &mut finding.related {
        span(related);
    }
    moved
}
