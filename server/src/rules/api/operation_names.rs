//! Names derived from an operation's method and path: the `operationId` and the summary that
//! fixes insert (`GET /v1/users/{id}/orders` → `listUserOrders`, "List user orders").

use crate::openapi::model::{OperationView, literal_segments};

use super::{segment_words, verb_in_path};

/// The verb and the resource words of an operation.
struct OperationName {
    verb: &'static str,
    words: Vec<String>,
}

fn name_of(operation: &OperationView<'_>) -> OperationName {
    let path = operation.path.trim_end_matches('/');
    let item = path.ends_with('}');
    let verb = match (operation.method, item) {
        ("get", false) => "list",
        ("get", true) => "get",
        ("post", _) => "create",
        ("put", _) => "replace",
        ("patch", _) => "update",
        ("delete", _) => "delete",
        ("head", _) => "head",
        ("options", _) => "options",
        _ => "trace",
    };
    let segments: Vec<&str> = literal_segments(path)
        .into_iter()
        .map(|(segment, _)| segment)
        .filter(|segment| !is_version_segment(segment) && *segment != "api")
        .collect();
    let singular_last = item || operation.method == "post";
    let mut words = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        let mut segment_words = segment_words(segment);
        // `/getCustomers` gives `listCustomers`, not `listGetCustomers`.
        if segment_words.len() > 1 && verb_in_path::is_crud_verb(&segment_words[0]) {
            segment_words.remove(0);
        }
        let count = segment_words.len();
        for (word_index, word) in segment_words.into_iter().enumerate() {
            let final_word = word_index + 1 == count;
            words.push(if final_word && (!last || singular_last) { singular(&word) } else { word });
        }
    }
    OperationName { verb, words }
}

/// `GET /v1/users/{id}/orders` → `listUserOrders`; `DELETE /users/{id}` → `deleteUser`.
pub fn derive_operation_id(operation: &OperationView<'_>) -> String {
    let name = name_of(operation);
    let mut id = name.verb.to_owned();
    for word in &name.words {
        id.push_str(&capitalize(word));
    }
    if name.words.is_empty() {
        id.push_str("Root");
    }
    id
}

/// `GET /users` → "List users"; `DELETE /users/{id}` → "Delete user".
pub fn derive_summary(operation: &OperationView<'_>) -> String {
    let name = name_of(operation);
    let words = if name.words.is_empty() { "root".to_owned() } else { name.words.join(" ") };
    format!("{} {words}", capitalize(name.verb))
}

pub fn is_version_segment(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|character| character.is_ascii_digit() || character == '.'))
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("xes") {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !word.ends_with("ss") && word.len() > 3 {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// `user` → `users`, `category` → `categories`, `box` → `boxes`.
pub fn plural(word: &str) -> String {
    let vowel_before_y = word.len() > 1 && matches!(word.as_bytes()[word.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u');
    if word.ends_with('y') && !vowel_before_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|ending| word.ends_with(ending)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

fn capitalize(word: &str) -> String {
    let mut characters = word.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn plurals() {
        for (word, plural) in [("user", "users"), ("category", "categories"), ("box", "boxes"), ("key", "keys"), ("match", "matches")] {
            assert_eq!(super::plural(word), plural);
        }
    }
}
