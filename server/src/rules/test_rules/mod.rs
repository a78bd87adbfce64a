//! Rules built only with the `test-rules` feature, for end-to-end tests of what the engine
//! and the server do when a rule fails. They have no page in `docs/rules/` and no fixture
//! ([`super::RuleMeta::is_for_tests`]).

pub mod panics_for_tests;
