//! The admin command line on the sample judge list.

use crate::contest::create_edition;
use crate::helpers::{RUBRIC, TestApp, cli, fixture, local_in};

#[tokio::test]
async fn the_sample_judge_list_imports_with_the_expected_counts() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let edition = create_edition(&organizer, &local_in(60)).await.to_string();
    let file = fixture("vn_02_judges.xlsx");
    let file = file.to_str().unwrap();
    let data = app.data.path().to_path_buf();

    let (ok, listing, _) = cli(&data, &["editions"], "").await;
    assert!(ok);
    assert_eq!(
        listing.trim(),
        format!("{edition}\tHội thi Sáng tạo kỹ thuật lần thứ 12 (2026)")
    );

    let (ok, out, err) = cli(
        &data,
        &["import", "judges", "--edition", &edition, file, "--dry-run"],
        "",
    )
    .await;
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some(r#"{"rows":13,"imported":8,"merged":3,"rejected":2}"#)
    );
    assert!(lines[0].starts_with("row 11, column G: "), "{out}");
    assert!(lines[1].starts_with("row 12, column G: "), "{out}");
    let judges = organizer
        .call("list_judges", &[("edition", &edition)])
        .await
        .unwrap();
    assert_eq!(
        judges.as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );

    let (ok, out, err) = cli(
        &data,
        &["import", "judges", "--edition", &edition, file],
        "",
    )
    .await;
    assert!(ok, "{err}");
    assert_eq!(
        out.lines().last(),
        Some(r#"{"rows":13,"imported":8,"merged":3,"rejected":2}"#)
    );
    let judges = organizer
        .call("list_judges", &[("edition", &edition)])
        .await
        .unwrap();
    let names: Vec<&str> = judges
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 8);
    assert_eq!(
        names.first().copied(),
        Some("Lê Thị Minh Châu"),
        "sorted by given name: {names:?}"
    );
    assert_eq!(names.last().copied(), Some("Lý Văn Sáng"));

    let output = data.join("ket-qua.xlsx");
    let (ok, _, err) = cli(
        &data,
        &[
            "export",
            "results",
            "--edition",
            &edition,
            "--output",
            output.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(ok, "{err}");
    assert!(std::fs::read(&output).unwrap().starts_with(b"PK"));
}

#[tokio::test]
async fn the_sample_youth_list_and_a_nomination_list_import_from_the_command_line() {
    let app = TestApp::spawn().await;
    let organizer = app.organizer().await;
    let data = app.data.path().to_path_buf();

    // The sample's own rules: 6 to 20 on 1 October 2025, at most 5 members.
    let deadline = local_in(60);
    let mut form = vec![
        ("edition[program]", "youth"),
        (
            "edition[name]",
            "Hội thi Sáng tạo thanh thiếu niên, nhi đồng",
        ),
        ("edition[number]", "14"),
        ("edition[year]", "2025"),
        ("edition[deadline]", &deadline),
        (
            "edition[fields]",
            "Kỹ thuật\nVật liệu\nMôi trường\nNông nghiệp",
        ),
        ("edition[age_min]", "6"),
        ("edition[age_max]", "20"),
        ("edition[age_on]", "01/10/2025"),
        ("edition[group_max]", "5"),
        (
            "edition[level_groups]",
            "Tiểu học và THCS | Mầm non, Tiểu học, THCS\nTHPT và sinh viên | THPT, Đại học",
        ),
    ];
    form.extend(RUBRIC);
    let youth = organizer.call("create_edition", &form).await.unwrap();
    let youth = youth.as_i64().unwrap().to_string();
    let file = fixture("vn_04_youth_contest.xlsx");
    let file = file.to_str().unwrap();

    let (ok, out, err) = cli(
        &data,
        &["import", "entries", "--edition", &youth, file, "--dry-run"],
        "",
    )
    .await;
    assert!(ok, "{err}");
    let expected = r#"{"rows":7,"imported":3,"merged":0,"rejected":4}"#;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.last().copied(), Some(expected), "{out}");
    for (line, prefix) in lines.iter().zip([
        "row 5, column E: ",
        "row 6, column E: ",
        "row 15, column D: ",
        "row 16, column E: ",
    ]) {
        assert!(line.starts_with(prefix), "{line} / {prefix}");
    }
    let listed = |edition: String| {
        let organizer = organizer.clone();
        async move {
            organizer
                .call("edition_entries", &[("edition", &edition)])
                .await
                .unwrap()
                .as_array()
                .unwrap()
                .clone()
        }
    };
    assert!(
        listed(youth.clone()).await.is_empty(),
        "a dry run writes nothing"
    );
    let (ok, out, err) = cli(&data, &["import", "entries", "--edition", &youth, file], "").await;
    assert!(ok, "{err}");
    assert_eq!(out.lines().last(), Some(expected));
    let entries = listed(youth.clone()).await;
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["state"] == "Submitted"));

    // The nominations command refuses a youth edition, and the reverse.
    let (ok, _, err) = cli(
        &data,
        &["import", "nominations", "--edition", &youth, file],
        "",
    )
    .await;
    assert!(!ok);
    assert!(err.contains("tôn vinh"), "{err}");

    let honors = crate::honors::create_honors_edition(&organizer, false).await;
    let honors = honors.id.to_string();
    let list = data.join("de-cu.xlsx");
    write_nominations(&list);
    let list = list.to_str().unwrap();
    let (ok, _, err) = cli(
        &data,
        &["import", "entries", "--edition", &honors, list],
        "",
    )
    .await;
    assert!(!ok);
    assert!(err.contains("thanh thiếu niên"), "{err}");
    let (ok, out, err) = cli(
        &data,
        &["import", "nominations", "--edition", &honors, list],
        "",
    )
    .await;
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some(r#"{"rows":4,"imported":2,"merged":0,"rejected":2}"#),
        "{out}"
    );
    assert!(lines[0].starts_with("row 3, column C: "), "{out}");
    assert!(lines[0].contains("36 tuổi"), "{out}");
    assert!(lines[1].starts_with("row 5, column D: "), "{out}");
    let nominations = listed(honors).await;
    let names: Vec<&str> = nominations
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"Lê Thị Mỹ Duyên"), "{names:?}");
    assert!(names.contains(&"Trần Văn Lợi"), "{names:?}");
}

