//! OpenAPI documents: ranged YAML/JSON trees, JSON pointers, multi-file loading with `$ref`,
//! the version-neutral model, typed validation and style-preserving edits.

pub mod edit;
pub mod model;
pub mod pointer;
pub mod project;
pub mod structure;
pub mod syntax;
