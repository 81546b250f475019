"""What operators see: facts about the service read at the moment they are asked for (queues,
the poller's heartbeat, the records' states, API calls, the Brightpearl budget), the /metrics
collector, and nothing that writes."""
