use std::net::SocketAddr;

#[tokio::main]
async fn main() {
    let addr: SocketAddr = "127.0.0.1:8080".parse().expect("a literal address");
    println!("listening on {addr}");
    let listener = tokio::net::TcpListener::bind(addr).await.expect("the port is free");
    axum::serve(listener, app()).await.expect("the server runs");
}

fn app() -> axum::Router {
    tracing::info!("building the router");
    axum::Router::new()
}

#[cfg(test)]
mod tests {
    #[test]
    fn prints_while_debugging() {
        println!("a test may print");
        dbg!(1 + 1);
    }
}

#[tokio::test]
async fn top_level_test() {
    eprintln!("so may a test outside a test module");
}
