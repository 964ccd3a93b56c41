//! The PostgreSQL pull source: a query whose `$1` is the cursor.
//!
//! Each row is an event: its id is the `id_column`'s value, its type and
//! subject the row's `type` and `subject` columns when it has them (else
//! the source's `type` and `subject`), its data the row's `data` column
//! when it has one, else the whole row as an object. The last row's
//! `cursor_column` is the next cursor. `$1` takes the column's type when
//! it is an integer or text; for another type, compare with a cast:
//! `WHERE created_at > $1::text::timestamptz`.

use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{NoTls, Row, Statement};

use crate::config::{Kind, SourceConfig};
use crate::shared::Shared;
use crate::{make_event, Error, IncomingEvent};

/// Polls until the server stops; an error ends the loop (the supervisor
/// starts it again after a back-off).
pub async fn run(config: &SourceConfig, shared: &Shared) -> Result<(), Error> {
    let Kind::Postgres {
        url,
        query,
        cursor_column,
        id_column,
        start,
        ..
    } = &config.kind
    else {
        return Err(Error::Config("not a postgres source".into()));
    };
    let name = &config.name;
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| Error::Connect(format!("cannot connect to PostgreSQL: {e}")))?;
    let connection = tokio::spawn(connection);
    let stmt = client
        .prepare(query)
        .await
        .map_err(|e| Error::Config(format!("sources.{name}.query: {e}")))?;
    let id_column = id_column.as_deref().unwrap_or("id");
    let cursor_column = cursor_column.as_deref().unwrap_or(id_column);
    let shape = Shape::of(name, &stmt, id_column, cursor_column)?;
    let batch = config.batch();
    let result = async {
        while !shared.stopping() {
            let from = shared.cursor(name).await?;
            let at = from
                .clone()
                .or_else(|| start.clone())
                .unwrap_or_else(|| shape.param.lowest().to_string());
            let param = shape
                .param
                .value(&at)
                .map_err(|e| Error::Read(format!("sources.{name}: cursor {at:?}: {e}")))?;
            let rows = client
                .query(&stmt, &[param.as_ref()])
                .await
                .map_err(|e| Error::Connect(format!("sources.{name}.query: {e}")))?;
            let full = rows.len() >= batch;
            let mut next = None;
            let mut events: Vec<IncomingEvent> = Vec::with_capacity(rows.len());
            for row in &rows {
                let (event, cursor) = shape.event(config, row)?;
                events.push(event);
                next = Some(cursor);
            }
            shared.statuses.polled(name, Some(u64::from(full)));
            if shared.deliver(name, events).await.is_none() {
                return Ok(());
            }
            if let Some(next) = next {
                shared.advance(name, from, next.clone()).await?;
                shared.statuses.update(name, |s| s.cursor = Some(next));
            }
            if !full && shared.sleep(config.interval()).await {
                return Ok(());
            }
        }
        Ok(())
    }
    .await;
    drop(client);
    let _ = connection.await;
    result
}

/// The query's shape: where the id and cursor are, what `$1` takes.
struct Shape {
    id: usize,
    cursor: usize,
    kind: Option<usize>,
    subject: Option<usize>,
    data: Option<usize>,
    param: Param,
}

#[derive(Clone, Copy)]
enum Param {
    Int2,
    Int4,
    Int8,
    Text,
}

impl Param {
    fn lowest(self) -> &'static str {
        match self {
            Param::Int2 => "-32768",
            Param::Int4 => "-2147483648",
            Param::Int8 => "-9223372036854775808",
            Param::Text => "",
        }
    }

    fn value(self, text: &str) -> Result<Box<dyn ToSql + Sync + Send>, String> {
        let bad = |e: std::num::ParseIntError| e.to_string();
        Ok(match self {
            Param::Int2 => Box::new(text.parse::<i16>().map_err(bad)?),
            Param::Int4 => Box::new(text.parse::<i32>().map_err(bad)?),
            Param::Int8 => Box::new(text.parse::<i64>().map_err(bad)?),
            Param::Text => Box::new(text.to_string()),
        })
    }
}

impl Shape {
    fn of(name: &str, stmt: &Statement, id: &str, cursor: &str) -> Result<Shape, Error> {
        let params = stmt.params();
        if params.len() != 1 {
            return Err(Error::Config(format!(
                "sources.{name}.query: takes {} parameters; it must take one, $1, the cursor",
                params.len()
            )));
        }
        let param = match params[0] {
            Type::INT2 => Param::Int2,
            Type::INT4 => Param::Int4,
            Type::INT8 => Param::Int8,
            Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => Param::Text,
            ref other => {
                return Err(Error::Config(format!(
                    "sources.{name}.query: $1 is a {other}; compare with a cast from text instead: $1::text::{other}"
                )))
            }
        };
        let find = |col: &str| stmt.columns().iter().position(|c| c.name() == col);
        let column = |col: &str, what: &str| {
            find(col).ok_or_else(|| {
                Error::Config(format!(
                    "sources.{name}.query: it returns no column {col:?} (the {what})"
                ))
            })
        };
        Ok(Shape {
            id: column(id, "id_column")?,
            cursor: column(cursor, "cursor_column")?,
            kind: find("type"),
            subject: find("subject"),
            data: find("data"),
            param,
        })
    }

    fn event(&self, config: &SourceConfig, row: &Row) -> Result<(IncomingEvent, String), Error> {
        let text = |i: usize| -> Result<Option<String>, Error> {
            Ok(match json(&config.name, row, i)? {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            })
        };
        let id = text(self.id)?
            .ok_or_else(|| Error::Read(format!("sources.{}: a row's id is null", config.name)))?;
        let cursor = text(self.cursor)?.ok_or_else(|| {
            Error::Read(format!(
                "sources.{}: row {id:?} has a null cursor",
                config.name
            ))
        })?;
        let kind = self.kind.map(text).transpose()?.flatten();
        let subject = self.subject.map(text).transpose()?.flatten();
        let data = match self.data {
            Some(i) => json(&config.name, row, i)?,
            None => {
                let mut object = serde_json::Map::new();
                for (i, c) in row.columns().iter().enumerate() {
                    object.insert(c.name().to_string(), json(&config.name, row, i)?);
                }
                serde_json::Value::Object(object)
            }
        };
        Ok((make_event(config, &id, kind, subject, None, data)?, cursor))
    }
}

/// A column's value as JSON, for the types a query can return as they
/// are; others must be cast in the query.
fn json(source: &str, row: &Row, i: usize) -> Result<serde_json::Value, Error> {
    use serde_json::Value;
    let column = &row.columns()[i];
    let bad = |e: tokio_postgres::Error| {
        Error::Read(format!("sources.{source}: column {:?}: {e}", column.name()))
    };
    let v = match *column.type_() {
        Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(bad)?.map(Value::from),
        Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(bad)?.map(Value::from),
        Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(bad)?.map(Value::from),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(bad)?.map(Value::from),
        Type::OID => row.try_get::<_, Option<u32>>(i).map_err(bad)?.map(Value::from),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i).map_err(bad)?.map(Value::from),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(bad)?.map(Value::from),
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
            row.try_get::<_, Option<String>>(i).map_err(bad)?.map(Value::from)
        }
        Type::JSON | Type::JSONB => row.try_get::<_, Option<Value>>(i).map_err(bad)?,
        ref other => {
            return Err(Error::Config(format!(
                "sources.{source}.query: column {:?} is a {other}; cast it to text or json in the query",
                column.name()
            )))
        }
    };
    Ok(v.unwrap_or(Value::Null))
}
