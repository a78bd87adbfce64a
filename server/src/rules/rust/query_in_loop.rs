use crate::analysis::Sink;
use crate::rules::{Check, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for database round trips run once per item of a `for` loop or a
    /// `while let Some(…) = ….next()` loop: sqlx's `fetch*` and `execute` on a query,
    /// diesel's `load`, `get_result(s)`, `first` and `execute` given a connection, sea-orm's
    /// `all`, `one` and `exec` given a connection, tokio-postgres' and rusqlite's client
    /// methods, and the project's own functions that run one (the project model follows the
    /// calls), when the loop's items come from a query themselves (the classic N+1: a loop
    /// over rows read just before) or are a list a helper is given to look up. A query
    /// builder's `.query(…)` is not a round trip. Left alone: a handler's loop over the
    /// items of its own request (a batch the client sent), loops over settings, `loop` and
    /// plain
    /// `while` loops (retries, polling), loops over a constant list (`for table in
    /// TABLES`, an array literal, a field set at construction), closures inside the loop,
    /// one-off functions (migrations, bootstrap, backfills, seeds, set-up), start-up code,
    /// command-line tools and tests.
    ///
    /// ## Why is this bad?
    /// One query per item is the N+1 problem: a page of 50 orders costs 51 round trips to
    /// the database instead of 2. Each trip adds network latency and a connection held from
    /// the pool, so response time grows with the data and the pool runs dry under load.
    /// One query with `= ANY($1)` (or a join, or `UNNEST` for inserts) does the same work
    /// at once.
    ///
    /// ## Example
    /// ```rust
    /// for id in &order_ids {
    ///     let order = sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE id = $1").bind(id).fetch_one(&pool).await?;
    ///     orders.push(order);
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let orders = sqlx::query_as::<_, Order>("SELECT * FROM orders WHERE id = ANY($1)")
    ///     .bind(&order_ids)
    ///     .fetch_all(&pool)
    ///     .await?;
    /// ```
    pub struct QueryInLoop {
        code: "SCL006",
        name: "query-in-loop",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

impl Check for QueryInLoop {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        let root = file.tree.root_node();
        for function in &file.summary().functions {
            if function.test || !file.in_scope_span(&function.item.0) || is_one_off(&function.name) {
                continue;
            }
            let Some(node) =
                root.descendant_for_byte_range(function.item.0.start, function.item.0.end).filter(|node| node.kind() == "function_item")
            else {
                continue;
            };
            if file.is_test(node) || !file.in_service(node) || file.is_start_up(node) {
                continue;
            }
            let id = file.function_id(node);
            for (index, call) in function.calls.iter().enumerate() {
                if !call.in_loop || call.deferred {
                    continue;
                }
                let callee = id.and_then(|id| file.model.calls.callee(id, index)).filter(|callee| file.model.calls.runs_query(*callee));
                if !call.database && callee.is_none() {
                    continue;
                }
                let Some(name) = root.descendant_for_byte_range(call.place.0.start, call.place.0.end) else { continue };
                let Some(call_node) = crate::rust::ancestors(name).find(|ancestor| ancestor.kind() == "call_expression") else { continue };
                let Some(loop_node) = per_item_loop(file, call_node) else { continue };
                // The classic N+1: the items come from a query (a loop over rows, or over a
                // variable bound to a query's result).
                if !items_come_from_a_query(file, function, id, loop_node) {
                    continue;
                }
                let keyword = if loop_node.kind() == "for_expression" { "for" } else { "while let" };
                let header_end = loop_node.child_by_field_name("body").map_or(loop_node.end_byte(), |body| body.start_byte());
                let header_end = loop_node.start_byte() + file.text[loop_node.start_byte()..header_end].trim_end().len();
                let name_text = file.text_of(name);
                let message = match callee {
                    Some(_) if !call.database => {
                        format!(
                            "`{name_text}` runs a database query, once for each item of the `{keyword}` loop around it (N+1): query once for all items"
                        )
                    }
                    _ => format!(
                        "`{name_text}` runs a query for each item of the `{keyword}` loop around it (N+1): query once for all items"
                    ),
                };
                file.report_from(sink, name, call_node, message).related(0, loop_node.start_byte()..header_end, "the loop");
            }
        }
    }
}

/// The loop that runs `call` once per item: a `for` loop, or `while let Some(…) = ….next()`,
/// over something other than a constant list (`for table in TABLES`, `self.updaters`, an
/// array literal). `loop` and plain `while` (retries, polling) are not per item.
fn per_item_loop<'t>(file: &RustFile<'_>, call: tree_sitter::Node<'t>) -> Option<tree_sitter::Node<'t>> {
    let found = std::iter::successors(call.parent(), |node| node.parent())
        .take_while(|node| !matches!(node.kind(), "function_item" | "closure_expression"))
        .find(|node| matches!(node.kind(), "for_expression" | "while_expression" | "loop_expression"))?;
    match found.kind() {
        "for_expression" => {
            let over = found.child_by_field_name("value").map(|value| file.text_of(value)).unwrap_or_default();
            let over = over.trim_start_matches('&').trim_end_matches(".iter()");
            let constant = over.rsplit("::").next().is_some_and(|last| {
                last.chars().any(|character| character.is_ascii_uppercase())
                    && last.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_')
            });
            (!constant && !over.starts_with('[') && !over.starts_with("self.")).then_some(found)
        }
        "while_expression" => found
            .child_by_field_name("condition")
            .is_some_and(|condition| {
                let condition = file.text_of(condition);
                condition.starts_with("let Some") && condition.contains(".next()")
            })
            .then_some(found),
        _ => None,
    }
}

/// Whether the loop's items come from a database query (the loop's iterable, or the
/// variable it names, is bound to an expression that runs one, directly or through a
/// project function that does), or are what a helper is given to look up.
fn items_come_from_a_query(
    file: &RustFile<'_>,
    function: &crate::rust::summary::FunctionSummary,
    id: Option<crate::project::FunctionId>,
    loop_node: tree_sitter::Node<'_>,
) -> bool {
    let iterable = match loop_node.kind() {
        "for_expression" => loop_node.child_by_field_name("value"),
        _ => loop_node.child_by_field_name("condition").and_then(|condition| condition.child_by_field_name("value")),
    };
    let Some(iterable) = iterable else { return false };
    let runs_query_in = |range: std::ops::Range<usize>| {
        function.calls.iter().enumerate().any(|(index, call)| {
            range.start <= call.place.0.start
                && call.place.0.end <= range.end
                && (call.database
                    || id.and_then(|id| file.model.calls.callee(id, index)).is_some_and(|callee| file.model.calls.runs_query(callee)))
        })
    };
    if runs_query_in(iterable.byte_range()) {
        return true;
    }
    let name = file.text_of(iterable).trim_start_matches('&').trim_start_matches("mut ");
    let name = name.split('.').next().unwrap_or(name).trim();
    // A helper given a list of items (`fn orders_of(pool, ids: &[Uuid])`) queries once per
    // item for whoever calls it; a handler's loop over its own request data is a batch the
    // client sent.
    let Some(function_node) = file.enclosing_fn(loop_node) else { return false };
    if function.parameters.iter().any(|parameter| parameter == name) && !file.is_handler(function_node) {
        return true;
    }
    // `let orders = …fetch_all(…).await?; for order in &orders` (or `orders.iter()`).
    let Some(body) = file.enclosing_fn(loop_node).and_then(|function| function.child_by_field_name("body")) else { return false };
    let mut stack = vec![body];
    let mut bound = None;
    while let Some(node) = stack.pop() {
        if node.start_byte() >= loop_node.start_byte() {
            continue;
        }
        if node.kind() == "let_declaration"
            && node.child_by_field_name("pattern").is_some_and(|pattern| file.text_of(pattern).trim_start_matches("mut ") == name)
        {
            bound = node.child_by_field_name("value").map(|value| value.byte_range());
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    bound.is_some_and(runs_query_in)
}

/// Functions that run once, not per request: migrations, bootstrap, backfills, seeds.
fn is_one_off(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["migrat", "bootstrap", "backfill", "seed", "revert", "setup", "init"].iter().any(|word| lower.contains(word))
}
