//! Machine instances in the host: commands queued per key, each applied by
//! a run of its handler, one at a time in arrival order.
//!
//! # How a command goes
//!
//! 1. **Sent** ([`Host::send_command`], from the API, a scenario, or a
//!    flow's `M(key).Cmd(...)` call): checked against the command's input
//!    type, given the instance's next sequence number and queued. Its
//!    command id is taken once per instance: the same id again is the same
//!    command, and gets its answer.
//! 2. **Started** (`pump`), when nothing runs on the instance: a run of the
//!    handler starts on the newest program version that defines the
//!    machine, with the instance's state, key and the input. A handler that
//!    neither calls nor waits finishes in that same step.
//! 3. **Finished** (`finish_command`), when the handler's run completes (or
//!    is cancelled by an operator): the outcome is applied (new state and
//!    version, or a refusal), the command's row records it, an event is
//!    emitted, the flows that sent it are answered, and the next queued
//!    command starts. All of it goes into the batch of the run's last step.
//!
//! A handler's run is a run like any other: its activity calls retry, its
//! `await`s suspend it, an operator repairs it; meanwhile its instance
//! takes no other command. The run's input names its instance and command
//! (`machine`, `key`, `seq`), which is how its end finds its way back.
//!
//! # In a cluster
//!
//! An instance is held by one node at a time, as a run is (a lease with an
//! epoch; writes of the instance carry the claim, and the store refuses a
//! stale one). A node that gets a command for an instance another node
//! holds queues it in the store's instance inbox; so does a node where a
//! handler's run finishes when another node holds its instance. The holder
//! (or whoever claims the instance next) applies them in order.

use std::collections::VecDeque;

use serde_json::{json, Value as Json};
use weft_engine::machine;
use weft_engine::machines::{MachineOp, Outcome, Query};
use weft_engine::state::{Event, Task};
use weft_engine::Value;
use weft_store::machines::{
    self, CmpOp, Filter, InstanceClaim, InstanceEvent, InstanceQuery, Path, ReplyTo,
    COMMAND_ID_BYTES_MAX, EVENT_CREATED, EVENT_UPDATED, KEY_BYTES_MAX,
};
use weft_store::{
    CommandRecord, CommandStatus, Fence, Instance, InstanceRow, MachineWrite, RunRecord,
};

use super::{Cached, Effect, FollowUp, Host, HostEnv, HostError, Transition};
use crate::ids;

/// Commands waiting on one instance, at most: a sender beyond is refused
/// (the instance is busy: a handler that waits long, or more load than one
/// key can take).
pub const INSTANCE_QUEUE_MAX: usize = 10_000;

/// Most instances a `M.find(...)` call of a flow returns.
pub const FIND_LIMIT_MAX: usize = 1_000;

/// The prefix of the names deployments list their machines under, among
/// their flows: `machine:Counter`.
pub const DEPLOYED_PREFIX: &str = "machine:";

/// A command to send.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandRequest {
    /// The machine.
    pub machine: String,
    /// The instance's key.
    pub key: String,
    /// The command.
    pub command: String,
    /// Its input.
    pub input: Json,
    /// Its id (one is made when `None`).
    pub command_id: Option<String>,
    /// The flow call to answer when it finishes.
    pub reply: Option<ReplyTo>,
}

/// What became of a command sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// The command as it stands after this step (applied already when its
    /// handler finished at once), or as queued for another node.
    pub record: CommandRecord,
    /// False when the command id named a command sent before.
    pub created: bool,
}

/// An instance held in memory.
pub(crate) struct Inst {
    row: InstanceRow,
    /// Open commands (queued, and the running one first), in order.
    open: VecDeque<CommandRecord>,
    /// The batch that last wrote it.
    last_batch: u64,
    /// In a cluster: this node's claim.
    claim: Option<InstanceClaim>,
}

type InstKey = (String, String);

/// The instance and command a handler's run applies, from its input.
pub(crate) fn command_of(record: &RunRecord) -> Option<(String, String, i64)> {
    if !record.flow.contains('.') {
        return None;
    }
    let i = &record.input;
    Some((
        i.get("machine")?.as_str()?.to_string(),
        i.get("key")?.as_str()?.to_string(),
        i.get("seq")?.as_i64()?,
    ))
}

/// What a flow's call of a command receives: `{key, state, version}`.
pub fn instance_json(i: &Instance) -> Json {
    json!({"key": i.key, "state": i.state, "version": i.version})
}

