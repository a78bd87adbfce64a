use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for database queries run once per item of a `for` loop or a
    /// `while let Some(…) = ….next()` loop: sqlx's `fetch_one`, `fetch_all`,
    /// `fetch_optional`, `fetch` and `execute` on a query, and tokio-postgres's `query` and
    /// `execute`. `loop` and plain `while` loops (retries, polling) are left alone, as are
    /// tests and closures inside the loop.
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
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(method)) = (found.get("call"), found.get("method")) else { continue };
            if file.is_test(call) {
                continue;
            }
            // A query chain: sqlx's query functions and macros, or a client's query methods.
            let chain = file.text_of(file.chain_root(call));
            let name = file.text_of(method);
            let is_query = chain.contains("query") || chain.contains("sqlx::") || crate::rust::sql_statements(chain).next().is_some();
            if !is_query {
                continue;
            }
            let per_item = std::iter::successors(call.parent(), |node| node.parent())
                .take_while(|node| !matches!(node.kind(), "function_item" | "closure_expression"))
                .find(|node| match node.kind() {
                    "for_expression" => true,
                    "while_expression" => node.child_by_field_name("condition").is_some_and(|condition| {
                        let condition = file.text_of(condition);
                        condition.starts_with("let Some") && condition.contains(".next()")
                    }),
                    _ => false,
                });
            if let Some(loop_node) = per_item {
                let keyword = if loop_node.kind() == "for_expression" { "for" } else { "while let" };
                let header_end = loop_node.child_by_field_name("body").map_or(loop_node.end_byte(), |body| body.start_byte());
                let header_end = loop_node.start_byte() + file.text[loop_node.start_byte()..header_end].trim_end().len();
                file.report_from(
                    sink,
                    method,
                    call,
                    format!("`{name}` runs a query for each item of the `{keyword}` loop around it (N+1): query once for all items"),
                )
                .related(0, loop_node.start_byte()..header_end, "the loop");
            }
        }
    }
}
