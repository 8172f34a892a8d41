"""What happens to a message once it is in: admission (dedup, flood), the durable inbox, exactly-once
processing through the handlers, and the worker's retries."""
