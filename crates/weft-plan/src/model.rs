//! What a plan says, once read: placements in file order, worker groups,
//! defaults, and the Kubernetes export's settings.

use std::collections::BTreeMap;
use weft_syntax::Span;

/// What a deploy does when an activity the program calls has no placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unplaced {
    /// The deploy is refused (the default).
    Refuse,
    /// The deploy goes ahead with a warning; the activity goes to the pull
    /// queue under its own name, as without a plan.
    Warn,
}

/// Calls started per second, at most.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    /// Calls allowed per period.
    pub calls: u32,
    /// The period, in milliseconds.
    pub per_ms: i64,
}

impl Rate {
    /// The rate in calls per second.
    pub fn per_second(self) -> f64 {
        f64::from(self.calls) * 1000.0 / self.per_ms as f64
    }
}

/// Limits of a placement; unset ones come from `[defaults]`, then from the
/// server's own defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits {
    /// Calls of one activity in flight at once, at most.
    pub concurrency: Option<u32>,
    /// Calls of one activity started per period, at most.
    pub rate: Option<Rate>,
    /// Longest attempt when the call has no `@timeout` (embedded and push
    /// placements).
    pub timeout_ms: Option<i64>,
    /// Largest linear memory of one instance (embedded placements).
    pub memory_bytes: Option<u64>,
}

impl Limits {
    /// `self`, with what it leaves unset taken from `fallback`.
    pub fn or(&self, fallback: &Limits) -> Limits {
        Limits {
            concurrency: self.concurrency.or(fallback.concurrency),
            rate: self.rate.or(fallback.rate),
            timeout_ms: self.timeout_ms.or(fallback.timeout_ms),
            memory_bytes: self.memory_bytes.or(fallback.memory_bytes),
        }
    }
}

/// A name or a pattern of names (`*` stands for any run of characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// As written.
    pub text: String,
    /// Where.
    pub span: Span,
}

impl Pattern {
    /// True when `name` matches.
    pub fn matches(&self, name: &str) -> bool {
        glob(self.text.as_bytes(), name.as_bytes())
    }
}

/// `*` matches any run of bytes; everything else matches itself.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    // Iterative matching with one back-track point: linear in practice and
    // never exponential, whatever the pattern.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, n));
            p += 1;
        } else if p < pattern.len() && pattern[p] == name[n] {
            p += 1;
            n += 1;
        } else if let Some((sp, sn)) = star {
            p = sp + 1;
            n = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// A binding that the program's own declarations define.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// `@http(...)` on the activity's declaration.
    Http,
    /// `@grpc(...)` on the activity's declaration.
    Grpc,
}

impl Binding {
    /// The annotation's name (and the plan's word for it).
    pub fn annotation(self) -> &'static str {
        match self {
            Binding::Http => "http",
            Binding::Grpc => "grpc",
        }
    }
}

/// Where the calls of a placement's activities go.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Embedded: a WebAssembly component run inside the server.
    Wasm {
        /// The component's file, relative to the plan's folder.
        component: String,
        /// Where it is written.
        span: Span,
    },
    /// Remote pull workers of a group declared under `[workers]`, polling
    /// the task queue.
    Worker {
        /// The group's name.
        group: String,
        /// Where it is written.
        span: Span,
    },
    /// A push endpoint: each attempt is POSTed there.
    Push {
        /// The endpoint.
        url: String,
        /// Extra headers sent with each attempt.
        headers: BTreeMap<String, String>,
    },
    /// The binding the activity's declaration carries.
    Binding(Binding),
}

impl Target {
    /// One word for the kind of placement (`wasm`, `worker`, `push`,
    /// `http`, `grpc`), as `weft plan show` and the API print it.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Wasm { .. } => "wasm",
            Target::Worker { .. } => "worker",
            Target::Push { .. } => "push",
            Target::Binding(b) => b.annotation(),
        }
    }

    /// What it names: the component, the group, the URL or the binding.
    pub fn detail(&self) -> String {
        match self {
            Target::Wasm { component, .. } => component.clone(),
            Target::Worker { group, .. } => group.clone(),
            Target::Push { url, .. } => url.clone(),
            Target::Binding(b) => format!("@{} in the program", b.annotation()),
        }
    }
}

