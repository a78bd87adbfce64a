use tree_sitter::Node;

use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::{RustFile, descendants};

declare_rule! {
    /// ## What it does
    /// Checks for retry loops that try again at once or after a fixed delay. A retry loop is
    /// a `loop`, a `while` or a `for` over a range that leaves when an awaited operation
    /// succeeds (an `Ok(…)` arm or `if let Ok(…)` that returns or breaks) and counts its
    /// attempts (`attempt`, `retries`, `tries`, or the range of the `for`). The delay is
    /// fixed when every value in the `sleep(…)` call is a literal or a constant, also
    /// through one `let` that the loop never reassigns. Loops that read a stream until it
    /// yields, tests, and delays computed from the attempt (`2u64.pow(attempt)`, a `delay`
    /// doubled in the loop, a `backoff` value) are left alone.
    ///
    /// ## Why is this bad?
    /// When a dependency fails, every client retrying at the same fixed pace hits it again
    /// together, in waves, which keeps it down (a retry storm). Exponential backoff spreads
    /// the load out as failures continue, and jitter keeps clients from synchronising.
    /// Retrying with no delay at all turns one failure into a burst of requests within
    /// milliseconds.
    ///
    /// ## Example
    /// ```rust
    /// for attempt in 1..=5 {
    ///     match client.get(&url).send().await {
    ///         Ok(response) => return Ok(response),
    ///         Err(error) => tracing::warn!(attempt, %error, "retrying"),
    ///     }
    ///     tokio::time::sleep(Duration::from_millis(500)).await;
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// for attempt in 1..=5 {
    ///     match client.get(&url).send().await {
    ///         Ok(response) => return Ok(response),
    ///         Err(error) => tracing::warn!(attempt, %error, "retrying"),
    ///     }
    ///     let backoff = Duration::from_millis(100 * 2u64.pow(attempt));
    ///     tokio::time::sleep(backoff + Duration::from_millis(rand::random::<u64>() % 100)).await;
    /// }
    /// ```
    /// or a retry crate (`backon`, `tokio-retry`, `backoff`) with an exponential policy.
    pub struct RetryWithoutBackoff {
        code: "SCL005",
        name: "retry-without-backoff",
        area: Scl,
        severity: Info,
        input: Rust,
    }
}

impl Check for RetryWithoutBackoff {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(looped), Some(body)) = (found.get("loop"), found.get("body")) else { continue };
            if file.is_test(looped) || file.is_start_up(looped) || !file.in_service(looped) || !is_retry(file, looped, body) {
                continue;
            }
            // One retry cannot storm; a loop that repairs between attempts is not retrying a
            // failing dependency.
            if at_most_two_attempts(file, looped) || repairs_between_attempts(file, body) {
                continue;
            }
            let sleeps = descendants(body).filter(|node| is_sleep(file, *node)).collect::<Vec<_>>();
            let message = if sleeps.is_empty() {
                "this retry loop tries again at once: wait between attempts, with exponential backoff and jitter".to_owned()
            } else if let Some(delay) = sleeps.iter().map(|sleep| fixed_delay(file, *sleep, looped)).collect::<Option<Vec<_>>>() {
                format!("this retry loop waits a fixed `{}` between attempts: back off exponentially, with jitter", delay[0])
            } else {
                continue;
            };
            // The loop's header: `loop`, `for attempt in 1..=5`, `while attempts < 3`.
            let end = file.text[looped.start_byte()..body.start_byte()].trim_end().len() + looped.start_byte();
            sink.span(0, looped.start_byte()..end, file.pointer(looped), message);
        }
    }
}

/// `for attempt in 0..2`, `1..=2`: at most two attempts.
fn at_most_two_attempts(file: &RustFile<'_>, looped: Node<'_>) -> bool {
    let Some(range) = looped.child_by_field_name("value") else { return false };
    let text: String = file.text_of(range).split_whitespace().collect();
    let bounds: Option<(u32, u32)> = if let Some((start, end)) = text.split_once("..=") {
        start.parse().ok().zip(end.parse::<u32>().ok().map(|end| end + 1))
    } else if let Some((start, end)) = text.split_once("..") {
        start.parse().ok().zip(end.parse().ok())
    } else {
        None
    };
    bounds.is_some_and(|(start, end)| end.saturating_sub(start) <= 2)
}

