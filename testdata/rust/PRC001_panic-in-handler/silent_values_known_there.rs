use axum::{Json, extract::State, http::StatusCode};
use std::time::{SystemTime, UNIX_EPOCH};

const VERSION: &str = "1.4.0";

// Values that are there by construction: constants parsed, constructors given constants, the
// time since the epoch, a value checked through an adapter, an invariant the author states.
pub async fn status(State(app): State<App>, Json(form): Json<Form>) -> Result<StatusCode, ApiError> {
    let redirect = StatusCode::from_u16(302).unwrap();
    let version: semver::Version = VERSION.parse().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    if form.token.is_none() {
        return Err(ApiError::BadRequest);
    }
    let token = form.token.as_ref().unwrap();
    // unwrap is safe: the middleware checked the session above
    let session = app.session.unwrap();
    record(redirect, version, now, token, session);
    Ok(StatusCode::OK)
}

pub fn router() -> axum::Router<App> {
    axum::Router::new().route("/status", axum::routing::post(status))
}