/// A refusal's reason as text, for a flow's failed call.
fn reason_text(error: &Json) -> String {
    match error {
        Json::String(s) => s.clone(),
        Json::Object(m) => match m.get("message") {
            Some(Json::String(s)) => s.clone(),
            _ => error.to_string(),
        },
        other => other.to_string(),
    }
}

impl Host {
    /// Sends a command (see the module documentation).
    pub fn send_command(&mut self, req: CommandRequest, now: i64) -> Result<Sent, HostError> {
        let sent = self.send_one(req, now)?;
        self.drain_follow_ups(now)?;
        // The handler may have finished in the same step: answer with the
        // command as it stands now.
        let record = self
            .latest_command(
                &sent.record.machine,
                &sent.record.key,
                &sent.record.command_id,
            )
            .unwrap_or(sent.record);
        Ok(Sent {
            record,
            created: sent.created,
        })
    }

    fn send_one(&mut self, req: CommandRequest, now: i64) -> Result<Sent, HostError> {
        let CommandRequest {
            machine,
            key,
            command,
            input,
            command_id,
            reply,
        } = req;
        if key.is_empty() || key.len() > KEY_BYTES_MAX {
            return Err(HostError::InvalidCommand(format!(
                "an instance's key is 1 to {KEY_BYTES_MAX} bytes (KEY_BYTES_MAX); this one is {}",
                key.len()
            )));
        }
        let command_id = match command_id {
            Some(id) if id.is_empty() || id.len() > COMMAND_ID_BYTES_MAX => {
                return Err(HostError::InvalidCommand(format!(
                    "a commandId is 1 to {COMMAND_ID_BYTES_MAX} bytes (COMMAND_ID_BYTES_MAX); this one is {}",
                    id.len()
                )))
            }
            Some(id) => id,
            None => format!("c-{}", ids::token(self.entropy.as_mut())),
        };
        let size = serde_json::to_vec(&input).map(|b| b.len()).unwrap_or(0);
        if size > weft_engine::limits::PAYLOAD_BYTES_MAX {
            return Err(HostError::PayloadTooLarge {
                what: "command's input",
                size,
            });
        }
        let program = self.machine_program(&machine)?;
        let def = program
            .machine(&machine)
            .ok_or_else(|| HostError::UnknownMachine(machine.clone()))?;
        let cmd = def
            .commands
            .get(&command)
            .ok_or_else(|| HostError::UnknownCommand {
                machine: machine.clone(),
                command: command.clone(),
            })?;
        cmd.input
            .check(&input, &program.types, "input")
            .map_err(|why| {
                HostError::InvalidCommand(format!(
                    "the input of `{machine}.{command}` does not fit: {why}"
                ))
            })?;
        // The same command id again is the same command.
        if let Some(existing) = self.find_command(&machine, &key, &command_id)? {
            let record = self.add_reply(existing, reply, now)?;
            return Ok(Sent {
                record,
                created: false,
            });
        }
        let k = (machine.clone(), key.clone());
        if !self.load_instance(&k, now)? {
            // Another node holds the instance: queue it for that node.
            let event = InstanceEvent::Command {
                command: command.clone(),
                input: input.clone(),
                command_id: command_id.clone(),
                reply,
                at: now,
            };
            self.machine_writes.push(MachineWrite::Inbox {
                machine: machine.clone(),
                key: key.clone(),
                event,
            });
            let record = CommandRecord {
                machine,
                key,
                seq: 0,
                command,
                input,
                command_id,
                status: CommandStatus::Queued,
                run_id: None,
                version: None,
                state: None,
                error: None,
                replies: Vec::new(),
                created_at: now,
                finished_at: None,
            };
            return Ok(Sent {
                record,
                created: true,
            });
        }
        let batch = self.batch_no;
        let inst = self.instances.get_mut(&k).expect("loaded above");
        if inst.open.len() >= INSTANCE_QUEUE_MAX {
            return Err(HostError::QueueFull {
                machine,
                key,
                limit: INSTANCE_QUEUE_MAX,
            });
        }
        let seq = inst.row.next_seq;
        inst.row.next_seq += 1;
        let record = CommandRecord {
            machine: machine.clone(),
            key: key.clone(),
            seq,
            command,
            input,
            command_id: command_id.clone(),
            status: CommandStatus::Queued,
            run_id: None,
            version: None,
            state: None,
            error: None,
            replies: reply.into_iter().collect(),
            created_at: now,
            finished_at: None,
        };
        inst.open.push_back(record.clone());
        inst.last_batch = batch;
        self.command_ids.insert(
            (machine.clone(), key.clone(), command_id),
            (record.clone(), batch),
        );
        self.machine_writes
            .push(MachineWrite::Command(Box::new(record.clone())));
        self.write_instance(&k, now);
        self.pump(&k, now)?;
        Ok(Sent {
            record,
            created: true,
        })
    }

