//! A reference model of flows and the machinery to compare the engine with
//! it: a generator of programs, scripted activities, a tree-walking
//! evaluator, and a harness that runs programs through the simulator.

pub mod ast;
pub mod engine;
pub mod eval;
pub mod gen;
pub mod script;
