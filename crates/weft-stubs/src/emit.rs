//! What the worker generators (Rust, TypeScript, Python) do alike: the
//! type definitions they write under names not taken yet, each activity
//! prepared the same way (its type names, its parameters as fields, the
//! binding table, the "not implemented" failure), and the file's layout.
//! What differs, each generator's own module writes: the syntax, and the
//! doc texts, which say different things in each language.

use std::collections::HashSet;
use std::marker::PhantomData;

use weft_check::contract::types::{Field, Type};

use crate::model::{Activity, Model};
use crate::naming::{pascal, quote};

/// The type definitions of a generated file, in order, and the names
/// they take.
pub(crate) struct Defs {
    /// The definitions, each its own text.
    pub list: Vec<String>,
    names: HashSet<String>,
}

impl Defs {
    /// No definitions yet; the names of the model's declared types are
    /// taken (they are defined under their own names).
    pub fn new(model: &Model) -> Defs {
        Defs {
            list: Vec::new(),
            names: model.types.iter().map(|(n, _)| pascal(n)).collect(),
        }
    }

    /// A type name not taken yet, based on `want` (`want`, `want2`, ...),
    /// which it then takes.
    pub fn fresh(&mut self, want: &str) -> String {
        let mut name = want.to_string();
        let mut i = 2;
        while !self.names.insert(name.clone()) {
            name = format!("{want}{i}");
            i += 1;
        }
        name
    }

    /// Adds a definition.
    pub fn push(&mut self, def: String) {
        self.list.push(def);
    }
}

/// One activity as every generator prepares it.
pub(crate) struct Prepared<'a> {
    /// The activity.
    pub activity: &'a Activity,
    /// `PascalCase` of its name: the stem of its type names.
    pub base: String,
    /// The name of the type of its parameters (`<Base>Params`, fresh).
    pub params_name: String,
    /// Its parameters as the fields of an object type.
    pub fields: Vec<Field>,
}

impl<'a> Prepared<'a> {
    /// Takes the activity's type names in `defs`.
    pub fn new(defs: &mut Defs, activity: &'a Activity) -> Prepared<'a> {
        let base = pascal(&activity.name);
        let params_name = defs.fresh(&format!("{base}Params"));
        let fields = activity
            .params
            .iter()
            .map(|p| Field {
                name: p.name.clone(),
                ty: p.ty.clone(),
                optional: p.optional,
            })
            .collect();
        Prepared {
            activity,
            base,
            params_name,
            fields,
        }
    }

    /// The doc of the parameters' type; `undeclared` says, in the
    /// generator's words, that an undeclared activity's are only what its
    /// calls pass.
    pub fn params_doc(&self, undeclared: &str) -> String {
        let name = &self.activity.name;
        if self.activity.declared {
            format!("The parameters of `{name}`.")
        } else {
            format!("The arguments of `{name}` as its calls pass them ({undeclared}).")
        }
    }

    /// The handler's function name: `cased` (the activity's name in the
    /// language's case), with `suffix` added when it is `reserved`.
    pub fn function(&self, cased: String, reserved: impl Fn(&str) -> bool, suffix: &str) -> String {
        if reserved(&cased) {
            cased + suffix
        } else {
            cased
        }
    }

    /// The string literal an unwritten handler fails with.
    pub fn not_implemented(&self) -> String {
        quote(&format!("not implemented: {}", self.activity.name))
    }

    /// The binding table of its parameters, in order: `pair` writes one
    /// (quoted name, optional) in the language's syntax.
    pub fn binding(&self, pair: impl Fn(&str, bool) -> String) -> String {
        self.activity
            .params
            .iter()
            .map(|p| pair(&quote(&p.name), p.optional))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A generator of a worker in language `L`: the definitions it writes.
/// Each language adds its own methods (`impl Gen<Python> { ... }`).
pub(crate) struct Gen<L> {
    /// The type definitions written so far.
    pub defs: Defs,
    language: PhantomData<L>,
}

/// A worker generator's language: how it writes a declared type and an
/// activity.
pub(crate) trait Language: Sized {
    /// The file's beginning, up to its type definitions.
    const HEADER: &'static str;
    /// The comment that opens the handlers, with the lines around it.
    const ACTIVITIES: &'static str;

    /// Defines the program's type `name`.
    fn declared_type(g: &mut Gen<Self>, name: &str, ty: &Type);

    /// Writes the handler of an activity to `handlers`, and its entry in
    /// the table that routes tasks to handlers to `table`.
    fn activity(g: &mut Gen<Self>, p: Prepared<'_>, handlers: &mut String, table: &mut String);
}

impl<L: Language> Gen<L> {
    /// A generator for `model`'s worker.
    pub fn new(model: &Model) -> Gen<L> {
        Gen {
            defs: Defs::new(model),
            language: PhantomData,
        }
    }

    /// The worker file up to and including its handlers (the header, the
    /// type definitions, the handlers), and the handlers' table; the
    /// caller writes the rest.
    pub fn worker(&mut self, model: &Model) -> (String, String) {
        for (name, ty) in &model.types {
            L::declared_type(self, name, ty);
        }
        let (mut handlers, mut table) = (String::new(), String::new());
        for a in &model.activities {
            let p = Prepared::new(&mut self.defs, a);
            L::activity(self, p, &mut handlers, &mut table);
        }
        let mut out = String::from(L::HEADER);
        for d in &self.defs.list {
            out.push('\n');
            out.push_str(d);
        }
        out.push_str(L::ACTIVITIES);
        out.push_str(&handlers);
        (out, table)
    }
}
