use std::process::ExitCode;

fn main() -> ExitCode {
    archlens::cli::main()
}
