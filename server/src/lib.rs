//! archlens: an architecture-review language server and CI checker for backend projects.
//!
//! Layers, each knowing only the ones below it: `lsp` (protocol, async) → `workspace` (files,
//! documents, roots) → `analysis` (pure rule engine) → `openapi`, `rust`, `sql` and `adr`
//! (parsers and models), with `rules` holding the catalogue. `cli` is the command line.

pub mod adr;
pub mod analysis;
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub mod cli;
pub mod config;
pub mod fuzzing;
pub mod line_index;
pub mod llm;
pub mod lsp;
pub mod openapi;
pub mod parallel;
pub mod project;
pub mod rule_docs;
pub mod rules;
pub mod rust;
pub mod sql;
pub mod workspace;
