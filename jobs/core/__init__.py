"""What every flow shares: the outcome policy (flowkit, outcomes), the registry and dispatcher,
queues and retry policy, locks, the client factory, job context, the inbox sweep, exact money and
Brightpearl's reference lists. Imports no flow package."""
