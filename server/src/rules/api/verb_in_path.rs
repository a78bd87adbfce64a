use crate::analysis::{RuleContext, Sink};
use crate::openapi::model::literal_segments;
use crate::openapi::syntax::sub_span;
use crate::rules::{Check, declare_rule};

use super::segment_words;

declare_rule! {
    /// ## What it does
    /// Checks for path segments that are CRUD verbs (`/getUsers`, `/users/create`,
    /// `/users/{id}/delete`) repeating what the HTTP method already says.
    ///
    /// Only verbs that duplicate a method are reported: get, fetch, retrieve, read, list,
    /// create, add, insert, update, modify, edit, change, set, delete, remove, destroy.
    /// Controller resources such as `/orders/{id}/cancel`, `/search` or `/login` name
    /// actions that no method expresses and are fine. Nouns that begin like a verb
    /// (`/settings`, `/updates`, `/listings`) are whole words and are not reported, and
    /// "change" and "read" count only as a whole segment, since they also start
    /// compound nouns (`/change-requests`, `/read-receipts`); `/add-ons` is a noun too.
    ///
    /// ## Why is this bad?
    /// In REST the path names a resource and the method names the action. `POST /createUser`
    /// next to `GET /getUser/{id}` doubles the vocabulary, breaks caching and tooling that
    /// rely on method semantics, and makes clients guess which verb goes with which path.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /getUsers:
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
    /// None: renaming a path changes the API contract, so it is left to the author.
    pub struct VerbInPath {
        code: "API001",
        name: "verb-in-path",
        area: Api,
        severity: Warning,
    }
}

const CRUD_VERBS: [&str; 16] = [
    "get", "fetch", "retrieve", "read", "list", "create", "add", "insert", "update", "modify", "edit", "change", "set", "delete", "remove",
    "destroy",
];

pub fn is_crud_verb(word: &str) -> bool {
    CRUD_VERBS.contains(&word)
}

/// Verbs that also start common compound nouns (`change-requests`, `read-receipts`):
/// reported only when they are the whole segment.
const NOUN_PREFIX_VERBS: [&str; 2] = ["change", "read"];

impl Check for VerbInPath {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        let text = &context.project.file(context.project.root).text;
        for path in &model.paths {
            for (segment, range) in literal_segments(&path.path) {
                let words = segment_words(segment);
                let Some(verb) = words.first().filter(|word| CRUD_VERBS.contains(&word.as_str())) else {
                    continue;
                };
                if words.len() > 1 && (NOUN_PREFIX_VERBS.contains(&verb.as_str()) || matches!(words[1].as_str(), "on" | "ons")) {
                    continue;
                }
                let key_span = path.entry.span();
                let span = sub_span(text, &key_span, &path.path, range);
                let method_hint = match verb.as_str() {
                    "get" | "fetch" | "retrieve" | "read" | "list" => "GET",
                    "create" | "add" | "insert" => "POST",
                    "update" | "modify" | "edit" | "change" | "set" => "PUT or PATCH",
                    _ => "DELETE",
                };
                sink.span(
                    path.entry.file,
                    span,
                    path.entry.pointer.clone(),
                    format!("path segment `{segment}` is a verb; name the resource and let {method_hint} say the action"),
                );
            }
        }
    }
}
