//! JSON-RPC over a byte stream: `Content-Length` framing, one thread that
//! reads and one that writes.
//!
//! `lsp-server`'s own stdio transport ends the session at the first
//! message that is not JSON (its reader thread stops, and the server sees
//! the client as gone). This one answers such a message with the JSON-RPC
//! error it calls for and reads on: a parse error (`-32700`, with a null
//! id) for a body that is not JSON, an invalid request (`-32600`) for JSON
//! that is no message. Only the end of the input ends the session.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use lsp_server::{ErrorCode, Message};
use serde_json::{json, Value};

/// Largest message body read, in bytes. A file may hold
/// `SOURCE_BYTES_MAX` (16 MiB) and JSON escapes can double it; a larger
/// body is skipped and answered with an error naming this limit.
pub const MESSAGE_BYTES_MAX: usize = 64 * 1024 * 1024;

/// Longest header line read, in bytes; longer ones are not headers.
pub const HEADER_BYTES_MAX: usize = 8 * 1024;

/// The two ends the server uses: messages in, messages out.
pub struct Connection {
    /// The client's messages, in order. Closed when the input ends (or
    /// after `exit`).
    pub receiver: Receiver<Message>,
    sender: Sender<Value>,
}

impl Connection {
    /// Sends `message` to the client. A closed output is noticed by the
    /// next receive, which ends the session, so the error is dropped here.
    pub fn send(&self, message: Message) {
        if let Ok(value) = serde_json::to_value(&message) {
            let _ = self.sender.send(value);
        }
    }
}

/// The reading and writing threads.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for the writer to flush what was sent (the connection must be
    /// dropped first) and, when `reader` is set, for the reader to stop.
    pub fn join(self, reader: bool) -> io::Result<()> {
        if reader {
            let _ = self.reader.join();
        }
        match self.writer.join() {
            Ok(r) => r,
            Err(_) => Err(io::Error::other("the writer thread panicked")),
        }
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, IoThreads) {
    connect(io::stdin(), io::stdout())
}

/// A connection that reads `input` and writes `output`.
pub fn connect(
    input: impl Read + Send + 'static,
    output: impl Write + Send + 'static,
) -> (Connection, IoThreads) {
    let (out_tx, out_rx) = mpsc::channel::<Value>();
    let (in_tx, in_rx) = mpsc::channel::<Message>();
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_all(output, out_rx))
        .expect("a thread can be started");
    let errors = out_tx.clone();
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_all(input, in_tx, errors))
        .expect("a thread can be started");
    (
        Connection {
            receiver: in_rx,
            sender: out_tx,
        },
        IoThreads { reader, writer },
    )
}

fn write_all(output: impl Write, messages: Receiver<Value>) -> io::Result<()> {
    let mut out = io::BufWriter::new(output);
    for mut value in messages {
        if let Value::Object(map) = &mut value {
            map.insert("jsonrpc".into(), json!("2.0"));
        }
        let body = value.to_string();
        write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        out.flush()?;
    }
    Ok(())
}

/// What one framed body is.
#[derive(Debug)]
enum Read1 {
    Message(Message),
    /// An error response to send instead.
    Error(Value),
}

fn read_all(input: impl Read, messages: Sender<Message>, errors: Sender<Value>) {
    let mut input = BufReader::new(input);
    loop {
        let body = match read_frame(&mut input) {
            Ok(Some(Frame::Body(body))) => body,
            Ok(Some(Frame::TooLarge(len))) => {
                super::log(&format!(
                    "skipped a message of {len} bytes (the limit is MESSAGE_BYTES_MAX, {MESSAGE_BYTES_MAX} bytes)"
                ));
                let _ = errors.send(error(
                    Value::Null,
                    ErrorCode::InvalidRequest,
                    format!("the message has {len} bytes; the limit (MESSAGE_BYTES_MAX) is {MESSAGE_BYTES_MAX}"),
                ));
                continue;
            }
            Ok(None) => return,
            Err(e) => {
                super::log(&format!("reading the input failed: {e}"));
                return;
            }
        };
        match decode(&body) {
            Read1::Message(m) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                if messages.send(m).is_err() || exit {
                    return;
                }
            }
            Read1::Error(e) => {
                super::log(&format!(
                    "answered a malformed message: {}",
                    e["error"]["message"]
                ));
                let _ = errors.send(e);
            }
        }
    }
}

/// One framed message.
enum Frame {
    Body(Vec<u8>),
    /// A body over [`MESSAGE_BYTES_MAX`], skipped.
    TooLarge(usize),
}

