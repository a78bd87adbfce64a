use crate::analysis::{Fix, RuleContext, Sink};
use crate::openapi::edit::TextEdit;
use crate::openapi::syntax::sub_span;
use crate::rules::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks for paths that end with `/` (other than the root path `/` itself).
    ///
    /// ## Why is this bad?
    /// `/users` and `/users/` are different URLs. Frameworks disagree on whether they match
    /// the same route: some redirect (losing the body of a POST), some answer 404. Clients
    /// generated from the document use the slash, hand-written ones often do not.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /users/:
    ///     get: ...
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// paths:
    ///   /users:
    ///     get: ...
    /// ```
    ///
    /// ## Fix
    /// Removes the trailing slash, unless the path without it is already in the document.
    pub struct TrailingSlashPath {
        code: "API004",
        name: "trailing-slash-path",
        area: Api,
        severity: Warning,
    }
}

impl Check for TrailingSlashPath {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let text = &context.project.file(context.project.root).text;
        for path in &model.paths {
            if path.path.len() < 2 || !path.path.ends_with('/') {
                continue;
            }
            let trimmed = path.path.trim_end_matches('/');
            let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
            let key_span = path.entry.span();
            let slashes = sub_span(text, &key_span, &path.path, trimmed.len().max(1)..path.path.len());
            let finding =
                sink.span(path.entry.file, key_span.clone(), path.entry.pointer.clone(), format!("path `{}` ends with a slash", path.path));
            if slashes != key_span && !model.paths.iter().any(|other| other.path == trimmed) {
                finding.fix(Fix::new("Remove the trailing slash", vec![TextEdit::replace(slashes, "")]).preferred());
            }
        }
    }
}
