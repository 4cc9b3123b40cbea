//! The notices' default texts, in Vietnamese, for the people who receive
//! them: the subject says at a glance what happened and in which edition.
//! Rendered with minijinja; templates named `*.html` escape every value.

use minijinja::Environment;
use serde::Serialize;

use crate::app::error::AppError;
use crate::domain::text::clean_line;

/// (event, subject, plain text, HTML) for every notice the app sends; the
/// texts are the files in `defaults/`.
macro_rules! defaults {
    ($($event:literal),* $(,)?) => {
        &[$((
            $event,
            include_str!(concat!("defaults/", $event, ".subject")),
            include_str!(concat!("defaults/", $event, ".txt")),
            include_str!(concat!("defaults/", $event, ".html")),
        )),*]
    };
}

const TEMPLATES: &[(&str, &str, &str, &str)] = defaults![
    "entry_submitted",
    "entry_returned",
    "entry_accepted",
    "entry_rejected",
    "results_announced",
    "deadline_reminder",
    "judge_invitation",
    "judge_assigned",
    "sheet_reopened",
    "email_verification",
    "password_reset",
    "unit_invitation",
    "honors_decision",
];

/// A notice rendered for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How many steps one part of a notice may take to render; the longest
/// default takes a few hundred.
const FUEL: u64 = 50_000;

/// An event's wording: subject, plain text, HTML (templates, not yet
/// rendered).
#[derive(Debug, Clone, PartialEq)]
pub struct Wording {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The events the app sends, in the order the organizer's page lists them.
pub fn events() -> impl Iterator<Item = &'static str> {
    TEMPLATES.iter().map(|(event, ..)| *event)
}

/// The built-in wording of an event.
pub fn default_wording(event: &str) -> Option<Wording> {
    TEMPLATES
        .iter()
        .find(|(e, ..)| *e == event)
        .map(|(_, subject, text, html)| Wording {
            subject: subject.trim_end().to_string(),
            text: text.to_string(),
            html: html.to_string(),
        })
}

/// Renders a wording with `values`. The subject is one clean line (no
/// line breaks can reach the mail headers); the HTML escapes every value.
/// A template error names the part (subject, text or HTML) it is in.
pub fn render_wording(wording: &Wording, values: &impl Serialize) -> Result<Rendered, AppError> {
    let mut env = Environment::new();
    // A value the caller forgot renders as an empty string rather than
    // failing the change that triggered the notice.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
    // An organizer's template cannot loop for long: rendering runs while a
    // write transaction is open.
    env.set_fuel(Some(FUEL));
    let values = minijinja::Value::from_serialize(values);
    // Subjects show in the organizer's outbox: a one-time link must never
    // be written into one.
    let subject_values = minijinja::context! { link => "", ..values.clone() };
    let parts = [
        ("subject", "Tiêu đề", &wording.subject, &subject_values),
        ("txt", "Nội dung văn bản", &wording.text, &values),
        ("html", "Nội dung HTML", &wording.html, &values),
    ];
    let mut out = Vec::new();
    for (suffix, label, source, values) in parts {
        let name = format!("thu.{suffix}");
        let rendered = env
            .add_template_owned(name.clone(), source.clone())
            .and_then(|()| env.get_template(&name)?.render(values))
            .map_err(|e| AppError::invalid(label, format!("mẫu thư có lỗi: {e}")))?;
        out.push(rendered);
    }
    let html = out.pop().unwrap_or_default();
    let text = out.pop().unwrap_or_default();
    let subject = out.pop().unwrap_or_default();
    Ok(Rendered {
        subject: clean_line(&subject),
        text,
        html,
    })
}

/// Renders an event's built-in notice with `values`.
pub fn render(event: &str, values: &impl Serialize) -> Result<Rendered, AppError> {
    let wording = default_wording(event).ok_or(AppError::Internal)?;
    render_wording(&wording, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_event_renders_with_its_values() {
        for (event, ..) in TEMPLATES {
            let r = render(
                event,
                &json!({"code": "TTN15-001", "edition": "Cuộc thi", "name": "Trang"}),
            )
            .unwrap();
            assert!(!r.subject.is_empty() && !r.text.is_empty() && !r.html.is_empty());
        }
    }

    #[test]
    fn hostile_values_are_escaped_in_html_and_cannot_break_the_subject() {
        let values = json!({
            "code": "TTN15-001",
            "edition": "Cuộc thi\r\nBcc: ke-gian@example.org",
            "name": "<script>alert(1)</script>",
            "title": "Thước \"kẻ\" & com-pa",
            "reason": "Thiếu ảnh",
            "due": "20/12/2026",
            "link": "http://127.0.0.1/ho-so/1",
            "org": "Liên hiệp Hội",
        });
        let r = render("entry_returned", &values).unwrap();
        assert!(
            !r.subject.contains('\n') && !r.subject.contains('\r'),
            "{}",
            r.subject
        );
        assert_eq!(
            r.subject,
            "Hồ sơ TTN15-001 cần bổ sung trước 20/12/2026 – Cuộc thi Bcc: ke-gian@example.org"
        );
        assert!(
            r.html
                .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script>"));
        assert!(
            r.html.contains("Thước &quot;kẻ&quot; &amp; com-pa"),
            "{}",
            r.html
        );
        assert!(
            r.text.contains("Kính gửi <script>alert(1)</script>,"),
            "plain text is text"
        );
    }

    #[test]
    fn a_runaway_template_stops_and_a_link_never_reaches_the_subject() {
        let looping = Wording {
            subject: "x".into(),
            text: "{% for i in range(100000) %}{% for j in range(300) %}{% endfor %}{% endfor %}"
                .into(),
            html: "x".into(),
        };
        let error = render_wording(&looping, &json!({})).unwrap_err();
        assert!(
            matches!(error, AppError::Invalid { ref field, .. } if field == "Nội dung văn bản")
        );
        let leaky = Wording {
            subject: "Đặt lại {{ link }}".into(),
            text: "{{ link }}".into(),
            html: "x".into(),
        };
        let r = render_wording(&leaky, &json!({"link": "http://x/dat-mat-khau/abc"})).unwrap();
        assert_eq!(r.subject, "Đặt lại");
        assert_eq!(r.text, "http://x/dat-mat-khau/abc");
    }

    #[test]
    fn a_missing_value_renders_empty() {
        let r = render("entry_submitted", &json!({"code": "STKT12-001"})).unwrap();
        assert_eq!(r.subject, "Đã nhận hồ sơ STKT12-001 –");
    }
}
