//! Failures, and what an operator does about them.
//!
//! A fiber that fails stops where it is, with a [`Failure`] recorded for
//! it, and the run shows `failed` while its other fibers go on. The
//! operator then retries (the failed instruction, call or sub-flow runs
//! again), resolves (a failed call or sub-flow gets a value), or cancels
//! the run.

use crate::limits;
use crate::program::FuncId;
use crate::state::{Command, EntryKind, Failure, FailureKind, Status, Wait};
use crate::value::Value;

use super::{ActionError, FiberId, Machine, Stop};

impl Machine<'_> {
    /// Records that fiber `id` failed at instruction `at`, for an operator.
    pub(super) fn fail(
        &mut self,
        id: FiberId,
        kind: FailureKind,
        message: String,
        at: (FuncId, u32),
    ) {
        let location = self.program.locate(at.0, at.1);
        self.journal(EntryKind::Failed {
            error: message.clone(),
            location: location.clone(),
        });
        self.run.failures.insert(
            id,
            Failure {
                kind,
                message,
                location,
            },
        );
        if let Some(fiber) = self.run.fibers.get_mut(&id) {
            fiber.wait = Wait::Failed;
        }
    }

    /// Fails fiber `id` in an expression, where its frame points now.
    pub(super) fn fail_here(&mut self, id: FiberId, message: String) -> Stop {
        let at = self.here(id);
        self.fail(id, FailureKind::Expression, message, at);
        Stop::Fail
    }

    /// Fails the instruction fiber `id` is executing: its operands go back
    /// on the stack and the fiber points at it again, so that an operator's
    /// retry runs it again.
    pub(super) fn fail_instruction(
        &mut self,
        id: FiberId,
        operands: Vec<Value>,
        message: String,
    ) -> Stop {
        self.rewind(id, operands);
        self.fail_here(id, message)
    }

    /// The operator's retry: every failed fiber runs its failed step again.
    pub(super) fn retry(&mut self) -> Result<(), ActionError> {
        if self.run.status != Status::Failed || self.run.failures.is_empty() {
            return Err(ActionError::NotFailed(self.run.status.as_str()));
        }
        self.journal(EntryKind::Retried);
        // The operator has seen the run; its events count again from here.
        self.run.events = 0;
        let failures = std::mem::take(&mut self.run.failures);
        for (id, failure) in failures {
            match failure.kind {
                FailureKind::Call { call } => {
                    if let Some(c) = self.run.calls.get_mut(&call) {
                        // A fresh retry budget, counted from this attempt.
                        c.attempt_base = c.attempt;
                        c.attempt += 1;
                        self.dispatch(call);
                        if let Some(fiber) = self.run.fibers.get_mut(&id) {
                            fiber.wait = Wait::Call(call);
                        }
                    }
                }
                FailureKind::Child { child } => {
                    let Some(c) = self.run.children.get(&child) else {
                        continue;
                    };
                    let start = c.start.clone();
                    match self.start_child(start.func, start.args, start.captures, true) {
                        Ok(new_child) => {
                            self.forget_call_child(child);
                            if let Some(fiber) = self.run.fibers.get_mut(&id) {
                                fiber.wait = Wait::Child {
                                    child: new_child,
                                    push: true,
                                };
                            }
                        }
                        Err(message) => {
                            let at = self.here(id);
                            self.fail(id, FailureKind::Child { child }, message, at);
                        }
                    }
                }
                FailureKind::Expression => self.make_ready(id),
            }
        }
        Ok(())
    }

    /// The operator's resolve: the first failed call or sub-flow wait gets
    /// `value`, and its fiber goes on with it.
    pub(super) fn resolve(&mut self, value: serde_json::Value) -> Result<(), ActionError> {
        if self.run.status != Status::Failed || self.run.failures.is_empty() {
            return Err(ActionError::NotFailed(self.run.status.as_str()));
        }
        let size = serde_json::to_vec(&value).map(|b| b.len()).unwrap_or(0);
        if size > limits::PAYLOAD_BYTES_MAX {
            return Err(ActionError::PayloadTooLarge(size));
        }
        let resolved = Value::from_json(&value).map_err(ActionError::Value)?;
        // A failure in an expression has no value to take: it is retried.
        let Some((id, call)) = self.run.failures.iter().find_map(|(&id, f)| match f.kind {
            FailureKind::Call { call } => Some((id, Some(call))),
            FailureKind::Child { .. } => Some((id, None)),
            FailureKind::Expression => None,
        }) else {
            return Err(ActionError::NothingToResolve);
        };
        self.journal(EntryKind::Resolved {
            value: value.clone(),
        });
        match call {
            Some(call) => self.resolve_call(call, resolved, "resolved"),
            None => {
                if let Some(Failure {
                    kind: FailureKind::Child { child },
                    ..
                }) = self.run.failures.remove(&id)
                {
                    self.forget_call_child(child);
                }
                self.resume_with(id, resolved);
            }
        }
        Ok(())
    }

    /// The operator's (or the parent's) cancel: everything stops.
    pub(super) fn cancel(&mut self, reason: &str) {
        self.shut_down();
        self.run.status = Status::Cancelled;
        self.journal(EntryKind::Cancelled {
            reason: reason.to_string(),
        });
        self.command(Command::Finished { result: None });
    }
}
