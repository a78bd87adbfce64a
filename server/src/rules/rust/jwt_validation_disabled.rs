use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for jsonwebtoken validation turned off: `validate_exp`, `validate_nbf` or
    /// `validate_aud` set to `false` (by assignment or in a `Validation { … }` literal),
    /// `insecure_disable_signature_validation()`, and `insecure_decode` in a function that
    /// never validates a token afterwards. Reading the claims with `insecure_decode` to pick
    /// a key or a tenant, then calling `decode` with a real `Validation`, is left alone, as
    /// are tests.
    ///
    /// ## Why is this bad?
    /// A token whose signature is not checked can be written by anyone: change the `sub`
    /// claim, get someone else's account. A token whose expiry is not checked lives forever
    /// once it leaks. Both turn authentication into a formality (OWASP API2, broken
    /// authentication).
    ///
    /// ## Example
    /// ```rust
    /// let mut validation = Validation::new(Algorithm::HS256);
    /// validation.validate_exp = false;
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let mut validation = Validation::new(Algorithm::HS256);
    /// validation.leeway = 30;
    /// ```
    pub struct JwtValidationDisabled {
        code: "SEC011",
        name: "jwt-validation-disabled",
        area: Sec,
        severity: Error,
        input: Rust,
    }
}

impl Check for JwtValidationDisabled {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let Some(call) = found.get("call") else { continue };
            if file.is_test(call) {
                continue;
            }
            if let (Some(field), Some(value)) = (found.get("field"), found.get("value")) {
                if file.text_of(value) == "false" {
                    let field = file.text_of(field);
                    file.report(sink, call, format!("`{field} = false` accepts tokens that jsonwebtoken would reject"));
                }
                continue;
            }
            let method = found.get("method").map(|method| file.text_of(method)).unwrap_or_default();
            if method.ends_with("insecure_decode") {
                // Claims read to choose how to validate, then validated: fine.
                let validated_after =
                    file.enclosing_fn(call).map(|function| &file.text[call.end_byte()..function.end_byte()]).is_some_and(|rest| {
                        // `decode(` or `decode::<`, not another `insecure_decode`.
                        rest.match_indices("decode").any(|(at, _)| {
                            !rest[..at].ends_with("insecure_") && (rest[at..].starts_with("decode(") || rest[at..].starts_with("decode::<"))
                        })
                    });
                // A wrapper that only returns the claims to a caller that validates.
                let wrapper = file.enclosing_fn(call).and_then(|function| function.child_by_field_name("name")).is_some_and(|name| {
                    let name = file.text_of(name).to_ascii_lowercase();
                    ["unverified", "insecure", "dangerous", "peek", "header", "unvalidated"].iter().any(|word| name.contains(word))
                }) || crate::rust::ancestors(call)
                    .find(|node| node.kind() == "impl_item")
                    .and_then(|item| item.child_by_field_name("type"))
                    .is_some_and(|kind| file.text_of(kind).to_ascii_lowercase().contains("unverified"));
                if wrapper {
                    continue;
                }
                if validated_after {
                    continue;
                }
                file.report(sink, call, format!("`{method}` reads a token without checking its signature, and nothing validates it after"));
                continue;
            }
            file.report(sink, call, "signature validation is disabled: anyone can write a token this service accepts");
        }
    }
}
