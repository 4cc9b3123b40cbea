//! A running app for tests: the real `sangtao` binary on a free port with
//! a fresh SQLite file, and one HTTP client (cookie jar) per person.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

pub const ORGANIZER_EMAIL: &str = "bantochuc@example.org";
pub const ORGANIZER_PASSWORD: &str = "mật khẩu của ban tổ chức";
pub const PASSWORD: &str = "một mật khẩu đủ dài";

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_sangtao")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs an admin command against a data folder; returns (status, stdout, stderr).
pub async fn cli(data: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(binary())
        .args(args)
        .env("SANGTAO_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sangtao binary starts");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    let out = child.wait_with_output().await.unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

pub struct TestApp {
    pub base: String,
    pub data: TempDir,
    pub server: Child,
}

impl TestApp {
    /// Starts the server on a fresh database that has one organizer.
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    /// `spawn`, with more environment variables for the server.
    pub async fn spawn_with(env: &[(&str, String)]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let (ok, _, err) = cli(
            data.path(),
            &["create-organizer", "--email", ORGANIZER_EMAIL],
            &format!("{ORGANIZER_PASSWORD}\n"),
        )
        .await;
        assert!(ok, "create-organizer failed: {err}");
        Self::serve_with(data, env).await
    }

    /// Starts the server on an existing data folder.
    pub async fn serve(data: TempDir) -> Self {
        Self::serve_with(data, &[]).await
    }

    /// `serve`, with more environment variables for the server. Mail goes
    /// to .eml files unless `SANGTAO_SMTP_URL` is among them.
    pub async fn serve_with(data: TempDir, env: &[(&str, String)]) -> Self {
        let mut command = Command::new(binary());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut server = command
            .env("SANGTAO_DATA_DIR", data.path())
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("SANGTAO_PUBLIC_URL", "http://127.0.0.1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("the server printed its address");
            if let Some(url) = line.strip_prefix("listening on ") {
                break url.to_string();
            }
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { base, data, server }
    }

    pub fn client(&self) -> User {
        let http = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        User {
            http,
            base: self.base.clone(),
        }
    }

    pub async fn organizer(&self) -> User {
        let user = self.client();
        user.call(
            "sign_in",
            &[("email", ORGANIZER_EMAIL), ("password", ORGANIZER_PASSWORD)],
        )
        .await
        .unwrap();
        user
    }

    pub async fn contestant(&self, name: &str, email: &str) -> User {
        let user = self.client();
        user.call(
            "register",
            &[
                ("full_name", name),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await
        .unwrap();
        user
    }
}

/// One person's browser: a cookie jar and the app's address.
#[derive(Clone)]
pub struct User {
    pub http: Client,
    pub base: String,
}

impl User {
    /// Calls a server function as the app's own client does.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<Value, Value> {
        let response = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap();
        let ok = response.status().is_success();
        let text = response.text().await.unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if ok { Ok(value) } else { Err(value) }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Posts one file as a form's `file` field, as JSON client.
    pub async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        self.upload_with(path, &[], name, bytes).await
    }

    /// Posts form fields, then one file as the `file` field, as JSON client.
    pub async fn upload_with(
        &self,
        path: &str,
        fields: &[(&str, String)],
        name: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        let mut form = Form::new();
        for (key, value) in fields {
            form = form.text(key.to_string(), value.clone());
        }
        let form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// The variant name of an `AppError` as JSON (`"Forbidden"`, `{"Invalid":…}`).
pub fn kind(error: &Value) -> String {
    match error {
        Value::String(s) => s.clone(),
        Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => other.to_string(),
    }
}

/// A date-time in Vietnam's zone, `minutes` from now, as a form sends it.
pub fn local_in(minutes: i64) -> String {
    let t = chrono::Utc::now() + chrono::Duration::minutes(minutes) + chrono::Duration::hours(7);
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The rubric, step, prizes and floor every test edition uses.
pub const RUBRIC: [(&str, &str); 4] = [
    (
        "edition[criteria]",
        "Tính mới và sáng tạo | 40\nKhả năng ứng dụng | 40\nTrình bày | 20",
    ),
    ("edition[step]", "0,5"),
    ("edition[prizes]", "Nhất | 1\nNhì | 2\nBa | 3"),
    ("edition[floor]", "50"),
];

/// Creates an edition from its form (with the shared rubric added), opens
/// registration, and returns its id.
pub async fn open_edition(organizer: &User, form: &[(&str, &str)]) -> i64 {
    let mut form = form.to_vec();
    form.extend(RUBRIC);
    let id = organizer
        .call("create_edition", &form)
        .await
        .expect("edition created")
        .as_i64()
        .unwrap();
    organizer
        .call("open_registration", &[("id", &id.to_string())])
        .await
        .expect("registration opened");
    id
}
