#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| archlens::fuzzing::sql_migration(data));
