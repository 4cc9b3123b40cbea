//! Notices through a real SMTP server we did not write (aiosmtpd, started
//! here on 127.0.0.1): they arrive, decode back to the exact Vietnamese,
//! survive a server that is down or silent, and a crash mid-send.

use std::path::{Path, PathBuf};
use std::time::Duration;

use mailparse::MailHeaderMap;
use serde_json::Value;
use tokio::process::{Child, Command};

use crate::helpers::{TestApp, User};
use crate::youth::{PHOTO, YouthSetup, attach, save_youth, youth_form};

const ORG: &str = "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH ĐỒNG THÁP, Văn phòng";

/// A port nothing listens on yet.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// aiosmtpd writing every message it accepts into a Maildir.
struct SmtpServer {
    _process: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start(port: u16) -> Self {
        let maildir = tempfile::tempdir().unwrap();
        let process = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("Maildir"))
            .kill_on_drop(true)
            .spawn()
            .expect("aiosmtpd starts (scripts/install-test-tools.sh installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self {
                    _process: process,
                    maildir,
                };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    fn messages(&self) -> Vec<PathBuf> {
        let dir = self.maildir.path().join("Maildir").join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Waits up to 30 s for `count` messages.
    async fn wait_for(&self, count: usize) -> Vec<PathBuf> {
        for _ in 0..300 {
            let files = self.messages();
            if files.len() >= count {
                return files;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} message(s) did not arrive; {} did",
            self.messages().len()
        );
    }
}

fn mail_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("SANGTAO_SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        (
            "SANGTAO_MAIL_FROM",
            "thongbao@lienhiephoi.example.org".into(),
        ),
        ("SANGTAO_ORG_NAME", ORG.into()),
        ("SANGTAO_MAIL_RETRY_SECONDS", "1".into()),
        ("SANGTAO_SMTP_TIMEOUT_SECONDS", "1".into()),
    ]
}

/// The organizer's outbox, waited on until `done` holds (30 s at most).
async fn outbox_until(organizer: &User, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..300 {
        let lines = organizer.call("list_outbox", &[]).await.unwrap();
        let lines = lines.as_array().unwrap().clone();
        if done(&lines) {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox never reached the expected state");
}

/// The organizer creates a unit account, which mails it its link.
async fn invite_a_unit(organizer: &User) {
    organizer
        .call(
            "create_unit",
            &[("name", "Hội Y học tỉnh"), ("email", "hoiyhoc@example.org")],
        )
        .await
        .unwrap();
}

fn parse(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test]
async fn a_notice_arrives_and_reads_back_exactly_in_vietnamese() {
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let setup = YouthSetup::new_with(&mail_env(port)).await;
    let form = youth_form(
        0,
        &setup.edition,
        "Thước kẻ đa năng, gấp gọn",
        &[(
            "Trần Gia Bảo",
            "12/03/2016",
            "Trường Tiểu học Kim Đồng",
            "4A",
        )],
    );
    let id = save_youth(&setup.trang, &form)
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    attach(&setup.trang, id, "photo", None, "a.png", PHOTO.to_vec()).await;
    setup
        .trang
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap();

    // Two address confirmations (the teachers registered) and the receipt.
    let files = smtp.wait_for(3).await;
    let raws: Vec<Vec<u8>> = files.iter().map(|f| parse(f)).collect();
    let raw = raws
        .iter()
        .find(|raw| {
            let mail = mailparse::parse_mail(raw).unwrap();
            let subject = mail.headers.get_first_value("Subject").unwrap_or_default();
            subject.starts_with("Đã nhận hồ sơ")
        })
        .expect("the receipt notice arrived");
    let mail = mailparse::parse_mail(raw).unwrap();
    let subject = mail.headers.get_first_value("Subject").unwrap();
    assert_eq!(
        subject,
        "Đã nhận hồ sơ TTN15-001 – Hội thi Sáng tạo thanh thiếu niên, nhi đồng lần thứ 15 (2026)"
    );
    let from = mailparse::addrparse_header(mail.headers.get_first_header("From").unwrap()).unwrap();
    match &from[0] {
        mailparse::MailAddr::Single(info) => {
            assert_eq!(info.display_name.as_deref(), Some(ORG));
            assert_eq!(info.addr, "thongbao@lienhiephoi.example.org");
        }
        other => panic!("{other:?}"),
    }
    let to = mailparse::addrparse_header(mail.headers.get_first_header("To").unwrap()).unwrap();
    match &to[0] {
        mailparse::MailAddr::Single(info) => {
            assert_eq!(info.display_name.as_deref(), Some("Phạm Thị Thu Trang"));
            assert_eq!(info.addr, "trang.pham@example.edu.vn");
        }
        other => panic!("{other:?}"),
    }
    let parts: Vec<(String, String)> = mail
        .subparts
        .iter()
        .map(|p| (p.ctype.mimetype.clone(), p.get_body().unwrap()))
        .collect();
    assert_eq!(parts.len(), 2, "plain text and HTML");
    assert_eq!(parts[0].0, "text/plain");
    assert!(
        parts[0]
            .1
            .contains("\"Thước kẻ đa năng, gấp gọn\", mã hồ sơ TTN15-001")
    );
    assert_eq!(parts[1].0, "text/html");
    assert!(parts[1].1.contains("<strong>TTN15-001</strong>"));
    // HTML escaping writes "/" as "&#x2f;" inside the link; clients read it back.
    let html = parts[1].1.replace("&#x2f;", "/");
    assert!(html.contains(&format!("/ho-so/san-pham/{id}\"")), "{html}");

    let lines = outbox_until(&setup.organizer, |l| l.iter().all(|m| m["state"] == "sent")).await;
    assert_eq!(lines.len(), 3);
}

#[tokio::test]
async fn a_server_that_is_down_then_up_gets_the_message_after_retries() {
    let port = free_port();
    let app = TestApp::spawn_with(&mail_env(port)).await;
    let organizer = app.organizer().await;
    invite_a_unit(&organizer).await;
    let lines = outbox_until(&organizer, |l| {
        l.first()
            .is_some_and(|m| m["attempts"].as_i64() >= Some(2) && m["state"] == "queued")
    })
    .await;
    assert!(!lines[0]["last_error"].as_str().unwrap().is_empty());

    let smtp = SmtpServer::start(port).await;
    let files = smtp.wait_for(1).await;
    let raw = parse(&files[0]);
    let mail = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        format!("Tài khoản đề cử tôn vinh của Hội Y học tỉnh – {ORG}")
    );
    outbox_until(&organizer, |l| l[0]["state"] == "sent").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtp.messages().len(), 1, "sent once only");
}