    /// The command `command_id` of an instance, wherever it is: taken in a
    /// batch not yet committed, open in memory, or in the store.
    fn find_command(
        &mut self,
        machine: &str,
        key: &str,
        command_id: &str,
    ) -> Result<Option<CommandRecord>, HostError> {
        let id = (machine.to_string(), key.to_string(), command_id.to_string());
        if let Some((rec, _)) = self.command_ids.get(&id) {
            return Ok(Some(rec.clone()));
        }
        Ok(self.store.command_by_id(machine, key, command_id)?)
    }

    /// The command's newest record this host knows.
    fn latest_command(&self, machine: &str, key: &str, command_id: &str) -> Option<CommandRecord> {
        let id = (machine.to_string(), key.to_string(), command_id.to_string());
        self.command_ids.get(&id).map(|(r, _)| r.clone())
    }

    /// A command sent again by a flow's call: the call gets the answer, now
    /// if the command is finished, else when it finishes.
    fn add_reply(
        &mut self,
        existing: CommandRecord,
        reply: Option<ReplyTo>,
        now: i64,
    ) -> Result<CommandRecord, HostError> {
        let Some(reply) = reply else {
            return Ok(existing);
        };
        if existing.status.is_finished() {
            let event = self.answer(&existing, &reply)?;
            self.follow
                .push_back(FollowUp::Deliver(reply.run_id.clone(), event));
            return Ok(existing);
        }
        if existing.replies.contains(&reply) || existing.seq == 0 {
            return Ok(existing);
        }
        let k = (existing.machine.clone(), existing.key.clone());
        if !self.load_instance(&k, now)? {
            // Held elsewhere: the command reaches its holder again, which
            // adds the call (the command id finds the same command).
            self.machine_writes.push(MachineWrite::Inbox {
                machine: existing.machine.clone(),
                key: existing.key.clone(),
                event: InstanceEvent::Command {
                    command: existing.command.clone(),
                    input: existing.input.clone(),
                    command_id: existing.command_id.clone(),
                    reply: Some(reply),
                    at: now,
                },
            });
            return Ok(existing);
        }
        let batch = self.batch_no;
        let inst = self.instances.get_mut(&k).expect("loaded above");
        let Some(open) = inst.open.iter_mut().find(|c| c.seq == existing.seq) else {
            // Finished meanwhile (the store was read before this host
            // applied it): its record is in `command_ids`.
            let done = self
                .latest_command(&existing.machine, &existing.key, &existing.command_id)
                .unwrap_or(existing);
            if done.status.is_finished() {
                let event = self.answer(&done, &reply)?;
                self.follow
                    .push_back(FollowUp::Deliver(reply.run_id.clone(), event));
            }
            return Ok(done);
        };
        open.replies.push(reply);
        let record = open.clone();
        inst.last_batch = batch;
        self.command_ids.insert(
            (
                record.machine.clone(),
                record.key.clone(),
                record.command_id.clone(),
            ),
            (record.clone(), batch),
        );
        self.machine_writes
            .push(MachineWrite::Command(Box::new(record.clone())));
        Ok(record)
    }

    /// The newest program version that defines `machine`.
    fn machine_program(
        &mut self,
        machine: &str,
    ) -> Result<std::sync::Arc<weft_engine::Program>, HostError> {
        let version = self
            .store
            .latest_version(&format!("{DEPLOYED_PREFIX}{machine}"))?
            .ok_or_else(|| HostError::UnknownMachine(machine.to_string()))?;
        self.program(version)
    }

    /// Makes the instance available here, from memory or the store (in a
    /// cluster, once claimed); `false` when another node holds it.
    fn load_instance(&mut self, k: &InstKey, now: i64) -> Result<bool, HostError> {
        if self.instances.contains_key(k) {
            return Ok(true);
        }
        let claim = match &self.cluster {
            None => None,
            Some(cl) => match cl
                .store
                .claim_instance(&cl.node, &k.0, &k.1, now, cl.lease_ms)?
            {
                Some(epoch) => Some(InstanceClaim {
                    machine: k.0.clone(),
                    key: k.1.clone(),
                    epoch,
                }),
                None => return Ok(false),
            },
        };
        self.adopt_instance(k, claim, now)?;
        Ok(true)
    }

