"""Open Contracting Data Standard (OCDS 1.1) publication of the consortium's tenders."""
