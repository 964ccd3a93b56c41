//! Instructions on values: variables, fields and elements, assignment
//! along a path, operators, lists and objects, `for` loops.
//!
//! An instruction that fails here (reading a field of `null`, dividing by
//! zero, a list past its limit) fails its fiber with its operands put back,
//! so an operator's retry evaluates it again. Limits on values
//! ([`crate::value::Shape`]) are checked before a value is built or
//! changed, from the shapes its parts keep, so a refused instruction has
//! changed nothing.
//!
//! # Changing in place
//!
//! Lists, objects and strings are shared and copied on write: changing a
//! shared one copies it first, which made every `items[i] = x` copy the
//! whole list (the variable and the operand shared it). So assignment
//! along a path takes the variable out of its frame while it changes it,
//! and `x = x + y` (or `x += y`) and `x = append(x, y)`, whose `Store`
//! replaces the variable they read, let go of the variable's copy first:
//! a list or text that nothing else shares grows in place, and building
//! one element at a time costs what it builds, not the square of it.

use std::sync::Arc;
use weft_syntax::ast::{BinaryOp, UnaryOp};

use crate::limits;
use crate::ops;
use crate::program::{Edition, Op, Program};
use crate::value::{Shape, Value};

use super::{FiberId, Machine, Step};

/// The text of constant `index` (a string the compiler made).
pub(super) fn const_text(program: &Program, index: u32) -> &str {
    match &program.consts[index as usize] {
        Value::Str(s) => s.as_str(),
        _ => "",
    }
}

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

    /// The variable that the instruction after the current one stores
    /// into, when it holds the very list or text `v` (not a copy): the
    /// current instruction may then take it out of the frame and change it
    /// in place, since the `Store` replaces it anyway.
    pub(super) fn stored_next(&self, id: FiberId, v: &Value) -> Option<u16> {
        let (func, pc) = self.here(id);
        let Some(Op::Store(slot)) = self.program.func(func).code.get(pc as usize) else {
            return None;
        };
        let local = self.frame(id).locals.get(*slot as usize)?;
        let same = match (local, v) {
            (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
            (Value::Str(a), Value::Str(b)) => std::ptr::eq(a.as_str(), b.as_str()),
            _ => false,
        };
        same.then_some(*slot)
    }

    /// Takes variable `slot` out of the frame (leaving `null`), so that the
    /// value it held is no longer shared with it.
    pub(super) fn take_local(&mut self, id: FiberId, slot: u16) -> Value {
        std::mem::take(&mut self.frame_mut(id).locals[slot as usize])
    }

    /// Finishes an instruction fused with the `Store` after it: the value
    /// goes into the variable and the `Store` is skipped.
    pub(super) fn store_fused(&mut self, id: FiberId, slot: u16, value: Value) {
        let frame = self.frame_mut(id);
        frame.locals[slot as usize] = value;
        frame.pc += 1;
    }

    /// `StorePair`: the pair `[value, error]` of the call of `value, err =
    /// ...` into its two variables.
    pub(super) fn store_pair(&mut self, id: FiberId, value: u16, err: u16) -> Step {
        let pair = self.pop(id);
        let (v, e) = match &pair {
            Value::List(items) if items.len() == 2 => (items[0].clone(), items[1].clone()),
            other => {
                let message = format!(
                    "`value, err = ...` needs a call of an activity or a flow, which gives two values, not {}",
                    describe(other)
                );
                return Err(self.fail_instruction(id, vec![pair], message));
            }
        };
        let frame = self.frame_mut(id);
        frame.locals[value as usize] = v;
        frame.locals[err as usize] = e;
        Ok(())
    }

    /// `GetField`: a field of an object (`null` when it has none).
    pub(super) fn get_field(&mut self, id: FiberId, key: u32) -> Step {
        let object = self.pop(id);
        let key = const_text(self.program, key);
        match &object {
            Value::Object(fields) => {
                let value = fields.get(key).cloned().unwrap_or_default();
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

    /// `SetPath`: `root.k1[k2]... = value` (or `op=`). Everything that can
    /// fail is found before the variable changes; then the variable is
    /// taken out of its frame and changed in place, copying only what it
    /// shares with other values.
    pub(super) fn set_path(
        &mut self,
        id: FiberId,
        slot: u16,
        depth: u8,
        op: Option<BinaryOp>,
    ) -> Step {
        let value = self.pop(id);
        let keys = self.pop_n(id, depth as usize);
        let root = &self.frame(id).locals[slot as usize];
        match plan_path(root, &keys, &value, op, self.program.edition) {
            Ok(leaf) => {
                let mut root = self.take_local(id, slot);
                write_path(&mut root, &keys, leaf);
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

    /// `Binary`: an infix operator. `x = x + y` grows `x` in place (see the
    /// module's documentation).
    pub(super) fn binary(&mut self, id: FiberId, op: BinaryOp) -> Step {
        let right = self.pop(id);
        let left = self.pop(id);
        if self.program.edition >= Edition::E2 {
            if let Some(message) = ops::number_as_duration(op, &left, &right) {
                return Err(self.fail_instruction(id, vec![left, right], message));
            }
        }
        let fused = if op == BinaryOp::Add {
            self.stored_next(id, &left)
        } else {
            None
        };
        if let Some(slot) = fused {
            // `left` is now the only holder of what the variable held.
            drop(self.take_local(id, slot));
        }
        match ops::binary_owned(op, left, &right) {
            Ok(result) => match fused {
                Some(slot) => {
                    self.store_fused(id, slot, result);
                    Ok(())
                }
                None => self.push(id, result),
            },
            Err((left, message)) => {
                if let Some(slot) = fused {
                    self.frame_mut(id).locals[slot as usize] = left.clone();
                }
                Err(self.fail_instruction(id, vec![left, right], message))
            }
        }
    }

    /// `ListPush`: appends to the list below, within the limits.
    pub(super) fn list_push(&mut self, id: FiberId) -> Step {
        let value = self.pop(id);
        let problem = match self.fiber(id).stack.last() {
            Some(Value::List(items)) => {
                if items.len() >= limits::LIST_LEN_MAX {
                    Some(list_too_long())
                } else {
                    items.shape_with(&value).check().err()
                }
            }
            _ => Some("a list element without its list (corrupt snapshot?)".into()),
        };
        if let Some(message) = problem {
            return Err(self.fail_instruction(id, vec![value], message));
        }
        if let Some(Value::List(items)) = self.fiber_mut(id).stack.last_mut() {
            Arc::make_mut(items).push(value);
        }
        Ok(())
    }

    /// `ObjSet`: sets a field of the object below, within the limits.
    pub(super) fn object_set(&mut self, id: FiberId, key: u32) -> Step {
        let value = self.pop(id);
        let key = const_text(self.program, key);
        let problem = match self.fiber(id).stack.last() {
            Some(Value::Object(fields)) => {
                if !fields.contains_key(key) && fields.len() >= limits::LIST_LEN_MAX {
                    Some(object_too_large())
                } else {
                    fields.shape_with(key, &value).check().err()
                }
            }
            _ => Some("an object field without its object (corrupt snapshot?)".into()),
        };
        if let Some(message) = problem {
            return Err(self.fail_instruction(id, vec![value], message));
        }
        if let Some(Value::Object(fields)) = self.fiber_mut(id).stack.last_mut() {
            Arc::make_mut(fields).insert(key.to_string(), value);
        }
        Ok(())
    }

    /// `ObjSpread`: copies an object's fields into the object below
    /// (`null` adds nothing).
    pub(super) fn object_spread(&mut self, id: FiberId) -> Step {
        let source = self.pop(id);
        let problem = match (&source, self.fiber(id).stack.last()) {
            (Value::Null, _) => return Ok(()),
            (Value::Object(from), Some(Value::Object(fields))) => {
                crate::work::elements(from.len());
                let mut added = 0;
                let mut bytes = fields.shape().bytes;
                for (k, v) in from.iter() {
                    let v = v.shape().bytes;
                    match fields.get(k) {
                        Some(old) => bytes = (bytes + v).saturating_sub(old.shape().bytes),
                        None => {
                            added += 1;
                            bytes += crate::value::field_bytes(k) + v;
                        }
                    }
                }
                if fields.len() + added > limits::LIST_LEN_MAX {
                    Some(object_too_large())
                } else {
                    // Both objects keep the depth limit, and so does what
                    // the spread makes of them.
                    let depth = fields.shape().depth.max(from.shape().depth);
                    Shape {
                        bytes,
                        depth,
                        handles: false,
                    }
                    .check()
                    .err()
                }
            }
            (Value::Object(_), _) => {
                Some("an object spread without its object (corrupt snapshot?)".into())
            }
            (other, _) => Some(format!(
                "cannot spread {} into an object (`..` needs an object)",
                describe(other)
            )),
        };
        if let Some(message) = problem {
            return Err(self.fail_instruction(id, vec![source], message));
        }
        if let (Value::Object(from), Some(Value::Object(fields))) =
            (&source, self.fiber_mut(id).stack.last_mut())
        {
            let fields = Arc::make_mut(fields);
            for (k, v) in from.iter() {
                // Later keys win: a spread replaces earlier fields.
                fields.shift_remove(k);
                fields.insert(k.clone(), v.clone());
            }
        }
        Ok(())
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
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Str(s) if s.len() <= 40 => format!("the string {:?}", s.as_str()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
            format!("{} `{}`", v.type_name(), v.to_text())
        }
        other => other.type_name().to_string(),
    }
}

pub(super) fn list_too_long() -> String {
    format!(
        "list longer than the limit of {} elements (LIST_LEN_MAX)",
        limits::LIST_LEN_MAX
    )
}

fn object_too_large() -> String {
    format!(
        "object larger than the limit of {} fields (LIST_LEN_MAX)",
        limits::LIST_LEN_MAX
    )
}

/// `container[key]`: an element of a list or string (`null` past the end),
/// a field of an object.
pub(crate) fn index(container: &Value, key: &Value) -> Result<Value, String> {
    match (container, key) {
        (Value::List(items), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("list index {i} is negative"));
            }
            Ok(items.get(i as usize).cloned().unwrap_or_default())
        }
        (Value::Object(fields), Value::Str(k)) => Ok(fields.get(k).cloned().unwrap_or_default()),
        (Value::Object(_), other) => Err(format!(
            "an object's key must be a string, not {}",
            describe(other)
        )),
        (Value::Str(text), i) => {
            let i = whole_index(i)?;
            if i < 0 {
                return Err(format!("string index {i} is negative"));
            }
            // Characters are found by walking the text: charge the walk.
            let found = text.char_indices().nth(i as usize);
            crate::work::bytes(found.map_or(text.len(), |(at, _)| at));
            Ok(found
                .map(|(_, c)| Value::str(c.encode_utf8(&mut [0; 4])))
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

/// What `root.k1[k2]... = value` (or `op=`) puts at the end of the path,
/// found without changing anything: an error when the path is not there
/// to assign to, the operator fails, or the new root would pass a limit. A
/// new field can be added at the end of the path only; an index equal to a
/// list's length appends.
fn plan_path(
    root: &Value,
    keys: &[Value],
    value: &Value,
    op: Option<BinaryOp>,
    edition: Edition,
) -> Result<Value, String> {
    // Each container on the path: its bytes, and those of the element the
    // path goes through (`None` when it is new, with its key's bytes).
    let mut levels: Vec<(u64, Option<u64>, u64)> = Vec::with_capacity(keys.len());
    let mut at = root;
    let missing = Value::Null;
    for (n, key) in keys.iter().enumerate() {
        let last = n + 1 == keys.len();
        let (child, key_bytes) = match (at, key) {
            (Value::Object(fields), Value::Str(k)) => match fields.get(k) {
                Some(child) => (child, 0),
                None => {
                    if fields.len() >= limits::LIST_LEN_MAX {
                        return Err(object_too_large());
                    }
                    if !last {
                        return Err(format!("cannot set a field inside `{k}`: it is not set"));
                    }
                    (&missing, crate::value::field_bytes(k))
                }
            },
            (Value::List(items), i) => {
                let i = whole_index(i)?;
                let len = items.len() as i64;
                if i < 0 || i > len || (i == len && !last) {
                    return Err(format!(
                        "list index {i} is out of range (the list has {len} elements)"
                    ));
                }
                if i == len {
                    if items.len() >= limits::LIST_LEN_MAX {
                        return Err(list_too_long());
                    }
                    (&missing, 0)
                } else {
                    (&items[i as usize], 0)
                }
            }
            (Value::Object(_), other) => {
                return Err(format!(
                    "an object's key must be a string, not {}",
                    describe(other)
                ))
            }
            (other, Value::Str(k)) => {
                return Err(format!("cannot set field `{k}` of {}", describe(other)))
            }
            (other, _) => return Err(format!("cannot index {}", describe(other))),
        };
        let is_new = std::ptr::eq(child, &missing);
        levels.push((
            at.shape().bytes,
            (!is_new).then(|| child.shape().bytes),
            key_bytes,
        ));
        at = child;
    }
    let leaf = match op {
        None => value.clone(),
        Some(op) => ops::binary_in(op, at, value, edition)?,
    };
    let shape = leaf.shape();
    let mut bytes = shape.bytes;
    for (container, old, key_bytes) in levels.iter().rev() {
        bytes = container
            .saturating_sub(old.unwrap_or(0))
            .saturating_add(bytes)
            .saturating_add(*key_bytes);
    }
    // The root was within the depth limit, and every level off the path
    // still is: only the path itself can pass it.
    Shape {
        bytes,
        depth: keys.len() as u32 + shape.depth,
        handles: false,
    }
    .check()?;
    Ok(leaf)
}

/// Puts `leaf` at the end of the path [`plan_path`] checked, copying the
/// containers on the way only where they are shared.
fn write_path(root: &mut Value, keys: &[Value], leaf: Value) {
    let Some((key, rest)) = keys.split_first() else {
        *root = leaf;
        return;
    };
    match (root, key) {
        (Value::Object(fields), Value::Str(k)) => {
            let fields = Arc::make_mut(fields);
            if rest.is_empty() && !fields.contains_key(k) {
                fields.insert(k.to_string(), leaf);
            } else {
                fields.update(k, |field| write_path(field, rest, leaf));
            }
        }
        (Value::List(items), i) => {
            let i = whole_index(i).unwrap_or(-1);
            let items = Arc::make_mut(items);
            if i >= 0 && i as usize == items.len() {
                items.push(leaf);
            } else if i >= 0 && (i as usize) < items.len() {
                items.update(i as usize, |item| write_path(item, rest, leaf));
            }
        }
        // plan_path found every step of the path.
        _ => {}
    }
}
