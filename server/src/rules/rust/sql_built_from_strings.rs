use tree_sitter::Node;

use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
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
            let Some((built, from, builder)) = built_from_strings(file, sql, call) else { continue };
            let callee = found.get("function").map(|function| file.text_of(function)).unwrap_or_default();
            let callee = callee.split("::<").next().unwrap_or(callee);
            let message = match from {
                Some(variable) => format!("SQL built with {built} (`{variable}`) reaches `{callee}`: pass values as bind parameters"),
                None => format!("SQL built with {built} reaches `{callee}`: pass values as bind parameters"),
            };
            let finding = file.report(sink, sql, message);
            let sqlx_builder = matches!(callee.rsplit("::").next(), Some("query" | "query_as" | "query_scalar")) && !callee.contains('.');
            if sqlx_builder
                && let Some(placeholder) = placeholder_style(file)
                && let Some((template, values)) = bind_parameters(file.text_of(builder), placeholder)
            {
                // The literal replaces `format!(…)` (at the call, or in the `let` it came from).
                let literal = if from.is_some() { builder.byte_range() } else { sql.byte_range() };
                let binds: String = values
                    .iter()
                    .map(|value| format!(".bind({})", if value.starts_with('&') { value.clone() } else { format!("&{value}") }))
                    .collect();
                finding.fix(Fix::new(
                    "Pass the values as bind parameters",
                    vec![TextEdit::replace(literal, format!("\"{template}\"")), TextEdit::insert(call.end_byte(), binds)],
                ));
            }
        }
    }
}

/// How the SQL argument was built from strings that are not all constants: `format!` or
/// `+`, and the variable it went through. `None` for a literal, a constant, or SQL built
/// only from constants and numbers.
/// How the SQL was built, the variable it went through (one step of `let`), and the
/// expression that built it.
fn built_from_strings<'f>(file: &RustFile<'f>, sql: Node<'f>, call: Node<'f>) -> Option<(&'static str, Option<&'f str>, Node<'f>)> {
    let expression = strip(sql);
    if let Some(built) = built_by(file, expression) {
        return Some((built, None, expression));
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
    let bound = strip(bound?);
    built_by(file, bound).map(|built| (built, Some(name), bound))
}

/// The placeholders of the file's database: `$1` for PostgreSQL, `?` for MySQL and SQLite;
/// `None` when the file does not say which.
fn placeholder_style(file: &RustFile<'_>) -> Option<bool> {
    let postgres = ["PgPool", "PgConnection", "Postgres"].iter().any(|word| file.mentions(word));
    let question = ["MySql", "Sqlite"].iter().any(|word| file.mentions(word));
    (postgres != question).then_some(postgres)
}

/// The statement of a `format!(…)` with its values as bind parameters, and the values in
/// order: when every `{}` or `{name}` stands for a value (after `=`, `<`, `>`, `(`, `,`,
/// `LIKE`, `LIMIT` or `OFFSET`, quoted or not). `None` for anything else (identifiers such
/// as table and column names cannot be bound).
fn bind_parameters(format: &str, numbered: bool) -> Option<(String, Vec<String>)> {
    let inner = format.strip_prefix("format!")?.trim_start();
    let inner = inner.get(1..inner.len().checked_sub(1)?)?.trim();
    let body = inner.strip_prefix('"')?;
    let mut end = None;
    let mut escaped = false;
    for (at, character) in body.char_indices() {
        match character {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                end = Some(at);
                break;
            }
            _ => escaped = false,
        }
    }
    let end = end?;
    let (template, rest) = (&body[..end], body[end + 1..].trim_start());
    let arguments = split_arguments(rest.strip_prefix(',').unwrap_or(rest));
    let (mut positional, mut named): (Vec<&str>, Vec<(&str, &str)>) = (Vec::new(), Vec::new());
    for argument in &arguments {
        match argument.split_once('=').filter(|(name, value)| is_identifier(name.trim()) && !value.starts_with('=')) {
            Some((name, value)) => named.push((name.trim(), value.trim())),
            None => positional.push(argument),
        }
    }
    let mut positional = positional.into_iter();
    let (mut statement, mut values) = (String::new(), Vec::new());
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        // `}` before any `{`, and `{{`, are forms this does not read.
        if rest[open..].starts_with('}') || rest[open + 1..].starts_with('{') {
            return None;
        }
        let close = rest[open..].find('}').map(|close| open + close)?;
        let inside = &rest[open + 1..close];
        if !(inside.is_empty() || is_identifier(inside)) {
            return None;
        }
        let before = rest[..open].trim_end();
        let quoted = before.ends_with('\'') && rest[close + 1..].starts_with('\'');
        let before = if quoted { before[..before.len() - 1].trim_end() } else { before };
        let word = before.rsplit(|character: char| !character.is_ascii_alphabetic()).next().unwrap_or_default().to_ascii_uppercase();
        let value_position = before.ends_with(['=', '<', '>', '(', ',']) || matches!(word.as_str(), "LIKE" | "LIMIT" | "OFFSET");
        if !value_position {
            return None;
        }
        let value = if inside.is_empty() {
            positional.next()?.to_string()
        } else {
            named.iter().find(|(name, _)| *name == inside).map_or(inside, |(_, value)| value).to_owned()
        };
        values.push(value);
        statement.push_str(before);
        if !before.ends_with('(') {
            statement.push(' ');
        }
        statement.push_str(&if numbered { format!("${}", values.len()) } else { "?".to_owned() });
        rest = &rest[close + 1 + usize::from(quoted)..];
    }
    statement.push_str(rest);
    // Every argument is used once; leftovers mean a form this does not read.
    (positional.next().is_none() && !values.is_empty()).then_some((statement, values))
}

fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|first| first.is_alphabetic() || first == '_')
        && text.chars().all(|character| character.is_alphanumeric() || character == '_')
}

/// The arguments of a macro, split at the commas outside brackets and strings.
fn split_arguments(text: &str) -> Vec<String> {
    let (mut arguments, mut current, mut depth, mut in_string) = (Vec::new(), String::new(), 0i32, false);
    let mut previous = ' ';
    for character in text.chars() {
        match character {
            '"' if previous != '\\' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                arguments.push(std::mem::take(&mut current).trim().to_owned());
                previous = character;
                continue;
            }
            _ => {}
        }
        current.push(character);
        previous = character;
    }
    if !current.trim().is_empty() {
        arguments.push(current.trim().to_owned());
    }
    arguments
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
            (name == "format" && !format_of_constants(file.text_of(node), &|value| constant_here(file, node, value))).then_some("`format!`")
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
fn format_of_constants(text: &str, constant: &dyn Fn(&str) -> bool) -> bool {
    let inner = text.split_once('(').or_else(|| text.split_once('[')).map_or("", |(_, rest)| &rest[..rest.len().saturating_sub(1)]);
    let Some(start) = inner.find('"') else { return false };
    let Some(end) = inner[start + 1..].find('"').map(|end| start + 1 + end) else { return false };
    let template = &inner[start + 1..end];
    let captured =
        template.split('{').skip(1).filter_map(|part| part.split('}').next()).map(|inside| inside.split(':').next().unwrap_or_default());
    // After a raw string's closing quote come its `#`s.
    let arguments = inner[end + 1..].trim_start_matches('#').split(',').map(str::trim).filter(|argument| !argument.is_empty());
    captured.chain(arguments).all(|argument| argument.is_empty() || is_constant(argument) || constant(argument))
}

/// Whether a value used at `node` is a constant one step away: a number (`timeout.as_millis()`,
/// a length), a parameter that every caller passes a constant (the project model's call
/// graph), a variable bound to a `match` or `if` of literals, or the variable of a loop over
/// a constant.
fn constant_here(file: &RustFile<'_>, node: Node<'_>, value: &str) -> bool {
    constant_within(file, node, value, 0)
}

