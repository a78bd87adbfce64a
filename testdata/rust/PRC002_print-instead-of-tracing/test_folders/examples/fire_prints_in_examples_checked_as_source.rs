// This project does not list `examples/` as a test folder.
pub async fn demo_handler() -> String {
    println!("serving the demo");
    "demo".to_owned()
}
