//! Inlay hints: the types the checker infers for variables (from the
//! contracts of declared activities, literals and fields), and which calls
//! fork and where the flow waits for them (`weft_check::forks`: the one
//! rule, which tools share).

use super::resolve::{Role, Target, VarKind};
use super::Program;
use weft_check::ForkKind;
use weft_syntax::Span;

/// Longest type shown in a hint, in characters; a longer one is cut with
/// `…` (its tooltip has it whole).
pub const HINT_TYPE_CHARS_MAX: usize = 48;

/// What a hint says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintKind {
    /// A variable's type, after its definition.
    Type,
    /// A call or inline flow that starts concurrently, before it.
    Fork,
    /// Where the flow waits for branches, after the join.
    Wait,
}

/// One hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// Where it is shown (before the character at this offset).
    pub at: u32,
    /// What it shows.
    pub label: String,
    /// What it is.
    pub kind: HintKind,
    /// More, on hover.
    pub tooltip: String,
}

/// The hints of file `file` within `range`, in order.
pub fn hints(program: &Program, file: usize, range: Span) -> Vec<Hint> {
    let Some(f) = program.files.get(file) else {
        return Vec::new();
    };
    let within = |at: u32| range.start <= at && at <= range.end;
    let sources = program.sources();
    let mut out = Vec::new();

    // Types of variables, at their definitions.
    let known = weft_check::variable_types(&sources);
    for r in &f.index.refs {
        let Target::Var(id) = r.target else { continue };
        if r.role != Role::Def || !within(r.span.end) {
            continue;
        }
        let var = &f.index.vars[id];
        if matches!(var.kind, VarKind::Param | VarKind::Input) {
            continue;
        }
        let ty = known
            .iter()
            .rev()
            .filter(|k| k.file == file && k.body.start <= r.span.start && r.span.end <= k.body.end)
            .find_map(|k| k.vars.get(&var.name))
            .cloned()
            .flatten();
        let Some(ty) = ty else { continue };
        let full = ty.to_string();
        let shown = if full.chars().count() > HINT_TYPE_CHARS_MAX {
            let cut: String = full.chars().take(HINT_TYPE_CHARS_MAX - 1).collect();
            format!("{cut}…")
        } else {
            full.clone()
        };
        out.push(Hint {
            at: r.span.end,
            label: format!(": {shown}"),
            kind: HintKind::Type,
            tooltip: format!("`{}: {full}`, as the checker infers it", var.name),
        });
    }

    // Forks and joins.
    let found = weft_check::forks(&sources)
        .into_iter()
        .nth(file)
        .unwrap_or_default();
    let line_of = |at: u32| f.lines.line_col(&f.text, at).line;
    for fork in &found.forks {
        if !within(fork.span.start) {
            continue;
        }
        let tooltip = match (fork.kind, fork.join) {
            (ForkKind::InlineFlow, _) => "An inline flow: its child run starts here and this flow goes on; it waits where it uses the result.".to_string(),
            (ForkKind::Assigned, Some(j)) => format!(
                "Starts as a branch; joined at line {} (`{}`). The flow goes on meanwhile.",
                line_of(j.start),
                f.slice(j).trim()
            ),
            (ForkKind::PerElement, Some(j)) => format!(
                "Runs once per element, all at once; `{}` on line {} waits for every one.",
                f.slice(j),
                line_of(j.start)
            ),
            (_, Some(j)) => format!(
                "A branch: `{}` on line {} starts it with the others of its list, and waits for them.",
                f.slice(j).trim(),
                line_of(j.start)
            ),
            (_, None) => "Starts concurrently.".to_string(),
        };
        out.push(Hint {
            at: fork.span.start,
            label: "fork".to_string(),
            kind: HintKind::Fork,
            tooltip,
        });
    }
    for join in &found.joins {
        if !within(join.span.end) {
            continue;
        }
        let label = match (join.builtin, join.branches) {
            ("ParallelForEach", _) => "waits for every element".to_string(),
            ("WaitForAny", Some(n)) => format!("waits for the first of {n}"),
            ("WaitForAny", None) => "waits for the first branch".to_string(),
            (_, Some(1)) => "waits for 1 branch".to_string(),
            (_, Some(n)) => format!("waits for {n} branches"),
            (_, None) => "waits for its branches".to_string(),
        };
        out.push(Hint {
            at: join.span.end,
            label,
            kind: HintKind::Wait,
            tooltip: format!(
                "`{}` starts its branches together and the flow waits here.",
                join.builtin
            ),
        });
    }
    out.sort_by_key(|h| h.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// The hints as `line:col label`.
    fn show(text: &str) -> Vec<String> {
        let (p, f, _) = fixture::parse(text);
        let file = &p.files[f];
        hints(&p, f, Span::new(0, file.text.len()))
            .iter()
            .map(|h| {
                let lc = file.lines.line_col(&file.text, h.at);
                format!("{}:{} {}", lc.line, lc.col, h.label)
            })
            .collect()
    }

    #[test]
    fn types_from_contracts() {
        let got = show(
            "//- c.weft\nactivity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}\nactivity Big() -> {aaaaaaaaaa: string, bbbbbbbbbb: string, cccccccccc: string}\n//- main.weft\nflow A(input) {\n    reserved = ReserveNick(input.nick)\n    n = 1\n    s = reserved.status\n    b = Big()\n    x = input.y$0\n    return [reserved, n, s, b, x]\n}\n",
        );
        assert_eq!(
            got,
            [
                "2:13 : {status: string, nick: string, ID: int}",
                "3:6 : int",
                "4:6 : string",
                "5:6 : {aaaaaaaaaa: string, bbbbbbbbbb: string, cccccc…",
            ]
        );
    }

    #[test]
    fn forks_and_waits() {
        let got = show(
            "flow A(o) {\n    r = WaitAll([Check(o), Pay(o)])$0\n    it = flow SetupIT(o) { return 1 }\n    any = WaitForAny([it, Sleep(1h)])\n    return [r, any]\n}\n",
        );
        assert_eq!(
            got,
            [
                "2:18 fork",
                "2:28 fork",
                "2:36 waits for 2 branches",
                "3:10 fork",
                // `it` is a handle, waited for; `Sleep(1h)` a branch.
                "4:27 fork",
                "4:38 waits for the first of 2",
            ]
        );
    }

    #[test]
    fn fork_by_assignment() {
        let text = "flow A(o) {\n    c = Check(o)\n    Log(o)\n    r = WaitAll([c, Pay(o)])$0\n    return r\n}\n";
        assert_eq!(
            show(text),
            ["2:9 fork", "4:21 fork", "4:29 waits for 2 branches"]
        );
        let (program, file, _) = fixture::parse(text);
        let all = hints(&program, file, Span::new(0, program.files[file].text.len()));
        let fork = all.iter().find(|h| h.kind == HintKind::Fork).unwrap();
        assert_eq!(
            fork.tooltip,
            "Starts as a branch; joined at line 4 (`WaitAll`). The flow goes on meanwhile."
        );
    }
}
