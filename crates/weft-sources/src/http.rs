//! The HTTP pull source: `GET url?limit=N[&cursor=C]`, answered with
//! `{"events": [{"id": ..., "type": ..., "subject": ..., "data": ...}], "cursor": "C2"}`.
//!
//! The events are those after cursor `C` (all of them when there is no
//! `cursor`), at most `N`; `cursor` in the answer is where the next poll
//! starts (absent or null: it stays). A full page polls again at once.

use serde::Deserialize;

use crate::config::{Kind, SourceConfig};
use crate::shared::Shared;
use crate::{limits, make_event, Error, IncomingEvent};

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    events: Vec<Item>,
    #[serde(default)]
    cursor: Option<Cursor>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Cursor {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Deserialize)]
struct Item {
    id: Cursor,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    data: serde_json::Value,
}

impl Cursor {
    fn text(self) -> String {
        match self {
            Cursor::Text(t) => t,
            Cursor::Number(n) => n.to_string(),
        }
    }
}

/// Polls until the server stops; an error ends the loop (the supervisor
/// starts it again after a back-off).
pub async fn run(config: &SourceConfig, shared: &Shared) -> Result<(), Error> {
    let Kind::Http { url, headers, .. } = &config.kind else {
        return Err(Error::Config("not an http source".into()));
    };
    let name = &config.name;
    let client = reqwest::Client::builder()
        .timeout(limits::HTTP_TIMEOUT)
        .build()
        .map_err(|e| Error::Config(e.to_string()))?;
    let base =
        reqwest::Url::parse(url).map_err(|e| Error::Config(format!("sources.{name}.url: {e}")))?;
    let batch = config.batch();
    while !shared.stopping() {
        let from = shared.cursor(name).await?;
        let mut target = base.clone();
        {
            let mut q = target.query_pairs_mut();
            q.append_pair("limit", &batch.to_string());
            if let Some(c) = &from {
                q.append_pair("cursor", c);
            }
        }
        let mut req = client.get(target);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| Error::Connect(format!("GET {url}: {e}")))?;
        let status = resp.status();
        let body = read_body(resp, url).await?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
            return Err(Error::Connect(format!(
                "GET {url} answered {status}: {text}"
            )));
        }
        let page: Page = serde_json::from_slice(&body).map_err(|e| {
            Error::Read(format!(
                "GET {url}: the answer is not {{\"events\": [...], \"cursor\": ...}}: {e}"
            ))
        })?;
        let full = page.events.len() >= batch;
        let events = page
            .events
            .into_iter()
            .map(|item| {
                let id = item.id.text();
                make_event(config, &id, item.kind, item.subject, None, item.data)
            })
            .collect::<Result<Vec<IncomingEvent>, Error>>()?;
        shared.statuses.polled(name, Some(u64::from(full)));
        if shared.deliver(name, events).await.is_none() {
            return Ok(());
        }
        if let Some(next) = page.cursor.map(Cursor::text) {
            if from.as_ref() != Some(&next) {
                shared.advance(name, from, next.clone()).await?;
                shared.statuses.update(name, |s| s.cursor = Some(next));
            }
        }
        if !full && shared.sleep(config.interval()).await {
            return Ok(());
        }
    }
    Ok(())
}

async fn read_body(mut resp: reqwest::Response, url: &str) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| Error::Connect(format!("GET {url}: {e}")))?
    {
        if body.len() + chunk.len() > limits::HTTP_BODY_BYTES_MAX {
            return Err(Error::Read(format!(
                "GET {url}: the answer is over HTTP_BODY_BYTES_MAX ({} bytes)",
                limits::HTTP_BODY_BYTES_MAX
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
