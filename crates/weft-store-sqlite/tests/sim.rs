//! Flows end to end through the runtime's simulator, on the SQLite store
//! and on the memory store, across a simulated crash of the host and a
//! reopen of the store (the scenario every durable store runs).

use std::sync::Arc;

use weft_store::Store;
use weft_store_sqlite::SqliteStore;

#[path = "../../weft-runtime/tests/support/store_sim.rs"]
mod store_sim;

#[test]
fn flows_leave_the_same_state_as_on_the_memory_store() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().to_path_buf();
    store_sim::leaves_the_same_state_as_the_memory_store(&|| -> Arc<dyn Store> {
        Arc::new(SqliteStore::open(&dir).unwrap())
    });
}
