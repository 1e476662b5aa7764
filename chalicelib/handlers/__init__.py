"""HTTP blueprints and event handlers: parse, authorize, call a service, render."""
