"""Webhook blueprints: one per channel, each turning its payload into an IncomingMessage."""
