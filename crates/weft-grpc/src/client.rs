//! Unary calls with tonic: one lazily connected channel per target, the
//! request and response as encoded bytes (the messages are dynamic, so the
//! codec only frames them), the deadline and the call id in metadata, and
//! the status read as a result, a failure worth retrying or a final one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes};
use serde_json::Value;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};

use crate::method::Method;
use crate::{
    ATTEMPT_METADATA, CALL_ID_METADATA, CHANNELS_MAX, CONNECT_TIMEOUT, RESPONSE_BYTES_MAX,
};

/// Every status code, its name on the wire, and whether a call that ends
/// with it is worth retrying. `docs/grpc.md` shows this table; a test keeps
/// the two equal.
pub const STATUS_CODES: &[(Code, &str, bool)] = &[
    (Code::Cancelled, "CANCELLED", true),
    (Code::Unknown, "UNKNOWN", true),
    (Code::InvalidArgument, "INVALID_ARGUMENT", false),
    (Code::DeadlineExceeded, "DEADLINE_EXCEEDED", true),
    (Code::NotFound, "NOT_FOUND", false),
    (Code::AlreadyExists, "ALREADY_EXISTS", false),
    (Code::PermissionDenied, "PERMISSION_DENIED", false),
    (Code::ResourceExhausted, "RESOURCE_EXHAUSTED", true),
    (Code::FailedPrecondition, "FAILED_PRECONDITION", false),
    (Code::Aborted, "ABORTED", true),
    (Code::OutOfRange, "OUT_OF_RANGE", false),
    (Code::Unimplemented, "UNIMPLEMENTED", false),
    (Code::Internal, "INTERNAL", true),
    (Code::Unavailable, "UNAVAILABLE", true),
    (Code::DataLoss, "DATA_LOSS", false),
    (Code::Unauthenticated, "UNAUTHENTICATED", false),
];

/// The name of `code` on the wire (`NOT_FOUND`) and whether it is worth
/// retrying.
pub fn status(code: Code) -> (&'static str, bool) {
    STATUS_CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(("UNKNOWN", true), |(_, name, retry)| (name, *retry))
}

/// One attempt of a call.
#[derive(Clone, Copy, Debug)]
pub struct Attempt<'a> {
    /// The call id (the same for every attempt of the call).
    pub call_id: &'a str,
    /// The attempt, from 1.
    pub attempt: u32,
    /// How long the attempt may take: the deadline sent to the server and
    /// kept by the client.
    pub timeout: Duration,
}

/// Why an attempt failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What happened, naming the method and the target.
    pub message: String,
    /// A later attempt may succeed.
    pub retryable: bool,
    /// The status code, when the failure is one.
    pub code: Option<Code>,
}

impl Failure {
    fn new(message: String, retryable: bool, code: Option<Code>) -> Failure {
        Failure {
            message,
            retryable,
            code,
        }
    }
}

/// Calls unary methods; cheap to share between tasks.
#[derive(Default)]
pub struct Client {
    channels: Mutex<HashMap<String, Channel>>,
}

impl Client {
    /// A client with no connection yet.
    pub fn new() -> Client {
        Client::default()
    }

    /// The channel to `target`, made (not yet connected) on first use.
    fn channel(&self, target: &str) -> Result<Channel, String> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = channels.get(target) {
            return Ok(c.clone());
        }
        let mut endpoint = Endpoint::from_shared(target.to_string())
            .map_err(|e| format!("`{target}` is not a valid target: {e}"))?
            .connect_timeout(CONNECT_TIMEOUT)
            .tcp_nodelay(true);
        if target.starts_with("https://") {
            endpoint = endpoint
                .tls_config(ClientTlsConfig::new().with_native_roots())
                .map_err(|e| format!("TLS for `{target}`: {e}"))?;
        }
        // Targets come from deployed programs, so there are few; a bound
        // still keeps a stream of redeploys from growing the map forever.
        if channels.len() >= CHANNELS_MAX {
            channels.clear();
        }
        let channel = endpoint.connect_lazy();
        channels.insert(target.to_string(), channel.clone());
        Ok(channel)
    }

    /// One attempt of `method` with the call's arguments (the engine's JSON
    /// list): the response as JSON, or why it failed. Must run inside a
    /// tokio runtime.
    pub async fn call(
        &self,
        method: &Method,
        args: &Value,
        attempt: Attempt<'_>,
    ) -> Result<Value, Failure> {
        let b = &method.binding;
        let shown = format!("{} at {}", method.shown(), b.target);
        let body = method.request(args).map_err(|e| {
            Failure::new(
                format!(
                    "the arguments do not fit the request of {}: {e}",
                    method.shown()
                ),
                false,
                None,
            )
        })?;
        let channel = self
            .channel(&b.target)
            .map_err(|e| Failure::new(e, false, None))?;
        let path = http::uri::PathAndQuery::try_from(b.path())
            .map_err(|e| Failure::new(format!("the method path of {shown}: {e}"), false, None))?;
        let mut request = tonic::Request::new(Bytes::from(body));
        request.set_timeout(attempt.timeout);
        let md = request.metadata_mut();
        md.insert(
            CALL_ID_METADATA,
            MetadataValue::try_from(attempt.call_id).map_err(|e| {
                Failure::new(format!("the call id cannot be sent: {e}"), false, None)
            })?,
        );
        md.insert(ATTEMPT_METADATA, MetadataValue::from(attempt.attempt));
        let mut grpc =
            tonic::client::Grpc::new(channel).max_decoding_message_size(RESPONSE_BYTES_MAX);
        let sent = async {
            grpc.ready()
                .await
                .map_err(|e| Status::unavailable(e.to_string()))?;
            grpc.unary(request, path, Raw).await
        };
        // The server is told the deadline; the client keeps it too, so an
        // unreachable or silent server cannot hold the attempt longer.
        let started = std::time::Instant::now();
        let late = || {
            Failure::new(
                format!("{shown} did not answer within {:?}", attempt.timeout),
                true,
                Some(Code::DeadlineExceeded),
            )
        };
        match tokio::time::timeout(attempt.timeout, sent).await {
            Err(_) => Err(late()),
            // Servers that keep the deadline end the call themselves, some
            // (tonic's) with CANCELLED: it is the same deadline.
            Ok(Err(s))
                if matches!(s.code(), Code::Cancelled | Code::DeadlineExceeded)
                    && started.elapsed() >= attempt.timeout =>
            {
                Err(late())
            }
            Ok(Err(s)) => {
                let (name, retryable) = status(s.code());
                let detail = s.message().trim();
                Err(Failure::new(
                    if detail.is_empty() {
                        format!("{shown} answered {name}")
                    } else {
                        format!("{shown} answered {name}: {detail}")
                    },
                    retryable,
                    Some(s.code()),
                ))
            }
            Ok(Ok(response)) => method.response(response.get_ref()).map_err(|e| {
                // The service's message does not fit the `.proto` deployed
                // with the program: retrying sends the same question.
                Failure::new(format!("{shown}: {e}"), false, None)
            }),
        }
    }
}

/// A codec for messages already encoded: it only frames them.
#[derive(Clone, Copy, Debug, Default)]
struct Raw;

impl Codec for Raw {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = Raw;
    type Decoder = Raw;

    fn encoder(&mut self) -> Raw {
        Raw
    }

    fn decoder(&mut self) -> Raw {
        Raw
    }
}

impl Encoder for Raw {
    type Item = Bytes;
    type Error = Status;

    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put(item);
        Ok(())
    }
}

impl Decoder for Raw {
    type Item = Bytes;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}
