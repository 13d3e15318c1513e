//! The `kox` binary as a service manager runs it: started, asked once whether it is up, and
//! stopped with SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.starts_with("HTTP/1.1 200")
}

/// A SIGTERM sent the moment the server first answers stops it, every time: the signal
/// handlers are in place before it serves. (A benchmark once saw a server that had just
/// answered ignore its SIGTERM; the handlers used to be installed by the task that waits for
/// them, after serving began.)
#[cfg(unix)]
#[test]
fn sigterm_right_after_the_first_answer_stops_the_server() {
    let dir = std::env::temp_dir().join(format!("kox-serve-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("kox.db").display());
    for round in 0..25 {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kox"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("KOX_DATA_DIR", &dir)
            .env("KOX_DATABASE_URL", &db)
            .env("KOX_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kox starts");
        let up = Instant::now();
        while !healthy(port) {
            assert!(
                child.try_wait().unwrap().is_none(),
                "round {round}: kox exited before answering"
            );
            assert!(
                up.elapsed() < Duration::from_secs(30),
                "round {round}: kox never answered"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let stopping = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "round {round}: {status}");
                break;
            }
            if stopping.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                panic!("round {round}: kox ignored SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
