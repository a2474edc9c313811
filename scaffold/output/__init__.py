"""Reports for people and machines: text, JSON and SARIF."""
