//! The plan file (TOML) to a [`Plan`], with a diagnostic for each mistake
//! at its place in the file. Reading never stops at the first mistake:
//! what can be read is read, so one run of `weft plan check` shows them all.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};
use toml::Spanned;
use weft_syntax::{Diagnostic, Span};

use crate::codes;
use crate::limits::*;
use crate::model::*;

type Value<'i> = Spanned<DeValue<'i>>;

fn span_of<T>(v: &Spanned<T>) -> Span {
    let r = v.span();
    Span::new(r.start, r.end)
}

/// Reads `text`; the plan holds what could be read.
pub fn parse(text: &str) -> (Plan, Vec<Diagnostic>) {
    let mut r = Reader { diags: Vec::new() };
    let mut plan = Plan::default();
    if text.len() > PLAN_BYTES_MAX {
        r.diags.push(Diagnostic::error(
            codes::BAD_VALUE,
            Span::new(0, 0),
            format!(
                "the plan is {} bytes; a plan file has at most {PLAN_BYTES_MAX} (PLAN_BYTES_MAX)",
                text.len()
            ),
        ));
        return (plan, r.diags);
    }
    let root = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::new(0, 0), |s| Span::new(s.start, s.end));
            r.diags.push(Diagnostic::error(
                codes::SYNTAX,
                span,
                format!("not valid TOML: {}", e.message().trim()),
            ));
            return (plan, r.diags);
        }
    };
    for (key, value) in root.get_ref().iter() {
        match key.get_ref().as_ref() {
            "unplaced" => {
                if let Some((s, span)) = r.string(value, "unplaced") {
                    match s.as_str() {
                        "refuse" => plan.unplaced = Unplaced::Refuse,
                        "warn" => plan.unplaced = Unplaced::Warn,
                        _ => r.bad(span, "`unplaced` is \"refuse\" or \"warn\""),
                    }
                }
            }
            "defaults" => {
                if let Some(t) = r.table(value, "defaults") {
                    plan.defaults = r.limits(t, "defaults", &[]);
                }
            }
            "place" => match value.get_ref() {
                DeValue::Array(items) => {
                    if items.len() > PLACES_MAX {
                        r.bad(
                            span_of(value),
                            format!("a plan has at most {PLACES_MAX} placements (PLACES_MAX)"),
                        );
                    }
                    for item in items.iter().take(PLACES_MAX) {
                        if let Some(p) = r.place(item) {
                            plan.places.push(p);
                        }
                    }
                }
                _ => r.bad(
                    span_of(value),
                    "`place` is a list of tables: write each as `[[place]]`",
                ),
            },
            "workers" => {
                if let Some(t) = r.table(value, "workers") {
                    let mut groups: Vec<WorkerGroup> =
                        t.iter().filter_map(|(name, v)| r.worker(name, v)).collect();
                    groups.sort_by_key(|g| g.span.start);
                    plan.workers = groups;
                }
            }
            "kubernetes" => {
                if let Some(t) = r.table(value, "kubernetes") {
                    plan.kubernetes = r.kubernetes(t);
                }
            }
            other => r.unknown(
                key,
                other,
                "unplaced, [defaults], [[place]], [workers.NAME], [kubernetes]",
            ),
        }
    }
    (plan, r.diags)
}

/// The keys a placement's limits may use.
const LIMIT_KEYS: &[&str] = &["concurrency", "rate", "timeout", "memory"];

struct Reader {
    diags: Vec<Diagnostic>,
}

