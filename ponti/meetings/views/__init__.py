"""Pages of meetings, visit requests, follow-up actions, gifts and the agenda."""
