"""The checks that make up an analysis, one module per rule group."""
