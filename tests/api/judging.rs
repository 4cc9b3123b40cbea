//! Judging: the paper score sheet import, conflicts, blind scoring, the
//! audit log.

use calamine::{Reader, Xlsx};
use mailparse::MailHeaderMap;
use serde_json::Value;

use crate::contest::{
    assign, entry_form, import_judges, judge_from_link, judge_id, pdf, save_entry, score,
};
use crate::helpers::{TestApp, User, cli, fixture, kind, local_in};

/// The rubric of the sample score sheet, in its order.
const VN03_RUBRIC: &str = "Tính mới, tính sáng tạo | 30\nKhả năng áp dụng | 30\n\
    Hiệu quả kinh tế – xã hội | 30\nTrình bày, thuyết minh | 10";

/// An edition shaped like the sample sheet: five entries GP-01…GP-05 in one
/// field, the sample judges, GK01–GK03 and GK07 on the field's council.
struct Vn03 {
    app: TestApp,
    organizer: User,
    edition: i64,
    field: i64,
    /// Entry ids by their code on the sheet, GP-01 first.
    entries: Vec<i64>,
    links: Vec<(String, String)>,
}

impl Vn03 {
    async fn setup() -> Self {
        let app = TestApp::spawn().await;
        let organizer = app.organizer().await;
        let form = [
            ("edition[name]", "Hội thi Sáng tạo kỹ thuật tỉnh An Bình"),
            ("edition[number]", "9"),
            ("edition[year]", "2026"),
            ("edition[deadline]", &local_in(24 * 60)),
            ("edition[fields]", "Cơ khí – Tự động hóa"),
            ("edition[criteria]", VN03_RUBRIC),
            ("edition[step]", "0,5"),
            ("edition[prizes]", "Nhất | 1\nNhì | 1\nBa | 1"),
            ("edition[floor]", "55"),
        ];
        let edition = organizer
            .call("create_edition", &form)
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        organizer
            .call("open_registration", &[("id", &edition.to_string())])
            .await
            .unwrap();
        let detail = organizer
            .call("get_edition", &[("id", &edition.to_string())])
            .await
            .unwrap();
        let field = detail["fields"][0]["id"].as_i64().unwrap();

        let owner = app.contestant("Mai Văn An", "an.mai@example.com").await;
        let mut entries = Vec::new();
        for n in 1..=5 {
            let mut authors = vec![("Mai Văn An", "an.mai@example.com", "100")];
            if n == 3 {
                // vn_01: Hoàng Văn Dũng co-authored GP-03 and is judge GK07.
                authors = vec![
                    ("Mai Văn An", "an.mai@example.com", "60"),
                    ("Hoàng Văn Dũng", "dung.hoang@example.net", "40"),
                ];
            }
            let mut form = entry_form(0, edition, field, &format!("Giải pháp số {n}"), &authors);
            if n == 2 {
                // GK02 works at GP-02's applying unit.
                for pair in &mut form {
                    if pair.0 == "entry[applying_unit]" {
                        pair.1 = "Trường Cao đẳng Kỹ thuật An Bình".into();
                    }
                }
            }
            let id = save_entry(&owner, &form).await.unwrap().as_i64().unwrap();
            let (status, body) = owner
                .upload(&format!("/tep/giai-phap/{id}/thuyet-minh"), "tm.pdf", pdf())
                .await;
            assert!(status.is_success(), "{body}");
            owner
                .call("submit_entry", &[("id", &id.to_string())])
                .await
                .unwrap();
            organizer
                .call(
                    "set_file_code",
                    &[("entry", &id.to_string()), ("code", &format!("GP-0{n}"))],
                )
                .await
                .unwrap();
            entries.push(id);
        }
        let links = import_judges(&organizer, edition).await;
        for email in [
            "ha.nguyen@example.org",
            "phuc.tran@example.com",
            "chau.le@example.com",
            "dung.hoang@example.net",
        ] {
            assign(&organizer, edition, email, field).await;
        }
        Self {
            app,
            organizer,
            edition,
            field,
            entries,
            links,
        }
    }

    async fn results(&self) -> Value {
        self.organizer
            .call("get_results", &[("edition", &self.edition.to_string())])
            .await
            .unwrap()
    }

    /// The id of the edition's first round (the final one, while it has
    /// no screening round).
    async fn first_round(&self) -> String {
        let setup = self
            .organizer
            .call(
                "get_judging_setup",
                &[("edition", &self.edition.to_string())],
            )
            .await
            .unwrap();
        setup["rounds"][0]["id"].to_string()
    }

    /// The details of the audit log's lines of one action, oldest first.
    async fn logged(&self, action: &str) -> Vec<String> {
        let log = self
            .organizer
            .call("get_audit_log", &[("edition", &self.edition.to_string())])
            .await
            .unwrap();
        log.as_array()
            .unwrap()
            .iter()
            .filter(|l| l["action"] == action)
            .map(|l| l["detail"].as_str().unwrap().to_string())
            .collect()
    }
}

