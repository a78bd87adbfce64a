mod fire_worker;
mod server;
mod silent_admin;

use clap::Parser;

/// One binary, three commands: the server, a worker that polls forever, and an admin task
/// an operator runs by hand.
#[derive(Parser)]
enum Command {
    Serve,
    Worker,
    Reindex { crate_name: String },
}

fn main() -> reqwest::Result<()> {
    match Command::parse() {
        Command::Serve => server::run(),
        Command::Worker => fire_worker::run(),
        Command::Reindex { crate_name } => silent_admin::reindex(&crate_name),
    }
}
