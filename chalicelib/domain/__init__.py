"""Pure rules of the Massar e-services: no I/O, no AWS, no web framework."""
