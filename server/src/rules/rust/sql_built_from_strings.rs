use tree_sitter::Node;

use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for SQL built from strings and given to a query: `format!(…)`, `+` on
    /// strings, or a variable bound to either in the same function, as the SQL of sqlx's
    /// `query`, `query_as`, `query_scalar`, diesel's `sql_query`, or an `execute`/`query`
    /// method (tokio-postgres, rusqlite). SQL built only from literals, numbers and
    /// constants (`format!("SELECT {COLUMNS} FROM orders LIMIT {}", 50)`) is left alone, as
    /// are tests.
    ///
    /// ## Why is this bad?
    /// Values pasted into SQL are SQL: a name with a quote in it breaks the query, and a
    /// crafted one reads or deletes other rows (SQL injection, OWASP A03). Bind parameters
    /// send values apart from the statement, so no value can change it; they also let the
    /// database reuse the plan.
    ///
    /// ## Example
    /// ```rust
    /// let sql = format!("SELECT * FROM customers WHERE email = '{email}'");
    /// let customer = sqlx::query_as::<_, Customer>(&sql).fetch_one(&pool).await?;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let customer = sqlx::query_as::<_, Customer>("SELECT * FROM customers WHERE email = $1")
    ///     .bind(&email)
    ///     .fetch_one(&pool)
    ///     .await?;
    /// ```
    pub struct SqlBuiltFromStrings {
        code: "SEC013",
        name: "sql-built-from-strings",
        area: Sec,
        severity: Error,
        input: Rust,
    }
}

impl Check for SqlBuiltFromStrings {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(sql)) = (found.get("call"), found.get("sql")) else { continue };
            if file.is_test(call) {
                continue;
            }
            let Some((built, from)) = built_from_strings(file, sql, call) else { continue };
            let callee = found.get("function").map(|function| file.text_of(function)).unwrap_or_default();
            let callee = callee.split("::<").next().unwrap_or(callee);
            let message = match from {
                Some(variable) => format!("SQL built with {built} (`{variable}`) reaches `{callee}`: pass values as bind parameters"),
                None => format!("SQL built with {built} reaches `{callee}`: pass values as bind parameters"),
            };
            file.report(sink, sql, message);
        }
    }
}

/// How the SQL argument was built from strings that are not all constants: `format!` or
/// `+`, and the variable it went through. `None` for a literal, a constant, or SQL built
/// only from constants and numbers.
fn built_from_strings<'f>(file: &RustFile<'f>, sql: Node<'_>, call: Node<'_>) -> Option<(&'static str, Option<&'f str>)> {
    let expression = strip(sql);
    if let Some(built) = built_by(file, expression) {
        return Some((built, None));
    }
    // One step of `let`: `let sql = format!(…); query(&sql)`.
    if expression.kind() != "identifier" {
        return None;
    }
    let name = file.text_of(expression);
    let function = file.enclosing_fn(call)?;
    let mut stack = vec![function];
    let mut bound = None;
    while let Some(node) = stack.pop() {
        if node.start_byte() > call.start_byte() {
            continue;
        }
        if node.kind() == "let_declaration"
            && node.child_by_field_name("pattern").is_some_and(|pattern| file.text_of(pattern).trim_start_matches("mut ") == name)
        {
            bound = node.child_by_field_name("value");
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    built_by(file, strip(bound?)).map(|built| (built, Some(name)))
}

/// `&x`, `(x)`, `x.as_str()`, `x.as_ref()`: the expression itself.
fn strip(mut node: Node<'_>) -> Node<'_> {
    loop {
        node = match node.kind() {
            "parenthesized_expression" => match node.named_child(0) {
                Some(inner) => inner,
                None => return node,
            },
            "reference_expression" => match node.child_by_field_name("value") {
                Some(value) => value,
                None => return node,
            },
            "call_expression" => {
                let function = node.child_by_field_name("function");
                let method = function.and_then(|function| function.child_by_field_name("field"));
                match (function.and_then(|function| function.child_by_field_name("value")), method) {
                    (Some(value), Some(_))
                        if node.child_by_field_name("arguments").is_some_and(|arguments| arguments.named_child_count() == 0) =>
                    {
                        value
                    }
                    _ => return node,
                }
            }
            _ => return node,
        };
    }
}

fn built_by(file: &RustFile<'_>, node: Node<'_>) -> Option<&'static str> {
    match node.kind() {
        "macro_invocation" => {
            let name = node.child_by_field_name("macro").map(|name| file.text_of(name))?;
            (name == "format" && !format_of_constants(file.text_of(node))).then_some("`format!`")
        }
        "binary_expression" => {
            let text = file.text_of(node);
            let operator = node.child_by_field_name("operator").map(|operator| file.text_of(operator));
            (operator == Some("+") && text.contains('"') && !operands_are_constants(file, node)).then_some("`+`")
        }
        _ => None,
    }
}

/// Whether every argument of a `format!` (and every name inside its braces) is a literal,
/// a number or a constant.
fn format_of_constants(text: &str) -> bool {
    let inner = text.split_once('(').or_else(|| text.split_once('[')).map_or("", |(_, rest)| &rest[..rest.len().saturating_sub(1)]);
    let Some(start) = inner.find('"') else { return false };
    let Some(end) = inner[start + 1..].find('"').map(|end| start + 1 + end) else { return false };
    let template = &inner[start + 1..end];
    let captured =
        template.split('{').skip(1).filter_map(|part| part.split('}').next()).map(|inside| inside.split(':').next().unwrap_or_default());
    let arguments = inner[end + 1..].split(',').map(str::trim).filter(|argument| !argument.is_empty());
    captured.chain(arguments).all(|argument| argument.is_empty() || is_constant(argument))
}

fn is_constant(expression: &str) -> bool {
    let last = expression.rsplit("::").next().unwrap_or(expression);
    let number = last.chars().next().is_some_and(|first| first.is_ascii_digit());
    let literal = last.starts_with('"');
    let constant = last.chars().all(|character| character.is_ascii_uppercase() || character.is_ascii_digit() || character == '_')
        && last.chars().any(|character| character.is_ascii_uppercase());
    number || literal || constant
}

fn operands_are_constants(file: &RustFile<'_>, node: Node<'_>) -> bool {
    if node.kind() == "binary_expression" {
        return [node.child_by_field_name("left"), node.child_by_field_name("right")]
            .into_iter()
            .all(|side| side.is_some_and(|side| operands_are_constants(file, strip(side))));
    }
    is_constant(file.text_of(node))
}