/// The verdict the sample's notes give a row under our rule: a repeated
/// pair is refused on both rows; an absent judge's row is skipped.
fn expected_verdict(row: &Value, all: &[Value]) -> &'static str {
    let issues: Vec<&str> = row["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    let repeated = all
        .iter()
        .filter(|r| r["gp"] == row["gp"] && r["judge"] == row["judge"])
        .count()
        > 1;
    if issues.iter().any(|i| i.starts_with("ABSENT")) {
        "skipped"
    } else if repeated
        || issues.iter().any(|i| {
            i.starts_with("ABOVE_MAX")
                || i.starts_with("NEGATIVE")
                || i.starts_with("JUDGE_CONFLICT")
        })
    {
        "refused"
    } else {
        "imported"
    }
}

#[tokio::test]
async fn the_sample_score_sheet_imports_row_by_row_as_the_sample_expects() {
    let t = Vn03::setup().await;
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("vn_03_expected.json")).unwrap())
            .unwrap();
    let rows = expected["expected_scores"].as_array().unwrap();
    let file = fixture("vn_03_scores.xlsx");
    let edition = t.edition.to_string();
    let data = t.app.data.path().to_path_buf();
    let args = [
        "import",
        "scores",
        "--edition",
        &edition,
        file.to_str().unwrap(),
    ];

    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let (ok, out, err) = cli(&data, &dry, "").await;
    assert!(ok, "{err}");
    let refused: Vec<u32> = out
        .lines()
        .filter_map(|l| l.strip_prefix("row ")?.split(',').next()?.parse().ok())
        .collect();
    let skipped: Vec<u32> = err
        .lines()
        .filter(|l| l.contains("giám khảo vắng"))
        .filter_map(|l| {
            l.strip_prefix("note: row ")?
                .split(',')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    for row in rows {
        let number = row["excel_row"].as_u64().unwrap() as u32;
        let got = if refused.contains(&number) {
            "refused"
        } else if skipped.contains(&number) {
            "skipped"
        } else {
            "imported"
        };
        assert_eq!(
            got,
            expected_verdict(row, rows),
            "row {number}: {out}\n{err}"
        );
    }
    let imported = rows
        .iter()
        .filter(|r| expected_verdict(r, rows) == "imported")
        .count();
    let rejected = rows
        .iter()
        .filter(|r| expected_verdict(r, rows) == "refused")
        .count();
    assert_eq!(
        out.lines().last().unwrap(),
        format!(
            r#"{{"rows":{},"imported":{imported},"merged":0,"rejected":{rejected}}}"#,
            rows.len()
        )
    );
    // Each refusal names its cell: the score over the maximum in E7, the
    // negative one in G9, conflicts and repeats in the judge column.
    for cell in [
        "row 7, column E",
        "row 9, column G",
        "row 8, column C",
        "row 11, column C",
    ] {
        assert!(out.contains(cell), "{cell} missing from {out}");
    }
    assert!(out.contains("GP-01 × GK01 lặp ở các dòng 4, 19"), "{out}");
    assert!(
        err.contains("row 14, column E"),
        "blank TC1 of row 14 is noted: {err}"
    );
    let before = t.results().await;
    assert!(
        before["fields"][0]["rows"].as_array().unwrap().is_empty(),
        "dry run wrote nothing"
    );

    let (ok, _, err) = cli(&data, &args, "").await;
    assert!(ok, "{err}");

    // The totals: each entry's mean over its complete, accepted sheets,
    // computed here from the sample's parsed values.
    let results = t.results().await;
    let table = results["fields"][0]["rows"].as_array().unwrap();
    for (n, entry) in t.entries.iter().enumerate() {
        let code = format!("GP-0{}", n + 1);
        let totals: Vec<f64> = rows
            .iter()
            .filter(|r| r["gp"] == code.as_str() && expected_verdict(r, rows) == "imported")
            .filter_map(|r| {
                r["parsed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64())
                    .sum::<Option<f64>>()
            })
            .collect();
        let row = table.iter().find(|r| r["entry_id"] == *entry);
        if totals.is_empty() {
            assert!(row.is_none(), "{code} has no complete accepted sheet");
            continue;
        }
        let mean = totals.iter().sum::<f64>() / totals.len() as f64;
        let row = row.unwrap_or_else(|| panic!("{code} ranked: {results}"));
        assert_eq!(
            row["total"].as_i64().unwrap(),
            (mean * 100.0).round() as i64,
            "{code}"
        );
        assert_eq!(
            row["judges"].as_u64().unwrap(),
            totals.len() as u64,
            "{code}"
        );
    }
    // GP-04's second sheet is incomplete (TC1 blank): counted nowhere yet.
    let gp04 = table
        .iter()
        .find(|r| r["entry_id"] == t.entries[3])
        .unwrap();
    assert_eq!(gp04["judges"], 1);

    // Running the same sheet again refuses what is now on record.
    let (ok, out, _) = cli(&data, &dry, "").await;
    assert!(ok);
    assert!(out.contains("đã có phiếu chấm nộp"), "{out}");

    let log = t
        .organizer
        .call("get_audit_log", &[("edition", &edition)])
        .await
        .unwrap();
    let imports = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "Nhập phiếu chấm giấy")
        .count();
    assert_eq!(imports, imported);
    let _ = t.field;
}

#[tokio::test]
async fn a_conflicted_judge_cannot_open_or_score_until_the_organizer_overrides() {
    let t = Vn03::setup().await;
    let gk07 = judge_from_link(&t.app, &t.links, "dung.hoang@example.net").await;
    let gp03 = t.entries[2].to_string();
    let edition = t.edition.to_string();

    let list = gk07.call("my_assignments", &[]).await.unwrap();
    let codes: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["entry_id"].as_i64().unwrap())
        .collect();
    assert!(
        !codes.contains(&t.entries[2]),
        "GP-03 is not on its author's list"
    );
    assert_eq!(codes.len(), 4);

    let error = gk07
        .call("get_sheet", &[("entry", &gp03)])
        .await
        .unwrap_err();
    assert_eq!(kind(&error), "Conflict", "{error}");
    let criteria = criteria_of(&t).await;
    let error = score(&gk07, t.entries[2], &criteria, &["30", "30", "30", "10"])
        .await
        .unwrap_err();
    assert_eq!(kind(&error), "Conflict", "{error}");

    // A judge declares a conflict the system could not see.
    let gk01 = judge_from_link(&t.app, &t.links, "ha.nguyen@example.org").await;
    let gp05 = t.entries[4].to_string();
    gk01.call("get_sheet", &[("entry", &gp05)]).await.unwrap();
    gk01.call(
        "declare_conflict",
        &[("entry", &gp05), ("reason", "Tôi từng hướng dẫn tác giả")],
    )
    .await
    .unwrap();
    let error = gk01
        .call("get_sheet", &[("entry", &gp05)])
        .await
        .unwrap_err();
    assert_eq!(kind(&error), "Conflict");

    // The organizer sees both and lets GK07 score, with a reason.
    let setup = t
        .organizer
        .call("get_judging_setup", &[("edition", &edition)])
        .await
        .unwrap();
    let conflicts = setup["conflicts"].as_array().unwrap();
    let reasons: Vec<&str> = conflicts
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("là tác giả")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Trường Cao đẳng Kỹ thuật An Bình")),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"Tôi từng hướng dẫn tác giả"),
        "{reasons:?}"
    );
    let gk07_id = judge_id(&t.organizer, t.edition, "dung.hoang@example.net")
        .await
        .to_string();
    let refused = gk07
        .call(
            "override_conflict",
            &[("entry", &gp03), ("judge", &gk07_id), ("reason", "x")],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");
    t.organizer
        .call(
            "override_conflict",
            &[
                ("entry", &gp03),
                ("judge", &gk07_id),
                ("reason", "Hội đồng thiếu người"),
            ],
        )
        .await
        .unwrap();
    score(&gk07, t.entries[2], &criteria, &["20", "20", "20", "8"])
        .await
        .unwrap();
    let log = t
        .organizer
        .call("get_audit_log", &[("edition", &edition)])
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["action"].as_str().unwrap(), l["detail"].as_str().unwrap()))
        .collect();
    assert!(
        actions.contains(&("Cho phép chấm dù xung đột", "Hội đồng thiếu người")),
        "{actions:?}"
    );
    // A scored criterion keeps its maximum and weight, and weights may not
    // push the best total under the prize floor (55).
    let setup = t
        .organizer
        .call("get_judging_setup", &[("edition", &edition)])
        .await
        .unwrap();
    let round = setup["rounds"][0]["id"].to_string();
    let rubric = VN03_RUBRIC.replacen("| 30", "| 25", 1);
    let refused = t
        .organizer
        .call(
            "save_rubric",
            &[("round", round.as_str()), ("rubric", rubric.as_str())],
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("đã có điểm chấm"), "{refused}");
    let halved = VN03_RUBRIC
        .lines()
        .map(|l| format!("{} | 50", l.trim()))
        .collect::<Vec<_>>()
        .join("\n");
    let refused = t
        .organizer
        .call(
            "save_rubric",
            &[("round", round.as_str()), ("rubric", halved.as_str())],
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("thấp hơn điểm sàn 55"),
        "{refused}"
    );
    assert!(actions.contains(&("Khai xung đột lợi ích", "Tôi từng hướng dẫn tác giả")));
    assert!(
        actions
            .iter()
            .any(|(a, d)| *a == "Sửa điểm" && d.contains("trống → 20")),
        "{actions:?}"
    );
}

