#![no_main]

// An input makes up to 128 checks: each must end within the timeout one check has in the
// other targets (scripts/fuzz gives the whole input longer).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    archlens::fuzzing::incremental_edits_within(data, Some(std::time::Duration::from_secs(10)))
});
