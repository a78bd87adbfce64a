//! The stdio transport in front of tower-lsp-server. Its framed reader stops serving after
//! the first frame it cannot decode, so this layer reads frames itself: a body that is not a
//! JSON object is answered with a JSON-RPC parse error (`-32700`, id `null`) and dropped, and
//! lines that are not headers are skipped until the next `Content-Length`. Only well-formed
//! messages reach the server, and after a wrong `Content-Length` reading picks up again at
//! the next header. Outgoing frames are written whole, so the parse errors written
//! here never interleave with the server's own messages.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// Frames larger than this are refused (and skipped) rather than buffered.
const MAX_FRAME_BYTES: usize = 256 * 1024 * 1024;
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
    let body = serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {detail}")}});
    frame(body.to_string().as_bytes())
}

/// Reads one frame's headers; `Ok(None)` at end of input, `Err` text for a frame to refuse.
async fn read_headers<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
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
                tracing::warn!("skipping a line that is not a header: {:?}", trimmed.chars().take(80).collect::<String>());
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
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(_)) => {
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
            Ok(_) => {
                let _ = errors.send(parse_error("a message must be a JSON object")).await;
            }
            Err(error) => {
                tracing::warn!("malformed JSON-RPC message dropped: {error}");
                let _ = errors.send(parse_error(&error.to_string())).await;
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