fn constant_within(file: &RustFile<'_>, node: Node<'_>, value: &str, depth: usize) -> bool {
    let value = value.trim().trim_start_matches('&');
    if [".as_millis()", ".as_secs()", ".as_micros()", ".len()", ".count()", ".num_days()", ".num_seconds()"]
        .iter()
        .any(|end| value.ends_with(end))
        || value.contains(" as i")
        || value.contains(" as u")
    {
        return true;
    }
    let base = value.split(['.', '[']).next().unwrap_or(value).trim();
    let Some(function) = file.enclosing_fn(node) else { return false };
    // A parameter whose callers all pass constants.
    if let Some(id) = file.function_id(function)
        && file.model.function(id).parameters.iter().any(|parameter| parameter == base)
        && file.model.calls.constant_values(&file.model.files, id, base).is_some()
    {
        return true;
    }
    let mut stack = vec![function];
    while let Some(current) = stack.pop() {
        if current.start_byte() > node.start_byte() {
            continue;
        }
        match current.kind() {
            "let_declaration"
                if current
                    .child_by_field_name("pattern")
                    .is_some_and(|pattern| file.text_of(pattern).trim_start_matches("mut ") == base)
                    && current.child_by_field_name("value").is_some_and(|bound| {
                        let bound = strip(bound);
                        literal_choice(file, bound)
                            // `let table = &format!("temp_{}", interval.1);` of constants.
                            || (depth < 3
                                && bound.kind() == "macro_invocation"
                                && bound.child_by_field_name("macro").is_some_and(|name| file.text_of(name) == "format")
                                && format_of_constants(file.text_of(bound), &|inner| constant_within(file, bound, inner, depth + 1)))
                    }) =>
            {
                return true;
            }
            "for_expression" if current.child_by_field_name("pattern").is_some_and(|pattern| file.text_of(pattern).contains(base)) => {
                let over =
                    current.child_by_field_name("value").map(|value| file.text_of(value).trim_start_matches('&')).unwrap_or_default();
                if is_constant(over.trim_end_matches(".iter()")) {
                    return true;
                }
            }
            _ => {}
        }
        let mut cursor = current.walk();
        stack.extend(current.named_children(&mut cursor));
    }
    false
}

/// A `match` or `if` whose every branch is a string literal.
fn literal_choice(file: &RustFile<'_>, node: Node<'_>) -> bool {
    let branches: Vec<Node<'_>> = match node.kind() {
        "match_expression" => {
            let Some(body) = node.child_by_field_name("body") else { return false };
            let mut cursor = body.walk();
            body.named_children(&mut cursor)
                .filter(|arm| arm.kind() == "match_arm")
                .filter_map(|arm| arm.child_by_field_name("value"))
                .collect()
        }
        "if_expression" => {
            let consequence = node.child_by_field_name("consequence");
            let alternative = node.child_by_field_name("alternative").and_then(|alternative| alternative.named_child(0));
            consequence.into_iter().chain(alternative).collect()
        }
        "string_literal" | "raw_string_literal" => return true,
        _ => return false,
    };
    !branches.is_empty()
        && branches.iter().all(|branch| {
            let text = file.text_of(*branch).trim().trim_start_matches('{').trim_end_matches('}').trim();
            text.starts_with('"') && text.ends_with('"') || literal_choice(file, *branch)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_bind_parameters_and_names_do_not() {
        let (statement, values) = bind_parameters(
            "format!(\n  \"SELECT * FROM orders WHERE customer_id = {} AND status = '{status}' LIMIT {}\",\n  customer, limit\n)",
            true,
        )
        .unwrap();
        assert_eq!(statement, "SELECT * FROM orders WHERE customer_id = $1 AND status = $2 LIMIT $3");
        assert_eq!(values, ["customer", "status", "limit"]);
        let (statement, values) = bind_parameters("format!(\"DELETE FROM t WHERE a IN ({}, {k})\", f(x, y), k = key.id)", false).unwrap();
        assert_eq!((statement.as_str(), values), ("DELETE FROM t WHERE a IN (?, ?)", vec!["f(x, y)".to_owned(), "key.id".to_owned()]));
        assert!(bind_parameters("format!(\"SELECT * FROM {} WHERE id = {}\", table, id)", true).is_none(), "a table name");
        assert!(bind_parameters("format!(\"SELECT * FROM t ORDER BY {column}\")", true).is_none(), "a column");
        assert!(bind_parameters("format!(\"SELECT {:?} FROM t\", x)", true).is_none(), "a format spec");
        assert!(bind_parameters("format!(\"SELECT x WHERE a = 1 LI}\")", true).is_none(), "half-typed");
    }
}
