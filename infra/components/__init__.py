"""The constructs the production stack (infra/stack.py) is composed of; infra/README.md says
which file holds which resources."""