/// A unit's nomination list the way secretariats type it: dates as Excel
/// dates and as text, a category without accents, one unknown category
/// and one candidate too old for young talents.
fn write_nominations(path: &std::path::Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Hạng mục",
        "Học vị",
        "Ngày cấp bằng",
        "Cơ quan công tác",
        "Đơn vị đề cử",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "Lê Thị Mỹ Duyên",
            Some((1990, 3, 14)),
            "",
            "Tiến sĩ mới của năm",
            "TS.",
            "15/09/2025",
        ),
        (
            "Nguyễn Hoàng Phúc",
            None,
            "30/05/1990",
            "Tài năng trẻ",
            "ThS.",
            "",
        ),
        (
            "Trần Văn Lợi",
            Some((1968, 10, 20)),
            "",
            "tri thuc tieu bieu",
            "TS.",
            "",
        ),
        (
            "Phạm Minh Tâm",
            None,
            "01/01/1980",
            "Nhà khoa học trẻ",
            "TS.",
            "",
        ),
    ];
    for (i, (name, birth, birth_text, category, degree, degree_date)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        match birth {
            Some((y, m, d)) => {
                let when = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                sheet
                    .write_datetime_with_format(r, 2, &when, &date)
                    .unwrap();
            }
            None => {
                sheet.write_string(r, 2, *birth_text).unwrap();
            }
        }
        sheet.write_string(r, 3, *category).unwrap();
        sheet.write_string(r, 4, *degree).unwrap();
        sheet.write_string(r, 5, *degree_date).unwrap();
        sheet
            .write_string(r, 6, "Trường Đại học Đồng Tháp")
            .unwrap();
        sheet
            .write_string(r, 7, "Trường Đại học Đồng Tháp")
            .unwrap();
    }
    book.save(path).unwrap();
}

#[tokio::test]
async fn the_demo_loads_all_three_programs_once() {
    let data = tempfile::tempdir().unwrap();
    let (ok, first, err) = cli(data.path(), &["demo"], "").await;
    assert!(ok, "{err}");
    for (role, email) in [
        ("organizer", "bantochuc@example.org"),
        ("contestant", "trang.pham@example.edu.vn"),
        ("unit", "khcn.dhdt@example.org"),
        ("judge", "ha.nguyen@example.org"),
    ] {
        assert!(
            first.lines().any(|l| l.contains(role) && l.contains(email)),
            "{role} {email}: {first}"
        );
    }
    let (ok, second, err) = cli(data.path(), &["demo"], "").await;
    assert!(ok, "a second run works: {err}");
    assert_ne!(first, second, "passwords are renewed");
    let (ok, listing, _) = cli(data.path(), &["editions"], "").await;
    assert!(ok);
    assert_eq!(listing.lines().count(), 3, "{listing}");

    // Sign in with the printed passwords and look at what was loaded.
    let password = |out: &str, email: &str| {
        out.lines()
            .find(|l| l.contains(email))
            .and_then(|l| l.split_whitespace().last())
            .unwrap()
            .to_string()
    };
    let app = crate::helpers::TestApp::serve(data).await;
    let sign_in = |email: &'static str| {
        let user = app.client();
        let password = password(&second, email);
        async move {
            user.call("sign_in", &[("email", email), ("password", &password)])
                .await
                .expect("the printed password signs in");
            user
        }
    };
    let trang = sign_in("trang.pham@example.edu.vn").await;
    let entries = trang.call("my_entries", &[]).await.unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 2);
    let khang = sign_in("khang.vo@example.com").await;
    let mine = khang.call("my_entries", &[]).await.unwrap();
    let returned = mine[0]["id"].as_i64().unwrap();
    let status = crate::youth::status(&khang, returned).await;
    assert_eq!(status["state"], "Returned");
    assert_eq!(status["editable"], true);
    let unit = sign_in("hoiyhoc@example.org").await;
    let nominations = unit.call("my_nominations", &[]).await.unwrap();
    let accepted = nominations[0]["id"].as_i64().unwrap();
    assert_eq!(
        crate::youth::status(&unit, accepted).await["state"],
        "Accepted"
    );
    let university = sign_in("khcn.dhdt@example.org").await;
    let theirs = university.call("my_nominations", &[]).await.unwrap();
    assert_eq!(theirs.as_array().unwrap().len(), 2);

    // The demo sets the judges' passwords itself, so the invitations the
    // judges import mailed them no longer set one.
    let mut to_ha = None;
    for _ in 0..100 {
        let written = crate::mail::eml_files_matching(app.data.path(), "judge_invitation", 1).await;
        to_ha = written.into_iter().find(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .contains("ha.nguyen@example.org")
        });
        if to_ha.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let link = crate::mail::link_in(&to_ha.expect("Hà's invitation was written"));
    let token = link.rsplit('/').next().unwrap();
    let refused = app
        .client()
        .call(
            "set_password",
            &[("token", token), ("password", "mot-mat-khau-moi-dai")],
        )
        .await
        .expect_err("a spent invitation sets no password");
    assert_eq!(crate::helpers::kind(&refused), "Invalid", "{refused}");
    sign_in("ha.nguyen@example.org").await;
}
