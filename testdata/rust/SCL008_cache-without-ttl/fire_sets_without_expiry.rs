use redis::AsyncCommands;

pub async fn cache_order(connection: &mut redis::aio::MultiplexedConnection, id: u64, body: String) -> redis::RedisResult<()> {
    connection.set(format!("order:{id}"), body).await
}

pub async fn cache_raw(connection: &mut redis::aio::MultiplexedConnection, key: &str, value: &str) -> redis::RedisResult<()> {
    redis::cmd("SET").arg(key).arg(value).query_async(connection).await
}
