//! `weft lsp` driven as an editor drives it: JSON-RPC messages with
//! `Content-Length` framing over the process's standard input and output.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one answer may take.
const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    queued: Vec<Value>,
    next_id: i64,
}

/// Reads framed messages from the server until its output closes.
fn read_messages(out: impl Read, tx: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(out);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let value: Value = serde_json::from_slice(&body).expect("JSON from the server");
        if tx.send(value).is_err() {
            return;
        }
    }
}

impl Client {
    /// Starts `weft lsp` and initializes it.
    fn start() -> Client {
        let mut client = Client::spawn();
        client.initialize();
        client
    }

    /// Starts `weft lsp` without initializing it.
    fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_weft"))
            .arg("lsp")
            // The server writes its diagnostics page under the cache
            // directory: the test's own, inside the build directory.
            .env("XDG_CACHE_HOME", cache_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("weft lsp starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || read_messages(stdout, tx));
        Client {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            queued: Vec::new(),
            next_id: 0,
        }
    }

    /// `initialize` and `initialized`; returns the server's capabilities.
    fn initialize(&mut self) -> Value {
        self.initialize_with(json!({}))
    }

    /// `initialize` with the client's `capabilities`, and `initialized`.
    fn initialize_with(&mut self, capabilities: Value) -> Value {
        let init = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        let caps = &init["result"]["capabilities"];
        assert_eq!(caps["positionEncoding"], "utf-16", "{init}");
        assert_eq!(caps["hoverProvider"], true, "{init}");
        assert_eq!(caps["renameProvider"]["prepareProvider"], true, "{init}");
        assert_eq!(init["result"]["serverInfo"]["name"], "weft");
        self.notify("initialized", json!({}));
        caps.clone()
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    /// Sends `body` framed, whatever it holds.
    fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    /// The next message that is not a notification.
    fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next(deadline);
            if m.get("method").is_none() {
                return m;
            }
            self.queued.push(m);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns the whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next(deadline);
            if m["id"] == id && m.get("method").is_none() {
                return m;
            }
            self.queued.push(m);
        }
    }

    /// Waits for a request of the server to the client, and returns it.
    fn server_request(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .queued
            .iter()
            .position(|m| m["method"] == method && m.get("id").is_some())
        {
            return self.queued.remove(i);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next(deadline);
            if m["method"] == method && m.get("id").is_some() {
                return m;
            }
            self.queued.push(m);
        }
    }

    /// The result of a request that must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Waits for diagnostics of `uri` that satisfy `ok`, and returns them.
    fn diagnostics(&mut self, uri: &str, ok: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        let mut check = |m: &Value| -> Option<Vec<Value>> {
            if m["method"] != "textDocument/publishDiagnostics" || m["params"]["uri"] != uri {
                return None;
            }
            let list = m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            last = Some(list.clone());
            ok(&list).then_some(list)
        };
        let queued = std::mem::take(&mut self.queued);
        for m in &queued {
            if let Some(found) = check(m) {
                return found;
            }
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) => {
                    if let Some(found) = check(&m) {
                        return found;
                    }
                }
                Err(_) => panic!("no matching diagnostics for {uri}; the last were {last:?}"),
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "weft", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; returns the exit code.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.stdin.take();
        self.wait()
    }

