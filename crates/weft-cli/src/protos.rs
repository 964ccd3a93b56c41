//! The `.proto` files of a program, read from disk: a `@grpc` binding names
//! its file relative to the folder of the Weft file that declares it, and
//! that folder is where the file's imports are looked up too (as
//! `protoc -I <folder>` would).

use std::path::Path;

/// The files `names` (and what they import) in `dir`, by import name.
pub fn read(dir: &Path, names: &[String]) -> Result<weft_grpc::Sources, weft_grpc::Error> {
    weft_grpc::protos::gather(names, |name| {
        if name.starts_with('/') || name.split('/').any(|c| c == "..") {
            return Err(format!(
                "`{name}` leaves the folder {}: imports are relative to it",
                shown(dir)
            ));
        }
        match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", dir.join(name).display())),
        }
    })
}

/// A folder for messages (`.` for the current one).
pub fn shown(dir: &Path) -> String {
    if dir.as_os_str().is_empty() {
        ".".into()
    } else {
        dir.display().to_string()
    }
}