    /// Loads an instance and its open commands from the store.
    pub(crate) fn adopt_instance(
        &mut self,
        k: &InstKey,
        claim: Option<InstanceClaim>,
        now: i64,
    ) -> Result<(), HostError> {
        let row = self
            .store
            .instance(&k.0, &k.1)?
            .unwrap_or_else(|| InstanceRow::new(&k.0, &k.1, now));
        let open: VecDeque<CommandRecord> = self
            .store
            .commands(&k.0, &k.1, row.finished + 1, INSTANCE_QUEUE_MAX)?
            .into_iter()
            .filter(|c| !c.status.is_finished())
            .collect();
        self.instances.insert(
            k.clone(),
            Inst {
                row,
                open,
                last_batch: 0,
                claim,
            },
        );
        Ok(())
    }

    /// Writes the instance's row into the batch being built.
    fn write_instance(&mut self, k: &InstKey, now: i64) {
        let batch = self.batch_no;
        let fence = self.instance_fence(k, now);
        let inst = self
            .instances
            .get_mut(k)
            .expect("written instances are loaded");
        inst.last_batch = batch;
        self.machine_writes.push(MachineWrite::Instance {
            row: inst.row.clone(),
            fence,
        });
    }

    fn instance_fence(&self, k: &InstKey, now: i64) -> Option<Fence> {
        let cl = self.cluster.as_ref()?;
        let claim = self.instances.get(k)?.claim.as_ref()?;
        Some(Fence {
            node: cl.node.clone(),
            epoch: claim.epoch,
            lease_until: now + cl.lease_ms,
        })
    }

    /// Starts the first open command when nothing runs on the instance.
    pub(crate) fn pump(&mut self, k: &InstKey, now: i64) -> Result<(), HostError> {
        let Some(head) = self.instances.get(k).and_then(|i| i.open.front()) else {
            return Ok(());
        };
        if head.status != CommandStatus::Queued {
            return Ok(());
        }
        let head = head.clone();
        match self.start_handler(k, &head, now) {
            Ok(()) => Ok(()),
            // The command cannot run on what is deployed now: refused, and
            // the queue goes on.
            Err(HostError::UnknownMachine(_)) | Err(HostError::UnknownCommand { .. }) => {
                let why = json!({"message": format!(
                    "the machine `{}` has no command `{}` in its newest version",
                    head.machine, head.command
                )});
                self.apply_outcome(k, head.seq, Outcome::Refused(why), now)
            }
            // A state or input nested or sized past what a run's values
            // may be: refused, and the queue goes on.
            Err(HostError::Value { what, message }) => {
                let why = json!({"message": format!("the {what} cannot be used: {message}")});
                self.apply_outcome(k, head.seq, Outcome::Refused(why), now)
            }
            Err(e) => Err(e),
        }
    }

