use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::rust::facts::FileFacts;
use crate::rust::summary::FileSummary;

/// A model of a workspace given as (path, text) pairs: `Cargo.toml` files are manifests,
/// `Cargo.lock` the lock file, `.rs` files code.
pub(crate) fn model_of(files: &[(&str, &str)]) -> ProjectModel {
    let root = PathBuf::from("/w");
    let mut input = ModelInput { root: root.clone(), manifests: Vec::new(), lock: None, files: Vec::new() };
    for (path, text) in files {
        let path = root.join(path);
        if path.ends_with("Cargo.toml") {
            input.manifests.push((path.parent().unwrap().to_path_buf(), (*text).to_owned()));
        } else if path.ends_with("Cargo.lock") {
            input.lock = Some((*text).to_owned());
        } else {
            input.files.push((path, Arc::from(*text), Arc::new(FileSummary::of_text(text)), Arc::new(FileFacts::of_text(text))));
        }
    }
    ProjectModel::build(input)
}

/// A workspace shaped like many real ones: a server binary whose library holds the
/// handlers and the helpers they call, a command-line tool beside it, a shared library both
/// link, and a test-support crate.
fn workspace() -> ProjectModel {
    model_of(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\nshared = { path = \"crates/shared\" }\n"),
        (
            "crates/server/Cargo.toml",
            "[package]\nname = \"app-server\"\n[dependencies]\naxum = \"0.8\"\ntracing-subscriber = \"0.3\"\nclap = \"4\"\n",
        ),
        (
            "crates/server/src/main.rs",
            "use clap::Parser;\n#[tokio::main]\nasync fn main() { let args = Args::parse(); let config = load_config(); app_server::run(config).await; }\nfn load_config() -> Config { let text = std::fs::read_to_string(\"app.toml\").unwrap(); parse(&text) }\nfn parse(text: &str) -> Config { todo!() }\n",
        ),
        (
            "crates/server/src/lib.rs",
            "mod routes;\nmod db;\n#[cfg(test)]\nmod tests;\npub async fn run(config: Config) { tracing_subscriber::fmt().init(); let app = routes::router(); axum::serve(listener, app).await; }\n",
        ),
        (
            "crates/server/src/routes.rs",
            "use axum::{Router, routing::post};\nuse crate::db::{insert_user, USERS};\npub fn router() -> Router { Router::new().route(\"/users\", post(create_user)) }\nasync fn create_user(State(pool): State<PgPool>, Json(body): Json<Body>) { let hash = hash_password(&body.password); for tag in body.tags { insert_user(&pool, USERS, tag).await; } }\nfn hash_password(password: &str) -> String { bcrypt::hash(password, 12).unwrap() }\n",
        ),
        (
            "crates/server/src/db.rs",
            "pub const USERS: &str = \"users\";\npub async fn insert_user(pool: &PgPool, table: &str, tag: Tag) { sqlx::query(&format!(\"INSERT INTO {table} VALUES ($1)\")).bind(tag).execute(pool).await; }\n",
        ),
        ("crates/server/src/tests.rs", "#[test]\nfn works() { std::fs::read(\"x\").unwrap(); }\n"),
        ("crates/cli/Cargo.toml", "[package]\nname = \"app-cli\"\n[dependencies]\nclap = \"4\"\nshared.workspace = true\n"),
        ("crates/cli/src/main.rs", "fn main() { println!(\"{}\", shared::greeting()); }\n"),
        ("crates/shared/Cargo.toml", "[package]\nname = \"shared\"\n"),
        ("crates/shared/src/lib.rs", "pub fn greeting() -> String { \"hello\".into() }\n"),
        ("crates/test-utils/Cargo.toml", "[package]\nname = \"test-utils\"\n"),
        ("crates/test-utils/src/lib.rs", "pub fn fixture() {}\n"),
        ("crates/server/tests/api.rs", "#[tokio::test]\nasync fn creates() {}\n"),
    ])
}