#[tokio::test]
async fn a_silent_server_times_out_and_the_message_is_retried() {
    // A server that accepts the connection and then says nothing.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
        }
    });
    let app = TestApp::spawn_with(&mail_env(port)).await;
    let organizer = app.organizer().await;
    invite_a_unit(&organizer).await;
    let lines = outbox_until(&organizer, |l| {
        l.first().is_some_and(|m| m["attempts"].as_i64() >= Some(2))
    })
    .await;
    let error = lines[0]["last_error"].as_str().unwrap();
    assert!(!error.is_empty());
    assert_ne!(lines[0]["state"], "sent");
    held.abort();
}

#[tokio::test]
async fn a_crash_between_sending_and_marking_loses_nothing() {
    let port = free_port();
    let app = TestApp::spawn_with(&mail_env(port)).await;
    let organizer = app.organizer().await;
    invite_a_unit(&organizer).await;
    outbox_until(&organizer, |l| l.len() == 1).await;
    let TestApp {
        data, mut server, ..
    } = app;
    server.kill().await.unwrap();
    // As a crash would leave it: claimed for sending, never marked.
    let db = data.path().join("sangtao.sqlite3");
    let status = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
             c.execute(\"UPDATE outbox SET state='sending', next_try_at='2000-01-01T00:00:00Z'\"); \
             c.commit()",
        )
        .arg(&db)
        .status()
        .unwrap();
    assert!(status.success());

    let smtp = SmtpServer::start(port).await;
    let app = TestApp::serve_with(data, &mail_env(port)).await;
    smtp.wait_for(1).await;
    let organizer = app.organizer().await;
    outbox_until(&organizer, |l| l[0]["state"] == "sent").await;
}

/// The .eml files a server without SMTP wrote, oldest first, waited on
/// until there are `count` (30 s at most).
async fn eml_files(data: &Path, count: usize) -> Vec<PathBuf> {
    eml_files_matching(data, "", count).await
}