    /// Starts the run of `head`'s handler.
    fn start_handler(
        &mut self,
        k: &InstKey,
        head: &CommandRecord,
        now: i64,
    ) -> Result<(), HostError> {
        let version = self
            .store
            .latest_version(&format!("{DEPLOYED_PREFIX}{}", k.0))?
            .ok_or_else(|| HostError::UnknownMachine(k.0.clone()))?;
        let program = self.program(version)?;
        let handler = program
            .machine(&k.0)
            .and_then(|m| m.commands.get(&head.command))
            .map(|c| c.handler)
            .ok_or_else(|| HostError::UnknownCommand {
                machine: k.0.clone(),
                command: head.command.clone(),
            })?;
        let state = self.instances[k].row.instance.state.clone();
        let run_id = ids::run_id(now, self.entropy.as_mut());
        let input = json!({
            "machine": k.0,
            "key": k.1,
            "seq": head.seq,
            "command": head.command,
            "commandId": head.command_id,
            "state": state,
            "input": head.input,
        });
        let value = |what: &'static str, json: &Json| {
            Value::from_json(json).map_err(|message| HostError::Value { what, message })
        };
        let args = vec![
            value("instance's state", &state)?,
            Value::str(&k.1),
            value("command's input", &head.input)?,
        ];
        let mut env = HostEnv::new(now, self.entropy.as_mut());
        let (run_state, out) = machine::start(
            &program,
            run_id.clone(),
            handler,
            args,
            Vec::new(),
            input.clone(),
            0,
            &mut env,
        );
        let record = RunRecord {
            id: run_id.clone(),
            flow: format!("{}.{}", k.0, head.command),
            version,
            status: run_state.status,
            input,
            result: None,
            error: None,
            waiting: Json::Array(Vec::new()),
            parent: None,
            idempotency_key: None,
            position: None,
            created_at: now,
            updated_at: now,
            forked_from: None,
        };
        let cause = weft_engine::state::Cause {
            jitter: env.jitter,
            ..weft_engine::state::Cause::default()
        };
        let batch = self.batch_no;
        let claim = self.new_claim(&run_id);
        self.runs.insert(
            run_id.clone(),
            Cached {
                record: std::sync::Arc::new(record),
                state: run_state,
                program,
                last_batch: batch,
                claim,
                created_in: batch,
            },
        );
        let inst = self
            .instances
            .get_mut(k)
            .expect("pumped instances are loaded");
        let running = inst.open.front_mut().expect("the head exists");
        running.status = CommandStatus::Running;
        running.run_id = Some(run_id.clone());
        let running = running.clone();
        inst.last_batch = batch;
        self.command_ids.insert(
            (k.0.clone(), k.1.clone(), running.command_id.clone()),
            (running.clone(), batch),
        );
        self.machine_writes
            .push(MachineWrite::Command(Box::new(running)));
        self.record_transition(&run_id, out, Transition::created(cause), now);
        Ok(())
    }

    /// A handler's run finished (`result` is `None` when it was
    /// cancelled): apply its outcome to the instance.
    pub(crate) fn finish_command(
        &mut self,
        k: &InstKey,
        seq: i64,
        run_id: &str,
        result: Option<Json>,
        now: i64,
    ) -> Result<(), HostError> {
        if !self.load_instance(k, now)? {
            self.machine_writes.push(MachineWrite::Inbox {
                machine: k.0.clone(),
                key: k.1.clone(),
                event: InstanceEvent::Finished {
                    seq,
                    run_id: run_id.to_string(),
                    result,
                },
            });
            return Ok(());
        }
        let head = self.instances[k].open.front().cloned();
        let Some(head) = head.filter(|h| {
            h.seq == seq
                && h.status == CommandStatus::Running
                && h.run_id.as_deref() == Some(run_id)
        }) else {
            tracing::warn!(
                machine = %k.0, key = %k.1, run = %run_id,
                "instance {}/{}: the end of run {run_id} (command {seq}) is not the running command's; ignored",
                k.0, k.1
            );
            return Ok(());
        };
        let outcome = match result {
            None => Outcome::Refused(json!({"message": "the command's run was cancelled"})),
            Some(r) => match Outcome::from_result(&r) {
                Some(Outcome::Applied(state)) => match self.check_state(k, run_id, &head, &state) {
                    Ok(()) => Outcome::Applied(state),
                    Err(why) => Outcome::Refused(json!({"message": why})),
                },
                Some(o) => o,
                None => Outcome::Refused(
                    json!({"message": "the handler's run ended without an outcome"}),
                ),
            },
        };
        self.apply_outcome(k, seq, outcome, now)
    }

    /// The new state must fit the machine's state type, as the version
    /// that ran the handler declares it.
    fn check_state(
        &self,
        k: &InstKey,
        run_id: &str,
        head: &CommandRecord,
        state: &Json,
    ) -> Result<(), String> {
        let Some(program) = self.runs.get(run_id).map(|c| c.program.clone()) else {
            return Ok(());
        };
        let Some(ty) = program.machine(&k.0).and_then(|m| m.state.as_ref()) else {
            return Ok(());
        };
        ty.check(state, &program.types, "state").map_err(|why| {
            format!(
                "the handler of `{}` returned a state that does not fit: {why}",
                head.command
            )
        })
    }

    /// Applies the outcome of the running command `seq`, answers its
    /// senders and starts the next.
    fn apply_outcome(
        &mut self,
        k: &InstKey,
        seq: i64,
        outcome: Outcome,
        now: i64,
    ) -> Result<(), HostError> {
        let batch = self.batch_no;
        let inst = self
            .instances
            .get_mut(k)
            .expect("finished instances are loaded");
        let Some(mut done) = inst.open.pop_front() else {
            return Ok(());
        };
        debug_assert_eq!(done.seq, seq, "commands finish in order");
        let mut event = None;
        match outcome {
            Outcome::Applied(state) => {
                let i = &mut inst.row.instance;
                i.state = state.clone();
                i.version += 1;
                i.updated_at = now;
                done.status = CommandStatus::Applied;
                done.version = Some(i.version);
                done.state = Some(state.clone());
                event = Some(machines::MachineEvent {
                    kind: if i.version == 1 {
                        EVENT_CREATED
                    } else {
                        EVENT_UPDATED
                    }
                    .to_string(),
                    machine: k.0.clone(),
                    key: k.1.clone(),
                    version: i.version,
                    command: done.command.clone(),
                    command_id: done.command_id.clone(),
                    state,
                    at: now,
                });
            }
            Outcome::Refused(why) => {
                done.status = CommandStatus::Refused;
                done.error = Some(why);
            }
        }
        done.finished_at = Some(now);
        inst.row.finished = inst.row.finished.max(seq);
        inst.last_batch = batch;
        self.command_ids.insert(
            (k.0.clone(), k.1.clone(), done.command_id.clone()),
            (done.clone(), batch),
        );
        self.machine_writes
            .push(MachineWrite::Command(Box::new(done.clone())));
        if let Some(e) = event {
            // The one place commands emit events: kept in the machine's
            // history, and taken as an event for triggers (`subject` is
            // the machine), in this same batch.
            self.follow
                .push_back(FollowUp::Event(Box::new(machine_event(&e))));
            self.machine_writes.push(MachineWrite::Event(e));
        }
        self.write_instance(k, now);
        for r in &done.replies {
            let event = self.answer(&done, r)?;
            self.follow
                .push_back(FollowUp::Deliver(r.run_id.clone(), event));
        }
        self.effects.push(Effect::CommandDone(Box::new(done)));
        self.pump(k, now)
    }

    /// The event that answers a flow's call of a finished command.
    fn answer(&self, done: &CommandRecord, r: &ReplyTo) -> Result<Event, HostError> {
        Ok(match done.status {
            CommandStatus::Applied => Event::CallCompleted {
                call: r.call,
                attempt: r.attempt,
                value: json!({
                    "key": done.key,
                    "state": done.state,
                    "version": done.version,
                }),
            },
            _ => Event::CallFailed {
                call: r.call,
                attempt: r.attempt,
                error: format!(
                    "the command `{}` was refused: {}",
                    done.command,
                    reason_text(done.error.as_ref().unwrap_or(&Json::Null))
                ),
                retryable: false,
            },
        })
    }

    /// A flow's machine call (a task of a reserved activity): carried out
    /// here, its answer delivered to the calling run.
    pub(crate) fn machine_call(&mut self, task: Task, now: i64) -> Result<(), HostError> {
        let Some(op) = MachineOp::parse(&task.activity) else {
            return Ok(());
        };
        let reply = ReplyTo {
            run_id: task.run_id.clone(),
            call: task.call,
            attempt: task.attempt,
        };
        let fail = |error: String| Event::CallFailed {
            call: task.call,
            attempt: task.attempt,
            error,
            retryable: false,
        };
        let args = task.args.as_array().cloned().unwrap_or_default();
        let key_arg = |i: usize| -> Result<String, String> {
            match args.get(i) {
                Some(Json::String(s)) => Ok(s.clone()),
                Some(other) => Err(format!("an instance's key is a string, not {other}")),
                None => Err("the call has no key".to_string()),
            }
        };
        let event = match op {
            MachineOp::Command { machine, command } => {
                let key = match key_arg(0) {
                    Ok(k) => k,
                    Err(e) => {
                        self.follow
                            .push_back(FollowUp::Deliver(task.run_id.clone(), fail(e)));
                        return Ok(());
                    }
                };
                let req = CommandRequest {
                    machine,
                    key,
                    command,
                    input: args.get(1).cloned().unwrap_or(Json::Null),
                    // The call id: a retried attempt is the same command.
                    command_id: Some(task.call_id.clone()),
                    reply: Some(reply),
                };
                match self.send_one(req, now) {
                    Ok(_) => return Ok(()),
                    Err(e @ HostError::Store(_)) => return Err(e),
                    Err(e) => fail(e.to_string()),
                }
            }
            MachineOp::Get { machine } => match key_arg(0) {
                Err(e) => fail(e),
                Ok(key) => match self.read_instance(&machine, &key)? {
                    Some(i) => Event::CallCompleted {
                        call: task.call,
                        attempt: task.attempt,
                        value: instance_json(&i),
                    },
                    None => Event::CallCompleted {
                        call: task.call,
                        attempt: task.attempt,
                        value: Json::Null,
                    },
                },
            },
            MachineOp::Find { machine } => match self.find(&machine, args.first()) {
                Ok(items) => Event::CallCompleted {
                    call: task.call,
                    attempt: task.attempt,
                    value: Json::Array(items),
                },
                Err(HostError::Store(e)) => return Err(HostError::Store(e)),
                Err(e) => fail(e.to_string()),
            },
        };
        self.follow.push_back(FollowUp::Deliver(task.run_id, event));
        Ok(())
    }

    /// An instance as this host knows it (its memory may be ahead of the
    /// store by batches in flight); `None` when no command was applied.
    pub fn read_instance(&self, machine: &str, key: &str) -> Result<Option<Instance>, HostError> {
        if let Some(inst) = self.instances.get(&(machine.to_string(), key.to_string())) {
            return Ok(Some(inst.row.instance.clone()).filter(|i| i.version > 0));
        }
        Ok(self
            .store
            .instance(machine, key)?
            .map(|r| r.instance)
            .filter(|i| i.version > 0))
    }

    /// A flow's `M.find(...)`: the instances of committed states that fit.
    fn find(&mut self, machine: &str, query: Option<&Json>) -> Result<Vec<Json>, HostError> {
        let q: Query = match query {
            Some(q) => serde_json::from_value(q.clone())
                .map_err(|e| HostError::InvalidCommand(format!("the query does not read: {e}")))?,
            None => Query::default(),
        };
        let mut conditions = Vec::new();
        for (path, op, value) in &q.conditions {
            let op = CmpOp::parse(op)
                .ok_or_else(|| HostError::InvalidCommand(format!("unknown comparison `{op}`")))?;
            conditions.push(Filter::Cmp {
                path: Path::State(path.split('.').map(str::to_string).collect()),
                op,
                value: value.clone(),
            });
        }
        let limit = q
            .limit
            .map_or(FIND_LIMIT_MAX, |l| (l as usize).min(FIND_LIMIT_MAX));
        let page = machines::query(
            self.store.as_ref(),
            &InstanceQuery {
                machine: machine.to_string(),
                filter: Filter::All(conditions),
                limit,
                cursor: None,
            },
        )?;
        Ok(page
            .items
            .iter()
            .map(|i| {
                let mut j = instance_json(i);
                if !q.select.is_empty() {
                    j["state"] = select(&i.state, &q.select);
                }
                j
            })
            .collect())
    }

    /// Starts what waits on instances after a restart: commands queued with
    /// nothing running (their start was lost, or could not happen).
    pub fn recover_machines(&mut self, now: i64) -> Result<usize, HostError> {
        let open = self
            .store
            .instances_with_open_commands(INSTANCE_QUEUE_MAX)?;
        let mut n = 0;
        for k in open {
            if !self.load_instance(&k, now)? {
                continue;
            }
            self.pump(&k, now)?;
            n += 1;
        }
        self.drain_follow_ups(now)?;
        Ok(n)
    }

    /// In a cluster: claims instances with events in their inbox (and
    /// those this node holds), and applies the events in order, each
    /// consumed in the batch of what it causes. Returns how many.
    pub(crate) fn claim_instance_work(&mut self, now: i64) -> Result<usize, HostError> {
        let Some(cl) = self.cluster.clone() else {
            return Ok(0);
        };
        let claims = cl.store.claim_instances_with_work(
            &cl.node,
            now,
            cl.lease_ms,
            super::CLAIM_BATCH_MAX,
        )?;
        let mut n = 0;
        for claim in claims {
            let k = (claim.machine.clone(), claim.key.clone());
            match self.instances.get_mut(&k) {
                Some(i) => i.claim = Some(claim),
                None => self.adopt_instance(&k, Some(claim), now)?,
            }
            for e in cl.store.instance_inbox(&k.0, &k.1)? {
                self.machine_writes.push(MachineWrite::InboxDone(e.id));
                n += 1;
                match e.event {
                    InstanceEvent::Command {
                        command,
                        input,
                        command_id,
                        reply,
                        ..
                    } => {
                        let req = CommandRequest {
                            machine: k.0.clone(),
                            key: k.1.clone(),
                            command,
                            input,
                            command_id: Some(command_id),
                            reply: reply.clone(),
                        };
                        match self.send_one(req, now) {
                            Ok(_) => {}
                            Err(e @ HostError::Store(_)) => return Err(e),
                            // Checked by the node that queued it; what was
                            // deployed since may refuse it.
                            Err(e) => {
                                tracing::warn!(
                                    machine = %k.0, key = %k.1, error = %e,
                                    "instance {}/{}: a queued command was refused: {e}",
                                    k.0, k.1
                                );
                                if let Some(r) = reply {
                                    let event = Event::CallFailed {
                                        call: r.call,
                                        attempt: r.attempt,
                                        error: e.to_string(),
                                        retryable: false,
                                    };
                                    self.follow.push_back(FollowUp::Deliver(r.run_id, event));
                                }
                            }
                        }
                    }
                    InstanceEvent::Finished {
                        seq,
                        run_id,
                        result,
                    } => self.finish_command(&k, seq, &run_id, result, now)?,
                }
            }
            self.drain_follow_ups(now)?;
        }
        Ok(n)
    }

    /// In a cluster: extends this node's claims on the instances it holds;
    /// an instance whose claim was lost is forgotten (unless it has writes
    /// still to commit: the store refuses those, and the host starts over).
    pub(crate) fn renew_instance_claims(&mut self, now: i64) -> Result<(), HostError> {
        let Some(cl) = self.cluster.clone() else {
            return Ok(());
        };
        let claims: Vec<InstanceClaim> = self
            .instances
            .values()
            .filter_map(|i| i.claim.clone())
            .collect();
        if claims.is_empty() {
            return Ok(());
        }
        let committed = self.committed_no;
        for lost in cl
            .store
            .renew_instances(&cl.node, &claims, now, cl.lease_ms)?
        {
            tracing::warn!(
                node = %cl.node, machine = %lost.machine, key = %lost.key,
                "node {} lost its claim on instance {}/{}",
                cl.node, lost.machine, lost.key
            );
            let k = (lost.machine, lost.key);
            if self
                .instances
                .get(&k)
                .is_some_and(|i| i.last_batch <= committed)
            {
                self.instances.remove(&k);
            }
        }
        Ok(())
    }

    /// Forgets instances whose last write is committed (batch `no` and
    /// before); returns the claims to release.
    pub(crate) fn evict_instances(&mut self, no: u64) -> Vec<InstanceClaim> {
        self.command_ids.retain(|_, (_, batch)| *batch > no);
        let mut released = Vec::new();
        self.instances.retain(|_, inst| {
            let keep = inst.last_batch > no;
            if !keep {
                released.extend(inst.claim.clone());
            }
            keep
        });
        released
    }
}

