"""The only package that knows table layouts: PynamoDB models and repositories."""
