use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};

pub fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation
}

pub fn lenient() -> Validation {
    Validation { validate_nbf: false, ..Validation::new(Algorithm::RS256) }
}

pub fn unchecked(token: &str, key: &DecodingKey) -> jsonwebtoken::errors::Result<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.insecure_disable_signature_validation();
    decode::<Claims>(token, key, &validation).map(|data| data.claims)
}

pub fn claims(token: &str) -> jsonwebtoken::errors::Result<Claims> {
    jsonwebtoken::dangerous::insecure_decode::<Claims>(token).map(|data| data.claims)
}
