//! Many people at once: SQLite must never answer "database is locked".

use crate::contest::{Contest, entry_form, save_entry};
use crate::helpers::TestApp;

#[tokio::test]
async fn many_people_registering_and_saving_at_once_all_succeed() {
    let app = TestApp::spawn().await;
    let c = Contest::setup(&app).await;

    let registrations = (0..24).map(|i| {
        let user = app.client();
        async move {
            let email = format!("thi.sinh{i}@example.com");
            let name = format!("Người Dự Thi Số {}", ["Một", "Hai", "Ba", "Bốn"][i % 4]);
            user.call(
                "register",
                &[
                    ("full_name", &name),
                    ("email", &email),
                    ("password", "một mật khẩu đủ dài"),
                ],
            )
            .await
            .map(|_| (user, email))
        }
    });
    let people: Vec<_> = futures_join_all(registrations).await;
    let people: Vec<_> = people
        .into_iter()
        .map(|r| r.expect("every registration succeeds"))
        .collect();

    let saves = people.iter().enumerate().map(|(i, (user, email))| {
        let form = entry_form(
            0,
            c.edition,
            c.fields[i % 2],
            &format!("Giải pháp số {i}"),
            &[("Người Dự Thi", email, "100")],
        );
        let user = user.clone();
        async move { save_entry(&user, &form).await }
    });
    let saved = futures_join_all(saves).await;
    let failures: Vec<_> = saved.iter().filter(|r| r.is_err()).collect();
    assert!(failures.is_empty(), "saves failed: {failures:?}");

    let entries = c
        .organizer
        .call("edition_entries", &[("edition", &c.edition.to_string())])
        .await
        .unwrap();
    let mut codes: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 26);
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 26, "every entry got its own code");
}

/// Runs futures concurrently on the test's runtime and keeps their order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.expect("task finished"));
    }
    out
}
