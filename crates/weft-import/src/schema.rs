//! Schemas to Weft types, and `components.schemas` to `type` declarations.

use crate::names::{self, is_plain, quote};
use crate::{Error, SCHEMAS_MAX, SCHEMA_DEPTH_MAX, UNION_MEMBERS_MAX};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// The prefix of references to `components.schemas`.
const SCHEMA_REF: &str = "#/components/schemas/";

/// An object type being built: fields (name, type, optional) and whether
/// other fields are allowed.
struct Object {
    fields: Vec<(String, String, bool)>,
    open: bool,
}

impl Object {
    fn text(&self) -> String {
        let mut parts: Vec<String> = self
            .fields
            .iter()
            .map(|(name, ty, optional)| {
                let key = if is_plain(name) {
                    name.clone()
                } else {
                    quote(name)
                };
                format!("{key}{}: {ty}", if *optional { "?" } else { "" })
            })
            .collect();
        if self.open {
            parts.push("..".into());
        }
        format!("{{{}}}", parts.join(", "))
    }
}

/// The document's named schemas and their Weft names.
pub struct Types<'a> {
    api: &'a OpenAPI,
    /// Schema key → Weft type name, in document order.
    names: IndexMap<String, String>,
}

impl<'a> Types<'a> {
    /// Names every schema of `components.schemas`.
    pub fn new(api: &'a OpenAPI) -> Result<Types<'a>, Error> {
        let mut names = IndexMap::new();
        let mut taken = names::Taken::default();
        if let Some(c) = &api.components {
            if c.schemas.len() > SCHEMAS_MAX {
                return Err(Error::TooMany {
                    what: "schemas",
                    count: c.schemas.len(),
                    limit: SCHEMAS_MAX,
                });
            }
            for key in c.schemas.keys() {
                names.insert(key.clone(), taken.fresh(&names::pascal(key)));
            }
        }
        Ok(Types { api, names })
    }

    /// `type Name = ...` for every named schema.
    pub fn declarations(&mut self) -> Result<Vec<String>, Error> {
        let Some(c) = &self.api.components else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (key, schema) in &c.schemas {
            let ctx = format!("`{key}`");
            let ty = self.ty(schema, &ctx, 0)?;
            let name = &self.names[key];
            let doc = schema
                .as_item()
                .and_then(|s| s.schema_data.description.as_deref())
                .map(|d| format!("// {}\n", truncate(&names::one_line(d))))
                .unwrap_or_default();
            out.push(format!("{doc}type {name} = {ty}\n"));
        }
        Ok(out)
    }

    /// The Weft type of a schema or reference; `ctx` says where it is,
    /// for errors.
    pub fn ty(&self, s: &ReferenceOr<Schema>, ctx: &str, depth: usize) -> Result<String, Error> {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, ctx),
            ReferenceOr::Item(schema) => self.schema(schema, ctx, depth),
        }
    }

    fn boxed(
        &self,
        s: &ReferenceOr<Box<Schema>>,
        ctx: &str,
        depth: usize,
    ) -> Result<String, Error> {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, ctx),
            ReferenceOr::Item(schema) => self.schema(schema, ctx, depth),
        }
    }

    fn reference(&self, reference: &str, ctx: &str) -> Result<String, Error> {
        let key = reference
            .strip_prefix(SCHEMA_REF)
            .ok_or_else(|| Error::Schema {
                context: ctx.to_string(),
                message: format!("the reference `{reference}` is not to `{SCHEMA_REF}...`"),
            })?;
        self.names.get(key).cloned().ok_or_else(|| Error::Schema {
            context: ctx.to_string(),
            message: format!("the reference `{reference}` names no schema"),
        })
    }

    fn schema(&self, s: &Schema, ctx: &str, depth: usize) -> Result<String, Error> {
        if depth > SCHEMA_DEPTH_MAX {
            return Err(Error::Schema {
                context: ctx.to_string(),
                message: format!("schemas nest deeper than the limit of {SCHEMA_DEPTH_MAX}"),
            });
        }
        let d = depth + 1;
        let base = match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => "string".to_string(),
            SchemaKind::Type(Type::Number(_)) => "number".to_string(),
            SchemaKind::Type(Type::Integer(_)) => "int".to_string(),
            SchemaKind::Type(Type::Boolean(_)) => "bool".to_string(),
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => format!("[{}]", self.boxed(items, &format!("{ctx}[]"), d)?),
                None => "[any]".to_string(),
            },
            SchemaKind::Type(Type::Object(o)) => self
                .object(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    ctx,
                    d,
                )?
                .text(),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                self.union(members, ctx, d)?
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, ctx, d)?,
            SchemaKind::Not { .. } => "any".to_string(),
            SchemaKind::Any(a) => {
                if !a.all_of.is_empty() {
                    self.all_of(&a.all_of, ctx, d)?
                } else if !a.one_of.is_empty() {
                    self.union(&a.one_of, ctx, d)?
                } else if !a.any_of.is_empty() {
                    self.union(&a.any_of, ctx, d)?
                } else if !a.properties.is_empty() || a.typ.as_deref() == Some("object") {
                    self.object(
                        &a.properties,
                        &a.required,
                        a.additional_properties.as_ref(),
                        ctx,
                        d,
                    )?
                    .text()
                } else if let Some(items) = &a.items {
                    format!("[{}]", self.boxed(items, &format!("{ctx}[]"), d)?)
                } else {
                    match a.typ.as_deref() {
                        Some("string") => "string".into(),
                        Some("integer") => "int".into(),
                        Some("number") => "number".into(),
                        Some("boolean") => "bool".into(),
                        Some("array") => "[any]".into(),
                        _ => "any".into(),
                    }
                }
            }
        };
        Ok(if s.schema_data.nullable && base != "any" {
            format!("{base} | null")
        } else {
            base
        })
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        ctx: &str,
        depth: usize,
    ) -> Result<Object, Error> {
        let mut fields = Vec::new();
        for (name, prop) in properties {
            let ty = self.boxed(prop, &format!("{ctx}, field `{name}`"), depth)?;
            fields.push((name.clone(), ty, !required.contains(name)));
        }
        let open = match additional {
            Some(AdditionalProperties::Any(allowed)) => *allowed,
            Some(AdditionalProperties::Schema(_)) => true,
            // An object that declares nothing is any object.
            None => properties.is_empty(),
        };
        Ok(Object { fields, open })
    }

    fn union(
        &self,
        members: &[ReferenceOr<Schema>],
        ctx: &str,
        depth: usize,
    ) -> Result<String, Error> {
        if members.len() > UNION_MEMBERS_MAX {
            return Ok("any".into());
        }
        let mut out: Vec<String> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let t = self.ty(m, &format!("{ctx}, member {}", i + 1), depth)?;
            if t == "any" {
                return Ok("any".into());
            }
            if !out.contains(&t) {
                out.push(t);
            }
        }
        Ok(match out.len() {
            0 => "any".into(),
            _ => out.join(" | "),
        })
    }

    /// `allOf`: the members' objects merged (later fields win); a single
    /// member is itself; anything else that is not all objects is `any`.
    fn all_of(
        &self,
        members: &[ReferenceOr<Schema>],
        ctx: &str,
        depth: usize,
    ) -> Result<String, Error> {
        if members.len() == 1 {
            return self.ty(&members[0], ctx, depth);
        }
        let mut merged = Object {
            fields: Vec::new(),
            open: false,
        };
        for (i, m) in members.iter().enumerate() {
            let mctx = format!("{ctx}, allOf member {}", i + 1);
            let Some(obj) = self.as_object(m, &mctx, depth)? else {
                return Ok("any".into());
            };
            merged.open |= obj.open;
            for f in obj.fields {
                merged.fields.retain(|g| g.0 != f.0);
                merged.fields.push(f);
            }
        }
        Ok(merged.text())
    }

    /// The object a schema (or the schema a reference names) describes.
    fn as_object(
        &self,
        s: &ReferenceOr<Schema>,
        ctx: &str,
        depth: usize,
    ) -> Result<Option<Object>, Error> {
        if depth > SCHEMA_DEPTH_MAX {
            return Err(Error::Schema {
                context: ctx.to_string(),
                message: format!("`allOf` nests deeper than the limit of {SCHEMA_DEPTH_MAX}"),
            });
        }
        let schema = match s {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, ctx)?;
                let key = &reference[SCHEMA_REF.len()..];
                match self
                    .api
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(key))
                {
                    Some(target) => return self.as_object(target, ctx, depth + 1),
                    None => return Ok(None),
                }
            }
            ReferenceOr::Item(s) => s,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => self
                .object(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    ctx,
                    depth + 1,
                )
                .map(Some),
            SchemaKind::Any(a)
                if !a.properties.is_empty() || a.typ.as_deref() == Some("object") =>
            {
                self.object(
                    &a.properties,
                    &a.required,
                    a.additional_properties.as_ref(),
                    ctx,
                    depth + 1,
                )
                .map(Some)
            }
            SchemaKind::AllOf { all_of } => {
                let mut merged = Object {
                    fields: Vec::new(),
                    open: false,
                };
                for m in all_of {
                    let Some(obj) = self.as_object(m, ctx, depth + 1)? else {
                        return Ok(None);
                    };
                    merged.open |= obj.open;
                    for f in obj.fields {
                        merged.fields.retain(|g| g.0 != f.0);
                        merged.fields.push(f);
                    }
                }
                Ok(Some(merged))
            }
            _ => Ok(None),
        }
    }
}

/// At most a line's worth of a description.
pub fn truncate(s: &str) -> String {
    const COMMENT_CHARS_MAX: usize = 100;
    if s.chars().count() <= COMMENT_CHARS_MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(COMMENT_CHARS_MAX - 3).collect();
        format!("{cut}...")
    }
}
