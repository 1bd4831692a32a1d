//! Authentication without HTTP: signing in and out, passwords, session rows, login throttling,
//! API tokens. The HTTP side (who is asking, the session store, CSRF) is `crate::http`.

pub mod hasher;
pub mod login;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod totp;
