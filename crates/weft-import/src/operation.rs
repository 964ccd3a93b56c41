//! Operations to `activity` declarations with `@http` bindings.

use crate::names::{self, quote};
use crate::schema::{truncate, Types};
use crate::{Error, OPERATIONS_MAX};
use openapiv3::{
    MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody,
    Response, StatusCode,
};

/// One operation of the document.
pub struct Op<'a> {
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template, such as `/pet/{petId}`.
    pub path: &'a str,
    /// The operation.
    pub op: &'a Operation,
    /// The parameters of its path item.
    pub shared: &'a [ReferenceOr<Parameter>],
}

impl Op<'_> {
    /// `getPetById (GET /pet/{petId})`, for messages.
    fn describe(&self) -> String {
        match &self.op.operation_id {
            Some(id) => format!("`{id}` ({} {})", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// Every operation, in document order (path, then method).
pub fn collect(api: &OpenAPI) -> Result<Vec<Op<'_>>, Error> {
    let mut ops = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let Some(item) = item.as_item() else {
            continue;
        };
        for (method, op) in [
            ("GET", &item.get),
            ("PUT", &item.put),
            ("POST", &item.post),
            ("DELETE", &item.delete),
            ("OPTIONS", &item.options),
            ("HEAD", &item.head),
            ("PATCH", &item.patch),
        ] {
            if let Some(op) = op {
                ops.push(Op {
                    method,
                    path,
                    op,
                    shared: &item.parameters,
                });
            }
        }
    }
    if ops.len() > OPERATIONS_MAX {
        return Err(Error::TooMany {
            what: "operations",
            count: ops.len(),
            limit: OPERATIONS_MAX,
        });
    }
    Ok(ops)
}

/// Where a parameter goes.
enum Place {
    Path,
    Query,
    Header,
}

struct Param {
    ident: String,
    wire: String,
    ty: String,
    optional: bool,
    place: Place,
}

/// The declaration of `op`: `Ok(Ok(text))`, or `Ok(Err(warning))` when the
/// operation cannot be called with JSON and is left out.
pub fn activity(
    api: &OpenAPI,
    op: &Op<'_>,
    base: &str,
    types: &mut Types<'_>,
    taken: &mut names::Taken,
    namespace: Option<&str>,
) -> Result<Result<String, String>, Error> {
    let what = op.describe();
    let fail = |message: String| Error::Operation {
        operation: what.clone(),
        message,
    };
    // Operation parameters override the path item's of the same name and place.
    let mut raw: Vec<&Parameter> = Vec::new();
    for p in op.shared.iter().chain(&op.op.parameters) {
        let p = resolve_parameter(api, p).map_err(&fail)?;
        let d = p.parameter_data_ref();
        raw.retain(|q| {
            let e = q.parameter_data_ref();
            !(e.name == d.name && std::mem::discriminant(*q) == std::mem::discriminant(p))
        });
        raw.push(p);
    }
    let mut idents = names::Taken::default();
    let mut params = Vec::new();
    let mut warnings = Vec::new();
    for p in raw {
        let d = p.parameter_data_ref();
        let place = match p {
            Parameter::Path { .. } => Place::Path,
            Parameter::Query { .. } => Place::Query,
            Parameter::Header { .. } => Place::Header,
            Parameter::Cookie { .. } => {
                warnings.push(format!(
                    "{what}: the cookie parameter `{}` is left out",
                    d.name
                ));
                continue;
            }
        };
        let ctx = format!("of the parameter `{}` of {what}", d.name);
        let ty = match &d.format {
            ParameterSchemaOrContent::Schema(s) => types.ty(s, &ctx, 0)?,
            ParameterSchemaOrContent::Content(_) => "any".to_string(),
        };
        params.push(Param {
            ident: idents.fresh(&names::camel(&d.name)),
            wire: d.name.clone(),
            ty,
            optional: !d.required && !matches!(place, Place::Path),
            place,
        });
    }
    // The JSON request body, as `body`.
    let mut body = None;
    if let Some(rb) = &op.op.request_body {
        let rb = resolve_body(api, rb).map_err(&fail)?;
        match json_media(&rb.content) {
            Some(media) => {
                let ty = match &media.schema {
                    Some(s) => types.ty(s, &format!("of the request body of {what}"), 0)?,
                    None => "any".to_string(),
                };
                body = Some((idents.fresh("body"), ty, !rb.required));
            }
            None if rb.required => {
                return Ok(Err(format!(
                    "{what} is left out: its request body is not JSON ({})",
                    rb.content.keys().cloned().collect::<Vec<_>>().join(", ")
                )))
            }
            None => warnings.push(format!(
                "{what}: its optional request body is not JSON and is left out"
            )),
        }
    }
    let result = result_type(api, op, types, &what)?;
    let base_name = match &op.op.operation_id {
        Some(id) => names::pascal(id),
        None => names::pascal(&format!("{} {}", op.method.to_lowercase(), op.path)),
    };
    let base_name = if weft_syntax::lang::builtin(&base_name).is_some() {
        format!("{base_name}Operation")
    } else {
        base_name
    };
    let name = names::namespaced(namespace, taken.fresh(&base_name));

    // The URL, with `{wire}` replaced by `{ident}`.
    let mut url = base.to_string();
    let mut rest = op.path;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let wire = &rest[open + 1..open + len];
        let Some(p) = params
            .iter()
            .find(|p| matches!(p.place, Place::Path) && p.wire == wire)
        else {
            return Err(fail(format!(
                "the path names `{{{wire}}}`, which no path parameter describes"
            )));
        };
        url.push_str(&rest[..open]);
        url.push_str(&format!("{{{}}}", p.ident));
        rest = &rest[open + len + 1..];
    }
    url.push_str(rest);
    for p in params.iter().filter(|p| matches!(p.place, Place::Path)) {
        if !op.path.contains(&format!("{{{}}}", p.wire)) {
            return Err(fail(format!(
                "the path parameter `{}` is not in the path",
                p.wire
            )));
        }
    }
    let mut decl_params: Vec<String> = params
        .iter()
        .map(|p| format!("{}{}: {}", p.ident, if p.optional { "?" } else { "" }, p.ty))
        .collect();
    if let Some((ident, ty, optional)) = &body {
        decl_params.push(format!("{ident}{}: {ty}", if *optional { "?" } else { "" }));
    }
    let mut binding = vec![
        format!("method: {}", quote(op.method)),
        format!("url: {}", quote(&url)),
    ];
    for (key, place) in [("query", Place::Query), ("headers", Place::Header)] {
        let chosen: Vec<&Param> = params
            .iter()
            .filter(|p| std::mem::discriminant(&p.place) == std::mem::discriminant(&place))
            .collect();
        if chosen.is_empty() {
            continue;
        }
        if chosen.iter().all(|p| p.ident == p.wire) {
            let list: Vec<String> = chosen.iter().map(|p| quote(&p.ident)).collect();
            binding.push(format!("{key}: [{}]", list.join(", ")));
        } else {
            let entries: Vec<String> = chosen
                .iter()
                .map(|p| format!("{}: {}", p.ident, quote(&p.wire)))
                .collect();
            binding.push(format!("{key}: {{{}}}", entries.join(", ")));
        }
    }
    if let Some((ident, _, _)) = &body {
        binding.push(format!("body: {}", quote(ident)));
    }
    let mut text = String::new();
    let summary = op
        .op
        .summary
        .as_deref()
        .or(op.op.description.as_deref())
        .map(names::one_line)
        .filter(|s| !s.is_empty());
    text.push_str(&format!(
        "// {} {}{}\n",
        op.method,
        op.path,
        summary
            .map(|s| format!(": {}", truncate(&s)))
            .unwrap_or_default()
    ));
    for w in &warnings {
        text.push_str(&format!("// Note: {}\n", names::one_line(w)));
    }
    text.push_str(&format!(
        "activity {name}({}) -> {result}\n    @http({})\n",
        decl_params.join(", "),
        binding.join(", ")
    ));
    Ok(Ok(text))
}

