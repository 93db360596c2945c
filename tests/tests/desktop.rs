//! The desktop app in its real window: Xvfb for the display, tauri-driver (over WebKitWebDriver)
//! for WebDriver, fantoccini as the client. Screenshots go to `docs/screenshots/`.
//!
//! `scripts/desktop.sh test` installs what is missing, builds the ui and the app, then runs this
//! file; `scripts/test.sh` runs it with every other test. By hand, with the same
//! `CARGO_TARGET_DIR` for both cargo commands:
//!
//! ```text
//! scripts/desktop.sh deps                  # Xvfb, WebKitWebDriver, tauri-driver, ui/dist
//! cargo build --workspace --all-targets    # the app binary, next to this test
//! cargo test --workspace --test desktop -- --nocapture
//! ```
//!
//! `SPORTELLO_DESKTOP_BIN=/usr/bin/sportello-desktop` drives another build (release, installed).
//! A missing Xvfb, tauri-driver, WebKitWebDriver or app binary fails the test, never skips it.

use std::error::Error;
use std::ffi::OsString;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long a step waits for the window before it fails.
const WAIT: Duration = Duration::from_secs(20);
/// The virtual screen: the window (1200×780) fits whole, so screenshots show all of it.
const SCREEN: &str = "1280x800x24";

type Outcome = Result<(), Box<dyn Error + Send + Sync>>;

/// Fails a step with `what` unless `actual == expected`.
fn check_eq(actual: &str, expected: &str, what: &str) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, found {actual:?}").into())
    }
}

/// A program from PATH, or from cargo's bin folder where `cargo install` puts tauri-driver.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    std::env::split_paths(&path)
        .chain(cargo_home.map(|home| home.join("bin")))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn required_program(name: &str, package: &str) -> PathBuf {
    find_program(name).unwrap_or_else(|| {
        panic!("{name} not found: install it with `scripts/desktop.sh deps` ({package})")
    })
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| format!("({}: {err})", path.display()))
}

/// A background program, stopped on drop with SIGTERM: tauri-driver takes WebKitWebDriver down
/// only on a signal it can catch, and Xvfb then removes its lock file.
struct Service {
    child: Child,
    /// Xvfb's stdout stays open: a later write to a closed pipe would kill it.
    _stdout: Option<ChildStdout>,
}

impl Service {
    fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts Xvfb on a display number it chooses itself (`-displayfd`), so tests never collide.
fn start_display(logs: &Path) -> (Service, String) {
    let xvfb = required_program("Xvfb", "Debian package xvfb");
    let log_path = logs.join("xvfb.log");
    let log = File::create(&log_path).expect("Xvfb log file");
    let mut child = Command::new(xvfb)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            SCREEN,
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start Xvfb");
    let mut stdout = BufReader::new(child.stdout.take().expect("Xvfb stdout"));
    let mut line = String::new();
    let _ = stdout.read_line(&mut line);
    let mut display = Service {
        child,
        _stdout: Some(stdout.into_inner()),
    };
    match line.trim().parse::<u32>() {
        Ok(number) => (display, format!(":{number}")),
        Err(_) => {
            display.stop();
            panic!("Xvfb did not start:\n{}", read_log(&log_path));
        }
    }
}

/// What a test's steps see: the WebDriver session on the app's window.
#[derive(Clone)]
pub struct Window {
    client: Client,
    launched: Instant,
}

impl Window {
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Time since the app was asked to start.
    pub fn since_launch(&self) -> Duration {
        self.launched.elapsed()
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Result<Element, Box<dyn Error + Send + Sync>> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|err| format!("{css} did not appear within {WAIT:?}: {err}").into())
    }

    /// The visible text of the first element matching `css`, once it appears.
    pub async fn text_of(&self, css: &str) -> Result<String, Box<dyn Error + Send + Sync>> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Saves the window as `docs/screenshots/<name>.png`, after two animation frames so that
    /// what was just rendered is painted.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf, Box<dyn Error + Send + Sync>> {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await?;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the tests crate lives in the repository")
            .join("docs/screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

/// The app under test: `SPORTELLO_DESKTOP_BIN` when set (a release build, the installed
/// package), else the debug build next to this test.
fn app_binary() -> PathBuf {
    let path = std::env::var_os("SPORTELLO_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| sportello_tests::binary("sportello-desktop"));
    path.canonicalize()
        .unwrap_or_else(|err| panic!("app binary {}: {err}", path.display()))
}

/// Starts the app with `app_args` in a fresh display, driver and home folders, runs `steps`
/// on its window, then always ends the session (which closes the app) and stops the driver and
/// the display, whether the steps passed, failed or panicked.
fn in_window<F, Fut>(app_args: &[OsString], steps: F)
where
    F: FnOnce(Window) -> Fut,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let app = app_binary();
        let home = tempfile::tempdir().expect("temporary home");
        let (display, display_name) = start_display(home.path());

        // WebKit writes its caches and settings under XDG_*: keep them in the temp folder.
        let xdg = |name: &str| {
            let dir = home.path().join(name);
            std::fs::create_dir_all(&dir).expect("XDG folder");
            dir
        };
        let runtime_dir = xdg("runtime");
        std::fs::set_permissions(&runtime_dir, std::fs::Permissions::from_mode(0o700))
            .expect("XDG_RUNTIME_DIR permissions");

        let tauri_driver = required_program("tauri-driver", "cargo install tauri-driver");
        required_program("WebKitWebDriver", "Debian package webkit2gtk-driver");
        let port = free_port();
        let native_port = free_port();
        let driver_log = home.path().join("tauri-driver.log");
        let log = File::create(&driver_log).expect("driver log file");
        let child = Command::new(tauri_driver)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("DISPLAY", &display_name)
            .env("XDG_DATA_HOME", xdg("data"))
            .env("XDG_CACHE_HOME", xdg("cache"))
            .env("XDG_CONFIG_HOME", xdg("config"))
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("SPORTELLO_DB")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("driver log file"))
            .stderr(log)
            .spawn()
            .expect("start tauri-driver");
        let mut driver = Service {
            child,
            _stdout: None,
        };
        // tauri-driver listens at once; WebKitWebDriver, which it starts, a little later.
        wait_for_port(port, &mut driver, &driver_log);
        wait_for_port(native_port, &mut driver, &driver_log);

        let args: Vec<String> = app_args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        let capabilities = json!({
            "tauri:options": { "application": app, "args": args }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let launched = Instant::now();
        let client = match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => client,
            Err(err) => {
                driver.stop();
                panic!(
                    "no WebDriver session on the app: {err}\n{}",
                    read_log(&driver_log)
                );
            }
        };

        let window = Window {
            client: client.clone(),
            launched,
        };
        // A spawned task turns a panic in the steps into a JoinError, so the session still ends.
        let outcome = tokio::spawn(steps(window)).await;
        let closed = client.close().await;
        drop(driver);
        drop(display);
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(err)) => panic!("{err}"),
            Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Err(join) => panic!("test steps did not finish: {join}"),
        }
        closed.expect("close the WebDriver session");
    });
}

