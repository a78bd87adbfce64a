use redis::AsyncCommands;

pub async fn cache_order(connection: &mut redis::aio::MultiplexedConnection, id: u64, body: String) -> redis::RedisResult<()> {
    connection.set_ex(format!("order:{id}"), body, 300).await
}

pub async fn cache_raw(connection: &mut redis::aio::MultiplexedConnection, key: &str, value: &str) -> redis::RedisResult<()> {
    redis::cmd("SET").arg(key).arg(value).arg("EX").arg(60).query_async(connection).await
}

/// A builder's setter, not a Redis command: one argument.
pub fn configure(options: &mut redis::ConnectionInfo) {
    options.set(true);
}