/// The .eml files of one event (`""` for all), as `eml_files`.
pub async fn eml_files_matching(data: &Path, event: &str, count: usize) -> Vec<PathBuf> {
    for _ in 0..300 {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("mail"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|f| f.to_string_lossy().ends_with(&format!("{event}.eml")));
        files.sort();
        if files.len() >= count {
            return files;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{count} .eml file(s) were not written");
}

/// The first link of a message's plain-text part.
pub fn link_in(path: &Path) -> String {
    let raw = std::fs::read(path).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    let text = mail.subparts[0].get_body().unwrap();
    text.split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a link in the text")
        .to_string()
}

#[tokio::test]
async fn without_smtp_each_notice_is_an_eml_file_and_a_password_can_be_reset() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let anonymous = app.client();
    anonymous
        .call(
            "request_password_reset",
            &[("email", "khong-ai@example.org")],
        )
        .await
        .expect("the same answer for an address without an account");
    anonymous
        .call(
            "request_password_reset",
            &[("email", crate::helpers::ORGANIZER_EMAIL)],
        )
        .await
        .unwrap();
    let files = eml_files(app.data.path(), 1).await;
    assert!(files[0].to_string_lossy().ends_with("password_reset.eml"));
    let link = link_in(&files[0]);
    let token = link.rsplit('/').next().unwrap();
    let person = app.client();
    person
        .call(
            "set_password",
            &[("token", token), ("password", "một mật khẩu mới đủ dài")],
        )
        .await
        .expect("the mailed link sets a new password");
    let fresh = app.client();
    fresh
        .call(
            "sign_in",
            &[
                ("email", crate::helpers::ORGANIZER_EMAIL),
                ("password", "một mật khẩu mới đủ dài"),
            ],
        )
        .await
        .expect("the new password signs in");
    // Three requests in ten minutes at most.
    for _ in 0..5 {
        anonymous
            .call(
                "request_password_reset",
                &[("email", crate::helpers::ORGANIZER_EMAIL)],
            )
            .await
            .unwrap();
    }
    let lines = organizer.call("list_outbox", &[]).await.unwrap_err();
    assert_eq!(
        crate::helpers::kind(&lines),
        "Unauthenticated",
        "the old session ended"
    );
    let lines = fresh.call("list_outbox", &[]).await.unwrap();
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 3);

    // The outbox pages back from a message and filters by state.
    let newest = lines[0]["id"].to_string();
    let older = fresh
        .call("list_outbox", &[("before", &newest)])
        .await
        .unwrap();
    let older: Vec<&Value> = older.as_array().unwrap().iter().collect();
    assert_eq!(older.len(), 2);
    assert!(
        older
            .iter()
            .all(|l| l["id"].as_i64() < lines[0]["id"].as_i64())
    );
    let failed = fresh
        .call("list_outbox", &[("only", "failed")])
        .await
        .unwrap();
    assert_eq!(failed.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn judges_imported_from_the_command_line_are_invited_by_mail() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = crate::contest::create_edition(&organizer, &crate::helpers::local_in(60)).await;
    let file = crate::helpers::fixture("vn_02_judges.xlsx");
    let (ok, _, err) = crate::helpers::cli(
        app.data.path(),
        &[
            "import",
            "judges",
            "--edition",
            &edition.to_string(),
            file.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(ok, "{err}");
    let files = eml_files(app.data.path(), 8).await;
    assert_eq!(files.len(), 8, "one invitation per judge");
    let raw = std::fs::read(&files[0]).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        "Mời tham gia chấm Hội thi Sáng tạo kỹ thuật lần thứ 12 (2026)"
    );
    let link = link_in(&files[0]);
    assert!(link.contains("/dat-mat-khau/"), "{link}");
}

#[tokio::test]
async fn the_organizer_rewords_a_notice_with_a_preview_on_a_real_entry() {
    let setup = YouthSetup::new().await;
    let form = youth_form(
        0,
        &setup.edition,
        "Thước kẻ đa năng",
        &[(
            "Trần Gia Bảo",
            "12/03/2016",
            "Trường Tiểu học Kim Đồng",
            "4A",
        )],
    );
    let id = save_youth(&setup.trang, &form)
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let organizer = &setup.organizer;
    let views = organizer.call("mail_templates", &[]).await.unwrap();
    let submitted = views
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["event"] == "entry_submitted")
        .unwrap();
    assert_eq!(
        submitted["preview_subject"],
        "Đã nhận hồ sơ TTN15-001 – Hội thi Sáng tạo thanh thiếu niên, nhi đồng lần thứ 15 (2026)",
        "the preview uses the newest real entry"
    );

    let save = |subject: &str| {
        let organizer = organizer.clone();
        let subject = subject.to_string();
        async move {
            organizer
                .call(
                    "save_mail_template",
                    &[
                        ("event", "entry_submitted"),
                        ("subject", &subject),
                        ("text", "Mã hồ sơ của {{ name }}: {{ code }}."),
                        ("html", "<p>Mã hồ sơ của {{ name }}: <b>{{ code }}</b>.</p>"),
                    ],
                )
                .await
        }
    };
    let refused = save("Xác nhận {{ code ").await.unwrap_err();
    assert_eq!(crate::youth::invalid(&refused).0, "Tiêu đề");
    save("Xác nhận hồ sơ {{ code }} – {{ org }}").await.unwrap();
    let refused = setup.trang.call("mail_templates", &[]).await.unwrap_err();
    assert_eq!(crate::helpers::kind(&refused), "Forbidden");

    attach(&setup.trang, id, "photo", None, "a.png", PHOTO.to_vec()).await;
    setup
        .trang
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    let files = eml_files(setup.app.data.path(), 3).await;
    let receipt = files
        .iter()
        .find(|f| f.to_string_lossy().ends_with("entry_submitted.eml"))
        .unwrap();
    let raw = std::fs::read(receipt).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        "Xác nhận hồ sơ TTN15-001 – LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH ĐỒNG THÁP"
    );
    assert_eq!(
        mail.subparts[0].get_body().unwrap().trim(),
        "Mã hồ sơ của Phạm Thị Thu Trang: TTN15-001."
    );
    organizer
        .call("reset_mail_template", &[("event", "entry_submitted")])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_group_message_goes_to_the_people_previewed_and_no_one_else() {
    let setup = YouthSetup::new().await;
    let pupils = [(
        "Trần Gia Bảo",
        "12/03/2016",
        "Trường Tiểu học Kim Đồng",
        "4A",
    )];
    let draft = youth_form(0, &setup.edition, "Thước kẻ", &pupils);
    save_youth(&setup.trang, &draft).await.unwrap();
    let done = youth_form(0, &setup.edition, "Thùng rác phân loại", &pupils);
    let id = save_youth(&setup.tai, &done)
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    attach(&setup.tai, id, "photo", None, "a.png", PHOTO.to_vec()).await;
    setup
        .tai
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    eml_files(setup.app.data.path(), 3).await;

    let edition = setup.edition.id.to_string();
    let body =
        "Kính gửi {{ name }},\nhồ sơ dự {{ edition }} của bạn vẫn là bản nháp <b>chưa nộp</b>.";
    fn form<'a>(
        edition: &'a str,
        body: &'a str,
        count: Option<&'a str>,
    ) -> Vec<(&'a str, &'a str)> {
        let mut form = vec![
            ("edition", edition),
            ("group[audience]", "owners"),
            ("group[state]", "draft"),
            ("subject", "Nhắc nộp hồ sơ trước hạn"),
            ("body", body),
        ];
        if let Some(count) = count {
            form.push(("count", count));
        }
        form
    }
    let preview = setup
        .organizer
        .call("preview_group_message", &form(&edition, body, None))
        .await
        .unwrap();
    assert_eq!(preview["count"], 1);
    assert_eq!(preview["names"][0], "Phạm Thị Thu Trang");
    assert!(
        preview["text"]
            .as_str()
            .unwrap()
            .starts_with("Kính gửi Phạm Thị Thu Trang,")
    );

    let refused = setup
        .organizer
        .call("send_group_message", &form(&edition, body, Some("2")))
        .await
        .unwrap_err();
    assert_eq!(
        crate::helpers::kind(&refused),
        "Conflict",
        "the count seen must still hold"
    );
    let refused = setup
        .trang
        .call("send_group_message", &form(&edition, body, Some("1")))
        .await
        .unwrap_err();
    assert_eq!(crate::helpers::kind(&refused), "Forbidden");
    let sent = setup
        .organizer
        .call("send_group_message", &form(&edition, body, Some("1")))
        .await
        .unwrap();
    assert_eq!(sent, 1);

    let files = eml_files(setup.app.data.path(), 4).await;
    let group: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with("group_message.eml"))
        .collect();
    assert_eq!(group.len(), 1);
    let raw = std::fs::read(group[0]).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    let to = mail.headers.get_first_value("To").unwrap();
    assert!(to.contains("trang.pham@example.edu.vn"), "{to}");
    let html = mail.subparts[1].get_body().unwrap();
    assert!(html.contains("&lt;b&gt;chưa nộp&lt;/b&gt;"), "{html}");
    assert!(html.contains("Phạm Thị Thu Trang,<br>"), "{html}");

    let nobody = [
        ("edition", edition.as_str()),
        ("group[audience]", "judges_unfinished"),
        ("subject", "Nhắc chấm"),
        ("body", "Xin nộp phiếu chấm."),
        ("count", "0"),
    ];
    let refused = setup
        .organizer
        .call("send_group_message", &nobody)
        .await
        .unwrap_err();
    assert_eq!(crate::youth::invalid(&refused).0, "Gửi cho");
}

