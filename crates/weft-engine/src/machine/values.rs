//! Instructions on values: variables, fields and elements, assignment
//! along a path, operators, lists and objects, `for` loops.
//!
//! An instruction that fails here (reading a field of `null`, dividing by
//! zero, a list past its limit) fails its fiber with its operands put back,
//! so an operator's retry evaluates it again.

use std::sync::Arc;
use weft_syntax::ast::{BinaryOp, UnaryOp};

use crate::limits;
use crate::ops;
use crate::value::Value;

use super::{FiberId, Machine, Step};

impl Machine<'_> {
    /// `Load`: pushes a variable. A variable holding a sub-flow's handle
    /// gives the child's result (and waits for it first).
    pub(super) fn load(&mut self, id: FiberId, slot: u16) -> Step {
        let mut value = self.frame(id).locals[slot as usize].clone();
        if let Value::Handle(child) = value {
            value = self.handle_in_variable(id, slot, child)?;
        }
        self.push(id, value)
    }

    /// `Store`: pops into a variable.
    pub(super) fn store(&mut self, id: FiberId, slot: u16) {
        let value = self.pop(id);
        self.frame_mut(id).locals[slot as usize] = value;
    }

    /// `GetField`: a field of an object (`null` when it has none).
    pub(super) fn get_field(&mut self, id: FiberId, key: u32) -> Step {
        let object = self.pop(id);
        let key = self.program.consts[key as usize].to_text();
        match &object {
            Value::Object(fields) => {
                let value = fields.get(&key).cloned().unwrap_or_default();
                self.push(id, value)
            }
            other => {
                let message = format!("cannot read field `{key}` of {}", describe(other));
                Err(self.fail_instruction(id, vec![object], message))
            }
        }
    }

    /// `GetIndex`: an element of a list or string, a field of an object.
    pub(super) fn get_index(&mut self, id: FiberId) -> Step {
        let key = self.pop(id);
        let container = self.pop(id);
        match index(&container, &key) {
            Ok(value) => self.push(id, value),
            Err(message) => Err(self.fail_instruction(id, vec![container, key], message)),
        }
    }

    /// `SetPath`: `root.k1[k2]... = value` (or `op=`). The variable changes
    /// only when the whole assignment succeeds.
    pub(super) fn set_path(
        &mut self,
        id: FiberId,
        slot: u16,
        depth: u8,
        op: Option<BinaryOp>,
    ) -> Step {
        let value = self.pop(id);
        let keys = self.pop_n(id, depth as usize);
        let mut root = self.frame(id).locals[slot as usize].clone();
        match assign_path(&mut root, &keys, value.clone(), op) {
            Ok(()) => {
                self.frame_mut(id).locals[slot as usize] = root;
                Ok(())
            }
            Err(message) => {
                let mut operands = keys;
                operands.push(value);
                Err(self.fail_instruction(id, operands, message))
            }
        }
    }

    /// `Unary`: a prefix operator.
    pub(super) fn unary(&mut self, id: FiberId, op: UnaryOp) -> Step {
        let operand = self.pop(id);
        match ops::unary(op, &operand) {
            Ok(result) => self.push(id, result),
            Err(message) => Err(self.fail_instruction(id, vec![operand], message)),
        }
    }

    /// `Binary`: an infix operator.
    pub(super) fn binary(&mut self, id: FiberId, op: BinaryOp) -> Step {
        let right = self.pop(id);
        let left = self.pop(id);
        match ops::binary(op, &left, &right) {
            Ok(result) => self.push(id, result),
            Err(message) => Err(self.fail_instruction(id, vec![left, right], message)),
        }
    }

    /// `ListPush`: appends to the list below, up to `LIST_LEN_MAX`.
    pub(super) fn list_push(&mut self, id: FiberId) -> Step {
        let value = self.pop(id);
        let too_long = match self.fiber_mut(id).stack.last_mut() {
            Some(Value::List(items)) => {
                if items.len() >= limits::LIST_LEN_MAX {
                    true
                } else {
                    Arc::make_mut(items).push(value.clone());
                    false
                }
            }
            _ => unreachable!("the compiler pushes a list first"),
        };
        if too_long {
            return Err(self.fail_instruction(
                id,
                vec![value],
                format!(
                    "list longer than the limit of {} elements",
                    limits::LIST_LEN_MAX
                ),
            ));
        }
        Ok(())
    }

    /// `ObjSet`: sets a field of the object below.
    pub(super) fn object_set(&mut self, id: FiberId, key: u32) {
        let value = self.pop(id);
        let key = self.program.consts[key as usize].to_text();
        match self.fiber_mut(id).stack.last_mut() {
            Some(Value::Object(fields)) => {
                Arc::make_mut(fields).insert(key, value);
            }
            _ => unreachable!("the compiler pushes an object first"),
        }
    }

    /// `ObjSpread`: copies an object's fields into the object below
    /// (`null` adds nothing).
    pub(super) fn object_spread(&mut self, id: FiberId) -> Step {
        let source = self.pop(id);
        match &source {
            Value::Object(from) => match self.fiber_mut(id).stack.last_mut() {
                Some(Value::Object(fields)) => {
                    let fields = Arc::make_mut(fields);
                    for (k, v) in from.iter() {
                        // Later keys win: a spread replaces earlier fields.
                        fields.shift_remove(k);
                        fields.insert(k.clone(), v.clone());
                    }
                    Ok(())
                }
                _ => unreachable!("the compiler pushes an object first"),
            },
            Value::Null => Ok(()),
            other => {
                let message = format!(
                    "cannot spread {} into an object (`..` needs an object)",
                    describe(other)
                );
                Err(self.fail_instruction(id, vec![source], message))
            }
        }
    }

    /// `IterInit`: takes what a `for` loop iterates over, as a list, into a
    /// hidden variable (so changing the loop's source changes nothing).
    pub(super) fn iter_init(&mut self, id: FiberId, list: u16, index: u16) -> Step {
        let iterable = self.pop(id);
        let items = match &iterable {
            Value::List(_) => iterable.clone(),
            Value::Object(fields) => Value::list(fields.keys().map(|k| Value::str(k)).collect()),
            Value::Str(text) => Value::list(
                text.chars()
                    .map(|c| Value::str(c.encode_utf8(&mut [0; 4])))
                    .collect(),
            ),
            other => {
                let message = format!(
                    "cannot iterate over {} (`for` needs a list, an object or a string)",
                    describe(other)
                );
                return Err(self.fail_instruction(id, vec![iterable], message));
            }
        };
        let frame = self.frame_mut(id);
        frame.locals[list as usize] = items;
        frame.locals[index as usize] = Value::Int(0);
        Ok(())
    }

    /// `IterNext`: the loop variable takes the next element, or the loop
    /// ends (and lets go of its list).
    pub(super) fn iter_next(&mut self, id: FiberId, list: u16, index: u16, var: u16, exit: u32) {
        let frame = self.frame_mut(id);
        let position = match frame.locals[index as usize] {
            Value::Int(i) => i as usize,
            _ => 0,
        };
        let next = match &frame.locals[list as usize] {
            Value::List(items) => items.get(position).cloned(),
            _ => None,
        };
        match next {
            Some(value) => {
                frame.locals[var as usize] = value;
                frame.locals[index as usize] = Value::Int(position as i64 + 1);
            }
            None => {
                frame.locals[list as usize] = Value::Null;
                frame.pc = exit;
            }
        }
    }
}

