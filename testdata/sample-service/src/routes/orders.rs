use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderName, StatusCode},
    Json,
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::{
    auth::AuthUser,
    error::ApiError,
    models::{NewOrder, Order, OrderItem, Page},
    state::AppState,
};

const DEFAULT_PAGE_SIZE: i64 = 50;
const MAX_PAGE_SIZE: i64 = 200;

#[derive(Debug, Deserialize)]
pub struct ListOrders {
    limit: Option<i64>,
    cursor: Option<Uuid>,
}

#[tracing::instrument(skip(state))]
pub async fn list_orders(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ListOrders>,
) -> Result<Json<Page<Order>>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    // Keyset pagination; every value is a bound parameter.
    let orders = sqlx::query_as::<_, Order>(
        "SELECT id, customer_id, status, total_cents, currency, created_at
           FROM orders
          WHERE customer_id = $1 AND ($2::uuid IS NULL OR id > $2)
          ORDER BY id
          LIMIT $3",
    )
    .bind(user.customer_id)
    .bind(params.cursor)
    .bind(limit)
    .fetch_all(&state.db)
    .await?;

    let next_cursor = (orders.len() as i64 == limit)
        .then(|| orders.last().map(|order| order.id))
        .flatten();
    Ok(Json(Page { items: orders, next_cursor }))
}

pub async fn create_order(
    State(state): State<AppState>,
    user: AuthUser,
    Json(new_order): Json<NewOrder>,
) -> Result<(StatusCode, [(HeaderName, String); 1], Json<Order>), ApiError> {
    if new_order.items.is_empty() {
        return Err(ApiError::BadRequest("an order needs at least one item".into()));
    }
    let total: i64 = new_order
        .items
        .iter()
        .map(|item| item.unit_price_cents * i64::from(item.quantity))
        .sum();

    let mut tx = state.db.begin().await?;
    let order = sqlx::query_as::<_, Order>(
        "INSERT INTO orders (id, customer_id, status, total_cents, currency)
         VALUES ($1, $2, 'pending', $3, $4)
         RETURNING id, customer_id, status, total_cents, currency, created_at",
    )
    .bind(Uuid::new_v4())
    .bind(user.customer_id)
    .bind(total)
    .bind(&new_order.currency)
    .fetch_one(&mut *tx)
    .await?;

    for item in &new_order.items {
        sqlx::query(
            "INSERT INTO order_items (id, order_id, sku, quantity, unit_price_cents)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::new_v4())
        .bind(order.id)
        .bind(&item.sku)
        .bind(item.quantity)
        .bind(item.unit_price_cents)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;

    println!("created order {} for customer {}", order.id, user.customer_id);

    let location = format!("/v1/orders/{}", order.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(order)))
}

pub async fn get_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(order_id): Path<Uuid>,
) -> Result<Json<Order>, ApiError> {
    sqlx::query_as::<_, Order>(
        "SELECT id, customer_id, status, total_cents, currency, created_at
           FROM orders
          WHERE id = $1 AND customer_id = $2",
    )
    .bind(order_id)
    .bind(user.customer_id)
    .fetch_optional(&state.db)
    .await?
    .map(Json)
    .ok_or(ApiError::NotFound)
}

/// Hard delete, used by the back office tools behind the admin gateway.
pub async fn delete_order(
    State(state): State<AppState>,
    Path(order_id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let deleted = sqlx::query("DELETE FROM orders WHERE id = $1")
        .bind(order_id)
        .execute(&state.db)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn cancel_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(order_id): Path<Uuid>,
) -> Result<Json<Order>, ApiError> {
    let order = sqlx::query_as::<_, Order>(
        "UPDATE orders SET status = 'cancelled'
          WHERE id = $1 AND customer_id = $2 AND status IN ('pending', 'paid')
          RETURNING id, customer_id, status, total_cents, currency, created_at",
    )
    .bind(order_id)
    .bind(user.customer_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound)?;

    // Tell payments to release the authorisation. Best effort: payments also
    // expires unused authorisations after seven days.
    let client = reqwest::Client::new();
    let _ = client
        .post(format!("{}/authorizations/{}/release", state.payments_url, order.id))
        .json(&json!({ "reason": "order_cancelled" }))
        .send()
        .await;

    Ok(Json(order))
}

pub async fn refund_order(
    State(state): State<AppState>,
    user: AuthUser,
    Path(order_id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    if !user.is_admin() {
        return Err(ApiError::Unauthorized);
    }
    // The shared client from state, which carries the timeouts set in main.
    // Payments is briefly unavailable while it deploys, so try a few times.
    let mut last_error = None;
    for attempt in 1..=3 {
        match state
            .http
            .post(format!("{}/refunds", state.payments_url))
            .json(&json!({ "orderId": order_id }))
            .send()
            .await
            .and_then(|response| response.error_for_status())
        {
            Ok(_) => return Ok(StatusCode::ACCEPTED),
            Err(error) => {
                tracing::warn!(attempt, %error, "refund not accepted by payments");
                last_error = Some(error);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Err(last_error.map_or(ApiError::BadRequest("refund failed".into()), ApiError::Upstream))
}

pub async fn get_order_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path((order_id, item_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<OrderItem>, ApiError> {
    sqlx::query_as::<_, OrderItem>(
        "SELECT i.id, i.order_id, i.sku, i.quantity, i.unit_price_cents
           FROM order_items i
           JOIN orders o ON o.id = i.order_id
          WHERE i.id = $1 AND i.order_id = $2 AND o.customer_id = $3",
    )
    .bind(item_id)
    .bind(order_id)
    .bind(user.customer_id)
    .fetch_optional(&state.db)
    .await?
    .map(Json)
    .ok_or(ApiError::NotFound)
}
