//! The answers to requests for methods the server does not know, where tower-lsp-server's
//! differ from the specification. It answers such a request with `MethodNotFound` whatever
//! the state of the session, and not at all when its method starts with `$/`; the
//! specification asks for `ServerNotInitialized` (`-32002`) before `initialize`,
//! `InvalidRequest` after `shutdown`, and `MethodNotFound` for an unknown `$/` request.
//! Requests for methods it knows already get the right answer in every state.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Request, Response};
use tower_service::Service;

const UNINITIALIZED: u8 = 0;
const INITIALIZED: u8 = 1;
const SHUT_DOWN: u8 = 2;

/// Wraps the `LspService` and follows the session from its `initialize` and `shutdown`
/// responses.
pub struct Lifecycle<S> {
    inner: S,
    phase: Arc<AtomicU8>,
}

impl<S> Lifecycle<S> {
    pub fn new(inner: S) -> Self {
        Self { inner, phase: Arc::new(AtomicU8::new(UNINITIALIZED)) }
    }
}

impl<S> Service<Request> for Lifecycle<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method().to_owned();
        let id = request.id().cloned();
        let phase = self.phase.clone();
        let answered = self.inner.call(request);
        Box::pin(async move {
            let response = answered.await?;
            let Some(id) = id else { return Ok(response) };
            match (method.as_str(), &response) {
                ("initialize", Some(response)) if response.is_ok() => phase.store(INITIALIZED, Ordering::SeqCst),
                ("shutdown", Some(response)) if response.is_ok() => phase.store(SHUT_DOWN, Ordering::SeqCst),
                _ => {}
            }
            // tower-lsp-server answers an unknown `$/` request with nothing.
            let unknown = (response.is_none() && method.starts_with("$/"))
                || response.as_ref().and_then(Response::error).is_some_and(|error| error.code == ErrorCode::MethodNotFound);
            if !unknown {
                return Ok(response);
            }
            let error = match phase.load(Ordering::SeqCst) {
                UNINITIALIZED => not_initialized(),
                SHUT_DOWN => Error::invalid_request(),
                _ => return Ok(response.or_else(|| Some(Response::from_error(id, Error::method_not_found())))),
            };
            Ok(Some(Response::from_error(id, error)))
        })
    }
}

fn not_initialized() -> Error {
    Error { code: ErrorCode::ServerError(-32002), message: "Server not initialized".into(), data: None }
}
