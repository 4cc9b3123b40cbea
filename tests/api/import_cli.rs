//! The admin command line on the sample judge list.

use crate::contest::create_edition;
use crate::helpers::{TestApp, cli, fixture, local_in};

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
