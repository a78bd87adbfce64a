use axum::{Json, http::StatusCode};

pub async fn register(Json(form): Json<Register>) -> Result<StatusCode, ApiError> {
    let password = form.password.clone();
    let hash = tokio::task::spawn_blocking(move || bcrypt::hash(password, bcrypt::DEFAULT_COST)).await??;
    store(&form.email, &hash).await?;
    Ok(StatusCode::CREATED)
}

/// A command-line tool: synchronous, so hashing here blocks nothing else.
pub fn hash_for_seed(password: &str) -> String {
    bcrypt::hash(password, 4).unwrap()
}

#[tokio::test]
async fn hashes() {
    assert!(bcrypt::verify("pw", &bcrypt::hash("pw", 4).unwrap()).unwrap());
}