#[test]
fn crate_kinds_and_code_kinds() {
    let model = workspace();
    let kind = |path: &str| model.code_kind(&PathBuf::from("/w").join(path));
    assert!(kind("crates/server/src/routes.rs").is_service_code(), "a library that serves");
    assert!(kind("crates/server/src/main.rs").server, "its binary runs the library's server");
    assert!(kind("crates/server/src/tests.rs").test, "`#[cfg(test)] mod tests;` followed into its file");
    assert!(kind("crates/server/tests/api.rs").test);
    assert!(kind("crates/cli/src/main.rs").is_command_line_only());
    let shared = kind("crates/shared/src/lib.rs");
    assert!(shared.command_line && !shared.server, "linked by the tool only: {shared:?}");
    assert!(kind("crates/test-utils/src/lib.rs").test, "a test-support crate");
    assert_eq!(model.file(&PathBuf::from("/w/crates/server/src/db.rs")).unwrap().module, ["app_server", "db"]);
    assert!(model.observability().tracing_subscriber && !model.observability().logger);
}

#[test]
fn context_flows_along_calls() {
    let model = workspace();
    let at = |path: &str, name: &str| {
        let file = model.file_index(&PathBuf::from("/w").join(path)).unwrap();
        let index = model.files[file].summary.functions.iter().position(|function| function.name == name).unwrap();
        FunctionId { file, index }
    };
    let handler = at("crates/server/src/routes.rs", "create_user");
    assert!(model.calls.is_handler(handler));
    let hash = at("crates/server/src/routes.rs", "hash_password");
    assert_eq!(model.calls.handler_reaching(hash), Some(handler));
    assert_eq!(model.calls.async_caller(hash).map(|(caller, _)| caller), Some(handler), "a sync helper the async handler calls");
    let insert = at("crates/server/src/db.rs", "insert_user");
    assert_eq!(model.calls.handler_reaching(insert), Some(handler), "through `use crate::db::{{insert_user}}`");
    assert!(model.calls.runs_query(insert) && model.calls.runs_query(handler));
    assert_eq!(model.calls.constant_values(&model.files, insert, "table"), Some(Vec::new()), "every caller passes a constant");
    assert_eq!(model.calls.constant_values(&model.files, insert, "tag"), None);
    assert!(model.calls.is_start_up(at("crates/server/src/main.rs", "load_config")));
    assert!(model.calls.is_start_up(at("crates/server/src/main.rs", "parse")), "called only from start-up code");
    assert!(!model.calls.is_start_up(hash));
}

#[test]
fn digests_ignore_positions() {
    let one = model_of(&[("Cargo.toml", "[package]\nname = \"a\"\n"), ("src/lib.rs", "pub fn a() { b(); }\nfn b() {}\n")]);
    let moved = model_of(&[("Cargo.toml", "[package]\nname = \"a\"\n"), ("src/lib.rs", "\n\npub fn a() {\n    b();\n}\nfn b() {}\n")]);
    let other = model_of(&[("Cargo.toml", "[package]\nname = \"a\"\n"), ("src/lib.rs", "pub fn a() { c(); }\nfn c() {}\n")]);
    assert_eq!(one.digest(), moved.digest());
    assert_ne!(one.digest(), other.digest());
}

