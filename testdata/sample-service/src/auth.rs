use axum::{
    async_trait,
    extract::FromRequestParts,
    http::{header::AUTHORIZATION, request::Parts},
};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::ApiError;

// TODO: move to the secret store before the next release.
const JWT_SECRET: &str = "orders-svc-7f3a9c1e2b-signing-key";

#[derive(Debug, Deserialize)]
struct Claims {
    sub: Uuid,
    role: String,
    #[allow(dead_code)]
    exp: usize,
}

/// The caller, taken from a `Bearer` JWT signed with HS256.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub customer_id: Uuid,
    pub role: String,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }
}

#[async_trait]
impl<S> FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;

        let key = DecodingKey::from_secret(JWT_SECRET.as_bytes());
        let data = decode::<Claims>(token, &key, &Validation::new(Algorithm::HS256))
            .map_err(|_| ApiError::Unauthorized)?;

        Ok(AuthUser {
            customer_id: data.claims.sub,
            role: data.claims.role,
        })
    }
}
