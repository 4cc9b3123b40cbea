//! The one error type every server function returns: each variant says
//! what the user can do about it, in Vietnamese.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    Unauthenticated,
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    #[error("Không tìm thấy {0}.")]
    NotFound(String),
    /// A value the user typed is wrong; `field` names the form field.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("Đã hết hạn đăng ký lúc {deadline}; không thể thay đổi hồ sơ.")]
    DeadlinePassed { deadline: String },
    #[error("Email hoặc mật khẩu không đúng.")]
    BadCredentials,
    #[error("Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau 15 phút.")]
    TooManyAttempts,
    /// The request itself was malformed (a number field holding text…).
    #[error("Dữ liệu gửi lên không đúng định dạng. Hãy kiểm tra lại các ô đã nhập.")]
    BadRequest,
    #[error("Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.")]
    Internal,
    #[error("Không kết nối được máy chủ: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::BadRequest,
            other => Self::Transport(other.to_string()),
        }
    }
}