/// The fields at `paths` of `state`, in an object of the same shape.
fn select(state: &Json, paths: &[String]) -> Json {
    let mut out = Json::Object(Default::default());
    for p in paths {
        let parts: Vec<&str> = p.split('.').collect();
        let mut v = state;
        for part in &parts {
            v = v.get(*part).unwrap_or(&Json::Null);
        }
        let mut slot = &mut out;
        for (i, part) in parts.iter().enumerate() {
            let map = match slot {
                Json::Object(m) => m,
                _ => break,
            };
            if i + 1 == parts.len() {
                map.insert(part.to_string(), v.clone());
                break;
            }
            slot = map
                .entry(part.to_string())
                .or_insert_with(|| Json::Object(Default::default()));
        }
    }
    out
}

/// A machine's event as triggers take it: its id names the instance and
/// the version the command made, so it is the same id however often the
/// command's end is applied.
fn machine_event(e: &machines::MachineEvent) -> weft_store::IncomingEvent {
    weft_store::IncomingEvent {
        id: format!("machine:{}/{}/{}", e.machine, e.key, e.version),
        kind: e.kind.clone(),
        subject: Some(e.machine.clone()),
        data: json!({
            "key": e.key,
            "version": e.version,
            "command": e.command,
            "commandId": e.command_id,
            "state": e.state,
        }),
        source: Some("machine".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_picks_nested_fields() {
        let state = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": 4});
        assert_eq!(
            select(&state, &["a".into(), "b.c".into(), "x.y".into()]),
            json!({"a": 1, "b": {"c": 2}, "x": {"y": null}})
        );
    }
}
