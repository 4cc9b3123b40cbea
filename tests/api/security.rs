//! Who may see and change what.

use crate::contest::{
    Contest, create_edition, entry_form, import_judges, judge_from_link, pdf, save_entry, score,
    seat_judge,
};
use crate::helpers::{TestApp, kind, local_in};

#[tokio::test]
async fn a_contestant_cannot_read_or_edit_another_contestants_entry() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let theirs = c.nhung_entry.to_string();

    let read = c
        .hung
        .call("get_entry", &[("id", &theirs)])
        .await
        .unwrap_err();
    assert_eq!(kind(&read), "NotFound");
    let form = entry_form(
        c.nhung_entry,
        c.edition,
        c.fields[1],
        "Đã bị sửa",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    let edit = save_entry(&c.hung, &form).await.unwrap_err();
    assert_eq!(kind(&edit), "NotFound");
    let (status, _) = c
        .hung
        .upload(
            &format!("/tep/giai-phap/{theirs}/thuyet-minh"),
            "x.pdf",
            pdf(),
        )
        .await;
    assert_eq!(status, 404);
    let file = c
        .hung
        .get(&format!("/tep/giai-phap/{theirs}/thuyet-minh"))
        .await;
    assert_eq!(file.status(), 404);

    let removed = c
        .hung
        .call("delete_draft", &[("id", &theirs)])
        .await
        .unwrap_err();
    assert_eq!(kind(&removed), "NotFound");
    let submitted = c
        .hung
        .call("delete_draft", &[("id", &c.hung_entry.to_string())])
        .await
        .unwrap_err();
    assert_eq!(
        kind(&submitted),
        "Conflict",
        "a submitted entry is not a draft"
    );
    let draft = entry_form(
        0,
        c.edition,
        c.fields[0],
        "Bản nháp nhầm",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    let draft = save_entry(&c.hung, &draft)
        .await
        .unwrap()
        .as_i64()
        .unwrap()
        .to_string();
    c.hung
        .call("delete_draft", &[("id", &draft)])
        .await
        .unwrap();
    assert_eq!(
        kind(
            &c.hung
                .call("get_entry", &[("id", &draft)])
                .await
                .unwrap_err()
        ),
        "NotFound"
    );
    assert_eq!(
        c.hung.get("/tep/giai-phap/abc/thuyet-minh").await.status(),
        404
    );

    let mine = c.nhung.call("get_entry", &[("id", &theirs)]).await.unwrap();
    assert_eq!(
        mine["title"], "Hệ thống tưới nhỏ giọt theo độ ẩm đất",
        "the owner's entry is unchanged"
    );
}

#[tokio::test]
async fn a_judge_sees_only_their_fields_and_never_another_judges_scores() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let links = import_judges(&c.organizer, c.edition).await;
    let ha = seat_judge(&app, &c, &links, "ha.nguyen@example.org", c.fields[0]).await;
    let phuc = seat_judge(&app, &c, &links, "phuc.tran@example.com", c.fields[0]).await;
    let chau = seat_judge(&app, &c, &links, "chau.le@example.com", c.fields[1]).await;

    // Châu judges the second field only.
    let outside = c.hung_entry.to_string();
    assert_eq!(
        kind(
            &chau
                .call("get_sheet", &[("entry", &outside)])
                .await
                .unwrap_err()
        ),
        "NotFound"
    );
    assert_eq!(
        kind(
            &score(&chau, c.hung_entry, &c.criteria, &["10", "10", "10"])
                .await
                .unwrap_err()
        ),
        "NotFound"
    );
    assert_eq!(
        chau.get(&format!("/tep/giai-phap/{outside}/thuyet-minh"))
            .await
            .status(),
        404
    );
    let listed = chau.call("my_assignments", &[]).await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["entry_id"], c.nhung_entry);

    // Hà scores and submits; Phúc's sheet for the same entry shows none of it.
    score(&ha, c.hung_entry, &c.criteria, &["25", "26,5", "33"])
        .await
        .unwrap();
    ha.call("submit_sheet", &[("entry", &outside)])
        .await
        .unwrap();
    let sheet = phuc
        .call("get_sheet", &[("entry", &outside)])
        .await
        .unwrap();
    assert_eq!(sheet["scores"], serde_json::json!([null, null, null]));
    assert_eq!(sheet["total"], 0);
    assert_eq!(
        kind(
            &phuc
                .call("get_results", &[("edition", &c.edition.to_string())])
                .await
                .unwrap_err()
        ),
        "Forbidden"
    );
    let workbook = phuc
        .get(&format!("/tep/ky-thi/{}/ket-qua.xlsx", c.edition))
        .await;
    assert_eq!(workbook.status(), 403);

    // A score over the criterion's maximum is refused, naming the criterion.
    let over = score(&phuc, c.hung_entry, &c.criteria, &["35", "20", "20"])
        .await
        .unwrap_err();
    assert_eq!(over["Invalid"]["field"], "Tính mới và tính sáng tạo");
    let off_step = score(&phuc, c.hung_entry, &c.criteria, &["20,25", "20", "20"])
        .await
        .unwrap_err();
    assert_eq!(kind(&off_step), "Invalid");
    let incomplete = phuc
        .call("submit_sheet", &[("entry", &outside)])
        .await
        .unwrap_err();
    assert_eq!(
        kind(&incomplete),
        "Invalid",
        "a sheet with missing criteria cannot be submitted"
    );
}

