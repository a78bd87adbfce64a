use crate::analysis::{Fix, Sink};
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for Redis writes without an expiry in files that use the `redis` crate (an
    /// import or a `redis::` path):
    /// `set`, `mset` and `set_multiple` commands, and a `cmd("SET")` whose arguments carry
    /// no `EX`, `PX`, `EXAT`, `PXAT` or `KEEPTTL`. Tests are left alone.
    ///
    /// ## Why is this bad?
    /// A cache entry without a time to live stays until memory runs out: stale values are
    /// served long after the source changed, and the instance fills until Redis evicts by
    /// its policy (or refuses writes with `noeviction`), taking out whatever else lives
    /// there. An expiry bounds both the staleness and the memory.
    ///
    /// ## Example
    /// ```rust
    /// let _: () = connection.set(format!("order:{id}"), body).await?;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let _: () = connection.set_ex(format!("order:{id}"), body, 300).await?;
    /// ```
    ///
    /// ## Fix
    /// Turns `set(key, value)` into `set_ex(key, value, 3600)`; choose the time to live.
    pub struct CacheWithoutTtl {
        code: "SCL008",
        name: "cache-without-ttl",
        area: Scl,
        severity: Info,
        input: Rust,
    }
}

const EXPIRY_ARGUMENTS: [&str; 5] = ["\"EX\"", "\"PX\"", "\"EXAT\"", "\"PXAT\"", "\"KEEPTTL\""];

impl Check for CacheWithoutTtl {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        // The redis crate, through an import or a path: not the word in a licence header.
        let uses_redis = file.summary().imports.iter().any(|import| import.path.first().is_some_and(|first| first == "redis"))
            || file.mentions("redis::");
        if !uses_redis {
            return;
        }
        for found in file.matches(self.meta().code) {
            let Some(call) = found.get("call") else { continue };
            if file.is_test(call) {
                continue;
            }
            let Some(arguments) = call.child_by_field_name("arguments") else { continue };
            if found.get("command").is_some() {
                // `cmd("SET").arg(key).arg(value).arg("EX").arg(60)`: the whole chain.
                let chain = file.text_of(file.chain_root(call)).to_ascii_uppercase();
                if !EXPIRY_ARGUMENTS.iter().any(|argument| chain.contains(argument)) {
                    file.report(sink, call, "a Redis SET without an expiry: the entry stays until memory runs out");
                }
                continue;
            }
            let Some(method) = found.get("method") else { continue };
            let name = file.text_of(method);
            if name == "set" && arguments.named_child_count() != 2 {
                continue;
            }
            let finding =
                file.report_from(sink, method, call, format!("Redis `{name}` without an expiry: the entry stays until memory runs out"));
            if name == "set" {
                let inside = &file.text[arguments.start_byte() + 1..arguments.end_byte() - 1];
                finding.fix(Fix::new(
                    "Use `set_ex` with a time to live of an hour",
                    vec![TextEdit::replace(
                        method.start_byte()..arguments.end_byte(),
                        format!("set_ex({}, 3600)", inside.trim_end().trim_end_matches(',')),
                    )],
                ));
            }
        }
    }
}