async fn criteria_of(t: &Vn03) -> Vec<i64> {
    let detail = t
        .organizer
        .call("get_edition", &[("id", &t.edition.to_string())])
        .await
        .unwrap();
    detail["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

/// Every read path a judge has: what it returns must hold no other
/// judge's score.
async fn judge_reads(judge: &User, entry: i64) -> Vec<String> {
    let entry = entry.to_string();
    let mut seen = Vec::new();
    for (endpoint, form) in [
        ("my_assignments", vec![]),
        ("get_sheet", vec![("entry", entry.as_str())]),
        ("my_ballot", vec![]),
    ] {
        let body = judge.call(endpoint, &form).await.unwrap_or_else(|e| e);
        seen.push(body.to_string());
    }
    for page in ["/giam-khao", &format!("/giam-khao/cham/{entry}")] {
        seen.push(judge.get(page).await.text().await.unwrap());
    }
    seen
}

#[tokio::test]
async fn blind_scoring_holds_on_every_judge_read_path() {
    let t = Vn03::setup().await;
    let criteria = criteria_of(&t).await;
    let gk01 = judge_from_link(&t.app, &t.links, "ha.nguyen@example.org").await;
    let gk03 = judge_from_link(&t.app, &t.links, "chau.le@example.com").await;
    let gp01 = t.entries[0];
    // GK01 submits unusual marks that would stand out anywhere.
    score(&gk01, gp01, &criteria, &["27,5", "23,5", "21,5", "7,5"])
        .await
        .unwrap();
    gk01.call("submit_sheet", &[("entry", &gp01.to_string())])
        .await
        .unwrap();
    let leaks = ["27,5", "23,5", "21,5", "27.5", "2750", "2350", "8000"];

    for body in judge_reads(&gk03, gp01).await {
        for leak in leaks {
            assert!(
                !body.contains(leak),
                "{leak} leaked before submitting: {body:.300}"
            );
        }
    }
    // Organizer-only reads are refused to a judge.
    for (endpoint, key) in [
        ("get_results", "edition"),
        ("get_audit_log", "edition"),
        ("get_judging_progress", "edition"),
        ("get_judging_setup", "edition"),
    ] {
        let error = gk03
            .call(endpoint, &[(key, &t.edition.to_string())])
            .await
            .unwrap_err();
        assert_eq!(kind(&error), "Forbidden", "{endpoint}");
    }
    // After submitting, still blind: the edition does not show peers.
    score(&gk03, gp01, &criteria, &["20", "20", "20", "5"])
        .await
        .unwrap();
    gk03.call("submit_sheet", &[("entry", &gp01.to_string())])
        .await
        .unwrap();
    let sheet = gk03
        .call("get_sheet", &[("entry", &gp01.to_string())])
        .await
        .unwrap();
    assert_eq!(sheet["peers"], Value::Array(vec![]));

    // With the setting on, a judge who submitted sees the others' marks.
    let edition = t.edition.to_string();
    let form = [
        ("edition", edition.as_str()),
        ("settings[method]", "mean"),
        ("settings[disagreement]", "15"),
        ("settings[near_margin]", "2"),
        ("settings[tie_breaks]", "1, 2"),
        ("settings[boundary_tie]", "move_down"),
        ("settings[peers_after_submit]", "true"),
        ("settings[vote]", "2/3"),
    ];
    t.organizer
        .call("save_judging_settings", &form)
        .await
        .unwrap();
    let sheet = gk03
        .call("get_sheet", &[("entry", &gp01.to_string())])
        .await
        .unwrap();
    assert_eq!(sheet["peers"][0]["total"], 8000);
    // GK02 has not submitted: still blind, with the setting on.
    let gk02 = judge_from_link(&t.app, &t.links, "phuc.tran@example.com").await;
    for body in judge_reads(&gk02, gp01).await {
        for leak in leaks {
            assert!(!body.contains(leak), "{leak} leaked to GK02: {body:.300}");
        }
    }
}

/// Saves and submits a judge's sheet for an entry in a round.
async fn score_in(judge: &User, entry: i64, round: &str, criteria: &[i64], points: &[&str]) {
    let entry = entry.to_string();
    let mut form = vec![
        ("entry".to_string(), entry),
        ("round".to_string(), round.to_string()),
        ("submit".to_string(), "true".to_string()),
    ];
    for (i, (c, p)) in criteria.iter().zip(points).enumerate() {
        form.push((format!("scores[{i}][criterion_id]"), c.to_string()));
        form.push((format!("scores[{i}][points]"), p.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    judge.call("save_scores", &pairs).await.unwrap();
}

/// The entry ids on a judge's list in a round.
async fn listed(judge: &User, round: i64) -> Vec<i64> {
    let list = judge.call("my_assignments", &[]).await.unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|a| a["round_id"] == round)
        .map(|a| a["entry_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn two_rounds_run_from_balanced_assignment_to_final_results_that_only_an_audited_reopening_changes()
 {
    let t = Vn03::setup().await;
    let o = &t.organizer;
    let edition = t.edition.to_string();
    let setup = |o: &User| {
        let o = o.clone();
        let edition = edition.clone();
        async move {
            o.call("get_judging_setup", &[("edition", &edition)])
                .await
                .unwrap()
        }
    };

    // A screening round, passing at 60, with a council of three.
    o.call(
        "add_screening_round",
        &[("edition", &edition), ("pass", "60")],
    )
    .await
    .unwrap();
    let s = setup(o).await;
    assert_eq!(s["rounds"][0]["kind"], "Screening");
    let screening = s["rounds"][0]["id"].as_i64().unwrap();
    let final_round = s["rounds"][1]["id"].as_i64().unwrap();
    let screening_criteria: Vec<i64> = s["rounds"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    let council = o
        .call(
            "create_council",
            &[
                ("round", &screening.to_string()),
                ("name", "Tổ sơ khảo"),
                ("scope", &format!("field:{}", t.field)),
            ],
        )
        .await
        .unwrap()
        .to_string();
    let emails = [
        "ha.nguyen@example.org",
        "phuc.tran@example.com",
        "chau.le@example.com",
    ];
    let mut judges = Vec::new();
    for email in emails {
        let id = judge_id(o, t.edition, email).await.to_string();
        o.call(
            "add_council_member",
            &[("council", &council), ("judge", &id)],
        )
        .await
        .unwrap();
        judges.push(judge_from_link(&t.app, &t.links, email).await);
    }

    // Two judges per entry: 10 sheets over 3 judges, loads 3 to 4, and
    // GK02 never on GP-02, whose applying unit is GK02's.
    let loads = o
        .call("auto_assign", &[("council", &council), ("k", "2")])
        .await
        .unwrap();
    let loads: Vec<u64> = loads
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap())
        .collect();
    assert_eq!(loads.iter().sum::<u64>(), 10);
    assert!(
        loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
        "{loads:?}"
    );
    let gk02 = &judges[1];
    assert!(!listed(gk02, screening).await.contains(&t.entries[1]));

    // The screening round scores in whole points.
    o.call(
        "update_round",
        &[
            ("round", &screening.to_string()),
            ("pass", "60"),
            ("step", "1"),
        ],
    )
    .await
    .unwrap();
    let first = listed(&judges[0], screening).await[0].to_string();
    let mut form = vec![("entry", first.as_str()), ("round", "")];
    let screening_text = screening.to_string();
    form[1].1 = &screening_text;
    let criterion = screening_criteria[0].to_string();
    form.extend([
        ("scores[0][criterion_id]", criterion.as_str()),
        ("scores[0][points]", "24,5"),
    ]);
    let refused = judges[0].call("save_scores", &form).await.unwrap_err();
    assert!(refused.to_string().contains("bội số của 1"), "{refused}");

    // Everyone scores the screening round: GP-01 and GP-03 pass.
    for judge in &judges {
        for entry in listed(judge, screening).await {
            let high = entry == t.entries[0] || entry == t.entries[2];
            let points = if high {
                ["25", "24", "20", "8"]
            } else {
                ["10", "10", "10", "5"]
            };
            score_in(
                judge,
                entry,
                &screening.to_string(),
                &screening_criteria,
                &points,
            )
            .await;
        }
    }
    assert!(
        listed(&judges[0], final_round).await.is_empty(),
        "nobody advanced yet"
    );
    let s = setup(o).await;
    let passing: Vec<i64> = s["screening"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["passes"] == true)
        .map(|r| r["entry_id"].as_i64().unwrap())
        .collect();
    assert_eq!(passing, vec![t.entries[0], t.entries[2]]);
    let form = [
        ("round", screening.to_string()),
        ("entries[0]", passing[0].to_string()),
        ("entries[1]", passing[1].to_string()),
    ];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    o.call("advance_entries", &pairs).await.unwrap();

    // The final round: the field's council scores the two advanced.
    let criteria = criteria_of(&t).await;
    let round = final_round.to_string();
    assert_eq!(listed(&judges[0], final_round).await, passing);
    for (judge, first) in judges.iter().zip(["27", "26", "25"]) {
        score_in(
            judge,
            t.entries[0],
            &round,
            &criteria,
            &[first, "25", "25", "9"],
        )
        .await;
        score_in(
            judge,
            t.entries[2],
            &round,
            &criteria,
            &["20", "20", "20", "8"],
        )
        .await;
    }

    // The organizer reopens one sheet with a reason; the judge corrects it.
    let board = o
        .call("get_judging_progress", &[("edition", &edition)])
        .await
        .unwrap();
    let gp01 = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"] == t.entries[0] && e["round_name"] == "Chung khảo")
        .unwrap()
        .clone();
    assert_eq!(gp01["submitted"], 3);
    let sheet = gp01["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["judge"] == "Lê Thị Minh Châu")
        .unwrap()["id"]
        .to_string();
    o.call(
        "reopen_sheet",
        &[("sheet", &sheet), ("reason", "Cộng nhầm tiêu chí 1")],
    )
    .await
    .unwrap();
    // The judge hears of it, with the reason and a link to the sheet.
    let mail = crate::mail::eml_files_matching(t.app.data.path(), "sheet_reopened", 1).await;
    let raw = std::fs::read(&mail[0]).unwrap();
    let parsed = mailparse::parse_mail(&raw).unwrap();
    let to = parsed.headers.get_first_value("To").unwrap();
    assert!(to.contains("chau.le@example.com"), "{to}");
    let subject = parsed.headers.get_first_value("Subject").unwrap();
    assert!(
        subject.starts_with("Phiếu chấm STKT9-001 được mở lại – Hội thi"),
        "{subject}"
    );
    let text = parsed.subparts[0].get_body().unwrap();
    assert!(text.contains("Lý do: Cộng nhầm tiêu chí 1"), "{text}");
    let link = format!("/giam-khao/cham/{}?vong={round}", t.entries[0]);
    assert!(text.contains(&link), "{link} in {text}");
    score_in(
        &judges[2],
        t.entries[0],
        &round,
        &criteria,
        &["28", "25", "25", "9"],
    )
    .await;
    // GK07 sits on the final council too: GP-03 is theirs, GP-01 is not.
    let dung = judge_from_link(&t.app, &t.links, "dung.hoang@example.net").await;
    assert_eq!(listed(&dung, final_round).await, vec![t.entries[0]]);
    let refused = o
        .call("finalize_results", &[("edition", &edition)])
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("còn thiếu phiếu chấm"),
        "{refused}"
    );
    score_in(
        &dung,
        t.entries[0],
        &round,
        &criteria,
        &["28", "25", "25", "9"],
    )
    .await;

    // The council votes: GK07 is absent, so two of three present decide.
    let gk07 = judge_id(o, t.edition, "dung.hoang@example.net")
        .await
        .to_string();
    let field_council = s["councils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["round_id"] == final_round)
        .unwrap()["id"]
        .to_string();
    o.call(
        "set_council_member",
        &[
            ("council", &field_council),
            ("judge", &gk07),
            ("role", "member"),
        ],
    )
    .await
    .unwrap();
    let results = t.results().await;
    let top = &results["fields"][0]["rows"][0];
    assert_eq!(top["entry_id"], t.entries[0]);
    assert_eq!(top["prize"], "Nhất");
    // (27 + 26 + 28 + 28 + 4 × 59) / 4 = 86.25.
    assert_eq!(top["total"], 8625);
    assert_eq!(top["votes"]["present"], 3);
    assert_eq!(top["votes"]["needed"], 2);
    for judge in &judges[..2] {
        let proposals = judge.call("my_proposals", &[]).await.unwrap();
        assert_eq!(proposals[0]["prize"], "Nhất");
        assert!(
            proposals[0].get("total").is_none(),
            "no scores in a proposal"
        );
        judge
            .call(
                "vote_prize",
                &[("entry", &t.entries[0].to_string()), ("yes", "true")],
            )
            .await
            .unwrap();
    }
    let refused = o
        .call("finalize_results", &[("edition", &edition)])
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("chưa được hội đồng biểu quyết thông qua"),
        "{refused}"
    );
    for judge in &judges[..2] {
        judge
            .call(
                "vote_prize",
                &[("entry", &t.entries[2].to_string()), ("yes", "true")],
            )
            .await
            .unwrap();
    }
    let results = t.results().await;
    assert_eq!(results["fields"][0]["rows"][0]["votes"]["yes"], 2);
    // Once votes are cast, who is present is fixed.
    let refused = o
        .call(
            "set_council_member",
            &[
                ("council", &field_council),
                ("judge", &gk07),
                ("role", "member"),
                ("present", "true"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Invalid", "{refused}");

    // Finalized, nothing changes; a reopening with a reason is logged.
    o.call(
        "mark_national",
        &[("entry", &t.entries[0].to_string()), ("national", "true")],
    )
    .await
    .unwrap();
    o.call("finalize_results", &[("edition", &edition)])
        .await
        .unwrap();
    let refused = o
        .call(
            "reopen_sheet",
            &[("sheet", &sheet), ("reason", "Sửa lần nữa")],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Conflict", "{refused}");
    for (endpoint, form) in [
        (
            "add_council_member",
            vec![
                ("council", field_council.as_str()),
                ("judge", gk07.as_str()),
            ],
        ),
        (
            "create_council",
            vec![
                ("round", round.as_str()),
                ("name", "Hội đồng mới"),
                ("scope", "all"),
            ],
        ),
    ] {
        let refused = o.call(endpoint, &form).await.unwrap_err();
        assert_eq!(
            kind(&refused),
            "Conflict",
            "{endpoint} after finalizing: {refused}"
        );
    }
    let results = t.results().await;
    assert!(results["final_at"].is_string());
    assert_eq!(results["fields"][0]["rows"][0]["national"], true);
    results_workbook_says_the_same(o, &edition, &results).await;
    let refused = o
        .call("reopen_results", &[("edition", &edition), ("reason", "")])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Invalid");
    o.call(
        "reopen_results",
        &[
            ("edition", &edition),
            ("reason", "Khiếu nại của tác giả GP-03"),
        ],
    )
    .await
    .unwrap();
    o.call(
        "reopen_sheet",
        &[("sheet", &sheet), ("reason", "Xem lại theo khiếu nại")],
    )
    .await
    .unwrap();

    let log = o
        .call("get_audit_log", &[("edition", &edition)])
        .await
        .unwrap();
    let actions: Vec<(&str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["action"].as_str().unwrap(), l["detail"].as_str().unwrap()))
        .collect();
    for expected in [
        ("Mở lại phiếu chấm", "Cộng nhầm tiêu chí 1"),
        ("Mở lại kết quả", "Khiếu nại của tác giả GP-03"),
        ("Mở lại phiếu chấm", "Xem lại theo khiếu nại"),
        (
            "Hủy biểu quyết giải",
            "2 phiếu, vì một phiếu chấm của hồ sơ được mở lại",
        ),
    ] {
        assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
    }
    assert!(
        actions
            .iter()
            .any(|(a, d)| *a == "Biểu quyết" && d.starts_with("Nhất: 2 đồng ý"))
    );
    assert!(actions.iter().any(|(a, _)| *a == "Chốt kết quả"));
    assert!(
        actions
            .iter()
            .any(|(a, d)| *a == "Đổi vai trò trong hội đồng"
                && d.ends_with("Ủy viên, vắng (trước: Ủy viên, có mặt)")),
        "who was present is on record: {actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|(a, d)| *a == "Sửa điểm" && d.contains("25 → 28")),
        "{actions:?}"
    );

    // A contest council votes openly on prizes; it has no secret ballot.
    let none = o
        .call("get_ballot_minutes", &[("council", &field_council)])
        .await
        .unwrap_err();
    assert_eq!(kind(&none), "NotFound", "{none}");

    // The log as a workbook the secretariat can print.
    let response = o.get(&format!("/tep/ky-thi/{edition}/nhat-ky.xlsx")).await;
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Nhật ký").unwrap();
    let text: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text.contains(&"NHẬT KÝ CHẤM THI".to_string()));
    assert!(text.contains(&"Khiếu nại của tác giả GP-03".to_string()));
    let judge_refused = judges[0]
        .get(&format!("/tep/ky-thi/{edition}/nhat-ky.xlsx"))
        .await;
    assert_eq!(judge_refused.status(), 403);
}

#[tokio::test]
async fn an_assignment_list_sets_who_scores_each_entry_and_refuses_what_cannot_stand() {
    let t = Vn03::setup().await;
    let path = t.app.data.path().join("phan-cong.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["Mã GP", "Mã GK"],
        ["GP-01", "GK01"],
        ["GP-01", "GK03"],
        ["GP-02", "GK02"],
        ["GP-09", "GK01"],
        ["GP-04", "GK09"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    book.save(&path).unwrap();
    let edition = t.edition.to_string();
    let data = t.app.data.path().to_path_buf();
    let file = path.to_str().unwrap();
    let (ok, out, err) = cli(
        &data,
        &["import", "assignments", "--edition", &edition, file],
        "",
    )
    .await;
    assert!(ok, "{err}");
    assert_eq!(
        out.lines().last().unwrap(),
        r#"{"rows":5,"imported":2,"merged":0,"rejected":3}"#,
        "{out}"
    );
    assert!(
        out.contains("row 4, column B: ") && out.contains("xung đột lợi ích"),
        "{out}"
    );
    assert!(
        out.contains("row 5, column A: không có hồ sơ mã \"GP-09\""),
        "{out}"
    );
    assert!(
        out.contains("row 6, column B: ") && out.contains("thành viên của hội đồng"),
        "{out}"
    );

    let gk01 = judge_from_link(&t.app, &t.links, "ha.nguyen@example.org").await;
    let gk02 = judge_from_link(&t.app, &t.links, "phuc.tran@example.com").await;
    let gk01_list = gk01.call("my_assignments", &[]).await.unwrap();
    let gk02_list = gk02.call("my_assignments", &[]).await.unwrap();
    let has = |list: &Value, entry: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|a| a["entry_id"] == entry)
    };
    assert!(has(&gk01_list, t.entries[0]));
    assert!(
        !has(&gk02_list, t.entries[0]),
        "GP-01 now has only GK01 and GK03"
    );
    assert!(
        has(&gk02_list, t.entries[3]),
        "unlisted entries stay with the whole council"
    );
}

/// The secretariat's workbook carries the council's count, the national
/// mark, the finalization and the four figures the page shows.
async fn results_workbook_says_the_same(o: &User, edition: &str, results: &Value) {
    let response = o.get(&format!("/tep/ky-thi/{edition}/ket-qua.xlsx")).await;
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let top = &results["fields"][0]["rows"][0];
    let code = top["code"].as_str().unwrap();
    let names = book.sheet_names();
    let field = book.worksheet_range(&names[0]).unwrap();
    let heading = field.rows().nth(5).unwrap().to_vec();
    let at = |name: &str| {
        heading
            .iter()
            .position(|c| matches!(c, calamine::Data::String(s) if s == name))
            .unwrap_or_else(|| panic!("{name} in {heading:?}"))
    };
    let row = field
        .rows()
        .find(|r| r.get(1).map(|c| c.to_string()).as_deref() == Some(code))
        .expect("the top entry's row");
    assert_eq!(row[at("Giải đề xuất")].to_string(), "Nhất");
    assert_eq!(
        row[at("Biểu quyết của hội đồng")].to_string(),
        "Thông qua: 2 đồng ý, 0 không / 3 có mặt"
    );
    assert_eq!(row[at("Dự thi toàn quốc")].to_string(), "Có");
    let text: Vec<String> = field
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    let finalized = format!(
        "Kết quả đã được Ban tổ chức chốt lúc {}.",
        results["final_at"].as_str().unwrap()
    );
    assert!(text.contains(&finalized), "{text:?}");

    let comparison = book.worksheet_range("Đối chiếu cách tính").unwrap();
    let heading = comparison.rows().nth(5).unwrap().to_vec();
    assert_eq!(
        heading[4].to_string(),
        "Trung bình cộng (*)",
        "the method that ranks"
    );
    let row = comparison
        .rows()
        .find(|r| r.get(1).map(|c| c.to_string()).as_deref() == Some(code))
        .expect("the top entry's row");
    let figures = &top["figures"];
    for (col, key) in [
        (4, "mean"),
        (5, "median"),
        (6, "trimmed"),
        (7, "standardized"),
        (8, "spread"),
    ] {
        let expected = figures[key].as_f64().unwrap() / 100.0;
        assert_eq!(row[col], calamine::Data::Float(expected), "{key}");
    }
}

#[tokio::test]
async fn a_judge_scores_only_from_the_rounds_first_to_its_last_day() {
    let t = Vn03::setup().await;
    let o = &t.organizer;
    let edition = t.edition.to_string();
    let criteria = criteria_of(&t).await;
    let round = t.first_round().await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%d/%m/%Y")
            .to_string()
    };
    let set_dates = |first: i64, last: i64| {
        let (o, round) = (o.clone(), round.clone());
        let (first, last) = (day(first), day(last));
        async move {
            o.call(
                "update_round",
                &[
                    ("round", &round),
                    ("opens_on", &first),
                    ("closes_on", &last),
                ],
            )
            .await
            .unwrap();
        }
    };
    let ha = judge_from_link(&t.app, &t.links, "ha.nguyen@example.org").await;
    let gp01 = t.entries[0];
    let entry = gp01.to_string();
    let marks = ["27", "23", "21", "7"];

    // The round ended yesterday: the sheet reads but does not change.
    set_dates(-10, -1).await;
    let refused = score(&ha, gp01, &criteria, &marks).await.unwrap_err();
    assert_eq!(kind(&refused), "Conflict", "{refused}");
    assert!(
        refused
            .to_string()
            .contains(&format!("Vòng chấm đã kết thúc ngày {}", day(-1))),
        "{refused}"
    );
    let sheet = ha.call("get_sheet", &[("entry", &entry)]).await.unwrap();
    assert_eq!(sheet["deadline"], day(-1));
    let list = ha.call("my_assignments", &[]).await.unwrap();
    assert_eq!(
        list[0]["window"],
        format!("đã kết thúc ngày {}", day(-1)),
        "the judge's list says so too"
    );
    assert!(sheet["closed"].is_string(), "{sheet}");
    let page = ha.get(&format!("/giam-khao/cham/{entry}")).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"round-closed\""),
        "the page says so"
    );

    // A slip of the year is refused, naming the field.
    let slip = o
        .call(
            "update_round",
            &[("round", &round), ("opens_on", "01/12/0000")],
        )
        .await
        .unwrap_err();
    assert_eq!(slip["Invalid"]["field"], "Ngày bắt đầu", "{slip}");

    // Not begun yet.
    set_dates(1, 5).await;
    let refused = score(&ha, gp01, &criteria, &marks).await.unwrap_err();
    assert!(
        refused
            .to_string()
            .contains(&format!("Vòng chấm bắt đầu từ ngày {}", day(1))),
        "{refused}"
    );

    // Today is the last day: the judge scores and submits.
    set_dates(-10, 0).await;
    let list = ha.call("my_assignments", &[]).await.unwrap();
    assert_eq!(list[0]["window"], format!("hạn nộp: hết ngày {}", day(0)));
    score(&ha, gp01, &criteria, &marks).await.unwrap();
    ha.call("submit_sheet", &[("entry", &entry)]).await.unwrap();

    // Once the round is over, reopening a sheet would leave the judge
    // unable to change it: the organizer is told to move the dates first.
    set_dates(-10, -1).await;
    let board = o
        .call("get_judging_progress", &[("edition", &edition)])
        .await
        .unwrap();
    let sheet_id = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"] == gp01)
        .unwrap()["sheets"][0]["id"]
        .to_string();
    let refused = o
        .call(
            "reopen_sheet",
            &[("sheet", &sheet_id), ("reason", "Cộng nhầm")],
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Hãy sửa ngày của vòng chấm"),
        "{refused}"
    );
    // Sent as a plain form (no JavaScript), the refusal is said on the
    // board the organizer comes back to.
    let board_path = format!("/to-chuc/ky-thi/{edition}/tien-do");
    let plain = o
        .http
        .post(format!("{}/api/reopen_sheet", o.base))
        .header("Accept", "text/html")
        .header("Referer", format!("{}{board_path}", o.base))
        .form(&[("sheet", sheet_id.as_str()), ("reason", "Cộng nhầm")])
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 302);
    let page = o.get(&board_path).await.text().await.unwrap();
    assert!(
        page.contains("data-testid=\"form-error\"") && page.contains("Hãy sửa ngày của vòng chấm"),
        "the board says why"
    );

    // Every move of the dates is in the log.
    let moves = t.logged("Đổi thiết lập vòng chấm").await;
    assert_eq!(moves.len(), 4, "{moves:?}");
    let extended = format!("Chung khảo: từ {} đến {}", day(-10), day(0));
    assert!(moves.iter().any(|m| m.starts_with(&extended)), "{moves:?}");
}

#[tokio::test]
async fn a_new_score_step_cannot_strand_the_scores_already_given() {
    let t = Vn03::setup().await;
    let o = &t.organizer;
    let criteria = criteria_of(&t).await;
    let round = t.first_round().await;
    let ha = judge_from_link(&t.app, &t.links, "ha.nguyen@example.org").await;
    score(&ha, t.entries[0], &criteria, &["27,5", "23", "21", "7"])
        .await
        .unwrap();

    let refused = o
        .call("update_round", &[("round", &round), ("step", "1")])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Invalid", "{refused}");
    assert!(
        refused
            .to_string()
            .contains("đã có điểm 27,5 không là bội số của 1"),
        "{refused}"
    );
    o.call("update_round", &[("round", &round), ("step", "0,5")])
        .await
        .unwrap();
    assert_eq!(
        t.logged("Đổi thiết lập vòng chấm").await,
        ["Chung khảo: bước điểm theo kỳ thi → 0,5"]
    );
}
