use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::literal_segments;
use crate::rules::{Check, declare_rule};

use super::{report_path_segment, segment_words};

declare_rule! {
    /// ## What it does
    /// Checks for literal path segments that are not lower kebab-case: lower-case letters
    /// and digits in words joined by `-`. Dots are allowed (`openapi.json`, `.well-known`,
    /// `v1.2`); path parameters (`{userId}`) are exempt, since they never appear in URLs.
    ///
    /// ## Why is this bad?
    /// URLs are case-sensitive, and an API that mixes `/userProfiles`, `/user_profiles` and
    /// `/Users` makes every client author look each path up. Kebab-case is the most common
    /// convention for public HTTP APIs and reads well in logs.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /userProfiles/{id}: ...
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// paths:
    ///   /user-profiles/{id}: ...
    /// ```
    ///
    /// ## Fix
    /// Renames the segment in the document (`userProfiles` → `user-profiles`). This changes the
    /// contract: servers and clients must follow. No fix is offered when the renamed path
    /// already exists.
    pub struct NonKebabCasePath {
        code: "API002",
        name: "non-kebab-case-path",
        area: Api,
        severity: Warning,
    }
}

/// True for `users`, `user-profiles`, `v1.2`, `.well-known`, `openapi.json`.
pub fn is_kebab_case(segment: &str) -> bool {
    segment.split('.').all(|part| {
        part.is_empty()
            || (part.split('-').all(|word| !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())))
    }) && segment.bytes().any(|byte| byte.is_ascii_alphanumeric())
}

impl Check for NonKebabCasePath {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for path in &model.paths {
            for (segment, range) in literal_segments(&path.path) {
                if is_kebab_case(segment) {
                    continue;
                }
                let suggestion = kebab_case(segment);
                let message = format!("path segment `{segment}` is not kebab-case (`{suggestion}`)");
                report_path_segment(context, sink, path, range, message, &suggestion);
            }
        }
    }
}

/// `userProfiles` → `user-profiles`, keeping dotted parts (`Report.PDF` → `report.pdf`).
fn kebab_case(segment: &str) -> String {
    segment
        .split('.')
        .map(|part| {
            segment_words(part)
                .into_iter()
                .filter(|word| word.bytes().all(|byte| byte.is_ascii_alphanumeric()))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    #[test]
    fn recognises_and_makes_kebab_case() {
        for good in ["users", "user-profiles", "v1.2", ".well-known", "openapi.json", "v1"] {
            assert!(super::is_kebab_case(good), "{good}");
        }
        for bad in ["userProfiles", "user_profiles", "Users", "a--b", "-a"] {
            assert!(!super::is_kebab_case(bad), "{bad}");
        }
        assert_eq!(super::kebab_case("userProfiles"), "user-profiles");
        assert_eq!(super::kebab_case("payment_intents"), "payment-intents");
    }
}
