"""The door: one blueprint per WeChat/WeCom callback (each turns its payload into an IncomingMessage),
plus the health and metrics endpoints."""
