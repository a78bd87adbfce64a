use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::{Json, extract::State};

#[derive(Clone)]
pub struct AppState {
    pub hits: Arc<Mutex<u64>>,
    pub cache: Arc<std::sync::RwLock<Vec<String>>>,
}

pub async fn stats(State(state): State<AppState>, Json(filter): Json<Filter>) -> String {
    let upstream: SocketAddr = "127.0.0.1:9000".parse().unwrap();
    let port = "8080".parse::<u16>().expect("a literal port");
    *state.hits.lock().unwrap() += 1;
    let cached = state.cache.read().unwrap().len();
    let mut out = String::new();
    writeln!(out, "{upstream} {port} {cached}").unwrap();
    if filter.name.is_some() {
        out.push_str(filter.name.unwrap().as_str());
    }
    if filter.limit.is_none() {
        return out;
    }
    let limit = filter.limit.unwrap();
    out.push_str(&limit.to_string());
    out
}

/// Not a handler: a helper without extractors that no route names.
pub fn parse_limit(text: &str) -> u32 {
    text.parse().unwrap()
}

/// Not a handler: start-up.
#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("the port is free");
    axum::serve(listener, axum::Router::new()).await.unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stats_counts() {
        let body = stats(State(test_state()), Json(Filter::default())).await;
        assert!(body.parse::<u64>().is_ok() || !body.is_empty());
        Some(1).unwrap();
    }
}
