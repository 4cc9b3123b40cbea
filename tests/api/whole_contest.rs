//! Steps 1–5 of the skeleton, over HTTP, as the people involved do them.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::contest::{Contest, import_judges, judge_from_link, score, submit_entry};
use crate::helpers::TestApp;

#[tokio::test]
async fn an_edition_runs_from_registration_to_the_results_workbook() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;
    let edition = c.edition.to_string();

    // A third entry in the first field that will score under the floor.
    let an = app.contestant("Mai Văn An", "an.mai@example.com").await;
    let low = submit_entry(
        &an,
        c.edition,
        c.fields[0],
        "Xe đẩy lúa cải tiến",
        &[("Mai Văn An", "an.mai@example.com", "100")],
    )
    .await;

    // The organizer imports the judges and assigns two of them to the first field.
    let links = import_judges(&c.organizer, c.edition).await;
    assert_eq!(links.len(), 8, "one link per imported judge");
    for email in ["ha.nguyen@example.org", "phuc.tran@example.com"] {
        crate::contest::assign(&c.organizer, c.edition, email, c.fields[0]).await;
    }

    // Each judge sets a password, sees the field's entries, opens the description and scores.
    let ha = judge_from_link(&app, &links, "ha.nguyen@example.org").await;
    let phuc = judge_from_link(&app, &links, "phuc.tran@example.com").await;
    let listed = ha.call("my_assignments", &[]).await.unwrap();
    let mut codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        vec!["STKT12-001", "STKT12-003"],
        "only the first field's entries"
    );
    let file = ha
        .get(&format!("/tep/giai-phap/{}/thuyet-minh", c.hung_entry))
        .await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.bytes().await.unwrap().starts_with(b"%PDF-"));

    let criteria = &c.criteria;
    score(&ha, c.hung_entry, criteria, &["25", "26,5", "33"])
        .await
        .unwrap();
    score(&phuc, c.hung_entry, criteria, &["24", "27", "35"])
        .await
        .unwrap();
    score(&ha, low, criteria, &["20", "20", "10"])
        .await
        .unwrap();
    score(&phuc, low, criteria, &["20", "20", "12"])
        .await
        .unwrap();
    for judge in [&ha, &phuc] {
        for entry in [c.hung_entry, low] {
            judge
                .call("submit_sheet", &[("entry", &entry.to_string())])
                .await
                .unwrap();
        }
    }
    // Once judged, the entry no longer changes under the judges.
    let form = crate::contest::entry_form(
        c.hung_entry,
        c.edition,
        c.fields[1],
        "Chuyển sang lĩnh vực khác",
        &[("Nguyễn Văn Hùng", "hung.nguyen@example.com", "100")],
    );
    let moved = crate::contest::save_entry(&c.hung, &form)
        .await
        .unwrap_err();
    assert_eq!(crate::helpers::kind(&moved), "Conflict");
    let locked = score(&ha, c.hung_entry, criteria, &["30", "30", "40"])
        .await
        .unwrap_err();
    assert_eq!(
        crate::helpers::kind(&locked),
        "Conflict",
        "a submitted sheet is locked"
    );

    // The organizer follows each judge's progress.
    let judges = c
        .organizer
        .call("list_judges", &[("edition", &edition)])
        .await
        .unwrap();
    let ha_line = judges
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["email"] == "ha.nguyen@example.org")
        .unwrap();
    assert_eq!(
        (
            ha_line["submitted_sheets"].as_i64(),
            ha_line["assigned_entries"].as_i64()
        ),
        (Some(2), Some(2))
    );

    // The organizer sees ranks, means and proposed prizes.
    let results = c
        .organizer
        .call("get_results", &[("edition", &edition)])
        .await
        .unwrap();
    let rows = results["fields"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["code"], "STKT12-001");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["total"], 8525, "mean of 84.5 and 86");
    assert_eq!(
        rows[0]["criterion_means"],
        serde_json::json!([2450, 2675, 3400])
    );
    assert_eq!(rows[0]["prize"], "Nhất");
    assert_eq!(rows[1]["rank"], 2);
    assert_eq!(rows[1]["total"], 5100);
    assert!(
        rows[1]["prize"].is_null(),
        "51 points is under the floor of 55"
    );

    // The workbook says the same.
    let response = c
        .organizer
        .get(&format!("/tep/ky-thi/{edition}/ket-qua.xlsx"))
        .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    assert!(
        sheet.starts_with("1. Cơ khí"),
        "one sheet per field: {sheet}"
    );
    let range = book.worksheet_range(&sheet).unwrap();
    let title = range.rows().flatten().find_map(|cell| match cell {
        Data::String(s) if s.starts_with("KẾT QUẢ CHẤM") => Some(s.clone()),
        _ => None,
    });
    assert_eq!(
        title.as_deref(),
        Some("KẾT QUẢ CHẤM HỘI THI SÁNG TẠO KỸ THUẬT LẦN THỨ 12 (2026)")
    );
    let row = range
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("STKT12-001".into())))
        .expect("entry row");
    assert_eq!(row[7], Data::Float(85.25));
    assert_eq!(row[9], Data::String("Nhất".into()));
    assert_eq!(
        row[8],
        Data::String("2/2".into()),
        "sheets submitted out of judges assigned"
    );
    let signed = range
        .rows()
        .flatten()
        .any(|cell| cell == &Data::String("NGƯỜI LẬP BIỂU".into()));
    assert!(signed, "a signature block closes the sheet");
    assert_eq!(row[3], Data::String("Nguyễn Văn Hùng, Trần Thị Ánh".into()));
}
