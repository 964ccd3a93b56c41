//! The outline of a file: its items (flows, activity and type
//! declarations), with inline flows nested in the flow that writes them.

use super::resolve::{ItemKind, ScopeKind};
use super::File;
use weft_syntax::Span;

/// What a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A top-level flow.
    Flow,
    /// An inline flow.
    InlineFlow,
    /// An activity declaration.
    Activity,
    /// A `type` declaration.
    Type,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Its name.
    pub name: String,
    /// Its parameters or inputs, as written: `(order, carrier)`; a
    /// declaration's signature after its name: `(nick: string) -> int`,
    /// `= [Pet]`.
    pub detail: String,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole construct.
    pub span: Span,
    /// Its name.
    pub name_span: Span,
    /// The symbols inside it.
    pub children: Vec<Symbol>,
}

/// The outline of `file`.
pub fn document_symbols(file: &File) -> Vec<Symbol> {
    let index = &file.index;
    // The nearest named scope around each scope (a `func` has no symbol;
    // the inline flows inside it belong to the flow around it).
    let mut owner: Vec<Option<usize>> = Vec::with_capacity(index.scopes.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); index.scopes.len()];
    for (id, s) in index.scopes.iter().enumerate() {
        let parent_owner = s.parent.and_then(|p| {
            if index.scopes[p].kind == ScopeKind::Func {
                owner[p]
            } else {
                Some(p)
            }
        });
        owner.push(parent_owner);
        if s.kind == ScopeKind::InlineFlow {
            if let Some(o) = parent_owner {
                children[o].push(id);
            }
        }
    }
    fn build(file: &File, children: &[Vec<usize>], id: usize) -> Option<Symbol> {
        let s = &file.index.scopes[id];
        let name = s.name.as_ref()?;
        Some(Symbol {
            name: name.name.clone(),
            detail: s.params.clone(),
            kind: match s.kind {
                ScopeKind::InlineFlow => SymbolKind::InlineFlow,
                _ => SymbolKind::Flow,
            },
            span: s.span,
            name_span: name.span,
            children: children[id]
                .iter()
                .filter_map(|&c| build(file, children, c))
                .collect(),
        })
    }
    let mut out = Vec::new();
    for item in &index.items {
        let declaration = |kind| Symbol {
            name: item.name.name.clone(),
            detail: item.detail(),
            kind,
            span: item.span,
            name_span: item.name.span,
            children: Vec::new(),
        };
        match item.kind {
            ItemKind::Activity { .. } if !item.name.name.is_empty() => {
                out.push(declaration(SymbolKind::Activity))
            }
            ItemKind::Type { .. } if !item.name.name.is_empty() => {
                out.push(declaration(SymbolKind::Type))
            }
            ItemKind::Activity { .. } | ItemKind::Type { .. } => {}
            ItemKind::Flow { .. } => {
                let scope = index
                    .scopes
                    .iter()
                    .position(|s| s.parent.is_none() && s.span == item.span);
                if let Some(sym) = scope.and_then(|id| build(file, &children, id)) {
                    out.push(sym);
                }
            }
        }
    }
    out
}

/// A symbol of a workspace: one of [`document_symbols`], flattened, with
/// the name of the flow it is written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    /// The symbol (its children dropped: they are listed too).
    pub symbol: Symbol,
    /// The flow around it, for an inline flow.
    pub container: Option<String>,
}

/// The symbols of `file` whose names hold the characters of `query` in
/// order (in any case; every symbol for an empty query).
pub fn workspace_symbols(file: &File, query: &str) -> Vec<WorkspaceSymbol> {
    fn flatten(s: Symbol, container: Option<String>, out: &mut Vec<WorkspaceSymbol>) {
        let children = s.children.clone();
        let name = s.name.clone();
        out.push(WorkspaceSymbol {
            symbol: Symbol {
                children: Vec::new(),
                ..s
            },
            container,
        });
        for c in children {
            flatten(c, Some(name.clone()), out);
        }
    }
    let mut all = Vec::new();
    for s in document_symbols(file) {
        flatten(s, None, &mut all);
    }
    let query: Vec<char> = query.chars().map(|c| c.to_ascii_lowercase()).collect();
    all.retain(|w| {
        let mut name = w.symbol.name.chars().map(|c| c.to_ascii_lowercase());
        query.iter().all(|q| name.any(|n| n == *q))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_inline_flows() {
        let file = File::new(
            "a.weft",
            "flow A(x) {\n  a = flow B(x) {\n    c = C(x) {\n      return 1\n    }\n  }\n  f = func() { return flow D() { return 2 } }\n}\nflow E() {}\n",
        );
        let outline: Vec<String> = document_symbols(&file)
            .iter()
            .map(|s| {
                let kids: Vec<String> = s
                    .children
                    .iter()
                    .map(|c| {
                        let g: Vec<&str> = c.children.iter().map(|g| g.name.as_str()).collect();
                        format!("{}{}[{}]", c.name, c.detail, g.join(","))
                    })
                    .collect();
                format!("{}{} {{{}}}", s.name, s.detail, kids.join(" "))
            })
            .collect();
        assert_eq!(outline, ["A(x) {B(x)[C] D()[]}", "E() {}"]);
    }

    #[test]
    fn declarations() {
        let file = File::new(
            "a.weft",
            "type Card = {number: string, holder?: string}\nactivity Charge(card: Card, note?: string) -> {id: string} @http(method: \"POST\", url: \"https://x.test/c\", body: \"card\", query: [\"note\"])\nflow A(x) { return Charge(x) }\n",
        );
        let outline: Vec<String> = document_symbols(&file)
            .iter()
            .map(|s| format!("{:?} {} {}", s.kind, s.name, s.detail))
            .collect();
        assert_eq!(
            outline,
            [
                "Type Card = {number: string, holder?: string}",
                "Activity Charge (card: Card, note?: string) -> {id: string}",
                "Flow A (x)"
            ]
        );
    }

    #[test]
    fn workspace_symbols_match_the_query() {
        let file = File::new(
            "a.weft",
            "type Card = {n: string}\nactivity ChargeCard(c: Card)\nflow Checkout(x) {\n  h = flow Charging(x) { return 1 }\n  return h\n}\n",
        );
        let names = |q: &str| -> Vec<String> {
            workspace_symbols(&file, q)
                .into_iter()
                .map(|w| match w.container {
                    Some(c) => format!("{c}/{}", w.symbol.name),
                    None => w.symbol.name,
                })
                .collect()
        };
        assert_eq!(
            names(""),
            ["Card", "ChargeCard", "Checkout", "Checkout/Charging"]
        );
        assert_eq!(names("chg"), ["ChargeCard", "Checkout/Charging"]);
        assert_eq!(names("zz"), Vec::<String>::new());
    }
}
