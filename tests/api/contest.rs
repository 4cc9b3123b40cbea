//! A contest set up the way people do it, for the tests to build on.

use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, User, fixture, local_in};

pub struct Contest {
    pub edition: i64,
    pub fields: Vec<i64>,
    pub criteria: Vec<i64>,
    pub organizer: User,
    pub hung: User,
    pub nhung: User,
    /// Hùng's entry, in the first field.
    pub hung_entry: i64,
    /// Nhung's entry, in the second field.
    pub nhung_entry: i64,
}

/// Creates and opens an edition with the default rules.
pub async fn create_edition(organizer: &User, deadline: &str) -> i64 {
    let defaults = [
        ("edition[name]", "Hội thi Sáng tạo kỹ thuật"),
        ("edition[number]", "12"),
        ("edition[year]", "2026"),
        ("edition[deadline]", deadline),
        (
            "edition[fields]",
            "Cơ khí – Tự động hóa – Xây dựng – Giao thông vận tải\nNông – Lâm – Ngư nghiệp – Môi trường\nY – Dược",
        ),
        (
            "edition[criteria]",
            "Tính mới và tính sáng tạo | 30\nKhả năng áp dụng | 30\nHiệu quả kinh tế – kỹ thuật – xã hội | 40",
        ),
        ("edition[step]", "0,5"),
        (
            "edition[prizes]",
            "Nhất | 1\nNhì | 1\nBa | 1\nKhuyến khích | 2",
        ),
        ("edition[floor]", "55"),
    ];
    let id = organizer
        .call("create_edition", &defaults)
        .await
        .expect("edition created");
    let id = id.as_i64().unwrap();
    organizer
        .call("open_registration", &[("id", &id.to_string())])
        .await
        .expect("registration opened");
    id
}

/// The form of an entry with the given authors ("name|email|share").
pub fn entry_form(
    id: i64,
    edition: i64,
    field: i64,
    title: &str,
    authors: &[(&str, &str, &str)],
) -> Vec<(String, String)> {
    let mut form = vec![
        ("entry[id]".to_string(), id.to_string()),
        ("entry[edition_id]".into(), edition.to_string()),
        ("entry[field_id]".into(), field.to_string()),
        ("entry[title]".into(), title.to_string()),
        (
            "entry[summary]".into(),
            "Giải pháp đã áp dụng tại hợp tác xã, tiết kiệm 30% chi phí.".into(),
        ),
        ("entry[applied_since]".into(), "01/03/2024".into()),
        ("entry[applying_unit]".into(), "Hợp tác xã Sen Hồng".into()),
    ];
    for (i, (name, email, share)) in authors.iter().enumerate() {
        let key = |f: &str| format!("entry[authors][{i}][{f}]");
        form.push((key("full_name"), name.to_string()));
        form.push((key("birth_date"), "07/09/1990".into()));
        form.push((key("phone"), "0912 000 101".into()));
        form.push((key("email"), email.to_string()));
        form.push((key("unit"), "Công ty TNHH Cơ khí An Bình".into()));
        form.push((key("share"), share.to_string()));
    }
    form
}

pub async fn save_entry(user: &User, form: &[(String, String)]) -> Result<Value, Value> {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    user.call("save_entry", &pairs).await
}

pub fn pdf() -> Vec<u8> {
    std::fs::read(fixture("thuyet-minh-mau.pdf")).unwrap()
}

/// Registers, uploads the description and submits an entry.
pub async fn submit_entry(
    user: &User,
    edition: i64,
    field: i64,
    title: &str,
    authors: &[(&str, &str, &str)],
) -> i64 {
    let id = save_entry(user, &entry_form(0, edition, field, title, authors))
        .await
        .expect("entry saved");
    let id = id.as_i64().unwrap();
    let (status, body) = user
        .upload(
            &format!("/tep/giai-phap/{id}/thuyet-minh"),
            "thuyết minh.pdf",
            pdf(),
        )
        .await;
    assert!(status.is_success(), "upload refused: {body}");
    user.call("submit_entry", &[("id", &id.to_string())])
        .await
        .expect("entry submitted");
    id
}