/// One `[[place]]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The table's header.
    pub span: Span,
    /// The names and patterns it places.
    pub patterns: Vec<Pattern>,
    /// Where their calls go.
    pub target: Target,
    /// Its limits (unset: the defaults).
    pub limits: Limits,
}

/// Remote workers that one Kubernetes Deployment runs, scaled by KEDA.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerGroup {
    /// Its name (`[workers.NAME]`).
    pub name: String,
    /// The table's header.
    pub span: Span,
    /// The container image the workers run.
    pub image: Option<String>,
    /// Fewest workers (0 scales to zero).
    pub min: u32,
    /// Most workers.
    pub max: u32,
    /// Scale so that each worker has about this many ready tasks.
    pub ready_per_worker: Option<u32>,
    /// Scale up while the oldest ready task is older than this (ms).
    pub oldest_ready_ms: Option<i64>,
    /// Environment variables of the workers' container.
    pub env: BTreeMap<String, String>,
}

/// `[kubernetes]`: what the export needs to know of the cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Kubernetes {
    /// The namespace of the exported objects (none: the current one).
    pub namespace: Option<String>,
    /// The Prometheus server that scrapes `weft serve`'s `/metrics`.
    pub prometheus: String,
    /// Where workers reach the server (`WEFT_URL` in their environment).
    pub weft_url: String,
}

/// The Prometheus address when the plan names none.
pub const PROMETHEUS_DEFAULT: &str = "http://prometheus.monitoring.svc:9090";

/// The server's address for workers when the plan names none.
pub const WEFT_URL_DEFAULT: &str = "http://weft:7400";

impl Default for Kubernetes {
    fn default() -> Self {
        Kubernetes {
            namespace: None,
            prometheus: PROMETHEUS_DEFAULT.into(),
            weft_url: WEFT_URL_DEFAULT.into(),
        }
    }
}

/// A plan file, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// What a deploy does with an activity that has no placement.
    pub unplaced: Unplaced,
    /// Limits of placements that leave them unset.
    pub defaults: Limits,
    /// Placements, in file order: the first that matches an activity wins.
    pub places: Vec<Place>,
    /// Worker groups by name, in file order.
    pub workers: Vec<WorkerGroup>,
    /// Export settings.
    pub kubernetes: Kubernetes,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            unplaced: Unplaced::Refuse,
            defaults: Limits::default(),
            places: Vec::new(),
            workers: Vec::new(),
            kubernetes: Kubernetes::default(),
        }
    }
}

impl Plan {
    /// The placement of `activity`: the first whose patterns match it.
    pub fn place_of(&self, activity: &str) -> Option<(usize, &Place)> {
        self.places
            .iter()
            .enumerate()
            .find(|(_, p)| p.patterns.iter().any(|pat| pat.matches(activity)))
    }

    /// The worker group called `name`.
    pub fn worker(&self, name: &str) -> Option<&WorkerGroup> {
        self.workers.iter().find(|w| w.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Pattern {
        Pattern {
            text: s.into(),
            span: Span::default(),
        }
    }

    #[test]
    fn patterns() {
        assert!(pat("Send*").matches("SendEmail"));
        assert!(pat("Send*").matches("Send"));
        assert!(!pat("Send*").matches("Resend"));
        assert!(pat("*Email").matches("SendEmail"));
        assert!(pat("*").matches(""));
        assert!(pat("A*B*C").matches("AxxBxxBxxC"));
        assert!(!pat("A*B*C").matches("AxxBxx"));
        assert!(pat("Charge").matches("Charge"));
        assert!(!pat("Charge").matches("ChargeCard"));
        // Many stars against a long name stay fast (no exponential
        // back-tracking).
        let long = "a".repeat(10_000);
        assert!(!pat("*a*a*a*a*a*a*a*b").matches(&long));
    }
}
