//! The youth contest over HTTP: a pupil group registers, is checked by
//! the edition's rules, is returned for completion and resubmits; the
//! organizer filters, searches and sees possible duplicates.

use serde_json::Value;

use crate::helpers::{TestApp, User, fixture, kind, local_in, open_edition};

/// A tiny valid PNG, as a phone would send a photo.
pub const PHOTO: &[u8] = include_bytes!("../../demo/anh-san-pham.png");

pub struct YouthEdition {
    pub id: i64,
    pub fields: Vec<i64>,
    /// (id, name) of each level group.
    pub level_groups: Vec<(i64, String)>,
}

/// Creates and opens a youth edition with the given age window and group
/// limit and the default fields and level groups.
pub async fn create_youth_edition(
    organizer: &User,
    ages: (&str, &str, &str),
    group_max: &str,
) -> YouthEdition {
    let (age_min, age_max, age_on) = ages;
    let deadline = local_in(60 * 24 * 30);
    let form = vec![
        ("edition[program]", "youth"),
        (
            "edition[name]",
            "Hội thi Sáng tạo thanh thiếu niên, nhi đồng",
        ),
        ("edition[number]", "15"),
        ("edition[year]", "2026"),
        ("edition[deadline]", deadline.as_str()),
        (
            "edition[fields]",
            "Đồ dùng học tập\nPhần mềm tin học\nSản phẩm thân thiện môi trường",
        ),
        ("edition[age_min]", age_min),
        ("edition[age_max]", age_max),
        ("edition[age_on]", age_on),
        ("edition[group_max]", group_max),
        (
            "edition[level_groups]",
            "Tiểu học và THCS | Mầm non, Tiểu học, THCS\nTHPT | THPT",
        ),
    ];
    let id = open_edition(organizer, &form).await;
    let rules = organizer
        .call("get_youth_rules", &[("edition", &id.to_string())])
        .await
        .unwrap();
    let ids = |list: &Value| -> Vec<(i64, String)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_i64().unwrap(),
                    f["name"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    YouthEdition {
        id,
        fields: ids(&rules["fields"])
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        level_groups: ids(&rules["level_groups"]),
    }
}

/// A pupil row: (full name, birth date, school, grade).
pub type Pupil<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The form of a youth entry as the browser posts it.
pub fn youth_form(
    id: i64,
    edition: &YouthEdition,
    title: &str,
    pupils: &[Pupil],
) -> Vec<(String, String)> {
    let mut form = vec![
        ("entry[id]".to_string(), id.to_string()),
        ("entry[edition_id]".into(), edition.id.to_string()),
        ("entry[field_id]".into(), edition.fields[0].to_string()),
        ("entry[title]".into(), title.to_string()),
        (
            "entry[summary]".into(),
            "Thước kẻ gấp gọn có thước đo góc và khuôn vẽ hình tròn.".into(),
        ),
        ("entry[video_url]".into(), String::new()),
    ];
    for (i, (name, birth, school, grade)) in pupils.iter().enumerate() {
        let key = |f: &str| format!("entry[members][{i}][{f}]");
        form.push((key("full_name"), name.to_string()));
        form.push((key("birth_date"), birth.to_string()));
        form.push((key("school"), school.to_string()));
        form.push((key("grade"), grade.to_string()));
        form.push((key("commune"), "Phường Cao Lãnh".into()));
        form.push((key("province"), "Đồng Tháp".into()));
    }
    let key = |f: &str| format!("entry[supervisors][0][{f}]");
    form.push((key("full_name"), "Phạm Thị Thu Trang".into()));
    form.push((key("school"), "Trường Tiểu học Kim Đồng".into()));
    form.push((key("phone"), "0918 123 456".into()));
    form.push((key("email"), "trang.pham@example.edu.vn".into()));
    form
}

pub async fn save_youth(user: &User, form: &[(String, String)]) -> Result<Value, Value> {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    user.call("save_youth_entry", &pairs).await
}

/// The field and message of an `Invalid` error.
pub fn invalid(error: &Value) -> (String, String) {
    let inner = &error["Invalid"];
    assert!(inner.is_object(), "expected Invalid, got {error}");
    (
        inner["field"].as_str().unwrap().to_string(),
        inner["message"].as_str().unwrap().to_string(),
    )
}

/// Uploads a file of a kind (and criterion) to an entry, as the JSON client.
pub async fn attach(
    user: &User,
    entry: i64,
    kind: &str,
    criterion: Option<i64>,
    name: &str,
    bytes: Vec<u8>,
) -> (reqwest::StatusCode, Value) {
    let mut fields = vec![("kind", kind.to_string())];
    if let Some(c) = criterion {
        fields.push(("criterion", c.to_string()));
    }
    user.upload_with(&format!("/tep/ho-so/{entry}"), &fields, name, bytes)
        .await
}

pub async fn status(user: &User, entry: i64) -> Value {
    user.call("get_entry_status", &[("id", &entry.to_string())])
        .await
        .expect("the status is readable")
}

/// A date `days` from today in Vietnam, as dd/mm/yyyy.
pub fn local_date_in(days: i64) -> String {
    let t = chrono::Utc::now() + chrono::Duration::days(days) + chrono::Duration::hours(7);
    t.format("%d/%m/%Y").to_string()
}

/// The usual start (keep `app` bound: dropping it stops the server): an
/// app, its organizer, an open youth edition (6 to 18
/// on 31/05/2026, groups of at most 5), and two teachers, Trang and Tài.
pub struct YouthSetup {
    pub app: TestApp,
    pub organizer: User,
    pub edition: YouthEdition,
    pub trang: User,
    pub tai: User,
}

impl YouthSetup {
    pub async fn new() -> Self {
        Self::new_with(&[]).await
    }

    /// `new`, with more environment variables for the server.
    pub async fn new_with(env: &[(&str, String)]) -> Self {
        let app = TestApp::spawn_with(env).await;
        let organizer = app.organizer().await;
        let edition = create_youth_edition(&organizer, ("6", "18", "31/05/2026"), "5").await;
        let trang = app
            .contestant("Phạm Thị Thu Trang", "trang.pham@example.edu.vn")
            .await;
        let tai = app
            .contestant("Lâm Văn Tài", "tai.lam@example.edu.vn")
            .await;
        Self {
            app,
            organizer,
            edition,
            trang,
            tai,
        }
    }
}

const KIM_DONG: &str = "Trường Tiểu học Kim Đồng";
const NGUYEN_TRAI: &str = "Trường THCS Nguyễn Trãi";

#[tokio::test]
async fn the_form_refuses_pupils_outside_the_age_window_and_groups_over_the_limit() {
    let YouthSetup {
        organizer,
        edition,
        trang: teacher,
        app: _app,
        ..
    } = YouthSetup::new().await;

    // Turns 6 on 1 June 2026: still 5 on the reference date.
    let form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[
            ("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A"),
            ("Lê Ngọc Hân", "01/06/2020", KIM_DONG, "Lớp 1"),
        ],
    );
    let (field, message) = invalid(&save_youth(&teacher, &form).await.unwrap_err());
    assert_eq!(field, "Thành viên 2 – Ngày sinh");
    assert!(message.contains("chưa đủ 6 tuổi"), "{message}");

    // Turns 19 on the reference date itself: over 18.
    let form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[(
            "Võ Minh Khang",
            "31/05/2007",
            "Trường THPT Cao Lãnh",
            "12A1",
        )],
    );
    let (field, message) = invalid(&save_youth(&teacher, &form).await.unwrap_err());
    assert_eq!(field, "Thành viên 1 – Ngày sinh");
    assert!(message.contains("quá 18 tuổi"), "{message}");

    // Born the day after: still 18 on the reference date.
    let form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[(
            "Võ Minh Khang",
            "01/06/2007",
            "Trường THPT Cao Lãnh",
            "12A1",
        )],
    );
    save_youth(&teacher, &form)
        .await
        .expect("18 the day before the 19th birthday is allowed");

    let pupils: Vec<Pupil> = [
        "Trần Gia Bảo",
        "Lê Ngọc Hân",
        "Nguyễn Minh Khôi",
        "Phan Thảo Vy",
        "Đinh Quang Vinh",
        "Hồ Bảo Ngọc",
    ]
    .iter()
    .map(|name| (*name, "12/03/2014", KIM_DONG, "5A"))
    .collect();
    let form = youth_form(0, &edition, "Nhóm quá đông", &pupils);
    let (field, message) = invalid(&save_youth(&teacher, &form).await.unwrap_err());
    assert_eq!(field, "Thành viên 6 – Họ và tên");
    assert_eq!(message, "nhóm có 6 thành viên, tối đa 5 thành viên");

    let entries = organizer
        .call("edition_entries", &[("edition", &edition.id.to_string())])
        .await
        .unwrap();
    assert_eq!(
        entries.as_array().unwrap().len(),
        1,
        "refused forms leave nothing behind"
    );
}

