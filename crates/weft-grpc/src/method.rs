//! A `@grpc` binding resolved against its descriptors, and the JSON of a
//! call turned into the request message and the response back into JSON.
//!
//! Messages are read and written in the proto3 JSON mapping, with three
//! choices made for flows: 64-bit integers are JSON numbers (not strings),
//! fields at their default value are written (a flow reads `0`, `""` or
//! `[]` rather than a missing field; fields with presence, such as
//! messages and members of a `oneof`, stay absent when unset), and Weft's
//! own forms of times and durations are accepted where a
//! `google.protobuf.Timestamp` or `Duration` is expected (epoch
//! milliseconds, a plain date, `"2h30m"`, milliseconds).

use prost::Message as _;
use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, Kind, MessageDescriptor, MethodDescriptor,
    SerializeOptions,
};
use serde_json::Value;
use weft_check::contract::grpc::GrpcBinding;

use crate::MESSAGE_DEPTH_MAX;

/// A unary method that an activity is bound to.
#[derive(Clone, Debug)]
pub struct Method {
    /// The binding, as declared.
    pub binding: GrpcBinding,
    /// The method's descriptor.
    pub descriptor: MethodDescriptor,
}

/// How responses are written as JSON (see the module's documentation).
const SERIALIZE: SerializeOptions = SerializeOptions::new()
    .stringify_64_bit_integers(false)
    .skip_default_fields(false);

