"""Words out: the outbox (written with the change it reports, delivered later) and the channel senders."""