    fn wait(mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited normally");
            }
            assert!(Instant::now() < deadline, "weft lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("weft-lsp-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The position of the `n`th (0-based) occurrence of `needle` in `text`,
/// in LSP terms (UTF-16 columns), plus `shift` characters.
fn pos(text: &str, needle: &str, n: usize, shift: u32) -> Value {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` #{n} in the text"))
        .0;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..at].encode_utf16().count() as u32 + shift;
    json!({"line": line, "character": character})
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

const VALID: &str = "flow Greet(input) {\n    name = input.name\n    sent = SendGreeting(name) @retry(3)\n    return sent\n}\n";

#[test]
fn diagnostics_follow_edits_and_shutdown_exits_0() {
    let dir = temp_dir("edits");
    let file = dir.join("greet.weft");
    let u = uri(&file);
    let mut c = Client::start();
    c.open(&u, VALID);
    c.diagnostics(&u, |d| d.is_empty());

    // A missing `}`: E0013 at the end of the file, labelled with the brace
    // that opened the block.
    let broken = VALID.trim_end().trim_end_matches('}');
    c.change(&u, 2, broken);
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0013"], "{d:?}");
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["source"], "weft");
    assert_eq!(d[0]["range"]["start"], json!({"line": 4, "character": 0}));
    let related = &d[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], u);
    assert_eq!(related["location"]["range"]["start"], pos(VALID, "{", 0, 0));

    // A misspelt variable: E0100 on the name, with a suggestion.
    let misspelt = VALID.replace("SendGreeting(name)", "SendGreeting(nmae)");
    c.change(&u, 3, &misspelt);
    let d = c.diagnostics(&u, |d| codes(d).contains(&"E0100".to_string()));
    let e = d.iter().find(|d| d["code"] == "E0100").unwrap();
    assert_eq!(e["range"]["start"], pos(&misspelt, "nmae", 0, 0));
    assert_eq!(e["range"]["end"], pos(&misspelt, "nmae", 0, 4));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `name`?"),
        "{e}"
    );
    // Each code links to its section of docs/diagnostics.md.
    // By default the link is to the page built into the binary, written
    // to the cache directory.
    let href = e["codeDescription"]["href"].as_str().unwrap();
    assert!(href.starts_with("file://"), "{href}");
    assert!(href.ends_with("/diagnostics.md#e0100"), "{href}");
    // (The test's cache path has no characters a URL escapes.)
    let page = std::path::PathBuf::from(&href["file://".len()..href.len() - "#e0100".len()]);
    assert!(page.starts_with(cache_dir()), "{}", page.display());
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(text.contains("## E0100"), "the page has E0100's section");
    assert!(e.get("tags").is_none(), "{e}");
    // `name` is now unused: a warning, tagged as unnecessary code.
    let w = d.iter().find(|d| d["code"] == "W0161").expect("W0161");
    assert_eq!(w["severity"], 2);
    assert_eq!(w["tags"], json!([1]), "{w}");

    // Back to the valid text: cleared.
    c.change(&u, 4, VALID);
    c.diagnostics(&u, |d| d.is_empty());

    // An incremental change: `name` → `nam` in the call.
    let at = pos(VALID, "(name)", 0, 4);
    let end = pos(VALID, "(name)", 0, 5);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 5},
               "contentChanges": [{"range": {"start": at, "end": end}, "text": ""}]}),
    );
    let d = c.diagnostics(&u, |d| codes(d).contains(&"E0100".to_string()));
    let e = d.iter().find(|d| d["code"] == "E0100").unwrap();
    assert!(e["message"].as_str().unwrap().contains("`nam`"), "{e}");

    // Closing clears its diagnostics.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    c.diagnostics(&u, |d| d.is_empty());

    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_count_utf16_units() {
    let dir = temp_dir("utf16");
    let u = uri(&dir.join("a.weft"));
    // `é` is one UTF-16 unit (two bytes), `😀` two units (four bytes).
    let text = "flow A(x) {\n    y = \"é😀\" + zz\n    return y\n}\n";
    let mut c = Client::start();
    c.open(&u, text);
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0100"]);
    // Column: 4 spaces, `y = "` (5), é (1), 😀 (2), `" + ` (4) = 16.
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 16}));
    assert_eq!(d[0]["range"]["end"], json!({"line": 1, "character": 18}));
    // Hover at a UTF-16 position after the emoji finds the name.
    let h = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 12}}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("first assigned on line 2"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

const SHOP: &str = "flow Shop(order) {\n    total = 0\n    paid = Charge(order.card) @retry(3)\n    \n    shipped = Ship(order, )\n    return({paid: paid, total: total})\n}\n\nflow Ship(order, carrier) {\n    return Dispatch(order) @timeout(1h)\n}\n";

fn labels(list: &Value) -> Vec<String> {
    let items = list
        .as_array()
        .or(list["items"].as_array())
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_hover() {
    let dir = temp_dir("complete");
    let u = uri(&dir.join("shop.weft"));
    let mut c = Client::start();
    c.open(&u, SHOP);
    let at = |c: &mut Client, p: Value| {
        c.result(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": p}),
        )
    };

    // After `@`: the annotations, with their docs.
    let r = at(&mut c, pos(SHOP, "@retry", 0, 1));
    assert_eq!(labels(&r), ["retry", "timeout", "catch"]);
    assert_eq!(r["isIncomplete"], false, "{r}");
    let first = &r["items"][0];
    assert!(
        first["detail"].as_str().unwrap().starts_with("@retry(n"),
        "{first}"
    );
    assert_eq!(first["documentation"]["kind"], "markdown");

    // Inside a call's arguments: the flow's named arguments, variables
    // assigned before, built-ins, activities called elsewhere; no
    // statement keywords, and not `shipped`, assigned by this statement.
    let l = labels(&at(&mut c, pos(SHOP, "order, )", 0, 7)));
    for e in [
        "carrier:", "order:", "order", "total", "paid", "len", "Charge", "Dispatch", "Shop",
    ] {
        assert!(l.contains(&e.to_string()), "`{e}` missing: {l:?}");
    }
    for a in ["let", "return", "shipped"] {
        assert!(!l.contains(&a.to_string()), "`{a}` present: {l:?}");
    }

    // At the start of a statement: keywords too.
    let l = labels(&at(&mut c, json!({"line": 3, "character": 4})));
    for e in [
        "let", "if", "for", "return", "order", "paid", "Sleep", "Ship",
    ] {
        assert!(l.contains(&e.to_string()), "`{e}` missing: {l:?}");
    }

    // Hover: a variable, a built-in call, an annotation, a flow.
    let hover = |c: &mut Client, p: Value| -> String {
        let h = c.result(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": p}),
        );
        assert_eq!(h["contents"]["kind"], "markdown", "{h}");
        h["contents"]["value"].as_str().unwrap().to_string()
    };
    let h = hover(&mut c, pos(SHOP, "paid,", 0, 1));
    assert!(h.contains("paid = Charge(order.card) @retry(3)"), "{h}");
    assert!(
        h.contains("variable of flow `Shop`, first assigned on line 3"),
        "{h}"
    );
    let h = hover(&mut c, pos(SHOP, "order)", 0, 0));
    assert!(h.contains("parameter of flow `Shop`"), "{h}");
    let h = hover(&mut c, pos(SHOP, "retry", 0, 2));
    assert!(h.contains("Up to `n` more attempts"), "{h}");
    let h = hover(&mut c, pos(SHOP, "Ship(", 0, 1));
    assert!(h.contains("flow Ship(order, carrier)"), "{h}");
    let h = hover(&mut c, pos(SHOP, "Charge", 0, 1));
    assert!(h.contains("Activity") && h.contains("Called once"), "{h}");

    let with_builtin = SHOP.replace("total = 0", "total = len(order.items)");
    c.change(&u, 2, &with_builtin);
    let h = hover(&mut c, pos(&with_builtin, "len", 0, 1));
    assert!(h.contains("len(x) -> number"), "{h}");
    assert!(h.contains("Elements of a list"), "{h}");
    // Nothing to say about a keyword.
    let h = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(SHOP, "return", 0, 1)}),
    );
    assert_eq!(h, Value::Null);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn navigation_across_two_files_of_a_folder() {
    let dir = temp_dir("nav");
    let a = dir.join("a.weft");
    let b = dir.join("b.weft");
    let a_text = "flow Main(input) {\n    r = Helper(input, 2)\n    return Helper(r, 1)\n}\n";
    let b_text = "flow Helper(x, n) {\n    y = x\n    return Notify(y, n)\n}\n";
    std::fs::write(&a, a_text).unwrap();
    std::fs::write(&b, b_text).unwrap();
    let (ua, ub) = (uri(&a), uri(&b));
    let mut c = Client::start();
    // Only `a.weft` is open: `b.weft` is read from disk.
    c.open(&ua, a_text);
    c.diagnostics(&ua, |d| d.is_empty());
    let doc_pos = |u: &str, p: Value| json!({"textDocument": {"uri": u}, "position": p});

    // Definition of a flow in the other file.
    let d = c.result(
        "textDocument/definition",
        doc_pos(&ua, pos(a_text, "Helper", 0, 2)),
    );
    assert_eq!(d["uri"], ub);
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 5}));
    assert_eq!(d["range"]["end"], json!({"line": 0, "character": 11}));
    // Definition of a variable: its first assignment.
    let d = c.result(
        "textDocument/definition",
        doc_pos(&ua, pos(a_text, "r, 1", 0, 0)),
    );
    assert_eq!(d["uri"], ua);
    assert_eq!(d["range"]["start"], pos(a_text, "r = ", 0, 0));

    // References of the flow: the declaration and both calls.
    let mut params = doc_pos(&ua, pos(a_text, "Helper", 1, 0));
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.result("textDocument/references", params);
    let mut found: Vec<(String, u64)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap().to_string(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found, [(ua.clone(), 1), (ua.clone(), 2), (ub.clone(), 0)]);
    // References of a variable stay in its flow.
    let mut params = doc_pos(&ua, pos(a_text, "input", 0, 0));
    params["context"] = json!({"includeDeclaration": false});
    let refs = c.result("textDocument/references", params);
    assert_eq!(refs.as_array().unwrap().len(), 1, "{refs}");

    // Rename the flow across both files.
    let p = c.result(
        "textDocument/prepareRename",
        doc_pos(&ua, pos(a_text, "Helper", 0, 0)),
    );
    assert_eq!(p["start"], pos(a_text, "Helper", 0, 0));
    let mut params = doc_pos(&ua, pos(a_text, "Helper", 0, 0));
    params["newName"] = json!("Assist");
    let edit = c.result("textDocument/rename", params);
    assert_eq!(edit["changes"][&ua].as_array().unwrap().len(), 2, "{edit}");
    assert_eq!(edit["changes"][&ub].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(edit["changes"][&ub][0]["newText"], "Assist");
    // Rename a variable: its uses in its flow only.
    let mut params = doc_pos(&ua, pos(a_text, "r = ", 0, 0));
    params["newName"] = json!("result");
    let edit = c.result("textDocument/rename", params);
    assert_eq!(edit["changes"][&ua].as_array().unwrap().len(), 2, "{edit}");
    assert!(edit["changes"].get(&ub).is_none());
    // Keywords, built-ins and bad names are refused with a message.
    let mut params = doc_pos(&ua, pos(a_text, "return", 0, 1));
    params["newName"] = json!("give");
    let r = c.request("textDocument/rename", params);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`return` is a keyword"),
        "{r}"
    );
    let mut params = doc_pos(&ua, pos(a_text, "r = ", 0, 0));
    params["newName"] = json!("while");
    let r = c.request("textDocument/rename", params);
    assert!(
        r["error"]["message"].as_str().unwrap().contains("keyword"),
        "{r}"
    );

    // A change in one file checks its open sibling again: `Helper` loses a
    // parameter, so the calls in `a.weft` pass too many arguments.
    c.open(&ub, b_text);
    c.diagnostics(&ub, |d| d.is_empty());
    let b_changed = b_text
        .replace("flow Helper(x, n)", "flow Helper(x)")
        .replace("Notify(y, n)", "Notify(y)");
    c.change(&ub, 2, &b_changed);
    let d = c.diagnostics(&ua, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0141", "E0141"], "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 1);
    c.change(&ub, 3, b_text);
    c.diagnostics(&ua, |d| d.is_empty());
    assert_eq!(c.shutdown(), 0);
}

const CONTRACTS: &str = "type Card = {number: string, expiry: string}\nactivity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}\nactivity Charge(card: Card, amount: number, note?: string) -> {status: string, id: string}\n    @http(method: \"POST\", url: \"https://pay.test/charge\", body: \"card\", query: {amount: \"amount\", note: \"note\"})\n";

const REGISTER: &str = "flow Register(input) {\n    reserved = ReserveNick(input.nick)\n    if reserved.status != \"ok\" {\n        return({status: \"error\"})\n    }\n    paid = Charge(input.card, amount: 10)\n    return paid.id\n}\n";

#[test]
fn declarations_in_another_file_of_the_folder() {
    let dir = temp_dir("declarations");
    let (contracts, main) = (dir.join("contracts.weft"), dir.join("main.weft"));
    std::fs::write(&contracts, CONTRACTS).unwrap();
    std::fs::write(&main, REGISTER).unwrap();
    let (uc, um) = (uri(&contracts), uri(&main));
    let mut c = Client::start();
    // Only `main.weft` is open: the declarations are read from disk.
    c.open(&um, REGISTER);
    c.diagnostics(&um, |d| d.is_empty());
    let doc_pos = |u: &str, p: Value| json!({"textDocument": {"uri": u}, "position": p});

    // Hover on calls: the declared signature, the binding, the calls.
    let hover = |c: &mut Client, p: Value| -> String {
        let h = c.result("textDocument/hover", doc_pos(&um, p));
        h["contents"]["value"].as_str().unwrap().to_string()
    };
    let h = hover(&mut c, pos(REGISTER, "ReserveNick", 0, 3));
    assert!(
        h.contains("activity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}"),
        "{h}"
    );
    assert!(
        h.contains("declared in `contracts.weft` on line 2; called once"),
        "{h}"
    );
    let h = hover(&mut c, pos(REGISTER, "Charge", 0, 0));
    assert!(h.contains("`@http`: `POST https://pay.test/charge`"), "{h}");

    // Completion: declared activities with their signatures, a declared
    // activity's parameters as named arguments, the fields of a result.
    let complete = |c: &mut Client, p: Value| c.result("textDocument/completion", doc_pos(&um, p));
    let r = complete(&mut c, json!({"line": 5, "character": 4}));
    let charge = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Charge")
        .expect("Charge offered");
    assert_eq!(
        charge["detail"],
        "activity Charge(card: Card, amount: number, note?: string) -> {status: string, id: string}"
    );
    assert_eq!(charge["kind"], 2, "a method: {charge}");
    let l = labels(&complete(&mut c, pos(REGISTER, "amount: 10", 0, 0)));
    for e in ["card:", "amount:", "note:", "input", "reserved"] {
        assert!(l.contains(&e.to_string()), "`{e}` missing: {l:?}");
    }
    let l = labels(&complete(&mut c, pos(REGISTER, "reserved.status", 0, 9)));
    assert_eq!(l, ["status", "nick", "ID"]);

    // Definition in the other file; references and rename across both.
    let d = c.result(
        "textDocument/definition",
        doc_pos(&um, pos(REGISTER, "Charge", 0, 2)),
    );
    assert_eq!(d["uri"], uc);
    assert_eq!(d["range"]["start"], pos(CONTRACTS, "Charge", 0, 0));
    let mut params = doc_pos(&um, pos(REGISTER, "ReserveNick", 0, 0));
    params["newName"] = json!("ReserveName");
    let edit = c.result("textDocument/rename", params);
    assert_eq!(edit["changes"][&uc].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(
        edit["changes"][&uc][0]["range"]["start"],
        pos(CONTRACTS, "ReserveNick", 0, 0)
    );
    assert_eq!(edit["changes"][&um].as_array().unwrap().len(), 1, "{edit}");

    // A misspelt field of a declared result: E0206, until it is fixed.
    let misspelt = REGISTER.replace("reserved.status", "reserved.stauts");
    c.change(&um, 2, &misspelt);
    let d = c.diagnostics(&um, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0206"], "{d:?}");
    assert_eq!(d[0]["range"]["start"], pos(&misspelt, "stauts", 0, 0));
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `status`?"),
        "{d:?}"
    );
    c.change(&um, 3, REGISTER);
    c.diagnostics(&um, |d| d.is_empty());

    // Editing the declarations checks the calls again: the field is gone
    // from the result type, then back.
    c.open(&uc, CONTRACTS);
    c.diagnostics(&uc, |d| d.is_empty());
    let renamed = CONTRACTS.replace("{status: string, nick", "{state: string, nick");
    c.change(&uc, 2, &renamed);
    let d = c.diagnostics(&um, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0206"], "{d:?}");
    assert_eq!(d[0]["range"]["start"], pos(REGISTER, "status", 0, 0));
    c.change(&uc, 3, CONTRACTS);
    c.diagnostics(&um, |d| d.is_empty());

    // Renaming a parameter renames the named arguments of its calls and
    // where `@http` names it.
    let mut params = doc_pos(&uc, pos(CONTRACTS, "amount", 0, 1));
    params["newName"] = json!("total");
    let edit = c.result("textDocument/rename", params);
    assert_eq!(edit["changes"][&uc].as_array().unwrap().len(), 2, "{edit}");
    assert_eq!(edit["changes"][&um].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(
        edit["changes"][&um][0]["range"]["start"],
        pos(REGISTER, "amount", 0, 0)
    );

    // The outline of the declarations.
    let s = c.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uc}}),
    );
    let outline: Vec<(String, u64)> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["kind"].as_u64().unwrap(),
            )
        })
        .collect();
    // 23: struct; 6: method.
    assert_eq!(
        outline,
        [
            ("Card".to_string(), 23),
            ("ReserveNick".to_string(), 6),
            ("Charge".to_string(), 6)
        ]
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn symbols_and_formatting() {
    let dir = temp_dir("symbols");
    let u = uri(&dir.join("onboard.weft"));
    let text = "flow Onboard(e) {\n  it = flow SetupIT(e) {\n    a = CreateAccount(e)\n    return a\n  }\n  hr = SetupHR(e) {\n    return Enroll(e)\n  }\n  return ParallelExecute([it,hr])\n}\nflow Other() { return 1 }\n";
    let mut c = Client::start();
    c.open(&u, text);
    let s = c.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let top: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["Onboard", "Other"]);
    let kids: Vec<&str> = s[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["SetupIT", "SetupHR"]);
    assert_eq!(s[0]["detail"], "(e)");
    assert_eq!(
        s[0]["selectionRange"]["start"],
        json!({"line": 0, "character": 5})
    );
    assert_eq!(s[0]["range"]["end"], json!({"line": 9, "character": 1}));

    // Formatting: one edit, the canonical text.
    let edits = c.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let formatted = edits[0]["newText"].as_str().unwrap();
    assert!(
        formatted.contains("    it = flow SetupIT(e) {\n        a = CreateAccount(e)"),
        "{formatted}"
    );
    assert!(
        formatted.contains("ParallelExecute([it, hr])"),
        "{formatted}"
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 11, "character": 0})
    );
    // Already formatted: no edit.
    c.change(&u, 2, formatted);
    let edits = c.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));
    // Syntax errors: refused with a message.
    c.change(&u, 3, "flow A( {\n");
    let r = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": u}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let message = r["error"]["message"].as_str().unwrap();
    assert!(message.contains("syntax errors"), "{r}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn garbage_never_breaks_the_server() {
    let dir = temp_dir("garbage");
    let u = uri(&dir.join("g.weft"));
    let mut c = Client::start();
    let texts = [
        "flow",
        "flow A(",
        "flow A(x) { y = ",
        "@@@ ((( ]]] }}} {{{",
        "flow A(x) { F(x) @retry(\"x\" @timeout( }",
        "\"unterminated",
        "/* unterminated /* nested",
        "flow A(x) { r = flow B(x, n: ) { C(x) { D( } }",
        "flow é(ü) { 😀 = 1 }",
        "activity A(x?: {y: [string | ",
        "type T = {a: T, ..} @http(url: \"{x\nactivity B() -> T @http(",
        "\u{0}\u{1}\r\r\n\t",
    ];
    for (v, text) in texts.iter().enumerate() {
        if v == 0 {
            c.open(&u, text);
        } else {
            c.change(&u, v as i64 + 1, text);
        }
        let lines = text.split('\n').count() as u32;
        for line in 0..=lines {
            for character in [0u32, 1, 3, 7, 12, 40] {
                let p = json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}});
                for method in [
                    "textDocument/completion",
                    "textDocument/hover",
                    "textDocument/definition",
                    "textDocument/prepareRename",
                ] {
                    let r = c.request(method, p.clone());
                    assert!(
                        r.get("result").is_some() || r["error"]["code"] == -32803,
                        "{method}: {r}"
                    );
                }
                let mut refs = p.clone();
                refs["context"] = json!({"includeDeclaration": true});
                c.result("textDocument/references", refs);
            }
        }
        c.result(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": u}}),
        );
    }
    // Unknown requests get an error, not silence.
    let r = c.request("weft/frobnicate", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // Bad parameters too.
    let r = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_exits_1() {
    let mut c = Client::start();
    c.notify("exit", Value::Null);
    c.stdin.take();
    assert_eq!(c.wait(), 1);
}

#[test]
fn requests_before_initialize_and_malformed_messages_are_answered_and_the_server_goes_on() {
    let mut c = Client::spawn();
    // Before `initialize`: the protocol's error, and the server waits on.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.weft"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.notify("textDocument/didOpen", json!({}));
    c.initialize();
    let dir = temp_dir("malformed");
    let u = uri(&dir.join("a.weft"));
    c.open(&u, VALID);
    c.diagnostics(&u, |d| d.is_empty());
    // Not JSON: a parse error with a null id.
    c.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let r = c.next_response();
    assert_eq!(r["error"]["code"], -32700, "{r}");
    assert_eq!(r["id"], Value::Null, "{r}");
    // JSON, but no message: an invalid request, with its id when it has one.
    c.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 7, \"params\": 1}");
    let r = c.next_response();
    assert_eq!(r["error"]["code"], -32600, "{r}");
    assert_eq!(r["id"], 7, "{r}");
    c.send_raw(b"[1, 2]");
    let r = c.next_response();
    assert_eq!(r["error"]["code"], -32600, "{r}");
    // Invalid UTF-8 in the body.
    c.send_raw(b"{\"jsonrpc\": \"2.0\", \"method\": \"\xff\"}");
    let r = c.next_response();
    assert_eq!(r["error"]["code"], -32700, "{r}");
    // A second `initialize` is refused; everything else still works.
    let r = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let h = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(VALID, "name)", 0, 1)}),
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("variable"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_folder_of_many_files_is_one_program_as_weft_check_takes_it() {
    let dir = temp_dir("many");
    // 300 flows, one per file, and a main file that calls the last one.
    for i in 0..300 {
        std::fs::write(
            dir.join(format!("f{i:03}.weft")),
            format!("flow F{i}(x) {{\n    return x + {i}\n}}\n"),
        )
        .unwrap();
    }
    let main = "flow Main(x) {\n    return F299(x, 1)\n}\n";
    let path = dir.join("main.weft");
    std::fs::write(&path, main).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_weft"))
        .arg("check")
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stderr);
    assert!(
        report.contains("error[E0141]: `F299` takes 1 argument"),
        "{report}"
    );
    let u = uri(&path);
    let mut c = Client::start();
    c.open(&u, main);
    // The same finding as `weft check`: `F299` is a flow of the program,
    // called with one argument too many.
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0141"], "{d:?}");
    let h = c.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(main, "F299", 0, 1)}),
    );
    let h = h["contents"]["value"].as_str().unwrap();
    assert!(
        h.contains("flow F299(x)") && h.contains("Flow of this program"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn changes_on_disk_check_open_files_again() {
    // A client that does not watch files: the server looks itself.
    let dir = temp_dir("disk-poll");
    let main = dir.join("main.weft");
    let text = "flow Main(x) {\n    return Helper(x)\n}\n";
    std::fs::write(&main, text).unwrap();
    let u = uri(&main);
    let mut c = Client::start();
    c.open(&u, text);
    c.diagnostics(&u, |d| d.is_empty());
    // A sibling appears on disk (a `git checkout`, a new file): `Helper`
    // is now a flow with two parameters.
    std::fs::write(
        dir.join("helper.weft"),
        "flow Helper(x, n) {\n    return x\n}\n",
    )
    .unwrap();
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0141"], "{d:?}");
    std::fs::remove_file(dir.join("helper.weft")).unwrap();
    c.diagnostics(&u, |d| d.is_empty());
    assert_eq!(c.shutdown(), 0);

    // A client that watches: the server registers for `.weft` files and
    // checks again when told of a change.
    let dir = temp_dir("disk-watch");
    let main = dir.join("main.weft");
    std::fs::write(&main, text).unwrap();
    let u = uri(&main);
    let mut c = Client::spawn();
    c.initialize_with(
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let reg = c.server_request("client/registerCapability");
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles", "{reg}");
    assert_eq!(
        r["registerOptions"]["watchers"][0]["globPattern"], "**/*.weft",
        "{reg}"
    );
    c.send(json!({"jsonrpc": "2.0", "id": reg["id"], "result": null}));
    c.open(&u, text);
    c.diagnostics(&u, |d| d.is_empty());
    let helper = dir.join("helper.weft");
    std::fs::write(&helper, "flow Helper(x, n) {\n    return x\n}\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&helper), "type": 1}]}),
    );
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0141"], "{d:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completion_filters_ranks_and_says_when_it_is_cut() {
    let dir = temp_dir("many-activities");
    let mut contracts = String::new();
    for i in 0..1200 {
        contracts.push_str(&format!("activity Op{i}(x: int) -> int\n"));
    }
    contracts.push_str(
        "activity Fetch(url: string) -> {status: int, headers: {\"content-type\": string, etag?: string}}\n",
    );
    std::fs::write(dir.join("contracts.weft"), &contracts).unwrap();
    let main = "flow Main(input) {\n    r = Fetch(input)\n    \n    t = r.headers.\n}\n";
    let path = dir.join("main.weft");
    std::fs::write(&path, main).unwrap();
    let u = uri(&path);
    let mut c = Client::start();
    c.open(&u, main);
    // At an empty line: cut, marked incomplete, locals first, and the
    // keywords and built-ins still there.
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 4}}),
    );
    assert_eq!(r["isIncomplete"], true);
    let l = labels(&r);
    assert_eq!(l.len(), 1000);
    assert_eq!(l[..2], ["input", "r"]);
    for e in ["len", "await", "true", "null", "let"] {
        assert!(l.contains(&e.to_string()), "`{e}` missing");
    }
    // The server's order is the one shown: sortText follows it.
    let items = r["items"].as_array().unwrap();
    assert_eq!(items[0]["sortText"], "0000");
    assert_eq!(items[999]["sortText"], "0999");
    // After typing `Op119`: the matches, complete.
    c.change(&u, 2, &main.replace("    \n    t", "    Op119\n    t"));
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": 9}}),
    );
    assert_eq!(r["isIncomplete"], false);
    let l = labels(&r);
    assert_eq!(l[0], "Op119");
    assert!(l.contains(&"Op1199".to_string()), "{l:?}");
    // A field that is no name: an edit that replaces the `.` with an index.
    let r = c.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(main, "headers.", 0, 8)}),
    );
    let ct = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "content-type")
        .unwrap()
        .clone();
    assert_eq!(ct["textEdit"]["newText"], "[\"content-type\"]", "{ct}");
    assert_eq!(ct["textEdit"]["range"]["start"], pos(main, ".\n}", 0, 0));
    assert_eq!(ct["textEdit"]["range"]["end"], pos(main, "\n}", 0, 0));
    assert_eq!(ct["filterText"], ".content-type");
    let etag = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "etag")
        .unwrap()
        .clone();
    assert!(etag.get("textEdit").is_none(), "{etag}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn named_arguments_at_call_sites_stand_for_their_parameter() {
    let dir = temp_dir("named-args");
    let (contracts, main) = (dir.join("contracts.weft"), dir.join("main.weft"));
    std::fs::write(&contracts, CONTRACTS).unwrap();
    std::fs::write(&main, REGISTER).unwrap();
    let (uc, um) = (uri(&contracts), uri(&main));
    let mut c = Client::start();
    c.open(&um, REGISTER);
    c.diagnostics(&um, |d| d.is_empty());
    let at = |p: Value| json!({"textDocument": {"uri": um}, "position": p});
    let amount = pos(REGISTER, "amount: 10", 0, 2);
    let h = c.result("textDocument/hover", at(amount.clone()));
    let h = h["contents"]["value"].as_str().unwrap();
    assert!(
        h.contains("amount: number") && h.contains("Parameter of activity `Charge`"),
        "{h}"
    );
    let d = c.result("textDocument/definition", at(amount.clone()));
    assert_eq!(d["uri"], uc);
    assert_eq!(d["range"]["start"], pos(CONTRACTS, "amount", 0, 0));
    let mut params = at(amount.clone());
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.result("textDocument/references", params);
    let refs = refs.as_array().unwrap();
    // The declaration, where `@http` names it, and the call's argument.
    assert_eq!(refs.len(), 3, "{refs:?}");
    let p = c.result("textDocument/prepareRename", at(amount.clone()));
    assert_eq!(p["start"], pos(REGISTER, "amount", 0, 0));
    let mut params = at(amount);
    params["newName"] = json!("total");
    let edit = c.result("textDocument/rename", params);
    assert_eq!(edit["changes"][&uc].as_array().unwrap().len(), 2, "{edit}");
    assert_eq!(edit["changes"][&um].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unreachable_code_is_unnecessary_and_links_follow_the_configured_docs() {
    let dir = temp_dir("tags");
    let u = uri(&dir.join("a.weft"));
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"diagnosticsDocsUrl": "https://docs.example/weft/diagnostics/"}}),
    );
    c.notify("initialized", json!({}));
    c.open(&u, "flow A(x) {\n    return x\n    F(x)\n}\n");
    let d = c.diagnostics(&u, |d| !d.is_empty());
    assert_eq!(codes(&d), ["E0130"]);
    assert_eq!(d[0]["tags"], json!([1]));
    assert_eq!(
        d[0]["codeDescription"]["href"],
        "https://docs.example/weft/diagnostics#e0130"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn code_actions_fix_what_diagnostics_spell() {
    let dir = temp_dir("actions");
    let (contracts, main) = (dir.join("contracts.weft"), dir.join("main.weft"));
    std::fs::write(&contracts, CONTRACTS).unwrap();
    let text = "flow Register(input) {\n    reserved = ReserveNick(input.nick)\n    if reserved.stauts != \"ok\" {\n        return 1\n    }\n    sent = await Confirm(input)\n    return Notify(reserved)\n}\n";
    std::fs::write(&main, text).unwrap();
    let (uc, um) = (uri(&contracts), uri(&main));
    let mut c = Client::start();
    c.open(&um, text);
    let d = c.diagnostics(&um, |d| d.len() == 3);
    assert_eq!(codes(&d), ["E0206", "W0161", "W0160"], "{d:?}");
    let actions = |c: &mut Client, start: Value, end: Value, only: Option<&str>| -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(o) = only {
            context["only"] = json!([o]);
        }
        c.result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": um}, "range": {"start": start, "end": end}, "context": context}),
        )
        .as_array()
        .unwrap()
        .clone()
    };
    // The misspelt field: one preferred fix, tied to its diagnostic.
    let a = actions(
        &mut c,
        pos(text, "stauts", 0, 1),
        pos(text, "stauts", 0, 1),
        None,
    );
    let fix = a
        .iter()
        .find(|a| a["title"] == "Replace with `status`")
        .unwrap();
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "E0206");
    let edit = &fix["edit"]["changes"][&um][0];
    assert_eq!(edit["newText"], "status");
    assert_eq!(edit["range"]["start"], pos(text, "stauts", 0, 0));
    // The unused variable: drop it or rename it; the await: a timeout.
    let a = actions(
        &mut c,
        pos(text, "sent", 0, 0),
        pos(text, "Confirm", 0, 2),
        None,
    );
    let titles: Vec<&str> = a.iter().map(|a| a["title"].as_str().unwrap()).collect();
    for t in [
        "Drop `sent =`, keep the call",
        "Rename to `_sent`",
        "Add `@timeout(24h)`",
        "Declare activity `Confirm` from its calls in `contracts.weft`",
    ] {
        assert!(titles.contains(&t), "`{t}` missing from {titles:?}");
    }
    // Declaring goes to the file with the declarations.
    let declare = a
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Declare"))
        .unwrap();
    let edit = &declare["edit"]["changes"][&uc][0];
    assert_eq!(edit["newText"], "activity Confirm(input: any)\n");
    // Only what is asked for: the source action alone.
    let a = actions(
        &mut c,
        json!({"line": 0, "character": 0}),
        json!({"line": 0, "character": 0}),
        Some("source.organizeImports"),
    );
    assert!(
        a.iter().all(|a| a["kind"] == "source.organizeImports"),
        "{a:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn semantic_tokens_full_and_delta() {
    let dir = temp_dir("semantic");
    let u = uri(&dir.join("a.weft"));
    let mut c = Client::spawn();
    let caps = c.initialize();
    let legend = &caps["semanticTokensProvider"]["legend"];
    let types: Vec<&str> = legend["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(caps["semanticTokensProvider"]["full"]["delta"], true);
    c.open(&u, VALID);
    let full = c.result(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": u}}),
    );
    let data: Vec<u64> = full["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // The first token: `flow`, a keyword, at 0:0; the second `Greet`, a
    // function being declared.
    assert_eq!(
        data[..5],
        [
            0,
            0,
            4,
            types.iter().position(|t| *t == "keyword").unwrap() as u64,
            0
        ]
    );
    assert_eq!(data[5..8], [0, 5, 5]);
    assert_eq!(types[data[8] as usize], "function");
    assert_eq!(data[9], 1, "declaration");
    // `SendGreeting` is an activity: a method.
    let id = full["resultId"].as_str().unwrap().to_string();
    let changed = VALID.replace("return sent", "return 42");
    c.change(&u, 2, &changed);
    let delta = c.result(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": u}, "previousResultId": id}),
    );
    let edits = delta["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{delta}");
    assert!(delta["resultId"].as_str().unwrap() != id);
    // An unknown previous result: all the tokens again.
    let again = c.result(
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": u}, "previousResultId": "nope"}),
    );
    assert!(again["data"].is_array(), "{again}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn signatures_hints_ranges_highlights_symbols_and_range_formatting() {
    let dir = temp_dir("round2");
    let (contracts, main) = (dir.join("contracts.weft"), dir.join("main.weft"));
    std::fs::write(&contracts, CONTRACTS).unwrap();
    let text = "flow Register(input) {\n    reserved = ReserveNick(input.nick)\n    checks = WaitAll([Charge(input.card, 10), Verify(input)])\n    setup = flow Setup(input) {\n        return Charge(input.card, amount:    5)\n    }\n    return [reserved, checks, setup]\n}\n";
    std::fs::write(&main, text).unwrap();
    let (uc, um) = (uri(&contracts), uri(&main));
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    c.open(&um, text);
    let at = |p: Value| json!({"textDocument": {"uri": um}, "position": p});

    // Signature help inside `Charge(`, at the named argument.
    let s = c.result("textDocument/signatureHelp", at(pos(text, "amount:", 0, 8)));
    let sig = &s["signatures"][0];
    assert_eq!(
        sig["label"],
        "activity Charge(card: Card, amount: number, note?: string) -> {status: string, id: string}"
    );
    assert_eq!(s["activeParameter"], 1, "{s}");
    assert_eq!(sig["parameters"][1]["label"], json!([28, 42]));
    // Outside any call: nothing.
    let s = c.result(
        "textDocument/signatureHelp",
        at(json!({"line": 0, "character": 0})),
    );
    assert_eq!(s, Value::Null);

    // Inlay hints: a type from the contract, the forks, the wait.
    let h = c.result(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": um}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 8, "character": 0}}}),
    );
    let labels: Vec<(u64, u64, String)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["position"]["character"].as_u64().unwrap(),
                h["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        labels.contains(&(
            1,
            12,
            ": {status: string, nick: string, ID: int}".to_string()
        )),
        "{labels:?}"
    );
    let forks = labels.iter().filter(|l| l.2 == "fork").count();
    assert_eq!(forks, 3, "two branches and the inline flow: {labels:?}");
    assert!(
        labels.iter().any(|l| l.2 == "waits for 2 branches"),
        "{labels:?}"
    );
    let typed = h
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == 1)
        .unwrap();
    assert!(
        typed["tooltip"].as_str().unwrap().contains("reserved"),
        "{typed}"
    );

    // Hover: a variable's inferred type, a field read, an annotation's `@`.
    let hover = |c: &mut Client, p: Value| -> String {
        let h = c.result("textDocument/hover", at(p));
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let h = hover(&mut c, pos(text, "reserved", 1, 1));
    assert!(
        h.contains("`reserved: {status: string, nick: string, ID: int}`"),
        "{h}"
    );
    let with_field = text.replace("return [reserved,", "return [reserved.nick,");
    c.change(&um, 2, &with_field);
    let h = hover(&mut c, pos(&with_field, "nick,", 0, 1));
    assert!(
        h.contains("nick: string") && h.contains("Field of `reserved`"),
        "{h}"
    );
    let with_retry = text.replace(
        "ReserveNick(input.nick)",
        "ReserveNick(input.nick) @retry(3)",
    );
    c.change(&um, 3, &with_retry);
    let h = hover(&mut c, pos(&with_retry, "@retry", 0, 0));
    assert!(h.contains("@retry(n, backoff"), "{h}");
    c.change(&um, 4, text);

    // Folding: the flow and the inline flow.
    let f = c.result(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": um}}),
    );
    let folds: Vec<(u64, u64)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(0, 6), (3, 4)]);

    // Selection ranges grow from the name outwards.
    let r = c.result(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": um}, "positions": [pos(text, "nick)", 0, 1)]}),
    );
    assert_eq!(r[0]["range"]["start"], pos(text, "input.nick", 0, 0));
    assert_eq!(r[0]["range"]["end"], pos(text, ")\n    checks", 0, 0));
    assert_eq!(
        r[0]["parent"]["range"]["start"],
        pos(text, "ReserveNick(", 0, 0)
    );

    // Highlights: `reserved` defined, then read.
    let hl = c.result(
        "textDocument/documentHighlight",
        at(pos(text, "reserved", 1, 1)),
    );
    let kinds: Vec<u64> = hl
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_u64().unwrap())
        .collect();
    assert_eq!(kinds, [3, 2]);

    // Workspace symbols: from both files of the workspace folder.
    let ws = c.result("workspace/symbol", json!({"query": "res"}));
    let mut names: Vec<(String, String)> = ws
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["location"]["uri"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    names.sort();
    // Both hold r, e and s in order.
    assert_eq!(
        names,
        [
            ("Register".to_string(), um.clone()),
            ("ReserveNick".to_string(), uc.clone())
        ]
    );
    let ws = c.result("workspace/symbol", json!({"query": "setup"}));
    assert_eq!(ws[0]["containerName"], "Register", "{ws}");

    // Range formatting: the flow the range touches.
    let edits = c.result(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": um}, "range": {"start": pos(text, "amount", 0, 0), "end": pos(text, "amount", 0, 1)},
               "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let e = &edits[0];
    assert_eq!(e["range"]["start"], json!({"line": 0, "character": 0}));
    assert!(e["newText"].as_str().unwrap().contains("amount: 5)"), "{e}");
    assert_eq!(c.shutdown(), 0);
}

/// The cache directory the tests' servers write to.
fn cache_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp-cache")
}
