//! The honors selection council's secret ballot: tallies decide, the
//! unit hears the decision by mail, and nobody can read a member's vote.

use calamine::{Reader, Xlsx};
use mailparse::MailHeaderMap;
use serde_json::Value;

use crate::contest::{import_judges, judge_from_link, judge_id};
use crate::helpers::{TestApp, User, fixture, kind};
use crate::honors::{create_honors_edition, nomination_form, save_nomination, unit};
use crate::youth::attach;

/// Submits a new-doctor nomination with its evidence; the organizer
/// accepts it. Returns its id.
async fn accepted_nomination(
    unit: &User,
    organizer: &User,
    edition: &crate::honors::HonorsEdition,
    name: &str,
) -> i64 {
    let doctor = edition.categories[0]["criteria"][0]["id"].as_i64().unwrap();
    let form = nomination_form(
        0,
        edition,
        0,
        (name, "14/03/1990", "TS.", "15/09/2025"),
        &[doctor],
    );
    let id = save_nomination(unit, &form)
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let pdf = std::fs::read(fixture("thuyet-minh-mau.pdf")).unwrap();
    let (code, body) = attach(unit, id, "evidence", Some(doctor), "qd.pdf", pdf).await;
    assert_eq!(code, 200, "{body}");
    let id_text = id.to_string();
    unit.call(
        "change_entry_state",
        &[("id", &id_text), ("action", "submit")],
    )
    .await
    .unwrap();
    organizer
        .call(
            "change_entry_state",
            &[("id", &id_text), ("action", "accept")],
        )
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_secret_ballot_decides_by_tally_and_no_role_can_read_a_members_vote() {
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
    let duyen = accepted_nomination(&university, &organizer, &edition, "Lê Thị Mỹ Duyên").await;
    let phuc = accepted_nomination(&university, &organizer, &edition, "Trần Văn Phúc").await;

    // A selection council of three, for every candidate.
    let links = import_judges(&organizer, edition.id).await;
    let emails = [
        "ha.nguyen@example.org",
        "chau.le@example.com",
        "khoa.nguyen@example.com",
    ];
    let setup = organizer
        .call("get_judging_setup", &[("edition", &edition.id.to_string())])
        .await
        .unwrap();
    let round = setup["rounds"][0]["id"].as_i64().unwrap().to_string();
    let council = organizer
        .call(
            "create_council",
            &[
                ("round", round.as_str()),
                ("name", "Hội đồng xét chọn"),
                ("scope", "all"),
            ],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
        .to_string();
    let mut members = Vec::new();
    for email in emails {
        let judge = judge_id(&organizer, edition.id, email).await.to_string();
        organizer
            .call(
                "add_council_member",
                &[("council", &council), ("judge", &judge)],
            )
            .await
            .unwrap();
        members.push(judge_from_link(&app, &links, email).await);
    }
    // Each member is told, with the council's name (it scores no field).
    let told = crate::mail::eml_files_matching(app.data.path(), "judge_assigned", 3).await;
    let raw = std::fs::read(&told[0]).unwrap();
    let subject = mailparse::parse_mail(&raw)
        .unwrap()
        .headers
        .get_first_value("Subject")
        .unwrap();
    assert!(
        subject.starts_with("Mời tham gia Hội đồng xét chọn – "),
        "{subject}"
    );

    // Votes: Duyên 2 agree, 1 disagree; Phúc 1 agree, 1 abstain, and the
    // third member never votes on Phúc.
    let choices = [
        vec![("agree", duyen), ("agree", phuc)],
        vec![("agree", duyen), ("abstain", phuc)],
        vec![("disagree", duyen)],
    ];
    let early = organizer
        .call("close_ballot", &[("council", &council)])
        .await
        .unwrap_err();
    assert!(
        early.to_string().contains("0/3 phiếu"),
        "nobody has voted yet: {early}"
    );
    for (member, ballots) in members.iter().zip(choices) {
        let before = member.call("my_ballot", &[]).await.unwrap();
        assert_eq!(before.as_array().unwrap().len(), 2);
        for (choice, entry) in ballots {
            member
                .call(
                    "cast_ballot",
                    &[("entry", &entry.to_string()), ("choice", choice)],
                )
                .await
                .unwrap();
        }
    }
    let again = members[0]
        .call(
            "cast_ballot",
            &[("entry", &duyen.to_string()), ("choice", "disagree")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        kind(&again),
        "Conflict",
        "one ballot per member and candidate"
    );

    // While the ballot is open, even the organizer sees how many voted,
    // not how.
    let open = organizer
        .call("get_ballot_minutes", &[("council", &council)])
        .await
        .unwrap();
    assert_eq!(open["rows"][0]["ballots_cast"], 3);
    assert_eq!(open["rows"][0]["tally"], Value::Null);

    // Every read path of every role: nothing ties a member to a choice.
    for (i, member) in members.iter().enumerate() {
        let mine = member.call("my_ballot", &[]).await.unwrap();
        for row in mine.as_array().unwrap() {
            let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
            assert!(
                keys.iter()
                    .all(|k| !["choice", "vote", "agree", "tally"].contains(&k.as_str())),
                "member {i} reads back {row}"
            );
            // Whether they voted is theirs to see; how, nobody's.
            let absent = i == 2 && row["entry_id"] == phuc;
            assert_eq!(row["voted"], !absent, "member {i}: {row}");
        }
        for endpoint in ["get_ballot_minutes", "get_audit_log"] {
            let refused = member
                .call(
                    endpoint,
                    &[("council", &council), ("edition", &edition.id.to_string())],
                )
                .await
                .unwrap_err();
            assert_eq!(kind(&refused), "Forbidden", "{endpoint}");
        }
    }
    let refused = university
        .call("get_ballot_minutes", &[("council", &council)])
        .await
        .unwrap_err();
    assert_eq!(kind(&refused), "Forbidden");
    // The database keeps who voted and the counts, and nothing else.
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        app.data.path().join("sangtao.sqlite3").display()
    ))
    .await
    .unwrap();
    let columns: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('ballot_voters') ORDER BY cid")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(columns, ["council_id", "entry_id", "judge_id"]);

    // The edition's results wait for the ballot, not for score sheets.
    let edition_id = edition.id.to_string();
    let early = organizer
        .call("finalize_results", &[("edition", &edition_id)])
        .await
        .unwrap_err();
    assert!(
        early
            .to_string()
            .contains("Hội đồng xét chọn chưa kết thúc bỏ phiếu kín"),
        "{early}"
    );

    // A member present who never votes holds the ballot up only until the
    // organizer closes it anyway.
    let waiting = organizer
        .call("close_ballot", &[("council", &council)])
        .await
        .unwrap_err();
    assert!(
        waiting
            .to_string()
            .contains("Trần Văn Phúc mới có 2/3 phiếu"),
        "{waiting}"
    );
    organizer
        .call("close_ballot", &[("council", &council), ("anyway", "true")])
        .await
        .unwrap();
    let minutes = organizer
        .call("get_ballot_minutes", &[("council", &council)])
        .await
        .unwrap();
    let row = |entry: i64| {
        minutes["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entry_id"] == entry)
            .unwrap()
            .clone()
    };
    assert_eq!(minutes["present"], 3);
    assert_eq!(minutes["needed"], 2, "two-thirds of three present");
    assert_eq!(
        row(duyen)["tally"],
        serde_json::json!({"agree": 2, "disagree": 1, "abstain": 0})
    );
    assert_eq!(row(duyen)["selected"], true);
    assert_eq!(
        row(phuc)["tally"],
        serde_json::json!({"agree": 1, "disagree": 0, "abstain": 1})
    );
    assert_eq!(
        row(phuc)["selected"],
        false,
        "a ballot not cast is not a yes"
    );
    let late = members[1]
        .call(
            "cast_ballot",
            &[("entry", &phuc.to_string()), ("choice", "agree")],
        )
        .await
        .unwrap_err();
    assert_eq!(kind(&late), "Conflict");

    // Now the results can be finalized, and the workbook gives the
    // secretariat each tally and decision.
    organizer
        .call("finalize_results", &[("edition", &edition_id)])
        .await
        .unwrap();
    let response = organizer
        .get(&format!("/tep/ky-thi/{edition_id}/ket-qua.xlsx"))
        .await;
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    assert_eq!(name, "1. Hội đồng xét chọn");
    let sheet = book.worksheet_range(&name).unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(
        cells[3][0].starts_with("KẾT QUẢ XÉT CHỌN"),
        "{:?}",
        cells[3]
    );
    let line = |who: &str| {
        cells
            .iter()
            .find(|r| r.get(2).map(String::as_str) == Some(who))
            .unwrap_or_else(|| panic!("{who} in {cells:?}"))[3..]
            .to_vec()
    };
    assert_eq!(
        line("Lê Thị Mỹ Duyên"),
        ["3", "2", "1", "0", "Được xét chọn"]
    );
    assert_eq!(
        line("Trần Văn Phúc"),
        ["2", "1", "0", "1", "Không được xét chọn"]
    );

    // The log shows the counts, with no member beside them.
    let log = organizer
        .call("get_audit_log", &[("edition", &edition.id.to_string())])
        .await
        .unwrap();
    let counts: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "Biểu quyết")
        .collect();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|l| l["detail"] == "1/2 ứng viên được xét chọn, theo phiếu kín"),
        "{log}"
    );
    assert_eq!(counts.len(), 2);
    assert!(counts.iter().all(|l| l["judge"] == "" && l["actor"] != ""));
    let closed = log
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["action"] == "Kết thúc bỏ phiếu kín")
        .unwrap();
    assert!(
        closed["detail"]
            .as_str()
            .unwrap()
            .ends_with("kết thúc khi còn thiếu phiếu: TV2026-002 (2/3)"),
        "{closed}"
    );

    // The unit hears each decision by mail, tallies only.
    let decisions = crate::mail::eml_files_matching(app.data.path(), "honors_decision", 2).await;
    let subjects: Vec<String> = decisions
        .iter()
        .map(|path| {
            let raw = std::fs::read(path).unwrap();
            let mail = mailparse::parse_mail(&raw).unwrap();
            assert_eq!(
                mail.headers.get_first_value("To").unwrap(),
                "Trường Đại học Đồng Tháp <khcn@example.org>"
            );
            mail.headers.get_first_value("Subject").unwrap()
        })
        .collect();
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Kết quả xét chọn: Lê Thị Mỹ Duyên được xét chọn")),
        "{subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Kết quả xét chọn: Trần Văn Phúc không được xét chọn")),
        "{subjects:?}"
    );
}
