use crate::analysis::{RuleContext, Sink};
use crate::rules::{Check, declare_rule};

use super::operation_names::is_version_segment;
use super::{report_path_segment, segment_words};

declare_rule! {
    /// ## What it does
    /// Checks for collection segments in the singular: a literal path segment directly
    /// followed by a `{parameter}` (`/user/{id}`), whose last word is a countable resource
    /// noun in the singular. The noun that counts is the last word, or the word before "of"
    /// (`codes_of_conduct`). Only nouns of a list of about 300 resource nouns with their
    /// plurals (irregular ones included: `person` → `people`) are judged: a word the list
    /// does not know (`custom`, `by`, `v2`) is left alone rather than given a guessed plural.
    /// Version segments (`v1`) and `me`/`self` are not reported.
    ///
    /// ## Why is this bad?
    /// `/users` is the collection and `/users/{id}` one of its members: the same noun for both
    /// is what REST clients and tooling expect. Mixing `/user/{id}` with `/users` makes every
    /// client author look each path up.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /user/{userId}: ...
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// paths:
    ///   /users/{userId}: ...
    /// ```
    ///
    /// ## Fix
    /// Pluralises the segment (`user` → `users`, `category` → `categories`), unless the
    /// renamed path already exists. This changes the contract: servers and clients must
    /// follow.
    pub struct SingularCollection {
        code: "API003",
        name: "singular-collection",
        area: Api,
        severity: Info,
    }
}

const UNCOUNTABLE: [&str; 24] = [
    "data",
    "metadata",
    "media",
    "news",
    "info",
    "information",
    "people",
    "children",
    "men",
    "women",
    "feedback",
    "health",
    "equipment",
    "software",
    "hardware",
    "staff",
    "personnel",
    "series",
    "species",
    "me",
    "self",
    "auth",
    "search",
    "history",
];

/// The noun a segment is about: the last word, or the word before `of` (`codes_of_conduct`).
fn head_noun(words: &[String]) -> Option<&String> {
    match words.iter().position(|word| word == "of") {
        Some(of) if of > 0 => words.get(of - 1),
        _ => words.last(),
    }
}

/// Whether the segment's head noun is a countable noun in the singular that the list of
/// resource nouns knows; any other word is not judged.
fn is_singular(segment: &str) -> bool {
    let words = segment_words(segment);
    let Some(head) = head_noun(&words) else {
        return false;
    };
    !UNCOUNTABLE.contains(&head.as_str()) && super::nouns::plural_of(head).is_some()
}

impl Check for SingularCollection {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for path in &model.paths {
            let segments: Vec<&str> = path.path.split('/').collect();
            let mut offset = 0;
            for (index, segment) in segments.iter().enumerate() {
                let range = offset..offset + segment.len();
                offset += segment.len() + 1;
                let followed_by_parameter = segments.get(index + 1).is_some_and(|next| next.starts_with('{') && next.ends_with('}'));
                if segment.is_empty()
                    || segment.contains('{')
                    || !followed_by_parameter
                    || is_version_segment(segment)
                    || !is_singular(segment)
                {
                    continue;
                }
                let words = segment_words(segment);
                let last_word = words.last().cloned().unwrap_or_default();
                if head_noun(&words) != words.last() {
                    continue;
                }
                let Some(pluralised) = plural_segment(segment, &last_word) else {
                    continue;
                };
                let message = format!("collection segment `{segment}` is singular (`{pluralised}`)");
                report_path_segment(context, sink, path, range, message, &pluralised);
            }
        }
    }
}

/// Pluralises the last word of a segment in place: `order-item` → `order-items`,
/// `category` → `categories`.
fn plural_segment(segment: &str, last_word: &str) -> Option<String> {
    let cut = segment.len().checked_sub(last_word.len())?;
    if !segment[cut..].eq_ignore_ascii_case(last_word) {
        return None;
    }
    let tail = &segment[cut..];
    let pluralised = super::nouns::plural_of(&tail.to_ascii_lowercase())?;
    if !pluralised.starts_with(&tail[..tail.len().saturating_sub(1)].to_ascii_lowercase()) {
        // An irregular plural (`person` → `people`): written in lower case.
        return Some(format!("{}{pluralised}", &segment[..cut]));
    }
    // Keep the writer's capitalisation of the part that stays.
    let kept = tail.len() - usize::from(pluralised.ends_with("ies"));
    Some(format!("{}{}{}", &segment[..cut], &tail[..kept], &pluralised[kept..]))
}
