pub async fn charge(gateway: &Gateway, payment: &Payment) -> Result<Receipt, GatewayError> {
    let mut last = None;
    for _attempt in 0..3 {
        match gateway.charge(payment).await {
            Ok(receipt) => return Ok(receipt),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or(GatewayError::Unavailable))
}
