use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for handlers that write to the database more than once without a
    /// transaction: two or more `INSERT`, `UPDATE` or `DELETE` statements in the handler's
    /// body (as string literals, in sqlx's `query` functions and macros or any other
    /// client), and no `begin()` or `transaction` in it. Reported on the handler's name.
    ///
    /// ## Why is this bad?
    /// Without a transaction, a failure between two writes (an error, a timeout, a
    /// restart) leaves the data half-changed: an order without its items, a refund recorded
    /// but the balance not updated. Concurrent requests also see the state between the
    /// writes. A transaction makes the writes happen together or not at all.
    ///
    /// ## Example
    /// ```rust
    /// sqlx::query("UPDATE orders SET status = 'refunded' WHERE id = $1").bind(id).execute(&pool).await?;
    /// sqlx::query("INSERT INTO refunds (order_id, amount) VALUES ($1, $2)").bind(id).bind(amount).execute(&pool).await?;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let mut tx = pool.begin().await?;
    /// sqlx::query("UPDATE orders SET status = 'refunded' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    /// sqlx::query("INSERT INTO refunds (order_id, amount) VALUES ($1, $2)").bind(id).bind(amount).execute(&mut *tx).await?;
    /// tx.commit().await?;
    /// ```
    pub struct MissingTransaction {
        code: "DB010",
        name: "missing-transaction",
        area: Db,
        severity: Info,
        input: Rust,
    }
}

impl Check for MissingTransaction {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(function), Some(name), Some(body)) = (found.get("call"), found.get("name"), found.get("body")) else { continue };
            if !file.is_handler(function) {
                continue;
            }
            let text = file.text_of(body);
            if text.contains(".begin()") || text.contains("transaction") {
                continue;
            }
            let writes = crate::rust::sql_statements(text).filter(|keyword| keyword != "SELECT" && keyword != "WITH").count();
            if writes >= 2 {
                let name_text = file.text_of(name);
                file.report(sink, name, format!("handler `{name_text}` writes to the database {writes} times outside a transaction"));
            }
        }
    }
}
