//! The real `weft serve` as a child process: started on a free port, ready
//! once it answers `/healthz`, stopped with SIGTERM or SIGKILL.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::Api;
use super::{now_ms, PATIENCE};

/// Lines of a server's stderr kept for assertions and failure messages.
pub const LOG_LINES_MAX: usize = 1_000;

/// Lines of stderr a failure message shows ([`Server::log_tail`]).
pub const LOG_TAIL_LINES: usize = 30;

/// How one `weft serve` is started: its store, address, token and
/// configuration.
#[derive(Clone, Debug)]
pub struct Launch {
    listen: String,
    /// `--data DIR` or `--database URL --node NAME`.
    store: Vec<String>,
    /// Where the token and configuration files are written.
    home: Option<PathBuf>,
    token: Option<String>,
    token_file: Option<PathBuf>,
    config_file: Option<PathBuf>,
    /// How long it may take to start listening.
    start_patience: Duration,
}

impl Launch {
    /// A server on the data directory `home/data` (created by the server),
    /// on a free loopback port; its token and configuration files go in
    /// `home`.
    pub fn data(home: &Path) -> Launch {
        Launch {
            listen: "127.0.0.1:0".into(),
            store: vec!["--data".into(), home.join("data").display().to_string()],
            home: Some(home.to_path_buf()),
            token: None,
            token_file: None,
            config_file: None,
            start_patience: PATIENCE,
        }
    }

    /// A node of a cluster on the PostgreSQL database at `url`.
    pub fn database(url: &str, node: &str) -> Launch {
        Launch {
            listen: "127.0.0.1:0".into(),
            store: vec![
                "--database".into(),
                url.into(),
                "--node".into(),
                node.into(),
            ],
            home: None,
            token: None,
            token_file: None,
            config_file: None,
            start_patience: PATIENCE,
        }
    }

    /// Listens on `addr` instead of a free loopback port (only for commands
    /// expected to refuse it: the harness reads the port from the log).
    pub fn listen(mut self, addr: &str) -> Launch {
        self.listen = addr.into();
        self
    }

    /// Requires this bearer token, written to `home/token`
    /// (`--token-file`); the server's [`Server::api`] sends it.
    pub fn token(mut self, token: &str) -> Launch {
        let file = self.file("token");
        std::fs::write(&file, format!("{token}\n")).unwrap();
        self.token = Some(token.into());
        self.token_file = Some(file);
        self
    }

    /// A configuration file with this text, written to `home/config.toml`
    /// (`--config`).
    pub fn config(mut self, text: &str) -> Launch {
        let file = self.file("config.toml");
        std::fs::write(&file, text).unwrap();
        self.config_file = Some(file);
        self
    }

    /// `weft serve --demo`: the examples deployed and driven.
    pub fn demo(mut self) -> Launch {
        self.store.push("--demo".into());
        self
    }

    /// Waits this long for the server to listen (one that compiles Wasm
    /// components at start may take longer than [`PATIENCE`]).
    pub fn start_patience(mut self, d: Duration) -> Launch {
        self.start_patience = d;
        self
    }

    /// The arguments of `weft`.
    pub fn args(&self) -> Vec<String> {
        let mut args = vec!["serve".to_string(), "--listen".into(), self.listen.clone()];
        args.extend(self.store.iter().cloned());
        if let Some(f) = &self.token_file {
            args.extend(["--token-file".into(), f.display().to_string()]);
        }
        if let Some(f) = &self.config_file {
            args.extend(["--config".into(), f.display().to_string()]);
        }
        args
    }

    fn file(&self, name: &str) -> PathBuf {
        let home = self
            .home
            .as_ref()
            .expect("token and configuration files need a home: start with Launch::data");
        std::fs::create_dir_all(home).unwrap();
        home.join(name)
    }
}

/// A running `weft serve`. Dropping it kills it (SIGKILL), so a failing
/// test leaves no server behind.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its stderr so far (the last [`LOG_LINES_MAX`] lines).
    log: Arc<Mutex<VecDeque<String>>>,
    /// The thread that drains stderr into `log`; it ends with the server.
    reader: Option<std::thread::JoinHandle<()>>,
    /// When it was spawned (epoch ms; the server's clock is the same).
    pub spawned_ms: i64,
    token: Option<String>,
}

impl Server {
    /// Starts `weft serve` as `launch` says; returns once it has said where
    /// it listens and answers `/healthz`.
    pub async fn start(launch: Launch) -> Server {
        Server::start_bin(Path::new(env!("CARGO_BIN_EXE_weft")), launch).await
    }

    /// [`Server::start`] with another `weft` binary (an earlier release's,
    /// to make golden data).
    pub async fn start_bin(bin: &Path, launch: Launch) -> Server {
        let spawned_ms = now_ms();
        let mut cmd = Command::new(bin);
        cmd.args(launch.args());
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; it only asks the kernel to
            // kill the server if the test that started it dies without
            // dropping it (the test binary was killed, say).
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("`weft serve` starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let addr: Arc<Mutex<Option<String>>> = Arc::default();
        let reader = {
            let (log, addr) = (log.clone(), addr.clone());
            // Keeps draining stderr so the server never blocks writing to it.
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(rest) = line.split("listening on http://").nth(1) {
                        let host = rest.split_whitespace().next().unwrap_or_default();
                        *addr.lock().unwrap() = Some(format!("http://{host}"));
                    }
                    let mut log = log.lock().unwrap();
                    if log.len() == LOG_LINES_MAX {
                        log.pop_front();
                    }
                    log.push_back(line);
                }
            })
        };
        let mut server = Server {
            child,
            url: String::new(),
            log,
            reader: Some(reader),
            spawned_ms,
            token: launch.token,
        };
        let patience = launch.start_patience;
        let deadline = Instant::now() + patience;
        loop {
            if let Some(url) = addr.lock().unwrap().clone() {
                server.url = url;
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "`weft serve` exited ({status}) before listening:\n{}",
                    server.log_tail()
                );
            }
            assert!(
                Instant::now() < deadline,
                "`weft serve` did not say where it listens within {patience:?}:\n{}",
                server.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let health = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        loop {
            let r = health.get(format!("{}/healthz", server.url)).send().await;
            if r.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "`weft serve` at {} did not answer /healthz within {PATIENCE:?}:\n{}",
                server.url,
                server.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A client that sends the server's token, if it has one.
    pub fn api(&self) -> Api {
        Api::new(&self.url, self.token.as_deref())
    }

    /// A client that sends no token.
    pub fn anonymous(&self) -> Api {
        Api::new(&self.url, None)
    }

    /// Its stderr so far, one line after another.
    pub fn log(&self) -> String {
        let log = self.log.lock().unwrap();
        log.iter().map(|l| format!("{l}\n")).collect()
    }

    /// The last [`LOG_TAIL_LINES`] lines of its stderr, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = self.log.lock().unwrap();
        let from = log.len().saturating_sub(LOG_TAIL_LINES);
        log.range(from..).cloned().collect::<Vec<_>>().join("\n")
    }

    /// SIGKILL: no shutdown, no final commit.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and waits (blocking) for the process to end and for
    /// its last words on stderr.
    pub fn terminate(&mut self) -> ExitStatus {
        // SAFETY: signals a child this test started and has not reaped.
        let r = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(r, 0, "SIGTERM could not be sent");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(r) = self.reader.take() {
                    r.join().unwrap();
                }
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the server did not stop within {PATIENCE:?} of SIGTERM; its stderr:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
