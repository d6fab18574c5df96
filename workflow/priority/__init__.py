"""Priority: each request's score from the school's SIP and its policy set's weights, and
the approval queues ordered by it (see README.md, "Priority and approval queues")."""