/// The type of the first 2xx response with a JSON body (`default` when
/// there is no 2xx); `null` when it has no body, `any` when it is not JSON.
fn result_type(api: &OpenAPI, op: &Op<'_>, types: &Types<'_>, what: &str) -> Result<String, Error> {
    let mut success: Vec<&ReferenceOr<Response>> = op
        .op
        .responses
        .responses
        .iter()
        .filter(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        })
        .map(|(_, r)| r)
        .collect();
    if success.is_empty() {
        success.extend(op.op.responses.default.as_ref());
    }
    let Some(first) = success.first() else {
        return Ok("any".into());
    };
    let mut response = None;
    for r in &success {
        let r = resolve_response(api, r).map_err(|message| Error::Operation {
            operation: what.to_string(),
            message,
        })?;
        if json_media(&r.content).is_some() {
            response = Some(r);
            break;
        }
    }
    let Some(response) = response else {
        let first = resolve_response(api, first).map_err(|message| Error::Operation {
            operation: what.to_string(),
            message,
        })?;
        return Ok(if first.content.is_empty() {
            "null"
        } else {
            "any"
        }
        .into());
    };
    match json_media(&response.content).and_then(|m| m.schema.as_ref()) {
        Some(s) => types.ty(s, &format!("of the response of {what}"), 0),
        None => Ok("any".into()),
    }
}

/// The JSON media type of a content map, if it has one.
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<&MediaType> {
    content
        .iter()
        .find(|(k, _)| {
            let k = k.split(';').next().unwrap_or("").trim();
            k == "application/json" || k.ends_with("+json") || k == "*/*"
        })
        .map(|(_, v)| v)
}

fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter, String> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let key = reference
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| {
                    format!("the reference `{reference}` is not to `#/components/parameters/...`")
                })?;
            match api.components.as_ref().and_then(|c| c.parameters.get(key)) {
                Some(ReferenceOr::Item(p)) => Ok(p),
                _ => Err(format!("the reference `{reference}` names no parameter")),
            }
        }
    }
}

fn resolve_body<'a>(
    api: &'a OpenAPI,
    b: &'a ReferenceOr<RequestBody>,
) -> Result<&'a RequestBody, String> {
    match b {
        ReferenceOr::Item(b) => Ok(b),
        ReferenceOr::Reference { reference } => {
            let key = reference
                .strip_prefix("#/components/requestBodies/")
                .ok_or_else(|| {
                    format!(
                        "the reference `{reference}` is not to `#/components/requestBodies/...`"
                    )
                })?;
            match api
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(key))
            {
                Some(ReferenceOr::Item(b)) => Ok(b),
                _ => Err(format!("the reference `{reference}` names no request body")),
            }
        }
    }
}

fn resolve_response<'a>(
    api: &'a OpenAPI,
    r: &'a ReferenceOr<Response>,
) -> Result<&'a Response, String> {
    match r {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => {
            let key = reference
                .strip_prefix("#/components/responses/")
                .ok_or_else(|| {
                    format!("the reference `{reference}` is not to `#/components/responses/...`")
                })?;
            match api.components.as_ref().and_then(|c| c.responses.get(key)) {
                Some(ReferenceOr::Item(r)) => Ok(r),
                _ => Err(format!("the reference `{reference}` names no response")),
            }
        }
    }
}