impl Method {
    /// Finds the binding's method in `pool`: the `.proto` file, the service
    /// in it, the method, unary; and each parameter's field in the request
    /// message. `Err` says what is missing, for a diagnostic.
    pub fn resolve(binding: &GrpcBinding, pool: &DescriptorPool) -> Result<Method, String> {
        let b = binding;
        let Some(file) = pool.get_file_by_name(&b.proto) else {
            return Err(format!(
                "the program has no file `{}`: deploy it with the program (`weft deploy` sends the `.proto` files that `@grpc` bindings name, from the folder of the file that declares them)",
                b.proto
            ));
        };
        let Some(service) = file.services().find(|s| s.full_name() == b.service) else {
            let known: Vec<String> = file
                .services()
                .map(|s| format!("`{}`", s.full_name()))
                .collect();
            return Err(format!(
                "`{}` defines no service `{}`{}",
                b.proto,
                b.service,
                match known.len() {
                    0 => " (it defines no service)".to_string(),
                    _ => format!("; it defines {}", known.join(", ")),
                }
            ));
        };
        let Some(method) = service.methods().find(|m| m.name() == b.method) else {
            let known: Vec<String> = service
                .methods()
                .map(|m| format!("`{}`", m.name()))
                .collect();
            return Err(format!(
                "the service `{}` has no method `{}`; it has {}",
                b.service,
                b.method,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        if method.is_client_streaming() || method.is_server_streaming() {
            return Err(format!(
                "`{}/{}` is a streaming method; only unary methods can be activities",
                b.service, b.method
            ));
        }
        let input = method.input();
        if b.request.is_none() {
            for p in &b.params {
                let field = b.field_of(&p.name);
                if find_field(&input, field).is_none() {
                    let known: Vec<String> = input
                        .fields()
                        .map(|f| format!("`{}`", f.json_name()))
                        .collect();
                    return Err(format!(
                        "the request message `{}` has no field `{field}` (parameter `{}`); its fields are {}",
                        input.full_name(),
                        p.name,
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ));
                }
            }
        }
        Ok(Method {
            binding: binding.clone(),
            descriptor: method,
        })
    }

    /// `package.Service/Method`, for messages.
    pub fn shown(&self) -> String {
        format!("{}/{}", self.binding.service, self.binding.method)
    }

    /// The request message of a call with these arguments (the engine's
    /// JSON list), encoded.
    pub fn request(&self, call_args: &Value) -> Result<Vec<u8>, String> {
        let mut json = self.binding.message(call_args)?;
        let input = self.descriptor.input();
        if json.is_null() {
            // A whole-message parameter left out: the default message.
            return Ok(DynamicMessage::new(input).encode_to_vec());
        }
        weft_forms(&mut json, &input, 0)?;
        let msg = DynamicMessage::deserialize_with_options(input, json, &DeserializeOptions::new())
            .map_err(|e| e.to_string())?;
        Ok(msg.encode_to_vec())
    }

    /// The JSON of an encoded response message.
    pub fn response(&self, bytes: &[u8]) -> Result<Value, String> {
        let output = self.descriptor.output();
        let msg = DynamicMessage::decode(output.clone(), bytes).map_err(|e| {
            format!(
                "the response does not decode as `{}`: {e}",
                output.full_name()
            )
        })?;
        msg.serialize_with_options(serde_json::value::Serializer, &SERIALIZE)
            .map_err(|e| format!("the response cannot be written as JSON: {e}"))
    }
}

/// The field of `m` named `name` in JSON or in the `.proto`.
fn find_field(m: &MessageDescriptor, name: &str) -> Option<prost_reflect::FieldDescriptor> {
    m.get_field_by_json_name(name)
        .or_else(|| m.get_field_by_name(name))
}

/// Rewrites Weft's forms of times and durations in `v` (a value of message
/// `m`) into the proto3 JSON forms.
fn weft_forms(v: &mut Value, m: &MessageDescriptor, depth: usize) -> Result<(), String> {
    if depth > MESSAGE_DEPTH_MAX {
        return Err(format!(
            "the message nests deeper than {MESSAGE_DEPTH_MAX} (MESSAGE_DEPTH_MAX)"
        ));
    }
    match m.full_name() {
        "google.protobuf.Timestamp" => {
            if let Some(ms) = v.as_i64() {
                *v = Value::String(weft_engine::time::format_time(ms));
            } else if let Some(s) = v.as_str().filter(|s| !s.contains('T')) {
                if let Some(ms) = weft_engine::time::parse_time(s) {
                    *v = Value::String(weft_engine::time::format_time(ms));
                }
            }
            return Ok(());
        }
        "google.protobuf.Duration" => {
            let ms = match v {
                Value::Number(n) => n.as_f64().map(|f| f.round() as i64),
                Value::String(s) if !is_proto_duration(s) => weft_engine::time::parse_duration(s),
                _ => None,
            };
            if let Some(ms) = ms {
                *v = Value::String(proto_duration(ms));
            }
            return Ok(());
        }
        // Their JSON is not an object of fields.
        name if name.starts_with("google.protobuf.") && name != "google.protobuf.Empty" => {
            return Ok(())
        }
        _ => {}
    }
    let Value::Object(fields) = v else {
        return Ok(());
    };
    for (key, value) in fields.iter_mut() {
        let Some(field) = find_field(m, key) else {
            continue;
        };
        let Kind::Message(inner) = field.kind() else {
            continue;
        };
        if field.is_map() {
            let Kind::Message(value_type) = inner.map_entry_value_field().kind() else {
                continue;
            };
            if let Value::Object(entries) = value {
                for e in entries.values_mut() {
                    weft_forms(e, &value_type, depth + 1)?;
                }
            }
        } else if field.is_list() {
            if let Value::Array(items) = value {
                for item in items {
                    weft_forms(item, &inner, depth + 1)?;
                }
            }
        } else {
            weft_forms(value, &inner, depth + 1)?;
        }
    }
    Ok(())
}

/// True for proto3 JSON durations: `3s`, `-1.5s`.
fn is_proto_duration(s: &str) -> bool {
    let Some(n) = s.strip_suffix('s') else {
        return false;
    };
    let n = n.strip_prefix('-').unwrap_or(n);
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        && n.matches('.').count() <= 1
        && !n.starts_with('.')
        && !n.ends_with('.')
}

/// Milliseconds as a proto3 JSON duration: `90s`, `1.5s`, `-0.25s`.
fn proto_duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    let (secs, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        format!("{sign}{secs}s")
    } else {
        let f = format!("{frac:03}");
        format!("{sign}{secs}.{}s", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protos::{compile, Sources};
    use serde_json::json;

    const PROTO: &str = r#"
syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";

enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
message Line { string sku = 1; int64 count = 2; google.protobuf.Duration wait = 3; }
message Order {
  string id = 1;
  repeated Line lines = 2;
  map<string, Line> by_sku = 3;
  google.protobuf.Timestamp placed_at = 4;
  Color color = 5;
  oneof pay { string card = 6; string iban = 7; }
  google.protobuf.Struct extra = 8;
  optional string note = 9;
  uint64 big = 10;
}
message Ack { string id = 1; }
service Orders {
  rpc Place(Order) returns (Order);
  rpc Watch(Ack) returns (stream Order);
}
"#;

    fn pool() -> DescriptorPool {
        compile(&Sources::from([(
            "shop.proto".to_string(),
            PROTO.to_string(),
        )]))
        .unwrap()
    }

    fn binding(src: &str) -> GrpcBinding {
        let p = weft_syntax::parse(src);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let b = GrpcBinding::from_decl(p.module.activities().next().unwrap())
            .unwrap()
            .unwrap();
        b
    }

    const AT: &str = r#"target: "http://x:1", proto: "shop.proto", service: "shop.v1.Orders""#;

    #[test]
    fn resolves_and_says_what_is_missing() {
        let pool = pool();
        let ok = binding(&format!(
            r#"activity Place(id?: string, lines?: [any], bySku?: any, placed_at?: time) @grpc({AT}, method: "Place")"#
        ));
        assert!(Method::resolve(&ok, &pool).is_ok());
        let err = |src: String| Method::resolve(&binding(&src), &pool).unwrap_err();
        assert_eq!(
            err(format!(r#"activity P(idd?: string) @grpc({AT}, method: "Place")"#)),
            "the request message `shop.v1.Order` has no field `idd` (parameter `idd`); its fields are `id`, `lines`, `bySku`, `placedAt`, `color`, `card`, `iban`, `extra`, `note`, `big`"
        );
        assert_eq!(
            err(format!(r#"activity P() @grpc({AT}, method: "Watch")"#)),
            "`shop.v1.Orders/Watch` is a streaming method; only unary methods can be activities"
        );
        assert_eq!(
            err(format!(r#"activity P() @grpc({AT}, method: "Cancel")"#)),
            "the service `shop.v1.Orders` has no method `Cancel`; it has `Place`, `Watch`"
        );
        assert_eq!(
            err(r#"activity P() @grpc(target: "http://x:1", proto: "shop.proto", service: "shop.Orders", method: "Place")"#.into()),
            "`shop.proto` defines no service `shop.Orders`; it defines `shop.v1.Orders`"
        );
        assert!(err(r#"activity P() @grpc(target: "http://x:1", proto: "other.proto", service: "shop.Orders", method: "Place")"#.into())
            .starts_with("the program has no file `other.proto`"));
    }

    #[test]
    fn requests_take_weft_forms_and_responses_read_as_flows_want() {
        let pool = pool();
        let m = Method::resolve(
            &binding(&format!(
                r#"activity Place(id?: string, lines?: [any], bySku?: any, placedAt?: time, card?: string, big?: int) @grpc({AT}, method: "Place")"#
            )),
            &pool,
        )
        .unwrap();
        let bytes = m
            .request(&json!([{
                "id": "o1",
                "lines": [{"sku": "a", "count": "3", "wait": "1h30m"}],
                "bySku": {"a": {"sku": "a", "wait": 1500}},
                "placedAt": 1_700_000_000_123i64,
                "card": "4242",
                "big": 18446744073709551615u64,
            }]))
            .unwrap();
        // The service answers with the same message: read it back.
        let back = m.response(&bytes).unwrap();
        assert_eq!(
            back,
            json!({
                "id": "o1",
                "lines": [{"sku": "a", "count": 3, "wait": "5400s"}],
                "bySku": {"a": {"sku": "a", "count": 0, "wait": "1.500s"}},
                "placedAt": "2023-11-14T22:13:20.123Z",
                "color": "COLOR_UNSPECIFIED",
                "card": "4242",
                "big": 18446744073709551615u64,
            })
        );
        // Times as plain dates; arguments that do not fit.
        let b = m.request(&json!([{"placedAt": "2026-12-01"}])).unwrap();
        assert_eq!(m.response(&b).unwrap()["placedAt"], "2026-12-01T00:00:00Z");
        let e = m.request(&json!([{"lines": [{"sku": 5}]}])).unwrap_err();
        assert!(e.contains("string"), "{e}");
        let e = m
            .request(&json!([{"card": "x", "id": {"no": 1}}]))
            .unwrap_err();
        assert!(!e.is_empty());
        assert!(m
            .response(b"\xff\xff\xff")
            .unwrap_err()
            .contains("`shop.v1.Order`"));
    }

    #[test]
    fn whole_requests() {
        let src = "syntax = \"proto3\"; package c; import \"google/protobuf/timestamp.proto\"; import \"google/protobuf/wrappers.proto\";\n\
                   service C { rpc At(google.protobuf.Timestamp) returns (google.protobuf.StringValue); }";
        let pool = compile(&Sources::from([("c.proto".to_string(), src.to_string())])).unwrap();
        let m = Method::resolve(
            &binding(r#"activity At(request?: time) -> string @grpc(target: "http://x:1", proto: "c.proto", service: "c.C", method: "At", request: "request")"#),
            &pool,
        )
        .unwrap();
        let bytes = m.request(&json!([1_500])).unwrap();
        let t = DynamicMessage::decode(m.descriptor.input(), bytes.as_slice()).unwrap();
        assert_eq!(
            t.serialize_with_options(serde_json::value::Serializer, &SERIALIZE)
                .unwrap(),
            json!("1970-01-01T00:00:01.500Z")
        );
        // Left out: the default message.
        assert!(m.request(&json!([])).unwrap().is_empty());
        // A wrapper answer is its value.
        let answer =
            prost_reflect::DynamicMessage::deserialize(m.descriptor.output(), json!("ok")).unwrap();
        assert_eq!(m.response(&answer.encode_to_vec()).unwrap(), json!("ok"));
    }

    #[test]
    fn durations() {
        assert_eq!(proto_duration(5_400_000), "5400s");
        assert_eq!(proto_duration(1_500), "1.5s");
        assert_eq!(proto_duration(-250), "-0.25s");
        assert!(is_proto_duration("1.5s") && is_proto_duration("-3s"));
        assert!(!is_proto_duration("1h") && !is_proto_duration(".5s") && !is_proto_duration("s"));
    }
}
