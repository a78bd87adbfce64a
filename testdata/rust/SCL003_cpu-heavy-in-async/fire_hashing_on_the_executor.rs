use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use axum::{Json, http::StatusCode};

pub async fn register(Json(form): Json<Register>) -> Result<StatusCode, ApiError> {
    let hash = bcrypt::hash(&form.password, bcrypt::DEFAULT_COST)?;
    store(&form.email, &hash).await?;
    Ok(StatusCode::CREATED)
}

pub async fn login(Json(form): Json<Login>) -> Result<StatusCode, ApiError> {
    let stored = load(&form.email).await?;
    let parsed = PasswordHash::new(&stored)?;
    Argon2::default().verify_password(form.password.as_bytes(), &parsed)?;
    Ok(StatusCode::NO_CONTENT)
}
