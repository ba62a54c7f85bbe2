"""Cross-language conformance: run every case file through the Python, Node and Java CLIs and compare."""
