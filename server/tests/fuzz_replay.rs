//! The fuzz targets (`fuzz/`, run with `cargo fuzz` on nightly) replayed on stable: over the
//! inputs that once broke them (`fuzz/regressions/<target>/`), over seeds from `testdata/`,
//! and over a few thousand inputs mutated from those seeds with a fixed seed
//! (`ARCHLENS_FUZZ_CASES` runs more).

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 6] = [
    ("openapi_document", archlens::fuzzing::openapi_document),
    ("ref_resolution", archlens::fuzzing::ref_resolution),
    ("rust_file", archlens::fuzzing::rust_file),
    ("incremental_edits", archlens::fuzzing::incremental_edits),
    ("lsp_framing", archlens::fuzzing::lsp_framing),
    ("sql_migration", archlens::fuzzing::sql_migration),
];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_under(folder: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, extensions, out);
        } else if path.extension().and_then(|extension| extension.to_str()).is_some_and(|extension| extensions.contains(&extension)) {
            out.push(path);
        }
    }
}

/// Seeds for a target, small enough to mutate quickly.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    match target {
        "rust_file" => files_under(&repository().join("testdata/rust"), &["rs"], &mut files),
        "sql_migration" => files_under(&repository().join("testdata/sql"), &["sql"], &mut files),
        "lsp_framing" => {
            return vec![
                b"Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"a\":1}".to_vec(),
                b"Content-Length: 2\r\n\r\n[]Content-Length: 5\r\n\r\n{\"a\":".to_vec(),
                b"Content-Type: x\r\nContent-Length: 99999999999\r\n\r\n{}".to_vec(),
            ];
        }
        _ => files_under(&repository().join("testdata/openapi"), &["yaml", "json"], &mut files),
    }
    files.sort();
    let mut seeds: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|file| std::fs::read(file).ok())
        .filter(|bytes| bytes.len() < 8 * 1024)
        .map(|bytes| match target {
            "openapi_document" => [vec![0], bytes].concat(),
            "incremental_edits" => [vec![(bytes.len() % 3) as u8], bytes].concat(),
            "sql_migration" => {
                [vec![(bytes.len() % 4) as u8], b"CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);".to_vec(), vec![0xFF], bytes]
                    .concat()
            }
            "ref_resolution" => [
                bytes.clone(),
                vec![0xFF],
                b"components: {schemas: {A: {$ref: 'b.json#/x'}}}".to_vec(),
                vec![0xFF],
                b"{\"x\": {\"$ref\": \"a.yaml#/components\"}}".to_vec(),
            ]
            .concat(),
            _ => bytes,
        })
        .collect();
    seeds.truncate(40);
    seeds
}

/// A xorshift generator: the same inputs on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }
}

fn mutate(seed: &[u8], random: &mut Random) -> Vec<u8> {
    const TOKENS: [&[u8]; 13] = [
        b"$ref: '#/a'",
        b"{",
        b"[",
        b"\n  ",
        b"&a ",
        b"*a",
        b"\xff",
        b"\"",
        b".route(\"/x\", get(h))",
        b"\0",
        b"$$",
        b";",
        b"ALTER TABLE orders ",
    ];
    let mut bytes = seed.to_vec();
    for _ in 0..1 + random.below(4) {
        let at = random.below(bytes.len() + 1);
        match random.below(3) {
            0 => {
                let token = TOKENS[random.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            1 => {
                let end = (at + random.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                if at < bytes.len() {
                    bytes[at] = random.below(256) as u8;
                }
            }
        }
    }
    bytes
}

#[test]
fn fuzz_targets_hold_on_regressions_seeds_and_mutations() {
    let cases: usize = std::env::var("ARCHLENS_FUZZ_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(300);
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for (name, target) in TARGETS {
        let mut regressions = Vec::new();
        files_under(&repository().join("fuzz/regressions").join(name), &[], &mut regressions);
        if let Ok(entries) = std::fs::read_dir(repository().join("fuzz/regressions").join(name)) {
            regressions.extend(entries.flatten().map(|entry| entry.path()).filter(|path| path.is_file() && !path.ends_with(".keep")));
        }
        for regression in &regressions {
            target(&std::fs::read(regression).unwrap());
        }
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name} has seeds");
        for seed in &seeds {
            target(seed);
        }
        let per_target = if name == "incremental_edits" { cases / 10 } else { cases };
        for case in 0..per_target {
            let input = mutate(&seeds[case % seeds.len()], &mut random);
            target(&input);
        }
    }
}
