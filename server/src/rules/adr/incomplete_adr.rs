use crate::adr::AdrFile;
use crate::analysis::Sink;
use crate::openapi::pointer::JsonPointer;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for architecture decision records (markdown files in `docs/adr/`, `doc/adr/`
    /// or `docs/decisions/`) that lack one of the four parts of a decision: its Status, the
    /// Context, the Decision and its Consequences. A part is there when a heading starts with
    /// its name (MADR's "Context and Problem Statement" and "Decision Outcome" count), or,
    /// for the status, a `Status: accepted` line. Index, readme and template files are left
    /// alone.
    ///
    /// ## Why is this bad?
    /// A decision record is read years later by someone who was not there. Without a status
    /// they cannot tell whether it still holds or was superseded; without the context, why
    /// it was taken; without the consequences, what it costs and what to watch for. A record
    /// that only states the decision does not let anyone revisit it safely.
    ///
    /// ## Example
    /// ```markdown
    /// # 7. Use PostgreSQL for orders
    ///
    /// We use PostgreSQL.
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// # 7. Use PostgreSQL for orders
    ///
    /// ## Status
    /// Accepted
    ///
    /// ## Context
    /// Orders need transactions across items and payments; the team runs PostgreSQL already.
    ///
    /// ## Decision
    /// Orders live in PostgreSQL 16, one schema per service.
    ///
    /// ## Consequences
    /// Reporting queries go to a replica; schema changes go through migrations.
    /// ```
    pub struct IncompleteAdr {
        code: "PRC010",
        name: "incomplete-adr",
        area: Prc,
        severity: Info,
        input: Adr,
    }
}

const PARTS: [&str; 4] = ["Status", "Context", "Decision", "Consequences"];

impl Check for IncompleteAdr {
    fn check_adr(&self, file: &AdrFile<'_>, sink: &mut Sink) {
        let missing: Vec<&str> = PARTS.iter().copied().filter(|part| !file.has_section(part)).collect();
        let Some((last, rest)) = missing.split_last() else { return };
        let list = if rest.is_empty() { format!("{last} section") } else { format!("{} or {last} sections", rest.join(", ")) };
        sink.span(
            0,
            file.title_span(),
            JsonPointer::root(),
            format!("this decision record has no {list}: say whether it holds, why it was taken, what was decided and what follows"),
        );
    }
}
