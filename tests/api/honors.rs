//! Honors over HTTP: units with their own accounts nominate candidates,
//! tick criteria with evidence and submit; one unit never sees another's
//! nominations.

use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, User, fixture, kind, local_in, open_edition};
use crate::youth::{attach, invalid};

pub struct HonorsEdition {
    pub id: i64,
    /// The categories as `get_honor_rules` returns them.
    pub categories: Vec<Value>,
}

pub async fn create_honors_edition(organizer: &User, self_nomination: bool) -> HonorsEdition {
    let deadline = local_in(60 * 24 * 30);
    let mut form = vec![
        ("edition[program]", "honors"),
        ("edition[name]", "Tôn vinh trí thức khoa học và công nghệ"),
        ("edition[number]", "4"),
        ("edition[year]", "2026"),
        ("edition[deadline]", deadline.as_str()),
        (
            "edition[fields]",
            "Tiến sĩ mới của năm | bằng cấp từ 01/05/2025 đến 30/04/2026\n\
             Tài năng trẻ | tối đa 35 tuổi\n\
             Trí thức tiêu biểu",
        ),
        ("edition[age_on]", "31/05/2026"),
    ];
    if self_nomination {
        form.push(("edition[self_nomination]", "on"));
    }
    let id = open_edition(organizer, &form).await;
    let rules = organizer
        .call("get_honor_rules", &[("edition", &id.to_string())])
        .await
        .unwrap();
    HonorsEdition {
        id,
        categories: rules["categories"].as_array().unwrap().clone(),
    }
}

/// Creates a unit account and signs it in through its one-time link.
pub async fn unit(app: &TestApp, organizer: &User, name: &str, email: &str) -> User {
    let account = organizer
        .call("create_unit", &[("name", name), ("email", email)])
        .await
        .expect("unit created");
    let link = account["link"].as_str().unwrap();
    let token = link.rsplit('/').next().unwrap();
    let unit = app.client();
    unit.call("set_password", &[("token", token), ("password", PASSWORD)])
        .await
        .expect("the unit sets its password");
    unit
}

/// A nomination form: category index, name, birth date, degree, degree date.
pub fn nomination_form(
    id: i64,
    edition: &HonorsEdition,
    category: usize,
    person: (&str, &str, &str, &str),
    checks: &[i64],
) -> Vec<(String, String)> {
    let (name, birth, degree, degree_date) = person;
    let mut form: Vec<(String, String)> = [
        ("id", id.to_string()),
        ("edition_id", edition.id.to_string()),
        (
            "field_id",
            edition.categories[category]["id"]
                .as_i64()
                .unwrap()
                .to_string(),
        ),
        ("full_name", name.into()),
        ("birth_date", birth.into()),
        ("email", String::new()),
        ("phone", "0917 555 010".into()),
        ("degree", degree.into()),
        ("degree_date", degree_date.into()),
        ("academic_title", String::new()),
        ("expertise", "Công nghệ sinh học".into()),
        ("workplace", "Trường Đại học Đồng Tháp".into()),
        ("achievements", "3 bài báo quốc tế (Scopus).".into()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("nomination[{k}]"), v))
    .collect();
    for (i, c) in checks.iter().enumerate() {
        form.push((format!("nomination[checks][{i}]"), c.to_string()));
    }
    form
}

pub async fn save_nomination(user: &User, form: &[(String, String)]) -> Result<Value, Value> {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    user.call("save_nomination", &pairs).await
}

