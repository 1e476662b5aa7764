"""The local run: an embedded AWS (moto), every resource, the Chalice app over HTTP, and the
event pump that feeds stream and queue records to the same handlers Lambda would call."""
