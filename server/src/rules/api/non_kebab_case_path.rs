use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::{RuleContext, Severity, Sink};
use crate::openapi::model::literal_segments;
use crate::rules::{Check, declare_rule};

use super::{report_path_segment, segment_span, segment_words};
use crate::analysis::GROUP_LIST_LIMIT;

declare_rule! {
    /// ## What it does
    /// Checks for literal path segments that are not lower kebab-case: lower-case letters
    /// and digits in words joined by `-`. Dots are allowed (`openapi.json`, `.well-known`,
    /// `v1.2`); path parameters (`{userId}`) are exempt, since they never appear in URLs.
    /// The convention is the document's own: when most of its segments that join words (or
    /// capitalise) follow another style (snake_case, camelCase, PascalCase; three distinct
    /// segments at least), that is one
    /// info finding on `paths` about the style, with its segments in related information,
    /// and the segments that break the document's own style are reported, renamed to it.
    /// A segment is reported once, where it first appears, with the other paths that use
    /// it in related information.
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

/// How a path segment joins its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Style {
    Kebab,
    Snake,
    Camel,
    Pascal,
}

impl Style {
    fn name(self) -> &'static str {
        match self {
            Style::Kebab => "kebab-case",
            Style::Snake => "snake_case",
            Style::Camel => "camelCase",
            Style::Pascal => "PascalCase",
        }
    }

    /// The style a segment is written in (its part before any `.`, so `Calls.json` is
    /// PascalCase); `None` for one lower-case word, which every style writes alike, and for
    /// segments that follow no style.
    fn of(segment: &str) -> Option<Style> {
        let part = segment.split('.').find(|part| part.bytes().any(|byte| byte.is_ascii_alphabetic()))?;
        let lower_or_digit = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
        if part.bytes().all(lower_or_digit) {
            return None;
        }
        let words_of = |separator: char| part.split(separator).all(|word| !word.is_empty() && word.bytes().all(lower_or_digit));
        if part.contains('-') && words_of('-') {
            return Some(Style::Kebab);
        }
        if part.contains('_') && words_of('_') {
            return Some(Style::Snake);
        }
        if !part.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
            return None;
        }
        if part.starts_with(|first: char| first.is_ascii_uppercase()) { Some(Style::Pascal) } else { Some(Style::Camel) }
    }

    /// `segment` written in this style, dotted parts kept (`user_profiles` → `userProfiles`).
    fn write(self, segment: &str) -> String {
        segment
            .split('.')
            .enumerate()
            .map(|(index, part)| {
                // An extension (`.json`) stays as it is.
                if index > 0 {
                    return part.to_owned();
                }
                let words: Vec<String> =
                    segment_words(part).into_iter().filter(|word| word.bytes().all(|byte| byte.is_ascii_alphanumeric())).collect();
                let capitalised = |word: &String| {
                    let mut characters = word.chars();
                    characters.next().map(|first| first.to_ascii_uppercase().to_string() + characters.as_str()).unwrap_or_default()
                };
                match self {
                    Style::Kebab => words.join("-"),
                    Style::Snake => words.join("_"),
                    Style::Pascal => words.iter().map(capitalised).collect(),
                    Style::Camel => {
                        words.iter().enumerate().map(|(index, word)| if index == 0 { word.clone() } else { capitalised(word) }).collect()
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl Check for NonKebabCasePath {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        // The document's own style: the one most of its distinct styled segments follow.
        let mut counts: BTreeMap<Style, BTreeSet<&str>> = BTreeMap::new();
        for path in &model.paths {
            for (segment, _) in literal_segments(&path.path) {
                if let Some(style) = Style::of(segment) {
                    counts.entry(style).or_default().insert(segment);
                }
            }
        }
        let own = counts
            .iter()
            .max_by_key(|(style, segments)| (segments.len(), **style == Style::Kebab))
            .filter(|(style, segments)| **style != Style::Kebab && segments.len() >= 3)
            .map(|(style, _)| *style);
        let mut styled: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        // Each deviating segment once, where it first appears, with the other paths that
        // use it in related information.
        let mut deviating: BTreeMap<&str, Vec<(usize, std::ops::Range<usize>)>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for (index, path) in model.paths.iter().enumerate() {
            for (segment, range) in literal_segments(&path.path) {
                if is_kebab_case(segment) {
                    continue;
                }
                if own.is_some_and(|own| Style::of(segment) == Some(own)) {
                    styled.push((index, range));
                    continue;
                }
                let places = deviating.entry(segment).or_default();
                if places.is_empty() {
                    order.push(segment);
                }
                places.push((index, range));
            }
        }
        for segment in order {
            let places = &deviating[segment];
            let (suggestion, message) = match own {
                Some(own) => {
                    let suggestion = own.write(segment);
                    let message = format!("path segment `{segment}` breaks this API's own {} style (`{suggestion}`)", own.name());
                    (suggestion, message)
                }
                None => {
                    let suggestion = kebab_case(segment);
                    (suggestion.clone(), format!("path segment `{segment}` is not kebab-case (`{suggestion}`)"))
                }
            };
            let message = match places.len() {
                1 => message,
                count => format!("{message}; {} more paths use it", count - 1),
            };
            let (first, range) = places[0].clone();
            let Some(finding) = report_path_segment(context, sink, &model.paths[first], range, message, &suggestion) else { continue };
            for (index, range) in places.iter().skip(1).take(GROUP_LIST_LIMIT) {
                let path = &model.paths[*index];
                finding.related(path.entry.file, segment_span(context, path, range.clone()), format!("`{}` uses it", path.path));
            }
        }
        let (Some(own), Some(paths)) = (own, model.document.child("paths")) else { return };
        let distinct = counts.get(&own).map_or(0, BTreeSet::len);
        let message = format!(
            "this API writes its path segments in {} ({distinct} distinct segments): kebab-case is the common convention for public HTTP APIs, but renaming is a breaking change; whichever it keeps, the API should use it everywhere",
            own.name()
        );
        let finding = sink.at(&paths, message);
        finding.severity(Severity::Info);
        for (index, range) in styled.into_iter().take(GROUP_LIST_LIMIT) {
            let path = &model.paths[index];
            finding.related(
                path.entry.file,
                segment_span(context, path, range.clone()),
                format!("`{}` in `{}`", &path.path[range], path.path),
            );
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

    #[test]
    fn tells_styles_apart_and_writes_them() {
        use super::Style;
        assert_eq!(Style::of("payment_intents"), Some(Style::Snake));
        assert_eq!(Style::of("Calls.json"), Some(Style::Pascal));
        assert_eq!(Style::of("userProfiles"), Some(Style::Camel));
        assert_eq!(Style::of("user-profiles"), Some(Style::Kebab));
        assert_eq!(Style::of("users"), None, "one lower-case word is every style");
        assert_eq!(Style::Snake.write("userProfiles"), "user_profiles");
        assert_eq!(Style::Pascal.write("call_logs.json"), "CallLogs.json");
        assert_eq!(Style::Camel.write("user-profiles"), "userProfiles");
    }
}