/// Imports the sample judge list through the preview and confirmation;
/// returns the set-password links by e-mail.
pub async fn import_judges(organizer: &User, edition: i64) -> Vec<(String, String)> {
    let bytes = std::fs::read(fixture("vn_02_judges.xlsx")).unwrap();
    let (status, staged) = organizer
        .upload(
            &format!("/tep/ky-thi/{edition}/giam-khao"),
            "giam khao.xlsx",
            bytes,
        )
        .await;
    assert!(status.is_success(), "staging refused: {staged}");
    let token = staged["token"].as_str().unwrap().to_string();
    let outcome = organizer
        .call(
            "confirm_judge_import",
            &[("edition", &edition.to_string()), ("token", &token)],
        )
        .await
        .expect("import confirmed");
    links_of(&outcome)
}

/// The judge id of an e-mail in the organizer's list.
pub async fn judge_id(organizer: &User, edition: i64, email: &str) -> i64 {
    let judges = organizer
        .call("list_judges", &[("edition", &edition.to_string())])
        .await
        .unwrap();
    judges
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["email"] == email)
        .expect("judge listed")["id"]
        .as_i64()
        .unwrap()
}

/// Signs a judge in through their one-time link.
pub async fn judge_from_link(app: &TestApp, links: &[(String, String)], email: &str) -> User {
    let url = &links
        .iter()
        .find(|(e, _)| e == email)
        .expect("link for judge")
        .1;
    let token = url.rsplit('/').next().unwrap();
    let judge = app.client();
    judge
        .call("set_password", &[("token", token), ("password", PASSWORD)])
        .await
        .expect("password set");
    judge
}

pub async fn score(
    judge: &User,
    entry: i64,
    criteria: &[i64],
    points: &[&str],
) -> Result<Value, Value> {
    let entry = entry.to_string();
    let mut form = vec![("entry".to_string(), entry)];
    for (i, (c, p)) in criteria.iter().zip(points).enumerate() {
        form.push((format!("scores[{i}][criterion_id]"), c.to_string()));
        form.push((format!("scores[{i}][points]"), p.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    judge.call("save_scores", &pairs).await
}

impl Contest {
    /// An open edition with two contestants' submitted entries in two fields.
    pub async fn setup(app: &TestApp) -> Self {
        let organizer = app.organizer().await;
        let edition = create_edition(&organizer, &local_in(24 * 60)).await;
        let detail = organizer
            .call("get_edition", &[("id", &edition.to_string())])
            .await
            .unwrap();
        let ids = |key: &str| -> Vec<i64> {
            detail[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["id"].as_i64().unwrap())
                .collect()
        };
        let (fields, criteria) = (ids("fields"), ids("criteria"));

        let hung = app
            .contestant("Nguyễn Văn Hùng", "hung.nguyen@example.com")
            .await;
        let nhung = app
            .contestant("Đỗ Thị Hồng Nhung", "nhung.do@example.com")
            .await;
        let hung_entry = submit_entry(
            &hung,
            edition,
            fields[0],
            "Máy bóc vỏ hạt sen bán tự động",
            &[
                ("Nguyễn Văn Hùng", "hung.nguyen@example.com", "70"),
                ("Trần Thị Ánh", "anh.tran@example.com", "30"),
            ],
        )
        .await;
        let nhung_entry = submit_entry(
            &nhung,
            edition,
            fields[1],
            "Hệ thống tưới nhỏ giọt theo độ ẩm đất",
            &[("Đỗ Thị Hồng Nhung", "nhung.do@example.com", "100")],
        )
        .await;
        Self {
            edition,
            fields,
            criteria,
            organizer,
            hung,
            nhung,
            hung_entry,
            nhung_entry,
        }
    }
}

/// The (e-mail, link) pairs of a confirmed import.
pub fn links_of(outcome: &Value) -> Vec<(String, String)> {
    let link = |l: &Value| {
        (
            l["email"].as_str().unwrap().to_string(),
            l["url"].as_str().unwrap().to_string(),
        )
    };
    outcome["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(link)
        .collect()
}

/// Assigns the judge with this e-mail to a field; returns the judge's id.
pub async fn assign(organizer: &User, edition: i64, email: &str, field: i64) -> i64 {
    let judge = judge_id(organizer, edition, email).await;
    organizer
        .call(
            "assign_field",
            &[("judge", &judge.to_string()), ("field", &field.to_string())],
        )
        .await
        .expect("judge assigned");
    judge
}

/// Assigns a judge to a field and signs them in through their link.
pub async fn seat_judge(
    app: &TestApp,
    c: &Contest,
    links: &[(String, String)],
    email: &str,
    field: i64,
) -> User {
    assign(&c.organizer, c.edition, email, field).await;
    judge_from_link(app, links, email).await
}