/// Whether the loop body repairs something between attempts (purges, invalidates, resets).
fn repairs_between_attempts(file: &RustFile<'_>, body: Node<'_>) -> bool {
    let text = file.text_of(body).to_ascii_lowercase();
    ["purge", "invalidate", "evict", "clear(", "reset", "refresh_cache", "reconnect"].iter().any(|word| text.contains(word))
}

/// Whether a loop retries an awaited operation until it succeeds, counting attempts.
fn is_retry(file: &RustFile<'_>, looped: Node<'_>, body: Node<'_>) -> bool {
    let counted = looped.kind() == "for_expression"
        || descendants(looped).filter(|node| node.kind() == "identifier").any(|node| {
            let name = file.text_of(node).to_ascii_lowercase();
            ["attempt", "retries", "retry", "tries"].iter().any(|hint| name.contains(hint))
        });
    counted
        && descendants(body).any(|node| match node.kind() {
            "match_expression" => {
                node.child_by_field_name("value").is_some_and(|value| file.text_of(value).contains(".await"))
                    && descendants(node).filter(|arm| arm.kind() == "match_arm").any(|arm| {
                        let pattern = arm.child_by_field_name("pattern").map(|pattern| file.text_of(pattern)).unwrap_or_default();
                        pattern.starts_with("Ok(") && arm.child_by_field_name("value").is_some_and(|value| leaves(file, value))
                    })
            }
            "if_expression" => {
                let condition = node.child_by_field_name("condition").map(|condition| file.text_of(condition)).unwrap_or_default();
                (condition.starts_with("let Ok(") || condition.ends_with(".is_ok()"))
                    && condition.contains(".await")
                    && node.child_by_field_name("consequence").is_some_and(|consequence| leaves(file, consequence))
            }
            _ => false,
        })
}

/// Whether an expression returns or breaks out of the loop.
fn leaves(file: &RustFile<'_>, node: Node<'_>) -> bool {
    matches!(node.kind(), "return_expression" | "break_expression")
        || descendants(node).any(|inner| matches!(inner.kind(), "return_expression" | "break_expression"))
        || file.text_of(node).starts_with("return")
}

fn is_sleep(file: &RustFile<'_>, node: Node<'_>) -> bool {
    node.kind() == "call_expression"
        && node.child_by_field_name("function").is_some_and(|function| {
            let callee = file.text_of(function);
            callee == "sleep" || callee.ends_with("::sleep")
        })
}

/// The delay of a `sleep(…)` call when it is fixed: built from literals and constants only,
/// directly or through one `let` before the loop that the loop never reassigns.
fn fixed_delay<'a>(file: &RustFile<'a>, sleep: Node<'_>, looped: Node<'_>) -> Option<&'a str> {
    let argument = sleep.child_by_field_name("arguments")?.named_child(0)?;
    let names = variables(file, argument);
    if names.is_empty() {
        return Some(file.text_of(argument));
    }
    let [name] = names.as_slice() else { return None };
    let function = file.enclosing_fn(looped)?;
    let bound =
        descendants(function).filter(|node| node.kind() == "let_declaration" && node.end_byte() <= looped.start_byte()).find(|node| {
            node.child_by_field_name("pattern").is_some_and(|pattern| file.text_of(pattern).trim_start_matches("mut ") == *name)
        })?;
    let value = bound.child_by_field_name("value")?;
    let reassigned = descendants(looped).any(|node| {
        matches!(node.kind(), "assignment_expression" | "compound_assignment_expr")
            && node.child_by_field_name("left").is_some_and(|left| file.text_of(left) == *name)
    });
    (variables(file, value).is_empty() && !reassigned).then(|| file.text_of(value))
}

/// The variables an expression reads: identifiers that are not constants (`MAX_DELAY`), not
/// path segments (`Duration::from_millis`) and not called functions or methods.
fn variables<'a>(file: &RustFile<'a>, expression: Node<'_>) -> Vec<&'a str> {
    let mut names: Vec<&str> = descendants(expression)
        .filter(|node| node.kind() == "identifier")
        .filter(|node| {
            node.parent().is_none_or(|parent| {
                parent.kind() != "scoped_identifier"
                    && !(parent.kind() == "call_expression" && parent.child_by_field_name("function").is_some_and(|f| f.id() == node.id()))
            })
        })
        .map(|node| file.text_of(node))
        .filter(|name| !name.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}