#[test]
fn constants_flow_through_loops_and_the_callers_own_parameters() {
    let model = model_of(&[
        ("Cargo.toml", "[package]\nname = \"jobs\"\n"),
        (
            "src/lib.rs",
            "const DAY: (&str, &str) = (\"1 day\", \"day\");\nconst ALL: [(&str, &str); 1] = [DAY];\npub async fn all(conn: &mut Conn) { for interval in ALL { counts(conn, interval).await; } counts(conn, DAY).await; }\nasync fn counts(conn: &mut Conn, interval: (&str, &str)) { refresh(conn, interval).await; }\nasync fn refresh(conn: &mut Conn, interval: (&str, &str)) {}\npub async fn open(conn: &mut Conn, name: String) { refresh(conn, (name.as_str(), \"x\")).await; }\nasync fn rank(table: &str) {}\npub async fn ranks(user_table: &str) { rank(\"post\").await; rank(user_table).await; }\n",
        ),
    ]);
    let file = model.file_index(&PathBuf::from("/w/src/lib.rs")).unwrap();
    let function = |name: &str| FunctionId {
        file,
        index: model.files[file].summary.functions.iter().position(|function| function.name == name).unwrap(),
    };
    assert_eq!(
        model.calls.constant_values(&model.files, function("counts"), "interval"),
        Some(Vec::new()),
        "a loop over a constant and a constant"
    );
    assert_eq!(model.calls.constant_values(&model.files, function("refresh"), "interval"), None, "`open` passes something else");
    assert_eq!(
        model.calls.constant_values(&model.files, function("rank"), "table"),
        None,
        "a caller passes its own parameter, which its callers do not pass a constant"
    );
}

#[test]
fn a_name_routed_in_another_package_makes_handlers_only_of_the_packages_it_links() {
    let model = model_of(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"server\", \"api\", \"client\"]\n"),
        ("server/Cargo.toml", "[package]\nname = \"server\"\n[dependencies]\napi = { path = \"../api\" }\naxum = \"0.8\"\n"),
        ("server/src/main.rs", "fn main() { let app = Router::new().route(\"/login\", post(api::login)); axum::serve(listener, app); }\n"),
        ("api/Cargo.toml", "[package]\nname = \"api\"\n"),
        ("api/src/lib.rs", "pub async fn login(body: String) {}\n"),
        ("client/Cargo.toml", "[package]\nname = \"client\"\n"),
        ("client/src/lib.rs", "pub async fn login(settings: &Settings) {}\n"),
    ]);
    let handler = |path: &str| {
        let file = model.file_index(&PathBuf::from("/w").join(path)).unwrap();
        model.calls.is_handler(FunctionId { file, index: 0 })
    };
    assert!(handler("api/src/lib.rs"), "routed by the server, which depends on it");
    assert!(!handler("client/src/lib.rs"), "a namesake in a package the server does not link");
}

#[test]
fn what_runs_a_function_tells_a_binary_s_commands_apart() {
    let model = model_of(&[
        ("Cargo.toml", "[package]\nname = \"ops\"\n[dependencies]\naxum = \"0.8\"\nclap = \"4\"\n"),
        (
            "src/main.rs",
            "mod jobs;\nfn main() { let client = build_client(); match Command::parse() { Command::Serve => serve(client), Command::Work => jobs::work(), Command::Reindex => reindex() } }\nfn build_client() -> Client { Client::new() }\nfn serve(client: Client) { let app = Router::new().route(\"/\", get(index)); axum::serve(listener, app); }\nasync fn index(State(client): State<Client>) { fetch(&client).await; }\nasync fn fetch(client: &Client) {}\nfn reindex() { fetch_all(); }\nfn fetch_all() {}\n",
        ),
        ("src/jobs.rs", "pub fn work() { loop { poll(); std::thread::sleep(ONE_MINUTE); } }\nfn poll() {}\n"),
    ]);
    let runs = |path: &str, name: &str| {
        let file = model.file_index(&PathBuf::from("/w").join(path)).unwrap();
        let index = model.files[file].summary.functions.iter().position(|function| function.name == name).unwrap();
        model.calls.runs_in(FunctionId { file, index })
    };
    assert!(runs("src/main.rs", "serve").server && runs("src/main.rs", "fetch").server, "a server start and what its handlers call");
    assert!(runs("src/jobs.rs", "poll").worker, "called from a loop that waits");
    assert!(runs("src/main.rs", "fetch_all").one_shot(), "reached from `main` through neither");
    assert!(!runs("src/main.rs", "main").one_shot(), "`main` leads to the server");
    assert!(!runs("src/main.rs", "build_client").one_shot(), "it builds what the server uses");
}
