use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};

pub fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = true;
    validation.leeway = 30;
    validation
}

/// The tenant claim picks the key; the token is then validated with it.
pub fn verify(token: &str, keys: &Keys) -> jsonwebtoken::errors::Result<Claims> {
    let unverified = jsonwebtoken::dangerous::insecure_decode::<Tenant>(token)?;
    let key: &DecodingKey = keys.for_tenant(&unverified.claims.tenant);
    decode::<Claims>(token, key, &Validation::new(Algorithm::RS256)).map(|data| data.claims)
}

#[cfg(test)]
mod tests {
    #[test]
    fn expired_tokens_parse() {
        let mut validation = jsonwebtoken::Validation::default();
        validation.validate_exp = false;
    }
}
