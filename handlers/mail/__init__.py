"""E-mail: the queue written in each transaction, the sender, and their templates
(`service.MailService` wires them into the service)."""
