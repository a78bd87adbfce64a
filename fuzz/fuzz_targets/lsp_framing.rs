#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| archlens::fuzzing::lsp_framing(data));
