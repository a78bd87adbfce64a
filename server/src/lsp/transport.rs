//! The stdio transport in front of tower-lsp-server. Its framed reader stops serving after
//! the first frame it cannot decode, so this layer reads frames itself and passes on only
//! JSON-RPC messages: a body that is not JSON is answered with a parse error (`-32700`, id
//! `null`), JSON that is not a request, a notification or a response with an invalid request
//! error (`-32600`, id `null`), and both are dropped. Lines that are not headers are skipped
//! until the next `Content-Length`, so after a wrong `Content-Length` reading picks up again
//! at the next header. Outgoing frames are written whole, so the errors written here never
//! interleave with the server's own messages.

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Frames larger than this are refused (and skipped) rather than buffered.
const MAX_FRAME_BYTES: usize = 256 * 1024 * 1024;
/// A line without a line break is kept to this length while it is read: only its end can
/// hold a header (after a body whose `Content-Length` was too small).
const MAX_LINE_BYTES: usize = 64 * 1024;
const KEPT_LINE_END: usize = 256;
const PIPE_BYTES: usize = 1024 * 1024;

/// Connects `input`/`output` (the process's stdio) to the pipes the server reads and writes.
/// Also returns a sender for whole frames that skip the server's pipe: large notifications
/// serialised once, straight from their types.
pub fn guard<R, W>(input: R, output: W) -> (DuplexStream, DuplexStream, mpsc::Sender<Vec<u8>>)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (server_input, to_server) = tokio::io::duplex(PIPE_BYTES);
    let (from_server, server_output) = tokio::io::duplex(PIPE_BYTES);
    let (frames, mut outgoing) = mpsc::channel::<Vec<u8>>(64);
    let errors = frames.clone();
    let direct = frames.clone();
    tokio::spawn(read_client(input, to_server, errors));
    tokio::spawn(forward_server(from_server, frames));
    tokio::spawn(async move {
        let mut output = output;
        while let Some(frame) = outgoing.recv().await {
            if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
                break;
            }
            tracing::trace!(bytes = frame.len(), "frame written");
        }
    });
    (server_input, server_output, direct)
}

/// A body with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn parse_error(detail: &str) -> Vec<u8> {
    error_frame(-32700, &format!("Parse error: {detail}"))
}

fn invalid_request(detail: &str) -> Vec<u8> {
    error_frame(-32600, &format!("Invalid request: {detail}"))
}

fn error_frame(code: i64, message: &str) -> Vec<u8> {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}});
    frame(body.to_string().as_bytes())
}

/// Whether tower-lsp-server can read `body` as a message, and if not, the error frame that
/// answers it. A request or notification has a `method`; anything else must be a response.
fn refusal(body: &[u8]) -> Option<Vec<u8>> {
    let value = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value,
        Err(error) => return Some(parse_error(&error.to_string())),
    };
    if !value.is_object() {
        return Some(invalid_request("a message must be a JSON object"));
    }
    let read = if value.get("method").is_some() { Request::deserialize(&value).map(drop) } else { Response::deserialize(&value).map(drop) };
    read.err().map(|error| invalid_request(&format!("not a JSON-RPC 2.0 request, notification or response: {error}")))
}

/// Reads one line, with its line break, into `line` (UTF-8 or not); returns the bytes read,
/// 0 at end of input. Of a line longer than [`MAX_LINE_BYTES`] only the end is kept.
async fn read_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>, line: &mut Vec<u8>) -> std::io::Result<usize> {
    line.clear();
    let mut read = 0;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(read);
        }
        let (taken, complete) = match available.iter().position(|&byte| byte == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        line.extend_from_slice(&available[..taken]);
        reader.consume(taken);
        read += taken;
        if line.len() > MAX_LINE_BYTES {
            line.drain(..line.len() - KEPT_LINE_END);
        }
        if complete {
            return Ok(read);
        }
    }
}

/// Reads one frame's headers; `Ok(None)` at end of input, `Err` text for a frame to refuse.
async fn read_headers<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut bytes = Vec::new();
    loop {
        if read_line(reader, &mut bytes).await? == 0 {
            return Ok(None);
        }
        // Bytes that are not UTF-8 cannot be part of a header; they become U+FFFD and the line
        // is skipped like any other that is not a header.
        let line = String::from_utf8_lossy(&bytes);
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            if length.is_some() {
                return Ok(length);
            }
            // Blank lines between frames carry nothing.
            continue;
        }
        // After a frame whose Content-Length was too short, the rest of its body runs into
        // the next header: pick the header up where it starts.
        let trimmed = match trimmed.to_ascii_lowercase().find("content-length:") {
            Some(start) if start > 0 => {
                tracing::warn!("skipping {start} bytes before a header");
                length = None;
                &trimmed[start..]
            }
            _ => trimmed,
        };
        match trimmed.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(value.trim().parse::<usize>().map_err(|_| format!("bad Content-Length `{}`", value.trim())));
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => {
                // Only its length: the line may be part of a document.
                tracing::warn!("skipping a line of {} bytes that is not a header", trimmed.len());
                length = None;
            }
        }
    }
}

async fn read_client<R: AsyncRead + Unpin>(input: R, mut to_server: DuplexStream, errors: mpsc::Sender<Vec<u8>>) {
    let mut reader = BufReader::new(input);
    loop {
        let length = match read_headers(&mut reader).await {
            Ok(Some(Ok(length))) if length <= MAX_FRAME_BYTES => length,
            Ok(Some(Ok(length))) => {
                let _ = errors.send(parse_error(&format!("a message of {length} bytes is too large"))).await;
                // Skip the body without buffering it.
                if tokio::io::copy(&mut (&mut reader).take(length as u64), &mut tokio::io::sink()).await.is_err() {
                    break;
                }
                continue;
            }
            Ok(Some(Err(reason))) => {
                let _ = errors.send(parse_error(&reason)).await;
                continue;
            }
            Ok(None) | Err(_) => break,
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            break;
        }
        match refusal(&body) {
            None => {
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
            Some(answer) => {
                tracing::warn!("malformed JSON-RPC message dropped ({} bytes)", body.len());
                let _ = errors.send(answer).await;
            }
        }
    }
    // End of input: the server sees it and stops.
    let _ = to_server.shutdown().await;
}

/// Forwards the server's frames whole.
async fn forward_server(from_server: DuplexStream, frames: mpsc::Sender<Vec<u8>>) {
    let mut reader = BufReader::new(from_server);
    while let Ok(Some(Ok(length))) = read_headers(&mut reader).await {
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            break;
        }
        tracing::trace!(bytes = length, "frame from the server");
        if frames.send(frame(&body)).await.is_err() {
            break;
        }
    }
}