/// Reads the headers and body of one message; `None` at the end of the
/// input. Headers other than `Content-Length` are ignored; a block of
/// headers without it is skipped.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    loop {
        let mut length: Option<usize> = None;
        let mut any = false;
        loop {
            let mut line = Vec::new();
            let n = input
                .by_ref()
                .take(HEADER_BYTES_MAX as u64)
                .read_until(b'\n', &mut line)?;
            if n == 0 {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if any {
                    break;
                }
                continue;
            }
            any = true;
            if let Some((name, value)) = text.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            }
        }
        let Some(length) = length else {
            super::log("skipped a message without a valid Content-Length header");
            continue;
        };
        if length > MESSAGE_BYTES_MAX {
            io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
            return Ok(Some(Frame::TooLarge(length)));
        }
        let mut body = vec![0; length];
        match input.read_exact(&mut body) {
            Ok(()) => return Ok(Some(Frame::Body(body))),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
    }
}

fn error(id: Value, code: ErrorCode, message: String) -> Value {
    json!({"id": id, "error": {"code": code as i32, "message": message}})
}

/// The message in `body`, or the error to answer it with.
fn decode(body: &[u8]) -> Read1 {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Read1::Error(error(
                Value::Null,
                ErrorCode::ParseError,
                format!("the message is not JSON: {e}"),
            ))
        }
    };
    // JSON-RPC echoes the id of a request it cannot take, when it can
    // read one.
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let Some(object) = value.as_object() else {
        return Read1::Error(error(
            id,
            ErrorCode::InvalidRequest,
            "a message is a JSON object".to_string(),
        ));
    };
    let invalid = |why: String| Read1::Error(error(id.clone(), ErrorCode::InvalidRequest, why));
    let decoded = if object.contains_key("method") {
        if !object["method"].is_string() {
            return invalid("`method` must be a string".to_string());
        }
        if object.contains_key("id") {
            serde_json::from_value(value.clone()).map(Message::Request)
        } else {
            serde_json::from_value(value.clone()).map(Message::Notification)
        }
    } else if object.contains_key("id")
        && (object.contains_key("result") || object.contains_key("error"))
    {
        serde_json::from_value(value.clone()).map(Message::Response)
    } else {
        return invalid(
            "a message has a `method` (a request or notification) or an `id` with a `result` or `error` (a response)"
                .to_string(),
        );
    };
    match decoded {
        Ok(m) => Read1::Message(m),
        Err(e) => invalid(format!("not a valid message: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(bodies: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for b in bodies {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", b.len()).as_bytes());
            out.extend_from_slice(b);
        }
        out
    }

    #[test]
    fn decodes_messages_and_answers_the_rest() {
        let ok = |b: &[u8]| matches!(decode(b), Read1::Message(_));
        assert!(ok(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        assert!(ok(
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#
        ));
        assert!(ok(br#"{"jsonrpc":"2.0","id":"a","result":null}"#));
        let code = |b: &[u8]| match decode(b) {
            Read1::Error(e) => (e["error"]["code"].as_i64().unwrap(), e["id"].clone()),
            Read1::Message(m) => panic!("{m:?}"),
        };
        assert_eq!(code(b"{"), (-32700, Value::Null));
        assert_eq!(code(b"\xff"), (-32700, Value::Null));
        assert_eq!(code(b"[]"), (-32600, Value::Null));
        assert_eq!(code(br#"{"id":3}"#), (-32600, json!(3)));
        assert_eq!(code(br#"{"id":"x","method":5}"#), (-32600, json!("x")));
        assert_eq!(code(br#"{"id":{},"method":"m"}"#), (-32600, Value::Null));
    }

    #[test]
    fn reads_on_after_garbage_and_stops_at_exit() {
        let mut input = frames(&[b"not json", br#"{"jsonrpc":"2.0","id":1,"method":"a"}"#]);
        // Headers in any case, with another header, and a block without a
        // length (skipped).
        input.extend_from_slice(b"X-Nothing: 1\r\n\r\n");
        let body = br#"{"jsonrpc":"2.0","method":"b"}"#;
        input.extend_from_slice(
            format!(
                "content-length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
        input.extend_from_slice(body);
        input.extend(frames(&[
            br#"{"jsonrpc":"2.0","method":"exit"}"#,
            br#"{"jsonrpc":"2.0","id":2,"method":"after-exit"}"#,
        ]));
        let (in_tx, in_rx) = mpsc::channel();
        let (err_tx, err_rx) = mpsc::channel();
        read_all(&input[..], in_tx, err_tx);
        let methods: Vec<String> = in_rx
            .iter()
            .map(|m| match m {
                Message::Request(r) => r.method,
                Message::Notification(n) => n.method,
                Message::Response(_) => "response".into(),
            })
            .collect();
        assert_eq!(methods, ["a", "b", "exit"]);
        let errors: Vec<Value> = err_rx.iter().collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0]["error"]["code"], -32700);
    }

    #[test]
    fn writes_framed_json_rpc() {
        let (tx, rx) = mpsc::channel();
        tx.send(json!({"id": 1, "result": null})).unwrap();
        drop(tx);
        let mut out = Vec::new();
        write_all(&mut out, rx).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v, json!({"jsonrpc": "2.0", "id": 1, "result": null}));
    }
}