impl Reader {
    fn bad(&mut self, span: Span, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(codes::BAD_VALUE, span, message));
    }

    fn unknown(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, name: &str, known: &str) {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_KEY,
            span_of(key),
            format!("unknown key `{name}`"),
        );
        d.help = Some(format!("the keys here are: {known}"));
        self.diags.push(d);
    }

    fn table<'a, 'i>(&mut self, v: &'a Value<'i>, what: &str) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.bad(span_of(v), format!("`{what}` is a table"));
                None
            }
        }
    }

    fn string(&mut self, v: &Value<'_>, what: &str) -> Option<(String, Span)> {
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), span_of(v))),
            _ => {
                self.bad(span_of(v), format!("`{what}` is a string"));
                None
            }
        }
    }

    fn int(&mut self, v: &Value<'_>, what: &str, min: u64, max: u64) -> Option<u64> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<u64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.bad(
                    span_of(v),
                    format!("`{what}` is a whole number from {min} to {max}"),
                );
                None
            }
        }
    }

    fn duration(&mut self, v: &Value<'_>, what: &str) -> Option<i64> {
        let (text, span) = self.string(v, what)?;
        match weft_engine::time::parse_duration(&text) {
            Some(ms) if ms > 0 && ms <= DURATION_MS_MAX => Some(ms),
            _ => {
                self.bad(
                    span,
                    format!("`{what}` is a duration such as \"30s\" or \"5min\", above zero and at most {} days (DURATION_MS_MAX)", DURATION_MS_MAX / 86_400_000),
                );
                None
            }
        }
    }

    fn strings_map(&mut self, v: &Value<'_>, what: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(t) = self.table(v, what) else {
            return out;
        };
        for (k, v) in t.iter() {
            if let Some((s, _)) = self.string(v, &format!("{what}.{}", k.get_ref())) {
                out.insert(k.get_ref().to_string(), s);
            }
        }
        out
    }

    /// `concurrency`, `rate`, `timeout`, `memory` of a table; other keys
    /// are left to the caller, except in `[defaults]` (`extra` empty),
    /// where they are unknown.
    fn limits(&mut self, t: &DeTable<'_>, what: &str, extra: &[&str]) -> Limits {
        let mut l = Limits::default();
        for (key, v) in t.iter() {
            let k = key.get_ref().as_ref();
            match k {
                "concurrency" => {
                    l.concurrency = self
                        .int(v, "concurrency", 1, u64::from(CONCURRENCY_MAX))
                        .map(|n| n as u32)
                }
                "rate" => l.rate = self.rate(v),
                "timeout" => l.timeout_ms = self.duration(v, "timeout"),
                "memory" => l.memory_bytes = self.size(v),
                _ if extra.contains(&k) => {}
                _ => {
                    let mut known: Vec<&str> = LIMIT_KEYS.to_vec();
                    known.extend(extra);
                    self.unknown(key, k, &format!("{} (in {what})", known.join(", ")));
                }
            }
        }
        l
    }

    /// `"100/s"`, `"6000/min"`, `"5/10s"`.
    fn rate(&mut self, v: &Value<'_>) -> Option<Rate> {
        let (text, span) = self.string(v, "rate")?;
        let parsed = text.split_once('/').and_then(|(n, per)| {
            let calls = n.trim().parse::<u32>().ok().filter(|c| *c > 0)?;
            let per = per.trim();
            let per = if per.starts_with(|c: char| c.is_ascii_digit()) {
                per.to_string()
            } else {
                format!("1{per}")
            };
            let per_ms = weft_engine::time::parse_duration(&per).filter(|ms| *ms > 0)?;
            Some(Rate { calls, per_ms })
        });
        match parsed {
            Some(r) if r.per_second() <= f64::from(RATE_PER_SECOND_MAX) => Some(r),
            Some(_) => {
                self.bad(
                    span,
                    format!("`rate` is at most {RATE_PER_SECOND_MAX} calls a second (RATE_PER_SECOND_MAX)"),
                );
                None
            }
            None => {
                self.bad(
                    span,
                    "`rate` is calls per period, such as \"100/s\", \"6000/min\" or \"5/10s\"",
                );
                None
            }
        }
    }

    /// `"64MiB"`, `"1GiB"`, `"512KiB"`, or a number of bytes.
    fn size(&mut self, v: &Value<'_>) -> Option<u64> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<u64>().ok(),
            DeValue::String(s) => {
                let s = s.trim();
                let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
                let (n, unit) = s.split_at(split);
                let unit_bytes = match unit.trim() {
                    "" | "B" => Some(1),
                    "KiB" => Some(1 << 10),
                    "MiB" => Some(1 << 20),
                    "GiB" => Some(1 << 30),
                    _ => None,
                };
                n.parse::<u64>()
                    .ok()
                    .zip(unit_bytes)
                    .and_then(|(n, u)| n.checked_mul(u))
            }
            _ => None,
        };
        match parsed {
            Some(b) if (MEMORY_BYTES_MIN..=MEMORY_BYTES_MAX).contains(&b) => Some(b),
            _ => {
                self.bad(
                    span_of(v),
                    format!(
                        "`memory` is a size such as \"64MiB\" or \"1GiB\", from {} KiB (MEMORY_BYTES_MIN) to {} GiB (MEMORY_BYTES_MAX)",
                        MEMORY_BYTES_MIN >> 10,
                        MEMORY_BYTES_MAX >> 30
                    ),
                );
                None
            }
        }
    }

    fn place(&mut self, v: &Value<'_>) -> Option<Place> {
        let t = self.table(v, "place")?;
        let span = span_of(v);
        let mut patterns = Vec::new();
        let mut targets: Vec<(Target, Span)> = Vec::new();
        let mut headers = None;
        for (key, value) in t.iter() {
            match key.get_ref().as_ref() {
                "activities" => patterns = self.patterns(value),
                "wasm" => {
                    if let Some((component, s)) = self.string(value, "wasm") {
                        if component.is_empty() {
                            self.bad(s, "`wasm` is the path of a component file");
                        }
                        targets.push((Target::Wasm { component, span: s }, span_of(key)));
                    }
                }
                "worker" => {
                    if let Some((group, s)) = self.string(value, "worker") {
                        targets.push((Target::Worker { group, span: s }, span_of(key)));
                    }
                }
                "push" => {
                    if let Some((url, s)) = self.string(value, "push") {
                        if !(url.starts_with("http://") || url.starts_with("https://")) {
                            self.bad(s, format!("`push` is an http(s) URL, not {url:?}"));
                        }
                        targets.push((
                            Target::Push {
                                url,
                                headers: BTreeMap::new(),
                            },
                            span_of(key),
                        ));
                    }
                }
                "binding" => {
                    if let Some((b, s)) = self.string(value, "binding") {
                        let b = match b.as_str() {
                            "http" => Some(Binding::Http),
                            "grpc" => Some(Binding::Grpc),
                            _ => {
                                self.bad(
                                    s,
                                    "`binding` is \"http\" (the declaration's `@http`) or \"grpc\" (its `@grpc`)",
                                );
                                None
                            }
                        };
                        if let Some(b) = b {
                            targets.push((Target::Binding(b), span_of(key)));
                        }
                    }
                }
                "headers" => headers = Some((self.strings_map(value, "headers"), span_of(key))),
                _ => {}
            }
        }
        let limits = self.limits(
            t,
            "[[place]]",
            &["activities", "wasm", "worker", "push", "binding", "headers"],
        );
        if patterns.is_empty()
            && !self
                .diags
                .iter()
                .any(|d| d.code == codes::ACTIVITIES && span.contains(d.span.start))
        {
            self.diags.push(Diagnostic::error(
                codes::ACTIVITIES,
                span,
                "this placement names no activity: add `activities = [\"Name\", \"Prefix*\"]`",
            ));
        }
        let mut target = match targets.len() {
            1 => targets.pop().map(|(t, _)| t),
            0 => {
                let mut d = Diagnostic::error(
                    codes::TARGET,
                    span,
                    "this placement does not say where its activities run",
                );
                d.help = Some(
                    "add one of `wasm = \"component.wasm\"`, `worker = \"GROUP\"`, `push = \"https://...\"`, `binding = \"http\"` or `binding = \"grpc\"`".into(),
                );
                self.diags.push(d);
                None
            }
            _ => {
                self.diags.push(Diagnostic::error(
                    codes::TARGET,
                    targets[1].1,
                    "a placement has one target: `wasm`, `worker`, `push` or `binding`, not several",
                ));
                None
            }
        };
        if let Some((h, s)) = headers {
            match &mut target {
                Some(Target::Push { headers, .. }) => *headers = h,
                Some(_) => self.diags.push(Diagnostic::warning(
                    codes::LIMIT_IGNORED,
                    s,
                    "`headers` is for `push` placements; it is ignored here",
                )),
                None => {}
            }
        }
        let target = target?;
        Some(Place {
            span,
            patterns,
            target,
            limits,
        })
    }

    fn patterns(&mut self, v: &Value<'_>) -> Vec<Pattern> {
        let items: Vec<&Value<'_>> = match v.get_ref() {
            DeValue::Array(items) => items.iter().collect(),
            DeValue::String(_) => vec![v],
            _ => {
                self.diags.push(Diagnostic::error(
                    codes::ACTIVITIES,
                    span_of(v),
                    "`activities` is a list of names and patterns such as [\"Charge\", \"Send*\"]",
                ));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            let ok = match item.get_ref() {
                DeValue::String(s)
                    if !s.is_empty()
                        && s.len() <= PATTERN_BYTES_MAX
                        && s.chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '*') =>
                {
                    out.push(Pattern {
                        text: s.to_string(),
                        span: span_of(item),
                    });
                    true
                }
                _ => false,
            };
            if !ok {
                self.diags.push(Diagnostic::error(
                    codes::ACTIVITIES,
                    span_of(item),
                    format!("an activity name or pattern is letters, digits, `_` and `*` (any run of characters), at most {PATTERN_BYTES_MAX} bytes (PATTERN_BYTES_MAX)"),
                ));
            }
        }
        out
    }

    fn worker(
        &mut self,
        name: &Spanned<std::borrow::Cow<'_, str>>,
        v: &Value<'_>,
    ) -> Option<WorkerGroup> {
        let t = self.table(v, &format!("workers.{}", name.get_ref()))?;
        let span = span_of(name);
        if !is_kube_name(name.get_ref()) {
            self.bad(
                span,
                format!("a worker group's name becomes a Kubernetes name: lower-case letters, digits and `-`, starting with a letter, at most {GROUP_NAME_MAX} characters (GROUP_NAME_MAX)"),
            );
        }
        let mut g = WorkerGroup {
            name: name.get_ref().to_string(),
            span,
            image: None,
            min: 0,
            max: 1,
            ready_per_worker: None,
            oldest_ready_ms: None,
            env: BTreeMap::new(),
        };
        let mut max_span = span;
        for (key, value) in t.iter() {
            match key.get_ref().as_ref() {
                "image" => g.image = self.string(value, "image").map(|(s, _)| s),
                "min" => {
                    if let Some(n) = self.int(value, "min", 0, u64::from(WORKERS_MAX)) {
                        g.min = n as u32;
                    }
                }
                "max" => {
                    max_span = span_of(value);
                    if let Some(n) = self.int(value, "max", 1, u64::from(WORKERS_MAX)) {
                        g.max = n as u32;
                    }
                }
                "ready_per_worker" => {
                    g.ready_per_worker = self
                        .int(value, "ready_per_worker", 1, u64::from(CONCURRENCY_MAX))
                        .map(|n| n as u32)
                }
                "oldest_ready" => g.oldest_ready_ms = self.duration(value, "oldest_ready"),
                "env" => g.env = self.strings_map(value, "env"),
                other => self.unknown(
                    key,
                    other,
                    "image, min, max, ready_per_worker, oldest_ready, env",
                ),
            }
        }
        if g.min > g.max {
            self.diags.push(Diagnostic::error(
                codes::SCALING,
                max_span,
                format!("`max` ({}) is below `min` ({})", g.max, g.min),
            ));
        }
        if g.min < g.max && g.ready_per_worker.is_none() && g.oldest_ready_ms.is_none() {
            let mut d = Diagnostic::error(
                codes::SCALING,
                span,
                format!(
                    "worker group `{}` may scale from {} to {} workers but has no rule saying when",
                    g.name, g.min, g.max
                ),
            );
            d.help = Some("add `ready_per_worker = 10` (ready tasks per worker), `oldest_ready = \"30s\"` (age of the oldest ready task), or both".into());
            self.diags.push(d);
        }
        Some(g)
    }

    fn kubernetes(&mut self, t: &DeTable<'_>) -> Kubernetes {
        let mut k = Kubernetes::default();
        for (key, value) in t.iter() {
            match key.get_ref().as_ref() {
                "namespace" => {
                    if let Some((s, span)) = self.string(value, "namespace") {
                        if is_kube_name(&s) {
                            k.namespace = Some(s);
                        } else {
                            self.bad(span, "`namespace` is a Kubernetes name: lower-case letters, digits and `-`");
                        }
                    }
                }
                "prometheus" => {
                    if let Some((s, span)) = self.string(value, "prometheus") {
                        if s.starts_with("http://") || s.starts_with("https://") {
                            k.prometheus = s;
                        } else {
                            self.bad(span, "`prometheus` is the http(s) URL of the Prometheus server that scrapes Weft");
                        }
                    }
                }
                "weft_url" => {
                    if let Some((s, span)) = self.string(value, "weft_url") {
                        if s.starts_with("http://") || s.starts_with("https://") {
                            k.weft_url = s;
                        } else {
                            self.bad(
                                span,
                                "`weft_url` is the http(s) URL workers reach `weft serve` at",
                            );
                        }
                    }
                }
                other => self.unknown(key, other, "namespace, prometheus, weft_url"),
            }
        }
        k
    }
}

/// A DNS label as Kubernetes names objects: `[a-z]([-a-z0-9]*[a-z0-9])?`.
fn is_kube_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= GROUP_NAME_MAX
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
