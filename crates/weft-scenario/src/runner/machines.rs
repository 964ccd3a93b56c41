//! The machine parts of a scenario: its commands, sent before the flow,
//! and its expected instances.

use std::collections::BTreeMap;

use weft_runtime::host::CommandRequest;
use weft_runtime::sim::Sim;
use weft_store::{CommandStatus, Store};

use crate::compare::difference;
use crate::format::{CommandStep, InstanceExpect};

/// Sends each command in turn, letting virtual time run until it is
/// applied or refused (or `horizon`), and checks its answer.
pub fn send_commands(
    sim: &mut Sim,
    commands: &[CommandStep],
    horizon: i64,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    for (i, c) in commands.iter().enumerate() {
        let at = format!("commands[{i}] ({}/{}/{})", c.machine, c.key, c.command);
        if c.after_ms > 0 {
            let until = sim.now + c.after_ms;
            sim.run_until_idle(until)
                .map_err(|e| format!("the engine failed: {e}"))?;
            sim.now = sim.now.max(until);
        }
        let req = CommandRequest {
            machine: c.machine.clone(),
            key: c.key.clone(),
            command: c.command.clone(),
            input: c.input.clone(),
            command_id: c.command_id.clone(),
            reply: None,
        };
        let now = sim.now;
        let sent = match sim.host.send_command(req, now) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{at}: refused when sent: {e}"));
                continue;
            }
        };
        sim.run_until_idle(horizon)
            .map_err(|e| format!("the engine failed: {e}"))?;
        let Some(want) = &c.expect else { continue };
        let rec = sim
            .store()
            .command_by_id(&c.machine, &c.key, &sent.record.command_id)
            .map_err(|e| format!("the store failed: {e}"))?;
        let Some(rec) = rec else {
            failures.push(format!("{at}: the command was not stored"));
            continue;
        };
        if let Some(status) = want.status {
            if status != rec.status {
                let why = rec
                    .error
                    .as_ref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                failures.push(format!(
                    "{at}: expected {}, got {}{why}",
                    status.as_str(),
                    rec.status.as_str()
                ));
            }
        }
        if let Some(state) = &want.state {
            let got = rec.state.clone().unwrap_or(serde_json::Value::Null);
            if let Some(diff) = difference(state, &got, &format!("{at}.state")) {
                failures.push(diff);
            }
        }
        if want.version.is_some() && want.version != rec.version {
            failures.push(format!(
                "{at}: expected version {:?}, got {:?}",
                want.version, rec.version
            ));
        }
        if let Some(reason) = &want.reason {
            let got = rec
                .error
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default();
            if rec.status != CommandStatus::Refused || !got.contains(reason.as_str()) {
                failures.push(format!(
                    "{at}: expected a refusal whose reason contains {reason:?}, got {} {got}",
                    rec.status.as_str()
                ));
            }
        }
    }
    Ok(())
}

/// Compares the instances at the end with what the scenario expects.
pub fn check_instances(
    store: &dyn Store,
    want: &BTreeMap<(String, String), Option<InstanceExpect>>,
    failures: &mut Vec<String>,
) {
    for ((machine, key), expect) in want {
        let at = format!("instances.{machine}/{key}");
        let got = match store.instance(machine, key) {
            Ok(row) => row.map(|r| r.instance).filter(|i| i.version > 0),
            Err(e) => {
                failures.push(format!("{at}: the store failed: {e}"));
                continue;
            }
        };
        match (expect, got) {
            (None, None) => {}
            (None, Some(i)) => failures.push(format!(
                "{at}: expected no instance, got version {} with state {}",
                i.version, i.state
            )),
            (Some(_), None) => failures.push(format!("{at}: expected an instance, got none")),
            (Some(want), Some(i)) => {
                if let Some(state) = &want.state {
                    if let Some(diff) = difference(state, &i.state, &format!("{at}.state")) {
                        failures.push(diff);
                    }
                }
                if want.version.is_some_and(|v| v != i.version) {
                    failures.push(format!(
                        "{at}: expected version {}, got {}",
                        want.version.unwrap_or_default(),
                        i.version
                    ));
                }
            }
        }
    }
}