/// Waits until `port` accepts connections; fails with the driver's log if it exits first.
fn wait_for_port(port: u16, driver: &mut Service, log: &Path) {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = driver.child.try_wait() {
            panic!("tauri-driver exited ({status}):\n{}", read_log(log));
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!(
        "nothing listens on port {port} after {WAIT:?}:\n{}",
        read_log(log)
    );
}

/// The Home screen's "Questa installazione" card: each row's text, once it has loaded.
async fn install_card(
    window: &Window,
    rows: &[&str],
) -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
    let mut texts = Vec::new();
    for row in rows {
        texts.push(window.text_of(&format!("[data-testid='{row}']")).await?);
    }
    Ok(texts)
}

#[test]
fn first_start_shows_home_with_a_database_not_created_yet() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("x.db");
    let db_text = db.display().to_string();
    let args = [OsString::from("--db"), db.into_os_string()];

    in_window(&args, |window| async move {
        let version = window.text_of("[data-testid='app-version']").await?;
        let first_screen = window.since_launch();
        check_eq(&version, env!("CARGO_PKG_VERSION"), "version on Home")?;
        check_eq(&window.text_of("main h1").await?, "Home", "Home heading")?;
        let card = install_card(&window, &["db-path", "db-state"]).await?;
        check_eq(&card[0], &db_text, "database given with --db")?;
        check_eq(
            &card[1],
            "non ancora creato",
            "state of a database not created yet",
        )?;
        if window
            .client()
            .find(Locator::Css("[data-testid='comune']"))
            .await
            .is_ok()
        {
            return Err("a comune is shown before any install exists".into());
        }
        check_eq(
            &window.text_of("nav a[aria-current='page']").await?,
            "Home",
            "current section in the sidebar",
        )?;
        check_eq(
            &window.client().title().await?,
            "Sportello — Distretto",
            "window title",
        )?;
        // The capability grants our commands and the dialogs only: Tauri's own core commands
        // (here the app version) are refused to the page.
        let refusal = window
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke('plugin:app|version')
                   .then(() => done('allowed'), (err) => done(String(err)));",
                vec![],
            )
            .await?;
        let refusal = refusal.as_str().unwrap_or_default();
        if !refusal.contains("not allowed") {
            return Err(format!("plugin:app|version should be refused, got {refusal:?}").into());
        }
        eprintln!(
            "cold start to Home with app_info: {} ms",
            first_screen.as_millis()
        );
        Ok(())
    });
}

#[test]
fn home_shows_who_and_where_the_install_is() {
    let capofila = sportello_tests::Install::init("district-d48.toml", "089017");
    let args = [OsString::from("--db"), capofila.db.clone().into_os_string()];

    in_window(&args, |window| async move {
        let card = install_card(&window, &["comune", "ruolo", "distretto", "db-state"]).await?;
        check_eq(&card[0], "Siracusa (089017)", "comune")?;
        check_eq(&card[1], "Comune capofila", "role of the install")?;
        check_eq(
            &card[2],
            "Distretto socio-sanitario 48 - Siracusa",
            "district",
        )?;
        check_eq(&card[3], "presente", "state of the database")?;
        let shot = window.screenshot("home").await?;
        eprintln!("screenshot {}", shot.display());
        Ok(())
    });
}

#[test]
fn a_file_that_is_not_a_database_is_reported_in_italian_on_home() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("appunti.db");
    std::fs::write(&db, "lista della spesa, non un archivio\n".repeat(200)).expect("write file");
    let args = [OsString::from("--db"), db.into_os_string()];

    in_window(&args, |window| async move {
        let alert = window.find("[role='alert']").await?;
        let message = alert.text().await?;
        if message.is_empty() || message.starts_with("Comunicazione con l'applicazione") {
            return Err(format!("expected the app's own error, found {message:?}").into());
        }
        eprintln!("error shown on Home: {message}");
        Ok(())
    });
}
