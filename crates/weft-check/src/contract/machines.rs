//! The machines of a program as tools see them (the typed clients of
//! `weft stubs --client`): each machine's state type and each command's
//! input type, read from every `machine` block by the rules the checker and
//! the engine follow (`docs/language.md`, "Machines").

use super::shapes::{shape_type, Role};
use crate::contract::types::Type;
use crate::SourceFile;
use weft_syntax::ast::CommandForm;

/// A machine of a program.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineContract {
    /// Its name, as the API addresses it.
    pub name: String,
    /// The type of its state (`None`: no `state` declared, anything).
    pub state: Option<Type>,
    /// Its commands, in declaration order (over every block).
    pub commands: Vec<CommandContract>,
}

/// A command of a machine.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandContract {
    /// Its name.
    pub name: String,
    /// What it takes: `None` for `command Name()` (no input), `Some(Any)`
    /// for an input without a type.
    pub input: Option<Type>,
}

/// The machines of the program `files`, in the order their names first
/// appear. A member declared twice (E0300) counts once: the first.
pub fn machines(files: &[SourceFile<'_>]) -> Vec<MachineContract> {
    let mut out: Vec<MachineContract> = Vec::new();
    for f in files {
        for m in f.module.machines() {
            let i = match out.iter().position(|c| c.name == m.name.name) {
                Some(i) => i,
                None => {
                    out.push(MachineContract {
                        name: m.name.name.clone(),
                        state: None,
                        commands: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let c = &mut out[i];
            if c.state.is_none() {
                c.state = m.states().next().map(|s| shape_type(&s.shape, Role::State));
            }
            for cmd in m.commands() {
                if c.commands.iter().any(|k| k.name == cmd.name.name) {
                    continue;
                }
                let input = match (cmd.form, &cmd.param, &cmd.shape) {
                    (CommandForm::Shape, _, Some(shape)) => Some(shape_type(shape, Role::Input)),
                    (_, Some(p), _) => Some(p.ty.as_ref().map_or(Type::Any, Type::from_ast)),
                    _ => None,
                };
                c.commands.push(CommandContract {
                    name: cmd.name.name.clone(),
                    input,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::types::Field;

    fn of(text: &str) -> Vec<MachineContract> {
        let parse = weft_syntax::parse(text);
        assert!(parse.diagnostics.is_empty(), "{:?}", parse.diagnostics);
        machines(&[SourceFile {
            name: "m.weft",
            module: &parse.module,
        }])
    }

    fn field(name: &str, ty: Type, optional: bool) -> Field {
        Field {
            name: name.into(),
            ty,
            optional,
        }
    }

    #[test]
    fn both_forms_over_several_blocks() {
        let m = of(r#"machine Counter {
    state { total: number = 0 }
    command Add(input: {n: number}) { return {total: state.total + input.n} }
    command Reset() { state.total = 0 }
}
machine channels {
    Confirm{ code = "", kind = "a" | "b" }
}
machine channels {
    on Confirm(input) { return state }
}
"#);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].name, "Counter");
        assert_eq!(
            m[0].state,
            Some(Type::Object {
                fields: vec![field("total", Type::Number, false)],
                open: false
            })
        );
        let add = &m[0].commands[0];
        assert_eq!(add.name, "Add");
        assert_eq!(
            add.input,
            Some(Type::Object {
                fields: vec![field("n", Type::Number, false)],
                open: false
            })
        );
        assert_eq!(m[0].commands[1].input, None);
        assert_eq!(m[1].state, None);
        assert_eq!(
            m[1].commands[0].input,
            Some(Type::Object {
                fields: vec![
                    field("code", Type::String, true),
                    field(
                        "kind",
                        Type::Union(vec![Type::Literal("a".into()), Type::Literal("b".into())]),
                        false
                    ),
                ],
                open: false
            })
        );
    }
}