/// A value as named in error messages: its type, and short values in full.
pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Str(s) if s.len() <= 40 => format!("the string {:?}", s.as_ref()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            format!("{} `{}`", v.type_name(), v.to_text())
        }
        other => other.type_name().to_string(),
    }
}

/// `container[key]`: an element of a list or string (`null` past the end),
/// a field of an object.
fn index(container: &Value, key: &Value) -> Result<Value, String> {
    match (container, key) {
        (Value::List(items), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("list index {i} is negative"));
            }
            Ok(items.get(i as usize).cloned().unwrap_or_default())
        }
        (Value::Object(fields), Value::Str(k)) => {
            Ok(fields.get(k.as_ref()).cloned().unwrap_or_default())
        }
        (Value::Object(_), other) => Err(format!(
            "an object's key must be a string, not {}",
            describe(other)
        )),
        (Value::Str(text), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("string index {i} is negative"));
            }
            Ok(text
                .chars()
                .nth(i as usize)
                .map(|c| Value::str(c.encode_utf8(&mut [0; 4])))
                .unwrap_or_default())
        }
        (other, _) => Err(format!("cannot index {}", describe(other))),
    }
}

fn whole_index(i: &Value) -> Result<i64, String> {
    match i {
        Value::Int(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
        other => Err(format!(
            "a list index must be a whole number, not {}",
            describe(other)
        )),
    }
}

/// `root.k1[k2]... = value` (or `op=`), copying shared lists and objects.
/// A new field can be added at the end of the path only; an index equal to
/// a list's length appends.
fn assign_path(
    root: &mut Value,
    keys: &[Value],
    value: Value,
    op: Option<BinaryOp>,
) -> Result<(), String> {
    let Some((key, rest)) = keys.split_first() else {
        *root = match op {
            None => value,
            Some(op) => ops::binary(op, root, &value)?,
        };
        return Ok(());
    };
    match (root, key) {
        (Value::Object(fields), Value::Str(k)) => {
            let fields = Arc::make_mut(fields);
            if !fields.contains_key(k.as_ref()) {
                if fields.len() >= limits::LIST_LEN_MAX {
                    return Err(format!(
                        "object larger than the limit of {} fields",
                        limits::LIST_LEN_MAX
                    ));
                }
                if !rest.is_empty() {
                    return Err(format!("cannot set a field inside `{k}`: it is not set"));
                }
                fields.insert(k.to_string(), Value::Null);
            }
            let field = fields.get_mut(k.as_ref()).expect("inserted above");
            assign_path(field, rest, value, op)
        }
        (Value::List(items), i) => {
            let i = whole_index(i)?;
            let len = items.len() as i64;
            if i < 0 || i > len || (i == len && !rest.is_empty()) {
                return Err(format!(
                    "list index {i} is out of range (the list has {len} elements)"
                ));
            }
            let items = Arc::make_mut(items);
            if i == len {
                if items.len() >= limits::LIST_LEN_MAX {
                    return Err(format!(
                        "list longer than the limit of {} elements",
                        limits::LIST_LEN_MAX
                    ));
                }
                items.push(Value::Null);
            }
            assign_path(&mut items[i as usize], rest, value, op)
        }
        (Value::Object(_), other) => Err(format!(
            "an object's key must be a string, not {}",
            describe(other)
        )),
        (other, Value::Str(k)) => Err(format!("cannot set field `{k}` of {}", describe(other))),
        (other, _) => Err(format!("cannot index {}", describe(other))),
    }
}
