//! Each rule's precision, measured on a corpus of real public projects: a reviewer read a
//! random sample of the rule's findings against the code and judged each true, false or
//! noise (`testdata/precision/`). `scripts/precision score` re-runs archlens on the corpus,
//! scores the labelled findings that are still reported and writes the summary this module
//! reads. A rule whose measured precision is under [`THRESHOLD`] is off by default; it stays
//! available through `select`, `extend-select` or `--select`.

use std::sync::LazyLock;

/// The precision a rule needs to be on by default.
pub const THRESHOLD: f64 = 0.9;

/// The summary `scripts/precision score` writes: one line per measured rule, `code`, the
/// number of findings labelled, and how many of them were true.
const SUMMARY: &str = include_str!("../../../testdata/precision/summary.tsv");

/// What was measured of one rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub sample: u32,
    pub true_findings: u32,
}

impl Measured {
    pub fn precision(&self) -> f64 {
        if self.sample == 0 { 1.0 } else { f64::from(self.true_findings) / f64::from(self.sample) }
    }
}

static TABLE: LazyLock<Vec<(String, Measured)>> = LazyLock::new(|| {
    SUMMARY
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let code = fields.next()?.trim().to_owned();
            let sample = fields.next()?.trim().parse().ok()?;
            let true_findings = fields.next()?.trim().parse().ok()?;
            Some((code, Measured { sample, true_findings }))
        })
        .collect()
});

/// What was measured of the rule `code`, if it was.
pub fn measured(code: &str) -> Option<Measured> {
    TABLE.iter().find(|(known, _)| known == code).map(|(_, measured)| *measured)
}

/// What was measured of `code`, as the rule list and the rule pages show it: `0.92 of 12`,
/// or `-` for a rule not measured.
pub fn label(code: &str) -> String {
    match measured(code) {
        Some(measured) => format!("{:.2} of {}", measured.precision(), measured.sample),
        None => "-".to_owned(),
    }
}

/// Whether a rule is on when the configuration does not say: not measured, or measured at
/// [`THRESHOLD`] or above.
pub fn on_by_default(code: &str) -> bool {
    measured(code).is_none_or(|measured| measured.precision() >= THRESHOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_known_rules_with_consistent_counts() {
        for (code, measured) in TABLE.iter() {
            assert!(crate::rules::find_rule(code).is_some(), "{code} in testdata/precision/summary.tsv is not a rule");
            assert!(measured.true_findings <= measured.sample, "{code}");
        }
    }
}
