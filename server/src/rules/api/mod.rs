//! API design rules over OpenAPI documents.

pub mod body_on_safe_method;
pub mod create_without_201;
pub mod deprecated_without_sunset;
pub mod duplicate_operation_id;
pub mod guessable_resource_id;
pub mod inconsistent_error_format;
pub mod invalid_document;
pub mod missing_cache_validators;
pub mod missing_error_responses;
pub mod missing_idempotency_key;
pub mod missing_operation_id;
pub mod missing_rate_limit_headers;
pub mod missing_rate_limit_response;
pub mod mixed_versioning;
pub mod non_kebab_case_path;
pub mod nouns;
pub mod nullable_in_openapi_3_1;
pub mod open_request_schema;
pub mod operation_names;
pub mod path_parameter_mismatch;
pub mod request_schemas;
pub mod singular_collection;
pub mod trailing_slash_path;
pub mod unbounded_input;
pub mod undocumented_operation;
pub mod unpaginated_collection;
pub mod unresolved_ref;
pub mod unused_component;
pub mod unversioned_api;
pub mod verb_in_path;

/// Reports a literal segment of a path key, with a fix that renames it to `replacement`
/// unless the renamed path already exists or the key is written with escapes.
pub fn report_path_segment<'s>(
    context: &crate::analysis::RuleContext<'_>,
    sink: &'s mut crate::analysis::Sink,
    path: &crate::openapi::model::PathItemView<'_>,
    range: std::ops::Range<usize>,
    message: String,
    replacement: &str,
) -> Option<&'s mut crate::analysis::Finding> {
    let model = context.model?;
    let key_span = path.entry.span();
    let span = segment_span(context, path, range.clone());
    let finding = sink.span(path.entry.file, span.clone(), path.entry.pointer.clone(), message);
    let renamed = format!("{}{replacement}{}", &path.path[..range.start], &path.path[range.end..]);
    if !replacement.is_empty() && span != key_span && !model.paths.iter().any(|other| other.path == renamed) {
        let edit = crate::openapi::edit::TextEdit::replace(span, replacement);
        finding.fix(crate::analysis::Fix::new(format!("Rename segment to `{replacement}`"), vec![edit]).preferred());
    }
    Some(finding)
}

/// Where the part `range` of a path is written in its key (the whole key when it is written
/// with escapes).
pub fn segment_span(
    context: &crate::analysis::RuleContext<'_>,
    path: &crate::openapi::model::PathItemView<'_>,
    range: std::ops::Range<usize>,
) -> crate::openapi::syntax::Span {
    let text = &context.project.file(path.entry.file).text;
    crate::openapi::syntax::sub_span(text, &path.entry.span(), &path.path, range)
}

/// Splits a path segment into lower-case words at `-`, `_`, `.` and camelCase boundaries.
pub fn segment_words(segment: &str) -> Vec<String> {
    super::split_words(segment, |character| matches!(character, '-' | '_' | '.' | ' '))
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_words() {
        assert_eq!(super::segment_words("getUserProfiles"), ["get", "user", "profiles"]);
        assert_eq!(super::segment_words("user_profiles-v2"), ["user", "profiles", "v2"]);
        assert_eq!(super::segment_words("HTMLPage"), ["htmlpage"]);
    }
}
