"""Python side of the local-first field views: client state + bindings to the JS store."""