#[tokio::test]
async fn an_edit_after_the_deadline_is_refused_whatever_the_browser_sends() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let moved = c
        .organizer
        .call(
            "set_deadline",
            &[("id", &c.edition.to_string()), ("deadline", &local_in(-1))],
        )
        .await
        .unwrap();
    assert!(
        moved.as_str().unwrap().contains('/'),
        "shown as dd/mm/yyyy: {moved}"
    );

    let form = entry_form(
        c.hung_entry,
        c.edition,
        c.fields[0],
        "Sửa sau hạn",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    let late = save_entry(&c.hung, &form).await.unwrap_err();
    assert_eq!(kind(&late), "DeadlinePassed");
    let new = entry_form(
        0,
        c.edition,
        c.fields[0],
        "Hồ sơ mới sau hạn",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    assert_eq!(
        kind(&save_entry(&c.hung, &new).await.unwrap_err()),
        "DeadlinePassed"
    );
    let (status, body) = c
        .hung
        .upload(
            &format!("/tep/giai-phap/{}/thuyet-minh", c.hung_entry),
            "x.pdf",
            pdf(),
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        body["error"].as_str().unwrap().contains("hết hạn"),
        "{body}"
    );
    let entry = c
        .hung
        .call("get_entry", &[("id", &c.hung_entry.to_string())])
        .await
        .unwrap();
    assert_eq!(entry["title"], "Máy bóc vỏ hạt sen bán tự động");
}

#[tokio::test]
async fn roles_and_bad_input_are_refused_with_clear_messages() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_edition(&organizer, &local_in(60)).await;
    let hung = app
        .contestant("Nguyễn Văn Hùng", "hung.nguyen@example.com")
        .await;
    let anonymous = app.client();

    assert_eq!(
        kind(&anonymous.call("my_entries", &[]).await.unwrap_err()),
        "Unauthenticated"
    );
    let home = anonymous.get("/").await;
    assert_eq!(
        home.headers()["x-frame-options"],
        "DENY",
        "no other site may frame the app"
    );
    assert_eq!(home.headers()["x-content-type-options"], "nosniff");
    scripts_run_only_with_the_pages_nonce(home).await;
    let rules = anonymous
        .call("get_edition", &[("id", &edition.to_string())])
        .await
        .unwrap();
    assert_eq!(
        rules["criteria"].as_array().unwrap().len(),
        3,
        "an open edition's rules are public"
    );
    assert_eq!(rules["entry_count"], 0, "counts are the organizer's");
    let draft = create_edition_numbered(&organizer, "13").await;
    let hidden = anonymous
        .call("get_edition", &[("id", &draft.to_string())])
        .await
        .unwrap_err();
    assert_eq!(kind(&hidden), "NotFound", "a draft edition is not public");
    assert_eq!(
        kind(
            &hung
                .call("list_judges", &[("edition", &edition.to_string())])
                .await
                .unwrap_err()
        ),
        "Forbidden"
    );
    let again = app
        .client()
        .call(
            "register",
            &[
                ("full_name", "Ai Đó"),
                ("email", "HUNG.NGUYEN@example.com "),
                ("password", "mật khẩu rất dài"),
            ],
        )
        .await;
    assert_eq!(
        kind(&again.unwrap_err()),
        "Conflict",
        "an address registers once, whatever its case"
    );
    let wrong = app
        .client()
        .call(
            "sign_in",
            &[
                ("email", "hung.nguyen@example.com"),
                ("password", "sai mật khẩu"),
            ],
        )
        .await;
    assert_eq!(kind(&wrong.unwrap_err()), "BadCredentials");

    let detail = hung
        .call("get_edition", &[("id", &edition.to_string())])
        .await
        .unwrap();
    let field = detail["fields"][0]["id"].as_i64().unwrap();
    let shares = entry_form(
        0,
        edition,
        field,
        "Giải pháp",
        &[
            ("Nguyễn Văn Hùng", "hung.nguyen@example.com", "60"),
            ("Lê Thị Bé", "be.le@example.com", "30"),
        ],
    );
    let error = save_entry(&hung, &shares).await.unwrap_err();
    assert_eq!(error["Invalid"]["field"], "Tỷ lệ đóng góp");
    assert_eq!(
        error["Invalid"]["message"],
        "tổng tỷ lệ đóng góp là 90%, cần đúng 100%"
    );

    let ok = entry_form(
        0,
        edition,
        field,
        "Giải pháp",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    let id = save_entry(&hung, &ok).await.unwrap().as_i64().unwrap();
    let fake = b"<html><body>not a pdf</body></html>".to_vec();
    let (status, body) = hung
        .upload(&format!("/tep/giai-phap/{id}/thuyet-minh"), "gia.pdf", fake)
        .await;
    assert_eq!(status, 422);
    assert!(body["error"].as_str().unwrap().contains("PDF"), "{body}");
    let unsent = hung
        .call("submit_entry", &[("id", &id.to_string())])
        .await
        .unwrap_err();
    assert_eq!(unsent["Invalid"]["field"], "Tệp thuyết minh");

    // A name typed decomposed (as macOS sends it) is stored composed.
    let nfd = "Tra\u{0302}\u{0300}n Thi\u{0323} A\u{0301}nh";
    let form = entry_form(
        id,
        edition,
        field,
        "Giải pháp",
        &[(nfd, "anh.tran@example.com", "100")],
    );
    save_entry(&hung, &form).await.unwrap();
    let entry = hung
        .call("get_entry", &[("id", &id.to_string())])
        .await
        .unwrap();
    assert_eq!(entry["authors"][0]["full_name"], "Trần Thị Ánh");
}

#[tokio::test]
async fn a_cancelled_import_writes_nothing() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_edition(&organizer, &local_in(60)).await.to_string();
    let bytes = std::fs::read(crate::helpers::fixture("vn_02_judges.xlsx")).unwrap();
    let (status, staged) = organizer
        .upload(
            &format!("/tep/ky-thi/{edition}/giam-khao"),
            "gk.xlsx",
            bytes,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(staged["report"]["imported"], 8);
    let token = staged["token"].as_str().unwrap();

    organizer
        .call(
            "cancel_judge_import",
            &[("edition", &edition), ("token", token)],
        )
        .await
        .unwrap();
    let judges = organizer
        .call("list_judges", &[("edition", &edition)])
        .await
        .unwrap();
    assert_eq!(judges.as_array().unwrap().len(), 0);
    let late = organizer
        .call(
            "confirm_judge_import",
            &[("edition", &edition), ("token", token)],
        )
        .await;
    assert_eq!(kind(&late.unwrap_err()), "NotFound");
}

/// Creates a draft (unopened) edition with the given number.
async fn create_edition_numbered(organizer: &crate::helpers::User, number: &str) -> i64 {
    let form = [
        ("edition[name]", "Hội thi Sáng tạo kỹ thuật"),
        ("edition[number]", number),
        ("edition[year]", "2027"),
        ("edition[deadline]", "31/12/2027 17:00"),
        ("edition[fields]", "Y – Dược"),
        ("edition[criteria]", "Tính mới | 100"),
        ("edition[step]", "1"),
        ("edition[prizes]", "Nhất | 1"),
        ("edition[floor]", "50"),
    ];
    organizer
        .call("create_edition", &form)
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_judge_submits_exactly_what_is_on_screen() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let links = import_judges(&c.organizer, c.edition).await;
    let ha = seat_judge(&app, &c, &links, "ha.nguyen@example.org", c.fields[0]).await;
    let entry = c.hung_entry.to_string();

    score(&ha, c.hung_entry, &c.criteria, &["27,5", "28", "36"])
        .await
        .unwrap();
    let (a, b, d) = (
        c.criteria[0].to_string(),
        c.criteria[1].to_string(),
        c.criteria[2].to_string(),
    );
    let form = [
        ("entry", entry.as_str()),
        ("scores[0][criterion_id]", a.as_str()),
        ("scores[0][points]", "10"),
        ("scores[1][criterion_id]", b.as_str()),
        ("scores[1][points]", "28"),
        ("scores[2][criterion_id]", d.as_str()),
        ("scores[2][points]", "36"),
        ("submit", "true"),
    ];
    ha.call("save_scores", &form).await.unwrap();
    let sheet = ha.call("get_sheet", &[("entry", &entry)]).await.unwrap();
    assert_eq!(sheet["submitted"], true);
    assert_eq!(
        sheet["scores"],
        serde_json::json!([1000, 2800, 3600]),
        "the typed 10 was locked, not the saved 27,5"
    );
}

#[tokio::test]
async fn a_new_set_password_link_revokes_the_older_ones() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_edition(&organizer, &local_in(60)).await;
    let first = import_judges(&organizer, edition).await;
    let second = import_judges(&organizer, edition).await;
    let link = |links: &[(String, String)]| {
        links
            .iter()
            .find(|(e, _)| e == "phuc.tran@example.com")
            .unwrap()
            .1
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let pending = organizer.call("pending_invite_links", &[]).await.unwrap();
    assert_eq!(
        pending.as_array().unwrap().len(),
        8,
        "the organizer's session keeps the newest link per judge"
    );
    let (old, new) = (link(&first), link(&second));
    let stale = app
        .client()
        .call(
            "set_password",
            &[("token", &old), ("password", "mật khẩu mới đủ dài")],
        )
        .await;
    assert_eq!(
        kind(&stale.unwrap_err()),
        "Invalid",
        "the older link stopped working"
    );
    app.client()
        .call(
            "set_password",
            &[("token", &new), ("password", "mật khẩu mới đủ dài")],
        )
        .await
        .unwrap();
    let reused = app
        .client()
        .call(
            "set_password",
            &[("token", &new), ("password", "mật khẩu khác nữa")],
        )
        .await;
    assert_eq!(kind(&reused.unwrap_err()), "Invalid", "a link works once");

    // A used link leaves the organizer's list; dismissing clears the rest.
    let pending = organizer.call("pending_invite_links", &[]).await.unwrap();
    let emails: Vec<&str> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 7, "{emails:?}");
    assert!(!emails.contains(&"phuc.tran@example.com"), "{emails:?}");
    organizer.call("dismiss_invite_links", &[]).await.unwrap();
    assert_eq!(
        organizer.call("pending_invite_links", &[]).await.unwrap(),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn password_guessing_is_slowed_and_errors_carry_their_http_status() {
    let app = TestApp::spawn().await;
    let guesser = app.client();
    for _ in 0..10 {
        let wrong = guesser
            .call(
                "sign_in",
                &[
                    ("email", crate::helpers::ORGANIZER_EMAIL),
                    ("password", "đoán bừa mà thôi"),
                ],
            )
            .await;
        assert_eq!(kind(&wrong.unwrap_err()), "BadCredentials");
    }
    let right = guesser
        .call(
            "sign_in",
            &[
                ("email", crate::helpers::ORGANIZER_EMAIL),
                ("password", crate::helpers::ORGANIZER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        kind(&right.unwrap_err()),
        "TooManyAttempts",
        "even the right password waits"
    );

    let anonymous = app.client();
    let status = |endpoint: &'static str| {
        let http = anonymous.http.clone();
        let url = format!("{}/api/{endpoint}", anonymous.base);
        async move {
            http.post(url)
                .header("Accept", "application/json")
                .form(&[("edition", "1")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status("my_entries").await, 401);
    assert_eq!(status("list_judges").await, 401);
    let page = anonymous.get("/thi-sinh/giai-phap/999").await;
    assert_eq!(
        page.status(),
        401,
        "an error page carries the error's status"
    );
}

#[tokio::test]
async fn a_page_of_another_origin_cannot_post_for_a_signed_in_user() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_edition(&organizer, &local_in(60)).await.to_string();
    let forged = organizer
        .http
        .post(format!("{}/api/set_deadline", organizer.base))
        .header("Origin", "http://127.0.0.1:1")
        .form(&[("id", edition.as_str()), ("deadline", "01/01/2020 00:00")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let same = organizer
        .http
        .post(format!("{}/api/set_deadline", organizer.base))
        .header("Origin", organizer.base.as_str())
        .header("Accept", "application/json")
        .form(&[("id", edition.as_str()), ("deadline", &local_in(120))])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200, "the app's own pages may post");
}

#[tokio::test]
async fn codes_stay_unique_after_a_draft_is_deleted_and_guessing_locks_no_one_else_out() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let draft = |title: &'static str| {
        entry_form(
            0,
            c.edition,
            c.fields[0],
            title,
            &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
        )
    };
    let first = save_entry(&c.hung, &draft("Nháp một"))
        .await
        .unwrap()
        .to_string();
    save_entry(&c.hung, &draft("Nháp hai")).await.unwrap();
    c.hung
        .call("delete_draft", &[("id", &first)])
        .await
        .unwrap();
    let next = save_entry(
        &c.nhung,
        &entry_form(
            0,
            c.edition,
            c.fields[1],
            "Sau khi xóa",
            &[("Đỗ Thị Hồng Nhung", "nhung.do@example.com", "100")],
        ),
    )
    .await
    .expect("a new entry after a deleted draft");
    let entry = c
        .nhung
        .call("get_entry", &[("id", &next.to_string())])
        .await
        .unwrap();
    assert_eq!(entry["code"], "STKT12-005", "codes are never reused");

    // Ten wrong passwords for Hùng do not stop Nhung signing in from the same place.
    let guesser = app.client();
    for _ in 0..10 {
        let _ = guesser
            .call(
                "sign_in",
                &[
                    ("email", "hung.nguyen@example.com"),
                    ("password", "đoán bừa mà thôi"),
                ],
            )
            .await;
    }
    let nhung = app.client();
    nhung
        .call(
            "sign_in",
            &[
                ("email", "nhung.do@example.com"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_preview_refuses_what_the_import_would_refuse_and_removed_judges_stop_counting() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    // A contestant already uses the address of judge GK03.
    app.contestant("Lê Thị Minh Châu", "chau.le@example.com")
        .await;
    let bytes = std::fs::read(crate::helpers::fixture("vn_02_judges.xlsx")).unwrap();
    let edition = c.edition.to_string();
    let (_, staged) = c
        .organizer
        .upload(
            &format!("/tep/ky-thi/{edition}/giam-khao"),
            "gk.xlsx",
            bytes,
        )
        .await;
    assert_eq!(staged["report"]["imported"], 7);
    assert_eq!(staged["report"]["rejected"], 3);
    let refused: Vec<String> = staged["report"]["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}{}", p["column"].as_str().unwrap(), p["row"]))
        .collect();
    assert_eq!(refused, vec!["G4", "G11", "G12"]);
    let token = staged["token"].as_str().unwrap();
    let outcome = c
        .organizer
        .call(
            "confirm_judge_import",
            &[("edition", &edition), ("token", token)],
        )
        .await
        .unwrap();
    let links = crate::contest::links_of(&outcome);

    let judge = crate::contest::assign(
        &c.organizer,
        c.edition,
        "ha.nguyen@example.org",
        c.fields[0],
    )
    .await
    .to_string();
    let field = c.fields[0].to_string();
    let ha = judge_from_link(&app, &links, "ha.nguyen@example.org").await;
    score(&ha, c.hung_entry, &c.criteria, &["25", "26,5", "33"])
        .await
        .unwrap();
    ha.call("submit_sheet", &[("entry", &c.hung_entry.to_string())])
        .await
        .unwrap();
    let counted = c
        .organizer
        .call("get_results", &[("edition", &edition)])
        .await
        .unwrap();
    assert_eq!(counted["fields"][0]["rows"][0]["judges"], 1);

    c.organizer
        .call("unassign_field", &[("judge", &judge), ("field", &field)])
        .await
        .unwrap();
    let after = c
        .organizer
        .call("get_results", &[("edition", &edition)])
        .await
        .unwrap();
    assert_eq!(
        after["fields"][0]["rows"].as_array().unwrap().len(),
        0,
        "a judge taken off the field no longer counts"
    );
    assert_eq!(
        after["fields"][0]["unscored"],
        serde_json::json!(["STKT12-001"])
    );
}

#[tokio::test]
async fn a_refused_plain_form_shows_its_error_once_and_a_link_cannot_fake_one() {
    let app = TestApp::spawn().await;
    let browser = app.client();
    let form = browser
        .http
        .post(format!("{}/api/sign_in", browser.base))
        .header("Accept", "text/html")
        .header("Referer", format!("{}/dang-nhap", browser.base))
        .form(&[
            ("email", crate::helpers::ORGANIZER_EMAIL),
            ("password", "sai mật khẩu rồi"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 302);
    assert_eq!(
        form.headers()["location"],
        "/dang-nhap",
        "the message is not in the address"
    );
    let page = browser.get("/dang-nhap").await.text().await.unwrap();
    assert!(
        page.contains("Email hoặc mật khẩu không đúng."),
        "shown beside the form"
    );
    let again = browser.get("/dang-nhap").await.text().await.unwrap();
    assert!(
        !again.contains("Email hoặc mật khẩu không đúng."),
        "shown once"
    );
    let faked = browser
        .get("/dang-nhap?loi=T%C3%A0i%20kho%E1%BA%A3n%20b%E1%BB%8B%20kh%C3%B3a")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !faked.contains("Tài khoản bị khóa"),
        "a link cannot put words in the app's mouth"
    );
}

/// The page's policy names a fresh nonce, every inline script Leptos wrote
/// carries it, and nothing else may run.
async fn scripts_run_only_with_the_pages_nonce(page: reqwest::Response) {
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    assert!(nonce.len() >= 16, "{nonce}");
    for directive in [
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains(" 'unsafe-eval'"), "{policy}");
    assert!(
        !policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    let html = page.text().await.unwrap();
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the hydration scripts are there");
    for script in scripts {
        let tag = script.split('>').next().unwrap();
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
    }
    assert!(!html.contains("onclick="), "no inline handlers");
}

#[tokio::test]
async fn signing_in_from_a_page_returns_to_it_and_never_to_another_site() {
    let app = TestApp::spawn().await;
    let anonymous = app.client();
    let page = anonymous
        .get("/giam-khao/cham/1?vong=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("href=\"/dang-nhap?tiep=%2Fgiam-khao%2Fcham%2F1%3Fvong%3D1\""),
        "the sign-in link remembers the page"
    );
    let sign_in = |next: &'static str| {
        let browser = app.client();
        async move {
            let answer = browser
                .http
                .post(format!("{}/api/sign_in", browser.base))
                .header("Accept", "text/html")
                .header("Referer", format!("{}/dang-nhap", browser.base))
                .form(&[
                    ("email", crate::helpers::ORGANIZER_EMAIL),
                    ("password", crate::helpers::ORGANIZER_PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            answer.headers()["location"].to_str().unwrap().to_string()
        }
    };
    assert_eq!(
        sign_in("/giam-khao/cham/1?vong=1").await,
        "/giam-khao/cham/1?vong=1"
    );
    for elsewhere in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        assert_eq!(sign_in(elsewhere).await, "/to-chuc", "{elsewhere}");
    }
}