#[tokio::test]
async fn a_new_account_confirms_its_address_and_judges_hear_of_their_fields() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let person = app
        .contestant("Phạm Thị Thu Trang", "trang.pham@example.edu.vn")
        .await;
    assert_eq!(person.call("email_verified", &[]).await.unwrap(), false);
    let files = eml_files(app.data.path(), 1).await;
    assert!(
        files[0]
            .to_string_lossy()
            .ends_with("email_verification.eml")
    );
    let link = link_in(&files[0]);
    let token = link.rsplit('/').next().unwrap();
    let page = app.client().get(&format!("/xac-nhan-email/{token}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        person.call("email_verified", &[]).await.unwrap(),
        false,
        "opening the page confirms nothing; the button does"
    );
    let email = app
        .client()
        .call("verify_email", &[("token", token)])
        .await
        .unwrap();
    assert_eq!(email, "trang.pham@example.edu.vn");
    assert_eq!(person.call("email_verified", &[]).await.unwrap(), true);
    let refused = app
        .client()
        .call("verify_email", &[("token", token)])
        .await
        .unwrap_err();
    assert_eq!(crate::youth::invalid(&refused).0, "Liên kết");
    let refused = person.call("resend_verification", &[]).await.unwrap_err();
    assert_eq!(crate::helpers::kind(&refused), "Conflict");

    let edition = crate::contest::create_edition(&organizer, &crate::helpers::local_in(60)).await;
    let links = crate::contest::import_judges(&organizer, edition).await;
    assert_eq!(links.len(), 8);
    let fields = organizer
        .call("get_edition", &[("id", &edition.to_string())])
        .await
        .unwrap();
    let field = fields["fields"][2]["id"].as_i64().unwrap();
    crate::contest::assign(&organizer, edition, "ha.nguyen@example.org", field).await;
    let files = eml_files(app.data.path(), 10).await;
    let assigned = files
        .iter()
        .find(|f| f.to_string_lossy().ends_with("judge_assigned.eml"))
        .expect("the assignment is mailed");
    let raw = std::fs::read(assigned).unwrap();
    let mail = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        "Phân công chấm lĩnh vực Y – Dược – Hội thi Sáng tạo kỹ thuật lần thứ 12 (2026)"
    );
}

