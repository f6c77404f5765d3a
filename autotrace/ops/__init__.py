"""Op declarations, grouped by family. Importing this package registers every op."""