#[tokio::test]
async fn a_returned_entry_is_completed_and_resubmitted_with_its_history() {
    let YouthSetup {
        app,
        organizer,
        edition,
        trang: teacher,
        tai: other,
    } = YouthSetup::new().await;

    let pupils = [
        ("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A"),
        ("Lê Ngọc Hân", "29/02/2016", KIM_DONG, "4A"),
    ];
    let form = youth_form(0, &edition, "Thước kẻ đa năng", &pupils);
    let id = save_youth(&teacher, &form).await.unwrap().as_i64().unwrap();
    let view = teacher
        .call("get_youth_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert!(view["code"].as_str().unwrap().starts_with("TTN"), "{view}");
    assert_eq!(view["level_group"], "Tiểu học và THCS");
    assert_eq!(view["form"]["members"][1]["birth_date"], "29/02/2016");

    let refused = teacher
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap_err();
    assert_eq!(invalid(&refused).0, "Ảnh sản phẩm");
    let pdf = std::fs::read(fixture("thuyet-minh-mau.pdf")).unwrap();
    let (code, body) = attach(&teacher, id, "photo", None, "anh.pdf", pdf).await;
    assert_eq!(code, 422, "{body}");
    assert!(body.to_string().contains("chỉ nhận ảnh"), "{body}");
    let (code, body) = attach(&teacher, id, "photo", None, "anh.png", PHOTO.to_vec()).await;
    assert_eq!(code, 200, "{body}");
    let photo = body["id"].as_i64().unwrap();
    teacher
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .expect("a complete entry is submitted");

    // Another contestant sees neither the entry nor its photo.
    let refused = other
        .call("get_youth_entry", &[("id", &id.to_string())])
        .await
        .unwrap_err();
    assert_eq!(
        kind(&refused),
        "NotFound",
        "another's entry does not exist for them"
    );
    let url = format!("/tep/ho-so/{id}/{photo}");
    assert_eq!(other.get(&url).await.status(), 404);
    assert_eq!(teacher.get(&url).await.status(), 200);
    assert_eq!(organizer.get(&url).await.status(), 200);
    assert_eq!(app.client().get(&url).await.status(), 401);
    let refused = other
        .call(
            "change_entry_state",
            &[("id", &id.to_string()), ("action", "return")],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");

    let reason = "Hãy bổ sung ảnh chụp cận cảnh khuôn vẽ hình tròn.";
    let due = local_date_in(7);
    let refused = organizer
        .call(
            "change_entry_state",
            &[("id", &id.to_string()), ("action", "return"), ("due", &due)],
        )
        .await
        .unwrap_err();
    assert_eq!(invalid(&refused).0, "Lý do");
    organizer
        .call(
            "change_entry_state",
            &[
                ("id", &id.to_string()),
                ("action", "return"),
                ("reason", reason),
                ("due", &due),
            ],
        )
        .await
        .expect("the organizer returns the entry");

    // The deadline passes; only the returned entry may still change.
    organizer
        .call(
            "set_deadline",
            &[("id", &edition.id.to_string()), ("deadline", &local_in(-1))],
        )
        .await
        .unwrap();
    let seen = status(&teacher, id).await;
    assert_eq!(seen["state"], "Returned");
    assert_eq!(seen["reason"], reason);
    assert_eq!(seen["editable"], true);
    assert!(seen["return_due"].as_str().unwrap().starts_with(&due));

    let mut changed = youth_form(id, &edition, "Thước kẻ đa năng có khuôn vẽ", &pupils);
    changed.retain(|(k, _)| !k.starts_with("entry[members][1]"));
    save_youth(&teacher, &changed)
        .await
        .expect("a returned entry is editable until its due date");
    teacher
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .expect("the owner resubmits");

    let seen = status(&teacher, id).await;
    assert_eq!(seen["state"], "Submitted");
    assert_eq!(seen["editable"], false, "the deadline has passed");
    let history: Vec<(String, String, String)> = seen["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["actor"].as_str().unwrap().into(),
                h["to"].as_str().unwrap().into(),
                h["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(history.len(), 3, "{history:?}");
    assert_eq!(history[0].0, "Phạm Thị Thu Trang");
    assert_eq!(history[1].2, reason);
    assert_eq!(history[2].0, "Phạm Thị Thu Trang");
    assert_eq!(history[1].1, "Trả lại để bổ sung");
    assert_eq!(history[2].1, "Đã nộp");
    let refused = save_youth(&teacher, &changed).await.unwrap_err();
    assert_eq!(kind(&refused), "DeadlinePassed");

    organizer
        .call(
            "change_entry_state",
            &[("id", &id.to_string()), ("action", "accept")],
        )
        .await
        .expect("the organizer accepts");
    let refused = teacher
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap_err();
    assert_ne!(
        kind(&refused),
        "",
        "an accepted entry is not submitted again"
    );
    let refused = organizer
        .call(
            "change_entry_state",
            &[("id", &id.to_string()), ("action", "reject")],
        )
        .await
        .unwrap_err();
    assert_eq!(invalid(&refused).0, "Lý do", "a rejection says why");
    assert_eq!(status(&teacher, id).await["state"], "Accepted");
    let view = teacher
        .call("get_youth_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(view["form"]["members"].as_array().unwrap().len(), 1);
    assert_eq!(view["form"]["title"], "Thước kẻ đa năng có khuôn vẽ");
}

#[tokio::test]
async fn the_organizer_filters_searches_and_sees_possible_duplicates() {
    let YouthSetup {
        organizer,
        edition,
        trang,
        tai,
        app: _app,
        ..
    } = YouthSetup::new().await;

    let first = youth_form(
        0,
        &edition,
        "Thùng rác tự phân loại dùng cảm biến",
        &[
            ("Nguyễn Văn A", "05/09/2011", NGUYEN_TRAI, "9/2"),
            ("Huỳnh Thị Kim Ngân", "31/05/2012", NGUYEN_TRAI, "8/1"),
        ],
    );
    let first = save_youth(&trang, &first).await.unwrap().as_i64().unwrap();
    // The same pupil, typed again by another teacher, in another entry
    // with a near-identical title; and an upper-secondary entry.
    let second = youth_form(
        0,
        &edition,
        "Thùng rác tự phân loại dùng cảm biến.",
        &[("Nguyễn  Văn A", "05/09/2011", NGUYEN_TRAI, "9/2")],
    );
    let second = save_youth(&tai, &second).await.unwrap().as_i64().unwrap();
    let third = youth_form(
        0,
        &edition,
        "Ứng dụng nhắc giờ uống thuốc",
        &[(
            "Võ Minh Khang",
            "20/08/2009",
            "Trường THPT Cao Lãnh",
            "11A3",
        )],
    );
    let third = save_youth(&tai, &third).await.unwrap().as_i64().unwrap();
    let (code, _) = attach(&tai, third, "photo", None, "a.png", PHOTO.to_vec()).await;
    assert_eq!(code, 200);
    tai.call("submit_entry", &[("id", &third.to_string())])
        .await
        .unwrap();

    let list = |filter: Vec<(&'static str, String)>| {
        let organizer = organizer.clone();
        let edition = edition.id.to_string();
        async move {
            let mut form = vec![("edition", edition)];
            form.extend(filter);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let lines = organizer.call("edition_entries", &pairs).await.unwrap();
            let mut ids: Vec<i64> = lines
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["id"].as_i64().unwrap())
                .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(list(vec![]).await, vec![first, second, third]);
    assert_eq!(
        list(vec![("filter[q]", "nguyen van a".into())]).await,
        vec![first, second],
        "accents and case are ignored"
    );
    assert_eq!(
        list(vec![("filter[q]", "THÙNG RÁC".into())]).await,
        vec![first, second]
    );
    assert_eq!(
        list(vec![("filter[state]", "submitted".into())]).await,
        vec![third]
    );
    let upper = edition.level_groups[1].0.to_string();
    assert_eq!(
        list(vec![("filter[level_group]", upper)]).await,
        vec![third]
    );
    assert_eq!(
        list(vec![("filter[school]", "nguyen trai".into())]).await,
        vec![first, second]
    );
    assert_eq!(
        list(vec![("filter[commune]", "cao lanh".into())]).await,
        vec![first, second, third]
    );

    let flags = organizer
        .call(
            "edition_duplicates",
            &[("edition", &edition.id.to_string())],
        )
        .await
        .unwrap();
    let flags = flags.as_array().unwrap();
    let pairs: Vec<Vec<i64>> = flags
        .iter()
        .map(|f| {
            let mut ids: Vec<i64> = f["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e[0].as_i64().unwrap())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    assert_eq!(
        pairs,
        vec![vec![first, second], vec![first, second]],
        "{flags:?}"
    );
    let reasons: Vec<&str> = flags
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("Nguyễn Văn A")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("tên")), "{reasons:?}");
    let still = list(vec![]).await;
    assert_eq!(still.len(), 3, "flags never merge entries");
    let refused = trang
        .call(
            "edition_duplicates",
            &[("edition", &edition.id.to_string())],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");
}

#[tokio::test]
async fn an_entry_takes_twenty_files_and_no_upload_over_the_size_limit() {
    let YouthSetup {
        app,
        edition,
        trang: teacher,
        ..
    } = YouthSetup::new().await;
    let form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A")],
    );
    let id = save_youth(&teacher, &form).await.unwrap().as_i64().unwrap();

    // One byte over the 20 MB limit: refused while it streams in.
    let mut big = PHOTO.to_vec();
    big.resize(20 * 1024 * 1024 + 1, 0);
    let (code, body) = attach(&teacher, id, "photo", None, "lon.png", big).await;
    assert_eq!(code, 422, "{body}");
    assert!(body.to_string().contains("vượt quá 20 MB"), "{body}");
    // Far over it: the server stops reading (the body limit) and answers
    // or closes the connection; either way nothing is stored.
    let mut huge = PHOTO.to_vec();
    huge.resize(64 * 1024 * 1024, 0);
    let form = reqwest::multipart::Form::new().text("kind", "photo").part(
        "file",
        reqwest::multipart::Part::bytes(huge).file_name("x.png"),
    );
    let sent = teacher
        .http
        .post(format!("{}/tep/ho-so/{id}", teacher.base))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await;
    if let Ok(response) = sent {
        assert!(response.status().is_client_error(), "{}", response.status());
    }

    for i in 0..20 {
        let name = format!("anh-{i}.png");
        let (code, body) = attach(&teacher, id, "photo", None, &name, PHOTO.to_vec()).await;
        assert_eq!(code, 200, "file {i}: {body}");
    }
    let (code, body) = attach(&teacher, id, "drawing", None, "ban-ve.png", PHOTO.to_vec()).await;
    assert_eq!(code, 422);
    assert!(body.to_string().contains("tối đa 20 tệp"), "{body}");
    let view = teacher
        .call("get_youth_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    let files = view["files"].as_array().unwrap();
    assert_eq!(files.len(), 20);
    assert!(files.iter().all(|f| f["size_bytes"] == PHOTO.len()));
    let stored = std::fs::read_dir(app.data.path().join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(stored, 20, "refused uploads leave no file on disk");

    // Removing one makes room again.
    let first = files[0]["url"].as_str().unwrap();
    let response = teacher
        .http
        .post(format!("{}{first}/xoa", teacher.base))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (code, _) = attach(&teacher, id, "drawing", None, "ban-ve.png", PHOTO.to_vec()).await;
    assert_eq!(code, 200);
}

#[tokio::test]
async fn typed_forms_are_kept_until_saved_and_receipts_show_what_was_filed() {
    let YouthSetup {
        app,
        organizer,
        edition,
        trang: teacher,
        tai: other,
    } = YouthSetup::new().await;
    let key = format!("youth:{}:0", edition.id);
    let typed =
        r#"[["entry[title]","Thước kẻ đa năng"],["entry[members][0][full_name]","Trần Gia Bảo"]]"#;

    let refused = app
        .client()
        .call("save_form_draft", &[("key", &key), ("body", typed)])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Unauthenticated");
    teacher
        .call("save_form_draft", &[("key", &key), ("body", typed)])
        .await
        .expect("the draft is kept");
    let kept = teacher
        .call("get_form_draft", &[("key", &key)])
        .await
        .unwrap();
    assert_eq!(kept["fields"][1][1], "Trần Gia Bảo");
    assert_eq!(
        other
            .call("get_form_draft", &[("key", &key)])
            .await
            .unwrap(),
        Value::Null,
        "drafts belong to one person"
    );
    let huge = format!(r#"[["entry[summary]","{}"]]"#, "a".repeat(300 * 1024));
    let refused = teacher
        .call("save_form_draft", &[("key", &key), ("body", &huge)])
        .await
        .unwrap_err();
    assert_eq!(invalid(&refused).0, "Bản đang nhập");

    let form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[
            ("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A"),
            ("Lê Ngọc Hân", "29/02/2016", KIM_DONG, "4A"),
        ],
    );
    let id = save_youth(&teacher, &form).await.unwrap().as_i64().unwrap();
    assert_eq!(
        teacher
            .call("get_form_draft", &[("key", &key)])
            .await
            .unwrap(),
        Value::Null,
        "a saved form drops its draft"
    );

    let (code, _) = attach(&teacher, id, "photo", None, "anh-nhom.png", PHOTO.to_vec()).await;
    assert_eq!(code, 200);
    teacher
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    let receipt = teacher
        .call("get_receipt", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert!(
        receipt["code"].as_str().unwrap().starts_with("TTN15-"),
        "{receipt}"
    );
    assert_eq!(receipt["title"], "Thước kẻ đa năng");
    assert_eq!(receipt["state"], "Đã nộp");
    assert_eq!(receipt["submitted"], true);
    let people = receipt["people"].as_array().unwrap();
    assert_eq!(people[0][0], "Thành viên");
    assert_eq!(
        people[1][1],
        "Lê Ngọc Hân · sinh ngày 29/02/2016 · lớp 4A, Trường Tiểu học Kim Đồng"
    );
    assert_eq!(people[2][0], "Giáo viên hướng dẫn");
    assert_eq!(receipt["files"][0][1], "anh-nhom.png");
    let at = receipt["submitted_at"].as_str().unwrap();
    assert_eq!(at.len(), "dd/mm/yyyy hh:mm".len(), "{at}");
    assert_eq!(&at[..10], local_date_in(0), "Vietnam's date");
    let refused = other
        .call("get_receipt", &[("id", &id.to_string())])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "NotFound");
    organizer
        .call("get_receipt", &[("id", &id.to_string())])
        .await
        .expect("the organizer reads every receipt");
    let page = teacher.get(&format!("/ho-so/{id}/bien-nhan")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("BIÊN NHẬN HỒ SƠ"));
    assert!(html.contains(receipt["code"].as_str().unwrap()));
}

#[tokio::test]
async fn typed_markup_stays_text_and_a_submitted_entry_stays_complete() {
    let YouthSetup {
        app,
        organizer,
        edition,
        trang,
        ..
    } = YouthSetup::new().await;
    let mut form = youth_form(
        0,
        &edition,
        "Thước kẻ đa năng",
        &[("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A")],
    );
    let trap = "Thước gấp </textarea><script>alert(1)</script> & khuôn";
    form.retain(|(k, _)| k != "entry[summary]");
    form.push(("entry[summary]".into(), trap.into()));
    let id = save_youth(&trang, &form).await.unwrap().as_i64().unwrap();
    for user in [&organizer, &trang] {
        let html = user
            .get(&format!("/ho-so/san-pham/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("<script>alert(1)"), "markup ran");
        assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
    }

    // Submitted: the last photo and the description cannot go.
    let (_, photo) = attach(&trang, id, "photo", None, "a.png", PHOTO.to_vec()).await;
    trang
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    let url = format!("{}/tep/ho-so/{id}/{}/xoa", trang.base, photo["id"]);
    let response = trang
        .http
        .post(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(body.to_string().contains("ảnh sản phẩm"), "{body}");
    form.retain(|(k, _)| !k.starts_with("entry[summary]") && k != "entry[id]");
    form.push(("entry[id]".into(), id.to_string()));
    form.push(("entry[summary]".into(), String::new()));
    let (field, message) = invalid(&save_youth(&trang, &form).await.unwrap_err());
    assert_eq!(field, "Mô tả sản phẩm");
    assert!(
        message.starts_with("hồ sơ đã nộp phải luôn đủ thành phần"),
        "{message}"
    );
    // A second photo first, then the first may go.
    let (code, _) = attach(&trang, id, "photo", None, "b.png", PHOTO.to_vec()).await;
    assert_eq!(code, 200);
    let response = trang
        .http
        .post(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // The technical form and its description upload stay technical.
    let technical = crate::contest::entry_form(
        0,
        edition.id,
        edition.fields[0],
        "Giải pháp lạc chỗ",
        &[("Phạm Thị Thu Trang", "trang.pham@example.edu.vn", "100")],
    );
    let pairs: Vec<(&str, &str)> = technical
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = trang.call("save_entry", &pairs).await.unwrap_err();
    assert_eq!(kind(&refused), "NotFound");
    let pdf = std::fs::read(fixture("thuyet-minh-mau.pdf")).unwrap();
    let (code, _) = trang
        .upload(&format!("/tep/giai-phap/{id}/thuyet-minh"), "x.pdf", pdf)
        .await;
    assert_eq!(code, 404);
    let (code, _) = attach(&trang, id, "evidence", None, "x.png", PHOTO.to_vec()).await;
    assert_eq!(code, 422, "evidence is for nominations");

    // Limits: long text, far due dates, checklists of other programs.
    let long = "Trường ".repeat(60);
    let form = youth_form(
        0,
        &edition,
        "Thước",
        &[("Lê Ngọc Hân", "29/02/2016", &long, "4A")],
    );
    let (field, message) = invalid(&save_youth(&trang, &form).await.unwrap_err());
    assert_eq!(
        (field.as_str(), message.as_str()),
        ("Thành viên 1 – Trường", "tối đa 200 ký tự")
    );
    let refused = organizer
        .call(
            "change_entry_state",
            &[
                ("id", &id.to_string()),
                ("action", "return"),
                ("reason", "Bổ sung ảnh"),
                ("due", &local_date_in(120)),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(invalid(&refused).0, "Hạn bổ sung");
    let refused = organizer
        .call(
            "save_checklist",
            &[("field", &edition.fields[0].to_string()), ("text", "x")],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "NotFound");
    drop(app);
}

#[tokio::test]
async fn problems_are_named_by_the_row_people_see() {
    let YouthSetup {
        app: _app,
        edition,
        trang,
        ..
    } = YouthSetup::new().await;
    let mut form = youth_form(
        0,
        &edition,
        "Thước kẻ",
        &[
            ("Trần Gia Bảo", "12/03/2016", KIM_DONG, "4A"),
            ("", "", "", ""),
            ("Trần Văn Khoa", "2012", KIM_DONG, "8A"),
        ],
    );
    // The blank row's commune and province came prefilled; blank them, and
    // leave a zero-width space that a paste brings along.
    for (key, value) in form.iter_mut() {
        if key.starts_with("entry[members][1]") {
            *value = "\u{200B}".into();
        }
    }
    let (field, message) = invalid(&save_youth(&trang, &form).await.unwrap_err());
    assert_eq!(field, "Thành viên 3 – Ngày sinh");
    assert!(message.contains("chỉ có năm 2012"), "{message}");
    let form = youth_form(
        0,
        &edition,
        "Thước kẻ",
        &[
            ("Lý Gia Bảo", "12/03/2016", KIM_DONG, "4A"),
            ("LÝ GIA BẢO", "12/03/2016", KIM_DONG, "4A"),
        ],
    );
    let (field, message) = invalid(&save_youth(&trang, &form).await.unwrap_err());
    assert_eq!(field, "Thành viên 2 – Họ và tên");
    assert!(message.contains("được nhập hai lần"), "{message}");
}

#[tokio::test]
async fn malformed_calls_get_client_error_statuses() {
    let YouthSetup {
        app: _app, trang, ..
    } = YouthSetup::new().await;
    let send = |body: String| {
        let trang = trang.clone();
        async move {
            trang
                .http
                .post(format!("{}/api/save_youth_entry", trang.base))
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let response = send("entry[id]=abc&entry[edition_id]=1".into()).await;
    assert_eq!(response.status(), 422);
    let text = response.text().await.unwrap();
    assert!(text.contains("BadRequest"), "{text}");
    let response = send(format!("entry[summary]={}", "a".repeat(3 * 1024 * 1024))).await;
    assert_eq!(response.status(), 413);
}