#[tokio::test]
async fn results_are_announced_once_and_drafts_are_reminded_before_the_deadline() {
    use crate::contest::{Contest, import_judges, score, seat_judge};
    let app = TestApp::spawn_with(&[("SANGTAO_REMINDER_CHECK_SECONDS", "1".into())]).await;
    let c = Contest::setup(&app).await;
    // A third contestant whose entry stays a draft; the deadline is a day away.
    let lan = app.contestant("Võ Thị Lan", "lan.vo@example.com").await;
    let form = crate::contest::entry_form(
        0,
        c.edition,
        c.fields[0],
        "Lò sấy nông sản dùng năng lượng mặt trời",
        &[("Võ Thị Lan", "lan.vo@example.com", "100")],
    );
    crate::contest::save_entry(&lan, &form).await.unwrap();
    let refused = c
        .organizer
        .call("announce_results", &[("edition", &c.edition.to_string())])
        .await
        .unwrap_err();
    assert_eq!(
        crate::helpers::kind(&refused),
        "Conflict",
        "nothing scored yet"
    );

    let links = import_judges(&c.organizer, c.edition).await;
    let judge = seat_judge(&app, &c, &links, "ha.nguyen@example.org", c.fields[0]).await;
    score(&judge, c.hung_entry, &c.criteria, &["27,5", "28", "36"])
        .await
        .unwrap();
    judge
        .call("submit_sheet", &[("entry", &c.hung_entry.to_string())])
        .await
        .unwrap();
    let queued = c
        .organizer
        .call("announce_results", &[("edition", &c.edition.to_string())])
        .await
        .unwrap();
    assert_eq!(queued, 1);
    let refused = c
        .organizer
        .call("announce_results", &[("edition", &c.edition.to_string())])
        .await
        .unwrap_err();
    assert_eq!(
        crate::helpers::kind(&refused),
        "Conflict",
        "once per edition"
    );

    // Wait for both mailings, then read them.
    for _ in 0..300 {
        let files = eml_files(app.data.path(), 1).await;
        let names: Vec<String> = files.iter().map(|f| f.to_string_lossy().into()).collect();
        if names.iter().any(|n| n.ends_with("results_announced.eml"))
            && names.iter().any(|n| n.ends_with("deadline_reminder.eml"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let files = eml_files(app.data.path(), 1).await;
    let read = |suffix: &str| -> Vec<(String, String, String)> {
        files
            .iter()
            .filter(|f| f.to_string_lossy().ends_with(suffix))
            .map(|f| {
                let raw = std::fs::read(f).unwrap();
                let mail = mailparse::parse_mail(&raw).unwrap();
                (
                    mail.headers.get_first_value("To").unwrap(),
                    mail.headers.get_first_value("Subject").unwrap(),
                    mail.subparts[0].get_body().unwrap(),
                )
            })
            .collect()
    };
    let results = read("results_announced.eml");
    assert_eq!(results.len(), 1);
    assert!(results[0].0.contains("hung.nguyen@example.com"));
    assert!(
        results[0]
            .2
            .contains("điểm trung bình 91,5, xếp hạng 1, đề nghị trao giải Nhất."),
        "{}",
        results[0].2
    );
    let reminders = read("deadline_reminder.eml");
    assert_eq!(reminders.len(), 1, "only the owner of a draft");
    assert!(reminders[0].0.contains("lan.vo@example.com"));
    assert!(
        reminders[0]
            .1
            .starts_with("Hồ sơ STKT12-003 chưa nộp – hạn "),
        "{}",
        reminders[0].1
    );
}

#[tokio::test]
async fn resends_reset_requests_and_confirmations_cannot_be_abused() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    // A reset request by anyone does not cancel the unit's invitation.
    let account = organizer
        .call(
            "create_unit",
            &[("name", "Hội Thử Nghiệm"), ("email", "newunit@example.org")],
        )
        .await
        .unwrap();
    app.client()
        .call(
            "request_password_reset",
            &[("email", "newunit@example.org")],
        )
        .await
        .unwrap();
    let token = account["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    app.client()
        .call(
            "set_password",
            &[("token", &token), ("password", "một mật khẩu đủ dài")],
        )
        .await
        .expect("the invitation still works");

    // One resend at a time, however often it is clicked.
    let lines = outbox_until(&organizer, |l| {
        l.len() == 2 && l.iter().all(|m| m["state"] == "sent")
    })
    .await;
    let first = lines.last().unwrap()["id"].to_string();
    organizer
        .call("resend_mail", &[("id", &first)])
        .await
        .unwrap();
    let again = organizer.call("resend_mail", &[("id", &first)]).await;
    let lines = organizer.call("list_outbox", &[]).await.unwrap();
    let total = lines.as_array().unwrap().len();
    assert!(
        total == 3 || (total == 4 && again.is_ok()),
        "a second click while the copy waits is refused: {again:?}"
    );
    if total == 3 {
        assert_eq!(crate::helpers::kind(&again.unwrap_err()), "Conflict");
    }

    // Address confirmations: at most three in ten minutes.
    let person = app.contestant("Kẻ Gửi Thư", "victim@example.net").await;
    person.call("resend_verification", &[]).await.unwrap();
    person.call("resend_verification", &[]).await.unwrap();
    let refused = person.call("resend_verification", &[]).await.unwrap_err();
    assert_eq!(crate::helpers::kind(&refused), "Conflict");
    let refused = app
        .client()
        .call(
            "register",
            &[
                ("full_name", "Người Thử"),
                ("email", "z@example.com>"),
                ("password", "một mật khẩu đủ dài"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(crate::youth::invalid(&refused).0, "Email");
}
