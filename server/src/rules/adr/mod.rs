//! Rules over architecture decision records (`docs/adr/*.md`).

pub mod incomplete_adr;