fn criterion(edition: &HonorsEdition, category: usize, index: usize) -> i64 {
    edition.categories[category]["criteria"][index]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_unit_nominates_with_evidence_and_never_sees_another_units_nominations() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_honors_edition(&organizer, false).await;
    let university = unit(
        &app,
        &organizer,
        "Trường Đại học Đồng Tháp",
        "khcn.dhdt@example.org",
    )
    .await;
    let medical = unit(&app, &organizer, "Hội Y học tỉnh", "hoiyhoc@example.org").await;

    // Young talents: at most 35 on 31/05/2026, by exact birthday.
    let talent = criterion(&edition, 1, 2);
    let form = nomination_form(
        0,
        &edition,
        1,
        ("Nguyễn Hoàng Phúc", "30/05/1990", "Thạc sĩ", ""),
        &[talent],
    );
    let (field, message) = invalid(&save_nomination(&university, &form).await.unwrap_err());
    assert_eq!(field, "Ngày sinh");
    assert!(message.contains("đã 36 tuổi"), "{message}");
    assert!(message.contains("quá 35 tuổi"), "{message}");
    let form = nomination_form(
        0,
        &edition,
        1,
        ("Nguyễn Hoàng Phúc", "01/06/1990", "Thạc sĩ", ""),
        &[talent],
    );
    let talent_id = save_nomination(&university, &form)
        .await
        .expect("35 the day before the 36th birthday")
        .as_i64()
        .unwrap();

    // New doctors: the degree is a doctorate awarded within the window.
    let doctor = criterion(&edition, 0, 0);
    let outside = nomination_form(
        0,
        &edition,
        0,
        ("Lê Thị Mỹ Duyên", "14/03/1990", "Tiến sĩ", "30/04/2025"),
        &[doctor],
    );
    let (field, message) = invalid(&save_nomination(&university, &outside).await.unwrap_err());
    assert_eq!(field, "Ngày cấp bằng");
    assert!(message.contains("01/05/2025"), "{message}");
    let master = nomination_form(
        0,
        &edition,
        0,
        ("Lê Thị Mỹ Duyên", "14/03/1990", "Thạc sĩ", "15/09/2025"),
        &[doctor],
    );
    assert_eq!(
        invalid(&save_nomination(&university, &master).await.unwrap_err()).0,
        "Học vị"
    );
    // A criterion of another category is refused.
    let wrong = nomination_form(
        0,
        &edition,
        0,
        ("Lê Thị Mỹ Duyên", "14/03/1990", "TS.", "15/09/2025"),
        &[talent],
    );
    assert_eq!(
        invalid(&save_nomination(&university, &wrong).await.unwrap_err()).0,
        "Tiêu chí"
    );
    let form = nomination_form(
        0,
        &edition,
        0,
        ("Lê Thị Mỹ Duyên", "14/03/1990", "TS.", "15/09/2025"),
        &[doctor],
    );
    let id = save_nomination(&university, &form)
        .await
        .unwrap()
        .as_i64()
        .unwrap();

    let submit = |user: &User, id: i64| {
        let user = user.clone();
        async move {
            user.call(
                "change_entry_state",
                &[("id", &id.to_string()), ("action", "submit")],
            )
            .await
        }
    };
    assert_eq!(
        invalid(&submit(&university, id).await.unwrap_err()).0,
        "Minh chứng"
    );
    let pdf = std::fs::read(fixture("thuyet-minh-mau.pdf")).unwrap();
    let (code, body) = attach(
        &university,
        id,
        "evidence",
        Some(talent),
        "x.pdf",
        pdf.clone(),
    )
    .await;
    assert_eq!(
        code, 422,
        "evidence for a criterion of another category: {body}"
    );
    let (code, body) = attach(
        &university,
        id,
        "evidence",
        Some(doctor),
        "qd.pdf",
        pdf.clone(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let evidence = body["id"].as_i64().unwrap();
    submit(&university, id).await.expect("submitted");
    let view = university
        .call("get_nomination", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(view["nominating_unit"], "Trường Đại học Đồng Tháp");
    assert_eq!(
        view["files"][0]["criterion"],
        "Luận án bảo vệ thành công trong thời gian xét"
    );
    assert_eq!(view["status"]["state"], "Submitted");

    // The other unit: nothing of the university's, by any door.
    let mine = medical.call("my_nominations", &[]).await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 0);
    let theirs = university.call("my_nominations", &[]).await.unwrap();
    assert_eq!(theirs.as_array().unwrap().len(), 2);
    for endpoint in ["get_nomination", "get_entry_status"] {
        let refused = medical
            .call(endpoint, &[("id", &id.to_string())])
            .await
            .unwrap_err();
        assert_eq!(kind(&refused), "NotFound", "{endpoint}");
    }
    let url = format!("/tep/ho-so/{id}/{evidence}");
    assert_eq!(medical.get(&url).await.status(), 404);
    assert_eq!(university.get(&url).await.status(), 200);
    let steal = nomination_form(
        talent_id,
        &edition,
        1,
        ("Nguyễn Hoàng Phúc", "01/06/1990", "Thạc sĩ", ""),
        &[],
    );
    assert_eq!(
        kind(&save_nomination(&medical, &steal).await.unwrap_err()),
        "NotFound"
    );
    assert_eq!(
        kind(&submit(&medical, talent_id).await.unwrap_err()),
        "NotFound"
    );
    let (code, _) = attach(&medical, talent_id, "evidence", None, "x.pdf", pdf).await;
    assert_eq!(code, 404);
    assert_eq!(
        university
            .call("get_nomination", &[("id", &talent_id.to_string())])
            .await
            .unwrap()["form"]["checks"],
        serde_json::json!([talent]),
        "the refused save changed nothing"
    );
    let refused = medical
        .call("edition_entries", &[("edition", &edition.id.to_string())])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");

    // Without self-nomination a person's own account cannot nominate.
    let person = app.contestant("Trần Văn Lợi", "loi.tran@example.org").await;
    let own = nomination_form(
        0,
        &edition,
        2,
        ("Trần Văn Lợi", "20/10/1968", "Tiến sĩ", ""),
        &[],
    );
    assert_eq!(
        kind(&save_nomination(&person, &own).await.unwrap_err()),
        "Forbidden"
    );

    let lines = organizer
        .call(
            "edition_entries",
            &[
                ("edition", &edition.id.to_string()),
                ("filter[q]", "le thi my duyen"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(lines.as_array().unwrap().len(), 1);
    assert_eq!(lines[0]["id"], id);
}

#[tokio::test]
async fn the_organizer_edits_checklists_and_allows_self_nomination() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_honors_edition(&organizer, true).await;
    let category = edition.categories[2]["id"].as_i64().unwrap().to_string();
    let existing: Vec<String> = edition.categories[2]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_string())
        .collect();
    let mut text = existing.join("\n");
    text.push_str("\nĐược tặng Giải thưởng Hồ Chí Minh hoặc Giải thưởng Nhà nước");
    organizer
        .call("save_checklist", &[("field", &category), ("text", &text)])
        .await
        .expect("the checklist is saved");
    let rules = organizer
        .call("get_honor_rules", &[("edition", &edition.id.to_string())])
        .await
        .unwrap();
    let criteria = rules["categories"][2]["criteria"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(criteria.len(), existing.len() + 1);
    let award = criteria.last().unwrap()["id"].as_i64().unwrap();
    assert_eq!(
        criteria[0]["id"], edition.categories[2]["criteria"][0]["id"],
        "kept criteria keep their ids"
    );

    let person = app.contestant("Trần Văn Lợi", "loi.tran@example.org").await;
    let own = nomination_form(
        0,
        &edition,
        2,
        ("Trần Văn Lợi", "20/10/1968", "Tiến sĩ", ""),
        &[award],
    );
    let id = save_nomination(&person, &own)
        .await
        .expect("self-nomination is allowed here")
        .as_i64()
        .unwrap();
    let view = person
        .call("get_nomination", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(view["nominating_unit"], "Tự đề cử");

    // A ticked criterion cannot be removed under the nomination.
    let refused = organizer
        .call(
            "save_checklist",
            &[("field", &category), ("text", &existing.join("\n"))],
        )
        .await
        .unwrap_err();
    let (field, message) = invalid(&refused);
    assert_eq!(field, "Tiêu chí");
    assert!(message.contains("Giải thưởng Hồ Chí Minh"), "{message}");
    let refused = person
        .call("save_checklist", &[("field", &category), ("text", "x")])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");
}

#[tokio::test]
async fn implausible_candidates_and_degrees_are_refused() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_honors_edition(&organizer, false).await;
    let university = unit(
        &app,
        &organizer,
        "Trường Đại học Đồng Tháp",
        "khcn@example.org",
    )
    .await;
    let doctor = criterion(&edition, 0, 0);
    for degree in ["KTS.", "ThS. Kỹ thuật số"] {
        let form = nomination_form(
            0,
            &edition,
            0,
            ("Lê Thị Mỹ Duyên", "14/03/1990", degree, "01/06/2025"),
            &[doctor],
        );
        let refused = save_nomination(&university, &form).await.unwrap_err();
        assert_eq!(invalid(&refused).0, "Học vị", "{degree}");
    }
    let form = nomination_form(
        0,
        &edition,
        0,
        (
            "Lê Thị Mỹ Duyên",
            "14/03/1990",
            "Doctor of Philosophy",
            "01/06/2025",
        ),
        &[doctor],
    );
    save_nomination(&university, &form)
        .await
        .expect("a doctorate written in English");
    for birth in ["01/01/1800", "30/05/2026"] {
        let form = nomination_form(0, &edition, 2, ("Trần Văn Lợi", birth, "TS.", ""), &[]);
        let (field, message) = invalid(&save_nomination(&university, &form).await.unwrap_err());
        assert_eq!(field, "Ngày sinh");
        assert!(message.contains("không hợp lý"), "{birth}: {message}");
    }
    let mut form = nomination_form(
        0,
        &edition,
        2,
        ("Trần Văn Lợi", "20/10/1968", "TS.", ""),
        &[],
    );
    form.retain(|(k, _)| k != "nomination[expertise]");
    form.push(("nomination[expertise]".into(), "Ngoại khoa ".repeat(30)));
    let (field, _) = invalid(&save_nomination(&university, &form).await.unwrap_err());
    assert_eq!(field, "Chuyên ngành");
}

#[tokio::test]
async fn a_lost_unit_link_is_shown_again_and_can_be_renewed() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let first = organizer
        .call(
            "create_unit",
            &[("name", "Hội Y học tỉnh"), ("email", "hoiyhoc@example.org")],
        )
        .await
        .unwrap();
    let first = first["link"].as_str().unwrap().to_string();
    // The link stays in the organizer's list after a reload.
    let pending = organizer.call("pending_invite_links", &[]).await.unwrap();
    assert_eq!(pending[0]["url"], first.as_str());
    let html = organizer
        .get(&format!(
            "/to-chuc/ky-thi/{}",
            create_honors_edition(&organizer, false).await.id
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&first), "the edition page lists the link");

    let renewed = organizer
        .call("new_unit_link", &[("email", "hoiyhoc@example.org")])
        .await
        .unwrap();
    let second = renewed["link"].as_str().unwrap();
    assert_ne!(second, first);
    let token = |link: &str| link.rsplit('/').next().unwrap().to_string();
    let refused = app
        .client()
        .call(
            "set_password",
            &[("token", &token(&first)), ("password", PASSWORD)],
        )
        .await
        .unwrap_err();
    assert_ne!(kind(&refused), "", "the older link no longer works");
    app.client()
        .call(
            "set_password",
            &[("token", &token(second)), ("password", PASSWORD)],
        )
        .await
        .expect("the new link works");
    let refused = organizer
        .call("new_unit_link", &[("email", "khong-co@example.org")])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "NotFound");
}
